from django.conf import settings

from minsheng.core.access import actor_for
from minsheng.core.plugins import minsheng_apps


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"district_name": settings.MINSHENG_DISTRICT_NAME}
    actor = actor_for(user)
    nav = []
    for app in minsheng_apps():
        for label, url_name, permission in app.nav:
            if permission is None or actor.has(permission):
                nav.append((label, url_name))
    can = {"audit": actor.has("core.view_audit"), "import": actor.has("core.import"),
           "registry": actor.has("core.view_registry")}
    return {"nav_items": nav, "actor": actor, "can": can,
            "district_name": settings.MINSHENG_DISTRICT_NAME}
