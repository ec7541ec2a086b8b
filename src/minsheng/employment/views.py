"""Employment pages. Thin: parse with a form, read through selectors, write through
services (`core.pages.submit` shows a refusal in place with the input kept)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minsheng.core.errors import Conflict, NotFound, ValidationFailed
from minsheng.core.identifiers import clean_uscc, mask
from minsheng.core.pages import actor, attach_error, done, refused, submit
from minsheng.core.pagination import paginate, query_without_page
from minsheng.core.spreadsheets import write_xlsx
from minsheng.employment import forms, matchdata, occupations, public, selectors, services
from minsheng.employment.config import setting
from minsheng.employment.models import JobPosting, JobSeeker, UnemploymentWarning
from minsheng.employment.permissions import EXPORT, MANAGE, REPORT, REVIEW, WARNINGS


class _Later(Mapping):
    """A page context built only when a refused form has to show the page again."""

    def __init__(self, build: Callable[[], dict]):
        self._build, self._data = build, None

    def _get(self) -> dict:
        if self._data is None:
            self._data = self._build()
        return self._data

    def __getitem__(self, key):
        return self._get()[key]

    def __iter__(self):
        return iter(self._get())

    def __len__(self):
        return len(self._get())


def _paged(request, queryset, per_page: int, param: str):
    """A page of one of several lists on a page, with its own page parameter."""
    page = paginate(request, queryset, per_page, param=param)
    page.param, page.query = param, query_without_page(request, param)
    return page


# --- job seekers -----------------------------------------------------------------------

@login_required
def seeker_list(request):
    a = actor(request)
    f = forms.SeekerFilterForm(request.GET)
    qs = selectors.seeker_list(a, q=f.value("q", ""), status=f.value("status", ""),
                               difficulty=f.difficulty_flag())
    page = paginate(request, qs)
    for s in page:
        s.id_masked = mask(s.person.id_number)
        s.contact_overdue = services.contact_overdue(s)
        s.occupation_names = [occupations.name(c) for c in s.occupation_codes]
    return render(request, "employment/seeker_list.html", {
        "page": page, "query": query_without_page(request),
        "statuses": JobSeeker.Status.choices, "can_export": a.has(EXPORT),
        "can_manage": a.has(MANAGE)})


def _seeker_context(request, a, seeker, **bound) -> dict:
    reg = selectors.open_registration(a, seeker)
    paying = selectors.paying_benefit(a, seeker)
    context = {
        "seeker": seeker, "id_masked": mask(seeker.person.id_number),
        "occupations": [(c, occupations.name(c)) for c in seeker.occupation_codes],
        "key_groups": [forms.key_group_label(g) for g in seeker.key_groups],
        "recommendations": selectors.seeker_recommendations(a, seeker),
        "match": selectors.seeker_match_summary(a, seeker),
        "confirm_form": forms.OccupationConfirmForm(
            initial={"version": seeker.version,
                     "codes": list(seeker.occupation_codes)},
            suggestions=seeker.occupation_suggestions),
        "registrations": selectors.seeker_registrations(a, seeker),
        "history": selectors.seeker_history(a, seeker),
        "contacts": _paged(request, selectors.seeker_contacts(a, seeker), 20, "contacts"),
        "placements": _paged(request, selectors.seeker_placements(a, seeker), 20,
                             "placements"),
        "trainings": _paged(request, selectors.seeker_trainings(a, seeker), 20, "trainings"),
        "contact_overdue": services.contact_overdue(seeker),
        "contact_due": services.contact_due(seeker),
        "min_contact_days": setting("DIFFICULTY_MIN_CONTACT_DAYS"),
        "can_manage": a.covers(MANAGE, seeker.area),
        "education": seeker.get_education_display(),
        "today": timezone.localdate(),
        "open_registration": reg, "paying": paying,
        "assessment": services.benefit_assess(reg) if reg and not paying else None,
        "posting_choices": selectors.seeker_posting_choices(a, seeker),
        "plan_form": forms.PlanForm(initial={"plan": seeker.plan,
                                             "version": seeker.version}),
        "contact_form": forms.ContactForm(),
        "override_form": None,
        "override_choices": forms.OverrideForm.base_fields["action"].choices,
        "register_form": forms.RegistrationForm(),
        "close_form": forms.RegistrationCloseForm(
            initial={"version": reg.version if reg else None}),
        "benefit_form": forms.BenefitForm(),
        "stop_form": forms.BenefitStopForm(
            initial={"version": paying.version if paying else None}),
        "placement_form": forms.PlacementForm(),
        "training_form": forms.TrainingForm(),
    }
    context.update(bound)
    return context


@login_required
def seeker_detail(request, pk: int):
    a = actor(request)
    seeker = selectors.seeker_get(a, pk=pk)
    if (a.covers(MANAGE, seeker.area) and seeker.status in matchdata.ACTIVE_STATUSES
            and not selectors.seeker_recommendations(a, seeker).exists()):
        services.recommendations_refresh(actor=a, seeker=seeker)  # first visit: compute
    return render(request, "employment/seeker_detail.html", _seeker_context(request, a, seeker))


def _seeker_form(request, pk: int, form_class, name: str, action, message: str | None = None):
    """The POST of one of the forms on the seeker page: refused, the page is shown again
    with this form (its context name `name`) bound to what was typed."""
    a = actor(request)
    seeker = selectors.seeker_for_manage(a, pk=pk)
    form = form_class(request.POST)
    return submit(request, form, lambda data: action(a, seeker, data, form),
                  success_url=reverse("employment:seeker", args=[seeker.pk]),
                  template="employment/seeker_detail.html", message=message,
                  context=_Later(lambda: _seeker_context(request, a, seeker, **{name: form})))


@login_required
@require_POST
def seeker_refresh(request, pk: int):
    a = actor(request)
    seeker = selectors.seeker_for_manage(a, pk=pk)
    services.recommendations_refresh(actor=a, seeker=seeker)
    return done(request, reverse("employment:seeker", args=[pk]) + "#recommendations",
                _("Recommendations recomputed."))


@login_required
@require_POST
def seeker_occupations(request, pk: int):
    """The caseworker confirms the occupations suggested from the seeker's words."""
    a = actor(request)
    seeker = selectors.seeker_for_manage(a, pk=pk)
    form = forms.OccupationConfirmForm(request.POST,
                                       suggestions=seeker.occupation_suggestions)
    return submit(request, form, lambda data: services.seeker_occupations_confirm(
        actor=a, seeker=seeker, **form.service_args()),
        success_url=reverse("employment:seeker", args=[seeker.pk]) + "#occupations",
        template="employment/seeker_detail.html", message=_("Occupations confirmed."),
        context=_Later(lambda: _seeker_context(request, a, seeker, confirm_form=form)))


@login_required
@require_POST
def seeker_override(request, pk: int):
    def action(a, seeker, data, form):
        posting = selectors.posting_get(a, pk=data["posting"])
        return services.recommendation_override(actor=a, seeker=seeker, posting=posting,
                                                action=data["action"], note=data["note"])
    return _seeker_form(request, pk, forms.OverrideForm, "override_form", action,
                        _("Caseworker decision recorded."))


@login_required
@require_POST
def seeker_contact(request, pk: int):
    return _seeker_form(request, pk, forms.ContactForm, "contact_form",
                        lambda a, seeker, data, form: services.contact_record(
                            actor=a, seeker=seeker, **data), _("Contact recorded."))


@login_required
@require_POST
def seeker_plan(request, pk: int):
    return _seeker_form(request, pk, forms.PlanForm, "plan_form",
                        lambda a, seeker, data, form: services.seeker_plan_update(
                            actor=a, seeker=seeker, **data),
                        _("Personal employment plan saved."))


@login_required
@require_POST
def seeker_register(request, pk: int):
    return _seeker_form(request, pk, forms.RegistrationForm, "register_form",
                        lambda a, seeker, data, form: services.registration_open(
                            actor=a, seeker=seeker, **form.service_args()),
                        _("Unemployment registration recorded."))


@login_required
@require_POST
def seeker_register_close(request, pk: int, registration: int):
    def action(a, seeker, data, form):
        reg = selectors.registration_get(a, seeker, pk=registration)
        return services.registration_close(actor=a, registration=reg, **data)
    return _seeker_form(request, pk, forms.RegistrationCloseForm, "close_form", action,
                        _("Unemployment registration closed."))


@login_required
@require_POST
def seeker_benefit(request, pk: int, registration: int):
    def action(a, seeker, data, form):
        reg = selectors.registration_get(a, seeker, pk=registration)
        claim = services.benefit_grant(actor=a, registration=reg, **data)
        messages.success(request, _("Benefit granted: %(amount)s yuan a month for %(months)s "
                                    "months.") % {"amount": claim.monthly_amount,
                                                  "months": claim.months})
        return claim
    return _seeker_form(request, pk, forms.BenefitForm, "benefit_form", action)


@login_required
@require_POST
def seeker_benefit_stop(request, pk: int, benefit: int):
    def action(a, seeker, data, form):
        claim = selectors.benefit_get(a, seeker, pk=benefit)
        return services.benefit_stop(actor=a, claim=claim, **data)
    return _seeker_form(request, pk, forms.BenefitStopForm, "stop_form", action,
                        _("Unemployment benefit stopped."))


@login_required
@require_POST
def seeker_placement(request, pk: int):
    def action(a, seeker, data, form):
        posting = None
        if data["posting"]:
            posting = selectors.posting_get(a, pk=data["posting"])
            employer = posting.employer
        else:
            code = (data["employer_uscc"] or "").strip()
            if not code:
                raise ValidationFailed(_("Choose the post or give the employer's credit code"),
                                       field="employer_uscc")
            employer = selectors.employer_by_credit_code(
                a, clean_uscc(code, field="employer_uscc"))
            if employer is None:
                raise ValidationFailed(_("No employer with this credit code is registered"),
                                       field="employer_uscc")
        return services.placement_record(actor=a, seeker=seeker, employer=employer,
                                         posting=posting, placed_on=data["placed_on"],
                                         insured=data["insured"])
    return _seeker_form(request, pk, forms.PlacementForm, "placement_form", action,
                        _("Placement recorded."))


@login_required
@require_POST
def seeker_training(request, pk: int):
    return _seeker_form(request, pk, forms.TrainingForm, "training_form",
                        lambda a, seeker, data, form: services.training_enrol(
                            actor=a, seeker=seeker, **data),
                        _("Training enrolment recorded."))


@login_required
@require_POST
def placements_confirm(request):
    """Registered unemployed people found insured by a new employer become placements."""
    a = actor(request)
    n = services.placements_confirm_from_insurance(actor=a)
    return done(request, reverse("employment:seekers"),
                _("%(n)s placement(s) confirmed from social insurance records.") % {"n": n})


def _xlsx(filename, title, header, rows):
    response = HttpResponse(
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    write_xlsx(response, [(title, header, rows)])
    return response


@login_required
def seeker_export(request):
    a = actor(request)
    f = forms.SeekerFilterForm(request.GET)
    qs = selectors.seekers_export(a, status=f.value("status", ""))
    header = [_("Name"), _("Resident ID number"), _("Area"), _("Status"), _("Education"),
              _("Wanted occupations"), _("Skills"), _("Key groups")]
    rows = ([s.person.name, mask(s.person.id_number), s.area.name, s.get_status_display(),
             s.get_education_display(),
             "、".join(occupations.name(c) for c in s.occupation_codes), "、".join(s.skills),
             "、".join(forms.key_group_label(g) for g in s.key_groups)]
            for s in qs.iterator(chunk_size=2000))
    return _xlsx("seekers.xlsx", _("Job seekers"), header, rows)


# --- staff forms: seekers -------------------------------------------------------------

def _seeker_form_context(seeker=None, **extra) -> dict:
    return {"seeker": seeker, "statuses": JobSeeker.Status.choices,
            "occupation_choices": forms.occupation_choices(), **extra}


@login_required
def seeker_new(request):
    """Register a job seeker: the person is found by resident ID number within scope."""
    a = actor(request)
    areas = selectors.seeker_form_areas(a)
    form = forms.SeekerNewForm(request.POST or None, areas=areas)
    context = _seeker_form_context(None)
    if request.method != "POST":
        return render(request, "employment/seeker_form.html", {**context, "form": form})

    def create(data):
        try:
            person = selectors.person_for_registration(a, id_number=data["id_number"])
        except NotFound as error:  # unknown and out-of-area residents look the same
            raise ValidationFailed(error.message, field="id_number") from None
        return services.seeker_create(actor=a, person=person, **form.service_args())
    return submit(request, form, create,
                  success_url=lambda seeker: reverse("employment:seeker", args=[seeker.pk]),
                  template="employment/seeker_form.html", context=context,
                  message=_("Job seeker registered."))


@login_required
@require_POST
def seeker_lookup(request):
    """htmx: who has this ID number (name, masked ID, area; or the existing seeker). A
    POST, so that ID numbers never appear in URLs or server logs."""
    a = actor(request)
    form = forms.IdNumberForm(request.POST)
    if not form.is_valid():
        return refused(request, form, "employment/partials/person_found.html")
    person = selectors.person_for_registration(a, id_number=form.cleaned_data["id_number"])
    return render(request, "employment/partials/person_found.html", {
        "person": person, "id_masked": mask(person.id_number),
        "existing": selectors.seeker_of_person(a, person)})


@login_required
def seeker_edit(request, pk: int):
    a = actor(request)
    seeker = selectors.seeker_for_manage(a, pk=pk)
    areas = selectors.seeker_form_areas(a)
    context = _seeker_form_context(seeker, id_masked=mask(seeker.person.id_number))
    if request.method != "POST":
        form = forms.SeekerEditForm(areas=areas, initial=forms.SeekerForm.initial_for(
            seeker, selectors.seeker_area_codes(a, seeker)))
        return render(request, "employment/seeker_form.html", {**context, "form": form})
    form = forms.SeekerEditForm(request.POST, areas=areas)
    return submit(request, form,
                  lambda data: services.seeker_update(actor=a, seeker=seeker,
                                                      version=data["version"],
                                                      **form.service_args()),
                  success_url=reverse("employment:seeker", args=[pk]),
                  template="employment/seeker_form.html", context=context,
                  message=_("Job seeker profile saved."))


# --- postings --------------------------------------------------------------------------

@login_required
def posting_list(request):
    a = actor(request)
    f = forms.PostingFilterForm(request.GET)
    qs = selectors.posting_list(a, q=f.value("q", ""), state=f.value("state", ""),
                                employer_id=f.value("employer"))
    return render(request, "employment/posting_list.html", {
        "page": paginate(request, qs), "query": query_without_page(request),
        "states": JobPosting.State.choices, "can_export": a.has(EXPORT),
        "can_review": a.has(REVIEW)})


def _posting_context(a, posting, **bound) -> dict:
    moves = {t.name for t in JobPosting.workflow.allowed(a, posting)}
    context = {
        "posting": posting, "occupation": occupations.name(posting.occupation_code),
        "flags": forms.flag_labels(posting.fraud_flags),
        "can_review": bool(moves & {"publish", "reject"}),
        "can_close": "close" in moves,
        "can_edit": a.covers(MANAGE, posting.area) and posting.state != "closed",
        "recommended": selectors.posting_recommended(a, posting),
        "timeline": selectors.posting_timeline(a, posting),
        "review_form": forms.ReviewForm(initial={"version": posting.version}),
        "close_form": forms.PostingCloseForm(initial={"version": posting.version}),
    }
    context.update(bound)
    return context


@login_required
def posting_detail(request, pk: int):
    a = actor(request)
    posting = selectors.posting_get(a, pk=pk)
    return render(request, "employment/posting_detail.html", _posting_context(a, posting))


@login_required
def posting_export(request):
    a = actor(request)
    f = forms.PostingFilterForm(request.GET)
    qs = selectors.postings_export(a, state=f.value("state", ""))
    header = [_("Title"), _("Employer"), _("Occupation code"), _("Occupation"), _("Area"),
              _("Salary from"), _("Salary to"), _("Openings"), _("State"), _("Valid until"),
              _("Fraud flags")]
    rows = ([p.title, p.employer.name, p.occupation_code, occupations.name(p.occupation_code),
             p.area.name, p.salary_min, p.salary_max, p.openings, p.get_state_display(),
             p.valid_until, "、".join(forms.flag_labels(p.fraud_flags))]
            for p in qs.iterator(chunk_size=2000))
    return _xlsx("postings.xlsx", _("Job postings"), header, rows)


@login_required
def review_queue(request):
    a = actor(request)
    page = paginate(request, selectors.review_queue(a))
    for p in page:
        p.flag_labels = forms.flag_labels(p.fraud_flags)
    return render(request, "employment/review_queue.html", {"page": page})


@login_required
@require_POST
def posting_review(request, pk: int):
    """Publish or reject; a refusal (a flagged post without a reason) shows the posting
    again with the message at the note and the note kept."""
    a = actor(request)
    posting = selectors.posting_get(a, pk=pk)
    form = forms.ReviewForm(request.POST)

    def review(data):
        approve = data["decision"] == "approve"
        result = services.posting_review(actor=a, posting=posting, approve=approve,
                                         note=data["note"], version=data["version"])
        messages.success(request, _("Posting published.") if approve
                         else _("Posting rejected."))
        return result
    return submit(request, form, review, success_url=reverse("employment:review"),
                  template="employment/posting_detail.html",
                  context=_Later(lambda: _posting_context(a, posting, review_form=form)))


@login_required
@require_POST
def posting_close(request, pk: int):
    a = actor(request)
    posting = selectors.posting_for_manage(a, pk=pk)
    form = forms.PostingCloseForm(request.POST)
    return submit(request, form,
                  lambda data: services.posting_close(actor=a, posting=posting, **data),
                  success_url=reverse("employment:posting", args=[pk]),
                  template="employment/posting_detail.html",
                  context=_Later(lambda: _posting_context(a, posting, close_form=form)),
                  message=_("Posting closed."))


def _posting_form_context(employer, posting=None) -> dict:
    return {"employer": employer, "posting": posting,
            "flags": forms.flag_labels(posting.fraud_flags if posting else []),
            "occupation_choices": forms.occupation_choices(),
            "max_days": setting("POSTING_MAX_VALID_DAYS"), "today": timezone.localdate()}


@login_required
def posting_new(request, employer: int):
    a = actor(request)
    org = selectors.employer_for_posting(a, pk=employer)
    form = forms.PostingForm(request.POST or None)
    context = _posting_form_context(org)
    if request.method != "POST":
        return render(request, "employment/posting_form.html", {**context, "form": form})
    return submit(request, form,
                  lambda data: services.posting_create(actor=a, employer=org,
                                                       **form.service_args()),
                  success_url=lambda posting: reverse("employment:posting", args=[posting.pk]),
                  template="employment/posting_form.html", context=context,
                  message=_("Job posting saved; it waits for review."))


@login_required
def posting_edit(request, pk: int):
    a = actor(request)
    posting = selectors.posting_for_manage(a, pk=pk)
    context = _posting_form_context(posting.employer, posting)
    if request.method != "POST":
        form = forms.PostingEditForm(initial=forms.PostingForm.initial_for(posting))
        return render(request, "employment/posting_form.html", {**context, "form": form})
    form = forms.PostingEditForm(request.POST)
    return submit(request, form,
                  lambda data: services.posting_update(actor=a, posting=posting,
                                                       version=data["version"],
                                                       **form.service_args()),
                  success_url=reverse("employment:posting", args=[pk]),
                  template="employment/posting_form.html", context=context,
                  message=_("Job posting saved; it waits for review."))


# --- employers -------------------------------------------------------------------------

@login_required
def employer_list(request):
    a = actor(request)
    f = forms.EmployerFilterForm(request.GET)
    qs = selectors.employer_list(a, q=f.value("q", ""))
    return render(request, "employment/employer_list.html", {
        "page": paginate(request, qs), "query": query_without_page(request)})


@login_required
def employer_detail(request, pk: int):
    a = actor(request)
    org = selectors.employer_get(a, pk=pk)
    return render(request, "employment/employer_detail.html", {
        "employer": org,
        "postings": selectors.employer_postings(a, org),
        "reports": selectors.employer_reports(a, org),
        "warnings": selectors.employer_warnings(a, org),
        "postings_more": f"{reverse('employment:postings')}?employer={org.pk}",
        "warnings_more": f"{reverse('employment:warnings')}?enterprise={org.pk}",
        "can_warnings": a.covers(WARNINGS, org.area),
        "can_post": a.covers(MANAGE, org.area),
        "can_report": a.covers(REPORT, org.area) and org.kind == "enterprise"})


@login_required
def employer_headcount(request, pk: int):
    """Monthly headcount report of a monitored enterprise (失业动态监测)."""
    a = actor(request)
    org = selectors.employer_for_headcount(a, pk=pk)
    last = selectors.headcount_list(a, enterprise_id=org.pk).first()
    context = {"employer": org, "last": last}
    if request.method != "POST":
        form = forms.HeadcountForm(initial={
            "month": forms.HeadcountForm.next_month(last).strftime("%Y-%m"),
            "baseline": (last.baseline + last.additions - last.reductions) if last else None})
        return render(request, "employment/headcount_form.html", {**context, "form": form})
    form = forms.HeadcountForm(request.POST)

    def save(data):
        report = services.headcount_report_submit(actor=a, enterprise=org,
                                                  **form.service_args())
        messages.success(request, _("Headcount report for %(month)s saved.")
                         % {"month": report.month.strftime("%Y-%m")})
        return report
    return submit(request, form, save, success_url=reverse("employment:employer", args=[pk]),
                  template="employment/headcount_form.html", context=context)


# --- warnings --------------------------------------------------------------------------

def _warning_context(request, a, **bound) -> dict:
    f = forms.WarningFilterForm(request.GET)
    qs = selectors.warning_list(a, kind=f.value("kind", ""),
                                enterprise_id=f.value("enterprise"))
    page = paginate(request, qs)
    items = selectors.warning_followups(a, page)
    for w in page:
        w.followup = items.get(w.followup_id)
        w.level_label = forms.level_label(w.level)
    today = timezone.localdate()
    context = {
        "page": page, "query": query_without_page(request),
        "kinds": UnemploymentWarning.Kind.choices, "can_export": a.has(EXPORT),
        "rates": [(area, month, u, e, rate, band, forms.level_label(band))
                  for area, month, u, e, rate, band in selectors.unemployment_rates(a)],
        "can_scan": selectors.can_scan(a),
        "claims": selectors.claims_check(a),
        "claims_rule": _claims_rule(),
        "scan_form": forms.WarningScanForm(initial={
            "start": today.strftime("%Y-%m"), "end": today.strftime("%Y-%m")}),
    }
    context.update(bound)
    return context


def _claims_rule() -> str:
    return _("New benefit claims per month, EARS C2 (minsheng.detection): alarm when a "
             "month exceeds the mean + %(k)s × max(sd, %(sd)s) of the %(b)s months ending "
             "%(g)s months before it.") % {
        "k": setting("CLAIMS_Z"), "sd": setting("CLAIMS_MIN_SD"),
        "b": setting("CLAIMS_BASELINE_MONTHS"), "g": setting("CLAIMS_GUARD_MONTHS")}


@login_required
def warning_list(request):
    a = actor(request)
    return render(request, "employment/warnings.html", _warning_context(request, a))


@login_required
@require_POST
def warning_scan(request):
    a = actor(request)
    form = forms.WarningScanForm(request.POST)

    def scan(data):
        args = form.service_args()
        made = services.warnings_scan(actor=a, **args)
        messages.success(request, _("Scan done: %(n)s warning(s) in your area for these "
                                    "months.") % {"n": len(made)})
        claims = selectors.claims_check(a, start=args["start"], end=args["end"])
        if claims is not None and claims.error:
            messages.warning(request, _("Benefit claims were not judged: %(reason)s")
                             % {"reason": claims.error})
        return made
    return submit(request, form, scan, success_url=reverse("employment:warnings"),
                  template="employment/warnings.html",
                  context=_Later(lambda: _warning_context(request, a, scan_form=form)))


@login_required
def warning_export(request):
    a = actor(request)
    qs = selectors.warnings_export(a)
    header = [_("Month"), _("Kind"), _("Level"), _("Area"), _("Title")]
    rows = ([w.month, w.get_kind_display(), forms.level_label(w.level), w.area.name, w.title]
            for w in qs.iterator(chunk_size=2000))
    return _xlsx("warnings.xlsx", _("Unemployment warnings"), header, rows)


# --- public pages (no login) -----------------------------------------------------------

def public_search(request):
    public.hit(f"search:{public.client_ip(request)}",
               setting("PUBLIC_SEARCH_PER_IP_PER_MINUTE"), 60)
    f = forms.PublicSearchForm(request.GET)
    qs = selectors.public_postings(q=f.value("q", ""), occupation=f.value("occupation", ""))
    return render(request, "employment/public_search.html", {
        "page": paginate(request, qs, 20), "query": query_without_page(request)})


def public_posting(request, pk: int):
    posting = selectors.public_posting_get(pk)
    return render(request, "employment/public_posting.html", {
        "posting": posting, "occupation": occupations.name(posting.occupation_code)})


def public_submit(request):
    """Employers submit a post; it is published after review. Rate-limited per address
    and per employer; a refusal shows the form again with what was typed."""
    template = "employment/public_submit.html"
    if request.method != "POST":
        return render(request, template, {"form": forms.PublicPostingForm(),
                                          "token": public.form_token()})
    public.hit(f"submit:{public.client_ip(request)}",
               setting("PUBLIC_SUBMIT_PER_IP_PER_HOUR"), 3600)
    form = forms.PublicPostingForm(request.POST)
    context = {"token": public.form_token()}
    if not form.is_valid():
        return refused(request, form, template, context)
    code = form.cleaned_data["uscc"]
    public.hit(f"employer:{code}", setting("PUBLIC_SUBMIT_PER_EMPLOYER_PER_DAY"), 86400)
    try:
        employer = selectors.public_employer_by_credit_code(code)
        if employer is None:
            raise ValidationFailed(_("This employer is not registered; please register at "
                                     "the public employment service centre first."),
                                   field="uscc")
        services.posting_create(actor=request.user, employer=employer, public=True,
                                **form.service_args())
    except (ValidationFailed, Conflict) as error:
        attach_error(form, error)
        return refused(request, form, template, context)
    return render(request, "employment/public_submitted.html")
