"""Pages in German that list modules and paths: what has no German translation yet is listed in English,
linking the English page and saying it is not yet translated (in German)."""

import re

import pytest
from wagtail.models import Locale

from tests.records.test_languages import en, in_language, translate

pytestmark = pytest.mark.django_db


def german(page):
    return page.get_translation(Locale.objects.get(language_code="de")).specific


def listed(html, page):
    """The listing's link to `page`, with the attributes it carries."""
    found = re.search(
        rf'<a href="{re.escape(page.url)}"([^>]*)>{re.escape(page.title)}</a>( <span[^>]*>[^<]*</span>)?', html
    )
    assert found, (page.url, page.title)
    return found.group(1), found.group(2) or ""


def test_a_german_area_lists_every_module_in_german_where_translated(client, academy):
    area = translate(en("payments"), "de", "Zahlungen")
    basics = translate(en("payment-basics"), "de", "Zahlungsgrundlagen")
    chargebacks = en("chargebacks")
    html = client.get(area.url).content.decode()
    not_yet = in_language("de", "not yet translated")

    assert listed(html, basics) == ("", "")
    attributes, badge = listed(html, chargebacks)
    assert attributes == ' lang="en"' and not_yet in badge
    assert html.count(not_yet) == 1
    # The English area lists its modules as before, nothing marked.
    client.cookies["django_language"] = "en"
    english = client.get(en("payments").url).content.decode()
    assert listed(english, en("chargebacks")) == ("", "") and in_language("en", not_yet) not in english


def test_the_german_area_index_counts_the_modules_its_areas_list(client, academy):
    area = translate(en("payments"), "de", "Zahlungen")
    translate(en("payment-basics"), "de", "Zahlungsgrundlagen")
    response = client.get(german(en("areas")).url)
    counts = {area.title: area.module_count for area in response.context["areas"]}
    assert counts[area.title] == 2  # payment basics in German, chargebacks in English


def test_the_german_path_index_lists_untranslated_paths_in_english(client, academy):
    starter = translate(en("starter"), "de", "Einstieg")
    specialist = en("payments-specialist")
    html = client.get(german(en("paths")).url).content.decode()
    assert listed(html, starter) == ("", "")
    attributes, badge = listed(html, specialist)
    assert attributes == ' lang="en"' and in_language("de", "not yet translated") in badge
    # Each path once: the English starter is not listed next to its German translation.
    assert html.count(f'href="{en("starter").url}"') == 0
