"""Health endpoints (/api/health/...): thin, calling selectors and services. Separate
input and output schemas; every list is paged with `core.pagination.ApiPagination`."""

import datetime

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from minsheng.core.access import actor_for
from minsheng.core.forms import MAX_INT
from minsheng.core.pagination import ApiPagination
from minsheng.health import selectors, services

router = Router(tags=["health"])



def _count():
    return Field(0, ge=0, le=MAX_INT)


def _pk():
    """An id in the path: a positive number a database column can hold (else 422)."""
    return Path(..., ge=1, le=MAX_INT)


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
    version: int


class DiseaseConfigureIn(Schema):
    version: int = Field(..., ge=1, le=MAX_INT)
    method: str = Field(..., max_length=30)
    params: dict = Field(default_factory=dict)
    detection_enabled: bool = True


class CaseReportIn(Schema):
    person_id: int = Field(..., ge=1, le=MAX_INT)
    disease: str = Field(..., max_length=40, description="disease code or ICD-10 code")
    facility_id: int = Field(..., ge=1, le=MAX_INT)
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


class CaseFilter(Schema):
    disease: str = Field("", max_length=40)
    area: str = Field("", max_length=12)
    late: bool | None = None


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
    version: int = Field(..., ge=1, le=MAX_INT)
    finding: str = Field(..., max_length=2000)


class InvestigateIn(Schema):
    version: int = Field(..., ge=1, le=MAX_INT)
    started_on: datetime.date
    setting: str = Field(..., max_length=15)
    findings: str = Field(..., max_length=4000)
    cases_found: int = _count()
    samples_taken: int = _count()
    samples_positive: int = _count()
    measures: str = Field("", max_length=4000)


class CloseIn(Schema):
    version: int = Field(..., ge=1, le=MAX_INT)
    outbreak: bool
    outcome: str = Field(..., max_length=2000)


class NoteIn(Schema):
    note: str = Field(..., max_length=2000)


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


class BedFilter(Schema):
    year: int | None = Field(None, ge=1949, le=2100)


class BedCountIn(Schema):
    hospital_id: int = Field(..., ge=1, le=MAX_INT)
    year: int = Field(..., ge=1949, le=2100)
    actual_beds: int = _count()
    newborn_cots: int = _count()
    observation_beds: int = _count()
    companion_beds: int = _count()


class BedCountOut(Schema):
    id: int
    hospital_id: int
    hospital: str
    area_code: str
    year: int
    actual_beds: int
    newborn_cots: int
    observation_beds: int
    companion_beds: int

    @staticmethod
    def resolve_hospital_id(obj):
        return obj.organization_id

    @staticmethod
    def resolve_hospital(obj):
        return obj.organization.name

    @staticmethod
    def resolve_area_code(obj):
        return obj.organization.area.code


class SupplyItemIn(Schema):
    name: str = Field(..., max_length=100)
    category: str = Field("", max_length=40)
    unit: str = Field(..., max_length=10)
    required_quantity: int = _count()
    area_code: str = Field(..., max_length=12)


class SupplyItemOut(Schema):
    id: int
    name: str
    category: str
    unit: str
    area_code: str
    required_quantity: int
    stock: int
    shortfall: int
    version: int

    @staticmethod
    def resolve_area_code(obj):
        return obj.area.code

    @staticmethod
    def resolve_stock(obj):
        return getattr(obj, "stock", None) or 0

    @staticmethod
    def resolve_shortfall(obj):
        return max(0, obj.required_quantity - (getattr(obj, "stock", None) or 0))


class SupplyLotIn(Schema):
    batch: str = Field(..., min_length=1, max_length=40)
    quantity: int = Field(..., ge=1, le=MAX_INT)
    received_on: datetime.date
    expiry_date: datetime.date | None = None


class SupplyLotOut(Schema):
    id: int
    item_id: int
    batch: str
    quantity: int
    received_on: datetime.date
    expiry_date: datetime.date | None


class IssueIn(Schema):
    quantity: int = Field(..., ge=1, le=MAX_INT)
    reason: str = Field("", max_length=200)


def _actor(request):
    return actor_for(request.user)


def _area(actor, code: str):
    return selectors.area_get(actor, code=code) if code else None


def _disease(actor, code: str):
    return selectors.disease_get(actor, code=code) if code else None


def _detail(actor, alert):
    alert.timeline = list(selectors.alert_timeline(actor, alert))
    return alert


# --- diseases ---------------------------------------------------------------------------

@router.get("/diseases", response=list[DiseaseOut])
def list_diseases(request: HttpRequest):
    """The notifiable diseases (reference data, a few dozen rows: not paged)."""
    return selectors.disease_list(_actor(request))


@router.patch("/diseases/{code}", response=DiseaseOut)
def configure_disease(request: HttpRequest, code: str, payload: DiseaseConfigureIn):
    actor = _actor(request)
    return services.disease_configure(
        actor=actor, disease=selectors.disease_get(actor, code=code), method=payload.method,
        params=payload.params, enabled=payload.detection_enabled, version=payload.version)


# --- case reports -----------------------------------------------------------------------

@router.get("/case-reports", response=list[CaseReportOut])
@paginate(ApiPagination)
def list_case_reports(request: HttpRequest, filters: Query[CaseFilter]):
    actor = _actor(request)
    return selectors.case_report_list(actor, disease=_disease(actor, filters.disease),
                                      area=_area(actor, filters.area), late=filters.late)


@router.get("/case-reports/{pk}", response=CaseReportOut)
def get_case_report(request: HttpRequest, pk: int = _pk()):
    return selectors.case_report_get(_actor(request), pk=pk)


@router.post("/case-reports", response={201: CaseReportOut})
def create_case_report(request: HttpRequest, payload: CaseReportIn):
    actor = _actor(request)
    report = services.case_report_create(
        actor=actor, person=selectors.patient_get(actor, pk=payload.person_id),
        disease=payload.disease, facility=selectors.facility_get(actor, pk=payload.facility_id),
        onset_date=payload.onset_date, diagnosed_at=payload.diagnosed_at,
        reported_at=payload.reported_at, status=payload.status,
        area=_area(actor, payload.community_code), note=payload.note)
    return 201, report


# --- alerts -----------------------------------------------------------------------------

@router.get("/alerts", response=list[AlertOut])
@paginate(ApiPagination)
def list_alerts(request: HttpRequest, filters: Query[AlertFilter]):
    actor = _actor(request)
    return selectors.alert_list(actor, state=filters.state,
                                disease=_disease(actor, filters.disease),
                                area=_area(actor, filters.area))


@router.get("/alerts/{pk}", response=AlertDetailOut)
def get_alert(request: HttpRequest, pk: int = _pk()):
    actor = _actor(request)
    return _detail(actor, selectors.alert_get(actor, pk=pk))


@router.post("/alerts/{pk}/verify", response=AlertDetailOut)
def verify_alert(request: HttpRequest, payload: VerifyIn, pk: int = _pk()):
    actor = _actor(request)
    alert = selectors.alert_get(actor, pk=pk)
    return _detail(actor, services.alert_verify(actor=actor, alert=alert,
                                                finding=payload.finding,
                                                version=payload.version))


@router.post("/alerts/{pk}/investigate", response=AlertDetailOut)
def investigate_alert(request: HttpRequest, payload: InvestigateIn, pk: int = _pk()):
    actor = _actor(request)
    alert = selectors.alert_get(actor, pk=pk)
    return _detail(actor, services.alert_investigate(
        actor=actor, alert=alert, started_on=payload.started_on, setting_kind=payload.setting,
        findings=payload.findings, cases_found=payload.cases_found,
        samples_taken=payload.samples_taken, samples_positive=payload.samples_positive,
        measures=payload.measures, version=payload.version))


@router.post("/alerts/{pk}/close", response=AlertDetailOut)
def close_alert(request: HttpRequest, payload: CloseIn, pk: int = _pk()):
    actor = _actor(request)
    alert = selectors.alert_get(actor, pk=pk)
    return _detail(actor, services.alert_close(actor=actor, alert=alert,
                                               outbreak=payload.outbreak,
                                               outcome=payload.outcome,
                                               version=payload.version))


@router.post("/alerts/{pk}/notes", response={201: AlertDetailOut})
def note_alert(request: HttpRequest, payload: NoteIn, pk: int = _pk()):
    actor = _actor(request)
    alert = selectors.alert_get(actor, pk=pk)
    services.alert_note(actor=actor, alert=alert, note=payload.note)
    return 201, _detail(actor, alert)


@router.post("/detection-runs", response={202: JobOut})
def start_detection(request: HttpRequest, payload: DetectIn):
    job = services.detection_start(actor=_actor(request), on=payload.date)
    return 202, {"id": job.pk, "state": job.state}


# --- figures ----------------------------------------------------------------------------

@router.get("/epicurve/{disease}")
def get_epicurve(request: HttpRequest, disease: str, area: str = "", weeks: int = 156):
    actor = _actor(request)
    return selectors.epicurve(actor, disease=selectors.disease_get(actor, code=disease),
                              area=_area(actor, area), weeks=max(4, min(weeks, 520)))


@router.get("/life-tables/{year}", response=list[LifeTableOut])
def get_life_tables(request: HttpRequest, year: int, sex: str = ""):
    rows = selectors.life_tables(_actor(request), year=year,
                                 sex=sex if sex in ("M", "F") else None)
    return [{"area_code": r["area"].code, "area_name": r["area"].name, "year": year,
             "population": r["population"], "deaths": r["deaths"], "e0": r["e0"],
             "ci_low": r["ci"][0] if r["ci"] else None,
             "ci_high": r["ci"][1] if r["ci"] else None, "warnings": r["warnings"],
             "table": r["table"].rows() if r["table"] else []} for r in rows]


# --- beds and supplies ------------------------------------------------------------------

@router.get("/beds", response=list[BedCountOut])
@paginate(ApiPagination)
def list_bed_counts(request: HttpRequest, filters: Query[BedFilter]):
    return selectors.bed_counts(_actor(request), year=filters.year)


@router.post("/beds", response={200: BedCountOut})
def record_bed_count(request: HttpRequest, payload: BedCountIn):
    actor = _actor(request)
    return services.bed_count_record(
        actor=actor, hospital=selectors.hospital_get(actor, pk=payload.hospital_id),
        year=payload.year, actual_beds=payload.actual_beds, newborn_cots=payload.newborn_cots,
        observation_beds=payload.observation_beds, companion_beds=payload.companion_beds)


@router.get("/supplies/items", response=list[SupplyItemOut])
@paginate(ApiPagination)
def list_supply_items(request: HttpRequest):
    return selectors.supply_items(_actor(request))


@router.post("/supplies/items", response={201: SupplyItemOut})
def create_supply_item(request: HttpRequest, payload: SupplyItemIn):
    actor = _actor(request)
    item = services.supply_item_create(
        actor=actor, name=payload.name, unit=payload.unit, category=payload.category,
        required_quantity=payload.required_quantity,
        area=selectors.area_get(actor, code=payload.area_code))
    return 201, selectors.supply_item_get(actor, pk=item.pk)


@router.get("/supplies/items/{pk}", response=SupplyItemOut)
def get_supply_item(request: HttpRequest, pk: int = _pk()):
    return selectors.supply_item_get(_actor(request), pk=pk)


@router.get("/supplies/items/{pk}/lots", response=list[SupplyLotOut])
@paginate(ApiPagination)
def list_supply_lots(request: HttpRequest, pk: int = _pk()):
    actor = _actor(request)
    return selectors.supply_lots(actor, selectors.supply_item_get(actor, pk=pk))


@router.post("/supplies/items/{pk}/lots", response={201: SupplyLotOut})
def receive_supply_lot(request: HttpRequest, payload: SupplyLotIn, pk: int = _pk()):
    actor = _actor(request)
    item = selectors.supply_item_get(actor, pk=pk)
    return 201, services.supply_lot_add(actor=actor, item=item, batch=payload.batch,
                                        quantity=payload.quantity,
                                        received_on=payload.received_on,
                                        expiry_date=payload.expiry_date)


@router.post("/supplies/lots/{pk}/issue", response=SupplyLotOut)
def issue_supply_lot(request: HttpRequest, payload: IssueIn, pk: int = _pk()):
    actor = _actor(request)
    lot = selectors.supply_lot_get(actor, pk=pk)
    return services.supply_lot_issue(actor=actor, lot=lot, quantity=payload.quantity,
                                     reason=payload.reason)


@router.get("/supplies/alerts")
def get_supply_alerts(request: HttpRequest):
    return [{k: (v.isoformat() if isinstance(v, datetime.date) else v) for k, v in a.items()}
            for a in selectors.supply_alerts(_actor(request))]
