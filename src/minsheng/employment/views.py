"""Employment pages. Thin: read through selectors, write through services."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minsheng.core import audit
from minsheng.core.access import require
from minsheng.core.errors import ValidationFailed
from minsheng.core.identifiers import clean_uscc, mask
from minsheng.core.models import AuditEntry
from minsheng.core.pages import actor, paginate, query_without_page
from minsheng.core.spreadsheets import write_xlsx
from minsheng.employment import (
    early_warning,
    matchdata,
    occupations,
    public,
    selectors,
    services,
)
from minsheng.employment.config import setting
from minsheng.employment.models import (
    KEY_GROUPS,
    Contact,
    Education,
    JobPosting,
    JobSeeker,
    Shift,
    UnemploymentWarning,
)
from minsheng.employment.permissions import EXPORT, MANAGE, REVIEW


def _date(value: str, field: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat((value or "").strip())
    except ValueError:
        raise ValidationFailed(_("Enter a date as YYYY-MM-DD"), field=field) from None


def _int(value, field: str, default: int = 0) -> int:
    try:
        return int(value) if str(value).strip() else default
    except ValueError:
        raise ValidationFailed(_("Enter a whole number"), field=field) from None


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
        "key_groups": [KEY_GROUPS.get(g, g) for g in seeker.key_groups],
        "recommendations": recs, "registrations": selectors.seeker_registrations(seeker),
        "contacts": seeker.contacts.all()[:20], "placements": seeker.placements.all()[:20],
        "trainings": seeker.trainings.all()[:20],
        "contact_overdue": services.contact_overdue(seeker),
        "min_contact_days": setting("DIFFICULTY_MIN_CONTACT_DAYS"),
        "can_manage": a.covers(MANAGE, seeker.area), "channels": Contact.Channel.choices,
        "education": dict(Education.choices).get(seeker.education),
        "today": timezone.localdate()})


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
    return redirect("employment:seeker", pk=pk)


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
             "、".join(str(KEY_GROUPS.get(g, g)) for g in s.key_groups)]
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
        "can_review": a.covers(REVIEW, posting.area) and posting.state == "pending",
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
