"""Demo: import the seed plan, confirm its targets, and fill the indicator engine.

Values are computed from records wherever a source is registered (core population, and any
domain module's source such as employment.* or health.*). Only for data element codes with
NO registered source does the demo generate monthly/yearly values, per subdistrict, five
years back from the demo's today; those rows carry source="demo" so nobody mistakes them
for computed figures. The series are shaped so the overview shows every status: e.g. the
registered unemployment rate rises towards its 3.5% ceiling (at risk while still inside).
"""

from __future__ import annotations

import datetime
from importlib import resources

import numpy as np
import pandas as pd

from minsheng.indicators import engine, registry
from minsheng.indicators import services as indicator_services
from minsheng.indicators.models import DataElement, DataValue, Indicator
from minsheng.plans import services
from minsheng.plans.models import PlanItem, ProgressReport, Target, TargetDraft

YEARS = 5
DEADLINE = datetime.date(2027, 12, 31)
# chapter number -> (lead department, co-operating departments)
CHAPTER_DEPARTMENTS = {
    "一": ("supervision", []), "二": ("hrss", ["market"]), "三": ("hrss", ["civil_affairs"]),
    "四": ("education", []), "五": ("culture", []), "六": ("health", ["market"]),
    "七": ("emergency", ["market", "petitions"]),
}
# indicator -> (kind, department) as the demo's plan supervisor decided them
DECISIONS = {
    "new_jobs": (Target.Kind.ANNUAL_FLOW, "hrss"),
    "registered_unemployment_rate": (Target.Kind.CEILING, "hrss"),
    "insurance_participation_rate": (Target.Kind.FLOOR, "hrss"),
    "preschool_gross_enrolment": (Target.Kind.FLOOR, "education"),
    "compulsory_retention_rate": (Target.Kind.FLOOR, "education"),
    "hospital_beds_per_1000": (Target.Kind.FLOOR, "health"),
    "life_expectancy": (Target.Kind.FLOOR, "health"),
    "eldercare_beds": (Target.Kind.FLOOR, "civil_affairs"),
}
# Seasonal profile of new jobs (share of the year per month; spring recruitment peak).
JOB_SEASON = np.array([0.06, 0.05, 0.11, 0.10, 0.09, 0.10, 0.09, 0.08, 0.09, 0.08, 0.08, 0.07])


def seed_plan_path():
    return resources.files("minsheng.plans.seed").joinpath("plan.txt")


def build(ctx) -> None:
    today = ctx.today
    end = engine.period_start(today, "month")
    start = datetime.date(end.year - YEARS, end.month, 1) + datetime.timedelta(days=32)
    start = start.replace(day=1)
    indicator_services.values_compute(actor=ctx.actor, start=start, end=end)
    generated = demo_values(ctx, start, end)
    plan = _plan(ctx)
    counts = services.targets_review(actor=ctx.actor, plan=plan, today=today)
    _reports(ctx, plan)
    ctx.notes.append(
        f"plan: {plan.items.count()} items, {plan.targets.filter(parent=None).count()} targets, "
        f"{counts['opened']} supervision item(s); demo values for "
        f"{', '.join(generated) or 'no element'} (no source registered)")


def _population(ctx, start, end) -> pd.DataFrame:
    """Residents per subdistrict and month from the registry (computed, not generated)."""
    rows = list(DataValue.objects.filter(element__code="core.resident_population",
                                         current=True, area__in=ctx.subdistricts,
                                         period_start__gte=start, period_start__lte=end)
                .values_list("area_id", "period_start", "value"))
    frame = pd.DataFrame(rows, columns=["area", "period", "value"])
    months = engine.periods(start, end, "month")
    full = pd.MultiIndex.from_product([[a.id for a in ctx.subdistricts], months],
                                      names=["area", "period"])
    frame = frame.set_index(["area", "period"]).reindex(full)
    fallback = max(ctx.people / max(len(ctx.subdistricts), 1), 1000)
    frame["value"] = frame.groupby(level="area")["value"].transform(
        lambda s: s.ffill().bfill()).fillna(fallback)
    return frame.reset_index()


def demo_values(ctx, start: datetime.date, end: datetime.date) -> list[str]:
    """Generate values for every catalogue element that has no registered source."""
    elements = {e.code: e for e in DataElement.objects.all()}
    wanted = [c for c in elements if c not in registry.SOURCES and not elements[c].formula]
    if not wanted:
        return []
    rng = ctx.rng(3003)
    pop = _population(ctx, start, end)
    months = engine.periods(start, end, "month")
    subs = [a.id for a in ctx.subdistricts]
    n_sub, n_month = len(subs), len(months)
    t = np.arange(n_month) / 12.0  # years since start
    popm = pop.pivot(index="area", columns="period", values="value").loc[subs].to_numpy()
    share = popm[:, -1] / popm[:, -1].sum()
    offset = rng.normal(0, 1, n_sub)  # each subdistrict's persistent deviation
    offset -= float(offset @ share)  # centred: the district follows the intended path
    frames: dict[str, pd.DataFrame] = {}

    def monthly(code, matrix):
        frames[code] = pd.DataFrame({"area": np.repeat(subs, n_month),
                                     "period": months * n_sub,
                                     "value": _counts(matrix.ravel())})

    years = [m for m in months if m.month == 1] or [months[0].replace(month=1)]
    year_idx = [months.index(y) if y in months else 0 for y in years]
    ty = np.array([t[i] for i in year_idx])

    def yearly(code, matrix):
        frames[code] = pd.DataFrame({"area": np.repeat(subs, len(years)),
                                     "period": years * n_sub,
                                     "value": _counts(matrix.ravel())})

    season = JOB_SEASON[[m.month - 1 for m in months]]
    annual = 20_800 + 420 * t  # district new jobs per year, growing
    jobs = (annual * season)[None, :] * share[:, None] * rng.normal(1, 0.05, (n_sub, n_month))
    monthly("employment.new_jobs", np.maximum(jobs, 0))
    # registered unemployment rate: 3.0% rising ~0.08 points a year -> ~3.4% now
    rate = (3.0 + 0.085 * t)[None, :] + 0.25 * offset[:, None] + rng.normal(0, 0.03,
                                                                          (n_sub, n_month))
    rate = np.clip(rate, 1.0, 8.0)
    employed = popm * 0.52
    monthly("employment.employed", employed)
    monthly("employment.registered_unemployed", (employed * rate / (100 - rate)))
    workers = popm * 0.58
    insured_rate = np.clip((96.6 + 0.38 * t)[None, :] + 0.4 * offset[:, None]
                           + rng.normal(0, 0.08, (n_sub, n_month)), 80, 99.9)
    monthly("employment.workers_total", workers)
    monthly("employment.insured_workers", (workers * insured_rate / 100))
    popy = popm[:, year_idx]
    beds_rate = (3.45 + 0.06 * ty)[None, :] + 0.3 * offset[:, None]
    yearly("health.hospital_beds", (popy * beds_rate / 1000))
    life = (80.9 + 0.15 * ty)[None, :] + 0.5 * offset[:, None] + rng.normal(0, 0.05, popy.shape)
    frames["health.life_expectancy"] = pd.DataFrame({
        "area": np.repeat(subs, len(years)), "period": years * n_sub,
        "value": np.round(life.ravel(), 2)})

    from minsheng.core.models import Area

    parents = dict(Area.objects.values_list("id", "parent_id"))
    depth = {a: p.count("/") for a, p in Area.objects.values_list("id", "path")}
    stored = []
    for code in wanted:
        frame = frames.get(code)
        if frame is None:
            continue
        element = elements[code]
        if element.aggregation == "none":
            # not additive: the district figure is the population-weighted mean
            frame = frame.assign(w=np.repeat(share, len(frame) // n_sub))
            district = (frame.assign(wv=frame["value"] * frame["w"])
                        .groupby("period", as_index=False)["wv"].sum()
                        .rename(columns={"wv": "value"}))
            district["area"] = ctx.district.id
            frame = pd.concat([frame[["area", "period", "value"]],
                               district[["area", "period", "value"]].round(2)])
        else:
            frame = engine.rollup_areas(frame, parents, depth)
        indicator_services.values_store(element, frame, actor=ctx.actor, source="demo")
        stored.append(code)
    return stored


def _counts(values: np.ndarray) -> np.ndarray:
    """Whole numbers for counts, except tiny demo districts, where whole numbers would turn
    rates of 99% into 80% or 100% (one decimal is kept there)."""
    return np.round(values, 0 if np.nanmedian(values) >= 500 else 1)


def _plan(ctx):
    plan = services.plan_import(actor=ctx.actor, path=str(seed_plan_path()), area=ctx.district,
                                name="plan.txt")
    departments = ctx.departments
    for item in PlanItem.objects.filter(plan=plan):
        chapter_number = item.number.split(".")[0]
        lead, co = CHAPTER_DEPARTMENTS.get(chapter_number, ("supervision", []))
        services.item_update(actor=ctx.actor, item=item, version=item.version,
                             lead_department=departments.get(lead), deadline=DEADLINE,
                             co_departments=[departments[c] for c in co if c in departments])
    indicators = {i.code: i for i in Indicator.objects.all()}
    for draft in TargetDraft.objects.filter(plan=plan).order_by("id"):
        code = draft.suggested_indicator
        if code not in DECISIONS:
            continue  # left for a human: no indicator measures it yet
        kind, dept = DECISIONS[code]
        services.draft_confirm(actor=ctx.actor, draft=draft, version=draft.version,
                               indicator=indicators[code], kind=kind, value=draft.value,
                               deadline=DEADLINE, area=ctx.district,
                               lead_department=departments.get(dept))
    jobs = Target.objects.filter(plan=plan, indicator__code="new_jobs").first()
    if jobs is not None and jobs.value:
        _cascade_jobs(ctx, jobs)
    plan.refresh_from_db()
    return services.plan_activate(actor=ctx.actor, plan=plan, version=plan.version)


def _cascade_jobs(ctx, target) -> None:
    weights = dict(DataValue.objects.filter(
        element__code="core.resident_population", current=True,
        area__in=ctx.subdistricts).order_by("period_start").values_list("area_id", "value"))
    total = sum(weights.values()) or 1
    values, remaining = {}, target.value
    for area in ctx.subdistricts[:-1]:
        v = round(target.value * weights.get(area.id, total / len(ctx.subdistricts)) / total)
        values[area], remaining = v, remaining - v
    values[ctx.subdistricts[-1]] = remaining
    services.target_cascade(actor=ctx.actor, target=target, values=values)


def _reports(ctx, plan) -> None:
    """A few progress reports for last month, so the supervision page shows both submitted
    and overdue reports."""
    period = (ctx.today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    rng = ctx.rng(3004)
    measures = list(PlanItem.objects.filter(plan=plan, level="measure")
                    .exclude(lead_department=None).order_by("position"))
    for item in measures:
        if rng.random() < 0.6:
            ProgressReport.objects.create(
                item=item, department=item.lead_department, period=period,
                progress=ProgressReport.Progress.ON_SCHEDULE if rng.random() < 0.8
                else ProgressReport.Progress.DELAYED,
                narrative=f"{item.title}：本月按计划推进，已完成阶段性工作。")
