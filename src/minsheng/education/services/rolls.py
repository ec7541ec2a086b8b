"""School rolls (学籍): enrolment, moves along the roll's workflow, transfers, and the
atomic import of a school's roll from a spreadsheet."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from minsheng.casework.workflow import record_event, transition
from minsheng.core import audit
from minsheng.core.access import as_actor, require
from minsheng.core.errors import Conflict, ValidationFailed
from minsheng.core.identifiers import parse_id
from minsheng.core.models import AuditEntry, Person
from minsheng.education import permissions as P
from minsheng.education.models import STAGE_GRADES, Enrolment, School
from minsheng.education.services.common import not_future, text, today_or

# roll moves that end the entry, and the exit reason they leave
ENDING = {"transfer": "transferred", "drop_out": "dropped_out", "graduate": "graduated",
          "decease": "deceased", "move_away": "moved_away"}


def _clean_child(data: dict, school: School, today: datetime.date) -> dict:
    number, id_birth, id_sex = parse_id(data.get("id_number", ""))
    birth = data.get("birth_date") or id_birth
    if birth != id_birth:
        raise ValidationFailed(_("The birth date disagrees with the ID number (%s).")
                               % id_birth.isoformat(), field="birth_date")
    sex = data.get("sex") or id_sex
    if sex != id_sex:
        raise ValidationFailed(_("The sex disagrees with the ID number."), field="sex")
    low, high = STAGE_GRADES[school.stage]
    grade = data.get("grade")
    if not isinstance(grade, int) or not low <= grade <= high:
        raise ValidationFailed(_("This school teaches grades %(low)s to %(high)s.")
                               % {"low": low, "high": high}, field="grade")
    entry = not_future(data.get("entry_date") or today, today, "entry_date")
    if entry <= birth:
        raise ValidationFailed(_("The entry date must follow the birth date."),
                               field="entry_date")
    intake = data.get("intake_year")
    if not isinstance(intake, int) or not birth.year < intake <= entry.year:
        raise ValidationFailed(_("The intake year must lie between the birth year and the "
                                 "entry date."), field="intake_year")
    return {"id_number": number, "birth_date": birth, "sex": sex, "grade": grade,
            "entry_date": entry, "intake_year": intake,
            "name": text(data.get("name"), "name", _("Name"), 60),
            "guardian_name": text(data.get("guardian_name"), "guardian_name", "", 60, False),
            "class_name": text(data.get("class_name"), "class_name", "", 20, False)}


def _room(school: School, extra: int = 1) -> None:
    if school.places and (Enrolment.objects.filter(school=school, state__in=Enrolment.ACTIVE)
                          .count() + extra > school.places):
        raise ValidationFailed(_("%s has no free place.") % school.name, field="school")


def _insert(actor, school: School, values: dict) -> Enrolment:
    if Enrolment.objects.filter(id_number=values["id_number"],
                                state__in=Enrolment.ACTIVE).exists():
        raise Conflict(_("This child is already on a school's roll; transfer them instead."),
                       details={"field": "id_number"})
    person = Person.objects.filter(id_number=values["id_number"]).first()
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(school=school, area=school.area,
                                                 person=person, **values)
    except IntegrityError:  # enrolled concurrently elsewhere
        raise Conflict(_("This child is already on a school's roll; transfer them "
                         "instead.")) from None
    record_event(enrolment, actor=actor, to_state=enrolment.state, note=_("Enrolled"))
    return enrolment


def enrolment_create(*, actor, school: School, today: datetime.date | None = None,
                     **data) -> Enrolment:
    """Put a child on a school's roll. The ID must be valid and agree with the birth date;
    a child already on a roll is refused (transfers go through `enrolment_transfer`)."""
    actor = as_actor(actor)
    require(actor, P.ROLLS, school.area)
    values = _clean_child(data, school, today_or(today))
    _room(school)
    with transaction.atomic():
        enrolment = _insert(actor, school, values)
        audit.record(actor, AuditEntry.Action.CREATE, obj=enrolment,
                     changes={"school": school.pk, "grade": values["grade"]})
    return enrolment


def enrolment_move(*, actor, enrolment: Enrolment, action: str, version: int,
                   on: datetime.date | None = None, note: str = "",
                   today: datetime.date | None = None) -> Enrolment:
    """Suspend, resume, teach at home, graduate, record a death or a departure, or report
    a dropout (which opens an out-of-school case for a registry child)."""
    if action == "transfer":
        raise ValidationFailed(_("Use the transfer form."), field="action")
    today = today_or(today)
    on = not_future(on or today, today, "on")
    if on < enrolment.entry_date:
        raise ValidationFailed(_("The date cannot precede the entry date."), field="on")
    if action == "graduate" and enrolment.grade not in (6, 9, 3, 12):
        raise ValidationFailed(_("Only a final grade graduates."), field="action")
    changes = {}
    if action in ENDING:
        changes = {"left_on": on, "exit_reason": ENDING[action]}
    with transaction.atomic():
        transition(actor=actor, case=enrolment, name=action, version=version,
                   note=(note or "").strip()[:500], data={"on": on.isoformat()},
                   changes=changes)
        if action == "drop_out" and enrolment.person_id:
            from minsheng.education.services.dropout import case_open_reported

            case_open_reported(actor=actor, enrolment=enrolment, today=on)
    return enrolment


def enrolment_transfer(*, actor, enrolment: Enrolment, version: int, to_school: School | None,
                       grade: int | None = None, on: datetime.date | None = None,
                       today: datetime.date | None = None) -> Enrolment:
    """Move a child to another school of the district: the old entry ends as transferred
    and a new one opens at the receiving school on the same day, in one transaction."""
    actor = as_actor(actor)
    if to_school is None:
        raise ValidationFailed(_("Choose the receiving school."), field="to_school")
    if to_school.pk == enrolment.school_id:
        raise ValidationFailed(_("The child is already at this school."), field="to_school")
    require(actor, P.ROLLS, enrolment.area)
    require(actor, P.ROLLS, to_school.area)
    today = today_or(today)
    on = not_future(on or today, today, "on")
    values = {f: getattr(enrolment, f) for f in ("id_number", "name", "birth_date", "sex",
                                                 "guardian_name", "intake_year")}
    values.update(grade=grade or enrolment.grade, entry_date=on, class_name="")
    low, high = STAGE_GRADES[to_school.stage]
    if not low <= values["grade"] <= high:
        raise ValidationFailed(_("This school teaches grades %(low)s to %(high)s.")
                               % {"low": low, "high": high}, field="grade")
    _room(to_school)
    with transaction.atomic():
        transition(actor=actor, case=enrolment, name="transfer", version=version,
                   changes={"left_on": on, "exit_reason": "transferred",
                            "transfer_to": to_school})
        new = _insert(actor, to_school, values)
        audit.record(actor, AuditEntry.Action.CREATE, obj=new,
                     changes={"transferred_from": enrolment.pk})
    return new


# -- import ---------------------------------------------------------------------------------

COLUMNS = {"身份证号": "id_number", "姓名": "name", "出生日期": "birth_date", "性别": "sex",
           "监护人": "guardian_name", "年级": "grade", "班级": "class_name",
           "入学年份": "intake_year", "入校日期": "entry_date"}
REQUIRED = ("身份证号", "姓名", "年级", "入学年份")
SEX_WORDS = {"男": "M", "女": "F", "M": "M", "F": "F", "": ""}


class RollImportRefused(ValidationFailed):
    """The file has bad rows: nothing was imported; `details["rows"]` lists them."""


def _row_values(cells: dict) -> dict:
    data = dict(cells)
    for key in ("grade", "intake_year"):
        raw = (data.get(key) or "").strip()
        try:
            data[key] = int(float(raw)) if raw else None
        except ValueError:
            raise ValidationFailed(_("Not a whole number: %s") % raw, field=key) from None
    for key in ("birth_date", "entry_date"):
        raw = (data.get(key) or "").strip()[:10]
        try:
            data[key] = datetime.date.fromisoformat(raw) if raw else None
        except ValueError:
            raise ValidationFailed(_("Enter a date as YYYY-MM-DD"), field=key) from None
    sex = (data.get("sex") or "").strip()
    if sex not in SEX_WORDS:
        raise ValidationFailed(_("Sex must be 男 or 女."), field="sex")
    data["sex"] = SEX_WORDS[sex]
    return data


def roll_import(*, actor, school: School, path, today: datetime.date | None = None) -> int:
    """Import a school's roll from an xlsx or csv file with the columns of COLUMNS. Every
    bad row is reported with its line and reason, and then nothing is imported."""
    from minsheng.core.tabular import open_table

    actor = as_actor(actor)
    require(actor, P.ROLLS, school.area)
    today = today_or(today)
    table = open_table(path)
    missing = [c for c in REQUIRED if c not in table.header]
    if missing:
        raise ValidationFailed(_("Missing column(s): %s") % "、".join(missing), field="file")
    index = {COLUMNS[h]: i for i, h in enumerate(table.header) if h in COLUMNS}
    clean, lines, errors, seen = [], [], [], set()
    for line, row in table.rows:
        cells = {k: (row[i] if i < len(row) else "") for k, i in index.items()}
        if not any((v or "").strip() for v in cells.values()):
            continue
        try:
            values = _clean_child(_row_values(cells), school, today)
            if values["id_number"] in seen:
                raise ValidationFailed(_("The same ID appears twice in the file."),
                                       field="id_number")
            seen.add(values["id_number"])
            clean.append(values)
            lines.append(line)
        except ValidationFailed as error:
            errors.append({"line": line, "field": (error.details or {}).get("field", ""),
                           "reason": str(error.message)})
    if clean:
        taken = set(Enrolment.objects.filter(
            id_number__in=[v["id_number"] for v in clean], state__in=Enrolment.ACTIVE)
            .values_list("id_number", flat=True))
        for line, values in zip(lines, clean, strict=True):
            if values["id_number"] in taken:
                errors.append({"line": line, "field": "id_number",
                               "reason": _("Already on a school's roll: %s")
                               % values["id_number"][:6] + "…"})
    if errors:
        raise RollImportRefused(_("%(n)s bad row(s); nothing was imported.")
                                % {"n": len(errors)}, details={"rows": errors, "field": "file"})
    if not clean:
        raise ValidationFailed(_("The file has no rows."), field="file")
    if school.places and (Enrolment.objects.filter(school=school, state__in=Enrolment.ACTIVE)
                          .count() + len(clean) > school.places):
        raise ValidationFailed(_("%s has no free place.") % school.name, field="file")
    people = dict(Person.objects.filter(id_number__in=[v["id_number"] for v in clean])
                  .values_list("id_number", "id"))
    with transaction.atomic():
        Enrolment.objects.bulk_create([Enrolment(school=school, area=school.area,
                                                 person_id=people.get(v["id_number"]), **v)
                                       for v in clean], batch_size=2000)
        audit.record(actor, AuditEntry.Action.IMPORT, obj=school,
                     changes={"rows": len(clean)})
    return len(clean)
