"""The Django setup that is the same on every machine (apps, middleware, templates, i18n), part
of config.settings (which imports every name here). Whatever an environment decides is read in
config/settings.py and config/limits.py."""

from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

INSTALLED_APPS = [
    "planpal.core.adminsite.PlanPalAdminConfig",  # django.contrib.admin, login rate-limited
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework_simplejwt",
    "rest_framework_simplejwt.token_blacklist",  # refresh tokens are revocable (issue 13 #6)
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served by us (no CDN, CSP 'self')
    "csp",
    "channels",
    "planpal.core",
    "planpal.realtime",
    "planpal.accounts",
    "planpal.groups",
    "planpal.plans",
    "planpal.chat",
    "planpal.notifications",
    "planpal.webhooks",
    "planpal.files",
    "planpal.polls",
    "planpal.money",
    "planpal.checklists",
    "planpal.ops",
    "planpal.calendars",
    "planpal.places",
    "planpal.web",
]

MIDDLEWARE = [
    "planpal.core.middleware.ObservabilityMiddleware",
    "planpal.core.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Accept-Language, else English; a signed-in user's profile language wins (planpal.core.i18n)
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "planpal.core.i18n.ProfileLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"
AUTH_USER_MODEL = "accounts.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "planpal" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# The languages of every text the server writes (docs/i18n.md); catalogues in planpal/locale.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("vi", "Tiếng Việt")]
LOCALE_PATHS = [BASE_DIR / "planpal" / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
