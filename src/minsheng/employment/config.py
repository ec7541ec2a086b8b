from django.conf import settings

from minsheng.employment import defaults


def setting(name: str):
    """A district's value from settings.MINSHENG_EMPLOYMENT, else the national default."""
    return getattr(settings, "MINSHENG_EMPLOYMENT", {}).get(name, getattr(defaults, name))
