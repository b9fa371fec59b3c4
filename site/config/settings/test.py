"""pytest's settings (pyproject.toml): fixed local values whatever the developer's shell exports,
and the shortcuts that keep the suite fast. Production's refusals are tested in subprocesses
(tests/test_settings.py)."""

import tempfile
from pathlib import Path

from config.settings.base import *  # noqa: F403
from config.settings.base import CACHES, DATABASES

DEBUG = False
SECRET_KEY = "django-insecure-test-only-key-never-use-in-production-0123456789abcdef"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
BASE_URL = WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"

# Hashing every test user's password with PBKDF2 would dominate the suite's run time.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# No page cache, so a page changed in a test's database without publishing shows at once;
# tests/operations/test_page_cache.py and test_learner_cache.py turn them on.
CACHES = {**CACHES, "pages": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
ACADEMY_LEARNER_PAGE_CACHE = False

# Sessions in the database even when REDIS_URL is set (make test's PostgreSQL pass), so the query counts
# the tests pin (which list the session read) are the same in both passes.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Background jobs run at once, in the test (tests/operations/test_background_tasks.py runs the real queue).
TASKS = {alias: {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"} for alias in ("default", "background")}

# Static files come from the sources, as in development: nothing is collected into STATIC_ROOT.
WHITENOISE_AUTOREFRESH = WHITENOISE_USE_FINDERS = True

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so the race tests' threads share it; one per process, so two runs never collide.
    # In the temp folder, which exists, so a fresh clone needs no var/.
    test_name = Path(tempfile.gettempdir()) / f"test_academy_{os.getpid()}.sqlite3"  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(test_name)}
