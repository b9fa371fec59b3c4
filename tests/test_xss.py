"""Cross-site scripting: whatever users and editors write is shown as text, never as live markup.

Each payload goes into every free-text field at once (names, team, module, area, path, stage,
readings, quiz), then every page that shows those fields is fetched and parsed. A page passes when
the payload's text comes through verbatim as text or as an attribute value (so it was escaped, not
parsed), the raw payload never appears unescaped in the HTML, and nothing the payload could have
created exists: no inline or foreign script, no on* attribute, no javascript:/data:/vbscript: URL,
no iframe, object, embed, style, base or refresh meta. Failures name the payload and the page and
are collected, so one run shows every hole.

Templates print a user through `user.name` (display name, else full name, else username) and,
on the profile page, the username: one learner carries the display name, two team members the
other two forms, so one team page covers all three.
"""

import csv
import io
import re
import shutil
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils.html import escape
from openpyxl import load_workbook

from learning.accounts.forms import ProfileForm
from learning.authoring.curriculum import CurriculumError, read
from learning.catalogue import bodytext
from learning.models import (
    AreaPage,
    Certificate,
    ModulePage,
    PathPage,
    PathStep,
    QuizAttempt,
    ReadingLink,
    ReadingVisit,
    Team,
    User,
)
from learning.records import services
from tests import factories
from tests.conftest import FIXTURE_CURRICULUM
from tests.factories import pass_quiz, work_through

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "<svg onload=alert(1)>",
    "'-alert(1)-'",
    "</textarea><script>alert(1)</script>",
    "{{7*7}} ${7*7} <%= 7*7 %>",
    '<a href="javascript:alert(1)">click</a>',
    '<iframe src="javascript:alert(1)"></iframe>',
    "<style>body{display:none}</style>",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '" onmouseover="alert(1)" x="',
    "' onfocus='alert(1)' autofocus x='",
    "`><svg/onload=alert(1)>`",
    "<IMG SRC=JaVaScRiPt:alert(1)>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "<details open ontoggle=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<object data="javascript:alert(1)"></object>',
    '<embed src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="https://evil.example/">',
    "</title><script>alert(1)</script>",
    '<!--<img src="--><img src=x onerror=alert(1)//">',
]
# Cells a spreadsheet would run as a formula, for the exports.
FORMULAS = [
    '=HYPERLINK("https://evil.example","x")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]
MARKUP = re.compile(r"[<>\"'&]")
BAD_URL = re.compile(r"^(javascript|data|vbscript):", re.I)
BAD_TAGS = {"iframe", "frame", "frameset", "object", "embed", "applet", "style", "base", "img"}
URL_ATTRS = {"href", "src", "action", "formaction", "data", "xlink:href", "poster", "background"}


def test_the_payloads_are_distinct_and_fit_every_field():
    assert len(set(PAYLOADS)) == len(PAYLOADS) == 30
    assert max(len(p) for p in PAYLOADS) <= 100  # PathStep.stage, the shortest field


class Markup(HTMLParser):
    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.elements, self.texts = [], []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.texts.append(data)


def problems_in(html, payload, *, expect_shown=True, check_raw=True, allowed_tags=(), others=()):
    """What is wrong with `html` showing `payload`; an empty list when it is shown as text only.
    `others`: payloads shown on the same page, whose escaped form may spell this one (&lt;...)."""
    page, found = Markup(html), []
    for tag, attrs in page.elements:
        attributes = dict(attrs)
        if tag == "script" and not (attributes.get("src") or "").startswith("/static/"):
            found.append(f"a <script> element {attrs}")
        if (tag in BAD_TAGS and tag not in allowed_tags) or (tag == "meta" and "http-equiv" in attributes):
            found.append(f"a <{tag}> element {attrs}")
        for name, value in attrs:
            squeezed = re.sub(r"[\x00-\x20]", "", value or "")  # browsers drop these inside a scheme
            if name.startswith("on"):
                found.append(f"an event handler {name}={value!r} on <{tag}>")
            if name in URL_ATTRS and BAD_URL.match(squeezed):
                found.append(f"a {name}={value!r} on <{tag}>")
    raw = html
    for other in others:
        raw = raw.replace(escape(other), "")
    if check_raw and MARKUP.search(payload) and payload in raw:
        at = raw.index(payload)
        found.append(f"the payload unescaped in the HTML: ...{raw[max(0, at - 80) : at + len(payload) + 20]!r}")
    shown = any(payload in text for text in page.texts) or any(payload == v for _t, a in page.elements for _n, v in a)
    if expect_shown and not shown:
        found.append("the payload not shown verbatim as text or attribute value")
    return found


def check(failures, response, payload, where, **kwargs):
    if response.status_code != 200:
        failures.append(f"{where}: payload {payload!r}: status {response.status_code}")
        return
    html = response.content.decode()
    failures.extend(f"{where}: payload {payload!r}: {problem}" for problem in problems_in(html, payload, **kwargs))


def quiz_with_text(module, text):
    """The module's quiz, keys and choice ids kept (so stored answers still match), every text replaced."""
    raw = module.quiz.get_prep_value()
    for question in raw:
        question["value"].update(prompt=text, explanation=text)
        for choice in question["value"]["choices"]:
            choice["value"].update(text=text, feedback=text)
    return ModulePage.quiz.field.to_python(raw)


@pytest.fixture
def world(academy, make_user):
    """Lena has completed the Starter path her manager assigned (certificate, a quiz attempt, a reading opened)."""
    lena = make_user("lena", display_name="Lena Learner", email="lena@example.org")
    maria = make_user("maria", display_name="Maria Manager")
    by_full_name, by_username = make_user("fullname"), make_user("username")
    team = Team.objects.create(name="Shop team")
    team.managers.add(maria)
    team.members.add(lena, by_full_name, by_username)
    starter, module = academy["starter"], academy["payment-basics"]
    services.assignment_create(manager=maria, members=[lena], path=starter)
    work_through(lena, [academy[slug] for slug in ("payment-basics", "returns", "consent")])
    ReadingVisit.objects.create(user=lena, link=module.readings.first())
    as_lena, as_maria = Client(), Client()
    as_lena.force_login(lena)
    as_maria.force_login(maria)
    return {
        "lena": lena,
        "maria": maria,
        "by_full_name": by_full_name,
        "by_username": by_username,
        "team": team,
        "path": starter,
        "module": module,
        "area": academy["payments"],
        "as_lena": as_lena,
        "as_maria": as_maria,
        "attempt": QuizAttempt.objects.get(user=lena, module=module),
        "certificate": Certificate.objects.get(enrolment__user=lena, enrolment__path=starter),
    }


def write_everywhere(world, payload):
    """The payload into every free-text field the pages below show (queryset updates: pages are read fresh)."""
    module, path = world["module"], world["path"]
    User.objects.filter(pk=world["lena"].pk).update(display_name=payload)
    User.objects.filter(pk=world["by_full_name"].pk).update(first_name=payload, last_name=payload)
    User.objects.filter(pk=world["by_username"].pk).update(username=payload)
    Team.objects.filter(pk=world["team"].pk).update(name=payload)
    ModulePage.objects.filter(pk=module.pk).update(
        title=payload, summary=payload, objectives=f"{payload}\nApply it", quiz=quiz_with_text(module, payload)
    )
    AreaPage.objects.filter(pk=world["area"].pk).update(title=payload, summary=payload)
    PathPage.objects.filter(pk=path.pk).update(
        title=payload, role=payload, audience=payload, outcomes=f"{payload}\nMore"
    )
    PathStep.objects.filter(path=path).update(stage=payload)
    ReadingLink.objects.filter(module=module).update(title=payload, publisher=payload, why=payload)


def test_free_text_renders_as_text_on_every_page(world):
    """30 payloads x 10 pages: every field that shows once per page has to go round one payload at a time."""
    module, team, lena = world["module"], world["team"], world["lena"]
    as_lena, as_maria = world["as_lena"], world["as_maria"]
    pages = [
        (as_lena, "module page", f"{module.url}?path={world['path'].slug}"),
        (as_lena, "path page", world["path"].url),
        (as_lena, "area page", world["area"].url),
        (as_lena, "My learning", "/learn/"),
        (as_lena, "profile", "/accounts/profile/"),
        (as_lena, "certificate", f"/certificates/{world['certificate'].uid}/"),
        (Client(), "certificate check", f"/certificates/verify/{world['certificate'].uid}/"),
        (as_lena, "search results", "/search/?q=payment"),
        (as_maria, "team page", f"/team/{team.pk}/"),
        (as_maria, "member page", f"/team/{team.pk}/member/{lena.pk}/"),
    ]
    failures = []
    for payload in PAYLOADS:
        write_everywhere(world, payload)
        for client, where, url in pages:
            check(failures, client.get(url), payload, where)
    assert not failures, "\n".join(failures)


def test_quiz_text_and_team_names_render_as_text(world):
    """Fields shown many times per page take all 30 payloads at once: a 30-question quiz (prompt,
    choices, feedback, explanation) and 30 teams, each question or team carrying one payload."""
    module, lena, as_lena, as_maria = world["module"], world["lena"], world["as_lena"], world["as_maria"]
    quiz = factories.quiz_data(
        *(
            factories.question(f"q{number}", prompt=payload, right=[payload], feedback=payload, explanation=payload)
            for number, payload in enumerate(PAYLOADS)
        )
    )
    ModulePage.objects.filter(pk=module.pk).update(quiz=ModulePage.quiz.field.to_python(quiz))
    module = ModulePage.objects.get(pk=module.pk)
    attempt, _result = pass_quiz(lena, module)
    preview = module.make_preview_request(preview_mode="answers")
    teams = Team.objects.bulk_create([Team(name=payload) for payload in PAYLOADS])
    world["maria"].managed_teams.add(*teams)
    pages = {
        "module page (quiz form)": as_lena.get(module.url),
        "quiz result page": as_lena.get(f"{module.url}quiz/{attempt.pk}/"),
        "answer-key preview": preview.render() if hasattr(preview, "render") else preview,
        "team list": as_maria.get("/team/"),
        "invitation form": as_maria.get("/accounts/invite/"),
    }
    failures = []
    for where, response in pages.items():
        for payload in PAYLOADS:
            check(failures, response, payload, where, others=[other for other in PAYLOADS if other != payload])
    assert not failures, "\n".join(failures)


def test_search_queries_are_echoed_as_text(client, academy):
    failures = []
    for payload in PAYLOADS:
        check(failures, client.get("/search/", {"q": payload}), payload, "search page")
    assert not failures, "\n".join(failures)


def test_names_written_through_the_profile_form_are_stored_verbatim(world):
    for payload in PAYLOADS:
        form = ProfileForm(
            {"display_name": payload, "email": "lena@example.org", "preferred_language": "en"},
            instance=User.objects.get(pk=world["lena"].pk),
        )
        assert form.is_valid(), (payload, form.errors)
        assert form.save().display_name == payload


def test_module_body_markdown_cannot_inject_markup():
    """The importer turns module bodies into HTML that |richtext prints as is: raw HTML is off and
    links keep only http(s), mailto and in-site targets. Markdown images stay (the CSP's img-src
    keeps other hosts out; an <img> runs no script), but never with an event handler or script URL."""
    failures = []
    for payload in PAYLOADS:
        for text in (payload, f"[click]({payload})", f"[click](<{payload}>)", f"![x]({payload})"):
            html = bodytext.to_html(text)
            # Markdown keeps quotes and character references in text as they are: both are text.
            problems = problems_in(html, payload, expect_shown=False, check_raw=False, allowed_tags={"img"})
            failures.extend(f"body {text!r}: {problem}" for problem in problems)
    for scheme in (
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
    ):
        assert "href" not in bodytext.to_html(f"[click]({scheme})"), scheme
    assert not failures, "\n".join(failures)


def test_exports_neutralise_spreadsheet_formulas(world):
    """Names and titles starting with = + - @ (or a tab or carriage return) reach the CSV as text."""
    team, as_maria = world["team"], world["as_maria"]
    for formula in FORMULAS:
        write_everywhere(world, formula)
        for table in ("matrix", "records"):
            export = as_maria.get(f"/team/{team.pk}/export/{table}.csv")  # streamed
            rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
            cells = [cell for row in rows[1:] for cell in row if formula.strip() in cell]
            assert cells, (formula, table, rows)
            assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells), (formula, table, cells)
        workbook = load_workbook(io.BytesIO(as_maria.get(f"/team/{team.pk}/export/matrix.xlsx").content))
        for sheet in workbook:
            for row in sheet.iter_rows():
                assert all(cell.data_type != "f" for cell in row), (formula, sheet.title, [c.value for c in row])


BAD_READING_URLS = [
    "javascript:alert(1)",
    "JAVASCRIPT:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "//evil.example/",
    "https:evil.example",
    "file:///etc/passwd",
    "ftp://evil.example/",
]


def test_reading_urls_other_than_http_are_refused_by_the_model(academy):
    link = academy["payment-basics"].readings.first()
    for url in BAD_READING_URLS:
        link.url = url
        with pytest.raises(ValidationError) as error:
            link.full_clean()
        assert "url" in error.value.message_dict, url


def test_reading_urls_other_than_http_are_refused_by_the_importer(tmp_path):
    for number, url in enumerate(BAD_READING_URLS):
        root = tmp_path / str(number)
        shutil.copytree(FIXTURE_CURRICULUM, root)
        file = root / "modules" / "payments" / "payment-basics.md"
        file.write_text(file.read_text().replace("url: https://example.org/payment-basics", f"url: {url!r}"))
        with pytest.raises(CurriculumError) as error:
            read(root)
        assert any(p.field.endswith("url") and "http(s)" in p.reason for p in error.value.problems), (
            url,
            str(error.value),
        )


def test_go_never_redirects_to_a_url_forced_into_the_database(client, academy):
    link = academy["payment-basics"].readings.first()
    for url in BAD_READING_URLS:
        ReadingLink.objects.filter(pk=link.pk).update(url=url)
        response = client.get(f"/go/{link.pk}/")
        assert response.status_code in (400, 404), (url, response.status_code, response.get("Location"))
    ReadingLink.objects.filter(pk=link.pk).update(url="https://example.org/ok")
    assert client.get(f"/go/{link.pk}/")["Location"] == "https://example.org/ok"
