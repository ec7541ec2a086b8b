"""Settings shared by every environment. Values that vary come from `environment`."""

from pathlib import Path

import plotly as _plotly

from minsheng.config.settings import environment as env

PACKAGE_DIR = Path(__file__).resolve().parents[2]
DATA_DIR = env.data_dir()

DEBUG = env.flag("DEBUG", False)
SECRET_KEY = env.text("SECRET_KEY")
ALLOWED_HOSTS = env.listing("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env.listing("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "minsheng.core.apps.CoreConfig",
    "minsheng.casework.apps.CaseworkConfig",
    "minsheng.indicators.apps.IndicatorsConfig",
    "minsheng.plans.apps.PlansConfig",
    "minsheng.employment.apps.EmploymentConfig",
    "minsheng.assistance.apps.AssistanceConfig",
    "minsheng.health.apps.HealthConfig",
    "minsheng.safety.apps.SafetyConfig",
    "minsheng.primarycare.apps.PrimaryCareConfig",
    "minsheng.eldercare.apps.EldercareConfig",
    "minsheng.education.apps.EducationConfig",
    "minsheng.petitions.apps.PetitionsConfig",
    "minsheng.inspections.apps.InspectionsConfig",
    "minsheng.foodsafety.apps.FoodSafetyConfig",
    "minsheng.culture.apps.CultureConfig",
    "minsheng.portal.apps.PortalConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "minsheng.core.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "minsheng.core.middleware.IdleSessionMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "minsheng.core.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "minsheng.core.middleware.DomainErrorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "minsheng.config.urls"
WSGI_APPLICATION = "minsheng.config.wsgi.application"
ASGI_APPLICATION = "minsheng.config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "minsheng.core.context.navigation",
            ],
        },
    },
]

DATABASES = {"default": env.database(DATA_DIR / "minsheng.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "minsheng.core.passwords.CharacterKindsValidator", "OPTIONS": {"kinds": 3}},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Reverse proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated
# in MINSHENG_TRUSTED_PROXIES). Empty: the connection's address is the client's.
MINSHENG_TRUSTED_PROXIES = env.listing("MINSHENG_TRUSTED_PROXIES")
# The district's SMS gateway for one-time codes to residents' registered phones (a class
# with send(phone, text), see core/sms.py); the default prints the message on the console.
MINSHENG_SMS_GATEWAY = env.text("MINSHENG_SMS_GATEWAY", "minsheng.core.sms.ConsoleGateway")

# Lock an account+address pair after repeated failures (django-axes): another address can
# still log in as that user, so nobody can lock a colleague out from their own desk.
AXES_FAILURE_LIMIT = 8
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "minsheng.core.requestinfo.client_ip"
# Retrying during a lock-out does not start it again; the page says when to retry.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "minsheng.core.lockout.locked_out"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
# Serve static files straight from installed packages: nothing to collect, no CDN.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

# Shared by the web processes and workers on one machine without another service; point
# several machines to a shared backend (see docs/operations.md).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                      "LOCATION": str(DATA_DIR / "cache"), "TIMEOUT": 3600}}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600  # absolute lifetime of a staff session
# Minutes without a request after which a session ends (MLPS level 3); 0 turns it off.
MINSHENG_SESSION_IDLE_MINUTES = env.integer("MINSHENG_SESSION_IDLE_MINUTES", 30)
# Staff whose roles can reveal personal data or approve (core.access.needs_second_factor)
# confirm a TOTP code after the password (MLPS level 3: two factors). On by default; the
# test and demo settings turn it off (see docs/security.md).
MINSHENG_REQUIRE_SECOND_FACTOR = env.flag("MINSHENG_REQUIRE_SECOND_FACTOR", True)
OTP_TOTP_ISSUER = "minsheng"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # plotly writes inline style attributes when it draws
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

NINJA_PAGINATION_PER_PAGE = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_personal": {"()": "minsheng.core.logmasking.MaskPersonalData"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["mask_personal"]}},
    "root": {"handlers": ["console"], "level": env.text("LOG_LEVEL", "INFO")},
    "loggers": {"jieba": {"level": "WARNING"}, "axes": {"level": "WARNING"},
                # request lines of the development server, masked like everything else
                "django.server": {"handlers": ["console"], "level": "INFO",
                                  "propagate": False}},
}

# What districts may change: the national defaults live in each module's defaults.py.
# Shown in the page header; empty means "the name of the root area".
MINSHENG_DISTRICT_NAME = env.text("MINSHENG_DISTRICT_NAME", "")

# plotly's bundled JS, served from the installed package as /static/plotly/plotly.min.js
STATICFILES_DIRS = [("plotly", Path(_plotly.__file__).parent / "package_data")]
