"""Helpers shared by page views and endpoints: the actor of a request and pagination."""

from django.core.paginator import Paginator
from ninja.pagination import PageNumberPagination

from minsheng.core.access import Actor, actor_for

PAGE_SIZE = 50


def actor(request) -> Actor:
    return actor_for(request.user)


def rows_ids_first(queryset, start: int, stop: int) -> list:
    """Rows start..stop of an ordered queryset in two steps: the ids first (sorted inside
    an index, without dragging whole rows through the sort), then those rows by id.

    On a million-person register, sorting the 120,000 rows of a subdistrict by name took
    200 ms with full rows and 11 ms with ids only (benchmarks/scoped_list.py)."""
    if not hasattr(queryset, "values_list"):
        return list(queryset[start:stop])
    ids = list(queryset.values_list("pk", flat=True)[start:stop])
    rows = {row.pk: row for row in queryset.filter(pk__in=ids)}
    return [rows[i] for i in ids if i in rows]


class IdsFirstPaginator(Paginator):
    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        return self._get_page(rows_ids_first(self.object_list, bottom, top), number, self)


class IdsFirstPagination(PageNumberPagination):
    """django-ninja page-number pagination with the same two-step fetch."""

    def paginate_queryset(self, queryset, pagination, request, **params):
        size = self._get_page_size(pagination.page_size)
        offset = (pagination.page - 1) * size
        return {self.items_attribute: rows_ids_first(queryset, offset, offset + size),
                "count": self._items_count(queryset)}


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    return IdsFirstPaginator(queryset, per_page).get_page(request.GET.get("page"))


def query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
