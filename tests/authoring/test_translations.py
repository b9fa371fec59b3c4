"""Translated curriculum files (content/locales/<lang>/): checked against their English files, imported as
the Wagtail translations of the English pages with the English quiz ids, written back by the export,
translatable in the admin, and listed as outdated when their English page is published after them.

The fixture curriculum has a German home.yaml, logistics area, returns module and starter path."""

import shutil

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse
from wagtail.models import Locale, Page, PageLogEntry, Revision

from learning.authoring import editor_reports
from learning.authoring.curriculum import CurriculumError, read
from learning.authoring.curriculum_pages import export_curriculum, import_curriculum
from learning.catalogue.models import AreaPage, ModulePage
from learning.catalogue.quiz import questions_from_quiz
from learning.records import grading
from tests.conftest import FIXTURE_CURRICULUM

DE = "content/locales/de/"
RETURNS = "locales/de/modules/logistics/returns.md"
STARTER = "locales/de/paths/starter.yaml"


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


def german(page):
    return page.get_translation(Locale.objects.get(language_code="de")).specific


def block_ids(module):
    """Each question's block id with its choices' ids: what answers are stored against."""
    return [(block.id, [item.id for item in block.value["choices"].bound_blocks]) for block in module.quiz]


def snapshot():
    return (
        Page.objects.count(),
        Revision.objects.count(),
        PageLogEntry.objects.count(),
        sorted(Page.objects.values_list("title", flat=True)),
    )


# --- checked against the English file -----------------------------------------------------------------


@pytest.mark.parametrize(
    "file, old, new, expected",
    [
        (  # a renamed question key
            RETURNS,
            "- key: returns-q2",
            "- key: returns-second",
            DE + "modules/logistics/returns.md:35: quiz[1].key: must be 'returns-q2', the key of question 2 "
            "in the English file (keys are never renamed; questions keep the English order)",
        ),
        (  # a dropped choice
            RETURNS,
            "  - text: Noch eine falsche\n    feedback: Nein.\n",
            "",
            DE + "modules/logistics/returns.md:27: quiz[0].choices: must have the English file's 3 choices "
            "in the same order, not 2",
        ),
        (  # a changed correct flag
            RETURNS,
            "  - text: Richtig B\n    correct: true\n",
            "  - text: Richtig B\n",
            DE + "modules/logistics/returns.md:41: quiz[1].choices[1].correct: must be true as in choice 2 "
            "of the English file",
        ),
        (  # an added question
            RETURNS,
            "  explanation: A und B.\n",
            "  explanation: A und B.\n- key: returns-q3\n  prompt: Neu?\n  choices:\n  - text: Ja\n"
            "    correct: true\n  - text: Nein\n",
            DE + "modules/logistics/returns.md:46: quiz[2]: the English file has 2 question(s): "
            "a translation cannot add one",
        ),
        (  # another pass mark: passing would mean something else in German
            RETURNS,
            "pass_mark: 50",
            "pass_mark: 60",
            DE + "modules/logistics/returns.md:13: pass_mark: must be 50 as in the English file",
        ),
        (  # a path stage without one of the English modules
            STARTER,
            "  - returns\n",
            "",
            DE + "paths/starter.yaml:9: stages[0].modules: must be the English stage's modules, in order: "
            "payment-basics, returns",
        ),
        (  # an elective made required
            STARTER,
            "  - slug: shipping\n    required: false\n",
            "  - shipping\n",
            DE + "paths/starter.yaml:13: stages[1].modules: must be the English stage's modules, in order: "
            "consent, shipping (elective)",
        ),
        (  # an area translation says title and summary only
            "locales/de/areas/logistics.yaml",
            "summary: Alles über Logistik.\n",
            "summary: Alles über Logistik.\norder: 7\n",
            DE + "areas/logistics.yaml:3: order: unknown field (expected one of: title, summary)",
        ),
        (
            "locales/de/home.yaml",
            "areas_title: Wissensbereiche\n",
            "",
            DE + "home.yaml:1: areas_title: missing required field",
        ),
    ],
)
def test_a_translation_that_differs_from_its_english_file_is_reported_as_file_line(
    curriculum, file, old, new, expected
):
    edit(curriculum / file, old, new)
    with pytest.raises(CurriculumError) as caught:
        read(curriculum)
    assert expected in [str(problem) for problem in caught.value.problems]


def test_a_translation_without_an_english_file_is_reported(curriculum):
    shutil.copy(curriculum / RETURNS, curriculum / "locales/de/modules/logistics/refunds.md")
    (curriculum / "locales/de/modules/payments").mkdir()
    shutil.copy(curriculum / RETURNS, curriculum / "locales/de/modules/payments/returns.md")
    with pytest.raises(CurriculumError) as caught:
        read(curriculum)
    assert [str(problem) for problem in caught.value.problems] == [
        DE + "modules/logistics/refunds.md:1: (file): no English file content/modules/logistics/refunds.md "
        "(a translation has its English file's path)",
        DE + "modules/payments/returns.md:1: (file): no English file content/modules/payments/returns.md "
        "(a translation has its English file's path)",
    ]


def test_a_language_the_site_does_not_have_is_reported(curriculum):
    shutil.copytree(curriculum / "locales/de", curriculum / "locales/fr")
    with pytest.raises(CurriculumError) as caught:
        read(curriculum)
    assert [str(p) for p in caught.value.problems] == [
        "content/locales/fr:1: (folder): 'fr' is not a content language of the site (one of: de, pl)"
    ]


def test_english_and_translation_problems_are_reported_together_and_nothing_is_imported(academy, curriculum, capsys):
    edit(curriculum / "modules/law/consent.md", "level: beginner", "level: expert")
    edit(curriculum / RETURNS, "title: Retourenmanagement", "title: Retouren")
    edit(curriculum / RETURNS, "- key: returns-q1", "- key: returns-first")
    before = snapshot()
    with pytest.raises(CommandError, match="2 problem"):
        call_command("load_curriculum", str(curriculum))
    err = capsys.readouterr().err
    assert "content/modules/law/consent.md:5: level: must be one of" in err
    assert DE + "modules/logistics/returns.md:23: quiz[0].key: must be 'returns-q1'" in err
    assert snapshot() == before
    assert german(academy["returns"]).title == "Retourenmanagement"


def test_a_broken_english_file_is_not_reported_again_in_its_translation(curriculum):
    edit(curriculum / "paths/starter.yaml", "- returns", "- retruns")
    with pytest.raises(CurriculumError) as caught:
        read(curriculum)
    assert [p.file for p in caught.value.problems] == ["content/paths/starter.yaml"]


# --- imported as the Wagtail translation of the English page -------------------------------------------


def test_a_translated_module_is_the_german_page_of_the_english_one_with_the_same_block_ids(academy, client):
    english = academy["returns"]
    page = german(english)
    assert (page.slug, page.translation_key, page.locale.language_code) == ("returns", english.translation_key, "de")
    assert page.live and page.url == "/de/areas/logistics/returns/" and page.title == "Retourenmanagement"
    assert block_ids(page) == block_ids(english)
    assert [q.prompt for q in questions_from_quiz(page.quiz)][0] == "Welche Aussage über Retourenmanagement stimmt?"
    # The German right answers are the English right answers: grading joins across languages.
    right = grading.model_answers(questions_from_quiz(page.quiz))
    assert right == grading.model_answers(questions_from_quiz(english.quiz))
    assert grading.grade(questions_from_quiz(english.quiz), right, english.pass_mark).passed
    # Readings are the translation's own.
    assert [(r.url, r.language) for r in page.readings.all()] == [("https://example.org/de/retouren", "de")]
    assert [(r.url, r.language) for r in english.readings.all()] == [("https://example.org/returns", "en")]
    assert set(page.tags.names()) == {"logistik", "retouren"}
    assert "Retourenmanagement" in client.get("/de/areas/logistics/returns/").content.decode()


def test_translated_home_area_and_path_follow_their_english_pages(academy):
    home = german(academy["academy"])
    assert (home.title, home.url, home.translation_key) == (
        "E-Commerce-Akademie",
        "/de/",
        academy["academy"].translation_key,
    )
    assert home.intro == "<p>Einarbeitung für E-Commerce-Teams &amp; alle, die neu dazukommen.</p>"
    assert (german(academy["paths"]).title, german(academy["areas"]).title) == ("Lernpfade", "Wissensbereiche")
    area = german(academy["logistics"])
    assert (area.title, area.order, area.url) == ("Logistik", academy["logistics"].order, "/de/areas/logistics/")
    path = german(academy["starter"])
    assert (path.title, path.order, path.url) == ("Einstieg", academy["starter"].order, "/de/paths/starter/")
    # The steps are the English modules (progress is kept on them) with the German stage labels.
    steps = [(s.module_id, s.stage, s.required) for s in path.steps.order_by("sort_order")]
    assert steps == [
        (academy["payment-basics"].pk, "Erste Woche", True),
        (academy["returns"].pk, "Erste Woche", True),
        (academy["consent"].pk, "Erster Monat", True),
        (academy["shipping"].pk, "Erster Monat", False),
    ]


def test_reimporting_writes_nothing(academy):
    before = snapshot()
    report = import_curriculum(read(FIXTURE_CURRICULUM))
    assert report.created == report.updated == report.skipped == []
    assert sorted(f for f in report.unchanged if "/locales/" in f) == [
        "curriculum/locales/de/areas/logistics.yaml",
        "curriculum/locales/de/home.yaml",
        "curriculum/locales/de/modules/logistics/returns.md",
        "curriculum/locales/de/paths/starter.yaml",
    ]
    assert snapshot() == before


def test_a_changed_translation_updates_the_german_page_only(academy, curriculum):
    edit(curriculum / RETURNS, "title: Retourenmanagement", "title: Retouren steuern")
    report = import_curriculum(read(curriculum))
    assert report.updated == ["content/" + RETURNS] and report.created == []
    assert german(academy["returns"]).title == "Retouren steuern"
    assert ModulePage.objects.get(pk=academy["returns"].pk).title == "Returns management"


def test_a_reworded_english_choice_gives_the_translation_its_new_id(academy, curriculum):
    edit(curriculum / "modules/logistics/returns.md", "  - text: Right A\n", "  - text: Right A, reworded\n")
    report = import_curriculum(read(curriculum))
    assert report.updated == ["content/modules/logistics/returns.md", "content/" + RETURNS]
    english = ModulePage.objects.get(pk=academy["returns"].pk)
    assert block_ids(english) != block_ids(academy["returns"])  # the choice's id follows its text
    assert block_ids(german(english)) == block_ids(english)


def test_a_translation_edited_in_the_admin_is_kept_unless_forced(academy, capsys):
    page = german(academy["returns"])
    page.title = "Vom Redakteur geändert"
    page.save_revision().publish()
    call_command("load_curriculum", str(FIXTURE_CURRICULUM))
    assert f"kept (edited in the admin; --force overwrites): curriculum/{RETURNS}" in capsys.readouterr().out
    assert german(academy["returns"]).title == "Vom Redakteur geändert"
    call_command("load_curriculum", str(FIXTURE_CURRICULUM), force=True)
    assert german(academy["returns"]).title == "Retourenmanagement"


def test_a_module_translated_before_its_area_gets_the_area_once_that_is_translated(academy, curriculum, tmp_path):
    folder = curriculum / "locales/de/modules/payments"
    folder.mkdir()
    text = (curriculum / "modules/payments/payment-basics.md").read_text()
    (folder / "payment-basics.md").write_text(text.replace("title: Payment basics", "title: Zahlungsgrundlagen"))
    ModulePage.objects.filter(pk=academy["payment-basics"].pk).update(search_description="In English.")
    import_curriculum(read(curriculum))
    module = german(academy["payment-basics"])
    assert module.search_description == ""  # not the English one, as on a page the importer made
    stand_in = module.get_parent()  # Wagtail's copy_parents: an alias of the English area
    assert module.title == "Zahlungsgrundlagen" and stand_in.alias_of_id == academy["payments"].pk
    export_curriculum(tmp_path / "out")
    assert not (tmp_path / "out/locales/de/areas/payments.yaml").exists()  # an alias is no translation

    (curriculum / "locales/de/areas/payments.yaml").write_text("title: Zahlungen\nsummary: Alles über Zahlungen.\n")
    report = import_curriculum(read(curriculum))
    assert report.created == ["content/locales/de/areas/payments.yaml"]
    area = AreaPage.objects.get(pk=stand_in.pk)
    assert (area.alias_of_id, area.title, area.live) == (None, "Zahlungen", True)
    assert german(academy["payment-basics"]).get_parent().pk == area.pk


# --- written back -------------------------------------------------------------------------------------


def test_export_writes_the_translations_back_in_the_same_format(academy, tmp_path):
    modules, translated = export_curriculum(tmp_path)
    assert (modules, translated) == (6, 4)
    for source in (FIXTURE_CURRICULUM / "locales").rglob("*.*"):
        assert (tmp_path / source.relative_to(FIXTURE_CURRICULUM)).read_text() == source.read_text(), source


# --- in the admin -------------------------------------------------------------------------------------


def test_an_editor_translates_a_page_in_the_admin(client, academy, make_user):
    editor = make_user("edda")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    shipping, de = academy["shipping"], Locale.objects.get(language_code="de")
    url = reverse("simple_translation:submit_page_translation", args=[shipping.pk])
    assert url in client.get(reverse("wagtailadmin_pages:edit", args=[shipping.pk])).content.decode()
    assert client.post(url, {"locales": [de.pk]}).status_code == 302
    page = german(shipping)
    assert (page.slug, page.live, page.get_parent().pk) == ("shipping", False, german(academy["logistics"]).pk)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).status_code == 200


def test_a_page_translated_in_the_admin_keeps_the_english_quiz_ids(client, academy, make_user):
    client.force_login(make_user("admin", is_superuser=True))
    home, polish = academy["academy"], Locale.objects.get(language_code="pl")
    url = reverse("simple_translation:submit_page_translation", args=[home.pk])
    assert client.post(url, {"locales": [polish.pk], "include_subtree": "on"}).status_code == 302
    for slug in ("payment-basics", "returns", "consent", "chargebacks"):
        module = academy[slug]
        assert block_ids(module.get_translation(polish).specific) == block_ids(module), slug


def test_a_translation_is_outdated_once_its_english_page_is_published_after_it(academy, client, make_user):
    assert editor_reports.content_health()["outdated_translations"] == []
    english = ModulePage.objects.get(pk=academy["returns"].pk)
    english.summary = "Changed by an editor."
    english.save_revision().publish()
    outdated = editor_reports.content_health()["outdated_translations"]
    assert [(row["pk"], row["locale__language_code"]) for row in outdated] == [(german(english).pk, "de")]
    client.force_login(make_user("admin", is_superuser=True))
    html = client.get(reverse("learning_reports:content_health")).content.decode()
    assert "Translation outdated" in html and "Retourenmanagement" in html

    german(english).save_revision().publish()  # a translator brought it up to date
    assert editor_reports.content_health()["outdated_translations"] == []
