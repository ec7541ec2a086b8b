import time

from django.conf import settings

from minsheng.core.access import actor_for
from minsheng.core.models import Area
from minsheng.core.plugins import minsheng_apps

_district: dict = {}


def district_name() -> str:
    """The configured name, else the root area's name (remembered for a minute)."""
    if settings.MINSHENG_DISTRICT_NAME:
        return settings.MINSHENG_DISTRICT_NAME
    if time.monotonic() - _district.get("at", -120) > 60:
        root = Area.objects.filter(parent=None).order_by("code").first()
        _district.update(name=root.name if root else "", at=time.monotonic())
    return _district["name"]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"district_name": district_name()}
    actor = actor_for(user)
    nav = []
    for app in minsheng_apps():
        for label, url_name, permission in app.nav:
            if permission is None or actor.has(permission):
                nav.append((label, url_name))
    can = {"audit": actor.has("core.view_audit"), "import": actor.has("core.import"),
           "registry": actor.has("core.view_registry"),
           "roles": actor.has("core.view_role_changes"),
           "reset_second_factor": actor.has("core.reset_second_factor")}
    return {"nav_items": nav, "actor": actor, "can": can,
            "district_name": district_name()}
