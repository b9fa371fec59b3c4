"""The demo editor in Wagtail's admin, in Debian's Chromium: edit a module, add a quiz question and
a reading, submit for approval; a lead editor approves, which publishes; a learner then sees both on
the module page. And "Go to the first error" finds a broken quiz question."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from playwright.sync_api import expect

from tests.conftest import ROOT
from tests.factories import question, quiz_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, url, username, password):
    page.goto(url)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.locator("main button[type=submit], form button[type=submit]").last.click()


def test_editor_adds_a_question_and_a_reading_a_lead_approves_and_a_learner_sees_them(
    live_server, page, browser, academy, make_user
):
    call_command("load_demo", file=str(ROOT / "tests" / "fixtures" / "demo.yaml"), force=True)
    base, module = live_server.url, academy["payment-basics"]
    sign_in(page, base + "/admin/login/", "editor", "test-demo-pass")
    page.wait_for_url(base + "/admin/")
    page.goto(f"{base}/admin/pages/{module.pk}/edit/")

    page.get_by_role("tab", name="Quiz").click()
    quiz_panel = page.locator("#tab-quiz")
    quiz_panel.locator("button.c-sf-add-button").first.click()
    new = len(module.quiz)  # the new block's form index follows the existing questions
    page.locator(f"#quiz-{new}-value-prompt").fill("Which document tells a shopper how to cancel an order?")
    new_block = (
        page.locator("[data-contentpath]")
        .filter(has=page.locator(f"#quiz-{new}-value-prompt"))
        .filter(has=page.locator("[data-contentpath='choices']"))
        .last
    )
    # A new question starts with one empty choice; the editor fills it and adds a second.
    page.locator(f"#quiz-{new}-value-choices-0-value-text").fill("The withdrawal notice")
    page.locator(f"#quiz-{new}-value-choices-0-value-correct").check()
    page.locator(f"#quiz-{new}-value-choices-0-value-feedback").fill("Right: it explains the 14 days.")
    new_block.locator("[data-contentpath='choices'] button.c-sf-add-button").last.click()
    page.locator(f"#quiz-{new}-value-choices-1-value-text").fill("The delivery note")

    page.get_by_role("tab", name="Readings").click()
    page.locator("#id_readings-ADD").click()
    page.locator("#id_readings-1-title").fill("Consumer rights in the EU")
    page.locator("#id_readings-1-url").fill("https://europa.eu/youreurope/citizens/consumers/index_en.htm")
    page.locator("#id_readings-1-publisher").fill("European Union")
    page.locator("#id_readings-1-kind").select_option("guide")
    page.locator("#id_readings-1-why").fill("The official summary of what a shopper may do.")

    # Editors submit; they are not offered Publish.
    page.locator("footer [data-w-dropdown-target='toggle'], footer .dropdown-toggle").first.click()
    assert page.locator("button[name=action-publish]").count() == 0
    page.locator("button[name=action-submit]").click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/$"))
    assert page.get_by_text(re.compile("has been submitted for moderation")).first.is_visible()
    assert "Which document tells a shopper" not in browser.new_context().new_page().goto(base + module.url).text()

    # A lead editor approves, which publishes.
    lead = make_user("lea", is_staff=True)
    lead.groups.add(Group.objects.get(name="Lead editors"))
    page.context.clear_cookies()
    sign_in(page, base + "/admin/login/", "lea", "a-long-test-password")
    page.wait_for_url(base + "/admin/")
    page.goto(f"{base}/admin/pages/{module.pk}/edit/")
    page.locator("footer [data-w-dropdown-target='toggle'], footer .dropdown-toggle").first.click()
    with page.expect_navigation():
        page.locator("footer button[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])").click()
    expect(page.locator(".messages .success").first).to_be_visible()  # approved: the learner below sees it live

    learner = browser.new_context().new_page()
    sign_in(learner, base + "/accounts/login/", "learner", "test-demo-pass")
    learner.wait_for_url(base + "/learn/")
    learner.goto(base + module.url)
    assert learner.get_by_text("Which document tells a shopper how to cancel an order?").is_visible()
    assert learner.get_by_text("The withdrawal notice").is_visible()
    assert learner.get_by_role("link", name=re.compile("Consumer rights in the EU")).is_visible()
    assert "Right: it explains" not in learner.content()


def test_go_to_the_first_error_shows_the_failing_question(live_server, page, academy, make_user):
    """A quiz whose 3rd question has no right choice: the error is shown at that question, and
    "Go to the first error" (pressed from the Content tab, where the editor lands) brings it into view."""
    make_user("boss", is_superuser=True, is_staff=True)
    module = academy["payment-basics"]
    module.quiz = quiz_data(
        question("q1", prompt="First?"),
        question("q2", prompt="Second?"),
        question("q3", prompt="Third, without a right choice?", right=(), wrong=("A", "B")),
    )
    module.save_revision()
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, live_server.url + "/admin/login/", "boss", "a-long-test-password")
    page.wait_for_url(live_server.url + "/admin/")
    page.goto(f"{live_server.url}/admin/pages/{module.pk}/edit/")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_role("button", name="Go to the first error").click()

    error = page.get_by_text("Mark at least one choice as correct.")
    expect(error).to_be_focused()
    expect(error).to_be_in_viewport()
    third = (
        page.locator("[data-contentpath]")
        .filter(has=page.locator("#quiz-2-value-prompt"))
        .filter(has=page.locator("[data-contentpath='choices']"))
        .last
    )
    expect(third.get_by_text("Mark at least one choice as correct.")).to_have_count(1)
