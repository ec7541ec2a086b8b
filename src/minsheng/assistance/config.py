from django.conf import settings

from minsheng.assistance import defaults


def setting(name: str):
    """A district's value from settings.MINSHENG_ASSISTANCE, else the national default."""
    return getattr(settings, "MINSHENG_ASSISTANCE", {}).get(name, getattr(defaults, name))
