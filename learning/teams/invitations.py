"""Invitations: who may invite whom, the invitation itself, and sending it again.

An invitation creates the account with an unusable password and mails a link built with Django's
default_token_generator. That token hashes the password, so the link stops working the moment the
person sets one: it is one-time without a table of our own. Resending sets a new unusable password,
which voids the earlier links the same way. Inviting puts a person into a team, so it follows who
sees teams (learning.teams.permissions), not who is staff.

The mail is written in the invited person's language (their profile's preferred_language; a new
account starts with the inviter's), and its link opens in that language.
"""

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from learning.accounts import languages
from learning.accounts.models import User
from learning.teams import permissions


def user_may_invite(user):
    """Team managers and those who see every team may invite people; inviting puts a person into a
    team, so it follows who sees teams (permissions.sees_all_teams), not who is staff."""
    return permissions.has_team_pages(user)


def teams_invitable_by(*, user):
    """The teams `user` may add an invited person to: any if they see all teams, else their own."""
    return permissions.teams_visible_to(user)


def invitation_allowed(*, inviter, team):
    """Into a team: whoever may see that team (its managers, and those who see every team). Into no
    team: only those who see every team, as a manager's invitee must land in one of their teams."""
    if team is None:
        return permissions.sees_all_teams(inviter)
    return permissions.may_see_team(inviter, team)


def welcome_url(*, user):
    """The absolute one-time link where an invited person chooses their password.

    No request is at hand in a service, so the host is BASE_URL, as for Wagtail's notifications. The
    path carries the person's language prefix (/de/accounts/welcome/...), so the page opens in it.
    """
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    with translation.override(languages.preferred_language(user)):
        path = reverse("welcome", kwargs={"uidb64": uidb64, "token": default_token_generator.make_token(user)})
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def user_invite(*, invited_by, username, email, display_name, team=None):
    """Create the account without a usable password, add it to `team`, and mail the welcome link.

    The account starts with the inviter's preferred language, so a German-speaking manager's team is
    invited in German; the person can change it in their profile. Raises PermissionDenied unless
    invitation_allowed(). The mail goes out inside the transaction: if the mail server refuses it, no
    half-invited account is left behind and the inviter can retry.
    """
    if not invitation_allowed(inviter=invited_by, team=team):
        raise PermissionDenied
    with transaction.atomic():
        language = languages.preferred_language(invited_by)
        user = User(username=username, email=email, display_name=display_name, preferred_language=language)
        user.set_unusable_password()
        user.save()
        if team is not None:
            team.members.add(user)
        _invitation_mail(user=user, invited_by=invited_by, team=team)
    return user


def _invitation_mail(*, user, invited_by, team):
    context = {
        "user": user,
        "invited_by": invited_by,
        "team": team,
        "welcome_url": welcome_url(user=user),
        "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
    }
    with translation.override(languages.preferred_language(user)):
        subject = "".join(render_to_string("registration/invitation_subject.txt", context).splitlines())
        body = render_to_string("registration/invitation_email.txt", context)
    send_mail(subject, body, None, [user.email])


def invitations_unused():
    """Accounts never used: nobody signed in and no password was ever chosen (an invited account
    starts with an unusable password, which has its own prefix)."""
    return User.objects.filter(last_login__isnull=True, password__startswith=UNUSABLE_PASSWORD_PREFIX)


def invitations_resendable_by(*, user):
    """The unused invitations `user` may send again: those of the people they see
    (permissions.people_visible_to: everyone for whoever sees every team, a manager their teams'
    members). Newest first."""
    return invitations_unused().filter(pk__in=permissions.people_visible_to(user).values("pk")).order_by("-date_joined")


def invitation_resend(*, invited_by, user):
    """Mail `user` a new welcome link, for an invitation that expired or got lost.

    A new unusable password (a new random value) changes the password hash that Django's token
    covers, so every earlier link stops working. Raises PermissionDenied unless the account was
    never used and `invited_by` may invite into one of its teams (any, if they see every team).
    """
    if not invitations_resendable_by(user=invited_by).filter(pk=user.pk).exists():
        raise PermissionDenied
    team = permissions.teams_visible_to(invited_by).filter(members=user).first()
    with transaction.atomic():
        user.set_unusable_password()
        user.save(update_fields=["password"])
        _invitation_mail(user=user, invited_by=invited_by, team=team)
    return user
