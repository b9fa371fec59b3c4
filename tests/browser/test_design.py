"""The design system in a browser (Debian's Chromium): on a 390 px phone the header is one row of at
most 64 px whose menu opens without JavaScript, no page scrolls sideways, and axe finds nothing on the
home, path, area and My learning pages in the light and the dark colour scheme."""

import pytest

from learning.records import services
from tests.conftest import AXE_JS
from tests.factories import work_through

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-test-password"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def lena(academy, make_user):
    learner = make_user("lena", display_name="Magdalena Wiśniewska-Schönberger")
    services.enrolment_create(user=learner, path=academy["starter"])
    services.enrolment_create(user=learner, path=academy["payments-specialist"])
    work_through(learner, [academy["payment-basics"]])
    return learner


def sign_in(page, base):
    page.goto(base + "/accounts/login/")
    page.get_by_label("Username").fill("lena")
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()
    page.wait_for_url(base + "/learn/")


def every_violation(page):
    """axe-core's violations of any impact (the shared fixture keeps the serious ones)."""
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [(v["id"], v["impact"], [node["target"] for node in v["nodes"]][:3]) for v in result["violations"]]


def test_on_a_phone_the_header_is_one_short_row_and_no_page_scrolls_sideways(live_server, browser, lena):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    sign_in(page, live_server.url)
    measured = {}
    for url in ("/", "/learn/", "/paths/", "/paths/starter/", "/areas/", "/areas/payments/", "/search/?q=payment"):
        page.goto(live_server.url + url)
        measured[url] = page.evaluate(
            """() => [document.querySelector('.site-header').getBoundingClientRect().height,
                      document.documentElement.scrollWidth - window.innerWidth]"""
        )
    context.close()
    assert {url: m for url, m in measured.items() if m[0] > 64 or m[1] > 0} == {}, measured


def test_the_phone_menu_opens_without_javascript(live_server, browser, academy):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/paths/")
    header = page.locator("header")
    assert not header.get_by_role("link", name="Areas").is_visible()
    header.get_by_text("Menu").click()
    for link in ("Areas", "Paths", "Sign in", "Deutsch", "Polski"):
        assert header.get_by_role("link", name=link).is_visible(), link
    assert header.get_by_role("searchbox").is_visible()
    header.get_by_role("link", name="Deutsch").click()
    assert page.evaluate("document.documentElement.lang") == "de"
    context.close()


def test_wide_screens_show_the_menu_as_a_row_without_a_toggle(live_server, page, academy):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/")
    header = page.locator("header")
    assert not header.get_by_text("Menu").is_visible()
    assert header.get_by_role("link", name="Areas").is_visible() and header.get_by_role("searchbox").is_visible()
    assert page.evaluate("document.querySelector('.site-header').getBoundingClientRect().height") <= 64


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_in_either_colour_scheme(live_server, browser, lena, scheme):
    found = {}
    for who in ("visitor", "lena"):
        for viewport in ({"width": 1280, "height": 900}, PHONE):
            context = browser.new_context(viewport=viewport, color_scheme=scheme)
            page = context.new_page()
            urls = ["/", "/paths/starter/", "/areas/", "/areas/payments/"]
            if who == "lena":
                sign_in(page, live_server.url)
                urls += ["/learn/"]
            for url in urls:
                page.goto(live_server.url + url)
                if violations := every_violation(page):
                    found[(who, viewport["width"], url)] = violations
            context.close()
    assert found == {}
