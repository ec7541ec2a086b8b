"""The follow-up list's number of queries does not grow with the items listed."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from minsheng.casework.models import FollowUp
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/casework/followups/", "/casework/followups/?state=",
                                 "/casework/followups/?page=2"])
def test_followup_list_query_count_does_not_grow_with_rows(areas, url):
    departments = [factories.department(areas["district"], f"d{i}", f"部门{i}")
                   for i in range(3)]
    client = Client()
    client.force_login(factories.user("staff", "caseworker", areas["district"],
                                      department=departments[0]))

    def grow(start, n):
        for i in range(start, start + n):
            FollowUp.objects.create(kind="test", title=f"事项{i}",
                                    area=areas["c11" if i % 2 else "s2"],
                                    department=departments[i % 3],
                                    due_date=datetime.date(2026, 12, 1),
                                    source_type="test", source_id=str(i))

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    grow(0, 60)
    count()
    few = count()
    grow(60, 120)
    assert count() == few
