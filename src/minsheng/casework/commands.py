import typer

app = typer.Typer(help="Casework: follow-up items and their escalation", no_args_is_help=True)


@app.command()
def escalate() -> None:
    """Raise overdue follow-ups to yellow, and to red when long overdue."""
    from minsheng.casework.services import followups_escalate

    typer.echo(f"{followups_escalate()} follow-up item(s) changed level")
