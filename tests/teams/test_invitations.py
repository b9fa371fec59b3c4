"""Invitations: who may invite whom, the one-time welcome link, and sending an unused one again."""

import datetime
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied

from learning.models import Team, User
from learning.teams import invitations
from tests.accounts.test_accounts import NEW_PASSWORD, PASSWORD, choose_password, link_path, sign_in, signed_in_username


@pytest.fixture
def team_with_manager(make_user):
    manager = make_user("mira", email="mira@example.com")
    team = Team.objects.create(name="Online shop team")
    team.managers.add(manager)
    return team, manager


def invite(client, **fields):
    data = {"username": "noah", "email": "noah@example.com", "display_name": "Noah", "team": "", **fields}
    return client.post("/accounts/invite/", data, follow=True)


def test_an_admin_invites_without_a_team_an_account_without_password_and_mails_the_link(client, make_user, mailoutbox):
    make_user("ada", is_staff=True, is_superuser=True)
    sign_in(client, "ada", PASSWORD)

    response = invite(client)

    assert "Invitation sent to noah@example.com." in response.content.decode()
    noah = User.objects.get(username="noah")
    assert noah.display_name == "Noah" and not noah.has_usable_password() and not noah.teams.exists()
    (mail,) = mailoutbox
    assert mail.to == ["noah@example.com"] and "noah" in mail.body
    assert link_path(mail).startswith("/accounts/welcome/")


def test_a_manager_invites_into_their_own_team(client, team_with_manager, mailoutbox):
    team, _manager = team_with_manager
    sign_in(client, "mira", PASSWORD)

    response = invite(client, team=team.pk)

    assert "Invitation sent to noah@example.com." in response.content.decode()
    assert list(User.objects.get(username="noah").teams.all()) == [team]
    assert "Online shop team" in mailoutbox[0].body


def test_a_manager_cannot_invite_into_another_managers_team(client, make_user, team_with_manager, mailoutbox):
    other_team = Team.objects.create(name="Marketplace team")
    other_team.managers.add(make_user("otto"))
    sign_in(client, "mira", PASSWORD)

    response = invite(client, team=other_team.pk)

    html = response.content.decode()
    assert response.status_code == 200 and "Select a valid choice" in html
    assert "Marketplace team" not in html  # not even offered
    assert not User.objects.filter(username="noah").exists() and mailoutbox == []


def test_a_manager_must_choose_one_of_their_teams(client, team_with_manager, mailoutbox):
    sign_in(client, "mira", PASSWORD)

    response = invite(client, team="")

    assert "This field is required." in response.content.decode()
    assert not User.objects.filter(username="noah").exists() and mailoutbox == []


def test_user_invite_refuses_a_manager_outside_their_teams(make_user, team_with_manager):
    other_team = Team.objects.create(name="Marketplace team")
    _team, manager = team_with_manager

    for team in (other_team, None):
        with pytest.raises(PermissionDenied):
            invitations.user_invite(
                invited_by=manager, username="noah", email="noah@example.com", display_name="", team=team
            )
    assert not User.objects.filter(username="noah").exists()


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"username": "Lena"}, "A user with that username already exists."),
        ({"email": "LENA@example.com"}, "An account with this email address already exists."),
    ],
)
def test_inviting_an_existing_username_or_email_is_a_form_error(client, make_user, mailoutbox, fields, message):
    make_user("lena", email="lena@example.com")
    make_user("ada", is_staff=True, is_superuser=True)
    sign_in(client, "ada", PASSWORD)

    response = invite(client, **fields)

    html = response.content.decode()
    assert message in html and 'role="alert"' in html
    assert User.objects.count() == 2 and mailoutbox == []


def test_an_editor_may_not_invite_staff_alone_sees_no_teams(client, make_user):
    make_user("eddie", is_staff=True)
    sign_in(client, "eddie", PASSWORD)

    assert client.get("/accounts/invite/").status_code == 403
    assert invite(client).status_code == 403
    assert not User.objects.filter(username="noah").exists()


def test_whoever_sees_every_team_invites_into_any_team(client, make_user, team_with_manager, mailoutbox):
    team, _manager = team_with_manager
    make_user("vera").user_permissions.add(Permission.objects.get(codename="view_all_teams"))
    sign_in(client, "vera", PASSWORD)

    response = invite(client, team=team.pk)

    assert "Invitation sent to noah@example.com." in response.content.decode()
    assert list(User.objects.get(username="noah").teams.all()) == [team]


def test_a_learner_may_not_invite(client, make_user):
    make_user("lena")
    sign_in(client, "lena", PASSWORD)

    assert client.get("/accounts/invite/").status_code == 403
    assert invite(client).status_code == 403
    assert not User.objects.filter(username="noah").exists()


def test_the_welcome_link_sets_the_password_once_and_signs_in(client, make_user, mailoutbox):
    make_user("ada", is_staff=True, is_superuser=True)
    sign_in(client, "ada", PASSWORD)
    invite(client)
    client.post("/accounts/logout/")
    link = link_path(mailoutbox[0])

    done = choose_password(client, link)

    assert done["Location"] == "/accounts/welcome/done/"
    assert "you are signed in" in client.get(done["Location"]).content.decode()
    assert signed_in_username(client) == "noah"
    again = client.get(link, follow=True).content.decode()
    assert "This invitation link no longer works" in again and "new_password1" not in again
    client.post("/accounts/logout/")
    assert sign_in(client, "noah", NEW_PASSWORD).status_code == 302


def test_an_expired_invitation_is_sent_again_and_only_the_new_link_works(client, team_with_manager, mailoutbox):
    team, _manager = team_with_manager
    sign_in(client, "mira", PASSWORD)
    invite(client, team=team.pk)
    old_link = link_path(mailoutbox[0])
    later = datetime.datetime.now() + datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    with mock.patch.object(default_token_generator, "_now", return_value=later):
        assert "This invitation link no longer works" in client.get(old_link, follow=True).content.decode()
    noah = User.objects.get(username="noah")
    # Inviting again is refused, and says what to do instead.
    again = invite(client, team=team.pk).content.decode()
    assert "This person was invited and has not signed in yet: send the invitation again below." in again
    assert f'name="user" value="{noah.pk}"' in client.get("/accounts/invite/").content.decode()

    sent = client.post("/accounts/invite/resend/", {"user": noah.pk}, follow=True)

    assert "Invitation sent again to noah@example.com. Earlier links no longer work." in sent.content.decode()
    assert (
        len(mailoutbox) == 2 and mailoutbox[1].to == ["noah@example.com"] and "Online shop team" in mailoutbox[1].body
    )
    new_link = link_path(mailoutbox[1])
    client.post("/accounts/logout/")
    assert "This invitation link no longer works" in client.get(old_link, follow=True).content.decode()
    assert choose_password(client, new_link)["Location"] == "/accounts/welcome/done/"
    assert signed_in_username(client) == "noah"


def test_only_unused_invitations_of_ones_own_teams_are_sent_again(client, make_user, team_with_manager, mailoutbox):
    team, manager = team_with_manager
    root = make_user("root", is_superuser=True)
    stranger = invitations.user_invite(
        invited_by=root,
        username="sid",
        email="sid@example.com",
        display_name="",
        team=Team.objects.create(name="Marketplace team"),
    )
    signed_in_once = invitations.user_invite(
        invited_by=root, username="omar", email="omar@example.com", display_name="", team=team
    )
    User.objects.filter(pk=signed_in_once.pk).update(last_login=datetime.datetime.now(datetime.UTC))
    mailoutbox.clear()
    sign_in(client, "mira", PASSWORD)

    for person in (stranger, signed_in_once):
        refused = client.post("/accounts/invite/resend/", {"user": person.pk}, follow=True).content.decode()
        assert "That invitation cannot be sent again" in refused
    assert mailoutbox == [] and "sid@example.com" not in client.get("/accounts/invite/").content.decode()
    with pytest.raises(PermissionDenied):
        invitations.invitation_resend(invited_by=manager, user=stranger)
