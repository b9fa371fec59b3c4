"""Search filters by knowledge area and by path: GET parameters beside the query (a plain form, no script),
combinable, in every language, each with a link that removes it."""

import re

import pytest

from tests.catalogue.test_search_results import rewrite


def module_titles(html):
    return re.findall(r'<li><a href="[^"]+"(?: lang="\w+")?>([^<]+)</a>', html.split("<h1>", 1)[1])


@pytest.fixture
def needs(academy):
    """Every fixture module's summary says what a new hire 'needs' to know: one word, six modules."""
    return "needs"


def test_without_a_filter_every_module_matches(client, needs):
    titles = module_titles(client.get("/search/", {"q": needs}).content.decode())
    assert len(titles) == 6


def test_the_area_filter_keeps_that_area_s_modules(client, needs):
    html = client.get("/search/", {"q": needs, "area": "law"}).content.decode()
    assert sorted(module_titles(html)) == ["Consent and cookies", "Right of withdrawal"]
    assert '<option value="law" selected>Data protection and law</option>' in html
    assert "2 results for “needs”" in html


def test_the_path_filter_keeps_that_path_s_modules(client, needs):
    html = client.get("/search/", {"q": needs, "path": "payments-specialist"}).content.decode()
    assert sorted(module_titles(html)) == ["Chargebacks", "Payment basics", "Right of withdrawal"]
    assert '<option value="payments-specialist" selected>Payments specialist</option>' in html


def test_area_and_path_filters_combine(client, needs):
    html = client.get("/search/", {"q": needs, "path": "payments-specialist", "area": "law"}).content.decode()
    assert module_titles(html) == ["Right of withdrawal"]


def test_each_active_filter_has_a_link_that_removes_it(client, needs):
    html = client.get("/search/", {"q": needs, "area": "law", "path": "starter"}).content.decode()
    assert 'href="?q=needs&amp;path=starter"' in html  # the area removed
    assert 'href="?q=needs&amp;area=law"' in html  # the path removed
    assert module_titles(html) == ["Consent and cookies"]


def test_a_filter_narrows_modules_and_leaves_paths_and_areas_out(client, academy):
    rewrite(academy["chargebacks"], summary="All about payments disputes.")
    plain = client.get("/search/", {"q": "payments"}).content.decode()
    assert "<h2>Knowledge areas</h2>" in plain  # "Payments", the area
    filtered = client.get("/search/", {"q": "payments", "area": "payments"}).content.decode()
    assert "<h2>Knowledge areas</h2>" not in filtered and "Chargebacks" in module_titles(filtered)


def test_an_unknown_filter_is_ignored(client, needs):
    html = client.get("/search/", {"q": needs, "area": "<nowhere>", "path": "nowhere"}).content.decode()
    assert len(module_titles(html)) == 6 and "&lt;nowhere&gt;" not in html


def test_the_filters_are_a_plain_get_form(client, needs):
    html = client.get("/search/", {"q": needs}).content.decode()
    form = re.search(r'<form method="get" action="/search/" class="search-page-form".*?</form>', html, re.S).group()
    assert 'name="q"' in form and '<select id="search-area" name="area">' in form
    assert '<select id="search-path" name="path">' in form and '<button type="submit"' in form
    assert '<label for="search-area">' in form and '<label for="search-path">' in form


def test_german_filters_name_german_areas_and_find_german_modules(client, academy):
    html = client.get("/de/search/", {"q": "Retourenmanagement", "area": "logistics"}).content.decode()
    assert module_titles(html) == ["Retourenmanagement"]
    # Logistics is translated (the fixture's German area); Payments is not and is offered in English.
    options = dict(re.findall(r'<option value="([\w-]+)"(?: selected)?((?: lang="en")?)>', html))
    assert options["logistics"] == "" and options["payments"] == ' lang="en"'
    # An English module not yet translated is found under its area's filter on the German search too.
    html = client.get("/de/search/", {"q": "chargebacks", "area": "payments"}).content.decode()
    assert module_titles(html) == ["Chargebacks"]
