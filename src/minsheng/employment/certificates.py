"""Certificates and licences as data on both sides of a match.

A post lists the certificates it *requires* (a filter: a seeker without one of them is
never shown the post) and those it *prefers* (a score). A seeker lists those held. Names are
normalised to one canonical name, so that 低压电工作业证, 电工上岗证 and 电工证 are one
certificate; an unknown name is kept as typed (compared exactly).

Requirement wording in a post's free text is read clause by clause: a clause that names a
certificate is a requirement unless it says 优先 / 者优先 / 加分 / 最好 (a preference).
"""

from __future__ import annotations

import re

# canonical name -> other names in use (特种作业操作证 categories of 应急管理部令第30号 and
# 特种设备作业人员证 of 市场监管总局; 健康证 = 食品从业人员健康证明, 食品安全法 art. 45).
CERTIFICATES: dict[str, tuple[str, ...]] = {
    "电工证": ("低压电工作业证", "低压电工证", "高压电工证", "电工上岗证", "电工操作证",
             "特种作业操作证（电工）", "电工特种作业证", "电工作业证"),
    "焊工证": ("熔化焊接与热切割作业证", "焊接作业证", "电焊工证", "焊工上岗证", "电焊证"),
    "叉车证": ("叉车司机证", "N1证", "场内机动车辆作业证", "叉车操作证", "叉车驾驶证"),
    "健康证": ("食品从业人员健康证明", "健康证明", "从业人员健康证"),
    "高处作业证": ("登高证", "高空作业证", "登高作业证"),
    "起重作业证": ("起重机司机证", "Q2证", "起重机械作业证", "行车证", "天车证"),
    "C1驾驶证": ("C1驾照", "C1证", "小车驾照"),
    "A2驾驶证": ("A2驾照", "A2证", "牵引车驾照"),
    "B2驾驶证": ("B2驾照", "B2证"),
    "消防设施操作员证": ("消防设施操作证", "消防证", "消防员证", "建构筑物消防员证"),
    "保安员证": ("保安证", "保安员资格证"),
    "育婴员证": ("育婴师证", "育婴证"),
    "养老护理员证": ("养老护理证", "护理员证"),
    "保育员证": ("保育证",),
    "教师资格证": ("教资", "教师证"),
    "会计专业技术资格": ("初级会计证", "会计职称", "初级会计职称", "中级会计职称", "会计证"),
    "护士执业证书": ("护士证", "护士执业资格证"),
    "厨师证": ("中式烹调师证", "烹调师证"),
    "制冷与空调作业证": ("制冷证", "空调作业证"),
    "道路运输从业资格证": ("从业资格证", "货运从业资格证", "客运从业资格证"),
}
_ALIAS = {a: c for c, names in CERTIFICATES.items() for a in (c, *names)}
# longest names first, so that 低压电工作业证 is read before 电工证
_FIND = re.compile("|".join(re.escape(a) for a in sorted(_ALIAS, key=len, reverse=True)))
_CLAUSE = re.compile(r"[，,；;。\n！!]")
_PREFERRED = re.compile(r"优先|加分|者佳|最好|可放宽|不限")


def canonical(name: str) -> str:
    name = (name or "").strip()
    return _ALIAS.get(name, name)


def normalise(names) -> list[str]:
    """Canonical names, in order, without duplicates or blanks."""
    out: list[str] = []
    for n in names or []:
        c = canonical(n)
        if c and c not in out:
            out.append(c)
    return out


def mentioned(text: str) -> list[str]:
    """Canonical certificates named anywhere in a text (a seeker's skills or summary)."""
    return normalise(_FIND.findall(text or ""))


def from_requirements(text: str) -> tuple[list[str], list[str]]:
    """(required, preferred) certificates read from a post's requirement wording."""
    required: list[str] = []
    preferred: list[str] = []
    for clause in _CLAUSE.split(text or ""):
        found = normalise(_FIND.findall(clause))
        target = preferred if _PREFERRED.search(clause) else required
        for c in found:
            if c not in target:
                target.append(c)
    preferred = [c for c in preferred if c not in required]
    return required, preferred
