"""Demo data for work safety, deterministic for ctx.seed: enterprise profiles, hazards at
every stage (some overdue), major hazard sources with sensors and a little history,
accidents with releases, emergency plans, drills, teams and supplies."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from minsheng.core.models import Organization
from minsheng.safety.models import (
    Certificate,
    Equipment,
    Hazard,
    RescueTeam,
    SafetyProfile,
    Sensor,
    SupplyItem,
    TrainingRecord,
)
from minsheng.safety.services import accidents as acc
from minsheng.safety.services import emergency as em
from minsheng.safety.services import hazards as hz
from minsheng.safety.services import iot

CATEGORIES = ["电气安全", "消防安全", "危险化学品", "特种设备", "有限空间作业", "粉尘防爆",
              "高处作业"]
LOCATIONS = ["一号车间", "仓库", "罐区", "配电室", "锅炉房", "装卸区", "办公楼"]
DESCRIPTIONS = ["配电箱未可靠接地", "灭火器压力不足", "储罐区可燃气体报警器失效",
                "压力容器未按期检验", "有限空间作业未审批", "除尘系统未设泄爆装置",
                "安全通道堆放杂物", "作业人员未系安全带"]
NAMES = ["液氨罐区", "液氯库", "液化气储罐区", "甲醇储罐区", "脱硫装置"]
SUPPLIES = [("A01", "帐篷", "顶", 200), ("A02", "折叠床", "张", 500), ("B01", "防化服", "套", 80),
            ("B02", "正压式空气呼吸器", "具", 40), ("C01", "发电机", "台", 12),
            ("C02", "抽水泵", "台", 20), ("D01", "饮用水", "箱", 1000),
            ("D02", "方便食品", "箱", 800)]


def build(ctx) -> None:
    rng = random.Random(int(ctx.rng(71).integers(0, 2**31)))
    actor = ctx.actor
    today = ctx.today
    enterprises = list(Organization.objects.filter(kind="enterprise").order_by("id")[:60])
    if not enterprises:
        ctx.notes.append("safety: no enterprises, nothing built")
        return
    _profiles(enterprises, rng, today)
    _hazards(actor, enterprises, rng, today)
    sources = _sources(actor, enterprises[:8], rng, today)
    _accidents(actor, enterprises, rng, ctx)
    _emergency(actor, ctx, enterprises, rng, today)
    ctx.notes.append(f"safety: {len(enterprises)} enterprise profiles, "
                     f"{Hazard.objects.count()} hazards, {len(sources)} major hazard sources "
                     f"with {Sensor.objects.count()} sensors (run `minsheng safety iot ingest` "
                     "and `minsheng safety iot simulate` for live data)")


def _profiles(enterprises, rng, today) -> None:
    categories = [c for c, _ in SafetyProfile.Category.choices]
    for i, ent in enumerate(enterprises):
        category = "hazchem" if i < 10 else rng.choice(categories)
        profile = SafetyProfile.objects.create(
            enterprise=ent, industry_code=ent.industry_code or rng.choice(["2614", "4720", "5942",
                                                                          "4890", "3130"]),
            category=category, risk_level="major" if i < 4 else rng.choice(
                ["high", "general", "general", "low"]),
            principal=rng.choice("王李张刘陈杨赵黄") + rng.choice(["建国", "海涛", "伟", "敏"]),
            safety_manager=rng.choice("周吴郑孙") + rng.choice(["磊", "静", "勇"]),
            safety_staff=rng.randint(1, 6), employees=rng.randint(20, 800))
        Certificate.objects.create(profile=profile, kind="安全生产许可证",
                                   number=f"(津)WH安许证字[{2024 + i % 3}]{i:04d}",
                                   issued_on=today - datetime.timedelta(days=900 + 30 * i),
                                   expires_on=today + datetime.timedelta(
                                       days=rng.randint(-40, 900)))
        TrainingRecord.objects.bulk_create(
            TrainingRecord(profile=profile, employee=f"员工{j:02d}", course="三级安全教育",
                           hours=Decimal(rng.choice([8, 16, 24])),
                           held_on=today - datetime.timedelta(days=rng.randint(10, 400)),
                           passed=rng.random() > 0.05) for j in range(5))


def _hazards(actor, enterprises, rng, today) -> None:
    stages = ["reported", "rectifying", "rectifying", "acceptance", "accepted", "closed",
              "closed", "closed"]
    for i in range(48):
        ent = enterprises[i % len(enterprises)]
        grade = "major" if i % 9 == 0 else "general"
        found = today - datetime.timedelta(days=rng.randint(5, 120))
        h = hz.hazard_report(actor=actor, enterprise=ent, origin=rng.choice(
            ["inspection", "self"]), grade=grade, category=rng.choice(CATEGORIES),
            location=rng.choice(LOCATIONS), description=rng.choice(DESCRIPTIONS),
            legal_basis="《安全生产法》第四十一条", found_on=found, today=today)
        target = stages[i % len(stages)]
        if target == "reported":
            continue
        if grade == "major":
            hz.hazard_submit_plan(actor=actor, hazard=h, version=h.version, goals="消除重大隐患",
                                  methods="停用并更换设备", funds="专项资金50万元",
                                  responsible="设备部", time_limit=found + datetime.timedelta(
                                      days=60), safety_measures="设置警戒区,专人监护",
                                  emergency_plan="泄漏应急处置方案", principal="主要负责人",
                                  today=found)
            if i % 2 == 0:
                hz.hazard_list_supervision(actor=actor, hazard=h, listed_by="区安委会办公室",
                                           suspension="partial", today=found)
        else:  # some deadlines already passed: overdue hazards for the demo
            hz.hazard_order(actor=actor, hazard=h, version=h.version,
                            order_number=f"津应急责改〔{found.year}〕{i + 1}号",
                            due=found + datetime.timedelta(days=rng.choice([10, 20, 30])),
                            today=found)
        if target == "rectifying":
            continue
        applied = min(today, found + datetime.timedelta(days=rng.randint(3, 25)))
        hz.hazard_apply_acceptance(actor=actor, hazard=h, version=h.version,
                                   rectified_on=applied, today=applied)
        if target == "acceptance":
            continue
        accepted = min(today, applied + datetime.timedelta(days=rng.randint(1, 9)))
        hz.hazard_accept(actor=actor, hazard=h, version=h.version, passed=True, today=accepted)
        if target == "closed":
            hz.hazard_write_off(actor=actor, hazard=h, version=h.version, today=accepted)


def _sources(actor, enterprises, rng, today):
    choices = [[("NH3", 45.0)], [("CL2", 12.0)], [("LPG", 120.0), ("H2", 2.0)],
               [("METHANOL", 800.0), ("BENZENE", 30.0)], [("H2S", 8.0)]]
    sources = []
    for i, ent in enumerate(enterprises):
        src = iot.source_save(actor=actor, enterprise=ent, code=f"MHS-{i + 1:03d}",
                              name=NAMES[i % len(NAMES)],
                              population_500m=rng.choice([0, 20, 40, 80, 150]),
                              substances=choices[i % len(choices)], today=today)
        sources.append(src)
        specs = [("GAS", "combustible", "%LEL", {}), ("TOX", "toxic", "mg/m3", {"oel": 20.0}),
                 ("T", "temperature", "°C", {"level1": 45, "level2": 60,
                                             "max_rate_per_min": 5}),
                 ("P", "pressure", "MPa", {"level1": 1.2, "level2": 1.5}),
                 ("L", "level", "%", {"level1": 85, "level2": 95, "low1": 10})]
        for prefix, kind, unit, options in specs:
            iot.sensor_create(actor=actor, source=src, code=f"{prefix}-{i + 1:03d}", kind=kind,
                              unit=unit, interval_seconds=5, **options)
    # an hour of history for the charts, stored through the ingestion pipeline
    from minsheng.safety import simulate
    from minsheng.safety.services.iot import Message, Pipeline

    now = timezone.now().timestamp()
    sims = [simulate.SimSensor(code, kind, unit, oel) for code, kind, unit, oel in
            Sensor.objects.values_list("code", "kind", "unit", "oel")]
    pipeline = Pipeline()
    r = random.Random(rng.random())
    stats = simulate.Stats()
    for step in range(60):
        t = now - 3600 + step * 60
        if step == 55:
            sims[0].leak_until = t + 120  # a recent gas leak: one alarm on the board
        pipeline.process([Message(topic, data) for topic, data in simulate.payloads(
            sims, t, r, simulate.FaultPlan(), "minsheng/safety/v1", stats)])
    pipeline.flush_state()
    return sources


def _accidents(actor, enterprises, rng, ctx) -> None:
    now = timezone.now()
    for i, (kind, deaths) in enumerate([("production", 1), ("fire", 0), ("road", 3),
                                        ("production", 0)]):
        occurred = now - datetime.timedelta(days=20 + 40 * i, hours=rng.randint(0, 12))
        ent = enterprises[(i * 7) % len(enterprises)]
        a = acc.accident_report(
            actor=actor, title=f"{ent.name}{['机械伤害', '火灾', '道路交通', '物体打击'][i]}事故",
            kind=kind, area=ent.area, occurred_at=occurred, place=ent.address or ent.name,
            enterprise=ent if kind != "road" else None, deaths=deaths,
            serious_injuries=rng.randint(0, 3),
            unit_reported_at=occurred + datetime.timedelta(minutes=rng.choice([30, 50, 75])))
        acc.accident_relay(actor=actor, accident=a, level="区应急管理局",
                           received_at=a.unit_reported_at,
                           relayed_at=a.unit_reported_at + datetime.timedelta(minutes=70))
        if i < 3:
            r = acc.release_draft(actor=actor, accident=a, title=f"关于{a.title}的情况通报",
                                  body=f"{occurred:%Y年%m月%d日}，{a.place}发生{a.title}。"
                                       "事故原因正在调查中。")
            acc.release_approve(actor=actor, release=r, version=r.version)
            acc.release_publish(actor=actor, release=r, version=r.version,
                                now=occurred + datetime.timedelta(hours=rng.choice([6, 20, 30])))


def _emergency(actor, ctx, enterprises, rng, today) -> None:
    emergency = ctx.departments.get("emergency")
    owner = emergency or enterprises[0]
    plans = [("滨海民生示范区突发事件总体应急预案", "overall", owner, ctx.district, 1400),
             ("危险化学品事故专项应急预案", "special", owner, ctx.district, 1200),
             ("防汛抗旱专项应急预案", "special", owner, ctx.district, 300)]
    plans += [(f"{e.name}生产安全事故应急预案", "enterprise", e, e.area, 500) for e in
              enterprises[:6]]
    plans += [(f"{e.name}罐区泄漏现场处置方案", "onsite", e, e.area, 400) for e in enterprises[:6]]
    for title, plan_type, org, area, age in plans:
        plan = em.plan_create(actor=actor, title=title, plan_type=plan_type, owner=org,
                              area=area, issued_on=today - datetime.timedelta(days=age))
        for _ in range(rng.randint(0, 2)):
            em.drill_record(actor=actor, plan=plan, held_on=today - datetime.timedelta(
                days=rng.randint(20, age)), participants=rng.randint(10, 120))
    for name, specialty in [("区危化品应急救援队", "危险化学品"), ("区消防救援大队", "消防"),
                            ("区防汛抢险队", "防汛")]:
        team = RescueTeam.objects.create(name=name, specialty=specialty, area=ctx.district,
                                         owner=emergency, members=rng.randint(20, 80))
        Equipment.objects.bulk_create([Equipment(team=team, name="应急通信车", quantity=1),
                                       Equipment(team=team, name="侦检仪", quantity=4)])
    for code, name, unit, required in SUPPLIES:
        for where in ("区应急物资储备库", "临港街道储备点"):
            SupplyItem.objects.create(
                catalogue_code=code, name=name, unit=unit, area=ctx.district, location=where,
                required=required // 2, stock=int(required // 2 * rng.uniform(0.5, 1.2)),
                expires_on=(today + datetime.timedelta(days=rng.randint(-20, 700))
                            if code.startswith("D") else None))
