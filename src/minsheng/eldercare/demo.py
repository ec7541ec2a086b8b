"""Demo data for elderly care, deterministic for ctx.seed and set-based: every
elderly-care organization of the registry as an institution; beds with five years of
history (opened in stages, general beds converted to nursing beds, some out of service
for a while); residents in care; old-age allowances for residents aged 80+, service and
care subsidies through the facts registry; six months of payment lists; and a recipient
whose death is recorded late (mid-year), so the death check stops the allowance, the
current list leaves them out and the payments after the death month become recoveries."""

from __future__ import annotations

import datetime

from minsheng.core import dates
from minsheng.core.models import Area, Organization, Person
from minsheng.eldercare.amounts import born_by
from minsheng.eldercare.models import Allowance, Bed, BedPeriod, Institution, Stay
from minsheng.eldercare.services import deaths, payments

MONTHS_PAID = 6
OWNERSHIP = ["public", "public_private", "private"]


def build(ctx) -> None:
    rng = ctx.rng(1414)
    today = ctx.today
    orgs = list(Organization.objects.filter(kind=Organization.Kind.ELDERCARE).order_by("id"))
    institutions = Institution.objects.bulk_create([
        Institution(organization=o, area_id=o.area_id, ownership=OWNERSHIP[i % 3],
                    licence_no=f"津民养备{2019 + i % 4}{i + 1:03d}", star_rating=int(
                        rng.integers(1, 6)), filed_on=datetime.date(2019 + i % 4, 3, 1))
        for i, o in enumerate(orgs)])
    beds = _beds(ctx, institutions, rng, today)
    stays = _stays(ctx, beds, rng, today)
    allowances = _allowances(ctx, rng, today)
    late = _payments_and_a_late_death(ctx, rng, today)
    ctx.notes.append(f"eldercare: {len(institutions)} institutions, {len(beds)} beds with history, "
                     f"{stays} residents in care, {allowances} allowances, "
                     f"{MONTHS_PAID} months of payment lists; death recorded late: {late}")


def _beds(ctx, institutions, rng, today) -> list[tuple[Bed, BedPeriod]]:
    """About 35 beds per 1,000 residents aged 60+, spread over the institutions. Per
    institution: a first stage five years back, a second one two years back; a share of
    general beds converted to nursing beds each year (the share rises towards the 55%
    goal); a room out of service for three months last year. Returns (bed, its last
    period)."""
    start = datetime.date(today.year - 5, 1, 1)
    elders = Person.objects.filter(status="living", birth_date__lte=born_by(today, 60)).count()
    per = max(int(elders * 0.035 / max(len(institutions), 1)), 8)
    plan = []
    for inst in institutions:
        size = int(per * rng.uniform(0.7, 1.3))
        first = int(size * 0.75)
        second = size - first
        for n in range(first + second):
            opened = start if n < first else datetime.date(today.year - 2, 6, 1)
            plan.append((inst, f"{n // 4 + 1:02d}", str(n % 4 + 1), opened))
    made = Bed.objects.bulk_create([Bed(institution=i, room=f"{r}", number=num)
                                    for i, r, num, _o in plan], batch_size=2000)
    periods, last = [], []
    for bed, (_i, _r, _n, opened) in zip(made, plan, strict=True):
        nursing_from = None
        draw = rng.random()
        if draw < 0.25:
            nursing_from = opened  # built as nursing beds
        elif draw < 0.6:  # converted in one of the later years
            year = int(rng.integers(opened.year + 1, today.year + 1))
            nursing_from = max(datetime.date(year, int(rng.integers(1, 13)), 1), opened)
            if nursing_from >= today:
                nursing_from = None
        cuts = [opened] + ([nursing_from] if nursing_from and nursing_from > opened else [])
        repair = None
        if rng.random() < 0.05:  # out of service for three months last year
            repair = datetime.date(today.year - 1, 4, 1)
            cuts += [repair, datetime.date(today.year - 1, 7, 1)]
        cuts = sorted(set(cuts))
        for k, cut in enumerate(cuts):
            nursing = nursing_from is not None and cut >= nursing_from
            status = ("out_of_service" if repair and repair <= cut < dates.add_months(repair, 3)
                      else "in_service")
            periods.append(BedPeriod(bed=bed, bed_type="nursing" if nursing else "general",
                                     status=status, valid_from=cut,
                                     valid_to=cuts[k + 1] if k + 1 < len(cuts) else None))
        last.append((bed, periods[-1]))
    BedPeriod.objects.bulk_create(periods, batch_size=5000)
    return last


def _stays(ctx, beds, rng, today) -> int:
    """About 70% of the beds free today hold a resident aged 75+ (each in one institution),
    admitted after the bed's last out-of-service period."""
    elders = list(Person.objects.filter(status="living", birth_date__lte=born_by(today, 75))
                  .order_by("id").values_list("id", flat=True))
    order = rng.permutation(len(elders))
    pick = iter(elders[i] for i in order)
    rows = []
    for bed, last in beds:
        if rng.random() > 0.7 or last.status != "in_service":
            continue
        person = next(pick, None)
        if person is None:
            break
        inst = bed.institution
        days = int(rng.integers(0, max((today - last.valid_from).days, 1)))
        rows.append(Stay(person_id=person, institution=inst, bed=bed, area_id=inst.area_id,
                         admitted_on=last.valid_from + datetime.timedelta(days=days)))
    Stay.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _account(rng) -> str:
    return "6228" + "".join(str(d) for d in rng.integers(0, 10, 15))


def _allowances(ctx, rng, today) -> int:
    """Old-age allowances for living residents aged 80+ who reached 80 before the paid
    months (paying since then, at most three years back); a few left to the automatic
    proposal; subsidies for dibao members and certificate holders aged 60+."""
    from minsheng.core import facts

    first_paid = dates.add_months(dates.month_start(today), -MONTHS_PAID)
    rows = []
    people = (Person.objects.filter(status="living", birth_date__lte=born_by(first_paid, 80))
              .order_by("id").values_list("id", "residence_area_id", "birth_date"))
    for n, (pk, area, birth) in enumerate(people):
        if n % 10 == 9:
            continue  # not applied yet: proposed by the monthly run
        start = max(dates.month_start(born_by(birth, -80)), dates.add_months(first_paid, -36))
        rows.append(Allowance(person_id=pk, area_id=area, kind="old_age", state="active",
                              bank_account=_account(rng), applied_on=start,
                              start_month=start))
    for kind, fact in (("service_subsidy", "assistance.dibao_household"),
                       ("care_subsidy", "core.disabled")):
        if fact not in facts.FACTS:
            continue
        holders = (Person.objects.filter(status="living", birth_date__lte=born_by(today, 60),
                                         pk__in=facts.holder_ids(fact, first_paid))
                   .order_by("id").values_list("id", "residence_area_id"))
        rows += [Allowance(person_id=pk, area_id=area, kind=kind, state="active",
                           bank_account=_account(rng), applied_on=first_paid,
                           start_month=first_paid) for pk, area in holders]
    rows.append(_late_death_recipient(rows, first_paid))
    Allowance.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def _late_death_recipient(rows, first_paid) -> Allowance:
    """A recipient on top of the registry's living population (whose count the demo keeps
    exact), who dies mid-year: a copy of the first recipient's birth date and area under
    a new name and number."""
    from minsheng.core.identifiers import id_check_digit

    model = Person.objects.get(pk=rows[0].person_id) if rows else (
        Person.objects.filter(status="living").order_by("birth_date", "id").first())
    for seq in range(999, 0, -2):  # odd: a man
        body = model.id_number[:14] + f"{seq:03d}"
        number = body + id_check_digit(body)
        if not Person.objects.filter(id_number=number).exists():
            break
    person = Person.objects.create(id_number=number, name="钱守仁", sex="M",
                                   birth_date=model.birth_date,
                                   residence_area_id=model.residence_area_id,
                                   address=model.address)
    return Allowance(person=person, area_id=person.residence_area_id, kind="old_age",
                     state="active", bank_account="6228480000000000001",
                     applied_on=first_paid, start_month=first_paid)


def _payments_and_a_late_death(ctx, rng, today) -> str:
    """Lists for the past months; then the registry records a death three months back
    (after those lists went out), and the death check catches it."""
    this_month = dates.month_start(today)
    subdistricts = list(Area.objects.filter(level="subdistrict").order_by("code"))
    for k in range(MONTHS_PAID, 0, -1):
        month = dates.add_months(this_month, -k)
        for area in subdistricts:
            payments.payment_list_build(actor=ctx.actor, area=area, month=month)
    victim = (Allowance.objects.filter(kind="old_age", state="active", person__name="钱守仁")
              .select_related("person").order_by("id").first())
    if victim is None:
        return "none (no recipient)"
    died = dates.add_months(this_month, -3) + datetime.timedelta(days=9)
    Person.objects.filter(pk=victim.person_id).update(status="deceased", status_date=died)
    # a second recipient's death registered under a record with one mistyped digit (the
    # check holds the payment until a caseworker confirms the link)
    other = (Allowance.objects.filter(kind="old_age", state="active")
             .exclude(pk=victim.pk).select_related("person").order_by("-id").first())
    if other is not None:
        p = other.person
        digit = p.id_number[14]
        wrong = p.id_number[:14] + ("7" if digit != "7" else "3") + p.id_number[15:]
        if not Person.objects.filter(id_number=wrong).exists():
            Person.objects.create(id_number=wrong, name=p.name, sex=p.sex,
                                  birth_date=p.birth_date, residence_area_id=p.residence_area_id,
                                  address=p.address, status="deceased",
                                  status_date=this_month - datetime.timedelta(days=12))
    report = deaths.deaths_check(actor=ctx.actor)
    return (f"{victim.person.name} died {died}; check stopped {report['stopped']}, "
            f"held {report['held']} for confirmation")
