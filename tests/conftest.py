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
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def load_fixture_curriculum():
    from learning.curriculum import read
    from learning.curriculum_pages import import_curriculum

    return import_curriculum(read(FIXTURE_CURRICULUM))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The small fixture curriculum, imported once; each test runs in a transaction on top of it."""
    with django_db_blocker.unblock():
        load_fixture_curriculum()


@pytest.fixture
def academy(db):
    """The fixture curriculum's pages by slug (re-imported after a transactional test flushed them)."""
    from wagtail.models import Page

    from learning.models import AcademyHomePage

    if not AcademyHomePage.objects.exists():
        load_fixture_curriculum()
    return {page.slug: page.specific for page in Page.objects.filter(depth__gte=2)}


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

    def run(page):
        page.add_script_tag(path=str(AXE_JS))
        result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
        return [
            (v["id"], v["impact"], [node["target"] for node in v["nodes"]][:3])
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]

    return run
