"""Core pages. Thin: read through selectors, write through services."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from minsheng.core import exports, jobs, selectors, services
from minsheng.core.access import require
from minsheng.core.errors import ValidationFailed
from minsheng.core.identifiers import mask, mask_phone
from minsheng.core.models import Area, AuditEntry, Organization, Person, RoleAssignment
from minsheng.core.pages import actor, paginate, query_without_page


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


def home(request):
    """Staff see their home page; residents are sent to the public portal."""
    if not request.user.is_authenticated:
        return redirect("portal:home")
    a = actor(request)
    labels = dict(RoleAssignment.Role.choices)
    return render(request, "core/home.html",
                  {"grants": [(labels.get(role, role), path) for role, path in a.grants]})


def _area_filter(request):
    code = request.GET.get("area", "").strip()
    return selectors.area_get(actor(request), code=code) if code else None


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


@login_required
def person_list(request):
    a = actor(request)
    require(a, "core.view_registry")
    page = paginate(request, selectors.person_list(a, q=request.GET.get("q", "")[:60],
                                                   area=_area_filter(request),
                                                   status=request.GET.get("status") or None))
    context = {"page": page, "query": query_without_page(request),
               "areas": selectors.area_list(a, level=Area.Level.SUBDISTRICT),
               "statuses": Person.Status.choices}
    template = "core/partials/person_rows.html" if request.htmx else "core/person_list.html"
    return render(request, template, context)


@login_required
def person_detail(request, pk: int):
    a = actor(request)
    person = selectors.person_get(a, pk=pk)
    return render(request, "core/person_detail.html", {
        "person": person, "id_masked": mask(person.id_number),
        "phone_masked": mask_phone(person.phone),
        "membership": selectors.person_household(person),
        "can_reveal": a.covers("core.reveal_personal", person.residence_area),
        "can_edit": a.covers("core.change_registry", person.residence_area),
    })


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
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        raise ValidationFailed(
            _("The form is missing the record version; reload the page.")) from None
    changes = {"address": request.POST.get("address", "")}
    if request.POST.get("phone", "").strip():  # blank keeps the current (masked) number
        changes["phone"] = request.POST["phone"]
    services.person_update(actor=a, person=person, version=version, **changes)
    return render(request, "core/partials/saved.html", {"person": person})


@login_required
def person_export(request):
    a = actor(request)
    require(a, "core.export")
    people = selectors.person_list(a, q=request.GET.get("q", "")[:60],
                                   area=_area_filter(request))[:100_000]
    response = HttpResponse(
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="people.xlsx"'
    exports.people_xlsx(actor=a, people=people, target=response, name="people.xlsx",
                        filters=dict(request.GET.items()))
    return response


@login_required
def household_list(request):
    a = actor(request)
    require(a, "core.view_registry")
    page = paginate(request, selectors.household_list(a, q=request.GET.get("q", "")[:60],
                                                      area=_area_filter(request)))
    return render(request, "core/household_list.html",
                  {"page": page, "query": query_without_page(request),
                   "areas": selectors.area_list(a, level=Area.Level.SUBDISTRICT)})


@login_required
def household_detail(request, pk: int):
    household = selectors.household_get(actor(request), pk=pk)
    return render(request, "core/household_detail.html",
                  {"household": household,
                   "members": selectors.household_members(household)})


@login_required
def organization_list(request):
    a = actor(request)
    page = paginate(request, selectors.organization_list(
        a, q=request.GET.get("q", "")[:100], kind=request.GET.get("kind") or None,
        area=_area_filter(request)))
    return render(request, "core/organization_list.html",
                  {"page": page, "query": query_without_page(request),
                   "kinds": Organization.Kind.choices,
                   "areas": selectors.area_list(a, level=Area.Level.SUBDISTRICT)})


@login_required
def organization_detail(request, pk: int):
    return render(request, "core/organization_detail.html",
                  {"org": selectors.organization_get(actor(request), pk=pk)})


@login_required
def audit_log(request):
    a = actor(request)
    entries = selectors.audit_list(a, object_type=request.GET.get("object_type", "")[:60],
                                   actor_name=request.GET.get("actor", "")[:150],
                                   action=request.GET.get("action", "")[:12])
    return render(request, "core/audit_log.html",
                  {"page": paginate(request, entries), "query": query_without_page(request),
                   "actions": AuditEntry.Action.choices})


@login_required
def import_page(request):
    a = actor(request)
    require(a, "core.import")
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationFailed(_("Choose a file to import."))
        job = jobs.import_start(actor=a, kind=request.POST.get("kind", ""),
                                filename=upload.name, content=upload)
        return render(request, "core/partials/job.html", {"job": job})
    return render(request, "core/import.html")


@login_required
def job_status(request, pk: int):
    job = selectors.job_get(actor(request), pk=pk)
    return render(request, "core/partials/job.html", {"job": job})
