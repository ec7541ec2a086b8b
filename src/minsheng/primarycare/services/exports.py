"""Spreadsheet exports (an export of personal data is an audited action)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from minsheng.core import audit
from minsheng.core.access import as_actor, require
from minsheng.core.identifiers import mask
from minsheng.core.models import AuditEntry
from minsheng.core.spreadsheets import write_xlsx
from minsheng.primarycare.permissions import EXPORT

GROUP_WORDS = {"elderly": "65岁及以上", "child": "0-6岁儿童", "disabled": "残疾人",
               "low_income": "低保对象", "pregnant": "孕产妇", "hypertension": "高血压",
               "diabetes": "2型糖尿病", "tuberculosis": "肺结核", "mental": "严重精神障碍"}


def contracts_export(*, actor, contracts, target) -> int:
    actor = as_actor(actor)
    require(actor, EXPORT)
    rows = [(c.person.name, mask(c.person.id_number), c.area.name, c.team.name,
             str(c.get_package_display()), c.start_date, c.end_date, str(c.state_label),
             "、".join(GROUP_WORDS.get(g, g) for g in c.key_groups))
            for c in contracts.iterator(chunk_size=2000)]
    write_xlsx(target, [(_("Contracts"), [_("Name"), _("Resident ID number"), _("Community"),
                                          _("Family-doctor team"), _("Service package"),
                                          _("Contract start"), _("Contract end"), _("State"),
                                          _("Key groups")], rows)])
    with transaction.atomic():
        audit.record(actor, AuditEntry.Action.EXPORT, object_type="primarycare.contracts",
                     object_id="xlsx", object_repr="contracts", changes={"rows": len(rows)})
    return len(rows)


def uninsured_export(*, actor, people, target) -> int:
    actor = as_actor(actor)
    require(actor, EXPORT)
    yes, no = str(_("yes")), str(_("no"))
    rows = [(p.name, mask(p.id_number), p.residence_area.name, p.birth_date,
             yes if p.has_pension else no, yes if p.has_medical else no,
             yes if p.open_case else no) for p in people.iterator(chunk_size=2000)]
    write_xlsx(target, [(_("Uninsured"), [_("Name"), _("Resident ID number"), _("Community"),
                                          _("Birth date"), _("Pension cover"),
                                          _("Medical cover"), _("Outreach open")], rows)])
    with transaction.atomic():
        audit.record(actor, AuditEntry.Action.EXPORT, object_type="primarycare.uninsured",
                     object_id="xlsx", object_repr="uninsured", changes={"rows": len(rows)})
    return len(rows)
