import shutil
import tracemalloc

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Page, Revision

from learning.authoring.curriculum import CurriculumError, read
from learning.authoring.curriculum_pages import export_curriculum, import_curriculum
from learning.models import AcademyHomePage, AreaPage, ModulePage, PathPage
from tests.conftest import FIXTURE_CURRICULUM

CHARGEBACKS = "content/modules/payments/chargebacks.md"


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


@pytest.mark.parametrize(
    "file, old, new, expected",
    [
        (
            "paths/starter.yaml",
            "- returns",
            "- retruns",
            "content/paths/starter.yaml:11: stages[0].modules[1]: unknown module slug 'retruns'",
        ),
        (
            "modules/payments/chargebacks.md",
            "key: chargebacks-q2",
            "key: chargebacks-q1",
            "content/modules/payments/chargebacks.md:35: quiz[1].key: duplicate question key 'chargebacks-q1'",
        ),
        (
            "modules/payments/chargebacks.md",
            "  - text: The right one\n    correct: true",
            "  - text: The right one\n    correct: false",
            "content/modules/payments/chargebacks.md:27: quiz[0].choices: no choice is marked correct",
        ),
        (
            "modules/payments/chargebacks.md",
            "  - text: A wrong one",
            "  - text: A wrong one\n    correct: true",
            "content/modules/payments/chargebacks.md:27: quiz[0].choices: "
            "a single-answer question has exactly one correct choice, not 2",
        ),
        (
            "modules/payments/chargebacks.md",
            "url: https://example.org/chargebacks",
            "url: javascript:alert(1)",
            "content/modules/payments/chargebacks.md:16: readings[0].url: must be an http(s) URL",
        ),
        (
            "modules/payments/chargebacks.md",
            "summary: What a new hire",
            "sumary: What a new hire",
            "content/modules/payments/chargebacks.md:3: sumary: unknown field",
        ),
        (
            "modules/payments/chargebacks.md",
            "minutes: 20\n",
            "",
            "content/modules/payments/chargebacks.md:2: minutes: missing required field",
        ),
        (
            "areas/logistics.yaml",
            "title: Logistics",
            "title: [Logistics",
            "content/areas/logistics.yaml:2: yaml: malformed YAML",
        ),
        (
            "modules/payments/chargebacks.md",
            ":::terms",
            ":::glossary",
            "content/modules/payments/chargebacks.md:67: body: unknown block ':::glossary'",
        ),
        (
            "modules/payments/chargebacks.md",
            "level: beginner",
            "level: expert",
            "content/modules/payments/chargebacks.md:5: level: must be one of",
        ),
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


def peak_memory(action):
    """The most memory Python held at once while `action()` ran, and what it returned or raised."""
    tracemalloc.start()
    try:
        try:
            outcome = action()
        except CurriculumError as error:
            outcome = error
        return tracemalloc.get_traced_memory()[1], outcome
    finally:
        tracemalloc.stop()


def test_a_file_over_the_size_limit_is_refused_without_being_read(curriculum):
    """A 50 MB module took 41 s and 1.4 GB to import. Now its size is checked before its bytes are read."""
    without, _ = peak_memory(lambda: read(curriculum))
    front = (curriculum / "modules/payments/chargebacks.md").read_text().replace("chargebacks-q", "huge-q")
    huge = curriculum / "modules/payments/huge.md"
    huge.write_text(front + "x" * (2_000_000 - len(front.encode())))
    assert huge.stat().st_size == 2_000_000

    peak, error = peak_memory(lambda: read(curriculum))
    assert [str(problem) for problem in getattr(error, "problems", [])] == [
        "content/modules/payments/huge.md:1: (file): "
        "too large: 2,000,000 bytes (a curriculum file may have at most 1,000,000)"
    ]
    assert peak - without < 200_000, f"the 2 MB file added {peak - without:,} bytes to the peak"


MORE_READINGS = "".join(
    f"- title: More {n}\n  url: https://example.org/{n}\n  publisher: Example\n  why: More.\n" for n in range(50)
)
MORE_QUESTIONS = "".join(
    f"- key: extra-{n}\n  prompt: Extra?\n  choices:\n  - text: 'Yes'\n    correct: true\n  - text: 'No'\n"
    for n in range(99)
)
MORE_CHOICES = "".join(f"  - text: Wrong {n}\n" for n in range(10))


@pytest.mark.parametrize(
    "file, old, new, expected",
    [
        (
            "modules/payments/chargebacks.md",
            "Try it on your own shop.",
            "x" * 200_001,
            f"{CHARGEBACKS}:47: body: must be at most 200,000 characters, not 200,",
        ),
        (
            "modules/payments/chargebacks.md",
            "summary: What a new hire",
            "summary: " + "s" * 1_001,
            f"{CHARGEBACKS}:3: summary: must be at most 1,000 characters",
        ),
        (
            "modules/payments/chargebacks.md",
            "- Explain chargebacks",
            "- " + "o" * 501,
            f"{CHARGEBACKS}:11: objectives[0]: must be at most 500 characters, not 501",
        ),
        (
            "modules/payments/chargebacks.md",
            "readings:\n",
            "readings:\n" + MORE_READINGS,
            f"{CHARGEBACKS}:15: readings: must have at most 50 items, not 51",
        ),
        (
            "modules/payments/chargebacks.md",
            "quiz:\n",
            "quiz:\n" + MORE_QUESTIONS,
            f"{CHARGEBACKS}:23: quiz: must have at most 100 items, not 101",
        ),
        (
            "modules/payments/chargebacks.md",
            "prompt: Which statement about chargebacks is right?",
            "prompt: " + "p" * 2_001,
            f"{CHARGEBACKS}:25: quiz[0].prompt: must be at most 2,000 characters, not 2,001",
        ),
        (
            "modules/payments/chargebacks.md",
            "- text: The right one",
            "- text: " + "c" * 501,
            f"{CHARGEBACKS}:27: quiz[0].choices[0].text: must be at most 500 characters",
        ),
        (
            "modules/payments/chargebacks.md",
            "  - text: Wrong C\n",
            MORE_CHOICES + "  - text: Wrong C\n",
            f"{CHARGEBACKS}:39: quiz[1].choices: must have at most 12 items, not 13",
        ),
        (
            "modules/payments/chargebacks.md",
            "feedback: Not this one.",
            "feedback: " + "f" * 2_001,
            f"{CHARGEBACKS}:44: quiz[1].choices[2].feedback: must be at most 2,000",
        ),
        (
            "modules/payments/chargebacks.md",
            "explanation: A and B.",
            "explanation: " + "e" * 4_001,
            f"{CHARGEBACKS}:45: quiz[1].explanation: must be at most 4,000",
        ),
        (
            "areas/law.yaml",
            "summary: ",
            "summary: " + "s" * 1_001,
            "content/areas/law.yaml:2: summary: must be at most 1,000 characters",
        ),
        (
            "paths/starter.yaml",
            "audience: Everyone.",
            "audience: " + "a" * 2_001,
            "content/paths/starter.yaml:3: audience: must be at most 2,000",
        ),
        (
            "paths/starter.yaml",
            "- Know the basics",
            "- " + "o" * 501,
            "content/paths/starter.yaml:5: outcomes[0]: must be at most 500 characters",
        ),
        (
            "paths/starter.yaml",
            "- label: First week",
            "- label: " + "l" * 101,
            "content/paths/starter.yaml:8: stages[0].label: must be at most 100 characters, not 101",
        ),
    ],
)
def test_fields_over_their_limit_are_reported_as_file_line_field_reason(curriculum, file, old, new, expected):
    edit(curriculum / file, old, new)
    with pytest.raises(CurriculumError) as caught:
        read(curriculum)
    messages = [str(problem) for problem in caught.value.problems]
    assert len(messages) == 1 and messages[0].startswith(expected), messages


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
