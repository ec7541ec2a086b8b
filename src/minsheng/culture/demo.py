"""Demo data for culture, deterministic for ctx.seed: heritage sites at every level (some
with zones delimited, some overdue), construction checks around them (clear, nearby, in a
control zone with its consent case, in a protection range), intangible heritage items with
inheritors at every stage, public cultural facilities."""

from __future__ import annotations

import datetime
import math
import random

import shapely
from shapely import affinity

from minsheng.core.dates import add_months
from minsheng.culture.config import setting
from minsheng.culture.geometry import Shape
from minsheng.culture.models import ConsentCase
from minsheng.culture.services import checks, facilities, intangible, register

SITES = [("大沽口炮台遗址", "site", "清"), ("北塘古镇城墙", "building", "明"),
         ("海神庙遗址", "site", "元"), ("贝壳堤", "other", "新石器时代"),
         ("汉沽盐场旧址", "modern", "近代"), ("潮音寺", "building", "明"),
         ("塘沽火车站旧址", "modern", "清末"), ("渔民墓群", "tomb", "汉"),
         ("天后宫", "building", "清"), ("北塘炮台", "site", "明"), ("石刻经幢", "cave", "辽"),
         ("永和铁路桥", "modern", "民国"), ("义冢", "tomb", "清"), ("盐坨遗址", "site", "宋"),
         ("洋务学堂旧址", "modern", "清末"), ("海防营房", "building", "清")]
LEVELS = ["national", "provincial", "municipal", "municipal", "county", "county",
          "registered", "registered"]
ITEMS = [("汉沽飞镲", "dance"), ("北塘渔家号子", "music"), ("塘沽版画", "art"),
         ("海味腌制技艺", "craft"), ("妈祖祭典", "custom"), ("渔村传说", "literature"),
         ("武术八极拳", "sports"), ("津味快板", "quyi"), ("正骨疗法", "medicine"),
         ("皮影戏", "drama")]
SURNAMES = "王李张刘陈杨赵黄周吴"
GIVEN = ["建国", "海生", "秀兰", "志强", "桂芳", "德明", "玉梅", "永福", "春生", "丽华"]


def ring(lon: float, lat: float, metres: float, rng: random.Random):
    """A rough polygon of about `metres` radius around a point (in degrees)."""
    dlat = metres / 111_320
    dlon = metres / (111_320 * math.cos(math.radians(lat)))
    base = shapely.Point(0, 0).buffer(1, quad_segs=3)
    shape = affinity.scale(base, dlon * rng.uniform(0.8, 1.2), dlat * rng.uniform(0.8, 1.2),
                           origin=(0, 0))
    return affinity.translate(shape, lon, lat)


def _point(rng: random.Random, margin: float = 0.05):
    lon_min, lat_min, lon_max, lat_max = setting("DISTRICT_BOUNDS")
    return (round(rng.uniform(lon_min + margin, lon_max - margin), 6),
            round(rng.uniform(lat_min + margin, lat_max - margin), 6))


def _id_number(rng: random.Random, year: int) -> str:
    from minsheng.core.identifiers import id_check_digit

    body = f"120116{year}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    return body + id_check_digit(body)


def build(ctx) -> None:
    rng = random.Random(int(ctx.rng(83).integers(0, 2**31)))
    actor, today = ctx.actor, ctx.today
    communities = list(ctx.communities)
    sites = _sites(actor, communities, rng, today)
    n_checks, n_consents = _checks(actor, sites, rng, today)
    items = _intangible(actor, communities, rng, today)
    n_facilities = _facilities(actor, ctx, rng, today)
    ctx.notes.append(f"culture: {len(sites)} heritage sites, {n_checks} construction checks "
                     f"({n_consents} consent cases), {len(items)} intangible heritage items, "
                     f"{n_facilities} public cultural facilities")


def _sites(actor, communities, rng, today):
    sites = []
    for n, (name, category, era) in enumerate(SITES, 1):
        level = LEVELS[n % len(LEVELS)]
        lon, lat = _point(rng)
        designated = None if level == "registered" else add_months(
            today, -rng.randint(3, 120))
        area = communities[rng.randrange(len(communities))]
        site = register.site_create(
            actor=actor, code=f"WB{n:04d}", area=area, name=name, level=level,
            category=category, era=era, address=f"{area.name}{rng.randint(1, 200)}号",
            lon=lon, lat=lat, owner=f"{area.name}居委会", responsible_person=
            rng.choice(SURNAMES) + rng.choice(GIVEN), responsible_duties="日常巡查、安全防范、"
            "险情报告", designated_on=designated,
            designation_document=f"津政发〔{designated.year}〕{n}号" if designated else "",
            risk=rng.choice(["good", "good", "fair", "poor"]), today=today)
        # most designated sites have their zones; a few recent or neglected ones do not
        if designated and (n % 5 != 0):
            when = min(today, add_months(designated, rng.randint(1, 14)))
            inner = ring(lon, lat, rng.uniform(60, 150), rng)
            register.zone_set(actor=actor, site=site, kind="protection", shape=Shape(inner),
                              source="demo", delimited_on=when, today=today)
            outer = shapely.union(inner.buffer(0), ring(lon, lat, rng.uniform(350, 600), rng))
            register.zone_set(actor=actor, site=site, kind="control", shape=Shape(outer),
                              source="demo", delimited_on=when, today=today)
        sites.append(site)
    return sites


def _checks(actor, sites, rng, today):
    zoned = [s for s in sites if s.zones.exists()]
    done = 0
    for n in range(30):
        kind = n % 5
        if kind in (0, 1) and zoned:  # in a control zone: 250 m east of a zoned site
            site = zoned[n % len(zoned)]
            lon, lat = site.lon + 250 / (111_320 * math.cos(math.radians(site.lat))), site.lat
        elif kind == 2 and zoned:  # inside a protection range, exception requested
            site = zoned[(n * 3) % len(zoned)]
            lon, lat = site.lon, site.lat
        else:
            lon, lat = _point(rng)
        geom = ring(lon, lat, 40, rng) if n % 2 else shapely.Point(lon, lat)
        area = sites[n % len(sites)].area
        check = checks.project_check(
            actor=actor, project_name=f"{area.name}{['住宅', '商业', '道路', '管网', '学校'][kind]}"
            f"项目{n + 1}", applicant=f"滨海建设{n + 1}有限公司", reference=f"规建字{2026}{n:04d}",
            area=area, shape=Shape(geom), exception_requested=kind == 2,
            exception_grounds="市政管网抢修，无法避让" if kind == 2 else "", today=today)
        done += 1
        case = ConsentCase.objects.filter(construction_check=check).first()
        if case is not None and n % 3 == 0:
            checks.consent_decide(actor=actor, case=case, version=case.version,
                                  decision="approve" if n % 2 == 0 else "refuse",
                                  reason="方案对文物历史风貌影响可控" if n % 2 == 0 else
                                  "建筑高度超过控制要求", today=today)
    return done, ConsentCase.objects.count()


def _intangible(actor, communities, rng, today):
    items = []
    for n, (name, category) in enumerate(ITEMS, 1):
        area = communities[(n * 7) % len(communities)]
        items.append(intangible.item_create(
            actor=actor, code=f"FY{n:03d}", name=name, category=category,
            level=["national", "provincial", "municipal", "county"][n % 4], area=area,
            protection_unit=f"{area.name}文化站",
            listed_on=add_months(today, -rng.randint(12, 150)), today=today))
    start = today - datetime.timedelta(days=400)
    for n in range(25):
        item = items[n % len(items)]
        person = intangible.inheritor_nominate(
            actor=actor, item=item, name=rng.choice(SURNAMES) + rng.choice(GIVEN),
            id_number=_id_number(rng, rng.randint(1945, 1985)), subsidy=rng.choice([0, 5000,
                                                                                    8000]),
            today=start)
        stage = n % 5
        if stage >= 1:
            notice_day = start if stage >= 2 else today - datetime.timedelta(days=5)
            intangible.inheritor_act(actor=actor, person=person, version=person.version,
                                     action="publish_notice", today=notice_day)
        if stage >= 2:
            intangible.inheritor_act(actor=actor, person=person, version=person.version,
                                     action="recognise",
                                     today=start + datetime.timedelta(days=30))
            intangible.evaluation_record(actor=actor, person=person, year=today.year - 1,
                                         apprentices=rng.randint(0, 8), shows=rng.randint(0, 12),
                                         grade="fail" if stage == 4 else "pass", today=today)
        if stage == 4 and n % 2:
            intangible.inheritor_act(actor=actor, person=person, version=person.version,
                                     action="revoke", reason="连续两年未履行传承义务",
                                     today=today)
    return items


def _facilities(actor, ctx, rng, today):
    n = 0
    for sub in ctx.subdistricts:
        for kind, name, size in (("library", "图书馆分馆", (1200, 3000)),
                                 ("centre", "文化活动中心", (2000, 5000))):
            facilities.facility_create(
                actor=actor, area=sub, name=f"{sub.name}{name}", kind=kind,
                floor_area_m2=round(rng.uniform(*size), 1),
                opened_on=add_months(today, -rng.randint(24, 180)),
                opening_hours="9:00-17:00（周一闭馆）", yearly_visits=rng.randint(20_000, 150_000),
                today=today)
            n += 1
    for i, community in enumerate(ctx.communities):
        # community culture stations open over the years: the indicator grows
        facilities.facility_create(
            actor=actor, area=community, name=f"{community.name}文化室", kind="station",
            floor_area_m2=round(rng.uniform(150, 600), 1),
            opened_on=add_months(today, -(6 + (i * 7) % 60)),
            opening_hours="8:30-20:30", yearly_visits=rng.randint(2_000, 20_000), today=today)
        n += 1
    return n
