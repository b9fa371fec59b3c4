"""The peer's settings for the benchmark, loaded by `wagtail start`'s own hook (production.py ends with
`from .local import *`), so the project stays as generated: DEBUG off, SQLite, the template's
middleware. bench/peer.py copies this file to <project>/peersite/settings/local.py."""

import os

SECRET_KEY = os.environ["PEER_SECRET_KEY"]  # the same in the process that makes the session and in gunicorn
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["PEER_DATABASE"]}}
