"""Health endpoints (/api/health/...): thin, calling selectors and services."""

import datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from minsheng.core import selectors as core_selectors
from minsheng.core.access import actor_for
from minsheng.health import selectors, services

router = Router(tags=["health"])


class DiseaseOut(Schema):
    code: str
    name_zh: str
    name_en: str
    klass: str
    icd10: str
    report_hours: int
    method: str
    params: dict
    detection_enabled: bool


class CaseReportIn(Schema):
    person_id: int
    disease: str = Field(..., max_length=40, description="disease code or ICD-10 code")
    facility_id: int
    onset_date: datetime.date
    diagnosed_at: datetime.datetime
    reported_at: datetime.datetime | None = None
    status: str = Field(..., max_length=10)
    community_code: str = Field("", max_length=12)
    note: str = Field("", max_length=300)


class CaseReportOut(Schema):
    id: int
    disease: str
    patient_name_masked: str
    patient_id_masked: str
    community: str
    facility: str
    onset_date: datetime.date
    diagnosed_at: datetime.datetime
    reported_at: datetime.datetime
    status: str
    report_delay_hours: float
    late: bool

    @staticmethod
    def resolve_disease(obj):
        return obj.disease.code

    @staticmethod
    def resolve_patient_name_masked(obj):
        return selectors.masked_name(obj.person.name)

    @staticmethod
    def resolve_patient_id_masked(obj):
        return selectors.masked_id(obj.person.id_number)

    @staticmethod
    def resolve_community(obj):
        return obj.area.code

    @staticmethod
    def resolve_facility(obj):
        return obj.facility.name


class AlertOut(Schema):
    id: int
    disease: str
    disease_name: str
    area_code: str
    area_name: str
    period: str
    period_start: datetime.date
    method: str
    count: int
    expected: float | None
    upper: float | None
    urgency: int
    state: str
    signal_count: int
    opened_at: datetime.datetime
    verify_due_at: datetime.datetime
    verified_at: datetime.datetime | None
    response_hours: float | None
    closed_at: datetime.datetime | None
    version: int

    @staticmethod
    def resolve_disease(obj):
        return obj.disease.code

    @staticmethod
    def resolve_disease_name(obj):
        return obj.disease.name_zh

    @staticmethod
    def resolve_area_code(obj):
        return obj.area.code

    @staticmethod
    def resolve_area_name(obj):
        return obj.area.name


class EventOut(Schema):
    at: datetime.datetime
    actor_name: str
    transition: str
    from_state: str
    to_state: str
    note: str


class AlertDetailOut(AlertOut):
    reason: str
    verification_note: str
    outcome_note: str
    timeline: list[EventOut]


class VerifyIn(Schema):
    version: int
    finding: str = Field(..., max_length=2000)


class InvestigateIn(Schema):
    version: int
    started_on: datetime.date
    setting: str = Field(..., max_length=15)
    findings: str = Field(..., max_length=4000)
    cases_found: int = Field(0, ge=0)
    samples_taken: int = Field(0, ge=0)
    samples_positive: int = Field(0, ge=0)
    measures: str = Field("", max_length=4000)


class CloseIn(Schema):
    version: int
    outbreak: bool
    outcome: str = Field(..., max_length=2000)


class DetectIn(Schema):
    date: datetime.date | None = None


class JobOut(Schema):
    id: int
    state: str


class AlertFilter(Schema):
    state: str = Field("open", max_length=30)
    disease: str = Field("", max_length=40)
    area: str = Field("", max_length=12)


class LifeTableOut(Schema):
    area_code: str
    area_name: str
    year: int
    population: float
    deaths: float
    e0: float | None
    ci_low: float | None
    ci_high: float | None
    warnings: list[str]
    table: list[dict]


def _area(request, code: str):
    return core_selectors.area_get(actor_for(request.user), code=code) if code else None


def _disease(code: str):
    return selectors.disease_get(code=code) if code else None


def _detail(alert):
    alert.timeline = list(selectors.alert_timeline(alert))
    return alert


@router.get("/diseases", response=list[DiseaseOut])
def list_diseases(request: HttpRequest):
    return selectors.disease_list()


@router.get("/case-reports", response=list[CaseReportOut])
@paginate(PageNumberPagination, page_size=50)
def list_case_reports(request: HttpRequest, disease: str = "", area: str = "",
                      late: bool | None = None):
    return selectors.case_report_list(actor_for(request.user), disease=_disease(disease),
                                      area=_area(request, area), late=late)


@router.post("/case-reports", response={201: CaseReportOut})
def create_case_report(request: HttpRequest, payload: CaseReportIn):
    from minsheng.core.models import Organization

    actor = actor_for(request.user)
    person = core_selectors.person_get(actor, pk=payload.person_id)
    facility = core_selectors.organization_get(actor, pk=payload.facility_id)
    if not isinstance(facility, Organization):  # pragma: no cover - defensive
        raise TypeError
    report = services.case_report_create(
        actor=actor, person=person, disease=payload.disease, facility=facility,
        onset_date=payload.onset_date, diagnosed_at=payload.diagnosed_at,
        reported_at=payload.reported_at, status=payload.status,
        area=_area(request, payload.community_code), note=payload.note)
    return 201, report


@router.get("/alerts", response=list[AlertOut])
@paginate(PageNumberPagination, page_size=50)
def list_alerts(request: HttpRequest, filters: Query[AlertFilter]):
    return selectors.alert_list(actor_for(request.user), state=filters.state,
                                disease=_disease(filters.disease),
                                area=_area(request, filters.area))


@router.get("/alerts/{pk}", response=AlertDetailOut)
def get_alert(request: HttpRequest, pk: int):
    return _detail(selectors.alert_get(actor_for(request.user), pk=pk))


@router.post("/alerts/{pk}/verify", response=AlertDetailOut)
def verify_alert(request: HttpRequest, pk: int, payload: VerifyIn):
    actor = actor_for(request.user)
    alert = selectors.alert_get(actor, pk=pk)
    return _detail(services.alert_verify(actor=actor, alert=alert, finding=payload.finding,
                                         version=payload.version))


@router.post("/alerts/{pk}/investigate", response=AlertDetailOut)
def investigate_alert(request: HttpRequest, pk: int, payload: InvestigateIn):
    actor = actor_for(request.user)
    alert = selectors.alert_get(actor, pk=pk)
    return _detail(services.alert_investigate(
        actor=actor, alert=alert, started_on=payload.started_on, setting_kind=payload.setting,
        findings=payload.findings, cases_found=payload.cases_found,
        samples_taken=payload.samples_taken, samples_positive=payload.samples_positive,
        measures=payload.measures, version=payload.version))


@router.post("/alerts/{pk}/close", response=AlertDetailOut)
def close_alert(request: HttpRequest, pk: int, payload: CloseIn):
    actor = actor_for(request.user)
    alert = selectors.alert_get(actor, pk=pk)
    return _detail(services.alert_close(actor=actor, alert=alert, outbreak=payload.outbreak,
                                        outcome=payload.outcome, version=payload.version))


@router.post("/detection-runs", response={202: JobOut})
def start_detection(request: HttpRequest, payload: DetectIn):
    job = services.detection_start(actor=actor_for(request.user), on=payload.date)
    return 202, {"id": job.pk, "state": job.state}


@router.get("/epicurve/{disease}")
def get_epicurve(request: HttpRequest, disease: str, area: str = "", weeks: int = 156):
    return selectors.epicurve(actor_for(request.user), disease=selectors.disease_get(
        code=disease), area=_area(request, area), weeks=max(4, min(weeks, 520)))


@router.get("/life-tables/{year}", response=list[LifeTableOut])
def get_life_tables(request: HttpRequest, year: int, sex: str = ""):
    rows = selectors.life_tables(actor_for(request.user), year=year,
                                 sex=sex if sex in ("M", "F") else None)
    return [{"area_code": r["area"].code, "area_name": r["area"].name, "year": year,
             "population": r["population"], "deaths": r["deaths"], "e0": r["e0"],
             "ci_low": r["ci"][0] if r["ci"] else None,
             "ci_high": r["ci"][1] if r["ci"] else None, "warnings": r["warnings"],
             "table": r["table"].rows() if r["table"] else []} for r in rows]


@router.get("/supplies/alerts")
def get_supply_alerts(request: HttpRequest):
    return [{k: (v.isoformat() if isinstance(v, datetime.date) else v) for k, v in a.items()}
            for a in selectors.supply_alerts(actor_for(request.user))]
