"""Employment pages. Thin: read through selectors, write through services."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minsheng.core import audit
from minsheng.core.access import require
from minsheng.core.errors import Conflict, ValidationFailed
from minsheng.core.identifiers import clean_uscc, mask
from minsheng.core.models import AuditEntry
from minsheng.core.pages import actor, paginate, query_without_page
from minsheng.core.spreadsheets import write_xlsx
from minsheng.employment import (
    early_warning,
    forms,
    matchdata,
    occupations,
    public,
    selectors,
    services,
)
from minsheng.employment.config import setting
from minsheng.employment.models import (
    Contact,
    Education,
    Employment,
    JobPosting,
    JobSeeker,
    Shift,
    UnemploymentRegistration,
    UnemploymentWarning,
)
from minsheng.employment.permissions import EXPORT, MANAGE, REPORT, REVIEW, WARNINGS


def _date(value: str, field: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat((value or "").strip())
    except ValueError:
        raise ValidationFailed(_("Enter a date as YYYY-MM-DD"), field=field) from None


def _int(value, field: str, default: int = 0) -> int:
    try:
        return int(value) if value is not None and str(value).strip() else default
    except ValueError:
        raise ValidationFailed(_("Enter a whole number"), field=field) from None


def _done(request, url: str):
    """After a successful form: htmx follows HX-Redirect, a plain form a redirect."""
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


@login_required
def seeker_list(request):
    a = actor(request)
    difficulty = {"1": True, "0": False}.get(request.GET.get("difficulty", ""))
    qs = selectors.seeker_list(a, q=request.GET.get("q", "")[:60],
                               status=request.GET.get("status", "")[:20], difficulty=difficulty)
    page = paginate(request, qs)
    for s in page:
        s.id_masked = mask(s.person.id_number)
        s.contact_overdue = services.contact_overdue(s)
    return render(request, "employment/seeker_list.html", {
        "page": page, "query": query_without_page(request),
        "statuses": JobSeeker.Status.choices, "can_export": a.has(EXPORT)})


@login_required
def seeker_detail(request, pk: int):
    a = actor(request)
    seeker = selectors.seeker_get(a, pk=pk)
    recs = list(selectors.seeker_recommendations(seeker))
    if not recs and a.covers(MANAGE, seeker.area) and seeker.status in matchdata.ACTIVE_STATUSES:
        _refresh(a, seeker)
        recs = list(selectors.seeker_recommendations(seeker))
    return render(request, "employment/seeker_detail.html", {
        "seeker": seeker, "id_masked": mask(seeker.person.id_number),
        "occupations": [(c, occupations.name(c)) for c in seeker.occupation_codes],
        "key_groups": [forms.key_group_label(g) for g in seeker.key_groups],
        "recommendations": recs, "registrations": selectors.seeker_registrations(seeker),
        "contacts": selectors.seeker_contacts(seeker)[:20],
        "placements": selectors.seeker_placements(seeker)[:20],
        "trainings": selectors.seeker_trainings(seeker)[:20],
        "contact_overdue": services.contact_overdue(seeker),
        "contact_due": _contact_due(seeker),
        "min_contact_days": setting("DIFFICULTY_MIN_CONTACT_DAYS"),
        "can_manage": a.covers(MANAGE, seeker.area), "channels": Contact.Channel.choices,
        "education": dict(Education.choices).get(seeker.education),
        "today": timezone.localdate(), **_registration_context(seeker)})


def _contact_due(seeker) -> datetime.date | None:
    """The minimum-contact rule: the date by which a difficulty person must be contacted."""
    if not seeker.difficulty or seeker.status in ("employed", "inactive"):
        return None
    last = seeker.last_contact_on or seeker.created_at.date()
    return last + datetime.timedelta(days=setting("DIFFICULTY_MIN_CONTACT_DAYS"))


def _registration_context(seeker) -> dict:
    reg = selectors.open_registration(seeker)
    paying = reg is not None and any(b.state == "paying" for b in reg.benefits.all())
    return {"open_registration": reg,
            "assessment": services.benefit_assess(reg) if reg and not paying else None,
            "benefit_paying": paying,
            "close_reasons": UnemploymentRegistration.CloseReason.choices,
            "separation_reasons": Employment.EndReason.choices,
            "posting_choices": selectors.seeker_posting_choices(seeker)[:50]}


def _refresh(a, seeker):
    rows = matchdata.recommend(seeker, top=10)
    services.recommendations_store(actor=a, seeker_ids=[seeker.pk] * len(rows),
                                   posting_ids=[r["posting_id"] for r in rows],
                                   scores=[r["score"] for r in rows],
                                   reasons=[r["reasons"] for r in rows],
                                   period=timezone.localdate().replace(day=1))


@login_required
@require_POST
def seeker_refresh(request, pk: int):
    a = actor(request)
    seeker = selectors.seeker_get(a, pk=pk)
    require(a, MANAGE, seeker.area)
    _refresh(a, seeker)
    return redirect("employment:seeker", pk=pk)


@login_required
@require_POST
def seeker_override(request, pk: int):
    a = actor(request)
    seeker = selectors.seeker_get(a, pk=pk)
    posting = selectors.posting_get(a, pk=_int(request.POST.get("posting"), "posting"))
    services.recommendation_override(actor=a, seeker=seeker, posting=posting,
                                     action=request.POST.get("action", ""),
                                     note=request.POST.get("note", ""))
    return redirect("employment:seeker", pk=pk)


@login_required
@require_POST
def seeker_contact(request, pk: int):
    a = actor(request)
    seeker = selectors.seeker_get(a, pk=pk)
    services.contact_record(actor=a, seeker=seeker,
                            contacted_on=_date(request.POST.get("contacted_on"), "contacted_on"),
                            channel=request.POST.get("channel", ""),
                            note=request.POST.get("note", ""),
                            outcome=request.POST.get("outcome", ""))
    messages.success(request, _("Contact recorded."))
    return _done(request, reverse("employment:seeker", args=[pk]))


@login_required
@require_POST
def seeker_plan(request, pk: int):
    a = actor(request)
    seeker = selectors.seeker_get(a, pk=pk)
    services.seeker_plan_update(actor=a, seeker=seeker, plan=request.POST.get("plan", ""),
                                version=_int(request.POST.get("version"), "version"))
    return redirect("employment:seeker", pk=pk)


@login_required
def seeker_export(request):
    a = actor(request)
    require(a, EXPORT)
    qs = selectors.seeker_list(a, status=request.GET.get("status", "")[:20])[:100_000]
    header = [_("Name"), _("Resident ID number"), _("Area"), _("Status"), _("Education"),
              _("Wanted occupations"), _("Skills"), _("Key groups")]
    rows = ([s.person.name, mask(s.person.id_number), s.area.name, s.get_status_display(),
             s.get_education_display(),
             "、".join(occupations.name(c) for c in s.occupation_codes), "、".join(s.skills),
             "、".join(forms.key_group_label(g) for g in s.key_groups)]
            for s in qs.iterator(chunk_size=2000))
    return _xlsx(a, "seekers.xlsx", _("Job seekers"), header, rows, "employment.jobseeker")


def _xlsx(a, filename, title, header, rows, object_type):
    response = HttpResponse(
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    write_xlsx(response, [(title, header, rows)])
    audit.record(a, AuditEntry.Action.EXPORT, object_type=object_type, object_repr=filename)
    return response


@login_required
def posting_list(request):
    a = actor(request)
    qs = selectors.posting_list(a, q=request.GET.get("q", "")[:60],
                                state=request.GET.get("state", "")[:10],
                                employer_id=_int(request.GET.get("employer", ""), "employer")
                                or None)
    return render(request, "employment/posting_list.html", {
        "page": paginate(request, qs), "query": query_without_page(request),
        "states": JobPosting.State.choices, "can_export": a.has(EXPORT),
        "can_review": a.has(REVIEW)})


@login_required
def posting_detail(request, pk: int):
    a = actor(request)
    posting = selectors.posting_get(a, pk=pk)
    return render(request, "employment/posting_detail.html", {
        "posting": posting, "occupation": occupations.name(posting.occupation_code),
        "flags": forms.flag_labels(posting.fraud_flags),
        "can_review": a.covers(REVIEW, posting.area) and posting.state == "pending",
        "can_edit": a.covers(MANAGE, posting.area) and posting.state != "closed",
        "recommended": posting.recommendations.exclude(status="hidden").select_related(
            "seeker__person")[:50]})


@login_required
def posting_export(request):
    a = actor(request)
    require(a, EXPORT)
    qs = selectors.posting_list(a, state=request.GET.get("state", "")[:10])[:100_000]
    header = [_("Title"), _("Employer"), _("Occupation code"), _("Occupation"), _("Area"),
              _("Salary from"), _("Salary to"), _("Openings"), _("State"), _("Valid until"),
              _("Fraud flags")]
    rows = ([p.title, p.employer.name, p.occupation_code, occupations.name(p.occupation_code),
             p.area.name, p.salary_min, p.salary_max, p.openings, p.get_state_display(),
             p.valid_until, "、".join(p.fraud_flags)] for p in qs.iterator(chunk_size=2000))
    return _xlsx(a, "postings.xlsx", _("Job postings"), header, rows, "employment.jobposting")


@login_required
def review_queue(request):
    a = actor(request)
    return render(request, "employment/review_queue.html",
                  {"page": paginate(request, selectors.review_queue(a))})


@login_required
@require_POST
def posting_review(request, pk: int):
    a = actor(request)
    posting = selectors.posting_get(a, pk=pk)
    services.posting_review(actor=a, posting=posting,
                            approve=request.POST.get("decision") == "approve",
                            note=request.POST.get("note", ""),
                            version=_int(request.POST.get("version"), "version"))
    return redirect("employment:review")


@login_required
def warning_list(request):
    a = actor(request)
    qs = selectors.warning_list(a, kind=request.GET.get("kind", "")[:10])
    page = paginate(request, qs)
    items = selectors.warning_followups(page)
    for w in page:
        w.followup = items.get(w.followup_id)
    today = timezone.localdate()
    rates = [r for r in early_warning.unemployment_rates(
        (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1), today)
        if r[0].level == "subdistrict" or r[0].parent_id is None]
    return render(request, "employment/warnings.html", {
        "page": page, "query": query_without_page(request),
        "kinds": UnemploymentWarning.Kind.choices, "can_export": a.has(EXPORT),
        "rates": [(area, month, u, e, rate, early_warning.rate_band(rate))
                  for area, month, u, e, rate in rates if month == rates[-1][1]]
        if rates else []})


@login_required
def warning_export(request):
    a = actor(request)
    require(a, EXPORT)
    qs = selectors.warning_list(a)[:100_000]
    header = [_("Month"), _("Kind"), _("Level"), _("Area"), _("Title")]
    rows = ([w.month, w.get_kind_display(), w.level, w.area.name, w.title]
            for w in qs.iterator(chunk_size=2000))
    return _xlsx(a, "warnings.xlsx", _("Unemployment warnings"), header, rows,
                 "employment.unemploymentwarning")


# --- staff forms: seekers -------------------------------------------------------------

def _seeker_form_context(seeker=None, **extra) -> dict:
    return {"seeker": seeker, "statuses": JobSeeker.Status.choices,
            "education": Education.choices, "shifts": Shift.choices,
            "key_groups": forms.key_group_choices(),
            "occupation_choices": forms.occupation_choices(),
            "areas": selectors.area_choices(), **extra}


@login_required
def seeker_new(request):
    """Register a job seeker: the person is found by resident ID number within scope."""
    a = actor(request)
    require(a, MANAGE)
    if request.method == "POST":
        person = selectors.person_for_registration(a, id_number=request.POST.get("id_number", ""))
        existing = selectors.seeker_of_person(person)
        if existing is not None:
            raise Conflict(_("This person is already registered as a job seeker"))
        seeker = services.seeker_create(
            actor=a, person=person, **forms.seeker_args(request.POST),
            acceptable_areas=selectors.areas_by_codes(request.POST.getlist("areas")))
        messages.success(request, _("Job seeker registered."))
        return _done(request, reverse("employment:seeker", args=[seeker.pk]))
    return render(request, "employment/seeker_form.html", _seeker_form_context(
        None, codes=[""] * forms.OCCUPATION_INPUTS, area_codes=[]))


@login_required
def seeker_lookup(request):
    """htmx: who has this ID number (name masked ID, area; or the existing seeker)."""
    a = actor(request)
    require(a, MANAGE)
    person = selectors.person_for_registration(a, id_number=request.GET.get("id_number", ""))
    return render(request, "employment/partials/person_found.html", {
        "person": person, "id_masked": mask(person.id_number),
        "existing": selectors.seeker_of_person(person)})


@login_required
def seeker_edit(request, pk: int):
    a = actor(request)
    seeker = selectors.seeker_get(a, pk=pk)
    require(a, MANAGE, seeker.area)
    if request.method == "POST":
        services.seeker_update(
            actor=a, seeker=seeker, version=_int(request.POST.get("version"), "version"),
            **forms.seeker_args(request.POST),
            acceptable_areas=selectors.areas_by_codes(request.POST.getlist("areas")))
        messages.success(request, _("Job seeker profile saved."))
        return _done(request, reverse("employment:seeker", args=[pk]))
    codes = (list(seeker.occupation_codes) + ["", "", ""])[:forms.OCCUPATION_INPUTS]
    return render(request, "employment/seeker_form.html", _seeker_form_context(
        seeker, id_masked=mask(seeker.person.id_number),
        codes=[f"{c} {occupations.name(c)}" if c else "" for c in codes],
        area_codes=selectors.seeker_area_codes(seeker)))


@login_required
@require_POST
def seeker_register(request, pk: int):
    a = actor(request)
    seeker = selectors.seeker_get(a, pk=pk)
    services.registration_open(
        actor=a, seeker=seeker,
        registered_on=_date(request.POST.get("registered_on"), "registered_on"),
        separation_reason=request.POST.get("separation_reason", "")[:20],
        contribution_years=request.POST.get("contribution_years", "").strip() or "0")
    messages.success(request, _("Unemployment registration recorded."))
    return _done(request, reverse("employment:seeker", args=[pk]))


@login_required
@require_POST
def seeker_register_close(request, pk: int, registration: int):
    a = actor(request)
    seeker = selectors.seeker_get(a, pk=pk)
    reg = selectors.registration_get(seeker, pk=registration)
    services.registration_close(
        actor=a, registration=reg,
        closed_on=_date(request.POST.get("closed_on"), "closed_on"),
        reason=request.POST.get("reason", ""))
    messages.success(request, _("Unemployment registration closed."))
    return _done(request, reverse("employment:seeker", args=[pk]))


@login_required
@require_POST
def seeker_benefit(request, pk: int, registration: int):
    a = actor(request)
    seeker = selectors.seeker_get(a, pk=pk)
    reg = selectors.registration_get(seeker, pk=registration)
    result = services.benefit_assess(reg)
    if not result["eligible"]:
        raise ValidationFailed(_("Not eligible for unemployment benefit: %(why)s")
                               % {"why": "；".join(result["problems"])})
    claim = services.benefit_grant(
        actor=a, registration=reg,
        start_date=_date(request.POST.get("start_date"), "start_date"))
    messages.success(request, _("Benefit granted: %(amount)s yuan a month for %(months)s "
                                "months.") % {"amount": claim.monthly_amount,
                                              "months": claim.months})
    return _done(request, reverse("employment:seeker", args=[pk]))


@login_required
@require_POST
def seeker_placement(request, pk: int):
    a = actor(request)
    seeker = selectors.seeker_get(a, pk=pk)
    posting = None
    posting_id = _int(request.POST.get("posting"), "posting")
    if posting_id:
        posting = selectors.posting_get(a, pk=posting_id)
        employer = posting.employer
    else:
        code = request.POST.get("employer_uscc", "").strip()
        if not code:
            raise ValidationFailed(_("Choose the post or give the employer's credit code"),
                                   field="employer_uscc")
        employer = selectors.employer_by_credit_code(clean_uscc(code, field="employer_uscc"))
        if employer is None:
            raise ValidationFailed(_("No employer with this credit code is registered"),
                                   field="employer_uscc")
    services.placement_record(
        actor=a, seeker=seeker, employer=employer, posting=posting,
        placed_on=_date(request.POST.get("placed_on"), "placed_on"),
        insured=request.POST.get("insured") == "on")
    messages.success(request, _("Placement recorded."))
    return _done(request, reverse("employment:seeker", args=[pk]))


@login_required
@require_POST
def seeker_training(request, pk: int):
    a = actor(request)
    seeker = selectors.seeker_get(a, pk=pk)
    end = request.POST.get("end_date", "").strip()
    services.training_enrol(
        actor=a, seeker=seeker, course=request.POST.get("course", ""),
        provider=request.POST.get("provider", ""),
        start_date=_date(request.POST.get("start_date"), "start_date"),
        end_date=_date(end, "end_date") if end else None)
    messages.success(request, _("Training enrolment recorded."))
    return _done(request, reverse("employment:seeker", args=[pk]))


# --- staff forms: postings and employers -----------------------------------------------

def _posting_form_context(employer, posting=None) -> dict:
    today = timezone.localdate()
    return {"employer": employer, "posting": posting, "shifts": Shift.choices,
            "flags": forms.flag_labels(posting.fraud_flags if posting else []),
            "education": Education.choices,
            "occupation_choices": forms.occupation_choices(),
            "occupation_value": (f"{posting.occupation_code} "
                                 f"{occupations.name(posting.occupation_code)}"
                                 if posting else ""),
            "default_until": today + datetime.timedelta(days=60),
            "max_days": setting("POSTING_MAX_VALID_DAYS"), "today": today}


@login_required
def posting_new(request, employer: int):
    a = actor(request)
    org = selectors.employer_for_posting(a, pk=employer)
    if request.method == "POST":
        posting = services.posting_create(actor=a, employer=org,
                                          **forms.posting_args(request.POST))
        messages.success(request, _("Job posting saved; it waits for review."))
        return _done(request, reverse("employment:posting", args=[posting.pk]))
    return render(request, "employment/posting_form.html", _posting_form_context(org))


@login_required
def posting_edit(request, pk: int):
    a = actor(request)
    posting = selectors.posting_get(a, pk=pk)
    require(a, MANAGE, posting.area)
    if request.method == "POST":
        services.posting_update(actor=a, posting=posting,
                                version=_int(request.POST.get("version"), "version"),
                                **forms.posting_args(request.POST))
        messages.success(request, _("Job posting saved; it waits for review."))
        return _done(request, reverse("employment:posting", args=[pk]))
    return render(request, "employment/posting_form.html",
                  _posting_form_context(posting.employer, posting))


@login_required
def employer_list(request):
    a = actor(request)
    qs = selectors.employer_list(a, q=request.GET.get("q", "")[:60])
    return render(request, "employment/employer_list.html", {
        "page": paginate(request, qs), "query": query_without_page(request)})


@login_required
def employer_detail(request, pk: int):
    a = actor(request)
    org = selectors.employer_get(a, pk=pk)
    can_warnings = a.covers(WARNINGS, org.area)
    reports = (list(selectors.headcount_list(a, enterprise_id=org.pk)[:24])
               if can_warnings or a.covers(REPORT, org.area) else [])
    return render(request, "employment/employer_detail.html", {
        "employer": org,
        "postings": (selectors.posting_list(a, employer_id=org.pk)
                     .order_by("-created_at", "id")[:50] if a.has("employment.view") else []),
        "reports": reports,
        "warnings": selectors.warning_list(a, enterprise_id=org.pk)[:20] if can_warnings else [],
        "can_post": a.covers(MANAGE, org.area),
        "can_report": a.covers(REPORT, org.area) and org.kind == "enterprise"})


@login_required
def employer_headcount(request, pk: int):
    """Monthly headcount report of a monitored enterprise (失业动态监测)."""
    a = actor(request)
    org = selectors.employer_get(a, pk=pk)
    require(a, REPORT, org.area)
    if request.method == "POST":
        report = services.headcount_report_submit(actor=a, enterprise=org,
                                                  **forms.headcount_args(request.POST))
        messages.success(request, _("Headcount report for %(month)s saved.")
                         % {"month": report.month.strftime("%Y-%m")})
        return _done(request, reverse("employment:employer", args=[pk]))
    last = selectors.headcount_list(a, enterprise_id=org.pk).first() \
        if a.covers(WARNINGS, org.area) else None
    this_month = timezone.localdate().replace(day=1)
    month = (this_month - datetime.timedelta(days=1)).replace(day=1)  # reports come after
    if last is not None:  # the month after the last report, if it has begun
        month = min(this_month, (last.month + datetime.timedelta(days=32)).replace(day=1))
    return render(request, "employment/headcount_form.html", {
        "employer": org, "last": last, "month": month.strftime("%Y-%m"),
        "baseline": (last.baseline + last.additions - last.reductions) if last else ""})


# --- public pages (no login) -----------------------------------------------------------

def public_search(request):
    public.hit(f"search:{public.client_ip(request)}",
               setting("PUBLIC_SEARCH_PER_IP_PER_MINUTE"), 60)
    qs = selectors.public_postings(q=request.GET.get("q", "")[:40],
                                   occupation=request.GET.get("occupation", "")[:10])
    return render(request, "employment/public_search.html", {
        "page": paginate(request, qs, 20), "query": query_without_page(request)})


def public_posting(request, pk: int):
    posting = selectors.public_posting_get(pk)
    return render(request, "employment/public_posting.html", {
        "posting": posting, "occupation": occupations.name(posting.occupation_code)})


def public_submit(request):
    context = {"token": public.form_token(), "shifts": Shift.choices,
               "education": Education.choices,
               "occupations": sorted(occupations.occupations().items())}
    if request.method == "POST":
        ip = public.client_ip(request)
        public.hit(f"submit:{ip}", setting("PUBLIC_SUBMIT_PER_IP_PER_HOUR"), 3600)
        public.check_form(request.POST.get("token", ""), request.POST.get("website", ""))
        code = clean_uscc(request.POST.get("uscc", ""))
        public.hit(f"employer:{code}", setting("PUBLIC_SUBMIT_PER_EMPLOYER_PER_DAY"), 86400)
        employer = selectors.public_employer_by_credit_code(code)
        if employer is None:
            raise ValidationFailed(_("This employer is not registered; please register at "
                                     "the public employment service centre first."),
                                   field="uscc")
        services.posting_create(
            actor=request.user, employer=employer, public=True,
            occupation_code=request.POST.get("occupation_code", ""),
            title=request.POST.get("title", ""), description=request.POST.get("description", ""),
            requirements=request.POST.get("requirements", ""),
            salary_min=_int(request.POST.get("salary_min"), "salary_min"),
            salary_max=_int(request.POST.get("salary_max"), "salary_max"),
            openings=_int(request.POST.get("openings"), "openings", 1),
            shift=request.POST.get("shift", "day"),
            education_min=_int(request.POST.get("education_min"), "education_min"),
            valid_until=_date(request.POST.get("valid_until"), "valid_until"),
            contact_phone=request.POST.get("contact_phone", "")[:20])
        return render(request, "employment/public_submitted.html")
    return render(request, "employment/public_submit.html", context)
