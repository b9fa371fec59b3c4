"""Choosing the language: URLs carry it (/de/..., /pl/..., English unprefixed); an unprefixed URL follows the
reader's language (the language cookie, an explicit choice; else a signed-in learner's preferred language,
a visitor's Accept-Language) where the page exists in it; the switcher on every page leads to the same page
in another language, or to that language's home saying the page is not translated yet."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext
from wagtail.models import Locale

from learning.models import Enrolment
from tests.factories import translation_of

UNTRANSLATED = "The page you were reading is not translated into this language yet."


@pytest.fixture
def german_starter(academy):
    """The starter path in German (its home and path index come along as Wagtail's aliases)."""
    translation_of(academy["academy"], "de")
    return translation_of(academy["starter"], "de", title="Einstieg")


def untranslated(page, language):
    """Make sure `page` has no version in `language` (the fixture curriculum may bring one)."""
    translated = page.get_translation_or_none(Locale.objects.get(language_code=language))
    if translated is not None:
        translated.delete()
    return page


def switcher(html):
    """The language switcher's links as (language, href, current)."""
    (nav,) = re.findall(r'<nav class="language-switcher" aria-label="[^"]+">(.*?)</nav>', html, re.S)
    return [
        (code, href.replace("&amp;", "&"), bool(current))
        for href, code, code_again, current in re.findall(
            r'<a href="([^"]+)" lang="(\w+)" hreflang="(\w+)"( aria-current="true")?>', nav
        )
        if code == code_again
    ]


# Where an unprefixed URL goes


def test_the_whole_interface_has_german_and_polish_urls(client, academy, german_starter):
    assert client.get("/de/paths/starter/").context["page"].title == "Einstieg"
    for url in ("/de/learn/", "/pl/accounts/login/", "/de/search/?q=x", "/pl/paths/starter/"):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
    # The learner's pages and reverse() keep the language: signing in from a German page asks in German.
    response = client.get("/de/learn/")
    assert response.status_code == 302 and response["Location"].startswith("/de/accounts/login/?next=/de/learn/")


def test_a_learner_who_prefers_german_is_sent_to_the_german_page(client, academy, make_user, german_starter):
    client.force_login(make_user("lena", preferred_language="de"))

    response = client.get("/paths/starter/")

    assert response.status_code == 302 and response["Location"] == "/de/paths/starter/"
    assert client.get(response["Location"]).context["page"].title == "Einstieg"


def test_a_page_without_a_german_version_stays_english_for_a_german_learner(client, academy, make_user):
    module = untranslated(academy["payment-basics"], "de")
    client.force_login(make_user("lena", preferred_language="de"))

    response = client.get(module.url)

    assert response.status_code == 200 and response.context["page"].pk == module.pk


def test_the_apps_own_pages_always_follow_the_preferred_language(client, academy, make_user):
    client.force_login(make_user("lena", preferred_language="pl"))
    assert client.get("/learn/")["Location"] == "/pl/learn/"
    assert client.get("/search/?q=zwroty")["Location"] == "/pl/search/?q=zwroty"
    assert client.get("/learn/", HTTP_ACCEPT_LANGUAGE="de").status_code == 302  # the profile, not the browser


def test_a_visitor_is_sent_by_accept_language(academy, german_starter):
    visitor = Client(HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9,en;q=0.5")
    assert visitor.get("/paths/starter/")["Location"] == "/de/paths/starter/"
    assert visitor.get("/")["Location"] == "/de/"
    # A browser asking for a language we do not offer, or English first, reads English.
    assert Client(HTTP_ACCEPT_LANGUAGE="fr-FR,fr").get("/paths/starter/").status_code == 200
    assert Client(HTTP_ACCEPT_LANGUAGE="en,de;q=0.8").get("/paths/starter/").status_code == 200


def test_a_choice_in_the_switcher_wins_over_accept_language_and_the_profile(academy, make_user, german_starter):
    visitor = Client(HTTP_ACCEPT_LANGUAGE="de")
    english = dict(
        (code, href) for code, href, _current in switcher(visitor.get("/de/paths/starter/").content.decode())
    )
    chosen = visitor.get(english["en"])
    assert chosen["Location"] == "/paths/starter/" and chosen.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    response = visitor.get("/paths/starter/")
    assert response.status_code == 200 and response.context["page"].locale.language_code == "en"

    learner = Client()
    learner.force_login(make_user("lena", preferred_language="de"))
    learner.get(english["en"])
    assert learner.get("/paths/starter/").status_code == 200
    # The profile keeps German: it decides the mails and where signing in lands.
    assert learner.get("/accounts/profile/", follow=True).context["user"].preferred_language == "de"


def test_posts_files_readings_and_the_admin_are_never_redirected(client, academy, make_user, german_starter):
    lena = make_user("lena", preferred_language="de")
    client.force_login(lena)
    starter = academy["starter"]

    response = client.post(f"{starter.url}enrol/")

    assert response.status_code == 302 and response["Location"] != "/de/paths/starter/enrol/"
    assert Enrolment.objects.filter(user=lena, path=starter).exists()  # handled where it was posted
    link = academy["payment-basics"].readings.get()
    assert client.get(f"/go/{link.pk}/")["Location"] == link.url
    assert not client.get("/admin/").get("Location", "").startswith("/de/")
    assert client.get("/healthz").status_code == 200
    assert client.get("/static/css/academy.css").status_code == 200


def test_with_sign_in_required_the_german_sign_in_page_stays_open(client, academy, settings):
    settings.ACADEMY_REQUIRE_LOGIN = True
    response = client.get("/de/paths/starter/")
    assert response.status_code == 302 and response["Location"].startswith("/de/accounts/login/?next=")
    assert client.get("/de/accounts/login/").status_code == 200


# The switcher


def test_the_switcher_marks_the_language_and_leads_to_the_translation(client, academy, german_starter):
    links = switcher(client.get("/paths/starter/").content.decode())
    assert [(code, current) for code, _href, current in links] == [("en", True), ("de", False), ("pl", False)]
    hrefs = {code: href for code, href, _current in links}

    german = client.get(hrefs["de"])

    assert german["Location"] == "/de/paths/starter/" and german.cookies[settings.LANGUAGE_COOKIE_NAME].value == "de"
    html = client.get(german["Location"]).content.decode()
    assert '<html lang="de">' in html
    assert [(code, current) for code, _href, current in switcher(html)] == [("en", False), ("de", True), ("pl", False)]


def test_a_page_not_translated_yet_leads_to_that_languages_home_saying_so(client, academy):
    module = untranslated(academy["payment-basics"], "pl")
    hrefs = {code: href for code, href, _current in switcher(client.get(module.url).content.decode())}

    response = client.get(hrefs["pl"], follow=True)

    assert response.redirect_chain[0][0] == "/pl/"
    with translation.override("pl"):
        assert gettext(UNTRANSLATED) in response.content.decode()
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "pl"


def test_on_the_apps_own_pages_the_switcher_keeps_the_path_and_query(client, academy):
    hrefs = {code: href for code, href, _current in switcher(client.get("/de/search/?q=Zahlung").content.decode())}
    assert client.get(hrefs["pl"])["Location"] == "/pl/search/?q=Zahlung"
    assert client.get(hrefs["en"])["Location"] == "/search/?q=Zahlung"


def test_the_switcher_never_leads_off_the_site(client, academy):
    assert client.get("/language/de/?next=https://evil.example/")["Location"] == "/de/"
    assert client.get("/language/de/?next=//evil.example/")["Location"] == "/de/"
    assert client.get("/language/xx/?next=/").status_code == 404
    assert client.post("/language/de/?next=/").status_code == 405
