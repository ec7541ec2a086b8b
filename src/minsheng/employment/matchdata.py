"""The matching engine fed from the database: published postings become a cached
`MatchIndex`; seekers are scored against it one at a time (pages) or in batch (task)."""

from __future__ import annotations

import threading

import numpy as np
from django.db.models import Count, Max
from django.utils import timezone

from minsheng.core.models import Area
from minsheng.employment import certificates
from minsheng.employment.config import setting
from minsheng.employment.matching.engine import MatchIndex, Params, PostingData, SeekerData
from minsheng.employment.models import JobPosting, JobSeeker, Recommendation

ACTIVE_STATUSES = ("unemployed", "seeking_employed", "student")
# Public-welfare posts (公益性岗位) are for employment-difficulty people and zero-employment
# households (就业促进法 art. 52-53) and, locally, graduates and veterans; and only in the
# post's own subdistrict (they are developed for its residents).
ELIGIBLE_PUBLIC_WELFARE = {"g4050", "disabled", "dibao", "zero_employment", "long_term",
                           "graduate", "veteran"}
_lock = threading.Lock()
_cache: dict = {}


def params() -> Params:
    return Params(weights=dict(setting("MATCH_WEIGHTS")),
                  occupation_fit=dict(setting("OCCUPATION_FIT")),
                  relevant_skill_share=setting("RELEVANT_SKILL_SHARE"),
                  relevant_text=setting("RELEVANT_TEXT"),
                  exposure_per_opening=setting("EXPOSURE_PER_OPENING"),
                  exposure_min=setting("EXPOSURE_MIN"))


def speed_model() -> dict:
    """The travel-time model's constants, for the page that shows the estimates."""
    return {"access": setting("TRAVEL_ACCESS_MINUTES"),
            "detour": setting("TRAVEL_DETOUR_FACTOR"), "speed": setting("TRAVEL_SPEED_KMH")}


def travel_minutes(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Door-to-door minutes between points (arrays broadcast): access time plus the
    straight-line (haversine) distance times a detour factor at an urban travel speed."""
    m = speed_model()
    lat1, lon1, lat2, lon2 = (np.radians(np.asarray(x, dtype=np.float64))
                              for x in (lat1, lon1, lat2, lon2))
    a = (np.sin((lat2 - lat1) / 2) ** 2
         + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2)
    km = 2 * 6371.0088 * np.arcsin(np.sqrt(np.clip(a, 0, 1)))
    return m["access"] + km * m["detour"] / m["speed"] * 60


class Areas:
    """Every area in code order with its subdistrict and its representative point (its own
    location, else its parent's)."""

    def __init__(self):
        from minsheng.employment.models import AreaLocation

        rows = list(Area.objects.order_by("code").values_list("id", "level", "parent_id"))
        self.index = {pk: i for i, (pk, _, _) in enumerate(rows)}
        parent = {pk: par for pk, _, par in rows}
        level = {pk: lev for pk, lev, _ in rows}
        own = {a: (la, lo) for a, la, lo in AreaLocation.objects.values_list(
            "area_id", "latitude", "longitude")}
        self.point, self.subdistrict = [], []
        for pk, _, _ in rows:
            at, point, sub = pk, None, -1
            while at is not None:
                if point is None and at in own:
                    point = own[at]
                if level.get(at) == "subdistrict":
                    sub = at
                at = parent.get(at)
            self.point.append(point)
            self.subdistrict.append(sub)
        subs = [pk for pk, lev, _ in rows if lev == "subdistrict"]
        sub_ord = {pk: i for i, pk in enumerate(subs)}
        group = np.array([sub_ord.get(s, -1) for s in self.subdistrict])
        same = group[:, None] == group[None, :]
        steps = np.abs(group[:, None] - group[None, :])
        rough = np.where(same, float(setting("COMMUTE_SAME_SUBDISTRICT")),
                         setting("COMMUTE_OTHER_SUBDISTRICT")
                         + setting("COMMUTE_PER_SUBDISTRICT_STEP") * np.maximum(steps - 1, 0))
        np.fill_diagonal(rough, setting("COMMUTE_SAME_COMMUNITY"))
        self.rough = rough.astype(np.float32)


def travel_matrix(areas: Areas, places: list[tuple[int, tuple | None]]):
    """Minutes (homes x places): rows are areas (a seeker's home community), columns are
    work places (area id, own point or None). From coordinates where both ends have them;
    the rough area estimate otherwise (`rough` marks those cells)."""
    home = areas.point
    n, m = len(home), len(places)
    minutes = areas.rough[:, [areas.index[a] for a, _ in places]].copy() if m else \
        np.zeros((n, 0), np.float32)
    rough = np.ones((n, m), dtype=bool)
    hp = np.array([p is not None for p in home])
    pts = [pt if pt is not None else areas.point[areas.index[a]] for a, pt in places]
    pp = np.array([p is not None for p in pts], dtype=bool)
    if hp.any() and pp.any():
        hl = np.array([p for p in home if p is not None])
        pl = np.array([p for p in pts if p is not None])
        block = travel_minutes(hl[:, 0:1], hl[:, 1:2], pl[None, :, 0], pl[None, :, 1])
        rows, cols = np.flatnonzero(hp), np.flatnonzero(pp)
        minutes[np.ix_(rows, cols)] = block
        rough[np.ix_(rows, cols)] = False
    return minutes.astype(np.float32), rough


def commute_matrix() -> tuple[np.ndarray, dict[int, int]]:
    """Rough minutes between every pair of areas (no coordinates) and the area index."""
    areas = Areas()
    return areas.rough, areas.index


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
    areas = Areas()
    rows = list(qs.order_by("id").values_list(
        "id", "occupation_code", "skills", "education_min", "experience_min", "salary_min",
        "salary_max", "area_id", "shift", "public_welfare", "openings", "title",
        "description", "requirements", "certificates_required", "certificates_preferred",
        "latitude", "longitude", "fraud_flags"))
    places, place_index = [], {}
    for r in rows:
        key = (r[7], (r[16], r[17]) if r[16] is not None and r[17] is not None else None)
        if key not in place_index:
            place_index[key] = len(places)
            places.append(key)
    minutes, rough = travel_matrix(areas, places)
    data = PostingData(
        ids=np.array([r[0] for r in rows]), occupation=[r[1] for r in rows],
        skills=[r[2] or [] for r in rows], education=np.array([r[3] for r in rows]),
        experience=np.array([r[4] for r in rows]), salary_min=np.array([r[5] for r in rows]),
        salary_max=np.array([r[6] for r in rows]),
        area=np.array([place_index[(r[7], (r[16], r[17]) if r[16] is not None
                                    and r[17] is not None else None)] for r in rows]),
        shift=[r[8] for r in rows],
        public_welfare=np.array([r[9] for r in rows], dtype=bool),
        openings=np.array([r[10] for r in rows]),
        texts=[f"{r[11]} {r[12]} {r[13]} {' '.join(r[2] or [])}" for r in rows],
        certificates=[certificates.normalise(r[14]) for r in rows],
        preferred=[certificates.normalise(r[15]) for r in rows],
        subdistrict=np.array([areas.subdistrict[areas.index[r[7]]] for r in rows]),
        flagged=np.array([bool(r[18]) for r in rows], dtype=bool))
    index = MatchIndex(data, minutes, params())
    index.area_index = areas.index
    index.areas = areas
    index.rough = rough
    index.position = {pk: i for i, pk in enumerate(data.ids.tolist())}
    return index


def _refresh_exposure(index: MatchIndex, today) -> None:
    period = today.replace(day=1)
    counts = dict(Recommendation.objects.filter(period=period).exclude(status="hidden")
                  .values("posting_id").annotate(n=Count("id")).values_list("posting_id", "n"))
    index.exposure = np.array([counts.get(int(pk), 0) for pk in index.p.ids], dtype=np.int32)


def seeker_certificates(s: JobSeeker) -> list[str]:
    """Certificates held: the certificate list, plus any named among the skills."""
    return certificates.normalise(list(s.certificates or [])
                                  + certificates.mentioned(" ".join(s.skills or [])))


def seeker_occupations(s: JobSeeker) -> list[str]:
    """Confirmed (or typed) codes; otherwise the confident suggestions from the seeker's
    words, until a caseworker confirms them."""
    if s.occupation_codes:
        return list(s.occupation_codes)
    floor = setting("OCCUPATION_SUGGESTION_MIN_CONFIDENCE")
    return [x["code"] for x in (s.occupation_suggestions or [])
            if x.get("confidence", 0) >= floor][:3]


def seeker_data(seekers: list[JobSeeker] | None = None, qs=None, area_index=None,
                areas: Areas | None = None) -> SeekerData:
    if seekers is None:
        seekers = list(qs)
    areas = areas or Areas()
    area_index = area_index or areas.index
    default_commute = setting("DEFAULT_MAX_COMMUTE_MINUTES")
    return SeekerData(
        ids=np.array([s.pk for s in seekers]),
        occupations=[seeker_occupations(s) for s in seekers],
        skills=[(s.skills or []) + (s.certificates or []) for s in seekers],
        education=np.array([s.education for s in seekers]),
        experience=np.array([s.experience_years for s in seekers]),
        salary_min=np.array([s.salary_min for s in seekers]),
        area=np.array([area_index[s.area_id] for s in seekers]),
        max_commute=np.array([s.max_commute_minutes or default_commute for s in seekers],
                             dtype=np.float32),
        shifts=[s.shifts or [] for s in seekers],
        key_group=np.array([bool(set(s.key_groups or []) & ELIGIBLE_PUBLIC_WELFARE)
                            for s in seekers], dtype=bool),
        texts=[f"{s.wanted_text} {s.major} {s.summary[:200]}" for s in seekers],
        certificates=[seeker_certificates(s) for s in seekers],
        subdistrict=np.array([areas.subdistrict[area_index[s.area_id]] for s in seekers]))


def recommend(seeker: JobSeeker, top: int = 10, today=None) -> list[dict]:
    """Fresh recommendations for one seeker: [{posting_id, score, reasons}]."""
    index = get_index(today)
    if index is None:
        return []
    q = index.prepare(seeker_data([seeker], areas=index.areas))
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
    q = index.prepare(seeker_data(seekers, areas=index.areas))
    if reset_exposure:  # the batch recomputes every suggestion of the period
        index.exposure[:] = 0
    s, p, v = index.batch(q, top=top, progress=progress)
    reasons = index.reasons(q, s, p)
    ids = np.array([x.pk for x in seekers])
    return ids[s].tolist(), index.p.ids[p].tolist(), v.tolist(), reasons


def active_seekers():
    return JobSeeker.objects.filter(status__in=ACTIVE_STATUSES)


def explain(seeker: JobSeeker, today=None) -> dict | None:
    """For the seeker page: how many otherwise-suitable posts each filter removed, the
    certificates most often missing, and the training to suggest when few posts fit."""
    index = get_index(today)
    if index is None:
        return None
    q = index.prepare(seeker_data([seeker], areas=index.areas))
    out = index.explain(q, 0)
    out["speed"] = speed_model()
    out["rough"] = bool(index.rough[index.area_index[seeker.area_id]].any()) if \
        index.rough.size else False
    return out
