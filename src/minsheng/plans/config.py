from django.conf import settings

from minsheng.plans import defaults


def setting(name: str):
    """A district's value from settings.MINSHENG_PLANS, else the default."""
    return getattr(settings, "MINSHENG_PLANS", {}).get(name, getattr(defaults, name))
