"""Every education page renders for the bureau, in Chinese and English, on a world with
schools, rolls, a case at each step and an aid application."""

import datetime

import pytest
from django.test import Client

from minsheng.core.models import DisabilityCertificate
from minsheng.education.models import DropoutCase
from minsheng.education.services import aid, dropout
from tests.education.conftest import TODAY, child, enrol


@pytest.fixture
def filled(world):
    kg_kid = child(world["areas"]["c11"], name="园园", birth=datetime.date(2022, 5, 1))
    DisabilityCertificate.objects.create(person=kg_kid, number="DC1", category=1, grade=2,
                                         issued_on=datetime.date(2024, 1, 1))
    e = enrol(world, kg_kid, school_key="k1", grade=2, intake=2025)
    application = aid.aid_apply(actor=world["a"], enrolment=e, today=TODAY)
    on_roll = child(world["areas"]["c11"], name="在读")
    enrol(world, on_roll)
    child(world["areas"]["c12"], name="失学")
    dropout.rolls_match(actor=world["a"], area=world["areas"]["district"], on=TODAY)
    return {"case": DropoutCase.objects.get(), "enrolment": e, "aid": application, **world}


def test_every_page_renders(filled):
    from django.urls import reverse

    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(filled["bureau"])
    urls = [reverse("education:home"), reverse("education:schools"),
            reverse("education:school_new"),
            reverse("education:school", args=[filled["p1"].pk]),
            reverse("education:enrolment", args=[filled["enrolment"].pk]),
            reverse("education:cases"), reverse("education:cases") + "?state=open&late=on",
            reverse("education:case", args=[filled["case"].pk]),
            reverse("education:match"), reverse("education:figures"),
            reverse("education:figure", args=["compulsory_cohort"]) + "?year=2026",
            reverse("education:figure", args=["preschool_enrolled"]) + "?year=2026",
            reverse("education:aids"), reverse("education:aid", args=[filled["aid"].pk])]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get(reverse("education:figure", args=["preschool_enrolled"]) + "?year=2026")
    assert "园园" in page.content.decode()
    xlsx = client.get(reverse("education:cases") + "?format=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get(reverse("education:aids") + "?format=xlsx").status_code == 200
