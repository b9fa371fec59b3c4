"""Search in Debian's Chromium: one search box, filters that work without JavaScript, marked words, passing
mentions behind a disclosure; axe finds nothing (any impact) in either colour scheme, at 1280 and 390 px,
and the page never scrolls sideways."""

import re

import pytest

from tests.browser.test_design import every_violation
from tests.catalogue.test_search_results import rewrite

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def test_a_visitor_searches_and_filters_without_javascript(live_server, browser, academy):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/search/")
    assert page.get_by_role("searchbox").count() == 1  # the header's box gives way to the page's
    page.get_by_role("searchbox").fill("needs")
    page.get_by_label("Knowledge area").select_option(label="Data protection and law")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/search/?q=needs&area=law&path=")
    assert page.locator(".search-count").inner_text() == "2 results for “needs”"
    results = page.locator(".search-results > li > a")
    assert sorted(results.all_inner_texts()) == ["Consent and cookies", "Right of withdrawal"]
    assert page.locator(".search-snippet mark").first.inner_text() == "needs"
    # The path filter combines with the area; removing the area keeps the path.
    page.get_by_label("Path").select_option(label="Starter")
    page.get_by_role("button", name="Search").click()
    assert page.locator(".search-results > li > a").all_inner_texts() == ["Consent and cookies"]
    page.get_by_role("link", name=re.compile(r"^Remove this filter\W+Data protection and law$")).click()
    assert page.get_by_label("Knowledge area").input_value() == ""
    assert page.get_by_label("Path").input_value() == "starter"
    assert len(page.locator(".search-results > li > a").all_inner_texts()) == 4  # Starter's four modules
    context.close()


def test_passing_mentions_open_from_their_summary(live_server, page, academy):
    rewrite(academy["shipping"], body="Parcels, carriers and, once, returns.")
    page.goto(live_server.url + "/search/?q=returns")
    shipping = page.get_by_role("link", name="Shipping", exact=True)
    assert not shipping.is_visible()
    page.get_by_text("1 more module mentions “returns” in passing").click()
    assert shipping.is_visible()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_search_page_passes_axe_and_fits_a_phone(live_server, browser, academy, scheme):
    rewrite(academy["shipping"], body="Parcels, carriers and, once, returns.")
    found = {}
    for viewport in ({"width": 1280, "height": 900}, PHONE):
        context = browser.new_context(viewport=viewport, color_scheme=scheme)
        page = context.new_page()
        for url in ("/search/", "/search/?q=returns", "/search/?q=needs&area=law&path=starter", "/de/search/?q=x"):
            page.goto(live_server.url + url)
            for summary in page.locator("details.search-mentions > summary").all():
                summary.click()
            sideways = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            if violations := every_violation(page) + ([("sideways", sideways)] if sideways > 0 else []):
                found[(viewport["width"], url)] = violations
        context.close()
    assert found == {}
