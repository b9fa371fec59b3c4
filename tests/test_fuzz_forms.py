"""Every form endpoint of the site, fed NUL bytes, 100,000 characters, empty and non-numeric values:
never a 500. A refusal is a 4xx or the form again with its error.

Each endpoint lists its fields with a valid value. Each bad value goes into every field at once, then
into one field at a time with the others valid, so a check on one field cannot hide a crash behind
another. Each test collects every variant that answered 500 (the traceback is in the captured log).
On PostgreSQL (make test runs the suite there too) a NUL that reaches a query is a DataError: these
tests are where that shows.
"""

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from learning.models import Team
from learning.records import services
from learning.teams import invitations
from tests.factories import pass_quiz

PASSWORD = "a-long-test-password"
BAD = {
    "nul": "\x00",
    "nul inside": "ab\x00cd",
    "huge": "x" * 100_000,
    "empty": "",
    "non-numeric": "abc",
    "negative": "-1",
    "fraction": "1.5",
    "beyond 64 bits": "9" * 30,
    "html and quotes": "<b>\"'</b>",
}


def endpoints(world):
    """name -> (method, url, who is signed in, {field: valid value}). GET endpoints list their query
    parameters. Every form a person can submit on the site (the admin is Wagtail's)."""
    module, path, link = world["module"], world["path"], world["link"]
    team, lena = world["team"], world["lena"]
    return {
        "sign in": ("post", "/accounts/login/", None, {"username": "lena", "password": PASSWORD}),
        "sign in ?next=": ("get", "/accounts/login/", None, {"next": "/learn/"}),
        "sign up": (
            "post",
            "/accounts/signup/",
            None,
            {
                "username": "noah",
                "email": "noah@example.com",
                "display_name": "Noah",
                "password1": "quiet-harbour-lantern-42",
                "password2": "quiet-harbour-lantern-42",
            },
        ),
        "password reset": ("post", "/accounts/password/reset/", None, {"email": "lena@example.com"}),
        "password reset link": (
            "post",
            world["reset_url"],
            None,
            {"new_password1": "quiet-harbour-lantern-42", "new_password2": "quiet-harbour-lantern-42"},
        ),
        "welcome link": (
            "post",
            world["welcome_url"],
            None,
            {"new_password1": "quiet-harbour-lantern-42", "new_password2": "quiet-harbour-lantern-42"},
        ),
        "password change": (
            "post",
            "/accounts/password/",
            "lena",
            {
                "old_password": PASSWORD,
                "new_password1": "quiet-harbour-lantern-42",
                "new_password2": "quiet-harbour-lantern-42",
            },
        ),
        "profile": (
            "post",
            "/accounts/profile/",
            "lena",
            {
                "display_name": "Lena",
                "email": "lena@example.com",
                "preferred_language": "en",
                "reminders_opt_out": "on",
            },
        ),
        "invite": (
            "post",
            "/accounts/invite/",
            "maria",
            {"username": "noah", "email": "noah@example.com", "display_name": "Noah", "team": team.pk},
        ),
        "invite again": ("post", "/accounts/invite/resend/", "maria", {"user": world["invited"].pk}),
        "search": ("get", "/search/", None, {"q": "returns"}),
        "search signed in": ("get", "/search/", "lena", {"q": "returns"}),
        "team page": ("get", f"/team/{team.pk}/", "maria", {"sort": "name"}),
        "team assign": (
            "post",
            f"/team/{team.pk}/assign/",
            "maria",
            {"member": lena.pk, "path": path.pk, "due_date": "2999-01-01", "due_in_days": ""},
        ),
        "team unassign, asking": ("get", f"/team/{team.pk}/unassign/", "maria", {"member": lena.pk, "path": path.pk}),
        "team unassign": ("post", f"/team/{team.pk}/unassign/", "maria", {"member": lena.pk, "path": path.pk}),
        "team export": ("get", f"/team/{team.pk}/export/matrix.csv", "maria", {"sort": "status"}),
        "broken-link report": ("post", f"/go/{link.pk}/report/", "lena", {"note": "The page is gone."}),
        "module ?path=": ("get", module.url, "lena", {"path": path.slug}),
        "quiz": ("post", f"{module.url}quiz/?path={path.slug}", "lena", {"token": "x", world["question"]: "y"}),
        "quiz result ?path=": ("get", world["result_url"], "lena", {"path": path.slug}),
        "complete": ("post", f"{module.url}complete/", "lena", {"path": path.slug}),
        "enrol": ("post", f"{path.url}enrol/", "lena", {"path": path.slug}),
        "path page": ("get", path.url, "lena", {"path": path.slug}),
    }


@pytest.fixture
def world(academy, make_user, settings):
    settings.ACADEMY_SELF_SIGNUP = True
    lena, maria = make_user("lena", email="lena@example.com"), make_user("maria", email="maria@example.com")
    team = Team.objects.create(name="Shop team")
    team.managers.add(maria)
    team.members.add(lena)
    module, path = academy["payment-basics"], academy["starter"]
    services.assignment_create(manager=maria, members=[lena], path=path, due_in_days=10)
    attempt, _ = pass_quiz(lena, module)
    invited = invitations.user_invite(
        invited_by=maria, username="ivy", email="ivy@example.com", display_name="", team=team
    )
    question = next(name for name in _quiz_fields(lena, module) if name.startswith("q-"))
    return {
        "lena": lena,
        "maria": maria,
        "team": team,
        "module": module,
        "path": path,
        "invited": invited,
        "link": module.readings.get(),
        "question": question,
        "result_url": f"{module.url}quiz/{attempt.pk}/",
        # A fresh link for every request: a variant that sets a password voids the link before it.
        "reset_url": lambda: _token_url("password_reset_confirm", lena),
        "welcome_url": lambda: _token_url("welcome", invited),
    }


def _quiz_fields(user, module):
    from learning.records.quiz import quiz_form

    form = quiz_form(user=user, module=module, attempt_count=1)
    return [f"q-{question['key']}" for question in form["questions"]]


def _token_url(name, user):
    from django.urls import reverse

    user.refresh_from_db()
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse(name, kwargs={"uidb64": uidb64, "token": default_token_generator.make_token(user)})


def variants(fields):
    """Each bad value in every field at once, then in one field at a time."""
    for label, value in BAD.items():
        yield f"all fields {label}", dict.fromkeys(fields, value)
        for field in fields:
            yield f"{field} {label}", {**fields, field: value}


def send(client, method, url, data):
    if method == "get":
        return client.get(url, data)
    if callable(url):
        # Django's token views swap the token for a session value on the first GET, then take the POST.
        chain = client.get(url(), follow=True).redirect_chain
        assert chain, "the link should be valid"
        url = chain[-1][0]
    return client.post(url, data)


ENDPOINT_NAMES = [
    "sign in",
    "sign in ?next=",
    "sign up",
    "password reset",
    "password reset link",
    "welcome link",
    "password change",
    "profile",
    "invite",
    "invite again",
    "search",
    "search signed in",
    "team page",
    "team assign",
    "team unassign, asking",
    "team unassign",
    "team export",
    "broken-link report",
    "module ?path=",
    "quiz",
    "quiz result ?path=",
    "complete",
    "enrol",
    "path page",
]


def test_every_form_endpoint_is_in_the_list(world):
    assert set(endpoints(world)) == set(ENDPOINT_NAMES)


@pytest.mark.parametrize("name", ENDPOINT_NAMES)
def test_bad_values_never_answer_500(world, name):
    method, url, who, fields = endpoints(world)[name]
    answers = {}
    for label, data in variants({field: str(value) for field, value in fields.items()}):
        client = Client(raise_request_exception=False)
        if who:
            client.force_login(world[who])
        status = send(client, method, url, data).status_code
        answers[label] = status
    crashed = {label: status for label, status in answers.items() if status >= 500}
    assert crashed == {}, crashed


def test_the_three_reported_500s(world, client):
    """A NUL in the search query, ids that are not ids posted to unassign, a NUL in a broken-link note
    (PostgreSQL refuses NUL in text)."""
    assert client.get("/search/?q=%00").status_code == 200
    assert client.get("/search/?q=returns%00").context["query"] == "returns"
    client.force_login(world["maria"])
    team = world["team"]
    for member, path in (("abc", world["path"].pk), ("", ""), (world["lena"].pk, "x"), ("1.5", "9" * 30)):
        assert client.post(f"/team/{team.pk}/unassign/", {"member": member, "path": path}).status_code == 400
    client.force_login(world["lena"])
    link = world["link"]
    assert client.post(f"/go/{link.pk}/report/", {"note": "gone\x00"}).status_code == 302
    assert link.reports.get().note == "gone"
