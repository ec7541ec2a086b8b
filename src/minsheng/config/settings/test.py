"""Test runs: fast hashing, tasks run inline, one database chosen by DATABASE_URL."""

from minsheng.config.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-secret"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
AXES_ENABLED = False
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
# The idle clock writes the session once a minute, which would make query counts depend on
# how fast the machine is; the idle-timeout test turns it on.
MINSHENG_SESSION_IDLE_MINUTES = 0
# The suite logs in with force_login; tests of the second factor turn it on themselves.
MINSHENG_REQUIRE_SECOND_FACTOR = False
# A fixed header name: otherwise the root area's name is re-read once a minute, and a
# query-count test that spans that minute would see one query more.
MINSHENG_DISTRICT_NAME = "测试区"
MINSHENG_SMS_GATEWAY = "minsheng.core.sms.MemoryGateway"
