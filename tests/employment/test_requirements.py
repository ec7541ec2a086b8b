"""Issue 12: stated requirements are filters, no filler, words to occupations, unknown
codes kept, travel time from coordinates, screening beyond keywords, flags shown."""

import numpy as np
import pytest

from minsheng.core.access import system_actor
from minsheng.core.errors import ValidationFailed
from minsheng.employment import certificates, matchdata, occupation_map, screening, services
from minsheng.employment.matching import synthetic
from minsheng.employment.matching.engine import MatchIndex
from minsheng.employment.models import AreaLocation, JobPosting
from tests.employment.conftest import make_posting, make_seeker


def test_certificate_names_are_normalised_and_read_from_requirement_wording():
    assert certificates.normalise(["低压电工作业证", "电工证", "N1证"]) == ["电工证", "叉车证"]
    required, preferred = certificates.from_requirements(
        "须持低压电工作业证；有叉车证者优先，持健康证上岗")
    assert required == ["电工证", "健康证"] and preferred == ["叉车证"]


@pytest.mark.django_db
def test_a_post_needing_a_certificate_is_never_shown_to_a_seeker_without_it(world):
    post = make_posting(world, requirements="须持电工证上岗")
    assert post.certificates_required == ["电工证"]
    assert matchdata.recommend(make_seeker(world)) == []
    holder = make_seeker(world, certificates=["低压电工证"])
    rows = matchdata.recommend(holder)
    assert [r["posting_id"] for r in rows] == [post.pk]
    assert "✓ 持有所需证书：电工证" in rows[0]["reasons"]


@pytest.mark.django_db
def test_experience_is_a_filter_and_no_experience_is_not_penalised(world):
    needs = make_posting(world, experience_min=5, title="资深快递员")
    none = make_posting(world, title="快递员")
    novice = make_seeker(world, experience_years=0)
    veteran = make_seeker(world, experience_years=5)
    assert [r["posting_id"] for r in matchdata.recommend(novice)] == [none.pk]
    rows = {r["posting_id"]: r["score"] for r in matchdata.recommend(veteran)}
    assert set(rows) == {needs.pk, none.pk}
    novice_score = matchdata.recommend(novice)[0]["score"]
    assert novice_score == pytest.approx(rows[none.pk])


@pytest.mark.django_db
def test_salary_below_the_stated_minimum_is_filtered_without_tolerance(world):
    make_posting(world, salary_min=4000, salary_max=4400)  # 4400 >= 85% of 5000, < 5000
    assert matchdata.recommend(make_seeker(world, salary_min=5000)) == []
    assert len(matchdata.recommend(make_seeker(world, salary_min=4400))) == 1


@pytest.mark.django_db
def test_no_filler_the_page_says_so_and_suggests_training(world, client):
    make_posting(world, title="焊工", occupation_code="6-18-02-04", skills=["焊接"],
                 description="焊接车间", requirements="持焊工证")
    make_posting(world, title="养老护理员", occupation_code="4-10-01-05",
                 skills=["老年照护"], description="养老院护理", requirements="")
    accountant = make_seeker(world, occupation_codes=["2-06-03-00"], skills=["财务软件"],
                             major="会计")
    assert matchdata.recommend(accountant) == []
    client.force_login(world["admin"].user)
    page = client.get(f"/employment/seekers/{accountant.pk}/").content.decode()
    assert 'id="few-posts"' in page and "会计专业人员" in page
    assert 'id="match-rules"' in page and 'id="travel-model"' in page
    welder = make_seeker(world, occupation_codes=["6-18-02-04"], skills=["焊接"])
    page = client.get(f"/employment/seekers/{welder.pk}/").content.decode()
    assert "焊工证" in page  # the missing certificate is the training suggested


@pytest.mark.django_db
def test_a_flagged_post_published_anyway_is_recommended_only_with_the_flag(world, client):
    post = make_posting(world, publish=False, description="负责派送，入职需交材料保障金500元")
    assert post.fraud_flags and post.fraud_flags[0].startswith("screen:")
    services.posting_review(actor=system_actor(), posting=post, approve=True,
                            note="核实：保障金为电动车租用，已书面约定退还", version=post.version)
    seeker = make_seeker(world)
    rows = matchdata.recommend(seeker)
    assert rows and rows[0]["reasons"][0].startswith("⚠")
    client.force_login(world["admin"].user)
    page = client.get(f"/employment/seekers/{seeker.pk}/").content.decode()
    assert "flagged" in page and "已书面约定退还" in page


@pytest.mark.django_db
def test_unknown_but_well_formed_occupation_codes_in_postings_are_kept(world):
    post = make_posting(world, occupation_code="4-02-07-09", title="外卖配送员")
    assert post.occupation_code == "4-02-07-09" and not post.occupation_listed
    rows = matchdata.recommend(make_seeker(world))  # wants 4-02-07-02, same minor group
    assert [r["posting_id"] for r in rows] == [post.pk]
    with pytest.raises(ValidationFailed):
        make_posting(world, occupation_code="9-99-99")


@pytest.mark.django_db
def test_travel_time_comes_from_coordinates_with_the_speed_model(world):
    a = world["areas"]
    AreaLocation.objects.create(area=a["c12"], latitude=39.000, longitude=117.000)
    near = make_posting(world, latitude=39.010, longitude=117.000)  # 1.1 km
    make_posting(world, latitude=39.300, longitude=117.000, title="远处快递员")  # 33 km
    seeker = make_seeker(world, max_commute_minutes=30)
    rows = matchdata.recommend(seeker)
    assert [r["posting_id"] for r in rows] == [near.pk]
    minutes = float(matchdata.travel_minutes(39.0, 117.0, 39.01, 117.0))
    assert minutes == pytest.approx(10 + 1.112 * 1.3 / 20 * 60, abs=0.1)
    assert f"✓ 通勤约 {round(minutes)} 分钟（上限 30）" in rows[0]["reasons"]


def test_free_text_maps_to_occupations_with_confidence():
    top = occupation_map.suggest(wanted="想找会计、出纳类工作")[0]
    assert top["code"] == "2-06-03-00" and top["confidence"] >= 0.6
    assert occupation_map.suggest(wanted="会开叉车，做过仓库")[0]["code"] == "6-30-01-01"
    assert occupation_map.suggest(wanted="照顾老人")[0]["code"] == "4-10-01-05"
    assert occupation_map.suggest(wanted="") == []


@pytest.mark.django_db
def test_words_are_suggested_used_until_confirmed_and_confirmed_by_the_caseworker(world):
    post = make_posting(world)
    seeker = make_seeker(world, occupation_codes=[], wanted_text="送快递", skills=[])
    assert seeker.occupation_suggestions[0]["code"] == "4-02-07-02"
    assert matchdata.seeker_occupations(seeker) == ["4-02-07-02"]
    assert [r["posting_id"] for r in matchdata.recommend(seeker)] == [post.pk]
    services.seeker_occupations_confirm(actor=world["caseworker"], seeker=seeker,
                                        codes=["4-02-07-02"], version=seeker.version)
    seeker.refresh_from_db()
    assert seeker.occupation_codes == ["4-02-07-02"] and seeker.occupations_confirmed_at


def test_screening_catches_the_issue_paraphrases_and_passes_fee_denials():
    for text in ("入职前需收取办证费用300元", "需缴纳材料保障金500元", "工服费200元另收管理费",
                 "月入过万，轻松上手", "日结高薪，无需经验"):
        flags = screening.screen(text)
        assert flags and flags[0].startswith("screen:"), text
    assert screening.screen("招聘快递员，负责片区派送，五险一金") == []
    assert len(screening.corpus()) >= 200


def test_shown_posts_never_break_a_stated_requirement():
    data = synthetic.generate(800, 500, seed=21)
    index = MatchIndex(data.postings, data.commute)
    q = index.prepare(data.seekers)
    sample = np.arange(150)
    ok = synthetic.requirements_met(data, sample)
    for r, i in enumerate(sample):
        shown = index.recommend(q, int(i), 10, respect_cap=False)[0]
        assert ok[r, shown].all()


@pytest.mark.django_db
def test_unconfirmable_codes_are_refused_in_place(world):
    seeker = make_seeker(world)
    with pytest.raises(ValidationFailed):
        services.seeker_occupations_confirm(actor=world["caseworker"], seeker=seeker,
                                            codes=[], version=seeker.version)
    assert JobPosting.objects.count() == 0


@pytest.mark.django_db
def test_api_shows_flags_with_recommendations_and_confirms_occupations(world, client):
    post = make_posting(world, publish=False, description="派送，工服费200元从首月工资扣除")
    services.posting_review(actor=system_actor(), posting=post, approve=True,
                            note="已核实", version=post.version)
    seeker = make_seeker(world, occupation_codes=[], wanted_text="送快递")
    client.force_login(world["caseworker"].user)
    rows = client.get(f"/api/employment/seekers/{seeker.pk}/recommendations?fresh=1").json()
    assert rows and rows[0]["fraud_flags"][0].startswith("screen:")
    assert rows[0]["review_note"] == "已核实"
    r = client.post(f"/api/employment/seekers/{seeker.pk}/occupations/confirm",
                    {"codes": ["4-02-07-02"], "version": seeker.version},
                    content_type="application/json")
    assert r.status_code == 200 and r.json()["occupations_confirmed"]
    stale = client.post(f"/api/employment/seekers/{seeker.pk}/occupations/confirm",
                        {"codes": ["4-02-07-02"], "version": seeker.version},
                        content_type="application/json")
    assert stale.status_code == 409
    empty = client.post(f"/api/employment/seekers/{seeker.pk}/occupations/confirm",
                          {"codes": [], "version": 0}, content_type="application/json")
    assert empty.status_code == 422


@pytest.mark.django_db
def test_locations_load_is_atomic_and_reports_bad_lines(world, tmp_path):
    good = tmp_path / "ok.csv"
    good.write_text("area_code,latitude,longitude\n"
                    f"{world['areas']['c12'].code},39.1,117.2\n", encoding="utf-8")
    assert services.area_locations_load(actor=system_actor(), path=str(good))["loaded"] == 1
    bad = tmp_path / "bad.csv"
    bad.write_text("area_code,latitude,longitude\n"
                   f"{world['areas']['c11'].code},39.1,117.2\nnope,1,2\n"
                   f"{world['areas']['c21'].code},99,117\n", encoding="utf-8")
    result = services.area_locations_load(actor=system_actor(), path=str(bad))
    assert result["loaded"] == 0 and [line for line, _ in result["errors"]] == [3, 4]
    assert AreaLocation.objects.count() == 1


@pytest.mark.django_db
def test_posting_page_shows_unlisted_code_and_certificates(world, client):
    post = make_posting(world, occupation_code="4-02-07-09", requirements="须持C1驾照")
    client.force_login(world["admin"].user)
    page = client.get(f"/employment/postings/{post.pk}/").content.decode()
    assert 'id="unlisted-code"' in page and "C1驾驶证" in page
