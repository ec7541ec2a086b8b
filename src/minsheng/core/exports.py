"""Exports of registry records: masked, formula-safe, audited. Pages and the CLI share
them so that an export looks the same wherever it was made."""

from django.utils.translation import gettext as _

from minsheng.core import audit
from minsheng.core.access import as_actor, require
from minsheng.core.identifiers import mask, mask_phone
from minsheng.core.models import AuditEntry
from minsheng.core.spreadsheets import write_xlsx


def people_xlsx(*, actor, people, target, name: str, filters: dict | None = None) -> None:
    actor = as_actor(actor)
    require(actor, "core.export")
    header = [_("Name"), _("Resident ID number"), _("Sex"), _("Birth date"), _("Phone"),
              _("Residence area"), _("Area code"), _("Status")]
    rows = ([p.name, mask(p.id_number), p.get_sex_display(), p.birth_date,
             mask_phone(p.phone), p.residence_area.name, p.residence_area.code,
             p.get_status_display()] for p in people.iterator(chunk_size=2000))
    write_xlsx(target, [(_("People"), header, rows)])
    audit.record(actor, AuditEntry.Action.EXPORT, object_type="core.person",
                 object_repr=name, changes={"filters": filters or {}})


def organizations_xlsx(*, actor, organizations, target, name: str) -> None:
    actor = as_actor(actor)
    require(actor, "core.export")
    header = [_("Name"), _("Type"), _("Unified social credit code"), _("Area code"),
              _("Address"), _("Industry code")]
    rows = ([o.name, o.get_kind_display(), o.uscc or "", o.area.code, o.address,
             o.industry_code] for o in organizations.iterator(chunk_size=2000))
    write_xlsx(target, [(_("Organizations"), header, rows)])
    audit.record(actor, AuditEntry.Action.EXPORT, object_type="core.organization",
                 object_repr=name)


def access_report_xlsx(*, actor, person, entries, target, name: str) -> None:
    """The person-level access report (PIPL) for the auditor's file."""
    actor = as_actor(actor)
    require(actor, "core.view_audit")
    header = [_("Time"), _("User"), _("Action"), _("Record type"), _("Record"),
              _("Address"), _("Request")]
    rows = ([e.at, e.actor_name, e.get_action_display(), e.object_type,
             f"#{e.object_id} {e.object_repr}", e.ip or "", e.request_id]
            for e in entries.iterator(chunk_size=2000))
    write_xlsx(target, [(_("Access report"), header, rows)])
    audit.record(actor, AuditEntry.Action.EXPORT, obj=person,
                 changes={"report": [None, "access report"]})
