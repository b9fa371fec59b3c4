"""Accounts: the sign-in lock (who counts as which client, lifting a lock) and the language cookie.

Invitations are a team matter (whoever may see a team invites into it): learning.teams.invitations.
"""

import ipaddress

from axes.utils import reset as axes_reset
from django.conf import settings

# Two backends are configured and axes' only refuses locked-out sign-ins; it cannot load a user.
# Sessions started without authenticate() (after setting a password, after sign-up) name this one.
SESSION_BACKEND = "django.contrib.auth.backends.ModelBackend"


def client_address(request):
    """The address the sign-in lock counts failures for (settings.AXES_CLIENT_IP_CALLABLE).

    Each of the PROXY_COUNT trusted proxies appends the address it received the request from to
    X-Forwarded-For, so the client is the PROXY_COUNT-th entry from the right; anything left of it
    was sent by the client and proves nothing (a forged entry changes nothing). With fewer entries
    than proxies, the left-most one; with PROXY_COUNT 0, or an entry that is not an address,
    REMOTE_ADDR (axes stores the address in an IP address column).
    """
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.PROXY_COUNT
    forwarded = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if entry.strip()]
    if proxies < 1 or not forwarded:
        return remote
    client = forwarded[-min(proxies, len(forwarded))]
    try:
        return str(ipaddress.ip_address(client))
    except ValueError:
        return remote


def login_lockout_clear(*, user):
    """Lift axes' sign-in lock on `user` from every address.

    Called once they set a new password through a mailed link: they proved they own the account,
    and the lockout page promises that resetting the password is the way back in.
    """
    username = user.get_username()
    if username:  # axes resets every attempt of every user when given no username
        axes_reset(username=username)


def language_cookie_set(response, *, language):
    """Put `language` in Django's language cookie on `response`, as django.views.i18n.set_language does.

    Set by the views that sign someone in or save their profile. A user_logged_in receiver would see
    the request but not the response, so it could not set a cookie without a middleware of its own.
    """
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
