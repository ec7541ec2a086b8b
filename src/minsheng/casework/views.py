from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_POST

from minsheng.casework import followups
from minsheng.casework.models import FollowUp
from minsheng.core.pages import actor, paginate, query_without_page


@login_required
def followup_list(request):
    items = followups.followup_list(actor(request), state=request.GET.get("state", "open"),
                                    kind=request.GET.get("kind", "")[:40])
    return render(request, "casework/followups.html",
                  {"page": paginate(request, items), "query": query_without_page(request),
                   "states": FollowUp.State.choices})


@login_required
@require_POST
def followup_close(request, pk: int):
    a = actor(request)
    item = followups.followup_get(a, pk=pk)
    followups.followup_close(actor=a, followup=item, outcome=request.POST.get("outcome", ""),
                             version=int(request.POST.get("version", "0") or 0))
    return render(request, "casework/partials/followup_row.html", {"item": item})
