"""Settings modules; DJANGO_SETTINGS_MODULE names one of them:

- base: everything read from the environment (the README's table), shared by the three below;
- development: DEBUG on, a development-only key and localhost defaults, so `DEBUG=1` needs nothing else;
- production: DEBUG off; refuses to start without a strong SECRET_KEY and a BASE_URL;
- test: pytest's (pyproject.toml): a fixed key, a fast password hasher, no page cache.

manage.py and config.wsgi fall back to development when DEBUG=1 and to production otherwise, so
`DEBUG=1` (make run) and a production environment (DEBUG=0 and its secrets) need not name a module.
Importing any of them reads the environment only: nothing is created on disk.
"""

import os


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def default_module():
    """The module for manage.py and the WSGI server when DJANGO_SETTINGS_MODULE is not set."""
    return "config.settings.development" if env_bool("DEBUG") else "config.settings.production"
