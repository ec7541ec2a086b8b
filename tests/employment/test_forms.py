"""Staff page forms of the employment service, through Django's test client."""

import datetime

import pytest
from django.utils import timezone

from minsheng.core.models import AuditEntry
from minsheng.employment.models import (
    BenefitClaim,
    HeadcountReport,
    JobPosting,
    JobSeeker,
    Placement,
    TrainingEnrolment,
    UnemploymentRegistration,
)
from tests import factories
from tests.employment.conftest import make_posting, make_seeker

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def seeker_form(id_number="", **extra):
    data = {"id_number": id_number, "status": "unemployed", "education": "2",
            "major": "物流管理", "occupation_0": "4-02-07-02 快递员", "occupation_1": "",
            "occupation_2": "", "skills": "驾驶、扫码出入库, 客户沟通",
            "certificates": "C1驾照", "experience_years": "3", "salary_min": "4500",
            "salary_max": "7000", "max_commute_minutes": "45", "shifts": ["day", "rotating"],
            "key_groups": ["g4050"], "areas": ["120199001"], "summary": "踏实肯干"}
    data.update(extra)
    return data


def test_register_seeker_then_unemployment_benefit_and_placement(client, world):
    posting = make_posting(world)
    person = factories.person(world["areas"]["c12"], "王五")
    client.force_login(world["caseworker"].user)
    page = client.get("/employment/seekers/new/").content.decode()
    assert "登记求职者" in page and 'list="occupation-list"' in page and "快递员" in page
    assert "残疾人" in page and "禁用" not in page  # a key group, not "switched off"
    found = client.post("/employment/seekers/lookup/", {"id_number": person.id_number})
    assert "王五" in found.content.decode() and person.id_number not in found.content.decode()

    r = client.post("/employment/seekers/new/", seeker_form(person.id_number))
    assert r.status_code == 302, r.content.decode()[:500]
    seeker = JobSeeker.objects.get(person=person)
    assert seeker.occupation_codes == ["4-02-07-02"]
    assert seeker.skills == ["驾驶", "扫码出入库", "客户沟通"] and seeker.difficulty
    assert [a.code for a in seeker.acceptable_areas.all()] == ["120199001"]
    page = client.get(r["Location"]).content.decode()
    assert "求职者已登记" in page and "最低联系" in page

    r = client.post(f"/employment/seekers/{seeker.pk}/register/",
                    {"registered_on": TODAY.isoformat(), "separation_reason": "layoff",
                     "contribution_years": "6"})
    assert r.status_code == 302
    reg = UnemploymentRegistration.objects.get(seeker=seeker, closed_on=None)
    page = client.get(f"/employment/seekers/{seeker.pk}/").content.decode()
    assert "18 个月" in page and "2088.00" in page  # 5-10 years: 18 months, 90% of 2,320

    r = client.post(f"/employment/seekers/{seeker.pk}/registrations/{reg.pk}/benefit/",
                    {"start_date": TODAY.isoformat()})
    assert r.status_code == 302
    claim = BenefitClaim.objects.get(registration=reg)
    assert claim.months == 18 and str(claim.monthly_amount) == "2088.00"
    assert "已核定失业保险金" in client.get(r["Location"]).content.decode()

    r = client.post(f"/employment/seekers/{seeker.pk}/training/",
                    {"course": "叉车操作", "provider": "区职业培训学校",
                     "start_date": TODAY.isoformat()})
    assert r.status_code == 302 and TrainingEnrolment.objects.filter(seeker=seeker).exists()

    r = client.post(f"/employment/seekers/{seeker.pk}/contact/",
                    {"contacted_on": TODAY.isoformat(), "channel": "phone", "note": "电话回访"})
    assert r.status_code == 302
    seeker.refresh_from_db()
    assert seeker.last_contact_on == TODAY

    r = client.post(f"/employment/seekers/{seeker.pk}/placement/",
                    {"placed_on": TODAY.isoformat(), "posting": str(posting.pk),
                     "insured": "on"})
    assert r.status_code == 302
    placement = Placement.objects.get(seeker=seeker)
    assert placement.employer == world["employer"] and placement.posting == posting
    reg.refresh_from_db()
    claim.refresh_from_db()
    assert reg.close_reason == "employed" and claim.state == "ended"
    seeker.refresh_from_db()
    assert seeker.status == "employed"


def test_edit_seeker_with_version_and_stale_version_refused(client, world):
    seeker = make_seeker(world)
    client.force_login(world["caseworker"].user)
    page = client.get(f"/employment/seekers/{seeker.pk}/edit/").content.decode()
    assert "4-02-07-02 快递员" in page and seeker.person.id_number not in page
    r = client.post(f"/employment/seekers/{seeker.pk}/edit/",
                    seeker_form(version=str(seeker.version), salary_min="5000",
                                occupation_1="中式烹调师"))
    assert r.status_code == 302
    seeker.refresh_from_db()
    assert seeker.salary_min == 5000 and seeker.occupation_codes[1] == "4-03-02-01"
    stale = client.post(f"/employment/seekers/{seeker.pk}/edit/",
                        seeker_form(version=str(seeker.version - 1), salary_min="6000"),
                        HTTP_HX_REQUEST="true")
    assert stale.status_code == 422 and stale["HX-Retarget"] == "#messages"
    assert "其他人" in stale.content.decode() or "别人" in stale.content.decode()
    seeker.refresh_from_db()
    assert seeker.salary_min == 5000


def test_bad_input_shows_message_and_changes_nothing(client, world):
    person = factories.person(world["areas"]["c12"], "钱七")
    client.force_login(world["caseworker"].user)
    audits = AuditEntry.objects.count()
    bad = client.post("/employment/seekers/new/",
                      seeker_form(person.id_number, salary_min="9000", salary_max="3000"),
                      HTTP_HX_REQUEST="true")
    assert bad.status_code == 422 and bad["HX-Retarget"] == "#messages"
    assert "最低工资高于最高工资" in bad.content.decode() or "高于" in bad.content.decode()
    unknown = client.post("/employment/seekers/new/",
                          seeker_form(person.id_number, occupation_0="4-99-99-99"))
    assert unknown.status_code == 422 and "4-99-99-99" in unknown.content.decode()
    nobody = client.post("/employment/seekers/new/", seeker_form("110101199003070000"))
    assert nobody.status_code == 422
    assert not JobSeeker.objects.filter(person=person).exists()
    assert AuditEntry.objects.count() == audits

    seeker = make_seeker(world)
    r = client.post(f"/employment/seekers/{seeker.pk}/register/",
                    {"registered_on": "2020-02-30", "contribution_years": "2"})
    assert r.status_code == 422 and "YYYY-MM-DD" in r.content.decode()
    client.post(f"/employment/seekers/{seeker.pk}/register/",
                {"registered_on": TODAY.isoformat(), "separation_reason": "resignation",
                 "contribution_years": "3"})
    reg = UnemploymentRegistration.objects.get(seeker=seeker)
    page = client.get(f"/employment/seekers/{seeker.pk}/").content.decode()
    assert "非本人意愿" in page  # voluntary separation: not eligible, the reason is shown
    r = client.post(f"/employment/seekers/{seeker.pk}/registrations/{reg.pk}/benefit/",
                    {"start_date": TODAY.isoformat()})
    assert r.status_code == 422 and "不符合" in r.content.decode()
    assert not BenefitClaim.objects.exists()
    r = client.post(f"/employment/seekers/{seeker.pk}/registrations/{reg.pk}/close/",
                    {"closed_on": TODAY.isoformat(), "reason": ""})
    assert r.status_code == 422
    reg.refresh_from_db()
    assert reg.closed_on is None
    r = client.post(f"/employment/seekers/{seeker.pk}/registrations/{reg.pk}/close/",
                    {"closed_on": TODAY.isoformat(), "reason": "moved"})
    assert r.status_code == 302
    reg.refresh_from_db()
    assert reg.close_reason == "moved"
    r = client.post(f"/employment/seekers/{seeker.pk}/placement/",
                    {"placed_on": TODAY.isoformat(), "employer_uscc": ""})
    assert r.status_code == 422 and not Placement.objects.exists()


def test_out_of_scope_is_not_found(client, world):
    far_seeker = make_seeker(world, area_key="c21")
    far_person = factories.person(world["areas"]["c22"], "孙八")
    client.force_login(world["caseworker"].user)
    assert client.post("/employment/seekers/lookup/",
                       {"id_number": far_person.id_number}).status_code == 404
    # shown in place, the same answer as for an ID number nobody has (no existence oracle)
    refused = client.post("/employment/seekers/new/", seeker_form(far_person.id_number))
    assert refused.status_code == 422 and "您的辖区内没有该身份证号的居民" in \
        refused.content.decode()
    for url in (f"/employment/seekers/{far_seeker.pk}/edit/",):
        assert client.get(url).status_code == 404
    for url in (f"/employment/seekers/{far_seeker.pk}/register/",
                f"/employment/seekers/{far_seeker.pk}/training/",
                f"/employment/seekers/{far_seeker.pk}/placement/"):
        assert client.post(url, {"registered_on": TODAY.isoformat(), "course": "x",
                                 "start_date": TODAY.isoformat()}).status_code == 404
    assert client.get(f"/employment/employers/{world['far'].pk}/").status_code == 404
    assert client.get(f"/employment/employers/{world['far'].pk}/postings/new/").status_code == 404
    assert not UnemploymentRegistration.objects.exists()
    assert not JobSeeker.objects.filter(person=far_person).exists()


def test_create_and_edit_posting_goes_to_review_with_flags(client, world):
    client.force_login(world["caseworker"].user)
    employer = world["employer"]
    page = client.get(f"/employment/employers/{employer.pk}/").content.decode()
    assert employer.name in page and "新建招聘岗位" in page
    form = {"title": "仓库分拣员", "occupation_code": "4-02-07-02 快递员",
            "salary_min": "4000", "salary_max": "6000", "openings": "5", "shift": "rotating",
            "education_min": "1", "experience_min": "0", "skills": "扫码出入库、分拣",
            "valid_from": TODAY.isoformat(),
            "valid_until": (TODAY + datetime.timedelta(days=60)).isoformat(),
            "description": "快递分拣，入职需交押金200元", "public_welfare": "on"}
    bad = client.post(f"/employment/employers/{employer.pk}/postings/new/",
                      {**form, "salary_min": "8000"})
    assert bad.status_code == 422 and not JobPosting.objects.exists()
    too_long = client.post(f"/employment/employers/{employer.pk}/postings/new/",
                           {**form, "valid_until": (TODAY + datetime.timedelta(days=400))
                            .isoformat()})
    assert too_long.status_code == 422 and "180" in too_long.content.decode()
    r = client.post(f"/employment/employers/{employer.pk}/postings/new/", form)
    assert r.status_code == 302
    posting = JobPosting.objects.get()
    assert posting.state == "pending" and posting.public_welfare and posting.openings == 5
    assert posting.fraud_flags[0].startswith("screen:") and "fee:押金" in posting.fraud_flags
    page = client.get(r["Location"]).content.decode()
    assert "收费或押金措辞：押金" in page and "编辑招聘岗位" in page

    client.force_login(world["admin"].user)
    assert "仓库分拣员" in client.get("/employment/review/").content.decode()
    from minsheng.core.access import system_actor
    from minsheng.employment import services

    services.posting_review(actor=system_actor(), posting=posting, approve=True,
                            note="已电话核实不收费", version=posting.version)
    posting.refresh_from_db()
    client.force_login(world["caseworker"].user)
    r = client.post(f"/employment/postings/{posting.pk}/edit/",
                    {**form, "description": "快递分拣，包吃住", "version": str(posting.version)})
    assert r.status_code == 302
    posting.refresh_from_db()
    assert posting.state == "pending" and posting.fraud_flags == []
    assert posting.description == "快递分拣，包吃住"


def test_headcount_report_entry_and_employer_page(client, world):
    client.force_login(world["admin"].user)
    employer = world["employer"]
    url = f"/employment/employers/{employer.pk}/headcount/"
    assert "按原因分列" in client.get(url).content.decode()
    month = TODAY.replace(day=1).strftime("%Y-%m")
    bad = client.post(url, {"month": month, "baseline": "10", "additions": "0",
                            "reduced_layoff": "30"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 422 and "超过" in bad.content.decode()
    assert not HeadcountReport.objects.exists()
    r = client.post(url, {"month": month, "baseline": "200", "additions": "3",
                          "reduced_layoff": "25", "reduced_other": "2",
                          "layoff_notice_date": (TODAY - datetime.timedelta(days=10))
                          .isoformat(),
                          "layoff_effective_date": TODAY.isoformat()})
    assert r.status_code == 302
    report = HeadcountReport.objects.get()
    assert report.reduced_layoff == 25 and report.reductions == 27
    page = client.get(f"/employment/employers/{employer.pk}/").content.decode()
    assert "200" in page and month in page
    nxt = (TODAY.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    form = client.get(url).content.decode()  # next report: the month after, once begun
    assert f'value="{min(nxt, TODAY.replace(day=1)).strftime("%Y-%m")}"' in form
    again = client.post(url, {"month": month, "baseline": "200"})
    assert again.status_code == 422 and "本月已报送" in again.content.decode()  # in place
    listing = client.get("/employment/employers/", {"q": "港城"}).content.decode()
    assert employer.name in listing and world["far"].name not in listing
