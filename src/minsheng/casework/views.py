"""Follow-up pages: the list and closing an item with its outcome. Thin: a form parses the
input, selectors read, the service writes."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minsheng.casework import selectors, services
from minsheng.casework.forms import FollowUpCloseForm, FollowUpFilterForm
from minsheng.casework.models import FollowUp
from minsheng.core.pages import actor, paginate, query_without_page, submit

TEMPLATE = "casework/followups.html"


def _context(request, a) -> dict:
    filters = FollowUpFilterForm(request.GET)
    page = paginate(request, selectors.followup_list(a, **filters.filters()))
    page.object_list = selectors.with_close_flags(a, page.object_list)
    return {"page": page, "query": query_without_page(request), "filters": filters,
            "states": FollowUp.State.choices}


@login_required
def followup_list(request):
    return render(request, TEMPLATE, _context(request, actor(request)))


@login_required
@require_POST
def followup_close(request, pk: int):
    a = actor(request)
    item = selectors.followup_get(a, pk=pk)
    form = FollowUpCloseForm(request.POST)
    context = None
    if not getattr(request, "htmx", False):
        context = {**_context(request, a), "failed_pk": item.pk}
        # a refusal about an item not on this page (e.g. closed meanwhile) goes above it
        context["failed_elsewhere"] = item.pk not in {i.pk for i in context["page"]
                                                      if i.can_close}
    return submit(request, form,
                  lambda data: services.followup_close(actor=a, followup=item,
                                                       outcome=data["outcome"],
                                                       version=data["version"]),
                  success_url=reverse("casework:followups"), template=TEMPLATE,
                  context=context, message=_("Follow-up closed"))
