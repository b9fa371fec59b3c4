"""A new hire's first day in Debian's Chromium: sign in, enrol, read, fail and pass a quiz, finish a
short path, and verify the certificate. axe-core checks every page type on the way."""

import re

import pytest
from django.contrib.auth import get_user_model

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-test-password"


def sign_in(page, base, username):
    page.goto(base + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def answer(page, choices):
    for text in choices:
        page.locator(".quiz-form label", has_text=re.compile(rf"^\s*{re.escape(text)}\s*$")).click()
    page.get_by_role("button", name=re.compile("Submit")).click()


def pass_quiz(page):
    answer(page, ["The right one", "Right A", "Right B"])
    assert page.get_by_text("Passed with 100%").is_visible()


def test_learner_finishes_a_short_path_and_verifies_the_certificate(live_server, page, browser, academy, axe):
    get_user_model().objects.create_user("nina", password=PASSWORD, display_name="Nina Neumann")
    base = live_server.url
    # Readings point outside; this one is stored as a loopback URL so no traffic leaves the machine.
    reading_url = base + "/healthz?reading=payment-basics"
    academy["payment-basics"].readings.update(url=reading_url)

    sign_in(page, base, "nina")
    page.wait_for_url(base + "/learn/")  # sign-in lands on My learning
    assert page.get_by_role("heading", name="Welcome, Nina Neumann").is_visible()
    assert page.get_by_role("heading", name="Pick the path for your role").is_visible()
    assert axe(page) == []

    page.goto(base + "/paths/starter/")
    page.get_by_role("button", name="Enrol in this path").click()
    assert page.get_by_text("0 of 3 required modules").is_visible()
    assert axe(page) == []

    page.get_by_role("link", name=re.compile("^Continue")).click()
    page.wait_for_url(re.compile(r"/areas/payments/payment-basics/"))
    assert axe(page) == []
    with page.context.expect_page() as reading:
        page.get_by_role("link", name=re.compile("Payment basics explained")).click()
    reading.value.wait_for_load_state()
    assert reading.value.url == reading_url
    reading.value.close()
    page.reload()
    assert page.get_by_text("✓ Opened").is_visible()

    answer(page, ["A wrong one"])
    assert page.get_by_text(re.compile("not passed yet")).is_visible()
    assert page.get_by_text("Because it is.").is_visible()
    assert axe(page) == []
    page.get_by_role("link", name="Try again").click()
    pass_quiz(page)
    assert page.get_by_text("This module is complete.").is_visible()

    page.goto(base + "/paths/starter/")
    assert page.get_by_text("1 of 3 required modules").is_visible()
    assert page.locator("[aria-current=step]").get_by_role("link").inner_text() == "Returns management"

    page.goto(base + "/")  # the home page carries on where the learner left off
    assert page.get_by_role("heading", name="Welcome back, Nina Neumann").is_visible()
    assert axe(page) == []
    page.get_by_role("link", name="Continue: Returns management").click()
    pass_quiz(page)
    assert page.get_by_role("link", name=re.compile("^Next module: Consent")).is_visible()
    page.get_by_role("link", name=re.compile("^Next module")).click()
    pass_quiz(page)
    # the last required module: the moment of completion, not an offer of the elective after it
    assert page.get_by_text("You have completed the path “Starter”.").is_visible()
    assert page.get_by_role("link", name=re.compile("^Next module")).count() == 0
    assert axe(page) == []
    page.get_by_role("link", name="View your certificate").click()
    assert page.locator(".certificate .name").first.inner_text() == "Nina Neumann"

    page.goto(base + "/learn/")
    assert page.get_by_role("heading", name="Welcome back, Nina Neumann").is_visible()
    assert page.locator("h2").first.inner_text() == "Completed paths"
    assert page.get_by_text("Recently completed").is_visible()
    assert axe(page) == []
    page.get_by_role("link", name="View certificate").click()
    assert page.locator(".certificate .name").first.inner_text() == "Nina Neumann"
    assert axe(page) == []
    verify_url = page.get_by_role("link", name="Open the public verification page").get_attribute("href")

    stranger = browser.new_context()
    public = stranger.new_page()
    public.goto(base + verify_url)
    assert public.get_by_text("Valid").is_visible() and public.get_by_text("Nina Neumann").is_visible()
    assert public.get_by_text("Starter").is_visible()
    stranger.close()


def test_the_quiz_works_by_keyboard_alone(live_server, page, academy):
    get_user_model().objects.create_user("kai", password=PASSWORD)
    sign_in(page, live_server.url, "kai")
    page.goto(live_server.url + "/areas/payments/payment-basics/")
    first = page.locator(".quiz-form input[type=radio]").first
    first.focus()
    focused_outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    page.keyboard.press("Space")
    assert page.evaluate("() => document.activeElement.checked")
    assert focused_outline != "none" or page.evaluate("() => document.activeElement.matches(':focus-visible')")


def test_back_after_submitting_a_quiz_leaves_no_answer_ticked(live_server, page, academy):
    # Back reloads the module with a new token and reshuffled choices: ticks restored by position
    # would land on answers the learner never chose.
    get_user_model().objects.create_user("ben", password=PASSWORD)
    sign_in(page, live_server.url, "ben")
    page.goto(live_server.url + "/areas/payments/payment-basics/")
    answer(page, ["A wrong one", "Right A", "Wrong C"])
    assert page.get_by_text(re.compile("not passed yet")).is_visible()
    page.go_back()
    page.wait_for_selector(".quiz-form")
    assert page.locator(".quiz-form input:checked").count() == 0
