"""Production (DEBUG off): no defaults for secrets. Without a strong SECRET_KEY or a BASE_URL the
process refuses to start, before it serves a request or runs a command."""

from django.core.exceptions import ImproperlyConfigured

from config.settings.base import *  # noqa: F403
from config.settings.base import BASE_URL, SECRET_KEY, STORAGES

DEBUG = False

if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (50+ random characters).")
if SECRET_KEY.startswith("django-insecure") or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured("SECRET_KEY is too weak for production: use 50+ random characters.")

# Mails carry absolute links; without BASE_URL they would point at a developer's laptop.
if not BASE_URL:
    raise ImproperlyConfigured("BASE_URL must be set when DEBUG is off (e.g. https://academy.example.com).")
WAGTAILADMIN_BASE_URL = BASE_URL

# Hashed, compressed names, served by whitenoise from STATIC_ROOT (needs collectstatic).
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
