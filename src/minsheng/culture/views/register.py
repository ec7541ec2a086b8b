"""Heritage register pages: overview with the map, site list (xlsx), site record with its
zones, patrols and history, zone drawing/import."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minsheng.core.errors import DomainError, NotFound, PermissionDenied
from minsheng.core.pages import actor, paginate, query_without_page, refused, submit
from minsheng.culture import forms as F
from minsheng.culture import permissions as P
from minsheng.culture import selectors
from minsheng.culture.config import setting
from minsheng.culture.services import register as svc
from minsheng.culture.views.common import map_settings, read_shapes, xlsx_response

SITE_HEADER = ["编号", "名称", "级别", "类别", "年代", "区域", "地址", "经度", "纬度", "责任人",
               "公布日期", "保护范围划定期限", "已划保护范围", "已划建设控制地带", "逾期未划定",
               "风险状况"]


@login_required
def home(request):
    a = actor(request)
    today = timezone.localdate()
    sites = selectors.site_list(a)
    return render(request, "culture/home.html", {
        "counts": {"sites": sites.count(), "overdue": selectors.site_list(
            a, overdue=True, today=today).count(),
            "open_consents": selectors.consent_list(a, state="open").count(),
            "checks": selectors.check_list(a).count()},
        "overdue": list(selectors.site_list(a, overdue=True, today=today)[:20]),
        "consents": list(selectors.consent_list(a, state="open")[:20]),
        "map_data": {"zones": selectors.zones_geojson(a), **map_settings()},
        "can_check": a.has(P.CHECK), "can_register": a.has(P.REGISTER)})


@login_required
def site_list(request):
    a = actor(request)
    filters = F.SiteFilterForm(request.GET or None)
    f = filters.cleaned_data if filters.is_valid() else {}
    today = timezone.localdate()
    qs = selectors.site_list(a, q=f.get("q", "").strip(), level=f.get("level", ""),
                             overdue=bool(f.get("overdue")), today=today)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(a, "heritage_sites", "文物保护单位", SITE_HEADER,
                             selectors.site_export(a, qs, today))
    page = paginate(request, qs)
    for s in page:
        s.delimit_due = selectors.delimit_due(s)
        s.overdue = selectors.site_overdue(s, today)
    return render(request, "culture/site_list.html", {
        "page": page, "query": query_without_page(request), "filters": filters,
        "can_register": a.has(P.REGISTER), "can_export": a.has(P.EXPORT)})


def _site_form(a, data=None, **kwargs):
    return F.SiteForm(data, areas=selectors.areas_for(a, P.REGISTER), **kwargs)


def _site_values(d: dict) -> dict:
    keys = ("name", "level", "category", "era", "address", "lon", "lat", "owner",
            "responsible_person", "responsible_duties", "designated_on",
            "designation_document", "risk")
    return {k: d.get(k) for k in keys}


@login_required
def site_new(request):
    a = actor(request)
    if not a.has(P.REGISTER):
        raise PermissionDenied()
    if request.method != "POST":
        return render(request, "culture/site_form.html", {"form": _site_form(a)})
    form = _site_form(a, request.POST)
    return submit(request, form, lambda d: svc.site_create(
        actor=a, code=d["code"], area=selectors.area_for(a, P.REGISTER, code=d["area"]),
        **_site_values(d)),
        success_url=lambda s: reverse("culture:site", args=[s.pk]),
        template="culture/site_form.html", message=_("Site registered."))


@login_required
def site_edit(request, pk: int):
    a = actor(request)
    site = selectors.site_get(a, pk=pk)
    if not a.covers(P.REGISTER, site.area):
        raise PermissionDenied()
    areas = selectors.areas_for(a, P.REGISTER)
    if request.method != "POST":
        initial = {"version": site.version, **_site_values(site.__dict__)}
        return render(request, "culture/site_form.html", {
            "form": F.SiteEditForm(initial=initial, areas=areas), "site": site})
    form = F.SiteEditForm(request.POST, areas=areas)
    return submit(request, form, lambda d: svc.site_update(
        actor=a, site=site, version=d["version"], **_site_values(d)),
        success_url=reverse("culture:site", args=[site.pk]),
        template="culture/site_form.html", context={"site": site},
        message=_("Record saved."))


def _site_context(a, site, **forms) -> dict:
    today = timezone.localdate()
    zones = selectors.site_zones(a, site)
    can_register = a.covers(P.REGISTER, site.area)
    return {
        "site": site, "zones": zones,
        "zone_history": [z for z in selectors.site_zones(a, site, history=True)
                         if z.superseded_at],
        "patrols": selectors.site_patrols(a, site), "history": selectors.site_history(a, site),
        "delimit_due": selectors.delimit_due(site), "overdue": selectors.site_overdue(site, today),
        "basis": setting("DELIMIT_BASIS"),
        "can_register": can_register,
        "zone_form": forms.get("zone_form") or F.ZoneForm(initial={"delimited_on": today}),
        "patrol_form": forms.get("patrol_form") or F.PatrolForm(initial={"done_on": today}),
        "map_data": {"zones": {"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": z.geometry,
             "properties": {"kind": z.kind, "code": site.code, "name": site.name}}
            for z in zones]}, "point": [site.lon, site.lat], **map_settings()}}


@login_required
def site_detail(request, pk: int):
    a = actor(request)
    site = selectors.site_get(a, pk=pk)
    return render(request, "culture/site_detail.html", _site_context(a, site))


@login_required
@require_POST
def zone_set(request, pk: int):
    a = actor(request)
    site = selectors.site_get(a, pk=pk)
    form = F.ZoneForm(request.POST, request.FILES)

    def action(d):
        shapes = read_shapes(d, polygon_only=True)
        if len(shapes) != 1:
            raise_many(len(shapes))
        upload = d.get("file")
        source = "drawn" if not upload else upload.name.rsplit(".", 1)[-1].lower()[:20]
        return svc.zone_set(actor=a, site=site, kind=d["kind"], shape=shapes[0],
                            source=source, delimited_on=d.get("delimited_on"),
                            approved_document=d.get("approved_document", ""))

    return submit(request, form, action, success_url=reverse("culture:site", args=[site.pk]),
                  template="culture/site_detail.html",
                  context=_site_context(a, site, zone_form=form) | {"zone_form": form},
                  message=_("Zone saved."))


def raise_many(n: int):
    from minsheng.core.errors import ValidationFailed

    raise ValidationFailed(_("The file holds %d shapes; a zone is one polygon (use the "
                             "import page for many).") % n, field="file")


@login_required
@require_POST
def patrol_add(request, pk: int):
    a = actor(request)
    site = selectors.site_get(a, pk=pk)
    form = F.PatrolForm(request.POST, request.FILES)
    return submit(request, form, lambda d: svc.patrol_record(
        actor=a, site=site, kind=d["kind"], done_on=d["done_on"], inspector=d["inspector"],
        condition=d["condition"], findings=d["findings"],
        photos=[d["photo"]] if d.get("photo") else []),
        success_url=reverse("culture:site", args=[site.pk]),
        template="culture/site_detail.html",
        context=_site_context(a, site, patrol_form=form) | {"patrol_form": form},
        message=_("Patrol recorded."))


@login_required
def zones_import(request):
    a = actor(request)
    if not a.has(P.REGISTER):
        raise PermissionDenied()
    if request.method != "POST":
        return render(request, "culture/zones_import.html", {"form": F.ZoneImportForm()})
    form = F.ZoneImportForm(request.POST, request.FILES)

    def action(d):
        upload = d["file"]
        from minsheng.culture import geometry

        shapes = geometry.read_file(upload.name, upload.read(), layer=d.get("layer") or "",
                                    repair=d.get("repair", False))
        return svc.zones_import(actor=a, shapes=shapes,
                                source=upload.name.rsplit(".", 1)[-1].lower()[:20])

    if form.is_valid():
        try:
            zones = action(form.cleaned_data)
        except (NotFound, PermissionDenied):
            raise
        except DomainError as error:
            details = error.details if isinstance(error.details, dict) else {}
            field = "layer" if details.get("field") == "layer" else "file"
            for message in details.get("errors") or [str(error.message)]:
                form.add_error(field, message)
        else:
            return render(request, "culture/zones_import.html", {
                "form": F.ZoneImportForm(), "imported": zones})
    return refused(request, form, "culture/zones_import.html")
