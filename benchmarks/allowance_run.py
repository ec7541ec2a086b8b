"""The monthly old-age allowance run for N recipients (default 150,000) with deaths and
moves planted in the people registry: the death and move check on minsheng.linkage,
then one payment list per subdistrict. Prints the run time (goal < 60 s), payments for
a month after the death (goal 0), recipients missed (living and due but not on the list,
goal 0) and what the check found.

Planted: 1% of recipients die (half before last month's list went out but recorded only
now, so that payment becomes a recovery), 0.5% move out, and 0.1% die under a second
registry record whose ID has one mistyped digit (a probable link: held for a caseworker).

    python benchmarks/allowance_run.py [--recipients 150000] [--database-url postgres://...]
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import use_database  # noqa: E402

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红梅鹏辉建国志"


def id_number(region: str, birth: datetime.date, seq: int) -> str:
    body = f"{region}{birth:%Y%m%d}{seq % 1000:03d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True)) % 11]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipients", type=int, default=150_000)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    args = parser.parse_args()
    use_database(args.database_url, "allowances")
    import numpy as np

    from minsheng.core import dates
    from minsheng.core.access import system_actor
    from minsheng.core.models import Area, Person
    from minsheng.eldercare.models import Allowance, DeathMatch, PaymentLine, Recovery
    from minsheng.eldercare.services import deaths, payments

    rng = np.random.default_rng(150)
    actor = system_actor()
    n = args.recipients
    district = Area.objects.create(code="120199", name="基准区", level="district", path="120199")
    subs = [Area.objects.create(code=f"120199{k:03d}", name=f"街道{k}", level="subdistrict",
                                parent=district, path=f"120199/120199{k:03d}")
            for k in range(1, 5)]
    comms = [Area.objects.create(code=f"{s.code}{j:03d}", name=f"{s.name}社区{j}",
                                 level="community", parent=s, path=f"{s.path}/{s.code}{j:03d}")
             for s in subs for j in range(1, 4)]
    run_month = datetime.date(2026, 6, 1)
    last_month = dates.add_months(run_month, -1)
    t0 = time.perf_counter()
    days = rng.integers(0, 20 * 365, n)
    nm = rng.integers(0, 1000, (n, 3))
    people, seen = [], set()
    for i in range(n):
        birth = datetime.date(1926, 1, 1) + datetime.timedelta(days=int(days[i]))
        seq = i // 37
        number = id_number("120101", birth, seq)
        while number in seen:
            seq += 1
            number = id_number("120101", birth, seq)
        seen.add(number)
        people.append(Person(id_number=number, sex="F" if i % 2 else "M", birth_date=birth,
                             name=SURNAMES[int(nm[i, 0]) % len(SURNAMES)]
                             + GIVEN[int(nm[i, 1]) % len(GIVEN)]
                             + GIVEN[int(nm[i, 2]) % len(GIVEN)],
                             residence_area=comms[i % len(comms)], address=f"幸福路{i % 997}号"))
    Person.objects.bulk_create(people, batch_size=5000)
    people = list(Person.objects.order_by("id").values_list("id", "residence_area_id"))
    area_of = {c.id: c.id for c in comms}
    Allowance.objects.bulk_create([
        Allowance(person_id=pk, area_id=area_of[a], kind="old_age", state="active",
                  bank_account=f"6228{pk:015d}", applied_on=datetime.date(2025, 1, 1),
                  start_month=datetime.date(2025, 1, 1)) for pk, a in people], batch_size=5000)
    for sub in subs:  # last month's lists went out before the deaths below were recorded
        payments.payment_list_build(actor=actor, area=sub, month=last_month)
    order = rng.permutation(len(people))
    n_dead, n_moved, n_dup = int(n * 0.01), int(n * 0.005), int(n * 0.001)
    dead = [people[i][0] for i in order[:n_dead]]
    moved = [people[i][0] for i in order[n_dead:n_dead + n_moved]]
    dup = [people[i][0] for i in order[n_dead + n_moved:n_dead + n_moved + n_dup]]
    early = dates.add_months(run_month, -2) + datetime.timedelta(days=14)  # before last list
    Person.objects.filter(pk__in=dead[: n_dead // 2]).update(status="deceased",
                                                             status_date=early)
    Person.objects.filter(pk__in=dead[n_dead // 2:]).update(
        status="deceased", status_date=last_month + datetime.timedelta(days=20))
    Person.objects.filter(pk__in=moved).update(status="moved_out",
                                               status_date=last_month + datetime.timedelta(3))
    twins = []
    for p in Person.objects.filter(pk__in=dup):
        digit = p.id_number[15]
        wrong = p.id_number[:15] + ("7" if digit != "7" else "3") + p.id_number[16:]
        twins.append(Person(id_number=wrong, name=p.name, sex=p.sex, birth_date=p.birth_date,
                            residence_area_id=p.residence_area_id, address=p.address,
                            status="deceased", status_date=early))
    Person.objects.bulk_create(twins, ignore_conflicts=True)
    setup = time.perf_counter() - t0

    t1 = time.perf_counter()
    report = deaths.deaths_check(actor=actor)
    t_check = time.perf_counter() - t1
    lists = [payments.payment_list_build(actor=actor, area=sub, month=run_month)
             for sub in subs]
    elapsed = time.perf_counter() - t1

    on_list = set(PaymentLine.objects.filter(month=run_month).values_list("person_id",
                                                                          flat=True))
    after_death = PaymentLine.objects.filter(month=run_month, person_id__in=dead).count()
    after_move = PaymentLine.objects.filter(month=run_month, person_id__in=moved).count()
    should = set(Person.objects.filter(status="living").values_list("id", flat=True)) - set(dup)
    missed = len(should - on_list)
    held = set(DeathMatch.objects.filter(state="pending").values_list(
        "allowance__person_id", flat=True))
    print(f"{n} recipients; planted {n_dead} deaths ({n_dead // 2} before last month's list), "
          f"{n_moved} moves, {n_dup} deaths under a mistyped second record; set-up "
          f"{setup:.0f} s")
    print(f"run {elapsed:.1f} s (goal < 60 s): death check {t_check:.1f} s "
          f"({report['exact']} exact, {report['probable']} probable; linkage "
          f"{report['linkage']['seconds']:.1f} s), lists "
          f"{elapsed - t_check:.1f} s, {sum(x.lines_count for x in lists)} lines")
    print(f"payments after death this month: {after_death} (goal 0); after a move: "
          f"{after_move}; recipients missed: {missed} (goal 0); planted second-record "
          f"deaths held for a caseworker: {len(held & set(dup))} of {n_dup}; recoveries "
          f"opened for last month: {Recovery.objects.count()} (planted {n_dead // 2})")


if __name__ == "__main__":
    main()
