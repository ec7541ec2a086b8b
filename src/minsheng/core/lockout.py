"""The page a locked-out user sees: why, and from when they may try again."""

from __future__ import annotations

from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.shortcuts import render
from django.utils import timezone

from minsheng.core.requestinfo import client_ip


def locked_out(request, original_response=None, credentials=None):
    username = get_client_username(request, credentials) or ""
    cool_off = get_cool_off(request)
    last = (AccessAttempt.objects.filter(username=username, ip_address=client_ip(request))
            .order_by("-attempt_time").values_list("attempt_time", flat=True).first())
    retry_at = (last or timezone.now()) + cool_off
    return render(request, "core/locked_out.html", {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "retry_at": timezone.localtime(retry_at)}, status=429)
