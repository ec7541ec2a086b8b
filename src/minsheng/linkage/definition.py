"""The linkage definition: what is compared, how pairs are proposed, how the model is
trained. One place, backend-neutral.

Everything dialect-specific (pinyin, the parts of an ID, dates as digit strings, day
numbers) is computed beforehand by ``prepare.features``, so the comparisons below use only
Splink's own level builders and plain SQL (``=``, ``ABS(a - b) <=``, ``IS NULL``) that
Splink renders for DuckDB today and for Spark (issue 19) without change.

Comparisons (each level's m and u are estimated from the data, see docs/linkage.md):

- ``id_number``: identical / one edit (a wrong, dropped or extra digit) / two digits
  swapped / two edits / different.
- ``surname``: identical (term-frequency adjusted: 王, 李, 张 weigh less than 欧阳) /
  same pinyin (homophone: 张/章) / different.
- ``given_name``: identical (term-frequency adjusted) / same pinyin (伟/玮) / one character
  missing or extra (建国/建) / one of two or more characters changed (小明/晓明 when not
  homophones) / similar pinyin (Jaro-Winkler >= 0.9) / different.
- ``dob``: identical / day and month transposed / within 7 days / one digit differs /
  different.
- ``sex``: same / different.
- ``guardian_name`` (when both sides have it): identical (term-frequency adjusted) / same
  pinyin / one character differs / different.
- ``address`` (when both sides have it): identical / Jaro-Winkler >= 0.9 / >= 0.7 /
  different.

A missing value on either side is a null level: it neither adds nor subtracts evidence.
"""

from __future__ import annotations

from dataclasses import dataclass

# Random seed of u sampling (and anything else random): same input, same model.
SEED = 20240611
# Pairs drawn at random to estimate u (Splink's estimate_u_using_random_sampling).
U_MAX_PAIRS = 2_000_000
# Pairs each expectation-maximisation session may use (a deterministic hash sample when a
# training block holds more).
EM_MAX_PAIRS = 1_000_000
# EM stops when no parameter moves more than this, or after this many iterations.
EM_CONVERGENCE = 1e-4
EM_MAX_ITERATIONS = 25
# A session whose estimates underflow float64 is re-run with these fewer iterations.
EM_ITERATION_SCHEDULE = (EM_MAX_ITERATIONS, 10, 4, 2, 1)
DATE_WITHIN_DAYS = 7
# Scored pairs below this pairwise probability are dropped before the candidates of a
# left record compete (their odds could not move the best candidate's probability).
CANDIDATE_FLOOR = 0.001


@dataclass(frozen=True)
class Block:
    """A blocking rule: pairs whose ``left`` columns equal the ``right`` columns (in
    order), optionally only where one side lacks a birth date."""

    name: str
    left: tuple[str, ...]
    right: tuple[str, ...]
    without_dob: bool = False

    @property
    def sql(self) -> str:
        cond = " AND ".join(f"l.{a} = r.{b}" for a, b in zip(self.left, self.right,
                                                               strict=True))
        if self.without_dob:
            cond += " AND (l.dob IS NULL OR r.dob IS NULL)"
        return cond


# Candidate pairs for prediction: the union of these rules (a pair proposed by several
# is scored once).
BLOCKS: tuple[Block, ...] = (
    # a mistyped sequence or check digit: the ID's region and birth digits still agree
    Block("id region + id birth date", ("id_region", "id_birth"), ("id_region", "id_birth")),
    # a mistyped birth digit: region and the last four characters agree
    Block("id region + id last 4", ("id_region", "id_last4"), ("id_region", "id_last4")),
    # a missing or mistyped region: the birth date (own column, else the ID's) agrees
    Block("birth date", ("dob",), ("dob",)),
    # day and month transposed in one of the two
    Block("birth date transposed", ("dob_swap",), ("dob",)),
    Block("birth date transposed (other side)", ("dob",), ("dob_swap",)),
    # a homophone name with a slightly wrong date
    Block("name pinyin + birth year", ("name_pinyin", "birth_year"),
          ("name_pinyin", "birth_year")),
    # neither ID nor birth date on one side: the name is all there is
    Block("name, where a birth date is missing", ("name",), ("name",), without_dob=True),
)

# Expectation-maximisation sessions, each on pairs sharing these columns; a session
# cannot estimate the comparisons it blocks on, so the two complement each other, and a
# comparison estimated in both gets the average. (The birth date is the ID's when there
# is no birth-date column, so the first session runs whenever IDs do.)
# Each entry: (blocking columns, comparisons the session cannot estimate).
TRAINING_BLOCKS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("dob",), ("dob",)),
    (("surname", "given_name"), ("surname", "given_name")),
)

COMPARISON_NAMES = ("id_number", "surname", "given_name", "dob", "sex", "guardian_name",
                    "address")
OPTIONAL_COMPARISONS = ("guardian_name", "address")


def _levels(column: str):
    """The comparison levels of one compared column, most specific first."""
    import splink.comparison_level_library as cll

    def null(col):
        return cll.NullLevel(col).configure(label_for_charts="missing")

    if column == "id_number":
        # The cheap equality guards (same first six or same last four characters; same
        # characters in another order) spare the edit distance on most pairs: one edit
        # leaves the head or the tail of the number intact.
        guard = "(id_head_l = id_head_r OR id_tail_l = id_tail_r)"
        return [
            null("id"),
            cll.ExactMatchLevel("id").configure(label_for_charts="identical"),
            cll.CustomLevel(f"{guard} AND levenshtein(id_l, id_r) <= 1",
                            label_for_charts="one digit wrong, missing or extra",
                            base_dialect_str="duckdb"),
            cll.CustomLevel("id_sorted_l = id_sorted_r AND levenshtein(id_l, id_r) <= 2",
                            label_for_charts="two digits swapped",
                            base_dialect_str="duckdb"),
            cll.CustomLevel(f"{guard} AND levenshtein(id_l, id_r) <= 2",
                            label_for_charts="two digits differ",
                            base_dialect_str="duckdb"),
            cll.ElseLevel().configure(label_for_charts="different"),
        ]
    if column == "surname":
        return [
            null("surname"),
            cll.ExactMatchLevel("surname", term_frequency_adjustments=True).configure(
                label_for_charts="identical"),
            cll.ExactMatchLevel("surname_pinyin").configure(
                label_for_charts="same pinyin (homophone)"),
            cll.ElseLevel().configure(label_for_charts="different"),
        ]
    if column == "given_name":
        return [
            null("given_name"),
            cll.ExactMatchLevel("given_name", term_frequency_adjustments=True).configure(
                label_for_charts="identical"),
            cll.ExactMatchLevel("given_pinyin").configure(
                label_for_charts="same pinyin (homophone)"),
            cll.CustomLevel("LENGTH(given_name_l) <> LENGTH(given_name_r) "
                            "AND levenshtein(given_name_l, given_name_r) <= 1",
                            label_for_charts="one character missing or extra",
                            base_dialect_str="duckdb"),
            cll.CustomLevel("LENGTH(given_name_l) >= 2 AND LENGTH(given_name_l) = "
                            "LENGTH(given_name_r) AND levenshtein(given_name_l, "
                            "given_name_r) <= 1",
                            label_for_charts="one of two or more characters changed",
                            base_dialect_str="duckdb"),
            cll.JaroWinklerLevel("given_pinyin", 0.9).configure(
                label_for_charts="similar pinyin"),
            cll.ElseLevel().configure(label_for_charts="different"),
        ]
    if column == "dob":
        return [
            null("dob"),
            cll.ExactMatchLevel("dob").configure(label_for_charts="identical"),
            cll.CustomLevel("dob_swap_l = dob_r OR dob_l = dob_swap_r",
                            label_for_charts="day and month transposed"),
            cll.AbsoluteDifferenceLevel("dob_days", DATE_WITHIN_DAYS).configure(
                label_for_charts=f"within {DATE_WITHIN_DAYS} days"),
            cll.CustomLevel("(birth_year_l = birth_year_r OR dob_md_l = dob_md_r) "
                            "AND levenshtein(dob_l, dob_r) <= 1",
                            label_for_charts="one digit differs",
                            base_dialect_str="duckdb"),
            cll.ElseLevel().configure(label_for_charts="different"),
        ]
    if column == "sex":
        return [
            null("sex"),
            cll.ExactMatchLevel("sex").configure(label_for_charts="same"),
            cll.ElseLevel().configure(label_for_charts="different"),
        ]
    if column == "guardian_name":
        return [
            null("guardian_name"),
            cll.ExactMatchLevel("guardian_name", term_frequency_adjustments=True).configure(
                label_for_charts="identical"),
            cll.ExactMatchLevel("guardian_pinyin").configure(
                label_for_charts="same pinyin (homophone)"),
            cll.LevenshteinLevel("guardian_name", 1).configure(
                label_for_charts="one character differs"),
            cll.ElseLevel().configure(label_for_charts="different"),
        ]
    if column == "address":
        return [
            null("address"),
            cll.ExactMatchLevel("address").configure(label_for_charts="identical"),
            cll.JaroWinklerLevel("address", 0.9).configure(label_for_charts="very similar"),
            cll.JaroWinklerLevel("address", 0.7).configure(label_for_charts="similar"),
            cll.ElseLevel().configure(label_for_charts="different"),
        ]
    raise KeyError(column)


def comparisons(optional: tuple[str, ...] = ()) -> list:
    """Splink comparison creators: the fixed ones and the optional columns both sides
    have."""
    import splink.comparison_library as cl

    wanted = [c for c in COMPARISON_NAMES
              if c not in OPTIONAL_COMPARISONS or c in optional]
    return [cl.CustomComparison(_levels(c), output_column_name=c,
                                comparison_description=c) for c in wanted]


def settings(optional: tuple[str, ...] = (), *,
             probability_two_random_records_match: float = 1e-4):
    """The Splink settings (backend-neutral ``SettingsCreator``) of a two-table link."""
    from splink import SettingsCreator

    return SettingsCreator(
        link_type="link_only",
        comparisons=comparisons(optional),
        blocking_rules_to_generate_predictions=[b.sql for b in BLOCKS],
        probability_two_random_records_match=probability_two_random_records_match,
        em_convergence=EM_CONVERGENCE,
        max_iterations=EM_MAX_ITERATIONS,
        retain_matching_columns=True,
        retain_intermediate_calculation_columns=True,
        unique_id_column_name="unique_id",
    )


def feature_columns(optional: tuple[str, ...] = ()) -> list[str]:
    """Columns each side must carry into the backend."""
    cols = ["unique_id", "id", "id_head", "id_tail", "id_sorted", "id_region", "id_birth",
            "id_last4", "name", "name_pinyin", "surname", "surname_pinyin", "given_name",
            "given_pinyin", "dob", "dob_swap", "dob_md", "dob_days", "birth_year", "sex"]
    if "guardian_name" in optional:
        cols += ["guardian_name", "guardian_pinyin"]
    if "address" in optional:
        cols += ["address"]
    return cols


def tf_columns(optional: tuple[str, ...] = ()) -> list[str]:
    """Columns whose exact-match level is term-frequency adjusted."""
    return ["surname", "given_name"] + (["guardian_name"] if "guardian_name" in optional
                                        else [])
