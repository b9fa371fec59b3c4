"""Settings as production sees them, each in a fresh process (settings are read once per process)."""
import os
import subprocess
import sys

from django.core.management import call_command

from tests.conftest import ROOT

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x7#kQ9v!mZ2@pL4$wR8^tY6&uI0*oP3(aS5)dF1_gH7+jK9-lZ",
    "ALLOWED_HOSTS": "academy.example.com",
    "HTTPS": "1",
}


def manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "HTTPS", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=120
    )


def test_production_settings_pass_check_deploy_without_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION, "SECRET_KEY": ""}
    result = manage("check", env=env)
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


def test_production_refuses_a_weak_secret_key():
    result = manage("check", env={**PRODUCTION, "SECRET_KEY": "django-insecure-changeme"})
    assert result.returncode != 0 and "too weak" in result.stderr


def test_models_and_migrations_agree(db):
    call_command("makemigrations", "learning", "--check", "--dry-run", verbosity=0)


def test_sqlite_runs_in_wal_mode(db, settings):
    from django.db import connection

    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"


def test_content_locales_exist_from_the_migrations(db):
    from wagtail.models import Locale

    assert set(Locale.objects.values_list("language_code", flat=True)) >= {"en", "de", "pl"}
