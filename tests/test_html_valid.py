"""Every page type renders to HTML that the Nu HTML Checker (vnu-jar from npm, on the machine's
Java) reports with zero errors. The pages are rendered by Django and checked as files in one run; the
home, path, module, search and My learning pages also in German (the fixture curriculum's translations)
and in Polish (made here as the admin makes them), each saying its language in <html lang>."""

import json
import shutil
import subprocess

import pytest

from learning.models import Team
from learning.records import services
from tests.browser.test_language_journey import translate_into_polish
from tests.conftest import ROOT
from tests.factories import work_through

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# The translated pages (by name: <type>-<language>) and what each is searched for in that language.
TRANSLATED = {
    "home": "/",
    "path": "/paths/starter/",
    "module": "/areas/logistics/returns/",
    "search": "/search/?q={}",
}
SEARCHED = {"de": "Retourenmanagement", "pl": "zwrotów"}
LANGUAGES = tuple(SEARCHED)


def in_language(pages, language):
    """`pages` under `language`'s prefix, named <type>-<language>."""
    return {f"{name}-{language}": f"/{language}{url.format(SEARCHED[language])}" for name, url in pages.items()}


def test_every_page_type_is_valid_html(academy, client, make_user, tmp_path):
    if not VNU.exists() or not shutil.which("java"):
        pytest.fail("the Nu HTML Checker needs node_modules/vnu-jar and Java (make browser-deps installs both)")
    translate_into_polish(academy)
    learner, manager = make_user("lena", display_name="Lena Learner"), make_user("maria")
    team = Team.objects.create(name="Shop team")
    team.managers.add(manager)
    team.members.add(learner)
    services.assignment_create(manager=manager, members=[learner], path=academy["starter"], due_in_days=7)
    work_through(learner, [academy["payment-basics"], academy["returns"], academy["consent"]], failed_attempts=1)
    attempt = learner.quiz_attempts.first()
    certificate = learner.enrolments.get().certificate
    public = {
        "home": "/",
        "paths": "/paths/",
        "path": "/paths/starter/",
        "areas": "/areas/",
        "area": "/areas/payments/",
        "module": "/areas/payments/payment-basics/",
        "login": "/accounts/login/",
        "search": "/search/?q=returns",
        "not-found": "/no/such/page/",
        "verify": f"/certificates/verify/{certificate.uid}/",
    }
    for language in LANGUAGES:
        public.update(in_language(TRANSLATED, language))
    learner_pages = {
        "my-learning": "/learn/",
        "module-signed-in": "/areas/payments/chargebacks/",
        "path-signed-in": "/paths/starter/",
        "quiz-result": f"{attempt.module.url}quiz/{attempt.pk}/",
        "certificate": f"/certificates/{certificate.uid}/",
        "manager-view": "/learn/manager-view/",
        "profile": "/accounts/profile/",
    }
    for language in LANGUAGES:
        learner_pages.update(in_language({"my-learning": "/learn/"}, language))
    manager_pages = {"teams": "/team/", "team": f"/team/{team.pk}/", "member": f"/team/{team.pk}/member/{learner.pk}/"}
    for user, pages in ((None, public), (learner, learner_pages), (manager, manager_pages)):
        if user:
            client.force_login(user)
        for name, url in pages.items():
            response = client.get(url)
            assert response.status_code == (404 if name == "not-found" else 200), (url, response.status_code)
            language = name.rsplit("-", 1)[-1] if name.endswith(tuple(f"-{code}" for code in LANGUAGES)) else "en"
            assert f'<html lang="{language}">' in response.content.decode(), url
            (tmp_path / f"{name}.html").write_bytes(response.content)
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", "--stdout", "--skip-non-html", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    messages = json.loads(result.stdout or "{}").get("messages", [])
    errors = [f"{m.get('url', '').rsplit('/', 1)[-1]}:{m.get('lastLine')}: {m.get('message')}" for m in messages]
    assert errors == [], "\n".join(errors)
    # 20 page types, and 5 of them in German and in Polish
    assert len(list(tmp_path.glob("*.html"))) == 20 + 5 * len(LANGUAGES)
