from django.conf import settings

from minsheng.safety import defaults


def setting(name: str):
    """A district's value from settings.MINSHENG_SAFETY, else the national default."""
    return getattr(settings, "MINSHENG_SAFETY", {}).get(name, getattr(defaults, name))
