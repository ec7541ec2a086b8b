"""FROZEN COPY of minsheng.employment.matching.engine before issue 12 (soft hard-rules,
85% salary tolerance, experience as a score, no certificates), kept only so that
benchmarks/matching_quality.py can print the before figures on the same data.

Vectorised seeker-posting matching.

Hard constraints filter (education, commute, salary floor, shift, public-welfare
eligibility, exposure cap, some relevance); soft criteria score:

    score = w_occ*occupation + w_text*bm25 + w_skill*skills + w_sal*salary
            + w_exp*experience + w_commute*commute

computed for a block of seekers of one cohort (same area, commute limit and shifts) against
the postings they can reach in a shift they accept, with dense numpy blocks and scipy
sparse products (no Python loop per pair); the batch runs blocks in forked worker
processes. Reasons are produced only for the pairs that are returned.
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
logging.getLogger("bm25s").setLevel(logging.WARNING)


@dataclass
class Params:
    weights: dict = field(default_factory=lambda: {
        "occupation": 0.40, "text": 0.20, "skills": 0.20, "salary": 0.08,
        "experience": 0.05, "commute": 0.07})
    occupation_fit: dict = field(default_factory=lambda: {"exact": 1.0, "minor": 0.6,
                                                          "major": 0.25})
    salary_tolerance: float = 0.85
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
    key_group: np.ndarray
    texts: list[str] | None = None  # free text (self-description, major)


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
        shift_mask = np.array([sum(1 << SHIFTS.index(s) for s in (row or SHIFTS))
                               for row in seekers.shifts], dtype=np.int16)
        return {"occ": occ, "skills": skills, "query": query, "shift_mask": shift_mask,
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
                    cols: np.ndarray | None = None):
        """Scores (n x len(cols), float32; NEG where a hard constraint fails) of the seekers
        `rows` against the posts `cols` (default: every post)."""
        pr = self.params
        w = pr.weights
        if cols is None:
            cols = np.arange(self.n)
        occ_rows = q["occ"][rows]
        n = occ_rows.shape[0]
        m = len(cols)
        score = np.zeros((n, m), dtype=np.float32)
        relevant = np.zeros((n, m), dtype=bool)
        if pr.use_structure:
            occ = self._occupation_fit(occ_rows)[:, self.post_occ[cols]]
            score += w["occupation"] * occ
            relevant |= occ > 0
            overlap = (q["skills"][rows] @ self.skills_by_post[cols].T).toarray()
            relevant |= overlap > 0
            overlap /= np.maximum(1, self.post_skill_count[cols])[None, :]
            score += w["skills"] * overlap
            del overlap, occ
        if pr.use_text:
            # normalised by the seeker's best text score over every post (bm25 >= 0)
            query = q["query"][rows]
            top = _row_max(query @ self.text_matrix)
            text = (query @ self.text_by_post[cols].T).toarray().astype(np.float32, copy=False)
            text /= np.where(top > 0, top, 1)[:, None]
            score += w["text"] * text
            relevant |= text > 0.35 if pr.use_structure else text > 0
            del text
        if pr.use_structure:
            area = self.p.area[cols]
            minutes = self.commute[q["area"][rows]][:, area]
            feasible = minutes <= q["max_commute"][rows][:, None]
            score += w["commute"] * (1 - 0.5 * minutes / np.maximum(
                q["max_commute"][rows], 1)[:, None])
            del minutes
            wanted = q["salary_min"][rows][:, None]
            ratio = self.salary_max[cols][None, :] / np.maximum(wanted, 1)
            feasible &= ratio >= pr.salary_tolerance
            score += w["salary"] * np.clip((ratio - pr.salary_tolerance)
                                           / (1 - pr.salary_tolerance), 0, 1)
            del ratio
            feasible &= q["education"][rows][:, None] >= self.education[cols][None, :]
            exp = q["experience"][rows][:, None] / np.maximum(self.experience[cols], 1)[None, :]
            score += w["experience"] * np.minimum(exp, 1)
            del exp
            feasible &= ((q["shift_mask"][rows][:, None] >> self.shift_code[cols][None, :])
                         & 1) > 0
            feasible &= ~self.public_welfare[cols][None, :] | q["key_group"][rows][:, None]
            feasible &= relevant
        else:
            feasible = relevant
        if respect_cap:
            feasible &= (self.exposure < self.cap)[cols][None, :]
        score[~feasible] = NEG
        return score

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
        return {"exact": exact, "minor": minor, "major": major,
                "skill_hit": overlap.astype(int),
                "skill_need": self.post_skill_count[posts].astype(int),
                "minutes": self.commute[q["area"][seekers], self.p.area[posts]],
                "salary_ok": self.salary_max[posts] >= q["salary_min"][seekers],
                "exp_ok": q["experience"][seekers] >= self.experience[posts],
                "exp_need": self.experience[posts].astype(int),
                "public_welfare": self.public_welfare[posts],
                "shift": self.shift_code[posts]}

    def reasons(self, q: dict, seekers, posts) -> list[list[str]]:
        if len(posts) == 0:
            return []
        c = self.components(q, seekers, posts)
        out = []
        for j in range(len(c["exact"])):
            r = []
            if c["exact"][j]:
                r.append("职业相符")
            elif c["minor"][j]:
                r.append("职业相近（同一小类）")
            elif c["major"][j]:
                r.append("同一职业大类")
            if c["skill_need"][j]:
                if c["skill_hit"][j]:
                    r.append(f"技能重合 {c['skill_hit'][j]}/{c['skill_need'][j]}")
            r.append(f"通勤 {int(round(float(c['minutes'][j])))} 分钟")
            r.append("薪资符合期望" if c["salary_ok"][j] else "薪资略低于期望")
            if c["exp_need"][j]:
                r.append("经验满足要求" if c["exp_ok"][j]
                         else f"经验略少（要求 {c['exp_need'][j]} 年）")
            if c["public_welfare"][j]:
                r.append("公益性岗位（重点群体可报）")
            r.append(f"班次：{SHIFT_LABELS[SHIFTS[c['shift'][j]]]}")
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
