"""`minsheng foodsafety ...`: the daily licence sweep, regrading, re-deriving a draw."""

from __future__ import annotations

import typer

from minsheng.core.console import console

app = typer.Typer(help="Food and drug safety supervision", no_args_is_help=True)


@app.command("expire-licences")
def expire_licences():
    """Mark valid licences past their expiry date as expired (daily)."""
    from minsheng.foodsafety.services.operators import licences_expire

    console.print(f"{licences_expire()} licences expired")


@app.command("regrade")
def regrade():
    """Recompute every operating operator's risk grade from the records."""
    from minsheng.core.access import system_actor
    from minsheng.foodsafety.models import Operator
    from minsheng.foodsafety.services.operators import operator_grade

    actor, n = system_actor(), 0
    for operator in Operator.objects.filter(state="active").select_related("area"):
        operator_grade(actor=actor, operator=operator, trigger="regrade")
        n += 1
    console.print(f"{n} operators graded")


@app.command("verify-draw")
def verify_draw(plan: int):
    """Re-derive a plan's draw from its log and compare."""
    from minsheng.foodsafety.models import InspectionPlan
    from minsheng.inspections import selectors

    log = selectors.draw_log(InspectionPlan.objects.get(pk=plan))
    if log is None:
        console.print("[yellow]not drawn")
        raise typer.Exit(1)
    ok = selectors.draw_reproduces(log)
    console.print(f"seed {log.seed} digest {log.digest}: "
                  f"{'[green]identical' if ok else '[red]DIFFERS'}")
    raise typer.Exit(0 if ok else 2)
