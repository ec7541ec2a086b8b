"""Deterministic synthetic district: the same seed and size always build the same data.

People are generated in vectorised batches and written with the bulk loader, so a
million residents stream through in bounded memory.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import numpy as np
from django.db import transaction
from django.utils import timezone
from faker import Faker
from faker.providers.person.zh_CN import Provider as NameProvider
from stdnum.cn import uscc

from minsheng.core import services
from minsheng.core.access import system_actor
from minsheng.core.bulkload import insert_rows
from minsheng.core.dates import add_months
from minsheng.core.identifiers import id_check_digit
from minsheng.core.models import (
    Area,
    DisabilityCertificate,
    Household,
    Organization,
    Person,
    RoleAssignment,
    User,
)
from minsheng.core.plugins import declared, load
from minsheng.demo import district as shape

BATCH = 20_000
TODAY = datetime.date(2026, 11, 29)  # the demo's "today": fixed so builds are reproducible
# Share of residents per 5-year age group 0-4 ... 95-99 (shape of a 2020s Chinese city).
AGE_SHARES = np.array([4.2, 5.0, 5.3, 4.9, 4.6, 5.8, 7.4, 8.6, 7.6, 7.3, 8.0, 8.4, 7.1, 5.6,
                       4.2, 2.6, 1.7, 1.0, 0.5, 0.2])


@dataclass
class DemoContext:
    """What domain demo builders receive."""

    seed: int
    people: int
    today: datetime.date
    actor: object
    district: Area
    subdistricts: list[Area]
    communities: list[Area]
    departments: dict[str, Organization]
    console: object = None
    notes: list[str] = field(default_factory=list)

    def rng(self, salt: int) -> np.random.Generator:
        return np.random.default_rng([self.seed, salt])

    def say(self, text: str) -> None:
        if self.console is not None:
            self.console.print(text)


def build_demo(*, people: int, seed: int, console=None) -> list[str]:
    if people < 100:
        raise ValueError("the demo needs at least 100 people")
    existing = Area.objects.filter(code=shape.DISTRICT[0]).first()
    if existing is not None:
        return [f"[yellow]reusing the demo district already in this database "
                f"({Person.objects.count()} people)", *_account_lines()]
    ctx = build_registry(people=people, seed=seed, console=console)
    builders = sorted(declared("demo_builder"), key=lambda pair: pair[0].demo_order)
    for app_config, dotted in builders:
        ctx.say(f"building demo data for {app_config.label}")
        with transaction.atomic():
            load(dotted)(ctx)
    return [f"[green]demo district {ctx.district.name}: {len(ctx.subdistricts)} subdistricts, "
            f"{len(ctx.communities)} communities, {Person.objects.count()} people, "
            f"{Household.objects.count()} households, {Organization.objects.count()} "
            f"organizations", *ctx.notes, *_account_lines()]


def build_registry(*, people: int, seed: int, console=None) -> DemoContext:
    """The core registry alone: areas, departments, staff, people, households and
    organizations (benchmarks use it without the domain modules' data)."""
    rng = np.random.default_rng(seed)
    actor = system_actor()
    district, subdistricts, communities = _areas(actor, rng)
    departments = _departments(actor, district)
    _staff(district, subdistricts, departments)
    ctx = DemoContext(seed=seed, people=people, today=TODAY, actor=actor, district=district,
                      subdistricts=subdistricts, communities=communities,
                      departments=departments, console=console)
    _people(ctx, rng)
    _households(ctx)
    _disabilities(ctx)
    _organizations(ctx, rng)
    return ctx


def _account_lines() -> list[str]:
    lines = ["[bold]demo accounts (password: " + shape.DEMO_PASSWORD + "):"]
    for username, full_name, role, _dept, scope in shape.STAFF:
        where = "whole district" if scope == "district" else shape.SUBDISTRICTS[scope]
        lines.append(f"  {username:<12} {full_name} — {role}, {where}")
    return lines


def _areas(actor, rng):
    code, name = shape.DISTRICT
    district = services.area_create(actor=actor, code=code, name=name, parent=None)
    subdistricts, communities = [], []
    words = list(shape.COMMUNITY_WORDS)
    rng.shuffle(words)
    for s_index, s_name in enumerate(shape.SUBDISTRICTS):
        sub = services.area_create(actor=actor, code=f"{code}{s_index + 1:03d}", name=s_name,
                                   parent=district)
        subdistricts.append(sub)
        for c_index in range(int(rng.integers(4, 7))):
            word = words[(s_index * 6 + c_index) % len(words)]
            communities.append(services.area_create(
                actor=actor, code=f"{sub.code}{c_index + 1:03d}", name=f"{word}社区",
                parent=sub))
    return district, subdistricts, communities


def _departments(actor, district) -> dict[str, Organization]:
    return {code: services.organization_create(actor=actor, name=f"{shape.DISTRICT[1]}{name}",
                                               kind="department", area=district,
                                               department_code=code)
            for code, name in shape.DEPARTMENTS}


def _staff(district, subdistricts, departments) -> None:
    for username, full_name, role, dept, scope in shape.STAFF:
        user = User.objects.create_user(username=username, password=shape.DEMO_PASSWORD,
                                        full_name=full_name,
                                        department=departments.get(dept) if dept else None,
                                        is_staff=role == "system_admin",
                                        is_superuser=role == "system_admin")
        area = district if scope == "district" else subdistricts[scope]
        RoleAssignment.objects.create(user=user, role=role, area=area)


def _name_pools():
    surnames = list(NameProvider.last_names.keys())
    weights = np.array(list(NameProvider.last_names.values()), dtype=float)
    return (np.array(surnames), weights / weights.sum(),
            np.array(NameProvider.first_names_male), np.array(NameProvider.first_names_female))


def _people(ctx: DemoContext, rng: np.random.Generator) -> None:
    """Living residents with a plausible age pyramid, plus deaths over the last 6 years
    drawn from a Gompertz mortality curve (the life-table demo needs them)."""
    surnames, surname_p, male_given, female_given = _name_pools()
    community_ids = np.array([c.id for c in ctx.communities])
    community_codes = {c.id: c.code for c in ctx.communities}
    # larger communities first: a mild Zipf-like spread of population
    community_p = 1.0 / np.arange(1, len(community_ids) + 1) ** 0.3
    community_p = rng.permutation(community_p / community_p.sum())
    streets = [Faker("zh_CN").street_name() for _ in range(60)]
    seq: dict[tuple[str, datetime.date], int] = {}
    now = timezone.now()
    fields = ("id_number", "name", "sex", "birth_date", "phone", "residence_area_id",
              "hukou_area_id", "address", "status", "status_date", "version", "created_at",
              "updated_at")
    group_p = AGE_SHARES / AGE_SHARES.sum()
    deaths_per_year = int(ctx.people * 0.0068)  # crude death rate ~6.8 per 1,000
    total = ctx.people + 6 * deaths_per_year
    bar = _bar(ctx, "people", total)
    made = 0
    while made < total:
        n = min(BATCH, total - made)
        deceased = np.arange(made, made + n) >= ctx.people
        ages = (rng.choice(len(group_p), size=n, p=group_p) * 5
                + rng.integers(0, 5, size=n)).astype(int)
        # the dead: age at death from a Gompertz hazard, death date in the last 6 years
        death_age = np.minimum(99, (np.log(1 - np.log(rng.random(n)) * 0.095 / 0.000025)
                                    / 0.095).astype(int))
        days_ago = rng.integers(1, 6 * 365, size=n)
        male = rng.random(n) < 0.512
        birth_offset = rng.integers(0, 365, size=n)
        area_index = rng.choice(len(community_ids), size=n, p=community_p)
        sur = rng.choice(surnames, size=n, p=surname_p)
        given_len = rng.random(n) < 0.7
        g1 = np.where(male, rng.choice(male_given, n), rng.choice(female_given, n))
        g2 = np.where(male, rng.choice(male_given, n), rng.choice(female_given, n))
        phones = rng.integers(13_000_000_000, 19_999_999_999, size=n)
        has_phone = rng.random(n) < 0.85
        rows = []
        for i in range(n):
            if deceased[i]:
                status_date = ctx.today - datetime.timedelta(days=int(days_ago[i]))
                birth = status_date - datetime.timedelta(days=int(death_age[i]) * 365
                                                         + int(birth_offset[i]))
                status = "deceased"
            else:
                status_date = None
                birth = ctx.today - datetime.timedelta(days=int(ages[i]) * 365
                                                       + int(birth_offset[i]))
                status = "living"
            area_id = int(community_ids[area_index[i]])
            number = _id_number(community_codes[area_id][:6], birth, bool(male[i]), seq)
            name = sur[i] + g1[i] + (g2[i] if given_len[i] else "")
            address = (f"{streets[(area_index[i] * 7 + i) % len(streets)]}"
                       f"{1 + (i * 13) % 300}号{1 + i % 30}栋{1 + i % 4}单元{101 + i % 1800}室")
            rows.append((number, name, "M" if male[i] else "F", birth,
                         str(phones[i]) if has_phone[i] else "", area_id, area_id, address,
                         status, status_date, 1, now, now))
        with transaction.atomic():
            insert_rows(Person._meta.db_table, fields, rows)
        made += n
        bar(made)


def _id_number(region: str, birth: datetime.date, male: bool,
               seq: dict[tuple[str, datetime.date], int]) -> str:
    key = (region, birth)
    count = seq.get(key, 0)
    seq[key] = count + 1
    # 3-digit order code: odd for men, even for women; wrap into another region code
    # variant (the 6th digit) when a birth date has many people.
    order = count * 2 + (1 if male else 0) + 2
    region_variant = region[:5] + str((int(region[5]) + order // 1000) % 10)
    body = f"{region_variant}{birth:%Y%m%d}{order % 1000:03d}"
    return body + id_check_digit(body)


def _bar(ctx: DemoContext, label: str, total: int):
    console = ctx.console
    if console is None:
        return lambda done: None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    progress = Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), console=console)
    task = progress.add_task(label, total=total)
    progress.start()

    def update(done: int) -> None:
        progress.update(task, completed=done)
        if done >= total:
            progress.stop()
    return update


def _households(ctx: DemoContext) -> None:
    """Group living residents of each community into households of 1-5 people."""
    from minsheng.core.models import HouseholdMember

    rng = ctx.rng(11)
    bar = _bar(ctx, "households", len(ctx.communities))
    for done, community in enumerate(ctx.communities, start=1):
        rows = list(Person.objects.filter(residence_area=community, status="living")
                    .order_by("id").values_list("id", "birth_date", "address"))
        order = rng.permutation(len(rows))
        sizes = rng.choice([1, 2, 3, 4, 5], size=len(rows), p=[0.25, 0.3, 0.25, 0.14, 0.06])
        households, members, start = [], [], 0
        for size in sizes:
            if start >= len(rows):
                break
            group = sorted((rows[j] for j in order[start:start + size]), key=lambda r: r[1])
            start += size
            head = next((r for r in group if (ctx.today - r[1]).days >= 18 * 365), None)
            if head is None:
                continue  # children alone are not a household
            number = f"{community.code}{len(households) + 1:05d}"
            households.append(Household(number=number, area=community, address=head[2],
                                        head_id=head[0]))
            members.append([(p[0], _relationship(head, p)) for p in group])
        with transaction.atomic():
            created = Household.objects.bulk_create(households, batch_size=2000)
            if not all(h.pk for h in created):
                created = list(Household.objects.filter(area=community).order_by("number"))
            HouseholdMember.objects.bulk_create(
                [HouseholdMember(household=h, person_id=pid, relationship=rel)
                 for h, group in zip(created, members, strict=True) for pid, rel in group],
                batch_size=5000)
        bar(done)


def _relationship(head, person) -> str:
    if person[0] == head[0]:
        return "head"
    gap = (person[1] - head[1]).days / 365
    if gap >= 40:
        return "grandchild"
    if gap >= 16:
        return "child"
    if gap <= -40:
        return "grandparent"
    if gap <= -16:
        return "parent"
    return "spouse" if abs(gap) < 10 else "other"


# Certificate holders by category (China Disabled Persons' Federation statistics, about
# 38 million holders): physical half, then mental, visual, hearing, intellectual, multiple.
DISABILITY_CATEGORY_P = np.array([0.09, 0.09, 0.01, 0.50, 0.08, 0.13, 0.10])  # codes 1..7
DISABILITY_GRADE_P = np.array([0.12, 0.26, 0.27, 0.35])  # grade 1 (most severe) .. 4
# Share of residents holding a certificate by age (0-14, 15-44, 45-59, 60-79, 80+): about
# 2% overall, rising steeply with age.
DISABILITY_AGE_BANDS = [(0, 0.004), (15, 0.010), (45, 0.022), (60, 0.040), (80, 0.080)]
CERTIFICATE_YEARS = 10  # a certificate's usual term


def _disabilities(ctx: DemoContext) -> None:
    """Disability certificates for about 2% of living residents, more of the old; some
    lapsed (issued over ten years ago and not renewed)."""
    rng = ctx.rng(17)
    certificates = []
    rows = (Person.objects.filter(status="living").order_by("id")
            .values_list("id", "id_number", "birth_date").iterator(chunk_size=BATCH))
    for chunk in _chunks(rows, BATCH):
        ages = np.array([(ctx.today - birth).days // 365 for _pk, _number, birth in chunk])
        rate = np.zeros(len(chunk))
        for start, share in DISABILITY_AGE_BANDS:
            rate[ages >= start] = share
        holders = np.flatnonzero(rng.random(len(chunk)) < rate)
        categories = rng.choice(7, size=len(holders), p=DISABILITY_CATEGORY_P) + 1
        grades = rng.choice(4, size=len(holders), p=DISABILITY_GRADE_P) + 1
        years_ago = rng.random(len(holders)) * 12  # a few lapsed: issued 10-12 years ago
        for i, index in enumerate(holders):
            pk, number, birth = chunk[index]
            earliest = max((ctx.today - birth).days - 1, 0)  # not before birth
            issued = ctx.today - datetime.timedelta(days=min(int(years_ago[i] * 365), earliest))
            category, grade = int(categories[i]), int(grades[i])
            certificates.append(DisabilityCertificate(
                person_id=pk, number=f"{number}{category}{grade}", category=category,
                grade=grade, issued_on=issued,
                valid_until=add_months(issued, 12 * CERTIFICATE_YEARS)
                - datetime.timedelta(days=1)))
    with transaction.atomic():
        DisabilityCertificate.objects.bulk_create(certificates, batch_size=5000)


def _chunks(rows, size):
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


INDUSTRIES = ["C3011", "C3670", "C2710", "C3982", "E4813", "F5123", "G5431", "H6110", "I6510",
              "K7020", "L7212", "M7320", "O8010", "C1340", "G5951", "F5261", "H6210", "R8810"]
ENTERPRISE_WORDS = ["港城", "海通", "临港", "蓝海", "恒信", "汇丰", "东疆", "新航", "瑞达", "华泰",
                    "博远", "诚达", "中联", "天元", "金桥", "宏图", "晨光", "立信", "安达", "鑫源"]
ENTERPRISE_TRADES = ["物流", "科技", "生物医药", "新能源汽车配件", "精密制造", "贸易", "餐饮管理",
                     "建筑工程", "化工", "软件", "港口服务", "食品"]


def _organizations(ctx: DemoContext, rng: np.random.Generator) -> None:
    """Enterprises, schools, kindergartens, hospitals, clinics and care homes."""
    orgs = []
    n_enterprises = max(20, ctx.people // 60)
    for i in range(n_enterprises):
        community = ctx.communities[int(rng.integers(len(ctx.communities)))]
        name = (f"{shape.DISTRICT[1][:2]}{ENTERPRISE_WORDS[i % 20]}"
                f"{ENTERPRISE_TRADES[(i * 7) % len(ENTERPRISE_TRADES)]}"
                f"{'有限公司' if i % 3 else '股份有限公司'}")
        if i >= 20:
            name = name.replace("有限公司", f"第{i // 20}分公司")
        orgs.append(Organization(name=name, kind="enterprise", area=community,
                                 uscc=_uscc(shape.DISTRICT[0], i),
                                 industry_code=INDUSTRIES[(i * 5) % len(INDUSTRIES)],
                                 address=f"{community.name}工业园{i % 50 + 1}号"))
    for s_index, sub in enumerate(ctx.subdistricts):
        base = sub.name.replace("街道", "")
        orgs += [
            Organization(name=f"{base}社区卫生服务中心", kind="clinic", area=sub,
                         industry_code="Q8422"),
            Organization(name=f"{base}第一小学", kind="school", area=sub, industry_code="P8321"),
            Organization(name=f"{base}中学", kind="school", area=sub, industry_code="P8331"),
            Organization(name=f"{base}幼儿园", kind="kindergarten", area=sub,
                         industry_code="P8310"),
            Organization(name=f"{base}颐养院", kind="eldercare", area=sub, industry_code="Q8514"),
        ]
        if s_index % 2 == 0:
            orgs.append(Organization(name=f"{base}人民医院", kind="hospital", area=sub,
                                     industry_code="Q8411"))
    Organization.objects.bulk_create(orgs, batch_size=2000)


def _uscc(region: str, index: int) -> str:
    org_code = f"{(71_000_000 + index * 7919) % 100_000_000:08d}"
    weights = [3, 7, 9, 10, 5, 8, 4, 2]
    check = 11 - sum(int(d) * w for d, w in zip(org_code, weights, strict=True)) % 11
    org_code += {10: "X", 11: "0"}.get(check, str(check))
    body = f"91{region}{org_code}"
    return body + uscc.calc_check_digit(body)
