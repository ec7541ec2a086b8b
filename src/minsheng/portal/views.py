"""The residents' front door: links to every public page the modules declare."""

from django.shortcuts import render

from minsheng.core.context import district_name
from minsheng.core.plugins import minsheng_apps


def portal_home(request):
    services = [item for app in minsheng_apps() for item in app.public]
    return render(request, "portal/home.html",
                  {"services": services, "district": district_name()})
