"""No page scrolls sideways on a 390 px phone (an iPhone's width): every page type, as a visitor,
a learner and a manager see it, in Debian's Chromium."""

import pytest

from learning.models import Team
from learning.records import services
from tests.factories import work_through

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-test-password"
PHONE = {"width": 390, "height": 844}


def sign_in(page, base, username):
    page.goto(base + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(base + "/learn/")


def sideways(page, base, urls):
    """The pages among `urls` wider than the screen, with how far they scroll."""
    wide = []
    for url in urls:
        page.goto(base + url)
        scroll_width, screen_width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        if scroll_width > screen_width:
            wide.append((url, scroll_width - screen_width))
    return wide


def test_no_page_scrolls_sideways_at_390_px(live_server, browser, academy, make_user, settings):
    settings.ACADEMY_SELF_SIGNUP = True
    learner = make_user("lena", display_name="Magdalena Wiśniewska-Schönberger")
    manager = make_user("maria", display_name="Maria Manager")
    team = Team.objects.create(name="Online shop team")
    team.managers.add(manager)
    team.members.add(learner)
    services.assignment_create(manager=manager, members=[learner], path=academy["starter"], due_in_days=7)
    services.assignment_create(manager=manager, members=[learner], path=academy["payments-specialist"], due_in_days=9)
    work_through(learner, [academy["payment-basics"], academy["returns"], academy["consent"]], failed_attempts=1)
    attempt = learner.quiz_attempts.first()
    uid = learner.enrolments.get(path=academy["starter"]).certificate.uid
    module = "/areas/payments/payment-basics/"
    pages = {
        None: [
            "/",
            "/paths/",
            "/paths/starter/",
            "/areas/",
            "/areas/payments/",
            module,
            "/search/?q=payment",
            "/accounts/login/",
            "/accounts/signup/",
            "/accounts/password/reset/",
            f"/certificates/verify/{uid}/",
            "/certificates/verify/no-such-certificate-id-at-all-0123456789abcdef/",
            "/no/such/page/",
        ],
        "lena": [
            "/",
            "/learn/",
            "/paths/starter/",
            "/paths/payments-specialist/",
            module + "?path=payments-specialist",
            f"{attempt.module.url}quiz/{attempt.pk}/",
            f"/certificates/{uid}/",
            "/learn/manager-view/",
            "/accounts/profile/",
            "/accounts/password/",
        ],
        "maria": ["/team/", f"/team/{team.pk}/", f"/team/{team.pk}/member/{learner.pk}/", "/accounts/invite/"],
    }
    wide = []
    for username, urls in pages.items():
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        if username:
            sign_in(page, live_server.url, username)
        wide += sideways(page, live_server.url, urls)
        context.close()
    assert wide == [], wide
