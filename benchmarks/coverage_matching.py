"""Coverage matching: residents against enrolment extracts with planted gaps and mistyped
IDs, through the platform's importer (all-or-nothing checks, exact pass, probable pass on
``minsheng.linkage``), then the uninsured list compared with the truth.

    python benchmarks/coverage_matching.py --people 20000 [--database-url postgres://...]

The issue's scale is 1,000,000 residents and 4 extracts of ~700,000; the shared machine's
rule is no benchmark over 2 minutes, so the default is 20,000. Prints seconds per extract
(exact and probable passes together), the probable links' precision, the precision and
recall of the uninsured list (goal >= 0.99 each) and peak memory (goal < 2 GB).
"""

from __future__ import annotations

import argparse
import csv
import datetime
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import use_database  # noqa: E402

# scheme code, share of working-age residents enrolled
EXTRACTS = [("110", 0.55), ("170", 0.38), ("310", 0.55), ("390", 0.42)]
MISTYPED = 0.01


def mistype(number: str, k: int) -> str:
    """One digit of the sequence part changed and the check digit recomputed: a valid
    number that is someone else's (or nobody's)."""
    from minsheng.core.identifiers import id_check_digit

    body = number[:14] + str((int(number[14]) + 1 + k % 8) % 10) + number[15:17]
    return body + id_check_digit(body)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()
    use_database(args.database_url, "coverage")

    from minsheng.core.access import system_actor
    from minsheng.core.models import Person
    from minsheng.demo.build import build_registry
    from minsheng.primarycare import selectors, services
    from minsheng.primarycare.models import Enrolment

    t0 = time.monotonic()
    build_registry(people=args.people, seed=args.seed)
    print(f"registry: {Person.objects.count()} people in {time.monotonic() - t0:.1f} s")
    actor = system_actor()
    today = datetime.date.today()
    working = list(Person.objects.filter(status="living").filter(selectors.working_age(today))
                   .order_by("id").values_list("id", "id_number", "name"))
    rng = np.random.default_rng(args.seed)
    n = len(working)
    # the truth: employees (110 + 310) or residents (170 + 390); a planted gap of people
    # with neither pension nor medical, and some with only one of the two
    kind = rng.random(n)
    employee = kind < 0.55
    resident = (kind >= 0.55) & (kind < 0.93)
    pension = employee | resident
    medical = pension.copy()
    medical[rng.random(n) < 0.02] = False
    pension[rng.random(n) < 0.02] = False
    truth_uninsured = {working[i][0] for i in range(n) if not (pension[i] and medical[i])}
    folder = Path(tempfile.mkdtemp(prefix="coverage-"))
    mistyped_truth = {}
    timings = []
    for code, _share in EXTRACTS:
        who = {"110": employee & pension, "310": employee & medical,
               "170": resident & pension, "390": resident & medical}[code]
        path = folder / f"{code}.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["证件号码", "姓名", "险种类型", "参保日期", "终止日期"])
            for i in np.flatnonzero(who):
                pid, number, name = working[i]
                if rng.random() < MISTYPED:
                    typo = mistype(number, int(i))
                    mistyped_truth[(code, typo)] = pid
                    number = typo
                writer.writerow([number, name, code, "2015-01-01", ""])
        started = time.monotonic()
        batch = services.enrolments_import(actor=actor, path=str(path), as_of=today)
        seconds = time.monotonic() - started
        timings.append(seconds)
        print(f"extract {code}: {batch.rows} rows, {batch.exact} exact, {batch.probable} "
              f"probable, {batch.unmatched} unmatched in {seconds:.1f} s")
    probable = list(Enrolment.objects.filter(match="probable").values_list(
        "id", "scheme_code", "id_number", "candidate_id"))
    right = sum(1 for _, c, num, cand in probable if mistyped_truth.get((c, num)) == cand)
    found = sum(1 for _, c, num, _ in probable if (c, num) in mistyped_truth)
    print(f"mistyped rows {len(mistyped_truth)}, proposed {len(probable)}, right {right}: "
          f"link precision {right / max(len(probable), 1):.3f}, recall "
          f"{found / max(len(mistyped_truth), 1):.3f}")
    # a caseworker confirms the right proposals and rejects the others
    for pk, c, num, cand in probable:
        services.enrolment_decide(actor=actor, enrolment=Enrolment.objects.get(pk=pk),
                                  accept=mistyped_truth.get((c, num)) == cand)
    started = time.monotonic()
    listed = set(selectors.uninsured(actor).values_list("id", flat=True))
    list_seconds = time.monotonic() - started
    tp = len(listed & truth_uninsured)
    precision = tp / max(len(listed), 1)
    recall = tp / max(len(truth_uninsured), 1)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"working-age {n}, truly uninsured {len(truth_uninsured)}, listed {len(listed)}: "
          f"precision {precision:.4f}, recall {recall:.4f} (list in {list_seconds:.2f} s)")
    print(f"import seconds per extract: max {max(timings):.1f}, total {sum(timings):.1f}; "
          f"peak memory {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
