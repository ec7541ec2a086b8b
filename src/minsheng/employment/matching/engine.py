"""Vectorised seeker-posting matching.

A stated requirement is a **filter**, a preference is a **score** (`FILTERS` and `SCORES`
name them; the seeker page prints both lists):

- filters (a post failing one is never shown): the post's required certificates are all
  held; the seeker has the post's minimum years of experience and education; the post's
  top salary reaches the seeker's stated minimum (no tolerance); the travel time is within
  the seeker's limit; the shift is one the seeker accepts; a public-welfare post goes only
  to an eligible group living in the post's subdistrict; the post is relevant (same
  occupation or minor group, or strong skill and text evidence: `relevant_mask`), so
  that a short list is shown short instead of being filled with unrelated posts;
- scores: occupation fit, skill overlap, text similarity (BM25), preferred certificates
  held, salary above the stated minimum, shorter travel time.

    score = w_occ*occupation + w_text*bm25 + w_skill*skills + w_cert*preferred certificates
            + w_sal*salary + w_commute*commute

computed for a block of seekers of one cohort (same home, travel limit and shifts) against
the postings they can reach in a shift they accept, with dense numpy blocks and scipy
sparse products (no Python loop per pair); the batch runs blocks in forked worker
processes. Reasons are produced only for the pairs that are returned.

The travel-time matrix has one row per seeker home (community) and one column per work
place; `matchdata.travel_minutes` builds it from coordinates (docs/employment.md).
"""

from __future__ import annotations

import logging
import multiprocessing as mp
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from minsheng.employment.matching.text import tokenize, tokenize_cached
from minsheng.employment.occupations import name

SHIFTS = ("day", "rotating", "night", "flexible")
SHIFT_LABELS = {"day": "白班", "rotating": "倒班", "night": "夜班", "flexible": "灵活/兼职"}
NEG = np.float32(-1e9)
FILTERS = ("certificates", "experience", "education", "salary", "travel", "shift",
           "public_welfare", "relevance")
SCORES = ("occupation", "skills", "text", "preferred_certificates", "salary", "commute")
logging.getLogger("bm25s").setLevel(logging.WARNING)


@dataclass
class Params:
    weights: dict = field(default_factory=lambda: {
        "occupation": 0.40, "text": 0.20, "skills": 0.20, "certificates": 0.05,
        "salary": 0.08, "commute": 0.07})
    occupation_fit: dict = field(default_factory=lambda: {"exact": 1.0, "minor": 0.6,
                                                          "major": 0.25})
    # relevance without the same occupation or minor group: share of the post's skills
    # the seeker has (with the same major group), or BM25 relative to the seeker's best
    relevant_skill_share: float = 0.5
    relevant_text: float = 0.6
    exposure_per_opening: int = 8
    exposure_min: int = 10
    max_query_df: float = 0.2  # query tokens in more than this share of posts are noise
    use_text: bool = True
    use_structure: bool = True


@dataclass
class PostingData:
    ids: np.ndarray
    occupation: list[str]
    skills: list[list[str]]
    education: np.ndarray
    experience: np.ndarray
    salary_min: np.ndarray
    salary_max: np.ndarray
    area: np.ndarray  # index into the commute matrix
    shift: list[str]
    public_welfare: np.ndarray
    openings: np.ndarray
    texts: list[str] | None = None
    tokens: list[list[str]] | None = None
    certificates: list[list[str]] | None = None  # required (filter)
    preferred: list[list[str]] | None = None  # preferred certificates (score)
    subdistrict: np.ndarray | None = None  # for public-welfare posts
    flagged: np.ndarray | None = None  # published despite a screening flag


@dataclass
class SeekerData:
    ids: np.ndarray
    occupations: list[list[str]]
    skills: list[list[str]]
    education: np.ndarray
    experience: np.ndarray
    salary_min: np.ndarray
    area: np.ndarray
    max_commute: np.ndarray
    shifts: list[list[str]]
    key_group: np.ndarray  # in a group eligible for public-welfare posts
    texts: list[str] | None = None  # free text (self-description, major)
    certificates: list[list[str]] | None = None  # held
    subdistrict: np.ndarray | None = None  # of the home


class MatchIndex:
    def __init__(self, postings: PostingData, commute: np.ndarray, params: Params | None = None,
                 codes: list[str] | None = None, skill_vocab: list[str] | None = None):
        import bm25s

        logging.getLogger("bm25s").setLevel(logging.WARNING)
        self.params = params or Params()
        self.p = postings
        self.n = len(postings.ids)
        self.commute = np.asarray(commute, dtype=np.float32)
        # occupation codes: unit index per posting, group relations between units
        codes = sorted(set(codes or []) | set(postings.occupation))
        self.codes = codes
        self.code_index = {c: i for i, c in enumerate(codes)}
        minor = np.array([c[:7] for c in codes])
        major = np.array([c[:1] for c in codes])
        self.same_minor = sp.csr_matrix((minor[:, None] == minor[None, :]).astype(np.float32))
        self.same_major = sp.csr_matrix((major[:, None] == major[None, :]).astype(np.float32))
        self.post_occ = np.array([self.code_index[c] for c in postings.occupation],
                                 dtype=np.int32)
        # skills
        vocab = sorted(set(skill_vocab or []) | {s for row in postings.skills for s in row})
        self.skill_index = {s: i for i, s in enumerate(vocab)}
        self.post_skills = self._binary(postings.skills, self.skill_index).T.tocsr()  # K x P
        self.post_skill_count = np.asarray(self.post_skills.sum(axis=0)).ravel()
        self.skills_by_post = self.post_skills.T.tocsr()  # P x K: rows of candidate posts
        # lexical index: bm25s over jieba tokens; its precomputed token x doc score matrix
        tokens = postings.tokens
        if tokens is None:
            tokens = [tokenize(t) for t in (postings.texts or [""] * self.n)]
        self.bm25 = bm25s.BM25()
        self.bm25.index([t if t else ["∅"] for t in tokens], show_progress=False)
        s = self.bm25.scores
        self.vocab = self.bm25.vocab_dict
        self.text_matrix = sp.csr_matrix(
            (s["data"].astype(np.float32), s["indices"], s["indptr"]),
            shape=(len(s["indptr"]) - 1, self.n))  # V x P
        self.text_by_post = self.text_matrix.T.tocsr()  # P x V
        df = np.diff(s["indptr"])
        self.query_ok = df <= max(5, self.params.max_query_df * self.n)
        self.exposure = np.zeros(self.n, dtype=np.int32)
        self.cap = np.maximum(self.params.exposure_min,
                              self.params.exposure_per_opening * postings.openings).astype(
            np.int32)
        self.shift_code = np.array([SHIFTS.index(s) for s in postings.shift], dtype=np.int8)
        self.salary_max = postings.salary_max.astype(np.float32)
        self.education = postings.education.astype(np.int8)
        self.experience = postings.experience.astype(np.float32)
        self.public_welfare = postings.public_welfare.astype(bool)
        # certificates: required (filter) and preferred (score), one vocabulary
        req = postings.certificates or [[] for _ in range(self.n)]
        pref = postings.preferred or [[] for _ in range(self.n)]
        cvocab = sorted({c for row in req for c in row} | {c for row in pref for c in row})
        self.cert_index = {c: i for i, c in enumerate(cvocab)}
        self.post_req = self._binary(req, self.cert_index)  # P x C
        self.post_req_count = np.asarray(self.post_req.sum(axis=1)).ravel()
        self.post_pref = self._binary(pref, self.cert_index)
        self.post_pref_count = np.asarray(self.post_pref.sum(axis=1)).ravel()
        self.subdistrict = (np.asarray(postings.subdistrict, dtype=np.int64)
                            if postings.subdistrict is not None
                            else np.full(self.n, -1, dtype=np.int64))
        self.flagged = (np.asarray(postings.flagged, dtype=bool)
                        if postings.flagged is not None else np.zeros(self.n, dtype=bool))

    @staticmethod
    def _binary(rows, index) -> sp.csr_matrix:
        indptr, cols = [0], []
        for row in rows:
            cols.extend(index[x] for x in dict.fromkeys(row) if x in index)
            indptr.append(len(cols))
        return sp.csr_matrix((np.ones(len(cols), dtype=np.float32), cols, indptr),
                             shape=(len(rows), len(index)))

    # -- seekers -------------------------------------------------------------------------
    def prepare(self, seekers: SeekerData) -> dict:
        """Turn seekers into matrices once (occupations, skills, query vectors)."""
        occ = self._binary(seekers.occupations, self.code_index)
        skills = self._binary(seekers.skills, self.skill_index)
        indptr, cols = [0], []
        for i in range(len(seekers.ids)):
            words = []
            for code in seekers.occupations[i]:
                words.extend(tokenize_cached(name(code)))
            for skill in seekers.skills[i]:
                words.extend(tokenize_cached(skill))
            if seekers.texts is not None and seekers.texts[i]:
                words.extend(tokenize_cached(seekers.texts[i]))
            ids = {self.vocab[w] for w in words if w in self.vocab}
            cols.extend(j for j in ids if self.query_ok[j])
            indptr.append(len(cols))
        query = sp.csr_matrix((np.ones(len(cols), dtype=np.float32), cols, indptr),
                              shape=(len(seekers.ids), self.text_matrix.shape[0]))
        # a set: a shift listed twice must not carry into the next bit (it did: 'night'
        # twice read as 'flexible', found by the independent requirement check)
        shift_mask = np.array([sum(1 << SHIFTS.index(s) for s in set(row or SHIFTS))
                               for row in seekers.shifts], dtype=np.int16)
        n = len(seekers.ids)
        certs = self._binary(seekers.certificates or [[] for _ in range(n)], self.cert_index)
        sub = (np.asarray(seekers.subdistrict, dtype=np.int64)
               if seekers.subdistrict is not None else np.full(n, -2, dtype=np.int64))
        return {"occ": occ, "skills": skills, "query": query, "shift_mask": shift_mask,
                "certs": certs, "subdistrict": sub,
                "education": seekers.education.astype(np.int8),
                "experience": seekers.experience.astype(np.float32),
                "salary_min": seekers.salary_min.astype(np.float32),
                "area": seekers.area.astype(np.int32),
                "max_commute": seekers.max_commute.astype(np.float32),
                "key_group": seekers.key_group.astype(bool),
                "skill_count": np.asarray(skills.sum(axis=1)).ravel(),
                "n": len(seekers.ids)}

    def _occupation_fit(self, occ_rows: sp.csr_matrix) -> np.ndarray:
        fit = self.params.occupation_fit
        exact = occ_rows.toarray()
        minor = (occ_rows @ self.same_minor).toarray() > 0
        major = (occ_rows @ self.same_major).toarray() > 0
        return np.maximum(np.maximum(exact * fit["exact"], minor * fit["minor"]),
                          major * fit["major"]).astype(np.float32)  # n x U

    # -- candidate columns ---------------------------------------------------------------
    def columns(self, q: dict, i: int) -> np.ndarray:
        """Positions of the posts that seeker i can reach within the maximum commute and
        whose shift the seeker accepts (every seeker of a cohort shares them): only these
        are scored, the other hard constraints are checked per pair."""
        if not self.params.use_structure:
            return np.arange(self.n)
        reach = self.commute[q["area"][i]] <= q["max_commute"][i]
        shift_ok = ((int(q["shift_mask"][i]) >> np.arange(len(SHIFTS))) & 1) > 0
        return np.flatnonzero(reach[self.p.area] & shift_ok[self.shift_code])

    def cohorts(self, q: dict) -> list[np.ndarray]:
        """Seekers grouped by (home area, maximum commute, accepted shifts): the members
        of a cohort share their candidate columns."""
        if q["n"] == 0:
            return []
        if not self.params.use_structure:
            return [np.arange(q["n"])]
        keys = (q["shift_mask"], q["max_commute"], q["area"])
        order = np.lexsort(keys)
        change = np.zeros(len(order), dtype=bool)
        change[0] = True
        for key in keys:
            change[1:] |= key[order][1:] != key[order][:-1]
        return np.split(order, np.flatnonzero(change)[1:])

    def score_block(self, q: dict, rows: slice | np.ndarray, respect_cap: bool = True,
                    cols: np.ndarray | None = None, explain: bool = False):
        """Scores (n x len(cols), float32; NEG where a filter fails) of the seekers `rows`
        against the posts `cols` (default: every post). With `explain`, also the boolean
        mask of each filter (True = passes), keyed by the names in FILTERS."""
        pr = self.params
        w = pr.weights
        if cols is None:
            cols = np.arange(self.n)
        occ_rows = q["occ"][rows]
        n = occ_rows.shape[0]
        m = len(cols)
        score = np.zeros((n, m), dtype=np.float32)
        masks = {}
        occ = skill_share = text = None
        if pr.use_structure:
            occ = self._occupation_fit(occ_rows)[:, self.post_occ[cols]]
            score += w["occupation"] * occ
            overlap = (q["skills"][rows] @ self.skills_by_post[cols].T).toarray()
            skill_share = overlap / np.maximum(1, self.post_skill_count[cols])[None, :]
            score += w["skills"] * skill_share
            del overlap
        if pr.use_text:
            # normalised by the seeker's best text score over every post (bm25 >= 0)
            query = q["query"][rows]
            top = _row_max(query @ self.text_matrix)
            text = (query @ self.text_by_post[cols].T).toarray().astype(np.float32, copy=False)
            text /= np.where(top > 0, top, 1)[:, None]
            score += w["text"] * text
        feasible = self.hard_filters(q, rows, cols, masks if explain else None)
        if pr.use_structure:
            minutes = self.commute[q["area"][rows]][:, self.p.area[cols]]
            score += w["commute"] * (1 - 0.5 * minutes / np.maximum(
                q["max_commute"][rows], 1)[:, None])
            del minutes
            wanted = np.maximum(q["salary_min"][rows][:, None], 1)
            above = self.salary_max[cols][None, :] / wanted - 1
            score += w["salary"] * np.clip(above / 0.3, 0, 1)  # up to 30% above the minimum
            del above
            if self.post_pref.shape[1]:
                held = (q["certs"][rows] @ self.post_pref[cols].T).toarray()
                score += w.get("certificates", 0) * held / np.maximum(
                    1, self.post_pref_count[cols])[None, :]
            has_occ = np.diff(occ_rows.indptr) > 0 if sp.issparse(occ_rows) else None
            relevant = self.relevant_mask(occ, skill_share, text, has_occ)
            del occ, skill_share, text
        else:
            relevant = text > 0 if text is not None else np.ones((n, m), dtype=bool)
        if explain:
            masks["relevance"] = relevant
        feasible &= relevant
        if respect_cap:
            feasible &= (self.exposure < self.cap)[cols][None, :]
        score[~feasible] = NEG
        return (score, masks) if explain else score

    def relevant_mask(self, occ, skill_share, text, has_occ=None) -> np.ndarray:
        """A post is relevant to a seeker when it is the same occupation or in the same
        minor group (小类) as one the seeker wants, or — within the same major group, or
        for a seeker who gave no occupation — when most of the post's listed skills are
        the seeker's or its text is among the seeker's best matches. Nothing else is
        shown: an accountant is not offered welding to fill a list."""
        pr = self.params
        fit = pr.occupation_fit
        close = occ >= min(fit["exact"], fit["minor"]) - 1e-6
        if has_occ is None:
            has_occ = np.ones(occ.shape[0], dtype=bool)
        no_occupation = ~np.asarray(has_occ, dtype=bool)[:, None]
        related = (occ > 0) | no_occupation
        evidence = skill_share >= pr.relevant_skill_share
        if text is not None:
            evidence = evidence | (text >= pr.relevant_text)
        return close | (related & evidence)

    def hard_filters(self, q: dict, rows, cols: np.ndarray, masks: dict | None = None):
        """Boolean (n x len(cols)): every stated requirement of both sides holds."""
        pr = self.params
        n = q["occ"][rows].shape[0]
        if not pr.use_structure:
            return np.ones((n, len(cols)), dtype=bool)
        checks = {}
        need = self.post_req_count[cols]
        if need.any():
            held = (q["certs"][rows] @ self.post_req[cols].T).toarray()
            checks["certificates"] = held >= need[None, :]
        else:
            checks["certificates"] = np.ones((n, len(cols)), dtype=bool)
        checks["experience"] = q["experience"][rows][:, None] >= self.experience[cols][None, :]
        checks["education"] = q["education"][rows][:, None] >= self.education[cols][None, :]
        checks["salary"] = self.salary_max[cols][None, :] >= q["salary_min"][rows][:, None]
        checks["travel"] = (self.commute[q["area"][rows]][:, self.p.area[cols]]
                            <= q["max_commute"][rows][:, None])
        checks["shift"] = ((q["shift_mask"][rows][:, None] >> self.shift_code[cols][None, :])
                           & 1) > 0
        checks["public_welfare"] = ~self.public_welfare[cols][None, :] | (
            q["key_group"][rows][:, None]
            & (q["subdistrict"][rows][:, None] == self.subdistrict[cols][None, :]))
        ok = np.ones((n, len(cols)), dtype=bool)
        for mask in checks.values():
            ok &= mask
        if masks is not None:
            masks.update(checks)
        return ok

    def explain(self, q: dict, i: int) -> dict:
        """Why seeker i sees few posts: for every filter, the open posts that are
        otherwise suitable (relevant, passing every other filter) but fail this one, and
        the certificates most often missing among them."""
        cols = np.arange(self.n)
        _, masks = self.score_block(q, np.array([i]), respect_cap=False, cols=cols,
                                    explain=True)
        masks = {k: v[0] for k, v in masks.items()}
        blocked = {}
        for name_ in FILTERS:
            others = np.ones(self.n, dtype=bool)
            for other, mask in masks.items():
                if other != name_:
                    others &= mask
            blocked[name_] = int((others & ~masks[name_]).sum())
        missing: dict[str, int] = {}
        only_cert = np.flatnonzero(~masks["certificates"] & np.logical_and.reduce(
            [m for k, m in masks.items() if k != "certificates"]))
        held = set(q["certs"][i].indices.tolist())
        names = {v: k for k, v in self.cert_index.items()}
        for p in only_cert:
            for c in self.post_req[p].indices:
                if c not in held:
                    missing[names[c]] = missing.get(names[c], 0) + 1
        suitable = int(np.logical_and.reduce(list(masks.values())).sum())
        return {"blocked": blocked, "missing_certificates": sorted(
            missing.items(), key=lambda kv: (-kv[1], kv[0])), "suitable": suitable}

    def recommend(self, q: dict, i: int, top: int = 10, respect_cap: bool = True):
        """Top posts for seeker i: (posting positions, scores)."""
        cols = self.columns(q, i)
        score = self.score_block(q, np.array([i]), respect_cap, cols)[0]
        part, values = _top(score, top)
        return cols[part], values

    def batch(self, q: dict, top: int = 10, block: int = 256, workers: int = 2,
              progress=None, candidates: int = 3):
        """Top posts for every seeker with the per-post exposure cap: each seeker's best
        `candidates*top` feasible posts are collected, then allocated in score order so
        that no post goes to more seekers than its cap. Returns (seekers, posts, scores)
        arrays of the kept pairs, ordered by seeker then rank.

        Seekers are scored cohort by cohort (same area, commute limit and shifts) against
        their candidate columns only; with workers > 1 the blocks run in forked worker
        processes that share the index and the prepared seekers copy-on-write."""
        n = q["n"]
        k = top * candidates
        blocks = [c[s:s + block] for c in self.cohorts(q) for s in range(0, len(c), block)]
        # tasks of about 4 blocks' seekers each, so that progress moves and work is balanced
        tasks, current, size = [], [], 0
        for b in blocks:
            current.append(b)
            size += len(b)
            if size >= 4 * block:
                tasks.append(current)
                current, size = [], 0
        if current:
            tasks.append(current)
        out_s, out_p, out_v = [], [], []
        done = 0
        for s, p, v, count in _run_tasks(self, q, tasks, k, workers):
            out_s.append(s)
            out_p.append(p)
            out_v.append(v)
            done += count
            if progress:
                progress(done, n)
        s = np.concatenate(out_s) if out_s else np.zeros(0, int)
        p = np.concatenate(out_p) if out_p else np.zeros(0, int)
        v = np.concatenate(out_v) if out_v else np.zeros(0, np.float32)
        return allocate(s, p, v, cap=np.maximum(self.cap - self.exposure, 0), top=top)

    def _best(self, q: dict, rows: np.ndarray, k: int):
        """Each seeker's best k feasible posts (no cap): (seekers, posts, scores)."""
        cols = self.columns(q, int(rows[0]))
        kk = min(k, len(cols))
        if kk == 0:
            return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32)
        score = self.score_block(q, rows, respect_cap=False, cols=cols)
        r, c = _top_rows(score, kk)
        return rows[r], cols[c], score[r, c]

    # -- reasons -------------------------------------------------------------------------
    def components(self, q: dict, seekers: np.ndarray, posts: np.ndarray) -> dict:
        """Per-pair facts used for reasons, vectorised over the pairs."""
        seekers = np.asarray(seekers)
        posts = np.asarray(posts)
        occ_rows = q["occ"][seekers]
        unit = self.post_occ[posts]
        exact = np.asarray(occ_rows[np.arange(len(posts)), unit]).ravel() > 0
        minor = np.asarray((occ_rows @ self.same_minor)[np.arange(len(posts)), unit]).ravel() > 0
        major = np.asarray((occ_rows @ self.same_major)[np.arange(len(posts)), unit]).ravel() > 0
        overlap = np.asarray(q["skills"][seekers].multiply(
            self.post_skills.T.tocsr()[posts]).sum(axis=1)).ravel()
        names = {v: k for k, v in self.cert_index.items()}
        held = q["certs"][seekers]
        return {"exact": exact, "minor": minor, "major": major,
                "skill_hit": overlap.astype(int),
                "skill_need": self.post_skill_count[posts].astype(int),
                "minutes": self.commute[q["area"][seekers], self.p.area[posts]],
                "limit": q["max_commute"][seekers],
                "salary_max": self.salary_max[posts].astype(int),
                "salary_min": q["salary_min"][seekers].astype(int),
                "exp_need": self.experience[posts].astype(int),
                "exp_have": q["experience"][seekers].astype(int),
                "required": [[names[c] for c in self.post_req[p].indices] for p in posts],
                "preferred_held": [[names[c] for c in self.post_pref[p].indices
                                    if held[j, c]] for j, p in enumerate(posts)],
                "public_welfare": self.public_welfare[posts],
                "flagged": self.flagged[posts],
                "shift": self.shift_code[posts]}

    def reasons(self, q: dict, seekers, posts) -> list[list[str]]:
        """Chinese reasons per pair: "✓ ..." for a filter the pair passed (a stated
        requirement), plain text for what scored, "⚠ ..." for a screening flag."""
        if len(posts) == 0:
            return []
        c = self.components(q, seekers, posts)
        out = []
        for j in range(len(c["exact"])):
            r = []
            if c["flagged"][j]:
                r.append("⚠ 审核时有风险提示，推荐前请核实")
            if c["required"][j]:
                r.append(f"✓ 持有所需证书：{'、'.join(c['required'][j])}")
            if c["exp_need"][j]:
                r.append(f"✓ 经验 {c['exp_have'][j]} 年，要求 {c['exp_need'][j]} 年")
            if c["salary_min"][j] > 0:
                r.append(f"✓ 薪资上限 {c['salary_max'][j]} 元 ≥ 期望 {c['salary_min'][j]} 元")
            r.append(f"✓ 通勤约 {int(round(float(c['minutes'][j])))} 分钟"
                     f"（上限 {int(c['limit'][j])}）")
            r.append(f"✓ 班次：{SHIFT_LABELS[SHIFTS[c['shift'][j]]]}")
            if c["public_welfare"][j]:
                r.append("✓ 公益性岗位：本街道重点群体")
            if c["exact"][j]:
                r.append("职业相符")
            elif c["minor"][j]:
                r.append("职业相近（同一小类）")
            elif c["major"][j]:
                r.append("同一职业大类")
            if c["skill_need"][j] and c["skill_hit"][j]:
                r.append(f"技能重合 {c['skill_hit'][j]}/{c['skill_need'][j]}")
            if c["preferred_held"][j]:
                r.append(f"持有优先证书：{'、'.join(c['preferred_held'][j])}")
            out.append(r)
        return out


def _row_max(product: sp.csr_matrix) -> np.ndarray:
    """Each row's maximum of a sparse matrix with non-negative entries (0 for an empty
    row), read from its arrays: no sorting of indices, no dense copy."""
    counts = np.diff(product.indptr)
    top = np.zeros(product.shape[0], dtype=np.float32)
    filled = counts > 0
    if filled.any():
        data = product.data.astype(np.float32, copy=False)
        top[filled] = np.maximum(np.maximum.reduceat(data, product.indptr[:-1][filled]), 0)
    return top


def _top(score: np.ndarray, top: int):
    """Best `top` feasible entries, best first; equal scores in position order."""
    r, c = _top_rows(score[None, :], min(top, len(score)))
    order = np.lexsort((c, -score[c]))
    return c[order], score[c[order]]


def _top_rows(score: np.ndarray, k: int):
    """(rows, columns) of each row's k best feasible entries; of equal scores at the
    cut the lower columns are kept, so the choice does not depend on the block."""
    if k <= 0 or score.size == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    k = min(k, score.shape[1])
    kth = -np.partition(-score, k - 1, axis=1)[:, k - 1:k]
    above = score > kth
    tied = score == kth
    room = k - above.sum(axis=1, keepdims=True)
    chosen = above | (tied & (np.cumsum(tied, axis=1) <= room))
    chosen &= score > NEG / 2
    return np.nonzero(chosen)


_shared: tuple | None = None  # (index, prepared seekers) in a forked worker process


def _run_one(index: MatchIndex, q: dict, blocks: list[np.ndarray], k: int):
    parts = [index._best(q, rows, k) for rows in blocks]
    return (np.concatenate([x[0] for x in parts]), np.concatenate([x[1] for x in parts]),
            np.concatenate([x[2] for x in parts]), sum(len(b) for b in blocks))


def _share(index: MatchIndex, q: dict) -> None:
    global _shared
    _shared = (index, q)  # a forked worker's initialiser: arguments are inherited, not pickled


def _run_shared(args):
    blocks, k = args
    index, q = _shared
    return _run_one(index, q, blocks, k)


def _run_tasks(index: MatchIndex, q: dict, tasks: list, k: int, workers: int):
    """Results of the tasks in order: in this process, or in forked worker processes."""
    if workers <= 1 or len(tasks) < 2 or "fork" not in mp.get_all_start_methods():
        for blocks in tasks:
            yield _run_one(index, q, blocks, k)
        return
    with mp.get_context("fork").Pool(min(workers, len(tasks)), initializer=_share,
                                     initargs=(index, q)) as pool:
        yield from pool.imap(_run_shared, [(blocks, k) for blocks in tasks])


def _rank_within(groups: np.ndarray) -> np.ndarray:
    """0,1,2,... inside runs of equal values of a sorted array."""
    if len(groups) == 0:
        return groups
    starts = np.r_[0, np.flatnonzero(np.diff(groups)) + 1]
    counts = np.diff(np.r_[starts, len(groups)])
    return np.arange(len(groups)) - np.repeat(starts, counts)


def allocate(s, p, v, *, cap: np.ndarray, top: int, rounds: int = 3):
    """Keep at most `top` posts per seeker and at most cap[post] seekers per post, best
    scores first (vectorised rounds of: rank within post, cut at remaining cap; rank
    within seeker, cut at the seeker's remaining slots)."""
    kept = np.zeros(len(s), dtype=bool)
    used = np.zeros(len(cap), dtype=np.int64)
    slots = np.zeros((s.max() + 1) if len(s) else 0, dtype=np.int64)
    for _ in range(rounds):
        open_ = ~kept
        idx = np.flatnonzero(open_ & (used[p] < cap[p]) & (slots[s] < top))
        if len(idx) == 0:
            break
        order = idx[np.lexsort((s[idx], -v[idx], p[idx]))]
        ok = _rank_within(p[order]) < (cap - used)[p[order]]
        order = order[ok]
        order = order[np.lexsort((p[order], -v[order], s[order]))]
        ok = _rank_within(s[order]) < (top - slots)[s[order]]
        chosen = order[ok]
        kept[chosen] = True
        np.add.at(used, p[chosen], 1)
        np.add.at(slots, s[chosen], 1)
    idx = np.flatnonzero(kept)
    idx = idx[np.lexsort((p[idx], -v[idx], s[idx]))]
    return s[idx], p[idx], v[idx]
