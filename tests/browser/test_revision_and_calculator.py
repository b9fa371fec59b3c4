"""An editor publishes a significant revision with a change note; a learner who completed the earlier version
sees "Updated since you completed it" with the note on My learning and on the module, with the changed block
marked (opening it records the re-read); then uses the module's calculator, a plain GET form."""

import re

import pytest
from playwright.sync_api import expect

from learning.catalogue import bodytext
from learning.records.revision_models import ModuleReRead
from tests.factories import work_through

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODY = """Returns cost more than the label.

:::calculator return What one return costs
outbound_shipping: 4.90
return_shipping: 5.50
handling: 3
product_cost: 20
write_off: 15
return_rate: 30
:::
"""


def sign_in(page, url, username, password="a-long-test-password"):
    page.goto(url)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.locator("main button[type=submit], form button[type=submit]").last.click()


def test_significant_revision_note_reread_and_calculator(live_server, page, browser, academy, make_user):
    base, module = live_server.url, academy["returns"]
    module.body = bodytext.parse(BODY, seed="returns")
    module.save_revision().publish()
    lena = make_user("lena", display_name="Lena Learner")
    work_through(lena, [type(module).objects.get(pk=module.pk)])

    # The editor changes the calculator's title and publishes a significant revision with a note.
    make_user("boss", is_superuser=True, is_staff=True)
    sign_in(page, base + "/admin/login/", "boss")
    page.wait_for_url(base + "/admin/")
    page.goto(f"{base}/admin/pages/{module.pk}/edit/")
    page.locator("#body-1-value-title").fill("What one return costs since 2027")
    page.get_by_role("tab", name="Settings").click()
    page.get_by_label("Significant revision").check()
    page.get_by_label("Change note").fill("Return labels now cost more; the calculator shows the new figures.")
    page.locator("footer [data-w-dropdown-target='toggle'], footer .dropdown-toggle").first.click()
    with page.expect_navigation():
        page.locator("button[name=action-publish]").click()
    expect(page.locator(".messages .success").first).to_be_visible()

    learner = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    sign_in(learner, base + "/accounts/login/", "lena")
    learner.wait_for_url(base + "/learn/")
    updated = learner.locator("section.revision-notice")
    expect(updated.get_by_role("heading", name="Updated since you completed it")).to_be_visible()
    expect(updated.get_by_text("Return labels now cost more")).to_be_visible()
    updated.get_by_role("link", name=module.title).click()
    learner.wait_for_url(re.compile(re.escape(module.url)))
    expect(learner.get_by_role("heading", name="Updated since you completed it")).to_be_visible()
    expect(learner.locator(".revision-changed .calculator")).to_have_count(1)
    assert ModuleReRead.objects.filter(user=lena, module=module).count() == 1

    # The calculator: the worked example first, then the learner's own return rate, computed on the server.
    calculator = learner.locator("section.calculator")
    expect(calculator.get_by_text("16.40", exact=True)).to_be_visible()
    expect(calculator.get_by_text("4.92", exact=True)).to_be_visible()
    calculator.get_by_label("Return rate (%)").fill("50")
    with learner.expect_navigation():
        calculator.get_by_role("button", name="Calculate").click()
    assert "calc=" in learner.url and "return_rate=50" in learner.url
    calculator = learner.locator("section.calculator")
    expect(calculator.get_by_text("With your figures:")).to_be_visible()
    expect(calculator.get_by_text("8.20", exact=True)).to_be_visible()
    # 390 px: no sideways scroll.
    assert learner.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
