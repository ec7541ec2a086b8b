"""Core pages. Thin: parse input with a form (core.registry_forms), read through selectors,
write through services; refusals come back in place with the input kept."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from minsheng.core import exports, jobs, selectors, services
from minsheng.core.errors import DomainError
from minsheng.core.identifiers import mask, mask_phone
from minsheng.core.models import Area, AuditEntry, Organization, Person, RoleAssignment
from minsheng.core.pages import (
    actor,
    attach_error,
    done,
    paginate,
    query_without_page,
    refused,
    submit,
)
from minsheng.core.registry_forms import (
    ApiTokenForm,
    AuditFilterForm,
    DisabilityCertificateForm,
    HouseholdFilterForm,
    HouseholdForm,
    ImportForm,
    OrganizationFilterForm,
    OrganizationForm,
    PersonAccessForm,
    PersonContactForm,
    PersonFilterForm,
)
from minsheng.core.spreadsheets import xlsx_response

CHANGE = "core.change_registry"


@require_GET
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except Exception as exc:  # report, never raise: this is what monitoring reads
        database = f"error: {exc.__class__.__name__}"
    status = 200 if database == "ok" else 503
    return JsonResponse({"status": "ok" if status == 200 else "degraded",
                         "database": database, "vendor": connection.vendor,
                         "time": timezone.now().isoformat()}, status=status)


def readyz(request):
    """Readiness for the load balancer: database, cache, task backlog, worker heartbeat."""
    from minsheng.core import readiness

    report = readiness.report()
    return JsonResponse(report, status=200 if report["ready"] else 503)


def home(request):
    """Staff see their home page; residents are sent to the public portal."""
    if not request.user.is_authenticated:
        return redirect("portal:home")
    a = actor(request)
    labels = dict(RoleAssignment.Role.choices)
    return render(request, "core/home.html",
                  {"grants": [(labels.get(role, role), path) for role, path in a.grants]})


@login_required
def area_tree(request):
    a = actor(request)
    areas = list(selectors.area_list(a))
    counts = selectors.area_counts(a)
    by_path = {area.path: area for area in areas}
    for area in areas:
        area.people_count = area.household_count = 0
    for area in areas:  # roll each area's own counts up to its ancestors
        parts = area.path.split("/")
        for depth in range(1, len(parts) + 1):
            ancestor = by_path.get("/".join(parts[:depth]))
            if ancestor is not None:
                ancestor.people_count += counts["people"].get(area.id, 0)
                ancestor.household_count += counts["households"].get(area.id, 0)
    return render(request, "core/areas.html", {"areas": areas})


def _subdistricts(a):
    return selectors.area_list(a, level=Area.Level.SUBDISTRICT)


# --- people -----------------------------------------------------------------------------

@login_required
def person_list(request):
    a = actor(request)
    filters = PersonFilterForm(request.GET, actor=a)
    f = filters.values()
    page = paginate(request, selectors.person_list(a, q=f["q"] or "", area=f["area"],
                                                   status=f["status"] or None))
    context = {"page": page, "query": query_without_page(request), "filters": filters,
               "areas": _subdistricts(a), "statuses": Person.Status.choices}
    template = "core/partials/person_rows.html" if request.htmx else "core/person_list.html"
    return render(request, template, context)


def _person_context(a, person: Person, **forms) -> dict:
    can_edit = a.covers(CHANGE, person.residence_area)
    today = timezone.localdate()
    return {
        "person": person, "id_masked": mask(person.id_number),
        "phone_masked": mask_phone(person.phone),
        "membership": selectors.person_household(a, person=person),
        "certificates": [(c, mask(c.number), c.valid_on(today)) for c in
                         selectors.disability_certificates(a, person=person)],
        "can_reveal": a.covers("core.reveal_personal", person.residence_area),
        "can_edit": can_edit,
        "contact_form": forms.get("contact_form") or PersonContactForm(
            initial={"version": person.version, "address": person.address}),
        "disability_form": forms.get("disability_form") or DisabilityCertificateForm(),
    }


@login_required
def person_detail(request, pk: int):
    a = actor(request)
    person = selectors.person_get(a, pk=pk)
    return render(request, "core/person_detail.html", _person_context(a, person))


@login_required
@require_POST
def person_reveal(request, pk: int, field: str):
    a = actor(request)
    person = selectors.person_get(a, pk=pk)
    value = services.person_reveal(actor=a, person=person, field=field)
    return HttpResponse(format_html('<span class="revealed">{}</span>', value))


@login_required
@require_POST
def person_edit(request, pk: int):
    a = actor(request)
    person = selectors.person_get(a, pk=pk)
    form = PersonContactForm(request.POST)
    return submit(
        request, form,
        lambda data: services.person_update(actor=a, person=person, version=data["version"],
                                            **form.changes()),
        success_url=reverse("person", args=[person.pk]), message=_("Saved."),
        template="core/person_detail.html",
        context=_person_context(a, person, contact_form=form))


@login_required
@require_POST
def disability_create(request, pk: int):
    a = actor(request)
    person = selectors.person_get(a, pk=pk)
    form = DisabilityCertificateForm(request.POST)
    return submit(
        request, form,
        lambda data: services.disability_certificate_create(actor=a, person=person, **data),
        success_url=reverse("person", args=[person.pk]),
        message=_("Disability certificate recorded."), template="core/person_detail.html",
        context=_person_context(a, person, disability_form=form))


@login_required
def person_export(request):
    a = actor(request)
    f = PersonFilterForm(request.GET, actor=a).values()
    people = selectors.person_list(a, q=f["q"] or "", area=f["area"],
                                   status=f["status"] or None)[:100_000]
    response = xlsx_response("people.xlsx")
    exports.people_xlsx(actor=a, people=people, target=response, name="people.xlsx",
                        filters=dict(request.GET.items()))
    return response


# --- households -------------------------------------------------------------------------

@login_required
def household_list(request):
    a = actor(request)
    filters = HouseholdFilterForm(request.GET, actor=a)
    f = filters.values()
    page = paginate(request, selectors.household_list(a, q=f["q"] or "", area=f["area"]))
    return render(request, "core/household_list.html",
                  {"page": page, "query": query_without_page(request), "filters": filters,
                   "areas": _subdistricts(a), "can_create": a.has(CHANGE)})


@login_required
def household_detail(request, pk: int):
    a = actor(request)
    household = selectors.household_get(a, pk=pk)
    return render(request, "core/household_detail.html",
                  {"household": household,
                   "members": selectors.household_members(a, household=household)})


@login_required
@require_http_methods(["GET", "POST"])
def household_create(request):
    a = actor(request)
    if request.method == "GET":
        return render(request, "core/household_form.html", {"form": HouseholdForm(actor=a)})
    form = HouseholdForm(request.POST, actor=a)
    return submit(
        request, form,
        lambda data: services.household_create(actor=a, number=data["number"],
                                               area=data["area"], address=data["address"],
                                               members=data["members"]),
        success_url=lambda household: reverse("household", args=[household.pk]),
        message=_("Household registered."), template="core/household_form.html")


# --- organizations ----------------------------------------------------------------------

@login_required
def organization_list(request):
    a = actor(request)
    filters = OrganizationFilterForm(request.GET, actor=a)
    f = filters.values()
    page = paginate(request, selectors.organization_list(a, q=f["q"] or "",
                                                         kind=f["kind"] or None,
                                                         area=f["area"]))
    return render(request, "core/organization_list.html",
                  {"page": page, "query": query_without_page(request), "filters": filters,
                   "kinds": Organization.Kind.choices, "areas": _subdistricts(a)})


@login_required
def organization_detail(request, pk: int):
    a = actor(request)
    org = selectors.organization_get(a, pk=pk)
    return render(request, "core/organization_detail.html",
                  {"org": org, "can_edit": a.covers(CHANGE, org.area)})


@login_required
@require_http_methods(["GET", "POST"])
def organization_edit(request, pk: int):
    a = actor(request)
    org = selectors.organization_get(a, pk=pk)
    context = {"org": org}
    if request.method == "GET":
        form = OrganizationForm(actor=a, initial={
            "version": org.version, "name": org.name, "uscc": org.uscc or "",
            "area": org.area.code, "address": org.address, "industry_code": org.industry_code})
        return render(request, "core/organization_form.html", {**context, "form": form})
    form = OrganizationForm(request.POST, actor=a)
    return submit(
        request, form,
        lambda data: services.organization_update(actor=a, organization=org,
                                                  version=data["version"], **form.changes()),
        success_url=reverse("organization", args=[org.pk]), message=_("Saved."),
        template="core/organization_form.html", context=context)


# --- audit log, imports, jobs -------------------------------------------------------------

@login_required
def audit_log(request):
    a = actor(request)
    filters = AuditFilterForm(request.GET, actor=a)
    f = filters.values()
    entries = selectors.audit_list(a, object_type=f["object_type"] or "",
                                   actor_name=f["actor"] or "", action=f["action"] or "")
    return render(request, "core/audit_log.html",
                  {"page": paginate(request, entries), "query": query_without_page(request),
                   "filters": filters, "actions": AuditEntry.Action.choices})


@login_required
@require_http_methods(["GET", "POST"])
def person_access(request):
    """Who saw or changed one person's data (PIPL), on the page or as xlsx."""
    a = actor(request)
    selectors.audit_list(a)  # refuses those who may not read the log
    form = PersonAccessForm(request.POST or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        try:
            person, entries = selectors.person_access_report(
                a, id_number=form.cleaned_data["id_number"])
        except DomainError as error:
            attach_error(form, error)
            return refused(request, form, "core/person_access.html", context)
        if "xlsx" in request.POST:
            response = xlsx_response("access-report.xlsx")
            exports.access_report_xlsx(actor=a, person=person, entries=entries,
                                       target=response, name="access-report.xlsx")
            return response
        context.update(person=person, entries=entries[:500], total=entries.count())
    elif request.method == "POST":
        return refused(request, form, "core/person_access.html", context)
    return render(request, "core/person_access.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request):
    a = actor(request)
    selectors.import_kinds(a)  # refuses those who may not import
    if request.method == "GET":
        return render(request, "core/import.html", {"form": ImportForm()})
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = jobs.import_start(actor=a, kind=form.cleaned_data["kind"],
                                    filename=upload.name, content=upload)
        except DomainError as error:
            attach_error(form, error)
        else:
            return render(request, "core/partials/job.html", {"job": job})
    return refused(request, form, "core/import.html")


@login_required
def job_status(request, pk: int):
    job = selectors.job_get(actor(request), pk=pk)
    return render(request, "core/partials/job.html", {"job": job})


# --- API tokens ---------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request):
    """The user's own API tokens: create one (its key is shown once), revoke one."""
    a = actor(request)
    form = ApiTokenForm(request.POST or None)
    context = {"tokens": selectors.api_token_list(a)}
    if request.method == "POST":
        if form.is_valid():
            try:
                key = services.api_token_create(actor=a, name=form.cleaned_data["name"])
            except DomainError as error:
                attach_error(form, error)
            else:
                # shown on this response only: the key is never stored or sent again
                return render(request, "core/api_tokens.html",
                              {**context, "form": ApiTokenForm(),
                               "created": form.cleaned_data["name"], "key": key})
        return refused(request, form, "core/api_tokens.html", context)
    return render(request, "core/api_tokens.html", {**context, "form": form})


@login_required
@require_POST
def api_token_revoke(request, pk: int):
    a = actor(request)
    token = selectors.api_token_get(a, pk=pk)
    services.api_token_revoke(actor=a, token=token)
    return done(request, reverse("api_tokens"), _("Token %(name)s revoked.")
                % {"name": token.name})
