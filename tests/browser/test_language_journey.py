"""A German and a Polish learner's first path in Debian's Chromium: sign in at the unprefixed sign-in page
(the browser asks for English, the profile says German or Polish), land in My learning in that language,
enrol on the translated path, pass the translated quiz, switch to English in the header and find the same
progress, then the same certificate in both languages. axe-core checks every translated page on the way,
and `lang` says which language each page, and each item not yet translated, is in.

The interface's words are read from the catalogues (gettext under translation.override), never written
here: the test holds however a translator words a string. The German pages come from the fixture
curriculum (tests/fixtures/curriculum/locales/de/); the Polish ones are made here as an editor makes them
in the admin (copy_for_translation, same slugs and quiz block ids, then publish)."""

import copy
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext
from playwright.sync_api import expect
from wagtail.models import Locale

from learning.catalogue.quiz import questions_from_quiz
from learning.models import Certificate, PathStep, QuizAttempt, ReadingLink
from learning.records.progress import STATE_LABELS
from learning.templatetags.path_counts import module_count
from tests.factories import translation_of, work_through

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-test-password"

# The Polish fixture pages, written formally as the site's Polish is ("Proszę...").
POLISH_QUIZ = {
    "Which statement about returns management is right?": "Które zdanie o obsłudze zwrotów jest prawdziwe?",
    "The right one": "To właściwe",
    "A wrong one": "Niewłaściwe",
    "Another wrong one": "Inne niewłaściwe",
    "Yes.": "Tak.",
    "No.": "Nie.",
    "Because it is.": "Tak po prostu jest.",
    "Pick both right answers.": "Proszę wybrać obie właściwe odpowiedzi.",
    "Right A": "Właściwa A",
    "Right B": "Właściwa B",
    "Wrong C": "Niewłaściwa C",
    "Not this one.": "Nie ta.",
    "A and B.": "A i B.",
}
POLISH_STAGES = {"First week": "Pierwszy tydzień", "First month": "Pierwszy miesiąc"}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """A browser that asks for English: the pages turn German or Polish because the profile says so."""
    return {**browser_context_args, "locale": "en-US"}


def in_language(language, text, **values):
    """`text` as the interface says it in `language`, with `values` filled in as the template does."""
    with translation.override(language):
        said = gettext(text)
    return said % values if values else said


def progress_text(language, done):
    """The path's progress line ("1 of 3 required modules") for the fixture's starter path."""
    with translation.override(language):
        return module_count(3, 1, done=done)


def language_name(code):
    """The switcher's name for a language: its own name for itself ("Deutsch", "Polski")."""
    return capfirst(translation.get_language_info(code)["name_local"])


def polish_quiz(module):
    """`module`'s quiz in Polish: the same questions, keys and block ids, the words from POLISH_QUIZ."""
    quiz = copy.deepcopy(list(module.quiz.raw_data))
    for question in quiz:
        value = question["value"]
        value["prompt"], value["explanation"] = POLISH_QUIZ[value["prompt"]], POLISH_QUIZ[value["explanation"]]
        for choice in value["choices"]:
            choice["value"]["text"] = POLISH_QUIZ[choice["value"]["text"]]
            choice["value"]["feedback"] = POLISH_QUIZ.get(choice["value"]["feedback"], "")
    return quiz


def translate_into_polish(academy):
    """The pages the German fixture has, in Polish: home, both indexes, the logistics area, the returns
    module (its quiz, text and reading in Polish) and the starter path (its stages in Polish)."""
    translation_of(academy["academy"], "pl", title="Akademia E-commerce", intro="<p>Wdrożenie dla zespołów.</p>")
    translation_of(academy["paths"], "pl", title="Ścieżki nauki")
    translation_of(academy["areas"], "pl", title="Obszary wiedzy")
    translation_of(academy["logistics"], "pl", title="Logistyka", summary="Wszystko o logistyce.")
    returns = translation_of(
        academy["returns"],
        "pl",
        title="Obsługa zwrotów",
        summary="Co nowa osoba w zespole powinna wiedzieć o obsłudze zwrotów.",
        objectives="Wyjaśnić, jak działa obsługa zwrotów\nZastosować to w sklepie",
        body=[{"type": "text", "value": "<p>Tekst wprowadzający o obsłudze zwrotów.</p>"}],
        quiz=polish_quiz(academy["returns"]),
    )
    ReadingLink.objects.filter(module=returns).update(
        title="Zwroty w praktyce",
        url="https://example.org/pl/zwroty",
        publisher="Przykładowy instytut",
        language="pl",
        why="Przejrzysty przegląd.",
    )
    starter = translation_of(
        academy["starter"],
        "pl",
        title="Na start",
        role="Dla nowych osób",
        audience="Wszyscy.",
        outcomes="Znać podstawy",
    )
    for english, polish in POLISH_STAGES.items():
        PathStep.objects.filter(path=starter, stage=english).update(stage=polish)


def translated(page, language):
    return page.get_translation(Locale.objects.get(language_code=language)).specific


def html_lang(page):
    return page.locator("html").get_attribute("lang")


def switch_to(page, shown_in, language):
    """Follow the header's language switcher from a page in `shown_in` to `language`."""
    switcher = page.get_by_role("navigation", name=in_language(shown_in, "Language"))
    switcher.get_by_role("link", name=language_name(language), exact=True).click()


def sign_in(page, base, username):
    """At the unprefixed sign-in page, which a browser asking for English gets in English."""
    page.goto(base + "/accounts/login/")
    assert html_lang(page) == "en"
    page.get_by_label(in_language("en", "Username")).fill(username)
    page.get_by_label(in_language("en", "Password")).fill(PASSWORD)
    page.locator("main").get_by_role("button", name=in_language("en", "Sign in")).click()


def pass_the_quiz(page, module, language):
    """Tick the right choices of the quiz `module` shows (read from its questions, found in the form by
    choice id) and submit; the result page says it passed, in `language`."""
    form = page.locator(".quiz-form")
    for question in questions_from_quiz(module.quiz):
        for choice in question.choices:
            if choice.correct:
                form.locator(f"input[name='q-{question.key}'][value='{choice.id}']").check()
    form.get_by_role("button", name=in_language(language, "Submit answers")).click()
    page.wait_for_url(re.compile(r"/quiz/\d+/"))
    assert page.get_by_text(in_language(language, "Passed with %(s)s%%", s=100)).is_visible()


def untranslated_steps(page):
    """The titles of the path's steps marked as English, each with its "not yet translated" badge."""
    return page.locator(".steps a[lang=en]").all_inner_texts()


@pytest.mark.parametrize("language", ["de", "pl"])
def test_a_learner_takes_a_path_in_their_language_and_keeps_the_progress_in_english(
    live_server, page, academy, axe, language
):
    if language == "pl":
        translate_into_polish(academy)
    path, module = translated(academy["starter"], language), translated(academy["returns"], language)
    name = {"de": "Jonas Jäger", "pl": "Zofia Wójcik"}[language]
    learner = get_user_model().objects.create_user(
        "learner", password=PASSWORD, display_name=name, preferred_language=language
    )
    base = live_server.url

    # Signing in lands in My learning in the learner's language.
    sign_in(page, base, "learner")
    page.wait_for_url(f"{base}/{language}/learn/")
    assert html_lang(page) == language
    assert page.get_by_role("heading", name=in_language(language, "Welcome, %(name)s", name=name)).is_visible()
    assert axe(page) == []

    # The paths in that language; a path not translated yet is listed in English, and says so.
    page.get_by_role("link", name=in_language(language, "Browse the role paths")).click()
    page.wait_for_url(f"{base}/{language}/paths/")
    assert html_lang(page) == language
    specialist = page.locator("main a[lang=en]")
    assert specialist.all_inner_texts() == [academy["payments-specialist"].title]
    assert page.locator("main").get_by_text(in_language(language, "not yet translated")).count() == 1
    assert axe(page) == []

    # The translated path: enrol; the steps not translated yet are the English modules, marked lang="en".
    page.get_by_role("link", name=path.title, exact=True).click()
    page.wait_for_url(f"{base}/{language}/paths/starter/")
    assert page.get_by_role("heading", level=1).inner_text() == path.title
    page.get_by_role("button", name=in_language(language, "Enrol in this path")).click()
    expect(page.get_by_text(progress_text(language, 0))).to_be_visible()
    english_steps = [academy[slug].title for slug in ("payment-basics", "consent", "shipping")]
    assert untranslated_steps(page) == english_steps
    assert page.locator(".steps").get_by_text(in_language(language, "not yet translated")).count() == 3
    assert axe(page) == []

    # The translated module, its quiz graded on the words shown and kept on the English module.
    page.locator(".steps").get_by_role("link", name=module.title, exact=True).click()
    page.wait_for_url(re.compile(rf"^{re.escape(base)}/{language}/areas/logistics/returns/\?path=starter$"))
    assert html_lang(page) == language
    assert page.get_by_role("heading", level=1).inner_text() == module.title
    assert axe(page) == []
    pass_the_quiz(page, module, language)
    assert page.get_by_text(in_language(language, "This module is complete.")).is_visible()
    assert html_lang(page) == language
    assert axe(page) == []
    assert QuizAttempt.objects.get(user=learner).module_id == academy["returns"].pk

    # In English: the same module complete, the same progress on the path.
    switch_to(page, language, "en")
    page.wait_for_url(f"{base}/areas/logistics/returns/")
    assert html_lang(page) == "en"
    assert page.get_by_role("heading", level=1).inner_text() == academy["returns"].title
    assert page.get_by_text(in_language("en", "You have completed this module.")).is_visible()
    page.goto(base + "/paths/starter/")  # the switcher's choice holds: no redirect back
    assert page.url == base + "/paths/starter/" and html_lang(page) == "en"
    assert page.get_by_text(progress_text("en", 1)).is_visible()
    returns_step = page.locator(".steps li", has=page.get_by_role("link", name=academy["returns"].title))
    assert returns_step.get_by_text(str(STATE_LABELS["completed"]), exact=True).is_visible()
    assert untranslated_steps(page) == []
    # And back: the translated path shows it too.
    switch_to(page, "en", language)
    page.wait_for_url(f"{base}/{language}/paths/starter/")
    assert page.get_by_text(progress_text(language, 1)).is_visible()

    # The rest of the path, done elsewhere; one certificate, named in each language.
    work_through(learner, [academy["payment-basics"], academy["consent"]])
    certificate = Certificate.objects.get(enrolment__user=learner)
    page.reload()
    assert page.get_by_text(progress_text(language, 3)).is_visible()
    page.get_by_role("link", name=in_language(language, "View your certificate")).click()
    page.wait_for_url(f"{base}/{language}/certificates/{certificate.uid}/")
    assert html_lang(page) == language
    assert page.locator(".certificate .name").all_inner_texts() == [name, path.title]
    assert axe(page) == []
    switch_to(page, language, "en")
    page.wait_for_url(f"{base}/certificates/{certificate.uid}/")
    assert html_lang(page) == "en"
    assert page.locator(".certificate .name").all_inner_texts() == [name, academy["starter"].title]

    # My learning in the learner's language lists the completed path under its translated title.
    switch_to(page, "en", language)
    page.goto(f"{base}/{language}/learn/")
    completed = page.get_by_role("region", name=in_language(language, "Completed paths"))
    assert completed.get_by_role("link", name=path.title, exact=True).is_visible()
    assert html_lang(page) == language
    assert axe(page) == []
