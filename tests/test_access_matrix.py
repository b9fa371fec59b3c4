"""Who may open what: every URL pattern of the site (enumerated from the URL configuration and the
pages' own routes, so a new endpoint without an entry here fails) for eight roles, and CSRF refusal
on every POST endpoint."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import URLResolver, get_resolver

from learning.models import ModulePage, PathPage, Team
from learning.records import services
from tests.factories import pass_quiz, work_through

ROLES = ["anonymous", "learner", "other learner", "manager", "other manager", "editor", "superuser", "team viewer"]


def every(code):
    return dict.fromkeys(ROLES, code)


def signed_in(code, anonymous=302):
    return {**every(code), "anonymous": anonymous}


def only(allowed, code=200, others=404):
    return {**signed_in(others), **{role: code for role in allowed}}


# A team's own manager, and those who see every team (superusers, "view all teams"); editors are staff
# but see content, not people.
MANAGERS = ["manager", "superuser", "team viewer"]
# name -> (url template, expected status per role)
EXPECTED = {
    "login": ("/accounts/login/", {**every(302), "anonymous": 200}),
    "logout": ("/accounts/logout/", every(405)),
    "password_change": ("/accounts/password/", signed_in(200)),
    "password_change_done": ("/accounts/password/done/", signed_in(200)),
    "password_reset": ("/accounts/password/reset/", every(200)),
    "password_reset_done": ("/accounts/password/reset/sent/", every(200)),
    "password_reset_complete": ("/accounts/password/reset/complete/", every(200)),
    "password_reset_confirm": ("/accounts/password/reset/MQ/bad-token/", every(200)),
    "profile": ("/accounts/profile/", signed_in(200)),
    "invite": ("/accounts/invite/", only(MANAGERS + ["other manager"], others=403)),
    "invite_resend": ("/accounts/invite/resend/", only(MANAGERS + ["other manager"], code=405, others=403)),
    "welcome_done": ("/accounts/welcome/done/", every(200)),
    "welcome": ("/accounts/welcome/MQ/bad-token/", every(200)),
    "signup": ("/accounts/signup/", every(404)),
    "healthz": ("/healthz", every(200)),
    "language_choose": ("/language/en/?next=/", every(302)),  # the language switcher: a cookie, then the page
    "my_learning": ("/learn/", signed_in(200)),
    "my_manager_view": ("/learn/manager-view/", signed_in(200)),
    "reading_go": ("/go/{link}/", every(302)),
    "reading_report": ("/go/{link}/report/", signed_in(405)),
    "certificate": ("/certificates/{certificate}/", only(["learner"])),
    "certificate_verify": ("/certificates/verify/{certificate}/", every(200)),
    "certificate_pdf": ("/certificates/{certificate}/pdf/", only(["learner"])),  # the owner's only
    "reviews": ("/learn/reviews/", signed_in(200)),  # each learner's own due questions
    "test_out": ("/learn/test-out/{untouched_module}/", signed_in(200)),  # each learner's own try
    # Open Badges: public documents; a credential by its certificate's id, as the verification page.
    "badge_issuer": ("/badges/issuer.json", every(200)),
    "badge_jwks": ("/badges/jwks.json", every(200)),
    "badge_status_list": ("/badges/status/revocation.json", every(200)),
    "badge_status_list_jwt": ("/badges/status/revocation.jwt", every(200)),
    "badge_credential": ("/badges/credentials/{certificate}.json", every(200)),
    "badge_credential_jwt": ("/badges/credentials/{certificate}.jwt", every(200)),
    "badge_image": ("/badges/credentials/{certificate}.png", every(200)),
    "my_record": ("/accounts/profile/record.json", signed_in(200)),  # always the signed-in learner's own
    "search": ("/search/?q=returns", every(200)),
    "team_list": ("/team/", only(MANAGERS + ["other manager"])),
    "team_detail": ("/team/{team}/", only(MANAGERS)),
    "team_assign": ("/team/{team}/assign/", signed_in(405)),
    "team_unassign": ("/team/{team}/unassign/?member={learner}&path={path_id}", only(MANAGERS)),  # GET asks first
    "team_member": ("/team/{team}/member/{learner}/", only(MANAGERS)),
    "team_export": ("/team/{team}/export/matrix.csv", only(MANAGERS)),
    "team_remind": ("/team/{team}/remind/", signed_in(405)),
    "team_areas": ("/team/{team}/areas/", only(MANAGERS)),
    "module:index_route": ("{module}", every(200)),
    "module:quiz_submit": ("{module}quiz/", signed_in(302)),
    "module:quiz_result": ("{module}quiz/{attempt}/", only(["learner"])),
    "module:complete": ("{module}complete/", signed_in(405)),
    "path:index_route": ("{path}", every(200)),
    "path:enrol": ("{path}enrol/", signed_in(405)),
}
POSTS = {
    "login": ("/accounts/login/", "anonymous"),
    "logout": ("/accounts/logout/", "learner"),
    "password_change": ("/accounts/password/", "learner"),
    "password_reset": ("/accounts/password/reset/", "anonymous"),
    "profile": ("/accounts/profile/", "learner"),
    "invite": ("/accounts/invite/", "manager"),
    "invite_resend": ("/accounts/invite/resend/", "manager"),
    "reading_report": ("/go/{link}/report/", "learner"),
    "reviews": ("/learn/reviews/", "learner"),
    "test_out": ("/learn/test-out/{untouched_module}/", "learner"),
    "team_assign": ("/team/{team}/assign/", "manager"),
    "team_unassign": ("/team/{team}/unassign/", "manager"),
    "team_remind": ("/team/{team}/remind/", "manager"),
    "module:quiz_submit": ("{module}quiz/", "learner"),
    "module:complete": ("{module}complete/", "learner"),
    "path:enrol": ("{path}enrol/", "learner"),
}


def url_names():
    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                # Wagtail's own URL modules are Wagtail's; the language prefixes (i18n_patterns) hold ours.
                wagtails = getattr(pattern.urlconf_name, "__name__", "").startswith("wagtail")
                if str(pattern.pattern) not in ("admin/", "documents/") and not wagtails:
                    yield from walk(pattern.url_patterns)
            elif pattern.name:
                yield pattern.name

    names = set(walk(get_resolver().url_patterns))
    names |= {f"module:{p.name}" for p in ModulePage.get_subpage_urls()}
    names |= {f"path:{p.name}" for p in PathPage.get_subpage_urls()}
    return names


@pytest.fixture
def world(academy, make_user):
    users = {
        "learner": make_user("lena"),
        "other learner": make_user("olaf"),
        "manager": make_user("maria"),
        "other manager": make_user("otto"),
        "editor": make_user("eddie", is_staff=True),
        "superuser": make_user("root", is_staff=True, is_superuser=True),
        "team viewer": make_user("vera"),
    }
    users["editor"].groups.add(Group.objects.get(name="Editors"))
    users["team viewer"].user_permissions.add(Permission.objects.get(codename="view_all_teams"))
    team = Team.objects.create(name="Shop team")
    team.managers.add(users["manager"])
    team.members.add(users["learner"])
    Team.objects.create(name="Other team").managers.add(users["other manager"])
    (enrolment,) = services.assignment_create(
        manager=users["manager"], members=[users["learner"]], path=academy["starter"]
    )
    work_through(users["learner"], [academy["payment-basics"], academy["returns"], academy["consent"]])
    attempt, _ = pass_quiz(users["learner"], academy["payment-basics"])
    enrolment.refresh_from_db()
    values = {
        "link": academy["payment-basics"].readings.get().pk,
        "certificate": enrolment.certificate.uid,
        "team": team.pk,
        "learner": users["learner"].pk,
        "module": academy["payment-basics"].url,
        "attempt": attempt.pk,
        "path": academy["starter"].url,
        "path_id": academy["starter"].pk,
        "untouched_module": academy["chargebacks"].pk,
    }
    return users, values


def test_every_url_pattern_has_an_entry_in_the_matrix(db):
    assert url_names() == set(EXPECTED), "add new endpoints to EXPECTED (and POSTS if they accept POST)"


def test_access_matrix(world):
    users, values = world
    wrong = []
    for role in ROLES:
        client = Client()
        if role != "anonymous":
            client.force_login(users[role])
        for name, (template, expected) in EXPECTED.items():
            url = template.format(**values)
            status = client.get(url).status_code
            if status != expected[role]:
                wrong.append(f"{role:14} {name:24} {url}: got {status}, expected {expected[role]}")
    assert wrong == [], "\n".join(wrong)


def test_every_post_endpoint_refuses_a_request_without_csrf_token(world):
    users, values = world
    assert set(POSTS) <= set(EXPECTED)
    refused = {}
    for name, (template, role) in POSTS.items():
        client = Client(enforce_csrf_checks=True)
        if role != "anonymous":
            client.force_login(users[role])
        refused[name] = client.post(template.format(**values), {}).status_code
    assert refused == dict.fromkeys(POSTS, 403)
