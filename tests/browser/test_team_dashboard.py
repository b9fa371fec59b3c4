"""The team page as a manager of 42 uses it, in Debian's Chromium: filter to the overdue members, remind
one, assign a path to a selection, export the filtered view (its rows equal the screen); on a 390 px
phone one card per member without sideways scroll; the chart's labels whole and at least 12 px at
desktop and phone widths; the member column in view when the matrix scrolls sideways. axe on each."""

import csv
import datetime

import pytest
from playwright.sync_api import expect

from learning.models import Enrolment, Reminder, Team
from learning.records import services
from tests.factories import work_through

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-test-password"
PHONE, DESK = {"width": 390, "height": 844}, {"width": 1280, "height": 900}


@pytest.fixture
def team_of_42(academy, make_user):
    """42 members on the Starter path: every seventh overdue (6), a third with the first module done."""
    manager = make_user("maria", display_name="Maria Manager")
    team = Team.objects.create(name="Online shop team")
    team.managers.add(manager)
    members = [make_user(f"m{i:02d}", display_name=f"Member {i:02d}", email=f"m{i:02d}@example.org") for i in range(42)]
    team.members.add(*members)
    services.assignment_create(manager=manager, members=members, path=academy["starter"], due_in_days=20)
    overdue = members[::7]
    today = datetime.date.today()
    Enrolment.objects.filter(user__in=overdue).update(due_date=today - datetime.timedelta(days=2))
    for member in members[1::3]:
        work_through(member, [academy["payment-basics"]])
    return {"team": team, "members": members, "overdue": overdue}


def sign_in(page, base):
    page.goto(base + "/accounts/login/")
    page.get_by_label("Username").fill("maria")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(base + "/learn/")


def shown_names(page):
    return page.locator("tbody .member-link").all_inner_texts()


def test_a_manager_of_42_filters_reminds_assigns_and_exports(live_server, page, team_of_42, axe, mailoutbox):
    base, team = live_server.url, team_of_42["team"]
    page.set_viewport_size(DESK)
    sign_in(page, base)
    page.goto(f"{base}/team/{team.pk}/")
    assert len(shown_names(page)) == 42 and axe(page) == []

    page.get_by_role("link", name="6 members are overdue").click()
    assert page.url.endswith("?status=overdue")
    overdue = shown_names(page)
    assert overdue == [m.name for m in team_of_42["overdue"]]

    first = overdue[0]
    page.get_by_role("button", name=f"Remind now {first}").click()
    expect(page.get_by_text(f"Reminder sent to {first}.")).to_be_visible()
    assert page.url.endswith("?status=overdue")  # back where the manager was
    assert [m.to for m in mailoutbox] == [[f"{team_of_42['overdue'][0].email}"]]
    page.get_by_role("button", name=f"Remind now {first}").click()
    expect(page.get_by_text(f"Already reminded today, not sent again: {first}.")).to_be_visible()
    assert len(mailoutbox) == 1 and Reminder.objects.filter(kind=Reminder.MANUAL).count() == 1

    for name in overdue[1:3]:
        page.get_by_label(f"Select {name}").check()
    page.get_by_label("Path", exact=True).last.select_option(label="Payments specialist")
    due = (datetime.date.today() + datetime.timedelta(days=14)).isoformat()
    page.get_by_label("Due on").fill(due)
    page.get_by_role("button", name="Assign", exact=True).click()
    expect(page.get_by_text("Assigned “Payments specialist” to 2 member(s).")).to_be_visible()
    assigned = Enrolment.objects.filter(path__slug="payments-specialist", source="assigned")
    assert sorted(assigned.values_list("user__display_name", flat=True)) == overdue[1:3]
    assert axe(page) == []

    page.get_by_label("Sort by").select_option("name")
    page.get_by_role("button", name="Show", exact=True).click()
    screen = [
        [cells[0], cells[1]]
        for row in page.locator("tbody tr").all()
        for cells in [row.locator("th, td").all_inner_texts()]
    ]
    screen_rows = [(row.locator(".member-link").inner_text(), row) for row in page.locator("tbody tr").all()]
    with page.expect_download() as download:
        page.get_by_role("link", name="matrix (CSV)").click()
    with open(download.value.path(), encoding="utf-8", newline="") as exported:
        rows = list(csv.reader(exported))
    assert rows[0][:4] == ["Member", "Path", "Status", "Progress"]
    expected = []
    for name, row in screen_rows:
        for cell in row.locator("td[data-label]:not(.unassigned)").all()[:-1]:  # the last is last activity
            status = cell.locator(".status").inner_text()
            percent = cell.locator(".facts").inner_text().split("%")[0]
            expected.append([name, cell.get_attribute("data-label"), status, percent])
    assert [row[:4] for row in rows[1:]] == expected and len(expected) == 6 + 2 and screen


def test_the_team_page_on_a_phone_and_a_desk(live_server, browser, team_of_42, axe, academy):
    team = team_of_42["team"]
    services.assignment_create(
        manager=team.managers.get(),
        members=team_of_42["members"][:1],
        path=academy["payments-specialist"],
        due_in_days=30,
    )
    for viewport in (PHONE, DESK):
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        sign_in(page, live_server.url)
        page.goto(f"{live_server.url}/team/{team.pk}/")
        labels = page.evaluate(
            """() => [...document.querySelectorAll('.team-chart .chart-label, .team-chart .chart-figures')].map(el => {
                const box = el.getBoundingClientRect();
                return {text: el.textContent, size: parseFloat(getComputedStyle(el).fontSize),
                        cut: el.scrollWidth > el.clientWidth + 1, left: box.left, right: box.right};
            })"""
        )
        assert labels and all(label["size"] >= 12 for label in labels), labels
        assert all(not label["cut"] and label["left"] >= 0 and label["right"] <= viewport["width"] for label in labels)
        assert any("1 of 42 done" not in label["text"] and "overdue" in label["text"] for label in labels)
        if viewport is PHONE:
            width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
            assert width[0] <= width[1], width
            card = page.locator("tbody tr").first
            assert card.locator("td.unassigned").first.is_hidden()  # a card lists the member's own paths
            assert card.locator("td[data-label='Starter']").is_visible()
        else:
            scroller = page.locator(".team-scroll")
            scroller.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
            name = page.locator("tbody .member-cell").first
            assert name.evaluate("el => getComputedStyle(el).position") == "sticky"
            box, frame = name.bounding_box(), scroller.bounding_box()
            assert box["x"] >= frame["x"] - 1 and box["x"] + box["width"] <= frame["x"] + frame["width"]
        assert axe(page) == []
        context.close()
