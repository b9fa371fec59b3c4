"""One progress record across languages: whichever language a learner reads a module or a path in, the
records are kept on the default-language (English) page, and every page shows that one state.

The German (and Polish) pages are built here as Wagtail builds a translation in the admin
(copy_for_translation, which keeps the quiz's block ids, then publish), with their own titles and quiz
wording, so a test can tell which page was shown.
"""

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext
from wagtail.models import Locale, Page

from learning.authoring import editor_reports
from learning.catalogue.quiz import questions_from_quiz
from learning.models import Certificate, Enrolment, ModulePage, ModuleProgress, QuizAttempt
from learning.records import grading, views

NOTICE_DE = "This module is not yet available in German; here is the English version."


def en(slug):
    return Page.objects.get(slug=slug, locale__language_code="en").specific


def translate(page, language, title):
    """Publish a translation of `page` in `language` titled `title` (the one the fixture curriculum may
    already have, else a new copy); a module's quiz prompts and choices get the title as a prefix, with
    the same keys and block ids."""
    locale = Locale.objects.get(language_code=language)
    copy = page.get_translation_or_none(locale) or page.copy_for_translation(locale, copy_parents=True)
    copy = copy.specific
    copy.title = title
    if isinstance(copy, ModulePage):
        copy.quiz = page.quiz.raw_data
        for question in copy.quiz.raw_data:
            question["value"]["prompt"] = f"{title}: {question['value']['prompt']}"
            for choice in question["value"]["choices"]:
                choice["value"]["text"] = f"{title}: {choice['value']['text']}"
    copy.save_revision().publish()
    copy.refresh_from_db()
    return copy


def right_answers(module):
    return {f"q-{key}": ids for key, ids in grading.model_answers(questions_from_quiz(module.quiz)).items()}


def read_in(client, page):
    """Choose the page's language, as the language switcher does: a learner who prefers German is
    otherwise sent from an English page to its German translation."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = page.locale.language_code


def pass_on(client, module, **query):
    """Open `module` (in whatever language) as the learner does and submit the right answers there; the
    result page's response."""
    query = "?" + urlencode(query) if query else ""
    read_in(client, module)
    response = client.get(module.url + query)
    assert response.status_code == 200
    token = response.context["quiz_form"]["token"]
    response = client.post(module.url + "quiz/" + query, {"token": token, **right_answers(module)}, follow=True)
    assert response.status_code == 200 and response.context["attempt"].passed
    return response


def shown(client, page):
    """The context a signed-in learner's view of the page was rendered with."""
    read_in(client, page)
    response = client.get(page.url)
    assert response.status_code == 200, page.url
    return response.context


def in_language(language, text):
    """`text` as the interface says it in `language` (the catalogues are being translated)."""
    with translation.override(language):
        return gettext(text)


@pytest.fixture
def learner(make_user, client):
    user = make_user("jonas", display_name="Jonas", preferred_language="de")
    client.force_login(user)
    return user


def test_a_quiz_passed_on_the_german_page_completes_the_module_in_every_language(client, academy, learner):
    english = en("payment-basics")
    german = translate(english, "de", "Zahlungsgrundlagen")
    polish = translate(english, "pl", "Podstawy płatności")
    assert german.url.startswith("/de/") and german.quiz.raw_data[0]["id"] == english.quiz.raw_data[0]["id"]

    result = pass_on(client, german)

    # Graded against the German questions, shown in German, recorded on the English module.
    assert result.context["complete"] and "Zahlungsgrundlagen: The right one" in result.content.decode()
    attempt = QuizAttempt.objects.get(user=learner)
    assert attempt.module_id == english.pk and attempt.passed and attempt.score == 100
    assert ModuleProgress.objects.get(user=learner).module_id == english.pk
    for page in (english, german, polish):
        context = shown(client, page)
        assert context["complete"] and context["passed"] and context["attempts"] == [attempt], page.url
    # The editor's reports count the attempt made in German.
    rows = editor_reports.question_rows(module=english)
    assert {row["key"]: row["answered"] for row in rows} == {"payment-basics-q1": 1, "payment-basics-q2": 1}
    assert all(row["share_right"] == 100 for row in rows)
    (module_row,) = [row for row in editor_reports.module_rows() if row["pk"] == english.pk]
    assert (module_row["attempted"], module_row["passed"], module_row["completed"]) == (1, 1, 1)


def test_the_german_pages_show_what_was_done_in_english(client, academy, learner):
    english = en("payment-basics")
    german = translate(english, "de", "Zahlungsgrundlagen")
    pass_on(client, english)
    attempt = QuizAttempt.objects.get(user=learner)

    context = shown(client, german)
    assert context["complete"] and context["attempts"] == [attempt]
    # The attempt opens from the German page, reviewed with the German wording.
    result = client.get(f"{german.url}quiz/{attempt.pk}/")
    assert result.status_code == 200 and result.context["complete"]
    assert "Zahlungsgrundlagen: The right one" in result.content.decode()


def test_one_quiz_form_makes_one_attempt_whichever_language_it_was_sent_from(client, academy, learner):
    """Forms opened in two tabs, one English and one German, both name the learner's next attempt."""
    english = en("payment-basics")
    german = translate(english, "de", "Zahlungsgrundlagen")
    english_token = shown(client, english)["quiz_form"]["token"]
    german_token = shown(client, german)["quiz_form"]["token"]
    client.post(english.url + "quiz/", {"token": english_token, **right_answers(english)})
    client.post(german.url + "quiz/", {"token": german_token, **right_answers(german)})
    assert QuizAttempt.objects.filter(user=learner).count() == 1


def test_enrolling_on_the_german_path_page_enrols_in_the_english_path(client, academy, learner):
    english = en("starter")
    german = translate(english, "de", "Einstieg")
    assert client.post(german.url + "enrol/").status_code == 302
    enrolment = Enrolment.objects.get(user=learner)
    assert enrolment.path_id == english.pk
    # Both path pages show the one enrolment.
    for page in (german, english):
        context = shown(client, page)
        assert context["enrolment"] == enrolment and context["summary"].required == 3, page.url


def test_completing_a_path_through_german_pages_issues_the_certificate(client, academy, learner):
    english_path = en("payments-specialist")
    german_path = translate(english_path, "de", "Zahlungsspezialist")
    modules = [academy[slug] for slug in ("payment-basics", "chargebacks", "withdrawal")]
    german = [translate(module, "de", f"DE {module.title}") for module in modules[:2]]
    client.post(german_path.url + "enrol/")

    pass_on(client, german[0], path=german_path.slug)
    # The next step is offered in German: the German path around the German module.
    second = pass_on(client, german[1], path=german_path.slug)
    assert second.context["path"] == german_path and second.context["next"] == modules[2]
    # The last module, without a quiz, is not yet translated: completed on its English page.
    shown(client, modules[2])
    last = client.post(modules[2].url + "complete/", {"path": german_path.slug}, follow=True)

    enrolment = Enrolment.objects.get(user=learner, path=english_path)
    certificate = Certificate.objects.get(enrolment=enrolment)
    assert enrolment.completed_at is not None and last.context["path_certificate"] == certificate.uid
    context = shown(client, german_path)
    assert context["summary"].complete and context["enrolment"].certificate == certificate
    assert f"/certificates/{certificate.uid}/" in client.get(german_path.url).content.decode()
    # The German module page says the path is complete too.
    assert shown(client, german[1])["path_certificate"] == certificate.uid


def shown_in_german(slug):
    """The module a German page links for `slug`: its German version (the fixture curriculum translates
    some), else the English one."""
    return ModulePage.objects.live().filter(slug=slug, locale__language_code="de").first() or en(slug)


def test_a_german_path_page_marks_the_steps_not_yet_translated(client, academy, learner):
    english_path = en("starter")
    german_path = translate(english_path, "de", "Einstieg")
    german_module = translate(en("payment-basics"), "de", "Zahlungsgrundlagen")
    label = in_language("de", "not yet translated")
    consent = en("consent")
    assert consent.url.startswith("/areas/")
    steps = [shown_in_german(slug) for slug in ("payment-basics", "returns", "consent", "shipping")]
    untranslated = [module for module in steps if module.locale.language_code == "en"]
    assert consent in untranslated and german_module not in untranslated

    for signed_in in (True, False):
        if not signed_in:
            client.logout()
        html = client.get(german_path.url).content.decode()
        # Translated: the German module, under its German title and address, not marked.
        assert f'href="{german_module.url}?path=starter">Zahlungsgrundlagen</a>' in html
        # Not translated: the English module, marked in the page's language.
        assert f'href="{consent.url}?path=starter" lang="en">{consent.title}</a>' in html
        assert html.count(label) == len(untranslated), signed_in
    # The English path page marks nothing.
    read_in(client, english_path)
    assert in_language("en", "not yet translated") not in client.get(english_path.url).content.decode()


def test_the_german_path_page_shows_progress_made_on_english_pages(client, academy, learner):
    german_path = translate(en("starter"), "de", "Einstieg")
    german_module = translate(en("payment-basics"), "de", "Zahlungsgrundlagen")
    client.post(en("starter").url + "enrol/")
    pass_on(client, en("payment-basics"))
    context = shown(client, german_path)
    returns = shown_in_german("returns")
    assert context["summary"].done == 1 and context["summary"].next_module == returns
    steps = [step for _label, stage in context["stages"] for step in stage]
    assert [(step.module, step.state, step.is_next) for step in steps[:2]] == [
        (german_module, "completed", False),
        (returns, "not_started", True),
    ]


def notice_in(language, html):
    with translation.override(language):
        text = str(views.NOT_YET_TRANSLATED[language])
    return f'<p class="message" lang="{language}">{text}</p>' in html


def test_an_english_module_tells_a_german_learner_it_is_not_yet_in_german(client, academy, learner):
    html = client.get(en("chargebacks").url).content.decode()
    assert notice_in("de", html)
    assert in_language("en", views.NOT_YET_TRANSLATED["de"]) == NOTICE_DE


def test_no_notice_where_the_translation_exists_or_the_learner_prefers_english(client, academy, learner, make_user):
    translate(en("chargebacks"), "de", "Rückbuchungen")
    assert shown(client, en("chargebacks"))["untranslated_notice"] is None

    client.force_login(make_user("emma", preferred_language="en"))
    assert shown(client, en("withdrawal"))["untranslated_notice"] is None


def test_a_polish_learner_is_told_in_polish(client, academy, make_user):
    client.force_login(make_user("ola", preferred_language="pl"))
    assert notice_in("pl", client.get(en("withdrawal").url).content.decode())


def test_my_learning_and_the_continue_card_link_the_german_pages_in_german(client, academy, learner):
    german_path = translate(en("starter"), "de", "Einstieg")
    german_module = translate(en("payment-basics"), "de", "Zahlungsgrundlagen")
    client.post(german_path.url + "enrol/")

    (item,) = client.get("/de/learn/").context["paths"]
    assert (item.path, item.next_module) == (german_path, german_module)
    card = client.get("/de/").context["continue_with"]
    assert (card.path, card.next_module) == (german_path, german_module)
    html = client.get("/de/").content.decode()
    assert f'href="{german_module.url}?path=starter"' in html and "Zahlungsgrundlagen" in html

    pass_on(client, german_module)
    overview = client.get("/de/learn/").context
    assert [row.shown for row in overview["recent"]] == [german_module]
    # In English, the English pages.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    (item,) = client.get("/learn/").context["paths"]
    assert (item.path, item.next_module) == (en("starter"), en("returns"))


def test_the_certificate_names_the_path_in_the_language_it_is_read_in(client, academy, learner):
    german_path = translate(en("payments-specialist"), "de", "Zahlungsspezialist")
    client.post(german_path.url + "enrol/")
    for slug in ("payment-basics", "chargebacks"):
        pass_on(client, en(slug))
    shown(client, en("withdrawal"))
    client.post(en("withdrawal").url + "complete/")
    uid = Certificate.objects.get(enrolment__user=learner).uid

    assert '<p class="name">Zahlungsspezialist</p>' in client.get(f"/de/certificates/{uid}/").content.decode()
    assert "<dd>Zahlungsspezialist</dd>" in client.get(f"/de/certificates/verify/{uid}/").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert '<p class="name">Payments specialist</p>' in client.get(f"/certificates/{uid}/").content.decode()


def test_an_english_title_on_a_german_page_is_marked_as_english(client, academy, learner):
    """The German returns module links the next step, consent, which has no German version: its title is
    wrapped in lang="en" so a screen reader reads it in English; the German step before it is not."""
    returns_de = en("returns").get_translation(Locale.objects.get(language_code="de"))
    payment_de = translate(en("payment-basics"), "de", "Grundlagen des Bezahlens")
    read_in(client, returns_de)
    html = client.get(returns_de.url + "?path=starter").content.decode()
    assert f'<span lang="en">{en("consent").title}</span> →' in html
    assert f"← {payment_de.title}</a>" in html
