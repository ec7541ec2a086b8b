"""Synthetic matching benchmark with planted suitable pairs.

Hidden profiles (occupation, skills, specialty words, home subdistrict, education and
salary level) generate both postings and seekers, with realistic noise: seekers ask for a
neighbouring occupation, list only some of the skills plus unrelated ones, describe
themselves with synonyms; postings vary their wording. Several profiles share an
occupation code, so the code alone cannot find the right posts. Some profiles need a
certificate (电工证, 叉车证, 健康证 ...): most of their posts require it and only some of
their seekers hold it. A posting is *suitable* for a seeker when both come from the same
profile and the posting passes every stated requirement of both sides (certificates,
experience, education, salary floor, travel time, shift, public-welfare eligibility in the
post's subdistrict). benchmarks/matching_quality.py grades relevance on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from minsheng.employment.matching.engine import (
    SHIFTS,
    MatchIndex,
    PostingData,
    SeekerData,
    allocate,
)
from minsheng.employment.occupations import name, occupations

SKILLS = ("叉车证 Excel CAD制图 数控编程 焊接 电工证 C1驾驶证 A2驾驶证 普通话二级 英语四级 Python "
          "Java SQL 客户沟通 收银 川菜烹饪 面点制作 基础护理 急救 育婴 保洁 电商运营 直播带货 "
          "仓储管理 WMS系统 ERP 质量检测 钳工 装配 PLC编程 机器人运维 冷链配送 报关 财务软件 "
          "PhotoShop 短视频剪辑 物业管理 安防监控 消防设施操作 高处作业证 起重作业 砌筑 钢筋绑扎 "
          "焊工证 电路检修 汽车维修 钣金 喷漆 保育 营养配餐 老年照护 康复护理 心理疏导 文案写作 "
          "新媒体运营 数据分析 Linux 网络运维 软件测试 前端开发 客服 电话销售 地推 理货 分拣 "
          "扫码出入库 驾驶 导航 园艺 绿化养护 家电维修 美发 美容 化妆 缝纫 质量体系 6S管理").split()
SPECIALTY = ("冷链 跨境电商 新能源汽车 港口 保税 生物医药 智能制造 社区 养老院 医院 学校 商超 连锁 "
             "酒店 写字楼 物流园 工业园 机场 地铁 化工园区 食品厂 电子厂 仓库 外卖 快递站 直播间 "
             "4S店 装修 市政 园林").split()
SYNONYMS = {"招聘": ["诚聘", "急招", "招募", "招聘"], "负责": ["负责", "承担", "从事", "做"],
            "要求": ["要求", "需要", "须", "希望"], "待遇": ["待遇", "薪资", "收入", "工资"]}


CERTS = ("电工证", "焊工证", "叉车证", "健康证", "高处作业证", "C1驾驶证", "育婴员证",
         "养老护理员证")


@dataclass
class Synthetic:
    postings: PostingData
    seekers: SeekerData
    commute: np.ndarray
    post_profile: np.ndarray
    seeker_profile: np.ndarray
    profile_code: list[str] | None = None


def commute_matrix(subdistricts: int = 6, per: int = 6) -> tuple[np.ndarray, np.ndarray]:
    """Minutes between communities (same 10, same subdistrict 25, else 40 + 8/step)."""
    sub = np.repeat(np.arange(subdistricts), per)
    n = len(sub)
    m = np.where(sub[:, None] == sub[None, :], 25.0,
                 40.0 + 8.0 * (np.abs(sub[:, None] - sub[None, :]) - 1))
    m[np.arange(n), np.arange(n)] = 10.0
    return m.astype(np.float32), sub


def generate(seekers: int, postings: int, seed: int = 7) -> Synthetic:
    rng = np.random.default_rng(seed)
    codes = sorted(occupations())
    commute, sub = commute_matrix()
    n_sub = sub.max() + 1
    n_prof = max(20, postings // 120)
    # profiles: codes are shared by several profiles; skills from a code-specific pool
    code_skill_pool = {c: rng.choice(len(SKILLS), 10, replace=False) for c in codes}
    prof_code = rng.choice(len(codes), n_prof)
    prof_skills = [rng.choice(code_skill_pool[codes[c]], 5, replace=False) for c in prof_code]
    prof_spec = rng.choice(len(SPECIALTY), (n_prof, 2))
    prof_sub = rng.integers(0, n_sub, n_prof)
    prof_edu = rng.integers(0, 5, n_prof)
    prof_salary = rng.integers(30, 120, n_prof) * 100
    prof_shift = rng.integers(0, 4, n_prof)
    prof_pw = rng.random(n_prof) < 0.05
    prof_cert = np.where(rng.random(n_prof) < 0.3, rng.integers(0, len(CERTS), n_prof), -1)

    def area_near(subs, p_home):
        home = rng.random(len(subs)) < p_home
        s = np.where(home, subs, np.clip(subs + rng.choice([-1, 1], len(subs)), 0, n_sub - 1))
        return s * 6 + rng.integers(0, 6, len(subs))

    def sibling(code_idx):
        c = codes[code_idx]
        same = [i for i, x in enumerate(codes) if x[:7] == c[:7] and x != c]
        if not same:
            same = [i for i, x in enumerate(codes) if x[:1] == c[:1] and x != c]
        return same[rng.integers(len(same))] if same else code_idx

    def words(k):
        return rng.choice(SYNONYMS[k])

    # postings
    pp = rng.integers(0, n_prof, postings)
    p_code = [codes[prof_code[j]] if rng.random() < 0.85 else codes[sibling(prof_code[j])]
              for j in pp]
    p_skills, p_texts = [], []
    for i, j in enumerate(pp):
        sk = list(rng.choice(prof_skills[j], rng.integers(2, 5), replace=False))
        if rng.random() < 0.3:
            sk.append(rng.integers(len(SKILLS)))
        p_skills.append([SKILLS[s] for s in sk])
        spec = SPECIALTY[prof_spec[j][rng.integers(2)]]
        p_texts.append(
            f"{words('招聘')}{name(p_code[i])}，{spec}项目，{words('负责')}{spec}相关"
            f"{name(codes[prof_code[j]])[:4]}工作；{words('要求')}掌握"
            f"{'、'.join(p_skills[-1])}，{words('待遇')}面议，五险一金。")
    post = PostingData(
        ids=np.arange(postings), occupation=p_code, skills=p_skills,
        education=np.maximum(0, prof_edu[pp] - rng.integers(0, 2, postings)),
        experience=rng.integers(0, 4, postings),
        salary_min=(prof_salary[pp] * 0.8).astype(int),
        salary_max=(prof_salary[pp] * rng.uniform(1.0, 1.4, postings)).astype(int),
        area=area_near(prof_sub[pp], 0.8),
        shift=[SHIFTS[s] for s in np.where(rng.random(postings) < 0.8, prof_shift[pp],
                                           rng.integers(0, 4, postings))],
        public_welfare=prof_pw[pp] & (rng.random(postings) < 0.7),
        openings=rng.integers(1, 6, postings), texts=p_texts,
        certificates=[[CERTS[prof_cert[j]]] if prof_cert[j] >= 0 and rng.random() < 0.8
                      else [] for j in pp],
        preferred=[[] for _ in pp])
    post.subdistrict = post.area // 6
    # seekers
    sp_ = rng.integers(0, n_prof, seekers)
    s_codes, s_skills, s_texts, s_shifts = [], [], [], []
    for j in sp_:
        r = rng.random()
        main = prof_code[j] if r < 0.55 else sibling(prof_code[j])
        wanted = [codes[main]]
        if r >= 0.55 and rng.random() < 0.5:
            wanted.append(codes[prof_code[j]])
        if rng.random() < 0.3:
            wanted.append(codes[rng.integers(len(codes))])
        s_codes.append(wanted)
        sk = list(rng.choice(prof_skills[j], rng.integers(1, 4), replace=False))
        sk += list(rng.integers(0, len(SKILLS), rng.integers(0, 3)))
        s_skills.append([SKILLS[s] for s in sk])
        spec = SPECIALTY[prof_spec[j][rng.integers(2)]] if rng.random() < 0.6 else \
            SPECIALTY[rng.integers(len(SPECIALTY))]
        s_texts.append(f"做过{spec}方面的工作，想找{name(wanted[0])[:4]}类岗位")
        s_shifts.append([SHIFTS[prof_shift[j]]] + ([SHIFTS[rng.integers(4)]]
                                                   if rng.random() < 0.5 else []))
    seek = SeekerData(
        ids=np.arange(seekers), occupations=s_codes, skills=s_skills,
        education=np.minimum(5, prof_edu[sp_] + rng.integers(-1, 2, seekers)).clip(0),
        experience=rng.integers(0, 8, seekers),
        salary_min=(prof_salary[sp_] * rng.uniform(0.7, 1.15, seekers)).astype(int),
        area=area_near(prof_sub[sp_], 0.7),
        max_commute=rng.choice([30, 45, 60], seekers).astype(np.float32),
        shifts=s_shifts, key_group=rng.random(seekers) < 0.25, texts=s_texts,
        certificates=[([CERTS[prof_cert[j]]] if prof_cert[j] >= 0 and rng.random() < 0.6
                       else []) + ([CERTS[rng.integers(len(CERTS))]] if rng.random() < 0.15
                                   else []) for j in sp_])
    seek.subdistrict = seek.area // 6
    return Synthetic(post, seek, commute, pp, sp_, [codes[c] for c in prof_code])


def relevant_matrix(data: Synthetic, index: MatchIndex, q: dict, seekers: np.ndarray):
    """Boolean (len(seekers) x P): same hidden profile and every hard constraint passes."""
    same = data.seeker_profile[seekers][:, None] == data.post_profile[None, :]
    return same & requirements_met(data, seekers)


def requirements_met(data: Synthetic, seekers: np.ndarray) -> np.ndarray:
    """Boolean (len(seekers) x P): every stated requirement of both sides holds, checked
    here from the raw fields (not with the engine's code)."""
    p, s = data.postings, data.seekers
    minutes = data.commute[s.area[seekers]][:, p.area]
    ok = minutes <= s.max_commute[seekers][:, None]
    ok &= p.salary_max[None, :] >= s.salary_min[seekers][:, None]
    ok &= s.education[seekers][:, None] >= p.education[None, :]
    ok &= s.experience[seekers][:, None] >= p.experience[None, :]
    accepted = [set(s.shifts[i]) for i in seekers]
    ok &= np.array([[sh in acc for sh in p.shift] for acc in accepted])
    held = [set(s.certificates[i]) for i in seekers]
    ok &= np.array([[set(req) <= h for req in p.certificates] for h in held])
    ok &= ~p.public_welfare[None, :] | (s.key_group[seekers][:, None] & (
        s.subdistrict[seekers][:, None] == p.subdistrict[None, :]))
    return ok


def metrics(ranked: list[np.ndarray], relevant: np.ndarray, n_posts: int, k: int = 10):
    recall, ndcg = [], []
    shown = np.zeros(n_posts, dtype=bool)
    discounts = 1 / np.log2(np.arange(2, k + 2))
    for i, rec in enumerate(ranked):
        rel = relevant[i]
        total = int(rel.sum())
        if total == 0:
            continue
        rec = np.asarray(rec[:k], dtype=int)
        shown[rec] = True
        hits = rel[rec] if len(rec) else np.zeros(0, bool)
        recall.append(hits.sum() / min(k, total))
        ideal = discounts[:min(k, total)].sum()
        ndcg.append((hits * discounts[:len(hits)]).sum() / ideal)
    return {"recall@10": float(np.mean(recall)) if recall else 0.0,
            "ndcg@10": float(np.mean(ndcg)) if ndcg else 0.0,
            "coverage": float(shown.mean()), "evaluated": len(recall)}


def filtered_baselines(index: MatchIndex, q: dict, i: int, k: int = 10) -> dict:
    """The two baselines for seeker i, given the engine's own hard filters (the same
    candidate set): BM25 text score order, and exact occupation code in arbitrary order."""
    allowed = index.hard_filters(q, np.array([i]), np.arange(index.n))[0]
    text = np.asarray((q["query"][i] @ index.text_by_post.T).todense()).ravel()
    ok = np.flatnonzero(allowed & (text > 0))
    bm25 = ok[np.lexsort((ok, -text[ok]))][:k]
    order = np.random.default_rng(1).permutation(index.n)
    wanted = q["occ"][i].indices
    occ = order[np.isin(index.post_occ[order], wanted) & allowed[order]][:k]
    return {"BM25 + same filters": bm25, "occupation code + same filters": occ}


def evaluate(data: Synthetic, index: MatchIndex, q: dict, sample: np.ndarray,
             capped: dict | None = None, k: int = 10) -> dict:
    """Quality of the engine and the two baselines (with the same hard filters) on the
    sampled seekers."""
    relevant = relevant_matrix(data, index, q, sample)
    results = {}
    ranked = [index.recommend(q, int(i), k, respect_cap=False)[0] for i in sample]
    results["engine"] = metrics(ranked, relevant, index.n, k)
    if capped is not None:
        results["engine + exposure cap"] = metrics([capped.get(int(i), np.zeros(0, int))
                                                    for i in sample], relevant, index.n, k)
    base = [filtered_baselines(index, q, int(i), k) for i in sample]
    for name_ in base[0] if base else ():
        results[name_] = metrics([b[name_] for b in base], relevant, index.n, k)
    return results


__all__ = ["generate", "evaluate", "commute_matrix", "allocate", "Synthetic"]
