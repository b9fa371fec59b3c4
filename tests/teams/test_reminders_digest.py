"""The manager's weekly digest names who is overdue or due soon, with the path and its due date, says why it
came and how to stop it, goes out once a week, and respects the manager's opt-out."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext

from learning.models import Team
from learning.records import services
from learning.teams import reminders
from tests.factories import work_through

TODAY = datetime.date(2026, 3, 4)  # a Wednesday
BASE = "http://127.0.0.1:8602"


def day(n):
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def team(academy, make_user, settings):
    """Starter assigned to five: Bo overdue since 2 March, Al overdue since 3 March, Cy due on 6 March, Di on
    track (due in a month), Ed done; Fi has nothing assigned."""
    settings.WAGTAILADMIN_BASE_URL = BASE
    manager = make_user("maria", display_name="Maria Manager", email="maria@example.org")
    names = {"al": "Al Late", "bo": "Bo Overdue", "cy": "Cy Soon", "di": "Di Track", "ed": "Ed Done", "fi": "Fi Free"}
    people = {key: make_user(key, display_name=name, email=f"{key}@example.org") for key, name in names.items()}
    team = Team.objects.create(name="Shop team")
    team.managers.add(manager)
    team.members.add(*people.values())
    due = {"al": day(-1), "bo": day(-2), "cy": day(2), "di": day(30), "ed": day(-3)}
    for key, date in due.items():
        services.assignment_create(manager=manager, members=[people[key]], path=academy["starter"], due_date=date)
    work_through(people["ed"], [academy[s] for s in ("payment-basics", "returns", "consent")])
    return {"team": team, "manager": manager, "people": people}


def test_the_digest_names_who_is_overdue_and_who_is_due_soon(team, mailoutbox):
    assert reminders.send_manager_digests(today=TODAY) == 1
    (mail,) = mailoutbox

    assert mail.to == ["maria@example.org"]
    assert "Shop team: 2 members overdue" in mail.body
    overdue = "Overdue:\n- Bo Overdue: Starter, due on 2 March\n- Al Late: Starter, due on 3 March\n"
    assert overdue in mail.body  # longest overdue first
    assert "Due soon:\n- Cy Soon: Starter, due on 6 March\n" in mail.body
    for quiet in ("Di Track", "Ed Done", "Fi Free"):
        assert quiet not in mail.body
    assert "- Starter: 1/5 done, 2 overdue" in mail.body
    assert f"{BASE}/team/{team['team'].pk}/" in mail.body


def test_the_digest_says_why_it_came_and_how_to_stop_it(team, mailoutbox):
    reminders.send_manager_digests(today=TODAY)
    body = mailoutbox[0].body

    assert "Why you get this mail: you manage these teams. It comes once a week." in body
    assert f"You can turn these e-mails off in your profile. {BASE}/accounts/profile/#id_reminders_opt_out" in body


def test_a_long_list_names_the_first_and_links_to_the_rest(team, academy, make_user, mailoutbox, monkeypatch):
    monkeypatch.setattr(reminders, "DIGEST_NAMES", 1)
    reminders.send_manager_digests(today=TODAY)
    body = mailoutbox[0].body

    assert "- Bo Overdue: Starter" in body and "Al Late" not in body
    assert f"and 1 more: {BASE}/team/{team['team'].pk}/?status=overdue" in body
    assert "- Cy Soon: Starter" in body and "?status=due_soon" not in body


def test_the_digest_goes_out_once_a_week(team, mailoutbox):
    assert reminders.send_manager_digests(today=TODAY) == 1
    assert reminders.send_manager_digests(today=day(1)) == 0  # the same ISO week
    assert reminders.send_manager_digests(today=day(5)) == 1  # Monday, a new week
    assert len(mailoutbox) == 2


def test_a_manager_who_opted_out_gets_no_digest(team, mailoutbox):
    team["manager"].reminders_opt_out = True
    team["manager"].save()

    assert reminders.send_manager_digests(today=TODAY) == 0
    assert mailoutbox == []


def test_the_digest_names_people_in_the_managers_language(team, mailoutbox):
    team["manager"].preferred_language = "de"
    team["manager"].save()
    reminders.send_manager_digests(today=TODAY)
    body = mailoutbox[0].body

    with translation.override("de"):
        assert gettext("Overdue:") in body and gettext("Due soon:") in body
        line = gettext("%(m)s: %(p)s, due on %(d)s") % {"m": "Bo Overdue", "p": "Einstieg", "d": "2. März"}
        assert f"- {line}\n" in body
    assert f"{BASE}/de/team/{team['team'].pk}/" in body


def test_the_digest_costs_the_same_queries_for_5_and_60_members(team, academy, make_user, mailoutbox):
    def queries_for_a_digest(week):
        with CaptureQueriesContext(connection) as queries:
            assert reminders.send_manager_digests(today=day(7 * week)) == 1
        return len(queries)

    few = queries_for_a_digest(1)
    more = [make_user(f"extra{i}", display_name=f"Extra {i:02d}", email=f"x{i}@example.org") for i in range(55)]
    team["team"].members.add(*more)
    services.assignment_create(manager=team["manager"], members=more, path=academy["starter"], due_date=day(15))

    assert queries_for_a_digest(2) == few
