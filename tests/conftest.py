import os
from pathlib import Path

import pytest

# Playwright's sync API leaves its event loop marked as running between calls; without this Django
# refuses ORM calls from the test thread. Must be set before the test database is created.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_CURRICULUM = ROOT / "tests" / "fixtures" / "curriculum"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"


# Fixtures that open the test database (`academy`, `make_user` and the like depend on `db`, and
# item.fixturenames holds every fixture a test needs, directly or through others).
DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
}


def pytest_collection_modifyitems(items):
    """Mark `nodb` the tests that never touch the database (grading, parsing, settings in subprocesses...):
    the PostgreSQL pass of `make test` leaves them out, since they cannot tell the databases apart."""
    for item in items:
        if item.get_closest_marker("django_db") is None and not DATABASE_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.nodb)


def load_fixture_curriculum():
    from learning.authoring.curriculum import read
    from learning.authoring.curriculum_pages import import_curriculum

    return import_curriculum(read(FIXTURE_CURRICULUM))


def restore_baseline():
    """What the migrations create (locales, root page and collection, Editors group), after a
    transactional test's flush removed it."""
    import importlib

    from django.apps import apps
    from wagtail.models import Collection, Locale, Page

    for code in ("en", "de", "pl"):
        Locale.objects.get_or_create(language_code=code)
    Page.add_root(instance=Page(title="Root", slug="root", locale=Locale.get_default()))
    Collection.add_root(name="Root")
    importlib.import_module("learning.migrations.0003_locales_and_editors").forwards(apps, None)
    importlib.import_module("learning.migrations.0006_lead_editors_workflow").forwards(apps, None)
    importlib.import_module("learning.migrations.0008_editors_submit_lead_editors_publish").forwards(apps, None)
    importlib.import_module("learning.migrations.0009_editors_translate_pages").forwards(apps, None)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The small fixture curriculum, imported once; each test runs in a transaction on top of it."""
    with django_db_blocker.unblock():
        load_fixture_curriculum()


@pytest.fixture
def academy(db):
    """The fixture curriculum's English pages by slug (re-imported after a transactional test flushed
    them); the German translations (tests/fixtures/curriculum/locales/de/) share their slugs."""
    from wagtail.models import Locale, Page, Site

    from learning.models import AcademyHomePage

    if not Page.objects.filter(depth=1).exists():
        restore_baseline()
    if not AcademyHomePage.objects.exists():
        load_fixture_curriculum()
    english = Page.objects.filter(depth__gte=2, locale=Locale.get_default())
    Site.objects.filter(is_default_site=True).update(root_page=english.type(AcademyHomePage).get())
    return {page.slug: page.specific for page in english}


@pytest.fixture
def make_user(db):
    from django.contrib.auth import get_user_model

    def make(username="lena", **fields):
        user = get_user_model().objects.create_user(username=username, password="a-long-test-password", **fields)
        return user

    return make


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Debian's Chromium is needed at {CHROMIUM} (make browser-deps installs it)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def axe():
    """Run axe-core (from npm) in a page; returns the serious and critical violations."""
    if not AXE_JS.exists():
        pytest.fail("axe-core is missing: run `npm ci --ignore-scripts` (make browser-deps does)")

    source = AXE_JS.read_text(encoding="utf-8")

    def run(page):
        # Evaluated through the DevTools protocol: an injected <script> would (rightly) be refused
        # by the site's Content-Security-Policy.
        page.evaluate(source)
        result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
        return [
            (v["id"], v["impact"], [node["target"] for node in v["nodes"]][:3])
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]

    return run


@pytest.fixture(autouse=True)
def no_content_security_policy_violations(request):
    """Browser tests fail when a page breaks the Content-Security-Policy (say, an inline script)."""
    if request.node.get_closest_marker("browser") is None:
        yield
        return
    page = request.getfixturevalue("page")
    violations = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    yield
    assert violations == [], violations


@pytest.fixture(autouse=True)
def default_language():
    """LocaleMiddleware activates each request's language in the thread and leaves it there; in a test
    process the next test's reverse() and rendering would follow the last request's /pl/ or /de/."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def fresh_site_root_paths():
    """Wagtail caches each site's home page per language, and learning.operations.sites the site per host;
    both are dropped after a commit, which a test rolled back never makes: neither may outlive the test."""
    from wagtail.models import Site

    from learning.operations import sites

    Site.clear_site_root_paths_cache()
    sites.forget()
    yield
    Site.clear_site_root_paths_cache()
    sites.forget()
