"""Development (`make run`, or DEBUG=1): nothing to configure; every secret has a local stand-in."""

from config.settings.base import *  # noqa: F403
from config.settings.base import ALLOWED_HOSTS, BASE_URL, SECRET_KEY

DEBUG = True
# Known to everyone: production.py refuses it (and any key starting with "django-insecure").
SECRET_KEY = SECRET_KEY or "django-insecure-development-only-key-never-use-in-production-0123456789"
ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost"]
BASE_URL = BASE_URL or "http://127.0.0.1:8000"
WAGTAILADMIN_BASE_URL = BASE_URL
