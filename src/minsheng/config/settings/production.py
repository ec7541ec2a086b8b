"""Production: DEBUG stays off, secrets must be given, cookies are secure unless local."""

from django.core.exceptions import ImproperlyConfigured

from minsheng.config.settings import environment as env
from minsheng.config.settings.base import *  # noqa: F403
from minsheng.config.settings.base import DEBUG, SECRET_KEY

if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment for production.")

LOCAL_ONLY = env.flag("MINSHENG_LOCAL_ONLY", False)
SESSION_COOKIE_SECURE = not LOCAL_ONLY
CSRF_COOKIE_SECURE = not LOCAL_ONLY
SECURE_SSL_REDIRECT = env.flag("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = 0 if LOCAL_ONLY else 31536000
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if DEBUG and not LOCAL_ONLY:  # a debug page shows settings and data to anyone
    raise ImproperlyConfigured("DEBUG may only be on for a local-only deployment "
                               "(MINSHENG_LOCAL_ONLY).")
