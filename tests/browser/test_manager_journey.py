"""The demo manager in Debian's Chromium: assign a path with a due date, read the matrix, open a
member, download the CSV. axe-core checks the team and member pages."""

import csv
import datetime
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.conftest import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_assigns_a_path_and_reviews_the_team(live_server, page, academy, axe):
    call_command("load_demo", file=str(ROOT / "tests" / "fixtures" / "demo.yaml"), force=True)
    base = live_server.url
    page.goto(base + "/accounts/login/")
    page.get_by_label("Username").fill("manager")
    page.get_by_label("Password").fill("test-demo-pass")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(base + "/learn/")

    page.goto(base + "/learn/")
    page.get_by_role("link", name="Your teams' progress").click()
    page.get_by_role("link", name="Shop team").click()
    assert page.get_by_role("heading", name="Progress by member").is_visible()
    assert axe(page) == []

    due = (datetime.date.today() + datetime.timedelta(days=14)).isoformat()
    page.get_by_label("Select Member Three").check()
    page.locator("#id_path").select_option(label="Payments specialist")  # the action bar's path
    page.get_by_label("Due on").fill(due)
    page.get_by_role("button", name="Assign", exact=True).click()
    expect(page.get_by_text("Assigned “Payments specialist” to 1 member(s).")).to_be_visible()
    row = page.locator("tr", has=page.get_by_role("link", name="Member Three"))
    assert "Not started" in row.inner_text() and "0%" in row.inner_text()
    expect(page.get_by_role("link", name=re.compile(r"\d+ members? (is|are) overdue"))).to_be_visible()

    page.get_by_role("link", name="Member One").click()
    assert page.get_by_role("heading", name="Member One").is_visible()
    assert page.get_by_text("Starter").first.is_visible()
    assert axe(page) == []

    page.go_back()
    with page.expect_download() as download:
        page.get_by_role("link", name="matrix (CSV)").click()
    with open(download.value.path(), encoding="utf-8", newline="") as exported:
        rows = list(csv.reader(exported))
    assert rows[0][:4] == ["Member", "Path", "Status", "Progress"]
    assert ["Member Three", "Payments specialist", "Not started", "0"] in [r[:4] for r in rows]
    assert ["Member One", "Starter", "Done", "100"] in [r[:4] for r in rows]
