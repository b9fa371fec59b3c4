"""Mails go out in the recipient's language (their profile's preferred_language): the words, the dates as that
language writes them, the paths' titles where a translation exists, and links under that language's prefix.

The interface strings are compared through gettext in the recipient's language, so the tests hold whether or
not the catalogues are compiled; the dates, titles and links prove the language either way."""

import datetime
import re

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from learning.models import Team, User
from learning.records import services
from learning.teams import invitations, reminders
from tests.factories import translation_of

BASE = "http://127.0.0.1:8123"
GERMAN_MONTHS = [
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
]  # fmt: skip
# Polish writes a day with the month in the genitive: "3 marca", never the nominative "3 marzec".
POLISH_MONTHS = [
    "stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca",
    "lipca", "sierpnia", "września", "października", "listopada", "grudnia",
]  # fmt: skip


@pytest.fixture
def due(academy, make_user, settings):
    """The starter path in German ("Einstieg") and Polish ("Na start"), assigned by Piotr (who prefers
    Polish) to Greta (German), Pola (Polish) and Emma (English), due on 3 March this year; "today" is
    the 1st, so the reminders say "due on"."""
    settings.WAGTAILADMIN_BASE_URL = BASE
    starter = academy["starter"]
    translation_of(starter, "de", title="Einstieg")
    translation_of(starter, "pl", title="Na start")
    manager = make_user("piotr", email="piotr@example.org", preferred_language="pl")
    members = [
        make_user(name, email=f"{name}@example.org", preferred_language=language)
        for name, language in (("greta", "de"), ("pola", "pl"), ("emma", "en"))
    ]
    team = Team.objects.create(name="Sklep")
    team.managers.add(manager)
    team.members.add(*members)
    due_date = datetime.date(timezone.localdate().year, 3, 3)
    services.assignment_create(manager=manager, members=members, path=starter, due_date=due_date)
    return {"team": team, "manager": manager, "today": due_date - datetime.timedelta(days=2)}


def mail_to(outbox, address):
    (message,) = [message for message in outbox if message.to == [address]]
    return message


def test_a_german_learners_reminder_is_german_with_german_dates_and_links(due, mailoutbox):
    assert reminders.send_due_reminders(today=due["today"]) == 3

    mail = mail_to(mailoutbox, "greta@example.org")

    assert "3. März" in mail.subject and "Einstieg" in mail.subject
    assert "Einstieg" in mail.body and "3. März" in mail.body and "Starter" not in mail.body
    assert f"{BASE}/de/learn/" in mail.body and f"{BASE}/de/accounts/profile/" in mail.body
    with translation.override("de"):
        assert f"{gettext('Continue where you left off:')} {BASE}/de/learn/" in mail.body
        assert gettext("You can turn these reminders off in your profile.") in mail.body


def test_a_polish_learners_reminder_declines_the_month(due, mailoutbox):
    reminders.send_due_reminders(today=due["today"])

    mail = mail_to(mailoutbox, "pola@example.org")

    assert "3 marca" in mail.subject and "3 marca" in mail.body and "Na start" in mail.subject
    assert f"{BASE}/pl/learn/" in mail.body
    with translation.override("pl"):
        assert gettext("Continue where you left off:") in mail.body


def test_an_english_learners_reminder_is_unchanged(due, mailoutbox):
    reminders.send_due_reminders(today=due["today"])

    mail = mail_to(mailoutbox, "emma@example.org")

    assert mail.subject == "Due on 3 March: Starter" and f"Continue where you left off: {BASE}/learn/" in mail.body


def test_the_managers_digest_is_in_the_managers_language(due, mailoutbox):
    assert reminders.send_manager_digests(today=due["today"]) == 1

    mail = mailoutbox[0]

    assert f"{BASE}/pl/team/{due['team'].pk}/" in mail.body and "- Na start: 0/3" in mail.body
    with translation.override("pl"):
        assert mail.subject == gettext("Your team's learning this week")


def test_the_calendar_day_is_written_each_languages_way():
    from learning.templatetags.academy_tags import calendar_day

    this_year = timezone.localdate().year
    for month in range(1, 13):
        day = datetime.date(this_year, month, 3)
        with translation.override("de"):
            assert calendar_day(day, "F") == f"3. {GERMAN_MONTHS[month - 1]}"
            assert calendar_day(day.replace(year=2020), "F") == f"3. {GERMAN_MONTHS[month - 1]} 2020"
        with translation.override("pl"):
            assert calendar_day(day, "F") == f"3 {POLISH_MONTHS[month - 1]}"
    with translation.override("en"):
        assert calendar_day(datetime.date(2020, 1, 3)) == "3 Jan 2020"
        assert calendar_day(datetime.date(this_year, 1, 3), "F") == "3 January"


def test_an_invitation_is_in_the_invited_persons_language_and_opens_in_it(client, due, mailoutbox):
    """A new account starts with the inviter's language (Piotr prefers Polish), whatever page he invites from."""
    client.force_login(due["manager"])

    client.post(
        "/accounts/invite/",
        {"username": "ola", "email": "ola@example.org", "display_name": "Ola", "team": due["team"].pk},
    )

    assert User.objects.get(username="ola").preferred_language == "pl"
    (mail,) = mailoutbox
    (link,) = re.findall(rf"{BASE}(/\S+)", mail.body)
    assert link.startswith("/pl/accounts/welcome/")
    with translation.override("pl"):
        assert gettext("You are invited to the E-Commerce Academy") == mail.subject
    client.logout()
    page = client.get(link, follow=True)
    assert page.status_code == 200 and '<html lang="pl">' in page.content.decode()


def test_an_invitation_sent_again_is_in_the_persons_language(due, mailoutbox):
    greta = User.objects.get(username="greta")
    greta.set_unusable_password()
    greta.save()

    invitations.invitation_resend(invited_by=due["manager"], user=greta)

    (mail,) = mailoutbox
    assert f"{BASE}/de/accounts/welcome/" in mail.body
    with translation.override("de"):
        assert gettext("Choose your password here to finish setting up your account:") in mail.body
