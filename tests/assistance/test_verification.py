"""Registry extracts and verification: exact and fuzzy matches, bad rows, disputes."""


import numpy as np
import pandas as pd
import pytest
from django.utils import timezone

from minsheng.assistance import linkage, services
from minsheng.assistance.models import Discrepancy, RegistryRecord
from minsheng.assistance.services import registry_import
from minsheng.core.errors import PermissionDenied, ValidationFailed
from minsheng.core.tabular import csv_bytes
from tests.assistance.conftest import D, members

pytestmark = pytest.mark.django_db


def extract(tmp_path, rows, name="si.csv"):
    path = tmp_path / name
    path.write_bytes(csv_bytes(["身份证号", "姓名", "出生日期", "地址", "金额"], rows))
    return path


def test_import_reports_bad_rows_and_keeps_good(world, tmp_path):
    head, son = world["head"], world["son"]
    path = extract(tmp_path, [
        [head.id_number, "王秀英", "", "和平路12号", "2600"],
        [son.id_number, "王磊", "", "", "abc"],
        ["", "", "", "", "1"],
        [son.id_number, "王磊", "1996-13-40", "", "100"],
        [son.id_number, "王磊", "", "", "-5"],
    ])
    batch = registry_import(actor=world["admin"], source="social_insurance", path=path)
    assert batch.rows == 1
    assert [b["line"] for b in batch.bad_rows] == [3, 4, 5, 6]
    assert RegistryRecord.objects.count() == 1
    with pytest.raises(ValidationFailed):
        registry_import(actor=world["admin"], source="nonsense", path=path)


def _case_in_verification(world, **kw):
    case, _ = services.dibao_apply(actor=world["caseworker"], channel="office",
                                   applicant_id_number=world["head"].id_number,
                                   applicant_name="王秀英", members=members(world), **kw)
    cw = world["caseworker"]
    services.dibao_accept(actor=cw, case=case, version=case.version, today=D(2026, 9, 29))
    services.dibao_investigate(actor=cw, case=case, version=case.version,
                               investigators=["李明", "赵强"], home_visit_note="入户",
                               today=D(2026, 9, 30))
    services.dibao_request_verification(actor=cw, case=case, version=case.version,
                                        today=D(2026, 9, 30))
    services.dibao_start_verification(actor=cw, case=case, version=case.version,
                                      today=D(2026, 10, 8))
    return case


SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘")
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红梅鹏辉建国志")


def population(world, tmp_path, n=1500, seed=5):
    """The district's other residents and a social insurance extract of them (3% mistyped
    or missing IDs): the probable-link model estimates m and u from data of this kind; a
    household and its handful of registry rows alone are too few to estimate anything."""
    import datetime

    from minsheng.core.models import Person
    from tests import factories

    rng = np.random.default_rng(seed)
    people = []
    for i in range(n):
        birth = datetime.date(1940, 1, 1) + datetime.timedelta(days=int(rng.integers(0, 29000)))
        male = bool(rng.random() < 0.5)
        name = (rng.choice(SURNAMES) + rng.choice(GIVEN)
                + (rng.choice(GIVEN) if rng.random() < 0.7 else ""))
        people.append(Person(id_number=factories.id_number(birth, male), name=name,
                             sex="M" if male else "F", birth_date=birth,
                             residence_area=world["c11"], address=f"胜利街{i + 1}号"))
    Person.objects.bulk_create(people)
    rows = []
    for p in people:
        raw = p.id_number
        if rng.random() < 0.03:
            pos = int(rng.integers(0, 17))
            raw = raw[:pos] + str((int(raw[pos]) + 1) % 10) + raw[pos + 1:]
        rows.append([raw, p.name, "", p.address, str(int(rng.integers(0, 5000)))])
    registry_import(actor=world["admin"], source="housing_fund",
                    path=extract(tmp_path, rows, "population.csv"))


def test_exact_and_fuzzy_findings_then_dispute(world, tmp_path):
    head, son = world["head"], world["son"]
    population(world, tmp_path)
    registry_import(actor=world["admin"], source="social_insurance", path=extract(
        tmp_path, [[head.id_number, "王秀英", "", "", "2600"],  # wages 300 declared
                   [son.id_number, "王磊", "", "", "450"]]))  # within the declaration
    # a vehicle with a mistyped ID (fails the check digit) under a homophone name
    typo = son.id_number[:-2] + str((int(son.id_number[-2]) + 1) % 10) + son.id_number[-1]
    registry_import(actor=world["admin"], source="vehicle", path=extract(
        tmp_path, [[typo, "王垒", "1996-07-09", "和平路12号3栋101室", "80000"]], "v.csv"))
    case = _case_in_verification(world)
    found = {(d.person.name, d.source): d for d in Discrepancy.objects.filter(case=case)}
    assert set(found) == {("王秀英", "social_insurance"), ("王磊", "vehicle")}
    assert found[("王秀英", "social_insurance")].match == "exact"
    assert found[("王秀英", "social_insurance")].state == "open"
    fuzzy = found[("王磊", "vehicle")]
    assert fuzzy.match == "fuzzy" and fuzzy.state == "to_confirm"  # never decides alone
    # its score is the link weight (the exact links' 1.0 is not a score), said in the detail
    assert fuzzy.score > 3 and f"{fuzzy.score:.1f}" in fuzzy.detail
    with pytest.raises(ValidationFailed, match="not resolved"):
        services.dibao_first_review(actor=world["reviewer"], case=case, version=case.version,
                                    opinion="x", today=D(2026, 10, 9))
    services.discrepancy_resolve(actor=world["caseworker"], discrepancy=fuzzy,
                                 status="dismissed", resolution="车主为同名他人")
    wage = found[("王秀英", "social_insurance")]
    services.discrepancy_resolve(actor=world["caseworker"], discrepancy=wage,
                                 status="disputed", resolution="已于8月离职，附离职证明")
    with pytest.raises(PermissionDenied):  # caseworkers cannot uphold a dispute
        services.discrepancy_resolve(actor=world["caseworker"], discrepancy=wage,
                                     status="upheld", resolution="证明属实")
    services.discrepancy_resolve(actor=world["reviewer"], discrepancy=wage, status="confirmed",
                                 resolution="社保记录为本月")
    services.dibao_first_review(actor=world["reviewer"], case=case, version=case.version,
                                opinion="收入超标", today=D(2026, 10, 9))
    assert case.eligible is False  # confirmed wages count as income


def _frames(n=1500, seed=3):
    """Members (with the declared columns) and a registry extract of the same people with
    amounts within the declarations, exact IDs: the data the link model learns from."""
    from tests import factories

    rng = np.random.default_rng(seed)
    births = pd.Timestamp("1940-01-01") + pd.to_timedelta(rng.integers(0, 29000, n), "D")
    ids = [factories.id_number(b.date(), bool(i % 2)) for i, b in enumerate(births)]
    names = [rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < .7
                                                         else "") for _ in range(n)]
    members_df = pd.DataFrame({
        "id_number": ids, "name": names, "birth_date": births,
        "address": [f"胜利街{i + 1}号" for i in range(n)], "wages": 0.0, "income_total": 0.0,
        "properties": 0.0, "vehicle_value": 0.0, "business_capital": 0.0, "deposits": 0.0})
    records = pd.DataFrame({"source": "housing_fund", "id_number": ids, "name": names,
                            "birth_date": births, "address": members_df["address"],
                            "amount": 0.0})
    return members_df, records


def test_service_finds_a_mistyped_id_in_an_extract_without_birth_dates(world, tmp_path):
    population(world, tmp_path)
    son = world["son"]
    typo = son.id_number[:9] + str((int(son.id_number[9]) + 3) % 10) + son.id_number[10:]
    path = tmp_path / "vehicles.csv"  # no 出生日期 column at all
    path.write_bytes(csv_bytes(["身份证号", "姓名", "金额"], [[typo, "王磊", "80000"]]))
    registry_import(actor=world["admin"], source="vehicle", path=path)
    case = _case_in_verification(world)
    found = Discrepancy.objects.get(case=case, source="vehicle")
    assert found.person == son and found.match == "fuzzy" and found.state == "to_confirm"
    assert found.score > 3 and f" {found.score:.1f}," in found.detail


def test_probable_links_use_characters_and_pinyin_not_bytes():
    members_df, records = _frames()
    members_df.loc[0, ["name", "birth_date"]] = ["张伟", pd.Timestamp("1996-07-09")]
    planted = pd.DataFrame({
        "source": ["vehicle"] * 3, "id_number": ["", "", ""], "name": ["章伟", "李强", "张伟"],
        "birth_date": pd.to_datetime(["1996-07-09", "1996-07-09", "1980-01-01"]),
        "address": [members_df.loc[0, "address"]] * 3, "amount": [5e4] * 3})
    out = linkage.discrepancies(members_df, pd.concat([records, planted], ignore_index=True),
                                tolerance=100)
    # the homophone 章伟 at the same birth date and address links to 张伟, as a suggestion;
    # 李强 does not; nor does the same name born another year
    vehicle = out[out["source"] == "vehicle"]
    assert len(vehicle) == 1 and vehicle["member"].iloc[0] == 0
    assert list(vehicle["records"].iloc[0]) == [len(records)]
    assert vehicle["match"].iloc[0] == "fuzzy"


def test_mistyped_id_without_birth_date_column_is_a_suggestion_with_its_weight():
    members_df, records = _frames()
    son = members_df.loc[7, "id_number"]
    typo = son[:-2] + str((int(son[-2]) + 1) % 10) + son[-1]  # fails the check digit
    records = pd.concat([records, pd.DataFrame({
        "source": ["vehicle"], "id_number": [typo], "name": [members_df.loc[7, "name"]],
        "birth_date": [pd.NaT], "address": [""], "amount": [8e4]})], ignore_index=True)
    records = records.drop(columns="birth_date")  # the extract has no birth-date column
    out = linkage.discrepancies(members_df, records, tolerance=100)
    found = out[out["source"] == "vehicle"]
    assert len(found) == 1 and found["member"].iloc[0] == 7
    row = found.iloc[0]
    assert row["match"] == "fuzzy"
    # the finding carries the link weight and probability, not the exact links' 1.0
    assert row["score"] != 1.0 and row["score"] > 3
    assert 0.9 <= row["probability"] <= 1.0
    assert row["explanation"].startswith("prior ")


def test_id_keys_vectorised():
    keys, valid = linkage.id_keys(np.array(["11010519491231002X", "11010519491231002Y", ""]))
    assert valid.tolist() == [True, False, False] and keys[1] == -1 and keys[0] > 0


def test_a_run_without_extracts_says_nothing_was_checked(world, tmp_path, client):
    case = _case_in_verification(world)
    run = case.verification_runs.get()
    assert run.checked() == [] and "Deaths" in run.not_checked()
    client.force_login(world["caseworker"].user)
    for url in (f"/assistance/verification/{run.pk}/", f"/assistance/cases/{case.pk}/"):
        html = client.get(url).content.decode()
        assert "未核对任何数据" in html and "没有发现差异。" not in html, url
    # with one extract imported, the run says what it checked and as of when
    registry_import(actor=world["admin"], source="social_insurance", path=extract(
        tmp_path, [[world["head"].id_number, "王秀英", "", "", "100"]]))
    run = services.verification_run(actor=world["caseworker"], cases=[case])
    assert [(rows, as_of) for _label, as_of, rows in run.checked()] == [
        (1, timezone.localdate().isoformat())]
    html = client.get(f"/assistance/cases/{case.pk}/").content.decode()
    assert "已核对" in html and "1 行" in html and "未核对（未导入数据）" in html
