"""load_curriculum is crash safe: an exception or a killed process at any page leaves the database as it was.

The import runs in one transaction (`import_curriculum`). These tests break it after the first, a
middle and the last page has been written (saved, published and its CurriculumSource recorded),
for a first import into a new site and for a re-import that changes a page, then compare every row
of every table with the snapshot taken before and run Wagtail's `fixtree`. They use real
transactions (transaction=True), not the savepoint of a test wrapped in one, so a rollback is the
database's own; the killed process runs the real command in a subprocess against the same database.
"""

import io
import os
import shutil
import signal
import subprocess
import sys
from urllib.parse import quote

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from wagtail.models import Locale, Page, Site

from learning.authoring import curriculum_pages
from learning.authoring.curriculum import read
from learning.authoring.curriculum_pages import import_curriculum
from learning.models import ModulePage, PathPage
from tests.conftest import FIXTURE_CURRICULUM, ROOT, restore_baseline

pytestmark = pytest.mark.django_db(transaction=True)

FIXTREE_CLEAN = (
    "Checking page tree for problems...\nNo problems found.\n\n"
    "Checking collection tree for problems...\nNo problems found.\n\n"
)


class Crash(Exception):
    """Stands for whatever can go wrong half way: a full disk, a lost connection, a bug."""


def snapshot():
    """Every row of every table, plus the page tree as (path, title, live) for readable failures."""
    tables = set(connection.introspection.table_names())
    rows, counts = {}, {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or model._meta.db_table not in tables:
            continue
        label = model._meta.label
        rows[label] = list(model.objects.order_by("pk").values())
        counts[label] = len(rows[label])
    pages = set(Page.objects.values_list("path", "title", "live"))
    return {"pages": pages, "counts": counts, "rows": rows}


def assert_unchanged(before):
    after = snapshot()
    assert after["pages"] == before["pages"]
    assert after["counts"] == before["counts"]
    for label, rows in before["rows"].items():
        assert after["rows"][label] == rows, label


def assert_fixtree_clean():
    out = io.StringIO()
    call_command("fixtree", "--noinput", stdout=out)
    assert out.getvalue() == FIXTREE_CLEAN


def start_new_site():
    """The database as `migrate` leaves it: Wagtail's root page and its "Welcome" page as the default site."""
    if not Page.objects.filter(depth=1).exists():  # a transactional test before this one flushed everything
        restore_baseline()
    for path in PathPage.objects.all():  # path steps protect their modules from deletion
        path.delete()
    for home in Page.objects.filter(depth=2):  # the academy, or the Welcome page of a fresh database
        home.delete()
    welcome = Page(title="Welcome to your new Wagtail site!", slug="home", locale=Locale.get_default())
    Page.get_first_root_node().add_child(instance=welcome)
    Site.objects.create(hostname="localhost", port=80, root_page=welcome, is_default_site=True)
    assert not ModulePage.objects.exists()


def upsert_order(folder):
    """The curriculum files in the order import_curriculum writes their pages (one _upsert each)."""
    curriculum = read(folder)
    return [*curriculum.areas, *curriculum.modules, *curriculum.paths]


def call_number(position, total):
    return {"first": 1, "middle": (total + 1) // 2, "last": total}[position]


@pytest.fixture
def revised(tmp_path):
    """A copy of the fixture curriculum with the title of the page written in the middle changed."""
    folder = tmp_path / "curriculum"
    shutil.copytree(FIXTURE_CURRICULUM, folder)
    sources = upsert_order(folder)
    source = sources[call_number("middle", len(sources)) - 1]
    file = tmp_path / source.file
    title = source.data["title"]
    text = file.read_text()
    assert f"title: {title}\n" in text
    file.write_text(text.replace(f"title: {title}\n", f"title: {title} (revised)\n", 1))
    return folder, f"{title} (revised)"


def crash_at(monkeypatch, n):
    """Let _upsert write page n completely, then raise. Returns what the transaction held then."""
    real, calls, seen = curriculum_pages._upsert, [], {}

    def upsert(*args, **kwargs):
        page = real(*args, **kwargs)
        calls.append(page.slug)
        if len(calls) == n:
            seen.update(pages=Page.objects.count(), titles=set(Page.objects.values_list("title", flat=True)))
            raise Crash(f"after writing page {n} ({page.slug})")
        return page

    monkeypatch.setattr(curriculum_pages, "_upsert", upsert)
    return seen


# One test per scenario, breaking it at each position in turn: every position starts from the same
# database, and a transactional test's flush costs seconds on PostgreSQL.
POSITIONS = ("first", "middle", "last")


def test_a_crash_at_any_page_of_the_first_import_leaves_the_new_site_untouched(monkeypatch):
    start_new_site()
    total = len(upsert_order(FIXTURE_CURRICULUM))
    before = snapshot()
    for position in POSITIONS:
        n = call_number(position, total)
        with monkeypatch.context() as patch:
            seen = crash_at(patch, n)
            with pytest.raises(Crash):
                import_curriculum(read(FIXTURE_CURRICULUM))
        # Inside the transaction: Wagtail's Welcome page deleted; the home page, both index pages and
        # n curriculum pages written.
        assert "Welcome to your new Wagtail site!" not in seen["titles"], position
        assert seen["pages"] == len(before["pages"]) - 1 + 3 + n, position
        assert_unchanged(before)
        assert_fixtree_clean()
        assert Site.objects.get(is_default_site=True).root_page.slug == "home"  # not repointed to the academy


def test_a_crash_at_any_page_of_a_reimport_keeps_the_previous_pages(academy, revised, monkeypatch):
    folder, new_title = revised
    total = len(upsert_order(folder))
    before = snapshot()
    for position in POSITIONS:
        with monkeypatch.context() as patch:
            seen = crash_at(patch, call_number(position, total))
            with pytest.raises(Crash):
                import_curriculum(read(folder))
        # From the middle page on, the transaction held the revised title when it broke.
        assert (new_title in seen["titles"]) == (position != "first"), position
        assert_unchanged(before)
        assert_fixtree_clean()
        assert not Page.objects.filter(title=new_title).exists()


# Run in a subprocess: load_curriculum as `manage.py` runs it, killed with SIGKILL (no cleanup, no
# rollback by Python) right after page N was written. Nothing in the production code knows about it.
KILLER = """
import os, signal, sys
sys.path[:0] = [{site!r}, {root!r}]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django
django.setup()
from django.core.management import call_command
from wagtail.models import Page
from learning.authoring import curriculum_pages

folder, kill_at, real, calls = sys.argv[1], int(sys.argv[2]), curriculum_pages._upsert, []

def upsert(*args, **kwargs):
    page = real(*args, **kwargs)
    calls.append(page.slug)
    if len(calls) == kill_at:
        titles = sorted(Page.objects.values_list("title", flat=True))
        print("killed after", page.slug, "with", len(titles), "pages:", "|".join(titles), flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
    return page

curriculum_pages._upsert = upsert
call_command("load_curriculum", folder)
print("finished without being killed", flush=True)
"""


def database_url():
    """The test database as DATABASE_URL, so the subprocess writes to the very database this test reads."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    assert connection.vendor == "postgresql", connection.vendor
    user, password = quote(db["USER"] or "", safe=""), quote(db["PASSWORD"] or "", safe="")
    return f"postgres://{user}:{password}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{quote(db['NAME'])}"


def run_killed(tmp_path, folder, n):
    script = tmp_path / "killer.py"
    script.write_text(KILLER.format(site=str(ROOT / "site"), root=str(ROOT)))
    env = {**os.environ, "DATABASE_URL": database_url(), "DEBUG": "1"}
    command = [sys.executable, str(script), str(folder), str(n)]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == -signal.SIGKILL, result.stdout + result.stderr
    line = result.stdout.strip().splitlines()[-1]
    assert line.startswith("killed after"), result.stdout + result.stderr
    return line


def test_a_killed_import_leaves_the_database_as_it_was(tmp_path, revised):
    start_new_site()
    total = len(upsert_order(FIXTURE_CURRICULUM))
    before = snapshot()
    line = run_killed(tmp_path, FIXTURE_CURRICULUM, call_number("middle", total))
    assert "Learning paths" in line  # the killed transaction had written the academy's pages
    assert_unchanged(before)
    assert_fixtree_clean()

    # Then a re-import that changes a page, killed after writing it.
    import_curriculum(read(FIXTURE_CURRICULUM))
    folder, new_title = revised
    before = snapshot()
    line = run_killed(tmp_path, folder, call_number("middle", total))
    assert new_title in line  # the killed transaction had written the revised page
    assert_unchanged(before)
    assert_fixtree_clean()
    assert not Page.objects.filter(title=new_title).exists()
