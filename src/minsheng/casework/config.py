from django.conf import settings

from minsheng.casework import defaults


def setting(name: str):
    """A district's value from settings.MINSHENG_CASEWORK, else the national default."""
    return getattr(settings, "MINSHENG_CASEWORK", {}).get(name, getattr(defaults, name))
