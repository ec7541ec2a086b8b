"""Registry extracts and verification: exact and fuzzy matches, bad rows, disputes."""


import numpy as np
import pandas as pd
import pytest

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


def test_exact_and_fuzzy_findings_then_dispute(world, tmp_path):
    head, son = world["head"], world["son"]
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


def test_linkage_uses_characters_and_pinyin_not_bytes():
    members_df = pd.DataFrame({
        "id_number": ["110105199607090011"], "name": ["张伟"],
        "birth_date": [pd.Timestamp("1996-07-09")], "address": ["和平路1号"], "wages": [0.0],
        "income_total": [0.0], "properties": [0.0], "vehicle_value": [0.0],
        "business_capital": [0.0], "deposits": [0.0]})
    records = pd.DataFrame({
        "source": ["vehicle", "vehicle", "vehicle"], "id_number": ["", "", ""],
        "name": ["章伟", "李强", "张伟"], "birth_date": pd.to_datetime(
            ["1996-07-09", "1996-07-09", "1980-01-01"]),
        "address": ["和平路1号", "和平路1号", "和平路1号"], "amount": [5e4, 5e4, 5e4]})
    out = linkage.discrepancies(members_df, records)
    # the homophone 章伟 at the same birth date and address links; 李强 does not; the
    # same name on another birth date is outside the block
    assert list(out["records"].iloc[0]) == [0] and out["match"].iloc[0] == "fuzzy"


def test_id_keys_vectorised():
    keys, valid = linkage.id_keys(np.array(["11010519491231002X", "11010519491231002Y", ""]))
    assert valid.tolist() == [True, False, False] and keys[1] == -1 and keys[0] > 0
