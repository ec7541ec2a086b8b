"""The one way to page a list: `paginate()` for pages, `ApiPagination` for endpoints.

Both fetch ids first and then those rows (see `rows_ids_first`) and always report the full
count: a list is never cut silently at some number of rows."""

from __future__ import annotations

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
# Beyond this a page number is nonsense, and an offset past 2**63 overflows the database.
MAX_PAGE = 1_000_000


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


def paginate(request, queryset, per_page: int = PAGE_SIZE, param: str = "page"):
    """The requested page of a list page; a bad or too large page number shows the last."""
    paginator = IdsFirstPaginator(queryset, per_page)
    raw = request.GET.get(param) or 1
    try:
        return paginator.page(min(int(raw), MAX_PAGE))
    except (PageNotAnInteger, ValueError, TypeError):
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)


def query_without_page(request, param: str = "page") -> str:
    """The page's query string without its page number (for the pager's links)."""
    params = request.GET.copy()
    params.pop(param, None)
    return params.urlencode()


class ApiPagination(PageNumberPagination):
    """django-ninja page-number pagination: `page` and `page_size` validated at the edge
    (422 for 0, negatives or absurd numbers), `count` of every matching row."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE)

    def __init__(self, page_size: int = PAGE_SIZE, **kwargs):
        super().__init__(page_size=page_size, max_page_size=MAX_PAGE_SIZE, **kwargs)

    def paginate_queryset(self, queryset, pagination, request, **params):
        size = self._get_page_size(pagination.page_size)
        offset = (pagination.page - 1) * size
        return {self.items_attribute: rows_ids_first(queryset, offset, offset + size),
                "count": self._items_count(queryset)}
