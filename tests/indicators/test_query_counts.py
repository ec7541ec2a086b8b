"""The number of queries of every indicator list page and list endpoint does not grow with
the rows listed (values awaiting approval and current ones, elements, indicators)."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from minsheng.indicators import services
from minsheng.indicators.models import DataElement, DataValue, Indicator
from tests import factories

pytestmark = pytest.mark.django_db

URLS = ["/indicators/values/", "/indicators/values/?state=pending&page=2",
        "/indicators/values/?pending_page=2", "/indicators/definitions/", "/api/indicators/",
        "/api/indicators/elements", "/api/indicators/values",
        "/api/indicators/values?state=pending&page=2", "/api/indicators/test_i0/series"]


@pytest.mark.parametrize("url", URLS)
def test_list_query_count_does_not_grow_with_rows(areas, url):
    hrss = factories.department(areas["district"], "hrss", "人社局")
    services.catalogue_ensure()
    client = Client()
    client.force_login(factories.user("admin", "system_admin", areas["district"],
                                      department=hrss))

    def grow(start, n):
        for i in range(start, start + n):
            element = DataElement.objects.create(code=f"test.e{i}", name=f"数据元{i}",
                                                 department=hrss if i % 2 else None)
            Indicator.objects.create(code=f"test_i{i}", name=f"指标{i}",
                                     formula=f"test.e{i} * 2")
            for month in range(1, 13):
                for key in ("s1", "c21"):
                    DataValue.objects.create(element=element, area=areas[key],
                                             period_start=datetime.date(2026, month, 1),
                                             value=month, source="manual",
                                             state="pending" if month % 3 else "approved",
                                             flag="outlier" if month == 5 else "")

    def queries() -> list[str]:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return [q["sql"] for q in ctx.captured_queries]

    grow(0, 5)
    queries()
    few = queries()
    grow(5, 10)
    many = queries()
    assert len(many) == len(few), "\n".join(q for q in many if q not in few)
