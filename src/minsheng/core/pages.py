"""Small helpers shared by page views: pagination and the actor of a request."""

from django.core.paginator import Paginator

from minsheng.core.access import Actor, actor_for

PAGE_SIZE = 50


def actor(request) -> Actor:
    return actor_for(request.user)


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    paginator = Paginator(queryset, per_page)
    return paginator.get_page(request.GET.get("page"))


def query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
