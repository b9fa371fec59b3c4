"""WSGI entry point: `gunicorn --pythonpath site config.wsgi` (production's settings unless DEBUG=1
or DJANGO_SETTINGS_MODULE says otherwise)."""

import os

from django.core.wsgi import get_wsgi_application

from config.settings import default_module

os.environ.setdefault("DJANGO_SETTINGS_MODULE", default_module())
application = get_wsgi_application()
