"""Unemployment early warning (失业预警).

`evaluate()` is plain numpy over all monthly headcount reports at once (enterprise x month
arrays); `warnings_scan()` stores the warnings it finds, opens a follow-up for the HR &
social security department for each, and for a layoff matches the affected workers to
vacancies before they register as unemployed.

Rules (defaults in `defaults.py`, district overrides in settings.MINSHENG_EMPLOYMENT):
- layoff: reductions by layoff >= LAYOFF_MIN_PEOPLE, or >= LAYOFF_MIN_SHARE of the
  baseline (Labour Contract Law art. 41) with at least LAYOFF_SHARE_MIN_PEOPLE people;
  red when the notice date is missing or less than LAYOFF_NOTICE_DAYS before the
  effective date, else yellow;
- job loss: all reductions / baseline >= JOB_LOSS_RATE_THRESHOLD for enterprises with at
  least JOB_LOSS_MIN_BASELINE staff (red at twice the threshold);
- rate band: registered unemployment rate per subdistrict and district, bands
  UNEMPLOYMENT_RATE_BANDS; yellow and red bands warn;
- claims: monthly count of new benefit claims, EARS C2 through
  ``minsheng.detection.detect("ears_c2", ...)`` when that module accepts monthly data;
  otherwise the same rule written out: alarm when the month's count exceeds
  mean + CLAIMS_Z x max(sd, CLAIMS_MIN_SD) of the CLAIMS_BASELINE_MONTHS months that end
  CLAIMS_GUARD_MONTHS before it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import numpy as np
from django.db import transaction
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone

from minsheng.core.access import as_actor, require, system_actor
from minsheng.core.errors import CalendarUnknown
from minsheng.core.models import Area, Organization
from minsheng.employment.config import setting
from minsheng.employment.models import (
    BenefitClaim,
    Employment,
    HeadcountReport,
    JobSeeker,
    UnemploymentWarning,
)
from minsheng.employment.permissions import WARNINGS

REASONS = ("reduced_closure", "reduced_suspension", "reduced_layoff", "reduced_contract",
           "reduced_other")


@dataclass
class Evaluation:
    layoff: np.ndarray  # bool per report
    notice_ok: np.ndarray
    job_loss: np.ndarray
    job_loss_rate: np.ndarray
    net_change: np.ndarray
    by_group: dict  # name -> (groups x months) arrays of baseline, reductions, net


def evaluate(enterprise: np.ndarray, month: np.ndarray, baseline: np.ndarray,
             additions: np.ndarray, reductions: np.ndarray, notice_days: np.ndarray,
             groups: dict[str, np.ndarray] | None = None, n_months: int | None = None,
             rules: dict | None = None) -> Evaluation:
    """Vectorised rules over N reports. `reductions` is N x 5 (REASONS order);
    `notice_days` is days from notice to effect (NaN: no notice); `groups` maps a name
    (industry, subdistrict) to a group index per *enterprise*."""
    r = rules or {k: setting(k) for k in ("LAYOFF_MIN_PEOPLE", "LAYOFF_MIN_SHARE",
                                          "LAYOFF_NOTICE_DAYS", "JOB_LOSS_RATE_THRESHOLD",
                                          "LAYOFF_SHARE_MIN_PEOPLE",
                                          "JOB_LOSS_MIN_BASELINE")}
    baseline = baseline.astype(np.float64)
    total_red = reductions.sum(axis=1)
    layoff_n = reductions[:, 2]
    safe = np.maximum(baseline, 1)
    layoff = (layoff_n >= r["LAYOFF_MIN_PEOPLE"]) | (
        (layoff_n >= r.get("LAYOFF_SHARE_MIN_PEOPLE", 1))
        & (layoff_n / safe >= r["LAYOFF_MIN_SHARE"]))
    notice_ok = np.nan_to_num(notice_days, nan=-1) >= r["LAYOFF_NOTICE_DAYS"]
    rate = total_red / safe
    job_loss = (baseline >= r["JOB_LOSS_MIN_BASELINE"]) & (rate >= r["JOB_LOSS_RATE_THRESHOLD"])
    net = additions - total_red
    by_group = {}
    n_months = n_months or (int(month.max()) + 1 if len(month) else 0)
    for name, group_of_enterprise in (groups or {}).items():
        g = group_of_enterprise[enterprise]
        n_groups = int(group_of_enterprise.max()) + 1 if len(group_of_enterprise) else 0
        flat = g * n_months + month
        size = n_groups * n_months
        base = np.bincount(flat, weights=baseline, minlength=size).reshape(n_groups, n_months)
        red = np.bincount(flat, weights=total_red, minlength=size).reshape(n_groups, n_months)
        nets = np.bincount(flat, weights=net, minlength=size).reshape(n_groups, n_months)
        by_group[name] = {"baseline": base, "reductions": red, "net": nets,
                          "job_loss_rate": red / np.maximum(base, 1)}
    return Evaluation(layoff, notice_ok, job_loss, rate, net, by_group)


def rate_band(rate: float) -> str:
    for upper, band in setting("UNEMPLOYMENT_RATE_BANDS"):
        if rate < upper:
            return band
    return "red"


def claims_alarm(counts: list[int], dates: list[datetime.date]) -> tuple[np.ndarray, str]:
    """Alarm per month for new benefit claims: detection's EARS C2 when available."""
    y = np.asarray(counts, dtype=float)
    try:
        from minsheng.detection import detect

        table = detect("ears_c2", y.astype(int).tolist(), dates)
        alarm = np.asarray(table["alarm"], dtype=bool)
        if alarm.shape == y.shape:
            return alarm, "ears_c2"
    except Exception:  # noqa: BLE001 - module absent or no monthly support: documented rule
        pass
    b, g = setting("CLAIMS_BASELINE_MONTHS"), setting("CLAIMS_GUARD_MONTHS")
    alarm = np.zeros(len(y), dtype=bool)
    if len(y) > b + g:
        windows = np.lib.stride_tricks.sliding_window_view(y, b)[: len(y) - b - g]
        mean, sd = windows.mean(axis=1), np.maximum(windows.std(axis=1, ddof=1),
                                                    setting("CLAIMS_MIN_SD"))
        alarm[b + g:] = y[b + g:] > mean + setting("CLAIMS_Z") * sd
    return alarm, "zscore"


def _first(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _month_end(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1) \
        - datetime.timedelta(days=1)


def report_arrays(start: datetime.date, end: datetime.date):
    """Headcount reports of a period as arrays (one query)."""
    rows = list(HeadcountReport.objects.filter(month__gte=_first(start), month__lte=end)
                .values_list("id", "enterprise_id", "month", "baseline", "additions",
                             *REASONS, "layoff_notice_date", "layoff_effective_date",
                             "enterprise__industry_code", "enterprise__area__path"))
    months_list = sorted({r[2] for r in rows})
    m_index = {m: i for i, m in enumerate(months_list)}
    ent_ids = sorted({r[1] for r in rows})
    e_index = {e: i for i, e in enumerate(ent_ids)}
    industry, subdistrict = {}, {}
    ent_industry = np.zeros(len(ent_ids), dtype=int)
    ent_sub = np.zeros(len(ent_ids), dtype=int)
    for r in rows:
        i = e_index[r[1]]
        ent_industry[i] = industry.setdefault((r[12] or "?")[:1], len(industry))
        sub = "/".join((r[13] or "").split("/")[:2])
        ent_sub[i] = subdistrict.setdefault(sub, len(subdistrict))
    notice = np.array([(r[11] - r[10]).days if r[10] and r[11] else np.nan for r in rows])
    return {
        "ids": np.array([r[0] for r in rows], dtype=np.int64),
        "enterprise_ids": np.array(ent_ids, dtype=np.int64),
        "enterprise": np.array([e_index[r[1]] for r in rows], dtype=int),
        "month": np.array([m_index[r[2]] for r in rows], dtype=int),
        "months": months_list,
        "baseline": np.array([r[3] for r in rows], dtype=float),
        "additions": np.array([r[4] for r in rows], dtype=float),
        "reductions": np.array([r[5:10] for r in rows], dtype=float).reshape(-1, 5),
        "notice_days": notice,
        "groups": {"industry": ent_industry, "subdistrict": ent_sub},
        "group_labels": {"industry": list(industry), "subdistrict": list(subdistrict)},
    }


def summary(start: datetime.date, end: datetime.date) -> dict:
    """Job-loss rate and net change per industry section and subdistrict, per month."""
    data = report_arrays(start, end)
    if not len(data["ids"]):
        return {"months": [], "groups": {}}
    ev = evaluate(data["enterprise"], data["month"], data["baseline"], data["additions"],
                  data["reductions"], data["notice_days"], data["groups"],
                  n_months=len(data["months"]))
    out = {}
    for name, table in ev.by_group.items():
        labels = data["group_labels"][name]
        out[name] = [{"group": labels[g], "baseline": table["baseline"][g].tolist(),
                      "net": table["net"][g].tolist(),
                      "job_loss_rate": table["job_loss_rate"][g].round(4).tolist()}
                     for g in range(len(labels))]
    return {"months": data["months"], "groups": out}


def _department():
    return Organization.objects.filter(department_code=setting("WARNING_DEPARTMENT")).first()


def _open_followup(actor, warning: UnemploymentWarning, today: datetime.date):
    from minsheng.casework.services import followup_open

    days = setting("WARNING_FOLLOWUP_WORKING_DAYS")
    try:
        item = followup_open(actor=actor, kind="unemployment_warning", title=warning.title,
                             area=warning.area, department=_department(),
                             source_type="employment.unemploymentwarning",
                             source_id=warning.pk, working_days=days, today=today,
                             description=str(warning.details.get("text", "")))
    except CalendarUnknown:  # calendar of that year not confirmed: calendar days
        item = followup_open(actor=actor, kind="unemployment_warning", title=warning.title,
                             area=warning.area, department=_department(),
                             source_type="employment.unemploymentwarning",
                             source_id=warning.pk,
                             due_date=today + datetime.timedelta(days=days + 2))
    UnemploymentWarning.objects.filter(pk=warning.pk).update(followup_id=item.pk)
    warning.followup_id = item.pk
    return item


def _store(actor, *, kind, level, month, area, subject, title, details, enterprise=None,
           today, followup: bool) -> tuple[UnemploymentWarning, bool]:
    warning, created = UnemploymentWarning.objects.get_or_create(
        kind=kind, subject=str(subject)[:60], month=month,
        defaults={"level": level, "area": area, "title": title[:200], "details": details,
                  "enterprise": enterprise})
    if created and followup:
        _open_followup(actor, warning, today)
    return warning, created


def warnings_scan(*, actor, start: datetime.date, end: datetime.date,
                  today: datetime.date | None = None,
                  followups_since: datetime.date | None = None,
                  match_workers: bool = True) -> list[UnemploymentWarning]:
    """Evaluate every rule for the months start..end; store new warnings (idempotent) and
    open follow-ups for those in or after `followups_since` (default: start)."""
    actor = as_actor(actor)
    require(actor, WARNINGS)
    today = today or timezone.localdate()
    followups_since = _first(followups_since or start)
    data = report_arrays(start, end)
    made = []
    with transaction.atomic():
        if len(data["ids"]):
            made += _enterprise_warnings(actor, data, today, followups_since, match_workers)
        made += _rate_warnings(actor, start, end, today, followups_since)
        made += _claims_warnings(actor, start, end, today, followups_since)
    return made


def _enterprise_warnings(actor, data, today, since, match_workers):
    ev = evaluate(data["enterprise"], data["month"], data["baseline"], data["additions"],
                  data["reductions"], data["notice_days"])
    hit = np.flatnonzero(ev.layoff | ev.job_loss)
    if not len(hit):
        return []
    ent_ids = data["enterprise_ids"][data["enterprise"][hit]]
    orgs = Organization.objects.select_related("area").in_bulk(ent_ids.tolist())
    made = []
    for i in hit:
        org = orgs[int(data["enterprise_ids"][data["enterprise"][i]])]
        month = data["months"][data["month"][i]]
        base, laid = int(data["baseline"][i]), int(data["reductions"][i, 2])
        follow = month >= since
        if ev.layoff[i]:
            notice = data["notice_days"][i]
            notice_text = (f"提前 {int(notice)} 天通知" if not np.isnan(notice)
                           else "未报告提前通知日期")
            level = "yellow" if ev.notice_ok[i] else "red"
            title = f"{org.name} {month:%Y年%m月} 裁员 {laid} 人（占 {laid / max(base, 1):.0%}）"
            details = {"baseline": base, "layoff": laid, "notice_days": None if np.isnan(
                notice) else int(notice), "notice_ok": bool(ev.notice_ok[i]),
                "text": f"{title}，{notice_text}；法定须提前 "
                        f"{setting('LAYOFF_NOTICE_DAYS')} 天向工会或全体职工说明并报告。"}
            warning, created = _store(actor, kind="layoff", level=level, month=month,
                                      area=org.area, subject=f"org:{org.pk}", title=title,
                                      details=details, enterprise=org, today=today,
                                      followup=follow)
            if created and follow and match_workers:
                n = match_laid_off_workers(org, month)
                UnemploymentWarning.objects.filter(pk=warning.pk).update(matched_workers=n)
                warning.matched_workers = n
            made.append(warning)
        elif ev.job_loss[i]:
            rate = float(ev.job_loss_rate[i])
            level = "red" if rate >= 2 * setting("JOB_LOSS_RATE_THRESHOLD") else "yellow"
            title = f"{org.name} {month:%Y年%m月} 岗位流失率 {rate:.1%}"
            details = {"baseline": base, "rate": round(rate, 4),
                       "net_change": int(ev.net_change[i]), "text": title}
            made.append(_store(actor, kind="job_loss", level=level, month=month,
                               area=org.area, subject=f"org:{org.pk}", title=title,
                               details=details, enterprise=org, today=today,
                               followup=follow)[0])
    return made


def unemployment_rates(start, end) -> list[tuple[Area, datetime.date, int, int, float]]:
    """Registered unemployment rate per subdistrict and the district at each month end."""
    from minsheng.employment import sources

    areas = {a.pk: a for a in Area.objects.all()}
    roll: dict[tuple[int, datetime.date], list[float]] = {}

    def up(area_id):
        a = areas.get(area_id)
        while a is not None:
            if a.level in ("subdistrict", "district"):
                yield a.pk
            a = areas.get(a.parent_id)

    for which, rows in ((0, sources.registered_unemployed(start, end)),
                        (1, sources.employed(start, end))):
        for area_id, month, n in rows:
            for target in up(area_id):
                roll.setdefault((target, month), [0.0, 0.0])[which] += n
    out = []
    for (area_id, month), (unemployed, employed) in sorted(roll.items()):
        total = unemployed + employed
        if total:
            out.append((areas[area_id], month, int(unemployed), int(employed),
                        unemployed / total))
    return out


def _rate_warnings(actor, start, end, today, since):
    made = []
    for area, month, unemployed, employed, rate in unemployment_rates(start, end):
        band = rate_band(rate)
        if band not in setting("UNEMPLOYMENT_WARNING_BANDS"):
            continue
        title = f"{area.name} {month:%Y年%m月} 城镇登记失业率 {rate:.2%}（{band}）"
        made.append(_store(actor, kind="rate", level=band, month=month, area=area,
                           subject=f"area:{area.code}", title=title,
                           details={"unemployed": unemployed, "employed": employed,
                                    "rate": round(rate, 5), "text": title},
                           today=today, followup=month >= since)[0])
    return made


def claims_series(start, end) -> tuple[list[datetime.date], list[int]]:
    counts = dict(BenefitClaim.objects.filter(start_date__gte=_first(start),
                                              start_date__lte=end)
                  .annotate(m=TruncMonth("start_date")).values("m")
                  .annotate(n=Count("id")).values_list("m", "n"))
    from minsheng.employment.sources import months

    dates = [first for first, _ in months(start, end)]
    return dates, [int(counts.get(d, 0)) for d in dates]


def _claims_warnings(actor, start, end, today, since):
    history_start = (_first(start) - datetime.timedelta(days=366)).replace(day=1)
    dates, counts = claims_series(history_start, end)
    if not any(counts):
        return []
    alarm, method = claims_alarm(counts, dates)
    district = Area.objects.filter(parent=None).order_by("code").first()
    made = []
    for d, n, a in zip(dates, counts, alarm, strict=True):
        if a and d >= _first(start):
            title = f"{d:%Y年%m月} 新增失业保险金申领 {n} 件，异常上升"
            made.append(_store(actor, kind="claims", level="yellow", month=d, area=district,
                               subject="district", title=title,
                               details={"count": n, "method": method, "text": title},
                               today=today, followup=d >= since)[0])
    return made


def match_laid_off_workers(org: Organization, month: datetime.date) -> int:
    """Workers whose spell at `org` ends by layoff in or just after `month` become job
    seekers (if not already) and get recommendations now."""
    from minsheng.employment import matchdata, services
    from minsheng.employment.occupations import CODE, table

    actor = system_actor()
    spells = list(Employment.objects.filter(
        employer=org, end_reason="layoff", end_date__gte=month,
        end_date__lte=_month_end(month) + datetime.timedelta(days=31)).select_related(
        "person"))
    if not spells:
        return 0
    existing = dict(JobSeeker.objects.filter(person_id__in=[s.person_id for s in spells])
                    .values_list("person_id", "id"))
    seeker_ids = list(existing.values())
    for spell in spells:
        if spell.person_id in existing:
            continue
        codes = [spell.occupation_code] if CODE.match(spell.occupation_code or "") and \
            spell.occupation_code in table() else []
        try:
            seeker = services.seeker_create(actor=actor, person=spell.person,
                                            status="seeking_employed",
                                            occupation_codes=codes, salary_min=3000,
                                            salary_max=8000, experience_years=3)
        except Exception:  # noqa: BLE001 - a person without a valid ID is skipped
            continue
        seeker_ids.append(seeker.pk)
    s, p, v, r = matchdata.recommend_batch(
        JobSeeker.objects.filter(pk__in=seeker_ids).order_by("id"), top=10)
    services.recommendations_store(actor=actor, seeker_ids=s, posting_ids=p, scores=v,
                                   reasons=r, period=timezone.localdate().replace(day=1))
    return len(set(s))
