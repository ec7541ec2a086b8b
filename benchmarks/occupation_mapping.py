"""Free text to occupations (employment.occupation_map): top-1 / top-3 accuracy on seekers'
own words, labelled by hand with the occupation a caseworker would record.

Before: the seeker form took only a code or an exact occupation name, so every description
below mapped to nothing (accuracy 0). After: suggestions with a confidence; the share of
descriptions whose best suggestion reaches OCCUPATION_SUGGESTION_MIN_CONFIDENCE (used for
matching before confirmation) and its accuracy are printed too.

    /work/main/.venv/bin/python benchmarks/occupation_mapping.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

# (wanted work in words, skills, major) -> occupation a caseworker records
LABELLED = [
    ("想找会计或者出纳的工作", "", "会计", "2-06-03-00"),
    ("做过三年财务，会用用友", "财务软件", "", "2-06-03-00"),
    ("送外卖送快递都行", "", "", "4-02-07-02"),
    ("以前在顺丰派件", "", "", "4-02-07-02"),
    ("会开叉车，在仓库干过", "叉车证", "", "6-30-01-01"),
    ("想当厨师，会做川菜", "", "", "4-03-02-01"),
    ("饭店炒菜师傅", "", "烹饪", "4-03-02-01"),
    ("做包子馒头的白案", "", "", "4-03-02-03"),
    ("在饭店端盘子传菜", "", "", "4-03-02-05"),
    ("照顾老人，在养老院做过护工", "", "", "4-10-01-05"),
    ("当保姆做家务", "", "", "4-10-01-06"),
    ("带小孩，做过月嫂", "", "", "4-10-01-02"),
    ("小区看大门当保安", "", "", "4-07-05-01"),
    ("写字楼打扫卫生", "", "", "4-09-07-01"),
    ("电工，持证，会修电路", "电工证", "", "6-31-01-03"),
    ("电焊，氩弧焊都会", "焊工证", "", "6-18-02-04"),
    ("电子厂流水线普工", "", "", "6-25-04-01"),
    ("在超市收银", "", "", "4-01-02-04"),
    ("商场导购卖衣服", "", "", "4-01-02-03"),
    ("跑业务做销售", "", "市场营销", "4-01-02-01"),
    ("开淘宝店做电商运营", "", "", "4-01-02-02"),
    ("电话客服，接听咨询", "", "", "4-04-05-05"),
    ("写Java后端", "Java", "计算机科学", "2-02-10-03"),
    ("做软件测试", "", "", "4-04-05-03"),
    ("幼儿园老师", "", "学前教育", "2-09-05-00"),
    ("在医院当护士", "", "护理", "2-05-08-01"),
    ("修车，汽车维修三年", "", "", "4-12-01-01"),
    ("修空调修冰箱", "", "", "4-12-02-03"),
    ("开大货车跑长途", "A2驾驶证", "", "4-02-02-02"),
    ("开公交车", "", "", "4-02-02-01"),
    ("仓库管理，管出入库", "WMS系统", "物流管理", "4-02-06-01"),
    ("工厂质检，检验产品", "", "", "6-31-05-01"),
    ("办公室文员，做表格", "Excel", "", "3-01-02-01"),
    ("招聘和员工关系，做人事", "", "人力资源管理", "2-06-06-00"),
    ("理发，剪头发", "", "", "4-10-03-02"),
    ("酒店前台接待", "", "", "4-03-01-01"),
    ("工地绑钢筋", "", "", "6-29-02-01"),
    ("搞装修刷墙", "", "", "6-29-03-06"),
    ("小区物业管理", "", "", "4-06-01-01"),
    ("园林绿化，修剪花木", "", "", "4-09-08-01"),
    ("数控机床编程操作", "数控编程", "机械", "6-18-01-07"),
    ("数据分析，写SQL", "SQL", "统计", "2-02-10-10"),
]


def main() -> None:
    from minsheng.employment import occupation_map
    from minsheng.employment.defaults import OCCUPATION_SUGGESTION_MIN_CONFIDENCE as floor

    top1 = top3 = confident = confident_right = 0
    misses = []
    for wanted, skills, major, code in LABELLED:
        s = occupation_map.suggest(wanted=wanted, skills=[x for x in skills.split() if x],
                                   major=major)
        codes = [x["code"] for x in s]
        top1 += bool(codes) and codes[0] == code
        top3 += code in codes
        if s and s[0]["confidence"] >= floor:
            confident += 1
            confident_right += codes[0] == code
        if not codes or codes[0] != code:
            misses.append((wanted, code, codes[:3]))
    n = len(LABELLED)
    print(f"{n} hand-labelled descriptions")
    print("before (code or exact name only): top-1 0.000, top-3 0.000")
    print(f"after: top-1 {top1 / n:.3f}, top-3 {top3 / n:.3f}; "
          f"best suggestion >= {floor} for {confident / n:.3f} of them, "
          f"right in {confident_right / max(confident, 1):.3f} of those")
    for wanted, code, got in misses:
        print(f"  miss: {wanted}  expected {code}, suggested {got}")


if __name__ == "__main__":
    main()
