import shutil

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Page, Revision

from learning.curriculum import CurriculumError, read
from learning.curriculum_pages import export_curriculum, import_curriculum
from learning.models import AcademyHomePage, ModulePage, PathPage
from tests.conftest import FIXTURE_CURRICULUM


@pytest.fixture
def curriculum(tmp_path):
    """A writable copy of the fixture curriculum."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURE_CURRICULUM, target)
    return target


def edit(path, old, new):
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def snapshot():
    return Page.objects.count(), Revision.objects.count(), sorted(Page.objects.values_list("title", flat=True))


def test_import_builds_the_page_tree(academy):
    home = AcademyHomePage.objects.get()
    assert home.get_site().root_page.specific == home
    assert [p.slug for p in PathPage.objects.order_by("order")] == ["starter", "payments-specialist"]
    module = ModulePage.objects.get(slug="payment-basics")
    assert module.get_parent().slug == "payments" and module.url == "/areas/payments/payment-basics/"
    assert [q["key"] for q in module.questions] == ["payment-basics-q1", "payment-basics-q2"]
    assert module.readings.count() == 1 and set(module.tags.names()) == {"payments", "payment"}
    steps = PathPage.objects.get(slug="starter").steps.order_by("sort_order")
    assert [(s.module.slug, s.stage, s.required) for s in steps] == [
        ("payment-basics", "First week", True), ("returns", "First week", True),
        ("consent", "First month", True), ("shipping", "First month", False),
    ]


def test_reimport_changes_nothing(academy):
    before = snapshot()
    report = import_curriculum(read(FIXTURE_CURRICULUM))
    assert report.created == report.updated == [] and len(report.unchanged) == 11
    assert snapshot() == before


def test_a_changed_file_updates_its_page_only(academy, curriculum):
    edit(curriculum / "modules/payments/chargebacks.md", "title: Chargebacks", "title: Chargebacks and disputes")
    report = import_curriculum(read(curriculum))
    assert report.updated == ["content/modules/payments/chargebacks.md"]
    assert ModulePage.objects.get(slug="chargebacks").title == "Chargebacks and disputes"


@pytest.mark.parametrize(
    "file, old, new, expected",
    [
        ("paths/starter.yaml", "- returns", "- retruns", "content/paths/starter.yaml:11: stages[0].modules[1]: unknown module slug 'retruns'"),
        ("modules/payments/chargebacks.md", "key: chargebacks-q2", "key: chargebacks-q1", "content/modules/payments/chargebacks.md:35: quiz[1].key: duplicate question key 'chargebacks-q1'"),
        ("modules/payments/chargebacks.md", "  - text: The right one\n    correct: true", "  - text: The right one\n    correct: false", "content/modules/payments/chargebacks.md:27: quiz[0].choices: no choice is marked correct"),
        ("modules/payments/chargebacks.md", "  - text: A wrong one", "  - text: A wrong one\n    correct: true", "content/modules/payments/chargebacks.md:27: quiz[0].choices: a single-answer question has exactly one correct choice, not 2"),
        ("modules/payments/chargebacks.md", "url: https://example.org/chargebacks", "url: javascript:alert(1)", "content/modules/payments/chargebacks.md:16: readings[0].url: must be an http(s) URL"),
        ("modules/payments/chargebacks.md", "summary: What a new hire", "sumary: What a new hire", "content/modules/payments/chargebacks.md:3: sumary: unknown field"),
        ("modules/payments/chargebacks.md", "minutes: 20\n", "", "content/modules/payments/chargebacks.md:2: minutes: missing required field"),
        ("areas/logistics.yaml", "title: Logistics", "title: [Logistics", "content/areas/logistics.yaml:2: yaml: malformed YAML"),
        ("modules/payments/chargebacks.md", ":::terms", ":::glossary", "content/modules/payments/chargebacks.md:67: body: unknown block ':::glossary'"),
        ("modules/payments/chargebacks.md", "level: beginner", "level: expert", "content/modules/payments/chargebacks.md:5: level: must be one of"),
    ],
)
def test_each_problem_names_file_line_field_and_reason(academy, curriculum, file, old, new, expected):
    edit(curriculum / file, old, new)
    with pytest.raises(CurriculumError) as caught:
        read(curriculum)
    messages = [str(problem) for problem in caught.value.problems]
    assert any(message.startswith(expected) for message in messages), messages


def test_duplicate_module_slug_across_areas_is_refused(academy, curriculum):
    shutil.copy(curriculum / "modules/payments/chargebacks.md", curriculum / "modules/law/chargebacks.md")
    with pytest.raises(CurriculumError, match="duplicate module slug 'chargebacks'"):
        read(curriculum)


def test_every_problem_is_reported_at_once(academy, curriculum):
    edit(curriculum / "paths/starter.yaml", "- returns", "- retruns")
    edit(curriculum / "modules/law/consent.md", "level: beginner", "level: expert")
    with pytest.raises(CurriculumError) as caught:
        read(curriculum)
    assert len(caught.value.problems) == 2


def test_a_broken_curriculum_imports_nothing(academy, curriculum):
    edit(curriculum / "modules/payments/chargebacks.md", "title: Chargebacks", "title: Chargebacks renamed")
    edit(curriculum / "paths/starter.yaml", "- returns", "- retruns")
    before = snapshot()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("load_curriculum", str(curriculum))
    assert snapshot() == before


def test_an_error_half_way_through_the_import_rolls_everything_back(academy, curriculum, monkeypatch):
    from learning import curriculum_pages

    edit(curriculum / "modules/payments/chargebacks.md", "title: Chargebacks", "title: Chargebacks renamed")
    edit(curriculum / "paths/starter.yaml", "title: Starter", "title: Starter renamed")
    original = curriculum_pages._fill_path

    def explode(source, modules):
        raise RuntimeError("disk gone")

    monkeypatch.setattr(curriculum_pages, "_fill_path", explode)
    before = snapshot()
    with pytest.raises(RuntimeError):
        import_curriculum(read(curriculum))
    monkeypatch.setattr(curriculum_pages, "_fill_path", original)
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
    module = ModulePage.objects.get(slug="returns")
    module.save_revision().publish()
    call_command("load_curriculum", str(FIXTURE_CURRICULUM))
    assert "kept (edited in the admin; --force overwrites): curriculum/modules/logistics/returns.md" in capsys.readouterr().out


def test_export_then_import_into_an_empty_database_gives_the_same_pages(academy, tmp_path):
    first = tmp_path / "first"
    export_curriculum(first)
    for source in FIXTURE_CURRICULUM.rglob("*.*"):  # the fixture files were written in the export format
        assert (first / source.relative_to(FIXTURE_CURRICULUM)).read_text() == source.read_text(), source

    for path in PathPage.objects.all():  # path steps protect their modules from deletion
        path.delete()
    AcademyHomePage.objects.get().delete()
    assert not ModulePage.objects.exists()
    import_curriculum(read(first))
    second = tmp_path / "second"
    export_curriculum(second)
    files = sorted(p.relative_to(first) for p in first.rglob("*.*"))
    assert files == sorted(p.relative_to(second) for p in second.rglob("*.*")) and len(files) == 11
    for name in files:
        assert (first / name).read_text() == (second / name).read_text(), name


def test_export_writes_back_an_edit_made_in_the_admin(academy, tmp_path):
    module = ModulePage.objects.get(slug="consent")
    module.summary = "Rewritten by an editor."
    module.save_revision().publish()
    export_curriculum(tmp_path)
    assert "summary: Rewritten by an editor." in (tmp_path / "modules/law/consent.md").read_text()


def test_markdown_cannot_inject_markup_or_script_links(academy, curriculum, client):
    edit(curriculum / "modules/law/consent.md", "Some **introductory** text",
         "<script>alert(1)</script> [click](javascript:alert(2)) Some **introductory** text")
    import_curriculum(read(curriculum))
    html = client.get("/areas/law/consent/").content.decode()
    assert "<script>alert(1)" not in html and "javascript:" not in html
    assert "&lt;script&gt;" in html
