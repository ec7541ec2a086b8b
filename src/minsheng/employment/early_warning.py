"""Unemployment early warning (失业预警).

`evaluate()` is plain numpy over all monthly headcount reports at once (enterprise x month
arrays); `candidates()` applies every rule and only reads. `services.warnings_scan()`
stores the warnings it finds, opens a follow-up for the HR & social security department
for each, and for a layoff matches the affected workers to vacancies before they register
as unemployed.

Rules (defaults in `defaults.py`, district overrides in settings.MINSHENG_EMPLOYMENT):
- layoff: reductions by layoff >= LAYOFF_MIN_PEOPLE, or >= LAYOFF_MIN_SHARE of the
  baseline (Labour Contract Law art. 41) with at least LAYOFF_SHARE_MIN_PEOPLE people;
  red when the notice date is missing or less than LAYOFF_NOTICE_DAYS before the
  effective date, else yellow;
- job loss: all reductions / baseline >= JOB_LOSS_RATE_THRESHOLD for enterprises with at
  least JOB_LOSS_MIN_BASELINE staff (red at twice the threshold);
- rate band: registered unemployment rate per subdistrict and district, bands
  UNEMPLOYMENT_RATE_BANDS; yellow and red bands warn;
- claims: monthly count of new benefit claims (from the month of the first claim on
  record; months without claims count 0), EARS C2 through
  ``minsheng.detection.detect("ears_c2", counts, months, freq="M", baseline=
  CLAIMS_BASELINE_MONTHS, guard=CLAIMS_GUARD_MONTHS, k=CLAIMS_Z, min_sd=CLAIMS_MIN_SD)``:
  alarm when the month's count exceeds mean + k x max(sd, min_sd) of the `baseline` months
  that end `guard` months before it. Nothing else runs: when the history is too short,
  detection's message (what is needed, what there is) is what the warnings page shows,
  and no claims warning is raised.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import numpy as np
from django.db.models import Count, Min
from django.db.models.functions import TruncMonth

from minsheng.core.dates import add_months, month_start, months_between
from minsheng.core.models import Area, Organization
from minsheng.employment.config import setting
from minsheng.employment.models import BenefitClaim, HeadcountReport

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


@dataclass
class ClaimsCheck:
    """The claims rule over a monthly series: an alarm and detection's reason per month,
    or, when the history is too short, no alarm at all and detection's message."""

    months: list[datetime.date]
    counts: list[int]
    alarm: np.ndarray
    reasons: list[str]
    error: str | None = None
    method: str = "ears_c2"


def claims_alarm(counts: list[int], months: list[datetime.date]) -> ClaimsCheck:
    """EARS C2 (minsheng.detection) on monthly counts of new benefit claims."""
    from minsheng.detection import DetectionInputError, detect

    counts = [int(c) for c in counts]
    try:
        table = detect("ears_c2", counts, months, freq="M",
                       baseline=setting("CLAIMS_BASELINE_MONTHS"),
                       guard=setting("CLAIMS_GUARD_MONTHS"),
                       k=setting("CLAIMS_Z"), min_sd=setting("CLAIMS_MIN_SD"))
    except DetectionInputError as exc:  # too short a history: say so, raise no alarm
        return ClaimsCheck(list(months), counts, np.zeros(len(counts), dtype=bool),
                           [""] * len(counts), error=str(exc))
    return ClaimsCheck(list(months), counts, table["alarm"].to_numpy(dtype=bool),
                       table["reason"].tolist())


def report_arrays(start: datetime.date, end: datetime.date, area_ids=None):
    """Headcount reports of a period as arrays (one query); `area_ids` limits them to
    enterprises located in those areas (None: all)."""
    reports = HeadcountReport.objects.filter(month__gte=month_start(start), month__lte=end)
    if area_ids is not None:
        reports = reports.filter(enterprise__area_id__in=area_ids)
    rows = list(reports.values_list("id", "enterprise_id", "month", "baseline", "additions",
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


def summary(start: datetime.date, end: datetime.date, area_ids=None) -> dict:
    """Job-loss rate and net change per industry section and subdistrict, per month."""
    data = report_arrays(start, end, area_ids)
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


@dataclass
class Candidate:
    """A warning the rules found, before it is stored (`services.warnings_scan`)."""

    kind: str
    level: str
    month: datetime.date
    area: Area
    subject: str  # stable key: enterprise, area code, "district"
    title: str
    details: dict
    enterprise: Organization | None = None


def candidates(start: datetime.date, end: datetime.date, area_ids=None) -> list[Candidate]:
    """Every rule for the months start..end, limited to `area_ids` (None: everywhere):
    enterprises located there, subdistricts and the district themselves."""
    allowed = None if area_ids is None else set(area_ids)
    data = report_arrays(start, end, None if allowed is None else sorted(allowed))
    found = _enterprise_candidates(data) if len(data["ids"]) else []
    found += [c for c in _rate_candidates(start, end) if allowed is None or c.area.pk in allowed]
    found += [c for c in _claims_candidates(start, end)
              if allowed is None or c.area.pk in allowed]
    return found


def _enterprise_candidates(data) -> list[Candidate]:
    ev = evaluate(data["enterprise"], data["month"], data["baseline"], data["additions"],
                  data["reductions"], data["notice_days"])
    hit = np.flatnonzero(ev.layoff | ev.job_loss)
    if not len(hit):
        return []
    ent_ids = data["enterprise_ids"][data["enterprise"][hit]]
    orgs = Organization.objects.select_related("area").in_bulk(ent_ids.tolist())
    found = []
    for i in hit:
        org = orgs[int(data["enterprise_ids"][data["enterprise"][i]])]
        month = data["months"][data["month"][i]]
        base, laid = int(data["baseline"][i]), int(data["reductions"][i, 2])
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
            found.append(Candidate("layoff", level, month, org.area, f"org:{org.pk}", title,
                                   details, org))
        elif ev.job_loss[i]:
            rate = float(ev.job_loss_rate[i])
            level = "red" if rate >= 2 * setting("JOB_LOSS_RATE_THRESHOLD") else "yellow"
            title = f"{org.name} {month:%Y年%m月} 岗位流失率 {rate:.1%}"
            details = {"baseline": base, "rate": round(rate, 4),
                       "net_change": int(ev.net_change[i]), "text": title}
            found.append(Candidate("job_loss", level, month, org.area, f"org:{org.pk}",
                                   title, details, org))
    return found


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


def _rate_candidates(start, end) -> list[Candidate]:
    found = []
    for area, month, unemployed, employed, rate in unemployment_rates(start, end):
        band = rate_band(rate)
        if band not in setting("UNEMPLOYMENT_WARNING_BANDS"):
            continue
        title = f"{area.name} {month:%Y年%m月} 城镇登记失业率 {rate:.2%}（{band}）"
        found.append(Candidate("rate", band, month, area, f"area:{area.code}", title,
                               {"unemployed": unemployed, "employed": employed,
                                "rate": round(rate, 5), "text": title}))
    return found


def claims_series(start, end) -> tuple[list[datetime.date], list[int]]:
    """New benefit claims per month from start's month to end's, starting no earlier than
    the month of the first claim on record (months before the registry held claims are
    not zeros); months without claims in between count 0."""
    first = BenefitClaim.objects.aggregate(first=Min("start_date"))["first"]
    if first is None or month_start(first) > end:
        return [], []
    start = max(month_start(start), month_start(first))
    counts = dict(BenefitClaim.objects.filter(start_date__gte=start, start_date__lte=end)
                  .annotate(m=TruncMonth("start_date")).values("m")
                  .annotate(n=Count("id")).values_list("m", "n"))
    counts = {(m.date() if isinstance(m, datetime.datetime) else m): n
              for m, n in counts.items()}
    dates = list(months_between(start, end))
    return dates, [int(counts.get(d, 0)) for d in dates]


def claims_history_start(start: datetime.date) -> datetime.date:
    """First month of the series judged with `start`: 12 months before it, or the
    baseline and guard band if those are longer."""
    need = setting("CLAIMS_BASELINE_MONTHS") + setting("CLAIMS_GUARD_MONTHS")
    return add_months(month_start(start), -max(12, need))


def claims_check(start, end) -> ClaimsCheck | None:
    """The claims rule for the months start..end (None: no claim on record yet)."""
    dates, counts = claims_series(claims_history_start(start), end)
    if not dates:
        return None
    return claims_alarm(counts, dates)


def _claims_candidates(start, end) -> list[Candidate]:
    check = claims_check(start, end)
    if check is None or check.error:
        return []
    district = Area.objects.filter(parent=None).order_by("code").first()
    found = []
    for d, n, a, reason in zip(check.months, check.counts, check.alarm, check.reasons,
                               strict=True):
        if a and d >= month_start(start):
            title = f"{d:%Y年%m月} 新增失业保险金申领 {n} 件，异常上升"
            found.append(Candidate("claims", "yellow", d, district, "district", title,
                                   {"count": n, "method": check.method, "reason": reason,
                                    "text": title}))
    return found
