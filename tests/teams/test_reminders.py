"""The reminder schedule, run daily over 30 days on a stepped clock: a learner hears once when a due date
is near, once when it passes, then weekly while overdue; nothing after the path is done or unassigned, nor
for a learner who opted out. Each mail says why it came and how to stop it."""

import datetime

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from learning.models import Enrolment, Reminder, Team
from learning.records import services
from learning.teams import reminders
from tests.factories import work_through

START = datetime.date(2026, 3, 1)
BASE = "http://127.0.0.1:8601"


class SteppedClock:
    """timezone.now() (and so localdate() and every sent_at) at 09:00 local time on the current day."""

    def __init__(self, day):
        self.day = day

    def now(self):
        return timezone.make_aware(datetime.datetime.combine(self.day, datetime.time(9)))

    def step(self, days=1):
        self.day += datetime.timedelta(days=days)


@pytest.fixture
def clock(monkeypatch):
    stepped = SteppedClock(START)
    monkeypatch.setattr(timezone, "now", stepped.now)
    return stepped


def day(n):
    return START + datetime.timedelta(days=n)


@pytest.fixture
def team(academy, make_user, clock, settings):
    """Starter (3 required modules) assigned on day 0, due on day 5, to four learners: Lea keeps not
    finishing it, Dan finishes it on day 10, Una is unassigned on day 15, Otto opted out of reminders."""
    settings.WAGTAILADMIN_BASE_URL = BASE
    manager = make_user("maria", display_name="Maria Manager", email="maria@example.org")
    people = {
        name: make_user(name, display_name=name.title(), email=f"{name}@example.org")
        for name in ("lea", "dan", "una", "otto")
    }
    people["otto"].reminders_opt_out = True
    people["otto"].save()
    team = Team.objects.create(name="Shop team")
    team.managers.add(manager)
    team.members.add(*people.values())
    services.assignment_create(manager=manager, members=list(people.values()), path=academy["starter"], due_date=day(5))
    return {"team": team, "manager": manager, "people": people, "path": academy["starter"]}


def run_for_30_days(clock, team, academy, mailoutbox, *, events=None):
    """send_reminders' learner part twice a day for 30 days; {address: [(day number, subject)]}."""
    events = events or {}
    for n in range(30):
        events.get(n, lambda: None)()
        reminders.send_due_reminders()
        reminders.send_due_reminders()  # a second run the same day (cron twice, two hosts) sends nothing
        clock.step()
    received = {}
    for message in mailoutbox:
        received.setdefault(message.to[0], []).append(message)
    return received


def days_of(messages):
    return [message.sent_day for message in messages]


@pytest.fixture
def stamped_outbox(mailoutbox, clock, monkeypatch):
    """The outbox, each message stamped with the day number it was sent on."""
    from django.core import mail

    original = mail.send_mail

    def send_mail(*args, **kwargs):
        before = len(mailoutbox)
        result = original(*args, **kwargs)
        for message in mailoutbox[before:]:
            message.sent_day = (clock.day - START).days
        return result

    monkeypatch.setattr(reminders, "send_mail", send_mail)
    return mailoutbox


def test_over_30_days_a_learner_hears_when_near_when_passed_then_weekly(team, academy, clock, stamped_outbox):
    received = run_for_30_days(clock, team, academy, stamped_outbox)

    lea = received["lea@example.org"]
    # due on day 5: near from day 2 (DUE_SOON_DAYS = 3), passed on day 6, then every 7 days
    assert days_of(lea) == [2, 6, 13, 20, 27]
    assert [m.subject for m in lea] == [
        "Due on 6 March: Starter",
        "Overdue: Starter",
        "Still overdue: Starter",
        "Still overdue: Starter",
        "Still overdue: Starter",
    ]
    kinds = Reminder.objects.filter(recipient=team["people"]["lea"]).order_by("sent_at").values_list("kind", flat=True)
    assert list(kinds) == [Reminder.DUE_SOON, Reminder.OVERDUE] + [Reminder.WEEKLY] * 3
    assert "otto@example.org" not in received  # opted out


def test_no_mail_after_the_path_is_done_or_unassigned(team, academy, clock, stamped_outbox):
    people, modules = team["people"], [academy[s] for s in ("payment-basics", "returns", "consent")]
    events = {
        10: lambda: work_through(people["dan"], modules),
        15: lambda: services.assignment_remove(member=people["una"], path=team["path"]),
    }
    received = run_for_30_days(clock, team, academy, stamped_outbox, events=events)

    assert days_of(received["dan@example.org"]) == [2, 6]  # done on day 10: no weekly mail on day 13
    assert days_of(received["una@example.org"]) == [2, 6, 13]  # unassigned on day 15: none on day 20 or 27


def test_a_new_due_date_is_reminded_of_again(team, academy, clock, stamped_outbox):
    def extend():
        services.assignment_create(
            manager=team["manager"], members=[team["people"]["lea"]], path=team["path"], due_date=day(20)
        )

    received = run_for_30_days(clock, team, academy, stamped_outbox, events={8: extend})

    # near (2) and passed (6) for day 5; near (17) and passed (21) for day 20, then weekly from 28
    assert days_of(received["lea@example.org"]) == [2, 6, 17, 21, 28]


def test_a_managers_reminder_holds_back_the_weekly_one(team, academy, clock, stamped_outbox):
    enrolment = Enrolment.objects.select_related("user", "path").get(user=team["people"]["lea"])

    def remind_by_hand():
        assert reminders.send_reminder(enrolment, kind=Reminder.MANUAL, sender=team["manager"])
        assert not reminders.send_reminder(enrolment, kind=Reminder.MANUAL, sender=team["manager"])  # once a day

    received = run_for_30_days(clock, team, academy, stamped_outbox, events={11: remind_by_hand})

    # the manager's mail on day 11 moves the weekly one from day 13 to day 18
    assert days_of(received["lea@example.org"]) == [2, 6, 11, 18, 25]
    manual = received["lea@example.org"][2]
    assert "Maria Manager asks you to continue this path." in manual.body


def test_each_mail_says_why_it_came_and_how_to_stop_it(team, academy, clock, stamped_outbox):
    received = run_for_30_days(clock, team, academy, stamped_outbox)
    near, passed, weekly = received["lea@example.org"][:3]

    assert 'the path "Starter" is due on 6 March.' in near.body
    assert 'the path "Starter" was due on 6 March.' in passed.body
    assert 'the path "Starter" was due on 6 March, 8 days ago, and is not finished yet.' in weekly.body
    for mail in (near, passed, weekly):
        assert "Why you get this mail: this path was assigned to you with a due date." in mail.body
        assert "Finishing it stops these mails." in mail.body
        assert f"You can turn these reminders off in your profile. {BASE}/accounts/profile/#id_reminders_opt_out" in (
            mail.body
        )


def test_a_german_learner_gets_the_weekly_mail_in_german(team, academy, clock, stamped_outbox):
    lea = team["people"]["lea"]
    lea.preferred_language = "de"
    lea.save()
    received = run_for_30_days(clock, team, academy, stamped_outbox)
    weekly = received["lea@example.org"][2]

    assert "6. März" in weekly.body and f"{BASE}/de/accounts/profile/#id_reminders_opt_out" in weekly.body
    with translation.override("de"):
        assert gettext("Still overdue: %(p)s") % {"p": "Einstieg"} == weekly.subject
        assert gettext("You can turn these reminders off in your profile.") in weekly.body


def test_the_opt_out_in_the_profile_stops_the_schedule(team, academy, clock, stamped_outbox, client):
    lea = team["people"]["lea"]

    def opt_out():
        client.force_login(lea)
        response = client.post(
            "/accounts/profile/",
            {"display_name": "Lea", "email": lea.email, "preferred_language": "en", "reminders_opt_out": "on"},
        )
        assert response.status_code == 302

    received = run_for_30_days(clock, team, academy, stamped_outbox, events={9: opt_out})

    assert days_of(received["lea@example.org"]) == [2, 6]
