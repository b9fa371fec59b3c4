"""Security headers on the site's pages, and the cookie flags production runs with."""

import json

from tests.test_settings import PRODUCTION, manage


def test_site_pages_send_a_strict_content_security_policy_and_security_headers(client, academy):
    response = client.get("/areas/payments/payment-basics/")
    policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";") if part.strip())
    assert policy["script-src"] == "'self'" and "unsafe-inline" not in policy["script-src"]
    assert policy["object-src"] == "'none'" and policy["default-src"] == "'self'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_no_template_of_ours_carries_inline_script(client, academy):
    from pathlib import Path

    from tests.conftest import ROOT

    templates = list((ROOT / "site" / "templates").rglob("*.html")) + list(
        (ROOT / "learning" / "templates").rglob("*.html")
    )
    offenders = [str(t) for t in templates if "onclick=" in t.read_text() or "<script>" in t.read_text()]
    assert offenders == [] and len(templates) > 20
    assert Path(ROOT / "site" / "static" / "js" / "print.js").exists()


def test_production_cookies_are_secure_httponly_and_samesite():
    code = (
        "from django.conf import settings as s; import json; print(json.dumps([s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, s.SECURE_HSTS_SECONDS > 0]))"
    )
    result = manage("shell", "-c", code, env=PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [True, True, True, "Lax", True]
