"""Importing a curriculum: the page tree, re-imports, rollback, admin edits kept, limits, export round trip."""

import pytest
from django.core.management import CommandError, call_command

from learning.authoring.curriculum import read
from learning.authoring.curriculum_pages import export_curriculum, import_curriculum
from learning.models import AcademyHomePage, AreaPage, ModulePage, PathPage
from tests.authoring.helpers import CHARGEBACKS, edit, snapshot
from tests.conftest import FIXTURE_CURRICULUM


def test_import_builds_the_page_tree(academy):
    home = AcademyHomePage.objects.get(locale__language_code="en")
    assert home.get_site().root_page.specific == home
    english = PathPage.objects.filter(locale__language_code="en")
    assert [p.slug for p in english.order_by("order")] == ["starter", "payments-specialist"]
    module = ModulePage.objects.get(slug="payment-basics")
    assert module.get_parent().slug == "payments" and module.url == "/areas/payments/payment-basics/"
    assert [q["key"] for q in module.questions] == ["payment-basics-q1", "payment-basics-q2"]
    assert module.readings.count() == 1 and set(module.tags.names()) == {"payments", "payment"}
    steps = english.get(slug="starter").steps.order_by("sort_order")
    assert [(s.module.slug, s.stage, s.required) for s in steps] == [
        ("payment-basics", "First week", True),
        ("returns", "First week", True),
        ("consent", "First month", True),
        ("shipping", "First month", False),
    ]


def test_reimport_changes_nothing(academy):
    before = snapshot()
    report = import_curriculum(read(FIXTURE_CURRICULUM))
    # The 11 English files, and the German home, area, module and path.
    assert report.created == report.updated == [] and len(report.unchanged) == 11 + 4
    assert snapshot() == before


def test_a_changed_file_updates_its_page_only(academy, curriculum):
    edit(curriculum / "modules/payments/chargebacks.md", "title: Chargebacks", "title: Chargebacks and disputes")
    report = import_curriculum(read(curriculum))
    assert report.updated == ["content/modules/payments/chargebacks.md"]
    assert ModulePage.objects.get(slug="chargebacks").title == "Chargebacks and disputes"


def test_a_broken_curriculum_imports_nothing(academy, curriculum):
    edit(curriculum / "modules/payments/chargebacks.md", "title: Chargebacks", "title: Chargebacks renamed")
    edit(curriculum / "paths/starter.yaml", "- returns", "- retruns")
    before = snapshot()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("load_curriculum", str(curriculum))
    assert snapshot() == before


def test_an_error_half_way_through_the_import_rolls_everything_back(academy, curriculum, monkeypatch):
    from learning.authoring import curriculum_pages

    edit(curriculum / "modules/payments/chargebacks.md", "title: Chargebacks", "title: Chargebacks renamed")
    edit(curriculum / "paths/starter.yaml", "title: Starter", "title: Starter renamed")
    original = curriculum_pages.fill_path

    def explode(source, modules):
        raise RuntimeError("disk gone")

    monkeypatch.setattr(curriculum_pages, "fill_path", explode)
    before = snapshot()
    with pytest.raises(RuntimeError):
        import_curriculum(read(curriculum))
    monkeypatch.setattr(curriculum_pages, "fill_path", original)
    assert snapshot() == before
    assert ModulePage.objects.get(slug="chargebacks").title == "Chargebacks"


def test_an_admin_edit_is_kept_unless_forced(academy, curriculum):
    module = ModulePage.objects.get(slug="chargebacks")
    module.title = "Chargebacks (edited in the admin)"
    module.save_revision().publish()
    edit(curriculum / "modules/payments/chargebacks.md", "minutes: 20", "minutes: 25")

    report = import_curriculum(read(curriculum))
    assert report.skipped == ["content/modules/payments/chargebacks.md"]
    module.refresh_from_db()
    assert module.title == "Chargebacks (edited in the admin)" and module.minutes == 20

    report = import_curriculum(read(curriculum), force=True)
    assert "content/modules/payments/chargebacks.md" in report.updated
    module.refresh_from_db()
    assert module.title == "Chargebacks" and module.minutes == 25


def test_the_command_says_which_pages_it_kept(academy, capsys):
    module = ModulePage.objects.get(slug="returns", locale__language_code="en")
    module.save_revision().publish()
    call_command("load_curriculum", str(FIXTURE_CURRICULUM))
    assert (
        "kept (edited in the admin; --force overwrites): curriculum/modules/logistics/returns.md"
        in capsys.readouterr().out
    )


def test_a_module_unpublished_in_the_admin_stays_unpublished_unless_forced(academy, curriculum, capsys):
    """Unpublishing writes no revision: the importer took the page for unedited and published it again."""
    module = ModulePage.objects.get(slug="chargebacks")
    module.unpublish()
    edit(curriculum / "modules/payments/chargebacks.md", "minutes: 20", "minutes: 25")

    call_command("load_curriculum", str(curriculum))
    module.refresh_from_db()
    assert not module.live and module.minutes == 20
    assert f"kept (unpublished in the admin; --force republishes): {CHARGEBACKS}" in capsys.readouterr().out

    call_command("load_curriculum", str(curriculum), "--force")
    module.refresh_from_db()
    assert module.live and module.minutes == 25


def test_a_module_moved_in_the_admin_is_kept_where_the_editor_put_it(academy, curriculum, make_user):
    """A move writes no revision either, only a page-log entry."""
    module = ModulePage.objects.get(slug="chargebacks")
    module.move(AreaPage.objects.get(slug="law"), pos="last-child", user=make_user("editor", is_superuser=True))
    edit(curriculum / "modules/payments/chargebacks.md", "minutes: 20", "minutes: 25")

    report = import_curriculum(read(curriculum))
    module = ModulePage.objects.get(slug="chargebacks")
    assert report.skipped == [CHARGEBACKS] and report.unpublished == []
    assert module.get_parent().slug == "law" and module.minutes == 20 and module.live


def test_the_importers_own_log_entries_do_not_count_as_admin_edits(academy, curriculum):
    """Publishing a renamed page logs a rename and a publish: the next import still updates the page."""
    for title in ("Chargebacks renamed", "Chargebacks renamed again"):
        edit(curriculum / "modules/payments/chargebacks.md", "title: Chargebacks", f"title: {title}")
        report = import_curriculum(read(curriculum))
        assert report.updated == [CHARGEBACKS] and report.skipped == []
        assert ModulePage.objects.get(slug="chargebacks").title == title
        edit(curriculum / "modules/payments/chargebacks.md", f"title: {title}", "title: Chargebacks")


def test_a_module_at_its_limits_is_imported(academy, curriculum):
    path = curriculum / "modules/payments/chargebacks.md"
    front = path.read_text().split("\n---\n")[0]
    path.write_text(
        front.replace("summary: What a new hire needs to know about chargebacks.", "summary: " + "s" * 1_000)
        + "\n---\n"
        + "x" * 200_000
    )
    report = import_curriculum(read(curriculum))
    assert report.updated == [CHARGEBACKS]
    assert len(ModulePage.objects.get(slug="chargebacks").summary) == 1_000


def test_a_curriculum_over_a_limit_imports_nothing(academy, curriculum, capsys):
    edit(curriculum / "modules/payments/chargebacks.md", "title: Chargebacks", "title: Chargebacks renamed")
    edit(
        curriculum / "modules/law/consent.md",
        "prompt: Which statement about consent and cookies is right?",
        "prompt: " + "p" * 2_001,
    )
    before = snapshot()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("load_curriculum", str(curriculum))
    err = capsys.readouterr().err
    assert "content/modules/law/consent.md:25: quiz[0].prompt: must be at most 2,000 characters, not 2,001" in err
    assert snapshot() == before


def test_export_then_import_into_an_empty_database_gives_the_same_pages(academy, tmp_path):
    first = tmp_path / "first"
    export_curriculum(first)
    for source in FIXTURE_CURRICULUM.rglob("*.*"):  # the fixture files were written in the export format
        assert (first / source.relative_to(FIXTURE_CURRICULUM)).read_text() == source.read_text(), source

    for path in PathPage.objects.all():  # path steps protect their modules from deletion
        path.delete()
    for home in AcademyHomePage.objects.all():  # the English one and its German translation
        home.delete()
    assert not ModulePage.objects.exists()
    import_curriculum(read(first))
    second = tmp_path / "second"
    export_curriculum(second)
    files = sorted(p.relative_to(first) for p in first.rglob("*.*"))
    assert files == sorted(p.relative_to(second) for p in second.rglob("*.*")) and len(files) == 11 + 4
    for name in files:
        assert (first / name).read_text() == (second / name).read_text(), name


def test_export_writes_back_an_edit_made_in_the_admin(academy, tmp_path):
    module = ModulePage.objects.get(slug="consent")
    module.summary = "Rewritten by an editor."
    module.save_revision().publish()
    export_curriculum(tmp_path)
    assert "summary: Rewritten by an editor." in (tmp_path / "modules/law/consent.md").read_text()


def test_markdown_cannot_inject_markup_or_script_links(academy, curriculum, client):
    edit(
        curriculum / "modules/law/consent.md",
        "Some **introductory** text",
        "<script>alert(1)</script> [click](javascript:alert(2)) Some **introductory** text",
    )
    import_curriculum(read(curriculum))
    html = client.get("/areas/law/consent/").content.decode()
    assert "<script>alert(1)" not in html and "javascript:" not in html
    assert "&lt;script&gt;" in html
