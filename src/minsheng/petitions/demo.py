"""Demo petitions: real registered residents petition about everyday matters, and their
cases stand at every step (some late, some extended, some repeated, some through review
and re-review), all moved through the services so dates, clocks and the timeline agree.
Deterministic for the seed; the number grows with the population up to a cap (each case
goes through the services, which is what makes it a faithful demo)."""

from __future__ import annotations

import datetime

from minsheng.core.models import Person
from minsheng.petitions import services as S
from minsheng.petitions.models import Petition

CAP = 240
# (department code, subject, text) — the matters residents bring to the district
MATTERS = [
    ("civil_affairs", "低保申请被退回",
     "我家去年十月申请最低生活保障，街道说收入超标退回了，可是我爱人已经失业半年，"
     "家里只有我一个人打零工，请求重新核对家庭收入。"),
    ("civil_affairs", "临时救助迟迟未发放",
     "今年三月家中失火，社区说可以申请临时救助，材料交了两个月还没有消息，请求尽快办理。"),
    ("hrss", "工地拖欠工资",
     "我在港城建设工地干了四个月钢筋工，包工头拖欠工资两万三千元，多次讨要无果，"
     "请求劳动监察部门帮助追讨。"),
    ("hrss", "社保缴费年限认定",
     "我在原国营纺织厂工作十二年，档案里的工龄和社保系统记录对不上，影响退休，"
     "请求核实认定缴费年限。"),
    ("education", "孩子就近入学问题",
     "我家住在锦绣社区，孩子今年上一年级，却被分到五公里外的学校，请求按学区就近安排入学。"),
    ("market", "小区周边餐馆油烟扰民",
     "楼下新开的烧烤店每天营业到凌晨两点，油烟和噪音很大，老人孩子无法休息，"
     "请求相关部门查处。"),
    ("health", "社区卫生服务站取消夜间门诊",
     "社区卫生服务站取消了夜间门诊，老人晚上看病要去很远的医院，"
     "建议恢复夜间门诊或者设置值班医生。"),
    ("emergency", "老旧小区消防通道被占",
     "和顺社区三号楼消防通道长期被私家车和杂物占用，一旦失火后果不堪设想，请求督促清理。"),
]
REWORDED = {
    0: "关于我家低保申请被退回的问题，我爱人失业半年多了，家庭收入核对有误，"
       "再次请求重新审核低保申请。",
    2: "港城建设工地包工头拖欠我钢筋工工资两万三千元至今未付，上次反映后没有结果，"
       "再次请求帮助追讨工资。",
}
# stage -> share of the cases (the rest are registered this week)
STAGES = [("declined", 0.05), ("accepted", 0.15), ("accepted_late", 0.06), ("extended", 0.05),
          ("replied", 0.14), ("concluded", 0.22), ("review", 0.06), ("reviewed", 0.06),
          ("re_review", 0.04), ("re_reviewed", 0.05), ("registered_late", 0.04)]


def _people(ctx, n: int) -> list[Person]:
    ids = list(Person.objects.filter(status="living", birth_date__lte=datetime.date(
        ctx.today.year - 18, 1, 1)).order_by("id").values_list("id", flat=True)[:5000])
    rng = ctx.rng(1601)
    picked = rng.choice(len(ids), size=min(n, len(ids)), replace=False)
    chosen = [ids[i] for i in sorted(picked)]
    by_id = Person.objects.select_related("residence_area").in_bulk(chosen)
    return [by_id[i] for i in chosen]


def build(ctx) -> None:
    n = max(40, min(CAP, ctx.people // 100))
    rng = ctx.rng(1602)
    actor, today = ctx.actor, ctx.today
    people = _people(ctx, n)
    stages = [s for s, _w in STAGES]
    weights = [w for _s, w in STAGES]
    rest = 1 - sum(weights)
    chosen = rng.choice(len(stages) + 1, size=len(people), p=[*weights, rest])
    matter_of = rng.integers(0, len(MATTERS), size=len(people))
    created = []
    for i, person in enumerate(people):
        stage = stages[chosen[i]] if chosen[i] < len(stages) else "registered"
        code, subject, text = MATTERS[matter_of[i]]
        back = {"registered": int(rng.integers(0, 5)), "registered_late": 25,
                "accepted_late": 90, "extended": 70}.get(stage, int(rng.integers(20, 200)))
        received = today - datetime.timedelta(days=back)
        p = S.petition_register(
            actor=actor, channel=str(rng.choice(["visit", "letter", "phone", "online"])),
            category="suggestion" if code == "health" else "claim",
            petitioner_name=person.name, petitioner_id_number=person.id_number,
            petitioner_phone=person.phone or "13800138000", area=person.residence_area,
            subject=subject, content=text, received_on=received, today=today,
            department=ctx.departments.get(code))
        created.append((p, stage, person, int(matter_of[i])))
        _advance(actor, p, stage, received, today, rng)
    _repeats(ctx, created)
    S.petitions_sweep(today=today)
    ctx.notes.append(f"{len(created)} petitions at every step")


def _advance(actor, p: Petition, stage: str, received, today, rng) -> None:
    if stage in ("registered", "registered_late"):
        return
    decided = min(today, received + datetime.timedelta(days=int(rng.integers(2, 14))))
    if stage == "declined":
        S.petition_decline(actor=actor, petition=p, version=p.version, today=decided,
                           note="所反映事项属于诉讼程序处理范围，请向人民法院提起诉讼。")
        return
    S.petition_accept(actor=actor, petition=p, version=p.version, today=decided,
                      note="经审查，决定受理，请等待办理结果。")
    p.refresh_from_db()
    if stage in ("accepted", "accepted_late"):
        return
    if stage == "extended":
        S.petition_extend(actor=actor, petition=p, version=p.version, days=30,
                          reason="涉及多个部门，需进一步调查核实。",
                          today=decided + datetime.timedelta(days=50))
        return
    replied = min(today, decided + datetime.timedelta(days=int(rng.integers(15, 58))))
    S.petition_reply(actor=actor, petition=p, version=p.version, today=replied,
                     reply="经调查核实，已责成有关单位依法处理，具体情况如下：……")
    p.refresh_from_db()
    if stage == "concluded":
        S.petition_rate(actor=actor, petition=p, version=p.version, today=replied,
                        satisfaction=str(rng.choice(["satisfied", "basic", "unsatisfied"],
                                                    p=[0.6, 0.3, 0.1])))
        return
    if stage == "replied":
        return
    asked = min(today, replied + datetime.timedelta(days=int(rng.integers(5, 25))))
    S.petition_request_review(actor=actor, petition=p, version=p.version, requested_on=asked,
                              today=asked)
    p.refresh_from_db()
    if stage == "review":
        return
    reviewed = min(today, asked + datetime.timedelta(days=int(rng.integers(10, 28))))
    S.petition_decide_review(actor=actor, petition=p, version=p.version, today=reviewed,
                             opinion="经复查，原处理意见认定事实清楚，予以维持。")
    p.refresh_from_db()
    if stage == "reviewed":
        return
    asked = min(today, reviewed + datetime.timedelta(days=int(rng.integers(3, 20))))
    S.petition_request_re_review(actor=actor, petition=p, version=p.version,
                                 requested_on=asked, today=asked)
    p.refresh_from_db()
    if stage == "re_review":
        return
    S.petition_decide_re_review(actor=actor, petition=p, version=p.version,
                                today=min(today, asked + datetime.timedelta(days=20)),
                                opinion="经复核，维持复查意见。"
                                        "信访人以同一事实和理由再次提出的，不再受理。")


def _repeats(ctx, created) -> None:
    """A few residents come back with the same matter reworded: linked as repeats (one of
    them after the re-review, which the acceptance then refuses)."""
    done = 0
    for _p, stage, person, matter in created:
        if matter not in REWORDED or stage not in ("re_reviewed", "concluded", "accepted"):
            continue
        code, subject, _text = MATTERS[matter]
        S.petition_register(
            actor=ctx.actor, channel="visit", category="claim", petitioner_name=person.name,
            petitioner_id_number=person.id_number, petitioner_phone=person.phone or "",
            area=person.residence_area, subject=f"再次反映：{subject}",
            content=REWORDED[matter], received_on=ctx.today, today=ctx.today,
            department=ctx.departments.get(code))
        done += 1
        if done >= 6:
            break
