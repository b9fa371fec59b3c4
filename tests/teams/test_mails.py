"""Mails are plain text: names and titles reach the reader as written (O'Brien, R&D), never as HTML
entities (O&#x27;Brien, R&amp;D), and their links point at BASE_URL."""

import datetime

import pytest
from django.utils import timezone

from learning.models import Enrolment, Team
from learning.records import services
from learning.teams import invitations, reminders

ESCAPED = ("&#x27;", "&amp;", "&quot;", "&lt;", "&gt;", "&#39;")


@pytest.fixture
def rnd(academy, make_user, settings):
    """A team "R&D <shop>" run by Seán O'Brien, a member Zoë O'Neil with the path "Returns & refunds"
    due in two days, and a second path of hers overdue."""
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8123"
    manager = make_user("sean", display_name="Seán O'Brien", email="sean@example.org")
    member = make_user("zoe", display_name="Zoë O'Neil", email="zoe@example.org")
    team = Team.objects.create(name='R&D <shop> "Nord"')
    team.managers.add(manager)
    team.members.add(member)
    starter = academy["starter"]
    starter.title = "Returns & refunds"
    starter.save_revision().publish()
    services.assignment_create(
        manager=manager,
        members=[member],
        path=academy["starter"],
        due_date=timezone.localdate() + datetime.timedelta(days=2),
    )
    services.assignment_create(
        manager=manager,
        members=[member],
        path=academy["payments-specialist"],
        due_date=timezone.localdate() + datetime.timedelta(days=10),
    )
    Enrolment.objects.filter(user=member, path=academy["payments-specialist"]).update(
        due_date=timezone.localdate() - datetime.timedelta(days=3)
    )
    return {"manager": manager, "member": member, "team": team}


def unescaped(message):
    text = message.subject + "\n" + message.body
    assert not [entity for entity in ESCAPED if entity in text], text
    return text


def test_the_due_reminder_keeps_names_and_titles_as_written(rnd, mailoutbox):
    assert reminders.send_due_reminders() == 2
    texts = [unescaped(message) for message in mailoutbox]
    assert any(text.startswith("Due on") and "Returns & refunds" in text for text in texts)
    assert any(text.startswith("Overdue: Payments specialist") for text in texts)
    assert all("Hello Zoë O'Neil," in text and "http://127.0.0.1:8123/learn/" in text for text in texts)


def test_the_managers_digest_keeps_names_and_titles_as_written(rnd, mailoutbox):
    assert reminders.send_manager_digests() == 1
    text = unescaped(mailoutbox[0])
    assert "Your team's learning this week" in text and "Hello Seán O'Brien," in text
    assert 'R&D <shop> "Nord": 1 member overdue' in text and "- Returns & refunds:" in text
    assert f"http://127.0.0.1:8123/team/{rnd['team'].pk}/" in text


def test_the_invitation_keeps_names_as_written(rnd, mailoutbox):
    invitations.user_invite(
        invited_by=rnd["manager"],
        username="liam",
        email="liam@example.org",
        display_name="Liam O'Connor",
        team=rnd["team"],
    )
    text = unescaped(mailoutbox[0])
    assert "Seán O'Brien has invited you" in text and 'team "R&D <shop> "Nord""' in text
    assert "http://127.0.0.1:8123/accounts/welcome/" in text
