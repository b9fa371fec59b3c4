"""Retrieval practice and test-out in Debian's Chromium: complete a module, review its questions a
simulated week later, and test out of another module; axe-core and a 390 px phone on the new pages."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.db.models import F

from learning.records import learner_state
from learning.records.practice_models import ReviewCard

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-test-password"
PHONE = {"width": 390, "height": 844}


def choose(page, form, texts):
    for text in texts:
        page.locator(f"{form} label", has_text=re.compile(rf"^\s*{re.escape(text)}\s*$")).first.click()


def fits_a_phone(page):
    page.set_viewport_size(PHONE)
    wide = page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth")
    page.set_viewport_size({"width": 1280, "height": 800})
    return not wide


def test_complete_review_a_week_later_and_test_out(live_server, page, academy, axe):
    user = get_user_model().objects.create_user("rita", password=PASSWORD)
    base = live_server.url
    page.goto(base + "/accounts/login/")
    page.get_by_label("Username").fill("rita")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(base + "/learn/")

    # Complete "returns" with one question missed (pass mark 50).
    page.goto(base + "/areas/logistics/returns/")
    choose(page, ".quiz-form", ["The right one", "Wrong C"])
    page.get_by_role("button", name=re.compile("Submit")).click()
    assert page.get_by_text("Passed with 50%").is_visible()
    assert ReviewCard.objects.filter(user=user).count() == 2

    # A week later: every schedule moved back seven days.
    ReviewCard.objects.filter(user=user).update(due=F("due") - datetime.timedelta(days=7))
    learner_state.changed(user)
    page.goto(base + "/learn/")
    assert page.get_by_role("heading", name="2 reviews due").is_visible()
    page.get_by_role("link", name="Start reviewing").click()
    page.wait_for_url(base + "/learn/reviews/")
    assert page.get_by_text("2 questions are due for review.").is_visible()
    assert axe(page) == [] and fits_a_phone(page)
    choose(page, ".review-form", ["The right one", "Right A", "Right B"])
    page.get_by_role("button", name="Check my answers").click()
    assert page.get_by_text("2 of 2 questions right.").is_visible()
    assert page.get_by_text("Because it is.").is_visible()  # the explanation after the answer
    assert axe(page) == [] and fits_a_phone(page)
    assert ReviewCard.objects.filter(user=user, reviews=1).count() == 2
    page.goto(base + "/learn/")
    assert page.get_by_role("heading", name=re.compile("reviews? due")).count() == 0

    # Test out of "consent" before taking its quiz.
    page.goto(base + "/areas/law/consent/")
    page.get_by_role("link", name="Test out of this module").click()
    page.wait_for_url(re.compile(r"/learn/test-out/\d+/"))
    assert axe(page) == [] and fits_a_phone(page)
    choose(page, ".quiz-form", ["The right one", "Right A", "Right B"])
    page.get_by_role("button", name="Submit my test-out").click()
    assert page.get_by_text("Tested out with 100%").is_visible()
    assert axe(page) == []
    page.goto(base + "/learn/")
    assert page.locator(".recent li", has_text="Consent").get_by_text("Tested out").is_visible()
