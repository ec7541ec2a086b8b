"""xlsx exports of the food and drug safety lists (formula-safe, audited)."""

from django.utils.translation import gettext as _

from minsheng.core import audit
from minsheng.core.access import as_actor, require
from minsheng.core.models import AuditEntry
from minsheng.core.spreadsheets import write_xlsx
from minsheng.foodsafety import permissions as P


def operators_xlsx(*, actor, operators, coverage, target) -> None:
    actor = as_actor(actor)
    require(actor, P.EXPORT)
    header = [_("Operator"), _("Unified social credit code"), _("Area"),
              _("Operator category"), _("Risk grade"), _("State")]
    rows = ([o.organization.name, o.organization.uscc or "", o.area.name,
             str(o.get_category_display()), o.grade,
             str(o.workflow.states.get(o.state, o.state))]
            for o in operators.iterator(chunk_size=2000))
    cover = ([r["grade"], r["operators"], r["required"], r["done"], r["short"]]
             for r in coverage)
    write_xlsx(target, [(_("Operators"), header, rows),
                        (_("Inspections by grade"), [_("Risk grade"), _("Operators"),
                                                     _("Inspections required"),
                                                     _("Inspections done"),
                                                     _("Operators short")], cover)])
    audit.record(actor, AuditEntry.Action.EXPORT, object_type="foodsafety.operator",
                 object_repr="food-operators.xlsx")
