"""Accounts as a person meets them: signing in, lockout, passwords, profile, sign-up (invitations:
test_invitations.py).

Sign-ins go through the form (client.post), never client.login(): django-axes needs a real request.
"""

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext

from learning.accounts import services as accounts
from learning.models import User

PASSWORD = "a-long-test-password"  # what make_user gives everyone
NEW_PASSWORD = "quiet-harbour-lantern-42"
LOCKOUT_MESSAGE = "Too many failed sign-in attempts. Try again in 15 minutes or reset your password."


def sign_in(client, username, password, **extra):
    return client.post("/accounts/login/", {"username": username, "password": password}, **extra)


def signed_in_username(client):
    response = client.get("/accounts/profile/", follow=True)  # to the profile in the person's language
    user = response.context["user"]
    return user.username if user.is_authenticated else None


def link_path(mail):
    """The /accounts/... path of the one link in a mail (absolute in the mail, followed in the test client)."""
    (path,) = re.findall(r"https?://[^/\s]+(/accounts/\S+)", mail.body)
    return path


def choose_password(client, link, password=NEW_PASSWORD):
    """Open a mailed link and submit a new password on the page it leads to."""
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200 and "new_password1" in form_page.content.decode()
    return client.post(form_page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password})


# Signing in and the lockout


def test_signing_in_through_the_form_signs_in_and_sets_the_preferred_language(client, make_user):
    make_user("lena", preferred_language="pl")

    response = sign_in(client, "lena", PASSWORD)

    assert response.status_code == 302 and response["Location"] == "/pl/learn/"  # My learning, in Polish
    assert response.cookies["django_language"].value == "pl"
    assert signed_in_username(client) == "lena"


def test_five_wrong_passwords_lock_that_username_from_that_address(client, make_user):
    make_user("lena")
    for _ in range(5):
        sign_in(client, "lena", "wrong-password")

    refused = sign_in(client, "lena", PASSWORD)

    assert refused.status_code == 429
    html = refused.content.decode()
    assert LOCKOUT_MESSAGE in html and 'href="/accounts/password/reset/"' in html
    assert signed_in_username(client) is None
    # The lock is on the pair: the same person from another address still gets in.
    assert sign_in(client, "lena", PASSWORD, REMOTE_ADDR="10.0.0.7").status_code == 302


PROXY = {"REMOTE_ADDR": "10.0.0.2"}  # every request reaches the app from the one proxy


def test_two_clients_behind_one_proxy_are_throttled_apart(client, make_user, settings):
    settings.PROXY_COUNT = 1
    make_user("lena")
    for _ in range(5):
        sign_in(client, "lena", "wrong-password", HTTP_X_FORWARDED_FOR="203.0.113.5", **PROXY)

    assert sign_in(client, "lena", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.5", **PROXY).status_code == 429
    # A forged left-most entry does not get the locked client out: the proxy appended the real address.
    forged = sign_in(client, "lena", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.5", **PROXY)
    assert forged.status_code == 429
    # Another client behind the same proxy still signs in.
    assert sign_in(client, "lena", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7", **PROXY).status_code == 302


@pytest.mark.parametrize(
    "proxies, forwarded, expected",
    [
        (0, "203.0.113.5", "10.0.0.2"),  # no proxy: X-Forwarded-For is whatever the client sent
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "1.1.1.1, 203.0.113.5", "203.0.113.5"),  # a forged left-most entry is ignored
        (2, "1.1.1.1, 203.0.113.5, 10.0.0.9", "203.0.113.5"),  # the 2nd from the right, appended by the outer proxy
        (3, "203.0.113.5, 10.0.0.9", "203.0.113.5"),  # fewer entries than proxies: the left-most
        (1, "", "10.0.0.2"),
        (1, "not-an-address", "10.0.0.2"),  # never stored in axes' address column
        (1, " 2001:db8::1 ", "2001:db8::1"),
    ],
)
def test_the_client_address_is_taken_through_exactly_proxy_count_proxies(rf, settings, proxies, forwarded, expected):
    settings.PROXY_COUNT = proxies
    request = rf.post("/accounts/login/", HTTP_X_FORWARDED_FOR=forwarded, **PROXY)

    assert accounts.client_address(request) == expected


def test_the_lockout_answer_is_the_same_for_a_username_that_does_not_exist(client, make_user):
    make_user("lena")
    answers = []
    for username in ("lena", "nobody"):
        for _ in range(5):
            sign_in(client, username, "wrong-password")
        answers.append(sign_in(client, username, "still-wrong"))

    existing, unknown = answers
    assert existing.status_code == unknown.status_code == 429
    assert existing.content == unknown.content
    assert LOCKOUT_MESSAGE in unknown.content.decode()


# Passwords


@pytest.mark.parametrize("url", ["/accounts/profile/", "/accounts/password/", "/accounts/invite/"])
def test_account_pages_send_visitors_to_sign_in(client, db, url):
    response = client.get(url)

    assert response.status_code == 302 and response["Location"] == f"/accounts/login/?next={url}"


def test_password_change_replaces_the_old_password(client, make_user):
    make_user("lena")
    sign_in(client, "lena", PASSWORD)

    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )

    assert "Your password is changed." in response.content.decode()
    client.post("/accounts/logout/")
    assert sign_in(client, "lena", PASSWORD).status_code == 200  # the form again, with its error
    assert sign_in(client, "lena", NEW_PASSWORD).status_code == 302


def test_password_change_with_a_wrong_old_password_is_a_form_error(client, make_user):
    make_user("lena")
    sign_in(client, "lena", PASSWORD)

    response = client.post(
        "/accounts/password/",
        {"old_password": "not-it", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    html = response.content.decode()
    assert response.status_code == 200 and 'role="alert"' in html
    assert "Your old password was entered incorrectly" in html


def test_password_reset_mails_a_link_that_sets_a_new_password(client, make_user, mailoutbox):
    make_user("lena", email="lena@example.com")

    response = client.post("/accounts/password/reset/", {"email": "lena@example.com"})

    assert response.status_code == 302 and response["Location"] == "/accounts/password/reset/sent/"
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["lena@example.com"]
    assert "lena" in mailoutbox[0].body
    done = choose_password(client, link_path(mailoutbox[0]))
    assert done["Location"] == "/accounts/password/reset/complete/"
    assert sign_in(client, "lena", NEW_PASSWORD).status_code == 302


def test_password_reset_answers_the_same_for_an_unknown_address_and_sends_nothing(client, make_user, mailoutbox):
    make_user("lena", email="lena@example.com")

    known = client.post("/accounts/password/reset/", {"email": "lena@example.com"}, follow=True)
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.com"}, follow=True)

    assert unknown.redirect_chain == known.redirect_chain
    assert unknown.content == known.content
    assert len(mailoutbox) == 1


def test_a_new_password_by_mail_lifts_the_sign_in_lock(client, make_user, mailoutbox):
    make_user("lena", email="lena@example.com")
    for _ in range(5):
        sign_in(client, "lena", "wrong-password")
    assert sign_in(client, "lena", PASSWORD).status_code == 429

    client.post("/accounts/password/reset/", {"email": "lena@example.com"})
    choose_password(client, link_path(mailoutbox[0]))

    assert sign_in(client, "lena", NEW_PASSWORD).status_code == 302


# Profile


def test_profile_saves_name_email_and_language_and_sets_the_language_cookie(client, make_user):
    make_user("lena", email="lena@example.com")
    sign_in(client, "lena", PASSWORD)

    response = client.post(
        "/accounts/profile/", {"display_name": "Lena K.", "email": "lena.k@example.com", "preferred_language": "de"}
    )

    # Back to the profile in the language just chosen, which says so in it.
    assert response.status_code == 302 and response["Location"] == "/de/accounts/profile/"
    assert response.cookies["django_language"].value == "de"
    page = client.get("/de/accounts/profile/").content.decode()
    with translation.override("de"):
        assert gettext("Your profile is saved.") in page and 'value="Lena K."' in page
    assert '<option value="de" selected>' in page and 'value="lena.k@example.com"' in page


def test_profile_refuses_an_email_address_of_another_account(client, make_user):
    make_user("ben", email="ben@example.com")
    make_user("lena", email="lena@example.com")
    sign_in(client, "lena", PASSWORD)

    response = client.post(
        "/accounts/profile/", {"display_name": "", "email": "BEN@example.com", "preferred_language": "en"}
    )

    html = response.content.decode()
    assert response.status_code == 200 and "An account with this email address already exists." in html
    assert "django_language" not in response.cookies
    assert User.objects.get(username="lena").email == "lena@example.com"


# Self sign-up


def test_sign_up_is_not_there_while_switched_off(client, db, settings):
    settings.ACADEMY_SELF_SIGNUP = False  # the default; explicit so an exported ACADEMY_SELF_SIGNUP cannot hide it

    assert client.get("/accounts/signup/").status_code == 404
    assert "/accounts/signup/" not in client.get("/accounts/login/").content.decode()


def test_sign_up_creates_an_account_and_signs_in_when_switched_on(client, db, settings):
    settings.ACADEMY_SELF_SIGNUP = True
    assert "/accounts/signup/" in client.get("/accounts/login/").content.decode()

    response = client.post(
        "/accounts/signup/",
        {
            "username": "noah",
            "email": "noah@example.com",
            "display_name": "Noah",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
        follow=True,
    )

    assert "Welcome, Noah. Your account is ready." in response.content.decode()
    assert signed_in_username(client) == "noah"
    assert User.objects.get(username="noah").check_password(NEW_PASSWORD)


def test_sign_up_shows_mismatched_passwords_next_to_the_field(client, db, settings):
    settings.ACADEMY_SELF_SIGNUP = True

    response = client.post(
        "/accounts/signup/",
        {"username": "noah", "email": "noah@example.com", "password1": NEW_PASSWORD, "password2": "something-else"},
    )

    html = response.content.decode()
    assert response.status_code == 200 and "The two password fields didn" in html
    assert 'id="id_password2_error"' in html and not User.objects.filter(username="noah").exists()
