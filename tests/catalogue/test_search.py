"""Search finds German and Polish words in their own language's pages: the results are the active language's
pages, plus the English ones not translated into it yet (marked so); an English page never shows beside its
own translation."""

import re

import pytest

from tests.factories import translation_of


@pytest.fixture
def german_payments(academy):
    """Payment basics in German, in German words; chargebacks stays English only."""
    return translation_of(
        academy["payment-basics"],
        "de",
        title="Grundlagen des Bezahlens",
        summary="Rückbuchungen, Zahlungsarten und Lastschriften im Onlinehandel.",
    )


def result_links(html):
    """(href, title, lang) of each result (the lists below the page's heading)."""
    found = re.findall(r'<li><a href="([^"]+)"(?: lang="(\w+)")?>([^<]+)</a>', html.split("<h1>", 1)[1])
    return [(href, title, lang) for href, lang, title in found]


def test_a_german_word_finds_the_german_page_on_the_german_search(client, german_payments):
    html = client.get("/de/search/", {"q": "Lastschriften"}).content.decode()
    assert result_links(html) == [(german_payments.url, "Grundlagen des Bezahlens", "")]
    # The English search does not list German pages.
    assert "Grundlagen des Bezahlens" not in client.get("/search/", {"q": "Lastschriften"}).content.decode()


def test_the_english_page_never_shows_beside_its_translation(client, academy, german_payments):
    html = client.get("/de/search/", {"q": "Payment basics"}).content.decode()
    assert f'href="{academy["payment-basics"].url}"' not in html


def test_an_english_page_without_a_translation_is_found_and_marked(client, academy, german_payments):
    english = academy["chargebacks"]
    html = client.get("/de/search/", {"q": "chargebacks"}).content.decode()
    assert (english.url, english.title, "en") in result_links(html)


def test_a_polish_search_finds_polish_words(client, academy):
    polish = translation_of(academy["payment-basics"], "pl", title="Podstawy płatności", summary="Obciążenia zwrotne.")
    html = client.get("/pl/search/", {"q": "płatności"}).content.decode()
    assert (polish.url, "Podstawy płatności", "") in result_links(html)


def test_an_imported_translation_is_found_by_its_own_tags_and_readings(client, academy):
    """The importer indexes a translation after its tags and readings are written, not with the English
    ones copy_for_translation gave it (the fixture's German returns module: tag "retouren")."""
    for word in ("retouren", "Beispielinstitut"):
        titles = [
            title for _href, title, _lang in result_links(client.get("/de/search/", {"q": word}).content.decode())
        ]
        assert "Retourenmanagement" in titles, (word, titles)
