"""Insurance coverage: importing enrolment extracts and linking them to the people
registry on the shared engine (`minsheng.linkage`), deciding probable links, and the
outreach cases for residents found uninsured."""

from __future__ import annotations

import datetime
import time

import pandas as pd
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.casework.workflow import record_event, transition
from minsheng.core import audit
from minsheng.core.access import as_actor, require
from minsheng.core.errors import Conflict, ValidationFailed
from minsheng.core.models import Area, AuditEntry, Person
from minsheng.primarycare import extracts
from minsheng.primarycare.config import setting
from minsheng.primarycare.models import Enrolment, EnrolmentImport, Outreach
from minsheng.primarycare.permissions import IMPORT, OUTREACH

CHUNK = 5000


def _exact(numbers: list[str]) -> dict[str, tuple[int, int]]:
    """id_number -> (person id, residence area id), in chunks of an IN list."""
    found = {}
    for i in range(0, len(numbers), CHUNK):
        found.update({n: (p, a) for n, p, a in Person.objects.filter(
            id_number__in=numbers[i:i + CHUNK]).values_list("id_number", "id",
                                                             "residence_area_id")})
    return found


def _probable(rows: list[dict], loose: list[int], threshold: float) -> pd.DataFrame:
    """Probable links for the rows in `loose` (indexes into rows). The whole extract is the
    left table, so the engine estimates its model from the exact links too; the registry
    is the right (docs/linkage.md: each record is at most one person)."""
    from minsheng.linkage import link_people

    if not loose:
        return pd.DataFrame(columns=["left_id", "right_id", "match_weight"])
    left = pd.DataFrame({"record_id": range(len(rows)),
                         "id_number": [r["id_number"] for r in rows],
                         "name": [r["name"] for r in rows]})
    people = list(Person.objects.filter(status=Person.Status.LIVING).values_list(
        "id", "id_number", "name", "birth_date", "sex"))
    right = pd.DataFrame(people, columns=["record_id", "id_number", "name", "birth_date",
                                          "sex"])
    right["birth_date"] = pd.to_datetime(right["birth_date"])
    probable = link_people(left, right, threshold=threshold).probable
    return probable[probable["left_id"].isin(set(loose))]


def enrolments_import(*, actor, path: str, as_of: datetime.date,
                      file_name: str = "") -> EnrolmentImport:
    """Import one extract all or nothing, then link it: the same valid resident ID first,
    then probable links (Fellegi-Sunter, `minsheng.linkage`) for the rest, which a
    caseworker confirms. The extract replaces the earlier enrolments of its schemes."""
    actor = as_actor(actor)
    # an extract covers the whole district: imported by district-level staff
    for root in Area.objects.filter(parent=None):
        require(actor, IMPORT, root)
    if as_of > timezone.localdate():
        raise ValidationFailed(_("The extract date cannot be in the future"), field="as_of")
    started = time.monotonic()
    rows, errors = extracts.read(path)
    if errors:
        raise ValidationFailed(_("%(n)s bad row(s): nothing was imported")
                               % {"n": len(errors)}, details={"rows": errors, "field": "file"})
    if not rows:
        raise ValidationFailed(_("The extract has no rows"), field="file")
    exact = _exact(sorted({r["id_number"] for r in rows}))
    loose = [i for i, r in enumerate(rows) if r["id_number"] not in exact]
    probable = _probable(rows, loose, setting("MATCH_THRESHOLD"))
    candidates = dict(zip(probable["left_id"].astype(int), zip(
        probable["right_id"].astype(int), probable["match_weight"].astype(float),
        strict=True), strict=True))
    schemes = sorted({r["scheme"] for r in rows})
    with transaction.atomic():
        batch = EnrolmentImport.objects.create(
            file_name=(file_name or str(path))[-200:], as_of=as_of, schemes=schemes,
            rows=len(rows), imported_by=actor.user if actor.is_authenticated else None)
        Enrolment.objects.filter(scheme__in=schemes, current=True, batch__isnull=False).update(
            current=False)
        objs = []
        for i, r in enumerate(rows):
            person = exact.get(r["id_number"])
            cand = candidates.get(i)
            objs.append(Enrolment(
                batch=batch, line=r["line"], scheme=r["scheme"], scheme_code=r["scheme_code"],
                id_number=r["id_number"], name=r["name"], employer_uscc=r["employer_uscc"],
                start_date=r["start_date"], end_date=r["end_date"],
                person_id=person[0] if person else None,
                candidate_id=cand[0] if cand and not person else None,
                match=("exact" if person else "probable" if cand else "none"),
                match_weight=cand[1] if cand and not person else None))
        Enrolment.objects.bulk_create(objs, batch_size=2000)
        batch.exact = sum(1 for o in objs if o.match == "exact")
        batch.probable = sum(1 for o in objs if o.match == "probable")
        batch.unmatched = sum(1 for o in objs if o.match == "none")
        batch.seconds = round(time.monotonic() - started, 2)
        EnrolmentImport.objects.filter(pk=batch.pk).update(
            exact=batch.exact, probable=batch.probable, unmatched=batch.unmatched,
            seconds=batch.seconds)
        audit.record(actor, AuditEntry.Action.IMPORT, obj=batch,
                     changes={"rows": [None, len(rows)], "schemes": [None, schemes]})
    return batch


def enrolment_decide(*, actor, enrolment: Enrolment, accept: bool) -> Enrolment:
    """Confirm or reject a probable link. Scoped to the candidate's community."""
    actor = as_actor(actor)
    if enrolment.match != Enrolment.Match.PROBABLE or enrolment.candidate is None:
        raise ValidationFailed(_("This enrolment has no link to decide"))
    require(actor, IMPORT, enrolment.candidate.residence_area)
    values = ({"person_id": enrolment.candidate_id, "match": Enrolment.Match.CONFIRMED}
              if accept else {"match": Enrolment.Match.REJECTED})
    with transaction.atomic():
        updated = Enrolment.objects.filter(pk=enrolment.pk, match="probable").update(**values)
        if not updated:
            raise Conflict(_("Someone else decided this link first"))
        audit.record(actor, AuditEntry.Action.UPDATE, obj=enrolment,
                     object_repr=f"enrolment {enrolment.pk}",
                     changes={"match": ["probable", values["match"]]})
    enrolment.refresh_from_db()
    return enrolment


def outreach_open(*, actor, person: Person, missing: str) -> Outreach:
    actor = as_actor(actor)
    require(actor, OUTREACH, person.residence_area)
    if missing not in Outreach.Missing.values:
        raise ValidationFailed(_("Say which cover is missing"), field="missing")
    if Outreach.objects.filter(person=person, state__in=("open", "contacted")).exists():
        raise Conflict(_("An outreach case for this resident is already open"))
    try:
        with transaction.atomic():
            case = Outreach.objects.create(person=person, area=person.residence_area,
                                           missing=missing)
            record_event(case, actor=actor, transition="open", to_state="open")
            audit.record(actor, AuditEntry.Action.CREATE, obj=case,
                         object_repr=f"outreach {person.name}")
    except IntegrityError:
        raise Conflict(_("An outreach case for this resident is already open")) from None
    return case


def outreach_contact(*, actor, case: Outreach, version: int, note: str = "",
                     on: datetime.date | None = None) -> Outreach:
    on = on or timezone.localdate()
    if on < case.opened_on or on > timezone.localdate():
        raise ValidationFailed(_("The contact date lies outside the case"), field="on")
    return transition(actor=actor, case=case, name="contact", version=version,
                      note=(note or "").strip(),
                      changes={"contacted_on": on, "note": (note or "").strip()})


def outreach_enrol(*, actor, case: Outreach, version: int, scheme: str,
                   start_date: datetime.date) -> Outreach:
    """The resident enrolled: the enrolment the outreach worker saw is recorded for the
    person at once (the next extract confirms it), so coverage moves today."""
    actor = as_actor(actor)
    if scheme not in Enrolment.Scheme.values:
        raise ValidationFailed(_("Unknown scheme"), field="scheme")
    if start_date > timezone.localdate():
        raise ValidationFailed(_("The enrolment date cannot be in the future"),
                               field="start_date")
    code = next(c for c, s in setting("SCHEMES").items() if s == scheme)
    with transaction.atomic():
        transition(actor=actor, case=case, name="enrol", version=version,
                   changes={"closed_on": timezone.localdate()})
        enrolment = Enrolment.objects.create(
            scheme=scheme, scheme_code=code, id_number=case.person.id_number,
            name=case.person.name, start_date=start_date, person=case.person,
            match=Enrolment.Match.CONFIRMED)
        audit.record(actor, AuditEntry.Action.CREATE, obj=enrolment,
                     object_repr=f"enrolment {case.person.name} {scheme}")
    return case


def outreach_close(*, actor, case: Outreach, version: int, reason: str,
                   note: str = "") -> Outreach:
    if reason and reason not in Outreach.Reason.values:
        raise ValidationFailed(_("Unknown reason"), field="reason")
    return transition(actor=actor, case=case, name="close", version=version,
                      note=(note or "").strip(), data={"reason": reason},
                      changes={"reason": reason, "closed_on": timezone.localdate(),
                               "note": (note or "").strip()})
