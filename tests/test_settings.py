"""Settings as production and development see them, each in a fresh process (settings are read once
per process) without the DJANGO_SETTINGS_MODULE pytest runs with: manage.py picks the module."""

import os
import shutil
import subprocess
import sys

from django.core.management import call_command

from tests.conftest import ROOT

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x7#kQ9v!mZ2@pL4$wR8^tY6&uI0*oP3(aS5)dF1_gH7+jK9-lZ",
    "ALLOWED_HOSTS": "academy.example.com",
    "HTTPS": "1",
    "BASE_URL": "https://academy.example.com",
}


def manage(*args, env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in (
            "DEBUG",
            "SECRET_KEY",
            "HTTPS",
            "ALLOWED_HOSTS",
            "BASE_URL",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
            "DJANGO_SETTINGS_MODULE",
        )
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
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


def test_production_refuses_to_start_without_a_base_url():
    # Mails carry absolute links; without BASE_URL they would point at a developer's laptop.
    result = manage("check", env={k: v for k, v in PRODUCTION.items() if k != "BASE_URL"})
    assert result.returncode != 0 and "BASE_URL must be set" in result.stderr


def test_production_links_mails_to_its_base_url():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.WAGTAILADMIN_BASE_URL)",
        env={**PRODUCTION, "BASE_URL": "https://academy.example.com/"},
    )
    assert result.stdout.strip().splitlines()[-1] == "https://academy.example.com", result.stderr


def test_production_settings_have_no_defaults_for_secrets_even_with_debug_on():
    # Naming the production module is enough: DEBUG=1 in the environment does not bring back the local key.
    env = {"DJANGO_SETTINGS_MODULE": "config.settings.production", "DEBUG": "1"}
    result = manage("check", env=env)
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr
    result = manage("shell", "-c", SHOW_DEBUG, env={**PRODUCTION, **env})
    assert result.stdout.strip().splitlines()[-1] == "config.settings.production False", result.stderr


SHOW_DEBUG = "from django.conf import settings; print(settings.SETTINGS_MODULE, settings.DEBUG)"


def test_debug_alone_starts_development_with_its_local_stand_ins():
    result = manage("shell", "-c", SHOW_DEBUG + "; print(settings.WAGTAILADMIN_BASE_URL)", env={"DEBUG": "1"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-2:] == ["config.settings.development True", "http://127.0.0.1:8000"]


def test_importing_the_settings_creates_nothing_on_disk(tmp_path):
    # A copy of site/ as in a fresh clone: its var/ would be created beside it.
    shutil.copytree(
        ROOT / "site" / "config", tmp_path / "site" / "config", ignore=shutil.ignore_patterns("__pycache__")
    )
    before = sorted(tmp_path.rglob("*"))
    script = (
        f"import sys; sys.path.insert(0, {str(tmp_path / 'site')!r}); import importlib; "
        "[importlib.import_module('config.settings.' + name) for name in ('development', 'production', 'test')]; "
        "print(sys.modules['config.settings.base'].BASE_DIR)"
    )
    result = subprocess.run(
        [sys.executable, "-B", "-c", script],
        cwd=tmp_path,
        env={**os.environ, **PRODUCTION},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(tmp_path)  # the copy's settings ran, not the repository's
    assert sorted(tmp_path.rglob("*")) == before


def test_make_run_links_mails_to_the_port_it_serves_on():
    result = subprocess.run(["make", "-n", "run", "PORT=8123"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    serve = next(line for line in result.stdout.splitlines() if "runserver" in line)
    assert "BASE_URL=${BASE_URL:-http://127.0.0.1:8123}" in serve and serve.endswith("runserver 127.0.0.1:8123")


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
