"""link_people on a planted registry/extract (see conftest.build): each hard case checked
against the generator's truth."""

import numpy as np
import pandas as pd
import pytest

from minsheng.linkage import (
    LinkageInputError,
    LinkageTooLargeError,
    LinkResult,
    UnsupportedBackendError,
    link_people,
)


def pairs(frame: pd.DataFrame) -> set:
    return set(zip(frame["left_id"], frame["right_id"], strict=True))


def test_exact_links_are_the_clean_records_with_the_same_valid_id(planted, linked):
    assert isinstance(linked, LinkResult)
    assert list(linked.exact.columns) == ["left_id", "right_id"]
    expected = {(r, planted.truth[r]) for r in planted.groups["clean"]}
    assert pairs(linked.exact) == expected
    # ids keep their types: extract ids are strings, registry ids integers
    assert linked.exact["right_id"].dtype == planted.registry["record_id"].dtype


@pytest.mark.parametrize("case", ["mistyped", "missing_id", "homophone", "missing_character",
                                  "transposed_date"])
def test_hard_cases_are_probable_links_to_the_right_person(planted, linked, case):
    expected = {(r, planted.truth[r]) for r in planted.groups[case]}
    found = pairs(linked.probable) & expected
    assert found == expected, f"{case}: missed {sorted(expected - found)}"


def test_mistyped_ids_are_found_without_a_birth_date_column(planted,
                                                             linked_without_birth_date):
    """Today's engine blocks on the birth-date column only and misses every one of these;
    the ID's own region and birth digits are enough."""
    expected = {(r, planted.truth[r]) for r in planted.groups["mistyped"]}
    assert expected <= pairs(linked_without_birth_date.probable)
    # the guardian comparison is left out when one side lacks the column
    comparisons = set(linked_without_birth_date.model.levels["comparison"])
    assert "guardian_name" not in comparisons and "address" in comparisons


def test_same_name_different_people_are_not_linked(planted, linked):
    """Namesakes born another year, or of the other sex born another day, without ID."""
    decoys = set(planted.groups["decoy"])
    assert not decoys & set(linked.exact["left_id"])
    assert not decoys & set(linked.probable["left_id"])
    assert decoys <= set(linked.unmatched_left)


def test_people_not_in_the_registry_stay_unmatched(planted, linked):
    outsiders = set(planted.groups["outsider"])
    assert outsiders <= set(linked.unmatched_left)


def test_no_wrong_link_at_all(planted, linked):
    links = pairs(linked.exact) | pairs(linked.probable)
    wrong = {(a, b) for a, b in links if planted.truth.get(a) != b}
    assert not wrong


def test_probable_links_are_never_exact_links_and_one_per_left_record(linked):
    assert not set(linked.probable["left_id"]) & set(linked.exact["left_id"])
    assert linked.probable["left_id"].is_unique
    assert list(linked.probable.columns) == ["left_id", "right_id", "match_probability",
                                             "match_weight", "explanation"]
    assert (linked.probable["match_probability"] >= 0.9).all()
    assert (linked.probable["match_probability"] <= 1).all()


def test_unmatched_left_is_everything_else(planted, linked):
    left = set(planted.extract["record_id"])
    done = set(linked.exact["left_id"]) | set(linked.probable["left_id"])
    assert set(linked.unmatched_left) == left - done
    assert linked.unmatched_left.is_unique


def test_explanation_names_the_levels_found(planted, linked):
    mistyped = set(planted.groups["mistyped"])
    rows = linked.probable[linked.probable["left_id"].isin(mistyped)]
    assert rows["explanation"].str.contains("ID one digit wrong").all()
    transposed = linked.probable[linked.probable["left_id"].isin(
        planted.groups["transposed_date"])]
    assert transposed["explanation"].str.contains("birth date day and month transposed").all()
    homophones = linked.probable[linked.probable["left_id"].isin(planted.groups["homophone"])]
    assert homophones["explanation"].str.contains("same pinyin").all()
    # the weights in the text add up to the match weight
    for text, weight in zip(rows["explanation"], rows["match_weight"], strict=True):
        parts = [float(p.rsplit(" ", 1)[1]) for p in text.split("; ")
                 if not p.endswith("missing") and not p.startswith("runner-up")]
        assert sum(parts) == pytest.approx(weight, abs=0.1 * len(parts))


def test_model_shows_what_was_estimated(linked):
    model = linked.model
    assert model.estimated
    assert 0 < model.probability_two_random_records_match < 1
    assert "exact-ID pairs" in model.lambda_source
    levels = model.levels
    assert {"id_number", "surname", "given_name", "dob", "sex", "guardian_name",
            "address"} == set(levels["comparison"])
    for _name, group in levels.groupby("comparison"):
        assert group["m_probability"].sum() == pytest.approx(1.0)
        assert group["u_probability"].sum() == pytest.approx(1.0)
    identical = levels[(levels["comparison"] == "dob") & (levels["label"] == "identical")]
    assert identical["m_estimated"].all() and identical["u_estimated"].all()
    assert float(identical["match_weight"].iloc[0]) > 5
    assert model.settings["comparisons"]  # the trained Splink model, reusable
    assert model.prior_match_weight < 0


def test_same_input_gives_the_same_result(planted, linked):
    again = link_people(planted.extract, planted.registry)
    pd.testing.assert_frame_equal(again.exact, linked.exact)
    pd.testing.assert_frame_equal(again.probable, linked.probable)
    pd.testing.assert_series_equal(again.unmatched_left, linked.unmatched_left)
    pd.testing.assert_frame_equal(again.model.levels, linked.model.levels)


def test_a_missing_required_column_is_a_clear_error(planted):
    with pytest.raises(ValueError, match="left table lacks the required column.*name"):
        link_people(planted.extract.drop(columns=["name"]), planted.registry)
    with pytest.raises(LinkageInputError, match="right table lacks.*id_number"):
        link_people(planted.extract, planted.registry.drop(columns=["id_number"]))


def test_duplicate_record_ids_are_refused(planted):
    left = pd.concat([planted.extract.head(3), planted.extract.head(1)])
    with pytest.raises(LinkageInputError, match="record_id must be unique"):
        link_people(left, planted.registry)


def test_zero_rows_give_an_empty_result(planted):
    empty = planted.extract.iloc[0:0]
    result = link_people(empty, planted.registry)
    assert result.exact.empty and result.probable.empty and result.unmatched_left.empty
    assert not result.model.estimated
    result = link_people(planted.extract.head(5), planted.registry.iloc[0:0])
    assert result.exact.empty and result.probable.empty
    assert list(result.unmatched_left) == list(planted.extract.head(5)["record_id"])


def test_all_linked_by_id_needs_no_model(planted):
    clean = planted.extract[planted.extract["record_id"].str.startswith("clean")].head(20)
    result = link_people(clean, planted.registry)
    assert len(result.exact) == 20 and result.probable.empty and result.unmatched_left.empty
    assert not result.model.estimated


def test_only_duckdb_for_now(planted):
    with pytest.raises(UnsupportedBackendError, match="spark.*issue 19"):
        link_people(planted.extract, planted.registry, backend="spark")


def test_max_pairs_bounds_the_candidate_pairs(planted):
    with pytest.raises(LinkageTooLargeError, match="max_pairs=10"):
        link_people(planted.extract, planted.registry, max_pairs=10)


def test_threshold_must_be_a_probability(planted):
    with pytest.raises(LinkageInputError, match="threshold"):
        link_people(planted.extract, planted.registry, threshold=1.5)


def test_optional_columns_may_be_missing_and_extra_columns_are_ignored(planted):
    left = planted.extract[["record_id", "id_number", "name"]].head(50).assign(extra=1)
    right = planted.registry[["record_id", "id_number", "name"]]
    result = link_people(left, right)
    truth = {(r, planted.truth[r]) for r in left["record_id"] if r in planted.truth}
    exact_truth = {(a, b) for a, b in truth if a.startswith("clean")}
    assert exact_truth <= pairs(result.exact)
    assert np.isin(result.probable["left_id"], left["record_id"]).all()


def test_without_any_id_the_prior_comes_from_em_and_links_stay_right(planted):
    result = link_people(planted.extract.assign(id_number=None),
                         planted.registry.assign(id_number=""))
    assert result.exact.empty
    assert "expectation-maximisation" in result.model.lambda_source
    true_links = len(planted.truth) / (len(planted.extract) * len(planted.registry))
    assert 0.5 * true_links < result.model.probability_two_random_records_match < 2 * true_links
    found = pairs(result.probable)
    assert all(planted.truth.get(a) == b for a, b in found)
    assert len(found) >= 0.9 * len(planted.truth)


def test_too_few_records_to_estimate_gives_no_probable_link_and_says_why(planted):
    left = planted.extract[planted.extract["record_id"].str.startswith("missing_id")].head(3)
    result = link_people(left, planted.registry.head(10))
    assert result.probable.empty and len(result.unmatched_left) == 3
    assert not result.model.estimated
    assert any("no expectation-maximisation session could run" in n
               for n in result.model.notes)
