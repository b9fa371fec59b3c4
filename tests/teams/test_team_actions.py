"""Acting on ticked members from the team page: assign with a due date, remind now (once a day,
recorded, said when it was already sent), unassign after a confirmation naming them; and the
attempts that must change nothing: another team's manager, a learner, ids from another team, no CSRF."""

import pytest
from django.test import Client

from learning.models import Enrolment, Reminder, Team
from learning.records import services
from tests.teams.conftest import days


def url(scenario, action):
    return f"/team/{scenario['team'].pk}/{action}/"


def ids(scenario, *keys):
    return [scenario["people"][key].pk for key in keys]


def test_assigning_a_path_with_a_due_date_to_the_ticked_members(scenario, client, academy):
    client.force_login(scenario["manager"])
    other = academy["payments-specialist"]
    back = f"/team/{scenario['team'].pk}/?status=overdue"
    response = client.post(
        url(scenario, "assign"),
        {"members": ids(scenario, "bo", "fi"), "path": other.pk, "due_date": days(14).isoformat(), "back": back},
    )
    assert response.status_code == 302 and response["Location"] == back  # back to the filtered page
    assigned = Enrolment.objects.filter(path=other, source="assigned")
    assert sorted(assigned.values_list("user__username", flat=True)) == ["bo", "fi"]
    assert {e.due_date for e in assigned} == {days(14)}
    follow = client.get(back).content.decode()
    assert "Assigned “Payments specialist” to 2 member(s)." in follow


def test_nobody_ticked_is_refused_with_a_message(scenario, client):
    client.force_login(scenario["manager"])
    response = client.post(url(scenario, "assign"), {"path": scenario["path"].pk, "due_in_days": 5})
    assert response.status_code == 400 and "Tick at least one member." in response.content.decode()


def test_remind_now_sends_one_mail_recorded_and_not_twice_a_day(scenario, client, mailoutbox):
    client.force_login(scenario["manager"])
    response = client.post(url(scenario, "remind"), {"only": scenario["people"]["bo"].pk}, follow=True)
    assert [m.to for m in mailoutbox] == [["bo@example.org"]]
    assert "Reminder sent to Bo Overdue." in response.content.decode()
    reminder = Reminder.objects.get(kind=Reminder.MANUAL)
    assert (reminder.recipient, reminder.enrolment.path) == (scenario["people"]["bo"], scenario["path"])

    again = client.post(url(scenario, "remind"), {"members": ids(scenario, "bo", "cy")}, follow=True)
    html = again.content.decode()
    assert "Already reminded today, not sent again: Bo Overdue." in html and "Reminder sent to Cy Soon." in html
    assert [m.to for m in mailoutbox] == [["bo@example.org"], ["cy@example.org"]]
    assert Reminder.objects.filter(kind=Reminder.MANUAL).count() == 2


def test_remind_now_skips_who_has_nothing_open_or_opted_out(scenario, client, mailoutbox):
    scenario["people"]["di"].reminders_opt_out = True
    scenario["people"]["di"].save()
    client.force_login(scenario["manager"])
    html = client.post(url(scenario, "remind"), {"members": ids(scenario, "ada", "di", "fi")}, follow=True)
    assert mailoutbox == [] and not Reminder.objects.exists()
    assert "No reminder for Ada Done, Di Idle, Fi Free" in html.content.decode()


def test_unassigning_ticked_members_asks_first_naming_them(scenario, client):
    client.force_login(scenario["manager"])
    data = {"members": ids(scenario, "bo", "cy", "fi"), "path": scenario["path"].pk}
    confirm = client.post(url(scenario, "unassign"), data)
    html = confirm.content.decode()
    assert confirm.status_code == 200 and "Remove “Starter” from 2 members?" in html
    assert "<li>Bo Overdue</li>" in html and "Fi Free" not in html  # Fi was never assigned it
    assert Enrolment.objects.filter(path=scenario["path"], source="assigned").count() == 5  # asking changed nothing
    done = client.post(url(scenario, "unassign"), {**data, "members": ids(scenario, "bo", "cy"), "confirmed": "yes"})
    assert done.status_code == 302
    assert set(
        Enrolment.objects.filter(path=scenario["path"], source="self").values_list("user__username", flat=True)
    ) == {"bo", "cy"}


@pytest.fixture
def outsiders(scenario, make_user, academy):
    """Another team with its own manager and member; a learner of no team."""
    other_manager = make_user("otto", email="otto@example.org")
    stranger = make_user("sven", display_name="Sven Stranger", email="sven@example.org")
    other = Team.objects.create(name="Other team")
    other.managers.add(other_manager)
    other.members.add(stranger)
    services.assignment_create(manager=other_manager, members=[stranger], path=academy["starter"], due_date=days(-2))
    return {"manager": other_manager, "stranger": stranger, "learner": scenario["people"]["bo"], "team": other}


@pytest.mark.parametrize("who", ["manager", "learner"])
def test_other_managers_and_learners_cannot_act_on_a_team(scenario, client, outsiders, mailoutbox, who, academy):
    client.force_login(outsiders[who])
    before = list(Enrolment.objects.order_by("pk").values_list("user_id", "path_id", "source", "due_date"))
    posts = {
        "assign": {"members": ids(scenario, "bo"), "path": academy["payments-specialist"].pk, "due_in_days": 3},
        "remind": {"members": ids(scenario, "bo")},
        "unassign": {"members": ids(scenario, "bo"), "path": scenario["path"].pk, "confirmed": "yes"},
    }
    for action, data in posts.items():
        assert client.post(url(scenario, action), data).status_code == 404, action
    assert list(Enrolment.objects.order_by("pk").values_list("user_id", "path_id", "source", "due_date")) == before
    assert mailoutbox == []


def test_member_ids_from_another_team_are_refused_whole(scenario, client, outsiders, mailoutbox, academy):
    """A tampered form mixing one's own member with another team's: 404, and nothing happens to either."""
    client.force_login(scenario["manager"])
    mixed = ids(scenario, "fi") + [outsiders["stranger"].pk]
    assign = {"members": mixed, "path": academy["payments-specialist"].pk, "due_in_days": 3}
    assert client.post(url(scenario, "assign"), assign).status_code == 404
    assert client.post(url(scenario, "remind"), {"members": mixed}).status_code == 404
    assert client.post(url(scenario, "remind"), {"only": outsiders["stranger"].pk}).status_code == 404
    unassign = {"members": [outsiders["stranger"].pk], "path": scenario["path"].pk, "confirmed": "yes"}
    assert client.post(url(scenario, "unassign"), unassign).status_code == 404
    assert not Enrolment.objects.filter(path=academy["payments-specialist"]).exists()
    assert Enrolment.objects.get(user=outsiders["stranger"]).source == "assigned"
    assert mailoutbox == []
    for junk in (["x"], ["-1"], ["99999999999999999999"]):
        response = client.post(url(scenario, "remind"), {"members": junk}, follow=True)
        assert response.status_code == 200 and mailoutbox == []


def test_actions_need_the_csrf_token(scenario, mailoutbox):
    client = Client(enforce_csrf_checks=True)
    client.force_login(scenario["manager"])
    assert client.post(url(scenario, "remind"), {"members": ids(scenario, "bo")}).status_code == 403
    assert mailoutbox == [] and not Reminder.objects.exists()
    page = client.get(f"/team/{scenario['team'].pk}/").content.decode()
    assert 'name="csrfmiddlewaretoken"' in page and 'formaction="/team/' in page
