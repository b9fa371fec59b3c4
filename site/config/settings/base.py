"""What every settings module shares, read from the environment (see the README's table).

Defaults here are the safe ones: DEBUG off, no secret key, no hosts, no BASE_URL. development.py and
test.py fill in local values; production.py refuses to start without the real ones.
"""

import hashlib
import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.settings import env_bool, env_list

SITE_DIR = Path(__file__).resolve().parent.parent.parent
BASE_DIR = SITE_DIR.parent

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
# Former keys still accepted while SECRET_KEY changes (sessions, reset links, the sealed badge signing key:
# learning/interop/keys.py; `manage.py badge_keys reseal` moves it to the new key).
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "learning",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.redirects",
    "wagtail.locales",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",  # the "background" task queue's table (README "Running at scale")
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "learning.operations.sites.KnownSiteMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "learning.accounts.middleware.SiteLoginRequiredMiddleware",
    # After LocaleMiddleware and sign-in, before the page cache: unprefixed URLs follow the reader's language.
    "learning.accounts.middleware.PreferredLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "axes.middleware.AxesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "learning.operations.learner_cache.LearnerPageCacheMiddleware",
    "learning.operations.page_cache.AnonymousPageCacheMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "learning.User"
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "my_learning"  # without ?next=, sign-in lands where the learner continues
LOGOUT_REDIRECT_URL = "/"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# SQLite by default (WAL, so readers never wait for a writer; IMMEDIATE transactions, so two
# writers queue on the lock instead of failing with "database is locked" on upgrade).
# `make setup` creates var/ for the default file.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'academy.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Caches. "pages": rendered module text (keyed by the page's published version), whole pages for anonymous
# visitors (learning/operations/page_cache.py) and the learner-state caches; "default": Wagtail's caches
# (site root paths) and the sessions' cache. With REDIS_URL both live in Redis, shared by every worker on
# every host; without it each worker keeps them in its memory (one host). The key prefix keeps deployments
# that share one Redis apart: CACHE_KEY_PREFIX, else one derived from the database (never shared by two).
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
CACHE_KEY_PREFIX = (
    os.environ.get("CACHE_KEY_PREFIX")
    or "academy-" + hashlib.sha256("{HOST}:{PORT}/{NAME}".format(**DATABASES["default"]).encode()).hexdigest()[:12]
)
if REDIS_URL:
    CACHES = {
        alias: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"{CACHE_KEY_PREFIX}:{alias}",
        }
        for alias in ("default", "pages")
    }
    # Sessions stay in the database (they survive a Redis restart or eviction); Redis saves the
    # session read on every signed-in request.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 2000}},
    }
# Without Redis, a worker learns that a site's home pages changed (a translated tree, say) from this file,
# touched after the change commits, so no worker serves a stale copy of Wagtail's site root paths
# (learning/operations/site_roots.py). With Redis the one shared copy is cleared instead.
ACADEMY_SITE_ROOTS_STAMP = None if REDIS_URL else BASE_DIR / "var" / "site-roots.changed"

# Background work (README "Running at scale"): the academy's jobs (reminders, and later xAPI statements)
# go to the "background" queue, a table in the database that `manage.py db_worker --backend background`
# on any host works through, each job claimed by one worker (SELECT ... FOR UPDATE SKIP LOCKED).
# Wagtail's own small jobs (reference index, file deletion) stay on "default", run in the request.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "background": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
}
ACADEMY_PAGE_CACHE_SECONDS = int(os.environ.get("ACADEMY_PAGE_CACHE_SECONDS", "300"))
# Signed-in learners' pages, per learner, keyed on their state version (learning/operations/learner_cache.py).
ACADEMY_LEARNER_PAGE_CACHE = os.environ.get("ACADEMY_LEARNER_PAGE_CACHE", "1") != "0"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: the UI and the content (Wagtail i18n) share en, de, pl.
LANGUAGE_CODE = "en"
LANGUAGES = WAGTAIL_CONTENT_LANGUAGES = [("en", _("English")), ("de", _("German")), ("pl", _("Polish"))]
WAGTAIL_I18N_ENABLED = True
USE_I18N = True
# Dates as each language writes them (DATE_FORMAT and friends per language): site/config/formats/.
FORMAT_MODULE_PATH = ["config.formats"]
USE_TZ = True
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Berlin")
LOCALE_PATHS = [BASE_DIR / "learning" / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"  # written by collectstatic (production serves it)
STATICFILES_DIRS = [SITE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Development and tests serve the sources; production.py uses hashed, compressed names.
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# E-mail: console by default; EMAIL_URL=smtp://user:password@host:587?tls=1 for a real server.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "E-Commerce Academy <academy@localhost>")
EMAIL_URL = os.environ.get("EMAIL_URL", "")
if EMAIL_URL:
    _email = urlsplit(EMAIL_URL)
    _query = parse_qs(_email.query)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _email.hostname or "localhost"
    EMAIL_PORT = _email.port or 25
    EMAIL_HOST_USER = unquote(_email.username or "")
    EMAIL_HOST_PASSWORD = unquote(_email.password or "")
    EMAIL_USE_TLS = _query.get("tls", ["0"])[0] == "1"
    EMAIL_USE_SSL = _email.scheme == "smtps"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Security. HTTPS=1 in production (behind a TLS proxy that sets X-Forwarded-Proto).
HTTPS = env_bool("HTTPS")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No inline script on the site (its little JS is in static files); inline style attributes are
# allowed because progress bars set widths with them. Wagtail's admin runs inline scripts of its
# own, so it is left out of the policy rather than weakening the site's.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "frame-ancestors": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# Wagtail
WAGTAIL_SITE_NAME = "E-Commerce Academy"
# Where the site is reached, for absolute links in mails (invitations, reminders, digests) and
# admin notifications. `make run` passes the port it serves on; production must say it, like the key.
# Each settings module sets WAGTAILADMIN_BASE_URL = BASE_URL once it has its final value.
BASE_URL = os.environ.get("BASE_URL", "").strip().rstrip("/")
# xAPI (README "Learning records (xAPI)"): the LRS's endpoint (statements go to XAPI_ENDPOINT + "statements"),
# its basic-auth credentials, and how learners are named there: "account" (an opaque id on BASE_URL) or "mbox".
# Unset XAPI_ENDPOINT: no statement is written or sent.
XAPI_ENDPOINT = os.environ.get("XAPI_ENDPOINT", "").strip()
XAPI_USERNAME = os.environ.get("XAPI_USERNAME", "")
XAPI_PASSWORD = os.environ.get("XAPI_PASSWORD", "")
XAPI_ACTOR = os.environ.get("XAPI_ACTOR", "account").strip() or "account"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx"]
WAGTAIL_ENABLE_UPDATE_CHECK = False  # no call to the outside at run time
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # nor to Gravatar for admin avatars
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Login throttling: 5 failures for one username from one address lock that pair for 15 minutes,
# with the same answer whether the account exists or not.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Behind PROXY_COUNT proxies the client's address comes from X-Forwarded-For
# (learning.accounts.services.client_address), so clients behind one proxy are throttled apart
# rather than locking each other out.
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "learning.accounts.services.client_address"

# The academy
ACADEMY_REQUIRE_LOGIN = env_bool("ACADEMY_REQUIRE_LOGIN")
ACADEMY_SELF_SIGNUP = env_bool("ACADEMY_SELF_SIGNUP")
# Modules whose last review is older than this many months show in the content health report.
ACADEMY_REVIEW_MONTHS = int(os.environ.get("ACADEMY_REVIEW_MONTHS", "12"))
# What managers see of their team: "completion" (default) or "scores" (completion and quiz scores).
ACADEMY_MANAGER_SEES = os.environ.get("ACADEMY_MANAGER_SEES", "completion")
if ACADEMY_MANAGER_SEES not in ("completion", "scores"):
    raise ImproperlyConfigured("ACADEMY_MANAGER_SEES must be 'completion' or 'scores'.")
ACADEMY_CONTENT_DIR = Path(os.environ.get("ACADEMY_CONTENT_DIR", BASE_DIR / "content"))
# Testing out of a module (its quiz before studying it) completes it at this percentage or more.
ACADEMY_TEST_OUT_MARK = int(os.environ.get("ACADEMY_TEST_OUT_MARK", "90"))
if not 0 < ACADEMY_TEST_OUT_MARK <= 100:
    raise ImproperlyConfigured("ACADEMY_TEST_OUT_MARK must be a percentage from 1 to 100.")
# The reading-link checker refuses loopback, private, link-local and other non-public addresses
# (editors choose the URLs); on, it checks them too (an intranet academy, the tests' local server).
ACADEMY_LINKCHECK_ALLOW_PRIVATE = env_bool("ACADEMY_LINKCHECK_ALLOW_PRIVATE")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
