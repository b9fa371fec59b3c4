"""Open redirects: `next` and every other redirect target stays on this site.

Where a redirect leads is judged as a browser would: it drops leading spaces and control
characters, removes tabs and newlines anywhere, and reads a backslash as a slash.
"""

import re

import pytest

from learning.models import ReadingLink

EVIL = [
    "https://evil.example/",
    "http://evil.example",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "https:evil.example",
    "https:/evil.example",
    "http://127.0.0.1.evil.example",
    "http://testserver.evil.example/",
    "http://testserver@evil.example/",
    " //evil.example",
    "\t//evil.example",
    "\n//evil.example",
    "/\t/evil.example",
    "%2F%2Fevil.example",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "ftp://evil.example/",
]
PASSWORD = "a-long-test-password"


def lands_on_site(location, base_scheme="http", base_host="testserver"):
    """Whether a browser following this Location header stays on this site (the WHATWG URL parser,
    for what matters here: a different http(s) scheme, or two slashes, start a host whatever the
    number of slashes; a host loses its user part and port)."""
    url = re.sub(
        r"[\t\n\r]",
        "",
        location.strip(
            "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11"
            "\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f \t\n\r"
        ),
    )
    url = url.replace("\\", "/")
    scheme, rest = base_scheme, url
    match = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*):(.*)$", url, re.S)
    if match:
        scheme, rest = match.group(1).lower(), match.group(2)
        if scheme not in ("http", "https"):
            return False
        if scheme != base_scheme:
            rest = "//" + rest.lstrip("/")
    if not rest.startswith("//"):
        return True  # a path on this site
    authority = re.split(r"[/?#]", rest.lstrip("/"), maxsplit=1)[0]
    host = authority.rpartition("@")[2].split(":")[0].lower()
    return host == base_host


def test_the_judge_itself():
    assert lands_on_site("/learn/") and lands_on_site("%2F%2Fevil.example") and lands_on_site("http://testserver/x")
    assert not any(lands_on_site(url) for url in EVIL if not url.startswith("%"))


@pytest.fixture
def lena(make_user):
    return make_user("lena", email="lena@example.org")


def test_sign_in_never_leaves_the_site(client, lena):
    failures = []
    for next_url in EVIL:
        form = client.get("/accounts/login/", {"next": next_url})
        if form.status_code != 200:
            failures.append(f"GET form {next_url!r}: {form.status_code}")
        response = client.post(
            f"/accounts/login/?next={next_url}", {"username": "lena", "password": PASSWORD, "next": next_url}
        )
        if response.status_code != 302 or not lands_on_site(response["Location"]):
            failures.append(f"POST {next_url!r}: {response.status_code} {response.get('Location')!r}")
        # Already signed in, the sign-in page redirects straight away (redirect_authenticated_user).
        again = client.get("/accounts/login/", {"next": next_url})
        if again.status_code != 302 or not lands_on_site(again["Location"]):
            failures.append(f"GET while signed in {next_url!r}: {again.status_code} {again.get('Location')!r}")
        client.logout()
    assert not failures, "\n".join(failures)


def test_sign_in_keeps_a_local_next(client, lena):
    form = client.get("/accounts/login/", {"next": "/learn/"}).content.decode()
    assert 'name="next" value="/learn/"' in form
    response = client.post("/accounts/login/", {"username": "lena", "password": PASSWORD, "next": "/learn/"})
    assert response.status_code == 302 and response["Location"] == "/learn/"


def test_the_sign_in_form_escapes_next(client):
    html = client.get("/accounts/login/", {"next": '"><script>alert(1)</script>'}).content.decode()
    assert "<script>alert(1)</script>" not in html


def test_sign_out_never_leaves_the_site(client, lena):
    failures = []
    for next_url in EVIL:
        client.force_login(lena)
        for response in (
            client.post("/accounts/logout/", {"next": next_url}),
            client.post(f"/accounts/logout/?next={next_url}"),
        ):
            if response.status_code != 302 or not lands_on_site(response["Location"]):
                failures.append(f"{next_url!r}: {response.status_code} {response.get('Location')!r}")
    assert not failures, "\n".join(failures)
    client.force_login(lena)
    assert client.post("/accounts/logout/", {"next": "/paths/"})["Location"] == "/paths/"


def test_sign_up_ignores_next(client, settings, db):
    settings.ACADEMY_SELF_SIGNUP = True
    for number, next_url in enumerate(EVIL[:6]):
        response = client.post(
            f"/accounts/signup/?next={next_url}",
            {
                "username": f"new{number}",
                "email": f"new{number}@example.org",
                "display_name": "New",
                "password1": "a-long-new-password-42",
                "password2": "a-long-new-password-42",
                "next": next_url,
            },
        )
        assert response.status_code == 302 and lands_on_site(response["Location"]), (next_url, response.status_code)
        client.logout()


def test_other_redirects_take_no_target_from_the_request(client, lena, academy):
    """Completing a module keeps `path` in the query string of this site's URL; reporting a broken
    reading returns to the module. Neither reads a URL from the request."""
    client.force_login(lena)
    module = academy["payment-basics"]
    link = module.readings.first()
    for evil in EVIL[:5]:
        completed = client.post(module.url + "complete/", {"path": evil, "next": evil})
        assert lands_on_site(completed["Location"]) and completed["Location"].startswith(module.url), completed[
            "Location"
        ]
        reported = client.post(f"/go/{link.pk}/report/?next={evil}", {"note": "x", "next": evil})
        assert reported["Location"] == module.url


def test_no_language_switch_view_takes_next(client, db):
    """The language follows the profile (a cookie set on sign-in and save); there is no set_language URL."""
    assert client.post("/i18n/setlang/", {"language": "de", "next": "https://evil.example/"}).status_code == 404


def test_go_redirects_only_to_the_stored_url(client, academy):
    link = academy["payment-basics"].readings.first()
    response = client.get(f"/go/{link.pk}/?next=https://evil.example/&url=https://evil.example/")
    assert response.status_code == 302 and response["Location"] == link.url
    ReadingLink.objects.filter(pk=link.pk).update(url="https://evil.example/")  # what an editor stored is followed
    assert client.get(f"/go/{link.pk}/")["Location"] == "https://evil.example/"
    for url in (
        "javascript:alert(1)",
        "//evil.example",
        "/\\evil.example",
        "data:text/html,x",
        " https://evil.example/",
    ):
        ReadingLink.objects.filter(pk=link.pk).update(url=url)
        assert client.get(f"/go/{link.pk}/").status_code in (400, 404), url
