"""Demo data for the health module: bed counts, five years of seasonal weekly case reports
for five diseases with injected outbreaks, the detection run over them, and the supplies
reserve. Deterministic for ctx.seed; case reports are bulk-inserted."""

from __future__ import annotations

import datetime

import numpy as np
from django.db.models import Max, Min
from django.utils import timezone

from minsheng.core.bulkload import insert_rows
from minsheng.core.models import Organization, Person
from minsheng.health import services
from minsheng.health.models import Alert, CaseReport, Disease

# code: (weekly cases per 100,000 at baseline, [(peak ISO week, relative amplitude)],
#        children only?)  Shapes follow China's published seasonal patterns: HFMD peaks in
# May-June with a smaller autumn peak; ILI in winter; chickenpox in winter and early summer;
# mumps in spring-summer; scarlet fever in May-June and November-December.
SERIES = {
    "ili": (140.0, [(3, 1.6), (28, 0.3)], False),
    "hfmd": (14.0, [(22, 1.8), (40, 0.8)], True),
    "chickenpox": (11.0, [(50, 1.0), (22, 0.7)], True),
    "mumps": (5.0, [(20, 0.9)], True),
    "scarlet_fever": (4.5, [(22, 1.2), (48, 0.9)], True),
}
# (disease, subdistrict index, weeks before today, extra cases per 20,000 residents, weeks)
OUTBREAKS = [
    ("hfmd", 2, 1, 14, 2),            # kindergarten cluster, still open
    ("chickenpox", 0, 0, 9, 1),       # school outbreak this week
    ("mumps", 3, 2, 6, 1),
    ("ili", 1, 0, 45, 1),
    ("scarlet_fever", 4, 6, 6, 1),    # older: the demo closes it
    ("hfmd", 5, 8, 10, 2),            # older: investigated, closed as outbreak
    ("hfmd", 1, 60, 12, 2),           # in the baseline years
    ("chickenpox", 2, 90, 10, 1),
]
YEARS = 5
BEDS_PER_1000 = [4.02, 4.10, 4.18, 4.27, 4.35]  # year-end, oldest first
SUPPLIES = [  # name, category, unit, required per 20,000 residents
    ("医用防护服", "防护用品", "套", 2000),
    ("医用防护口罩（N95）", "防护用品", "只", 6000),
    ("一次性医用外科口罩", "防护用品", "只", 20000),
    ("护目镜", "防护用品", "副", 800),
    ("隔离衣", "防护用品", "件", 1500),
    ("病毒采样拭子", "检测用品", "份", 3000),
    ("抗原快速检测试剂", "检测用品", "人份", 4000),
    ("奥司他韦胶囊", "药品", "盒", 600),
    ("含氯消毒剂", "消杀用品", "公斤", 1000),
    ("口服补液盐", "药品", "袋", 1200),
]


def build(ctx) -> None:
    hospitals = list(Organization.objects.filter(kind=Organization.Kind.HOSPITAL,
                                                 area__path__startswith=ctx.district.path)
                     .order_by("id"))
    _beds(ctx, hospitals)
    reports = _case_reports(ctx, hospitals)
    ctx.say(f"health: {reports} case reports")
    _supplies(ctx, hospitals)
    _detection(ctx)


def _beds(ctx, hospitals) -> None:
    if not hospitals:
        return
    rng = ctx.rng(601)
    weights = rng.uniform(0.6, 1.4, size=len(hospitals))
    weights /= weights.sum()
    last_year = ctx.today.year - 1
    for offset, rate in enumerate(BEDS_PER_1000):
        year = last_year - (len(BEDS_PER_1000) - 1) + offset
        total = rate * ctx.people / 1000
        beds = np.maximum(1, np.round(total * weights)).astype(int)
        for hospital, n in zip(hospitals, beds, strict=True):
            services.bed_count_record(actor=ctx.actor, hospital=hospital, year=year,
                                      actual_beds=int(n), newborn_cots=int(n * 0.03),
                                      observation_beds=int(n * 0.05),
                                      companion_beds=int(n * 0.04))


def _person_pool(ctx, rng) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A bounded random sample of living residents: ids, birth dates, community, subdistrict
    index. Ids of the bulk-loaded registry are dense, so a random id sample suffices."""
    bounds = Person.objects.filter(status=Person.Status.LIVING).aggregate(lo=Min("id"),
                                                                          hi=Max("id"))
    size = min(50_000, max(1, bounds["hi"] - bounds["lo"] + 1))
    picks = np.unique(rng.integers(bounds["lo"], bounds["hi"] + 1, size=size))
    rows = []
    for start in range(0, len(picks), 5000):
        chunk = [int(x) for x in picks[start:start + 5000]]
        rows += list(Person.objects.filter(id__in=chunk, status=Person.Status.LIVING)
                     .values_list("id", "birth_date", "residence_area_id",
                                  "residence_area__parent_id"))
    sub_index = {s.id: i for i, s in enumerate(ctx.subdistricts)}
    ids = np.array([r[0] for r in rows])
    births = np.array([r[1] for r in rows], dtype="datetime64[D]")
    areas = np.array([r[2] for r in rows])
    subs = np.array([sub_index.get(r[3], 0) for r in rows])
    return ids, births, areas, subs


def _weekly_means(base: float, peaks, weeks: np.ndarray) -> np.ndarray:
    iso = np.array([w.isocalendar()[1] for w in weeks], dtype=float)
    mean = np.ones(len(weeks))
    for peak, amplitude in peaks:
        distance = np.minimum(np.abs(iso - peak), 52 - np.abs(iso - peak))
        mean += amplitude * np.exp(-0.5 * (distance / 3.5) ** 2)
    return base * mean


def _case_reports(ctx, hospitals) -> int:
    rng = ctx.rng(602)
    ids, births, areas, subs = _person_pool(ctx, rng)
    if not len(ids):
        return 0
    today = np.datetime64(ctx.today, "D")
    child = (today - births).astype(int) < 15 * 365
    diseases = {d.code: d for d in Disease.objects.filter(code__in=[*SERIES, "cholera"])}
    facilities = list(Organization.objects.filter(
        kind__in=[Organization.Kind.CLINIC, Organization.Kind.HOSPITAL],
        area__path__startswith=ctx.district.path).values_list("id", "area_id"))
    if not facilities:
        return 0
    sub_ids = [s.id for s in ctx.subdistricts]
    facility_by_sub = {i: [f for f, a in facilities if a == sid] or [facilities[0][0]]
                       for i, sid in enumerate(sub_ids)}
    monday = ctx.today - datetime.timedelta(days=ctx.today.weekday())
    weeks = [monday - datetime.timedelta(weeks=k) for k in range(YEARS * 52, -1, -1)]
    scale = ctx.people / 100_000
    pop_share = np.bincount(subs, minlength=len(sub_ids)) / len(subs)
    columns = ("person_id", "disease_id", "area_id", "facility_id", "onset_date",
               "diagnosed_at", "reported_at", "report_date", "status", "report_delay_hours",
               "late", "note", "version", "created_at", "updated_at")
    now = timezone.now()
    total = 0
    tz = timezone.get_current_timezone()
    for code, (base, peaks, children) in SERIES.items():
        disease = diseases.get(code)
        if disease is None:
            continue
        mean = _weekly_means(base * scale, peaks, weeks)
        # negative-binomial noise (gamma-Poisson, dispersion 8) and a gentle trend
        trend = np.linspace(0.92, 1.05, len(weeks))
        counts = rng.poisson(rng.gamma(8.0, mean * trend / 8.0))
        # per week and subdistrict
        per_sub = np.array([rng.multinomial(n, pop_share) for n in counts])
        for name, s_index, weeks_ago, extra, span in OUTBREAKS:
            if name == code and s_index < len(sub_ids):
                for k in range(span):
                    per_sub[len(weeks) - 1 - weeks_ago - k, s_index] += max(
                        2, round(extra * ctx.people / 20_000 / span))
        pool = np.where(child)[0] if children and child.any() else np.arange(len(ids))
        rows = []
        week_idx, sub_idx = np.nonzero(per_sub)
        for w, s in zip(week_idx, sub_idx, strict=True):
            n = int(per_sub[w, s])
            candidates = pool[subs[pool] == s]
            if not len(candidates):
                candidates = pool
            chosen = rng.choice(candidates, size=n)
            days = rng.integers(0, 7, size=n)
            hours = rng.integers(8, 21, size=n)
            delay = np.where(rng.random(n) < 0.03, rng.uniform(25, 60, size=n),
                             rng.exponential(4.0, size=n))
            onset_back = rng.integers(0, 5, size=n)
            status = rng.choice(["clinical", "confirmed", "suspected"], size=n,
                                p=[0.62, 0.33, 0.05])
            for i in range(n):
                report_date = weeks[w] + datetime.timedelta(days=int(days[i]))
                if report_date > ctx.today:
                    report_date = ctx.today
                reported_at = datetime.datetime.combine(report_date, datetime.time(
                    int(hours[i]), int(i * 7 % 60)), tzinfo=tz)
                diagnosed_at = reported_at - datetime.timedelta(hours=float(delay[i]))
                birth = births[chosen[i]].astype(datetime.date)
                onset = max(birth, min(diagnosed_at.date(), report_date)
                            - datetime.timedelta(days=int(onset_back[i])))
                hours_late = float(delay[i])
                rows.append((int(ids[chosen[i]]), disease.id, int(areas[chosen[i]]),
                             facility_by_sub[s][i % len(facility_by_sub[s])], onset,
                             diagnosed_at, reported_at, report_date, status[i],
                             round(hours_late, 2), hours_late > disease.report_hours, "", 1,
                             now, now))
        insert_rows(CaseReport._meta.db_table, columns, rows)
        total += len(rows)
    cholera = diseases.get("cholera")
    if cholera is not None:  # one imported cholera case three days ago: a critical signal
        day = ctx.today - datetime.timedelta(days=3)
        i = int(rng.integers(len(ids)))
        reported_at = datetime.datetime.combine(day, datetime.time(10, 30), tzinfo=tz)
        diagnosed_at = reported_at - datetime.timedelta(hours=1, minutes=20)
        insert_rows(CaseReport._meta.db_table, columns, [(
            int(ids[i]), cholera.id, int(areas[i]), facility_by_sub[int(subs[i])][0],
            day - datetime.timedelta(days=1), diagnosed_at, reported_at, day, "confirmed",
            1.33, False, "输入性病例", 1, now, now)])
        total += 1
    return total


def _supplies(ctx, hospitals) -> None:
    rng = ctx.rng(603)
    holder = ctx.departments.get("health")
    scale = max(0.05, ctx.people / 20_000)
    for n, (name, category, unit, required) in enumerate(SUPPLIES):
        need = max(1, int(round(required * scale)))
        item = services.supply_item_create(actor=ctx.actor, name=name, unit=unit,
                                           category=category, required_quantity=need,
                                           area=ctx.district, holder=holder)
        received = ctx.today - datetime.timedelta(days=int(rng.integers(200, 500)))
        shelf = datetime.timedelta(days=3 * 365)
        if name == "医用防护服":  # shortfall: a lot was issued in an exercise
            lots = [(int(need * 0.55), received, received + shelf)]
        elif name == "奥司他韦胶囊":  # one lot expiring within the window
            lots = [(int(need * 0.6), received, ctx.today + datetime.timedelta(days=45)),
                    (int(need * 0.6), ctx.today - datetime.timedelta(days=30),
                     ctx.today + datetime.timedelta(days=700))]
        elif name == "抗原快速检测试剂":  # an expired lot still held
            lots = [(int(need * 1.1), received, ctx.today + datetime.timedelta(days=400)),
                    (int(need * 0.2), received - datetime.timedelta(days=800),
                     ctx.today - datetime.timedelta(days=10))]
        else:
            lots = [(int(need * rng.uniform(1.0, 1.3)), received, received + shelf)]
        for k, (quantity, got, expiry) in enumerate(lots):
            services.supply_lot_add(actor=ctx.actor, item=item, batch=f"B{n:02d}{k}{got:%y%m}",
                                    quantity=max(1, quantity), received_on=got,
                                    expiry_date=expiry)


def _detection(ctx) -> None:
    try:
        report = services.detection_run(actor=ctx.actor, on=ctx.today, lookback=10)
    except ImportError:
        ctx.notes.append("[yellow]health: detection module not available, no demo alerts")
        return
    ctx.notes.append(f"health: {report['alerts_created']} outbreak alerts from "
                     f"{report['evaluated']} evaluated series")
    old = ctx.today - datetime.timedelta(weeks=4)
    for alert in Alert.objects.filter(period_start__lt=old).order_by("period_start"):
        services.alert_verify(actor=ctx.actor, alert=alert,
                              finding="核对报告卡，病例信息属实。")
        if alert.disease.code == "hfmd" and alert.count >= 4:
            services.alert_investigate(
                actor=ctx.actor, alert=alert, started_on=timezone.localdate(),
                setting_kind="kindergarten", cases_found=alert.count, samples_taken=6,
                samples_positive=4, findings="同一幼儿园两个班级聚集性病例，EV71阳性。",
                measures="班级停课10天，晨午检，环境消毒。")
            services.alert_close(actor=ctx.actor, alert=alert, outbreak=True,
                                 outcome="聚集性疫情，已处置，连续两个潜伏期无新发病例。")
        else:
            services.alert_close(actor=ctx.actor, alert=alert, outbreak=False,
                                 outcome="散发病例，未发现流行病学关联。")
