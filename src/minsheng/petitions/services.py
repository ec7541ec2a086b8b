"""Every write of the petitions module: registration (staff and the public), the
acceptance decision, assignment, extension, reply, review and re-review, satisfaction,
and the nightly sweep that concludes cases and escalates overdue ones. Each checks who may
act, runs in one transaction and writes its audit row in it; every state change goes
through the casework workflow (`workflows.PETITION`)."""

from __future__ import annotations

import datetime
import re
import secrets

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.casework import services as followups
from minsheng.casework.models import FollowUp
from minsheng.casework.workflow import record_event, transition
from minsheng.core import audit, identifiers
from minsheng.core.access import as_actor, require, require_department, system_actor
from minsheng.core.concurrency import save_versioned
from minsheng.core.errors import StaleVersion, ValidationFailed
from minsheng.core.models import Area, AuditEntry, Organization, Person
from minsheng.petitions import permissions as P
from minsheng.petitions.clocks import due
from minsheng.petitions.config import setting
from minsheng.petitions.models import Petition
from minsheng.petitions.selectors import public_petition
from minsheng.petitions.similarity import best_match
from minsheng.petitions.workflows import AGENCY_CLOCK_STATES

FOLLOWUP_KIND = "petition_overdue"
SOURCE_TYPE = "petitions.petition"
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read out on the phone
REPRESENTATIVE_SPLIT = re.compile(r"[、,，;；\s]+")


def new_reference(year: int) -> str:
    # not sequential: a reference typed on the public status page cannot be guessed
    return f"XF{year}" + "".join(secrets.choice(ALPHABET) for _ in range(8))


def _today(today):
    return today or timezone.localdate()


def _text(value, field: str, message: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(message, field=field)
    if len(value) > limit:
        raise ValidationFailed(_("Too long: %(n)s characters, at most %(limit)s.")
                               % {"n": len(value), "limit": limit}, field=field)
    return value


def _content(value: str) -> str:
    value = (value or "").strip()
    low, high = setting("MIN_CONTENT_CHARS"), setting("MAX_CONTENT_CHARS")
    if len(value) < low:
        raise ValidationFailed(_("Describe the matter (at least %(n)s characters).")
                               % {"n": low}, field="content")
    if len(value) > high:
        raise ValidationFailed(
            _("The text has %(n)s characters, more than the %(limit)s the form takes: give "
              "a summary and hand in the full letter at the office.")
            % {"n": len(value), "limit": high}, field="content")
    return value


def _department(department) -> Organization | None:
    if department is not None and department.kind != Organization.Kind.DEPARTMENT:
        raise ValidationFailed(_("Choose a government department."), field="department")
    return department


def _representatives(channel: str, joint_count: int, text: str) -> str:
    names = [n for n in REPRESENTATIVE_SPLIT.split((text or "").strip()) if n]
    most = setting("JOINT_REPRESENTATIVES_MAX")
    if joint_count < 1:
        raise ValidationFailed(_("At least one person petitions."), field="joint_count")
    if len(names) > most:
        raise ValidationFailed(_("At most %(n)s representatives (art. 19).") % {"n": most},
                               field="representatives")
    if channel == Petition.Channel.VISIT and joint_count > most and not names:
        raise ValidationFailed(_("People visiting together choose representatives, at most "
                                 "%(n)s (art. 19).") % {"n": most}, field="representatives")
    return "、".join(names)


def _repeat_of(number: str, text: str, received_on: datetime.date):
    """The first petition on the same matter by the same person, if there is one."""
    since = received_on - datetime.timedelta(days=setting("REPEAT_LOOKBACK_DAYS"))
    earlier = list(Petition.objects.filter(petitioner_id_number=number,
                                           received_on__gte=since)
                   .values_list("id", "subject", "content", "repeat_of_id"))
    match = best_match(text, [(pk, f"{s} {c}") for pk, s, c, _r in earlier],
                       setting("REPEAT_SIMILARITY"))
    if match is None:
        return None, None
    root = {pk: root for pk, _s, _c, root in earlier}[match[0]] or match[0]
    return root, round(match[1], 3)


def petition_register(*, actor, channel: str, category: str, petitioner_name: str,
                      petitioner_id_number: str, area: Area, subject: str, content: str,
                      petitioner_phone: str = "", petitioner_address: str = "",
                      joint_count: int = 1, representatives: str = "",
                      department: Organization | None = None,
                      received_on: datetime.date | None = None,
                      today: datetime.date | None = None) -> Petition:
    """Register a petition from any channel. Staff register visits, letters and calls in
    their area; a resident submits online from the portal (no account: then the channel
    is online and a phone number is needed to reach them). Repeat petitions of the same
    person on the same matter are linked to the first."""
    actor = as_actor(actor)
    today = _today(today)
    public = not actor.is_authenticated and not actor.system
    if public:
        if channel != Petition.Channel.ONLINE:
            raise ValidationFailed(_("Unknown channel"), field="channel")
        if not (petitioner_phone or "").strip():
            raise ValidationFailed(_("Give a phone number so that we can reach you."),
                                   field="petitioner_phone")
        received_on = today
    else:
        require(actor, P.REGISTER, area)
    if channel not in Petition.Channel.values:
        raise ValidationFailed(_("Unknown channel"), field="channel")
    if category not in Petition.Category.values:
        raise ValidationFailed(_("Choose the kind of petition."), field="category")
    received_on = received_on or today
    if received_on > today:
        raise ValidationFailed(_("The date received cannot be in the future."),
                               field="received_on")
    name = _text(petitioner_name, "petitioner_name", _("The petitioner's name is required."),
                 60)
    number = identifiers.clean_id_number(petitioner_id_number, field="petitioner_id_number")
    phone = identifiers.clean_phone(petitioner_phone, field="petitioner_phone")
    subject = _text(subject, "subject", _("Give the petition a subject."), 200)
    content = _content(content)
    names = _representatives(channel, joint_count, representatives)
    department = _department(department)
    accept_due = due(received_on, setting("ACCEPT_DAYS"))
    repeat_of, score = _repeat_of(number, f"{subject} {content}", received_on)
    person = Person.objects.filter(id_number=number, name=name).first()
    with transaction.atomic():
        petition = Petition.objects.create(
            reference=new_reference(received_on.year), state=Petition.workflow.initial,
            area=area, channel=channel, category=category, petitioner=person,
            petitioner_name=name, petitioner_id_number=number, petitioner_phone=phone,
            petitioner_address=(petitioner_address or "").strip()[:300],
            joint_count=joint_count, representatives=names, subject=subject,
            content=content, department=department, received_on=received_on,
            accept_due=accept_due, current_due=accept_due, repeat_of_id=repeat_of,
            repeat_similarity=score)
        record_event(petition, actor=actor, to_state=petition.state,
                     note=_("Registered (%(channel)s)") % {
                         "channel": petition.get_channel_display()},
                     data={"repeat_of": repeat_of} if repeat_of else None)
        audit.record(actor, AuditEntry.Action.CREATE, obj=petition,
                     changes={"channel": [None, channel], "repeat_of": [None, repeat_of]})
    return petition


def _final_matter(petition: Petition) -> str | None:
    """The reference of a re-reviewed petition on the same matter, if any."""
    if petition.repeat_of_id is None:
        return None
    root = petition.repeat_of_id
    done = (Petition.objects.filter(Q(pk=root) | Q(repeat_of_id=root), state="re_reviewed")
            .exclude(pk=petition.pk).values_list("reference", flat=True).first())
    return done


def _close_followups(petition: Petition, outcome: str) -> None:
    for item in FollowUp.objects.filter(kind=FOLLOWUP_KIND, source_type=SOURCE_TYPE,
                                        source_id=str(petition.pk), state="open"):
        followups.followup_close(actor=system_actor(), followup=item, outcome=outcome,
                                 version=item.version)


def _not_recused(actor, petition: Petition) -> None:
    user_id = getattr(actor.user, "pk", None) if actor.is_authenticated else None
    if user_id is not None and user_id in (petition.recused or []):
        raise ValidationFailed(_("You stepped aside from this petition (recusal): another "
                                 "member of staff decides it."))


def petition_recuse(*, actor, petition: Petition, version: int, reason: str) -> Petition:
    """A member of staff steps aside (回避) from a petition in which they have a direct
    interest; from then on the services refuse their decisions on it."""
    actor = as_actor(actor)
    require(actor, P.VIEW, petition.area)
    if not actor.is_authenticated:
        raise ValidationFailed(_("Only a member of staff can step aside."))
    reason = _text(reason, "reason", _("Say why you step aside."), 500)
    recused = list(petition.recused or [])
    if actor.user.pk in recused:
        raise ValidationFailed(_("You have already stepped aside from this petition."),
                               field="reason")
    recused.append(actor.user.pk)
    with transaction.atomic():
        save_versioned(petition, version, values={"recused": recused})
        record_event(petition, actor=actor, note=_("Stepped aside (recusal): %s") % reason)
        audit.record(actor, AuditEntry.Action.UPDATE, obj=petition,
                     changes={"recused": [None, actor.user.username]})
    return petition


def _move(actor, petition: Petition, name: str, version, *, note: str = "",
          data: dict | None = None, changes: dict | None = None) -> Petition:
    """A workflow move that also ends the escalation of the limit it leaves behind."""
    _not_recused(as_actor(actor), petition)
    changes = dict(changes or {})
    if "current_due" in changes:
        changes["escalated_on"] = None
    with transaction.atomic():
        transition(actor=actor, case=petition, name=name, version=version, note=note,
                   data=data, changes=changes)
        if "current_due" in changes:
            _close_followups(petition, _("The case moved on: %s") % petition.state_label)
    return petition


def petition_assign(*, actor, petition: Petition, version: int,
                    department: Organization, note: str = "") -> Petition:
    """Transfer the petition to the department with authority to handle it (转送/交办)."""
    actor = as_actor(actor)
    require(actor, P.ACCEPT, petition.area)
    _not_recused(actor, petition)
    if petition.state not in ("registered", "accepted"):
        raise ValidationFailed(_("Only a petition not yet replied to can be transferred."))
    if department is None:
        raise ValidationFailed(_("Choose a government department."), field="department")
    _department(department)
    before = petition.department.name if petition.department_id else None
    with transaction.atomic():
        save_versioned(petition, version, values={"department": department})
        record_event(petition, actor=actor, note=_("Transferred to %(d)s. %(note)s")
                     % {"d": department.name, "note": (note or "").strip()[:500]})
        audit.record(actor, AuditEntry.Action.UPDATE, obj=petition,
                     changes={"department": [before, department.name]})
    return petition


def petition_accept(*, actor, petition: Petition, version: int, note: str = "",
                    department: Organization | None = None,
                    today: datetime.date | None = None) -> Petition:
    """Accept the petition (the written notice's text in `note`) and start the 60-day
    handling limit; the handling department is the one assigned or given here."""
    today = _today(today)
    department = _department(department) or petition.department
    if department is None:
        raise ValidationFailed(_("Choose the department that handles the petition."),
                               field="department")
    handle_due = due(today, setting("HANDLE_DAYS"))
    return _move(actor, petition, "accept", version, note=note,
                 data={"re_reviewed": _final_matter(petition)},
                 changes={"accepted_on": today, "decided_on": today, "handle_due": handle_due,
                          "current_due": handle_due, "department": department,
                          "decision_note": (note or "").strip()[:2000]})


def petition_decline(*, actor, petition: Petition, version: int, note: str,
                     today: datetime.date | None = None) -> Petition:
    """Do not accept, with the written notice's reasons (and where to turn instead)."""
    today = _today(today)
    note = _text(note, "note", _("Give the reasons for the written notice."), 2000)
    return _move(actor, petition, "decline", version, note=note,
                 changes={"decided_on": today, "decision_note": note, "current_due": None})


def petition_extend(*, actor, petition: Petition, version: int, days: int, reason: str,
                    today: datetime.date | None = None) -> Petition:
    """Extend the handling limit once, by at most 30 days, with the approval of the
    body's head (the actor, holding `petitions.approve_extension`)."""
    actor = as_actor(actor)
    today = _today(today)
    most = setting("MAX_EXTENSION_DAYS")
    if not isinstance(days, int) or not 1 <= days <= most:
        raise ValidationFailed(_("An extension is 1 to %(n)s days (art. 33).") % {"n": most},
                               field="days")
    reason = _text(reason, "reason", _("Give the reason the petitioner will be told."), 500)
    if petition.handle_due and today > petition.handle_due:
        raise ValidationFailed(_("The limit ended on %(d)s: an extension is approved before "
                                 "it ends.") % {"d": petition.handle_due}, field="days")
    approver = ""
    if actor.is_authenticated:
        approver = getattr(actor.user, "full_name", "") or actor.user.username
    elif actor.system:
        approver = "system"
    handle_due = due(petition.accepted_on, setting("HANDLE_DAYS") + days)
    return _move(actor, petition, "extend", version, note=reason,
                 data={"approved_by": approver, "days": days},
                 changes={"extension_days": days, "extension_reason": reason,
                          "extension_approved_by": approver[:100], "handle_due": handle_due,
                          "current_due": handle_due})


def petition_reply(*, actor, petition: Petition, version: int, reply: str,
                   today: datetime.date | None = None) -> Petition:
    """The handling department's written reply (信访处理意见书). Only its staff reply."""
    actor = as_actor(actor)
    require(actor, P.HANDLE, petition.area)
    require_department(actor, petition.department)
    today = _today(today)
    reply = _text(reply, "reply", _("Write the reply."), setting("MAX_CONTENT_CHARS"))
    return _move(actor, petition, "reply", version, note=reply[:200],
                 changes={"replied_on": today, "reply": reply, "current_due": None})


def _request_window(start: datetime.date, days: int, requested_on: datetime.date,
                    today: datetime.date, article: str) -> None:
    if requested_on > today:
        raise ValidationFailed(_("The date of the request cannot be in the future."),
                               field="requested_on")
    if requested_on < start:
        raise ValidationFailed(_("The request cannot be older than the answer it is about."),
                               field="requested_on")
    last = due(start, days)
    if requested_on > last:
        raise ValidationFailed(
            _("Out of time: the request had to come by %(last)s (%(days)s days from the "
              "written answer, %(article)s).") % {"last": last, "days": days,
                                                  "article": article},
            field="requested_on")


def petition_request_review(*, actor, petition: Petition, version: int,
                            requested_on: datetime.date | None = None, note: str = "",
                            today: datetime.date | None = None) -> Petition:
    """The petitioner asks the level above for a review (复查) within 30 days."""
    today = _today(today)
    requested_on = requested_on or today
    if petition.replied_on is None:
        raise ValidationFailed(_("There is no reply to review yet."))
    _request_window(petition.replied_on, setting("REVIEW_REQUEST_DAYS"), requested_on, today,
                    _("art. 35"))
    review_due = due(requested_on, setting("REVIEW_DECIDE_DAYS"))
    return _move(actor, petition, "request_review", version, note=note,
                 changes={"review_requested_on": requested_on, "review_due": review_due,
                          "current_due": review_due})


def petition_decide_review(*, actor, petition: Petition, version: int, opinion: str,
                           today: datetime.date | None = None) -> Petition:
    today = _today(today)
    opinion = _text(opinion, "opinion", _("Write the review opinion."),
                    setting("MAX_CONTENT_CHARS"))
    return _move(actor, petition, "decide_review", version, note=opinion[:200],
                 changes={"reviewed_on": today, "review_opinion": opinion,
                          "current_due": None})


def petition_request_re_review(*, actor, petition: Petition, version: int,
                               requested_on: datetime.date | None = None, note: str = "",
                               today: datetime.date | None = None) -> Petition:
    """The petitioner asks for a re-review (复核) within 30 days of the review opinion."""
    today = _today(today)
    requested_on = requested_on or today
    if petition.reviewed_on is None:
        raise ValidationFailed(_("There is no review opinion yet."))
    _request_window(petition.reviewed_on, setting("RE_REVIEW_REQUEST_DAYS"), requested_on,
                    today, _("art. 36"))
    re_review_due = due(requested_on, setting("RE_REVIEW_DECIDE_DAYS"))
    return _move(actor, petition, "request_re_review", version, note=note,
                 changes={"re_review_requested_on": requested_on,
                          "re_review_due": re_review_due, "current_due": re_review_due})


def petition_decide_re_review(*, actor, petition: Petition, version: int, opinion: str,
                              today: datetime.date | None = None) -> Petition:
    """The re-review opinion ends the matter: the same facts are not accepted again."""
    today = _today(today)
    opinion = _text(opinion, "opinion", _("Write the re-review opinion."),
                    setting("MAX_CONTENT_CHARS"))
    return _move(actor, petition, "decide_re_review", version, note=opinion[:200],
                 changes={"re_reviewed_on": today, "re_review_opinion": opinion,
                          "current_due": None})


def _window_end(petition: Petition) -> datetime.date | None:
    if petition.state == "replied" and petition.replied_on:
        return due(petition.replied_on, setting("REVIEW_REQUEST_DAYS"))
    if petition.state == "reviewed" and petition.reviewed_on:
        return due(petition.reviewed_on, setting("RE_REVIEW_REQUEST_DAYS"))
    return None


def petition_conclude(*, actor, petition: Petition, version: int, note: str = "",
                      today: datetime.date | None = None) -> Petition:
    """Close a replied (or reviewed) petition: when the petitioner is satisfied, or once
    the time to ask for a (re-)review has passed (the nightly sweep does that)."""
    today = _today(today)
    end = _window_end(petition)
    if (end is not None and today <= end
            and petition.satisfaction not in ("satisfied", "basic")):
        raise ValidationFailed(_("The petitioner may still ask for a review until %(d)s; "
                                 "conclude earlier only when they are satisfied.")
                               % {"d": end}, field="note")
    return _move(actor, petition, "conclude", version, note=note)


RATED_STATES = ("replied", "review", "reviewed", "re_review", "re_reviewed", "concluded")


def _rate(actor, petition: Petition, version, satisfaction: str, today, how: str):
    if satisfaction not in ("satisfied", "basic", "unsatisfied"):
        raise ValidationFailed(_("Choose how satisfied the petitioner is."),
                               field="satisfaction")
    if petition.state not in RATED_STATES:
        raise ValidationFailed(_("A petition is rated after its reply."),
                               field="satisfaction")
    before = petition.satisfaction
    with transaction.atomic():
        save_versioned(petition, version, values={"satisfaction": satisfaction,
                                                  "rated_on": today})
        record_event(petition, actor=actor, note=how, data={"satisfaction": satisfaction})
        audit.record(actor, AuditEntry.Action.UPDATE, obj=petition,
                     changes={"satisfaction": [before, satisfaction]})
    return petition


def petition_rate(*, actor, petition: Petition, version: int, satisfaction: str,
                  today: datetime.date | None = None) -> Petition:
    """Record the petitioner's satisfaction from the return visit (回访)."""
    actor = as_actor(actor)
    require(actor, P.HANDLE, petition.area)
    return _rate(actor, petition, version, satisfaction, _today(today),
                 _("Satisfaction recorded from the return visit"))


def petition_rate_public(*, actor, reference: str, id_number: str, satisfaction: str,
                         today: datetime.date | None = None) -> Petition:
    """The petitioner rates the reply on the portal: reference and ID number must both
    match, and a rating given there is final (a return visit can correct it)."""
    petition = public_petition(reference=reference, id_number=id_number)
    if petition.rated_on is not None:
        raise ValidationFailed(_("You have already rated this reply."), field="satisfaction")
    return _rate(as_actor(actor), petition, None, satisfaction, _today(today),
                 _("Rated by the petitioner online"))


def petition_reveal(*, actor, petition: Petition, field: str) -> str:
    """The petitioner's full ID number or phone: needs `core.reveal_personal`, audited."""
    actor = as_actor(actor)
    require(actor, "core.reveal_personal", petition.area)
    fields = {"id_number": "petitioner_id_number", "phone": "petitioner_phone"}
    if field not in fields:
        raise ValidationFailed(_("This field cannot be revealed"), field="field")
    audit.record(actor, AuditEntry.Action.REVEAL, obj=petition, changes={"field": field})
    return getattr(petition, fields[field])


SWEEP_BATCH = 500


def _batches(ids: list[int]):
    for i in range(0, len(ids), SWEEP_BATCH):
        yield ids[i:i + SWEEP_BATCH]


def petitions_sweep(*, today: datetime.date | None = None) -> dict:
    """The nightly clock sweep, as the platform: conclude replied and reviewed petitions
    whose time to ask for a (re-)review has passed, and escalate every petition whose
    running limit has passed to its department as a follow-up item (casework), once per
    limit. Returns counts."""
    actor = system_actor()
    today = _today(today)
    concluded = escalated = 0
    review_days, re_review_days = (setting("REVIEW_REQUEST_DAYS"),
                                   setting("RE_REVIEW_REQUEST_DAYS"))
    # the request windows end at most this many calendar days after the answer (working
    # days are longer than calendar days, so the cut-off is conservative there)
    ripe = Petition.objects.filter(
        Q(state="replied", replied_on__lt=today - datetime.timedelta(days=review_days))
        | Q(state="reviewed", reviewed_on__lt=today - datetime.timedelta(days=re_review_days)))
    ripe_ids = list(ripe.values_list("id", flat=True))
    for batch in _batches(ripe_ids):
        # one transaction per batch: a commit per case would dominate the night's time
        with transaction.atomic():
            for petition in Petition.objects.filter(pk__in=batch).select_related("area"):
                end = _window_end(petition)
                if end is None or today <= end:
                    continue
                try:
                    transition(actor=actor, case=petition, name="conclude",
                               version=petition.version,
                               note=_("No review requested within the time limit"))
                except StaleVersion:  # someone acted on it meanwhile: their move stands
                    continue
                concluded += 1
    office = Organization.objects.filter(department_code=setting("DEPARTMENT_CODE")).first()
    overdue_ids = list(Petition.objects.filter(
        state__in=AGENCY_CLOCK_STATES, current_due__lt=today, escalated_on__isnull=True)
        .values_list("id", flat=True))
    for batch in _batches(overdue_ids):
        with transaction.atomic():
            for petition in Petition.objects.filter(pk__in=batch).select_related(
                    "area", "department"):
                followups.followup_open(
                    actor=actor, kind=FOLLOWUP_KIND, area=petition.area,
                    department=petition.department or office, source_type=SOURCE_TYPE,
                    source_id=petition.pk, due_date=today,
                    title=_("Petition %(ref)s overdue: %(state)s since %(due)s")
                    % {"ref": petition.reference, "state": petition.state_label,
                       "due": petition.current_due})
                audit.record(actor, AuditEntry.Action.UPDATE, obj=petition,
                             changes={"escalated_on": [None, today.isoformat()]})
            escalated += Petition.objects.filter(pk__in=batch, escalated_on__isnull=True
                                                 ).update(escalated_on=today)
    return {"concluded": concluded, "escalated": escalated}
