"""The matching engine fed from the database: published postings become a cached
`MatchIndex`; seekers are scored against it one at a time (pages) or in batch (task)."""

from __future__ import annotations

import threading

import numpy as np
from django.db.models import Count, Max
from django.utils import timezone

from minsheng.core.models import Area
from minsheng.employment.config import setting
from minsheng.employment.matching.engine import MatchIndex, Params, PostingData, SeekerData
from minsheng.employment.models import JobPosting, JobSeeker, Recommendation

ACTIVE_STATUSES = ("unemployed", "seeking_employed", "student")
ELIGIBLE_PUBLIC_WELFARE = {"g4050", "disabled", "dibao", "zero_employment", "long_term",
                           "graduate", "veteran"}
_lock = threading.Lock()
_cache: dict = {}


def params() -> Params:
    return Params(weights=dict(setting("MATCH_WEIGHTS")),
                  occupation_fit=dict(setting("OCCUPATION_FIT")),
                  salary_tolerance=setting("SALARY_TOLERANCE"),
                  exposure_per_opening=setting("EXPOSURE_PER_OPENING"),
                  exposure_min=setting("EXPOSURE_MIN"))


def commute_matrix() -> tuple[np.ndarray, dict[int, int]]:
    """Estimated minutes between every pair of areas: same area, same subdistrict, or
    other subdistricts (further apart in code order = longer)."""
    rows = list(Area.objects.order_by("code").values_list("id", "level", "parent_id"))
    index = {pk: i for i, (pk, _, _) in enumerate(rows)}
    subs = [pk for pk, level, _ in rows if level == "subdistrict"]
    sub_ord = {pk: i for i, pk in enumerate(subs)}
    group = np.array([sub_ord.get(pk if level != "community" else parent, -1)
                      for pk, level, parent in rows])
    same = group[:, None] == group[None, :]
    steps = np.abs(group[:, None] - group[None, :])
    m = np.where(same, float(setting("COMMUTE_SAME_SUBDISTRICT")),
                 setting("COMMUTE_OTHER_SUBDISTRICT")
                 + setting("COMMUTE_PER_SUBDISTRICT_STEP") * np.maximum(steps - 1, 0))
    np.fill_diagonal(m, setting("COMMUTE_SAME_COMMUNITY"))
    return m.astype(np.float32), index


def open_postings(today=None):
    today = today or timezone.localdate()
    return JobPosting.objects.filter(state="published", valid_from__lte=today,
                                     valid_until__gte=today)


def get_index(today=None) -> MatchIndex | None:
    today = today or timezone.localdate()
    qs = open_postings(today)
    stats = qs.aggregate(n=Count("id"), last=Max("updated_at"))
    key = (stats["n"], stats["last"], today, Area.objects.count())
    with _lock:
        if _cache.get("key") == key:
            index = _cache["index"]
        else:
            index = _build(qs) if stats["n"] else None
            _cache.update(key=key, index=index)
    if index is not None:
        _refresh_exposure(index, today)
    return index


def _build(qs) -> MatchIndex:
    commute, area_index = commute_matrix()
    rows = list(qs.order_by("id").values_list(
        "id", "occupation_code", "skills", "education_min", "experience_min", "salary_min",
        "salary_max", "area_id", "shift", "public_welfare", "openings", "title",
        "description", "requirements"))
    data = PostingData(
        ids=np.array([r[0] for r in rows]), occupation=[r[1] for r in rows],
        skills=[r[2] or [] for r in rows], education=np.array([r[3] for r in rows]),
        experience=np.array([r[4] for r in rows]), salary_min=np.array([r[5] for r in rows]),
        salary_max=np.array([r[6] for r in rows]),
        area=np.array([area_index[r[7]] for r in rows]), shift=[r[8] for r in rows],
        public_welfare=np.array([r[9] for r in rows], dtype=bool),
        openings=np.array([r[10] for r in rows]),
        texts=[f"{r[11]} {r[12]} {r[13]} {' '.join(r[2] or [])}" for r in rows])
    index = MatchIndex(data, commute, params())
    index.area_index = area_index
    index.position = {pk: i for i, pk in enumerate(data.ids.tolist())}
    return index


def _refresh_exposure(index: MatchIndex, today) -> None:
    period = today.replace(day=1)
    counts = dict(Recommendation.objects.filter(period=period).exclude(status="hidden")
                  .values("posting_id").annotate(n=Count("id")).values_list("posting_id", "n"))
    index.exposure = np.array([counts.get(int(pk), 0) for pk in index.p.ids], dtype=np.int32)


def seeker_data(seekers: list[JobSeeker] | None = None, qs=None, area_index=None) -> SeekerData:
    if seekers is None:
        seekers = list(qs)
    area_index = area_index or commute_matrix()[1]
    return SeekerData(
        ids=np.array([s.pk for s in seekers]),
        occupations=[s.occupation_codes or [] for s in seekers],
        skills=[(s.skills or []) + (s.certificates or []) for s in seekers],
        education=np.array([s.education for s in seekers]),
        experience=np.array([s.experience_years for s in seekers]),
        salary_min=np.array([s.salary_min for s in seekers]),
        area=np.array([area_index[s.area_id] for s in seekers]),
        max_commute=np.array([s.max_commute_minutes or 60 for s in seekers], dtype=np.float32),
        shifts=[s.shifts or [] for s in seekers],
        key_group=np.array([bool(set(s.key_groups or []) & ELIGIBLE_PUBLIC_WELFARE)
                            for s in seekers], dtype=bool),
        texts=[f"{s.major} {s.summary[:200]}" for s in seekers])


def recommend(seeker: JobSeeker, top: int = 10, today=None) -> list[dict]:
    """Fresh recommendations for one seeker: [{posting_id, score, reasons}]."""
    index = get_index(today)
    if index is None:
        return []
    q = index.prepare(seeker_data([seeker], area_index=index.area_index))
    # this seeker's own current suggestions do not count against the cap
    own = Recommendation.objects.filter(seeker=seeker, status="suggested").values_list(
        "posting_id", flat=True)
    for pk in own:
        pos = index.position.get(pk)
        if pos is not None and index.exposure[pos] > 0:
            index.exposure[pos] -= 1
    positions, scores = index.recommend(q, 0, top)
    reasons = index.reasons(q, np.zeros(len(positions), dtype=int), positions)
    return [{"posting_id": int(index.p.ids[p]), "score": float(v), "reasons": r}
            for p, v, r in zip(positions, scores, reasons, strict=True)]


def recommend_batch(seekers_qs, top: int = 10, progress=None, today=None,
                    reset_exposure: bool = False):
    """Batch: (seeker ids, posting ids, scores, reasons) honouring the exposure cap."""
    index = get_index(today)
    seekers = list(seekers_qs)
    if index is None or not seekers:
        return [], [], [], []
    q = index.prepare(seeker_data(seekers, area_index=index.area_index))
    if reset_exposure:  # the batch recomputes every suggestion of the period
        index.exposure[:] = 0
    s, p, v = index.batch(q, top=top, progress=progress)
    reasons = index.reasons(q, s, p)
    ids = np.array([x.pk for x in seekers])
    return ids[s].tolist(), index.p.ids[p].tolist(), v.tolist(), reasons


def active_seekers():
    return JobSeeker.objects.filter(status__in=ACTIVE_STATUSES)
