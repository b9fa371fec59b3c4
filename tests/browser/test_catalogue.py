"""A visitor browses the catalogue in Debian's Chromium; axe-core finds no serious barrier."""

import re

import pytest
from django.contrib.auth import get_user_model

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_goes_from_home_to_a_path_and_a_module(live_server, page, academy, axe):
    page.goto(live_server.url + "/")
    assert page.get_by_role("heading", name="Learning paths by role").is_visible()
    assert axe(page) == []

    page.get_by_role("link", name="Starter").click()
    page.wait_for_url("**/paths/starter/")
    stage = page.locator(".stage").first
    assert stage.get_by_role("heading", name="First week").is_visible()
    assert "Required" in stage.inner_text()
    assert axe(page) == []
    sign_in = page.get_by_role("link", name="Sign in to enrol")
    assert sign_in.get_attribute("href") == "/accounts/login/?next=/paths/starter/"

    page.get_by_role("link", name="Payment basics").click()
    page.wait_for_url(re.compile(r"/areas/payments/payment-basics/(\?path=starter)?$"))
    assert page.get_by_role("heading", name="Check your understanding").is_visible()
    assert page.locator(".key-terms dt").first.inner_text() == "Term"
    assert axe(page) == []


def test_areas_and_the_sign_in_page_have_no_serious_barrier(live_server, page, academy, axe):
    page.goto(live_server.url + "/areas/")
    page.get_by_role("link", name="Payments").first.click()
    page.wait_for_url("**/areas/payments/")
    assert page.get_by_role("link", name="Payment basics").is_visible()
    assert axe(page) == []

    page.goto(live_server.url + "/accounts/login/")
    assert page.get_by_label("Username").is_visible()
    assert axe(page) == []


def test_the_layout_holds_on_a_phone(live_server, browser, academy):
    context = browser.new_context(viewport={"width": 375, "height": 740})
    phone = context.new_page()
    phone.goto(live_server.url + "/areas/payments/payment-basics/")
    overflow = phone.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    context.close()


def test_unknown_page_shows_the_academy_404(live_server, page, academy):
    response = page.goto(live_server.url + "/nowhere/")
    assert response.status == 404
    assert page.get_by_role("heading", name="Page not found").is_visible()


def test_a_visitor_signs_in_from_the_path_page_and_comes_back_to_enrol(live_server, page, academy):
    get_user_model().objects.create_user("vera", password="a-long-test-password")
    page.goto(live_server.url + "/paths/starter/")
    page.get_by_role("link", name="Sign in to enrol").click()
    page.get_by_label("Username").fill("vera")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/paths/starter/")
    page.get_by_role("button", name="Enrol in this path").click()
    assert page.get_by_text("You are enrolled").is_visible()


def test_an_unknown_certificate_id_is_named_as_such(live_server, page, academy, axe):
    response = page.goto(live_server.url + "/certificates/verify/no-such-id/")
    assert response.status == 404
    assert page.get_by_text("No certificate has this id.").is_visible()
    assert axe(page) == []
