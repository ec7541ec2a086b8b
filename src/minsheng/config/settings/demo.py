"""The local demo: DEBUG on, a throwaway secret, plain-HTTP cookies on localhost."""

from minsheng.config.settings import environment as env
from minsheng.config.settings.base import *  # noqa: F403

DEBUG = env.flag("DEBUG", True)
SECRET_KEY = env.text("SECRET_KEY") or "demo-only-not-secret-0f3b9c1e7a"
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
WHITENOISE_AUTOREFRESH = True
# No second factor here: see docs/security.md ("Why the demo has no second factor").
MINSHENG_REQUIRE_SECOND_FACTOR = env.flag("MINSHENG_REQUIRE_SECOND_FACTOR", False)
