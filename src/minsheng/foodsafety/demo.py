"""Deterministic demo data: food operators (restaurants, canteens, shops, pharmacies) as
organizations, licences (some expiring), inspectors, a checklist, grades, a drawn plan
with recorded inspections, a rectification, samples."""

from __future__ import annotations

import datetime

from minsheng.core.models import Organization, User
from minsheng.foodsafety.models import Operator
from minsheng.foodsafety.services import inspections as svc
from minsheng.foodsafety.services import operators as ops
from minsheng.foodsafety.services import samples as smp
from minsheng.inspections import services as engine

KINDS = [("catering", "餐馆"), ("sales", "超市"), ("pharmacy", "大药房"),
         ("school_canteen", "学校食堂"), ("production", "食品厂"), ("central_kitchen", "中央厨房"),
         ("device_retail", "医疗器械店"), ("special_food", "保健食品公司"),
         ("online_catering", "网络餐饮店")]
ITEMS = [("持有效许可证并公示", 5, True), ("从业人员健康证明", 5, False),
         ("原料进货查验记录", 10, False), ("加工区域生熟分开", 10, False),
         ("餐具清洗消毒", 10, False), ("食品添加剂使用公示", 5, False),
         ("冷藏冷冻设施温度", 10, False), ("无超范围经营", 5, True)]
NAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
SCALES = ["small", "medium", "large", ""]


def build(ctx) -> None:
    rng = ctx.rng(18)
    actor, today = ctx.actor, ctx.today
    market = ctx.departments["market"]
    checklist = engine.checklist_create(actor=actor, permission="foodsafety.plan",
                                        area=ctx.district, domain="foodsafety",
                                        code="FS-GENERAL", title="食品经营日常监督检查要点表",
                                        items=ITEMS)
    inspectors = [engine.inspector_register(actor=actor, permission="foodsafety.plan",
                                            department=market, name=f"{NAMES[i]}执法",
                                            badge=f"12019900{i:04d}") for i in range(12)]
    food_user = User.objects.filter(username="food").first()
    if food_user is not None:  # the demo login is the first registered inspector
        engine_inspector = inspectors[0]
        engine_inspector.user = food_user
        engine_inspector.save(update_fields=["user"])
    n = max(30, ctx.people // 100)
    orgs = []
    for i in range(n):
        community = ctx.communities[int(rng.integers(len(ctx.communities)))]
        category, word = KINDS[i % len(KINDS)]
        orgs.append(Organization(name=f"{community.name[:2]}{word}{i + 1:03d}号",
                                 kind="enterprise", area=community,
                                 address=f"{community.name}商业街{i + 1}号"))
    Organization.objects.bulk_create(orgs)
    operators = []
    for i, org in enumerate(orgs):
        category = KINDS[i % len(KINDS)][0]
        scale = SCALES[int(rng.integers(4))]
        served = None if i % 5 == 0 else int(rng.integers(20, 2000))
        operator = ops.operator_register(actor=actor, organization=org, category=category,
                                         scale=scale, population_served=served)
        kind = {"pharmacy": "drug_retail", "device_retail": "device_retail",
                "production": "food_production",
                "special_food": "food_production"}.get(category, "food_business")
        issued = today - datetime.timedelta(days=int(rng.integers(200, 1700)))
        # most valid for five years; a few expiring within the alert window
        expires = (today + datetime.timedelta(days=int(rng.integers(5, 55)))
                   if i % 11 == 3 else issued + datetime.timedelta(days=5 * 365))
        if expires <= today:
            expires = today + datetime.timedelta(days=400 + i)
        ops.licence_issue(actor=actor, operator=operator, kind=kind,
                          number=f"JY{ctx.district.code}{i:06d}", scope="预包装食品销售、热食类",
                          issued_on=issued, expires_on=expires)
        operators.append(operator)
    # a recusal, routine inspections of last month, a drawn plan
    engine.recusal_record(actor=actor, permission="foodsafety.plan", inspector=inspectors[1],
                          organization=operators[0].organization, reason="近亲属在该单位任职")
    for k, operator in enumerate(operators[: n // 3]):
        team = [inspectors[(2 * k + 2) % 12], inspectors[(2 * k + 3) % 12]]
        when = today - datetime.timedelta(days=20 + k % 30)
        inspection = svc.inspection_schedule(actor=actor, operator=operator, kind="routine",
                                             scheduled_on=when, checklist=checklist,
                                             inspectors=team)
        answers = {str(item[0]): "pass" for item in enumerate(ITEMS, 1)}
        if k % 4 == 1:
            answers[str(2 + k % 6)] = "fail"
        svc.inspection_record(actor=actor, inspection=inspection, version=inspection.version,
                              done_on=when, answers=answers,
                              remarks={2 + k % 6: "现场检查发现不符合要求"})
        if k % 2 == 0:
            inspection.refresh_from_db()
            svc.inspection_publish(actor=actor, inspection=inspection,
                                   version=inspection.version)
    plan = svc.plan_create(actor=actor, name=f"{today.year}年度食品经营双随机抽查",
                           year=today.year, area=ctx.district, department=market,
                           sample_size=min(8, len(operators)), checklist=checklist)
    svc.plan_draw(actor=actor, plan=plan, seed=20261129, version=plan.version,
                  scheduled_on=today)
    for s, operator in enumerate(operators[:12]):
        sample = smp.sample_take(actor=actor, operator=operator, number=f"CJ{today.year}{s:05d}",
                                 product=["散装大米", "鲜牛奶", "韭菜", "猪肉"][s % 4],
                                 batch=f"B{s:03d}", sampled_on=today - datetime.timedelta(
                                     days=30 - s))
        if s < 10:
            smp.sample_result(actor=actor, sample=sample, qualified=s % 5 != 2,
                              reported_on=today - datetime.timedelta(days=10 - s // 2),
                              failed_item="" if s % 5 != 2 else "镉(以Cd计)",
                              measured="0.35mg/kg", limit="0.2mg/kg")
    from minsheng.foodsafety.services import enforcement as enf

    case = enf.case_open(actor=actor, operator=operators[1], clue="抽检不合格大米仍在销售",
                         found_on=today - datetime.timedelta(days=12))
    enf.case_file(actor=actor, case=case, version=case.version,
                  filed_on=today - datetime.timedelta(days=5))
    enf.case_open(actor=actor, operator=operators[2], clue="群众举报未公示许可证",
                  found_on=today - datetime.timedelta(days=2))
    ctx.notes.append(f"food safety: {len(operators)} operators, "
                     f"{Operator.objects.exclude(grade='A').count()} above grade A, "
                     f"plan drawn with seed 20261129")
