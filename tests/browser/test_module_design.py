"""The module, result and certificate pages in a browser (Debian's Chromium): at 1280 px the path runs beside
the module with this module marked; at 390 px nothing scrolls sideways and a quiz choice is chosen by its text;
the certificate prints on one A4 landscape sheet; axe finds nothing in the light or the dark colour scheme."""

import io

import pytest
from pypdf import PdfReader

from learning.models import Certificate, QuizAttempt
from learning.records import services
from tests.browser.test_design import every_violation, sign_in
from tests.factories import work_through

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 900}


@pytest.fixture
def lena(academy, make_user):
    learner = make_user("lena", display_name="Magdalena Wiśniewska-Schönberger")
    services.enrolment_create(user=learner, path=academy["starter"])
    services.enrolment_create(user=learner, path=academy["payments-specialist"])
    work_through(learner, [academy["payment-basics"]])
    services.quiz_attempt_submit(user=learner, module=academy["returns"], answers={})
    work_through(learner, [academy["chargebacks"], academy["withdrawal"]])  # payments specialist: done
    return learner


def pages_of(academy, learner):
    attempt = QuizAttempt.objects.get(user=learner, module=academy["returns"])
    uid = Certificate.objects.get(enrolment__user=learner).uid
    return {
        "module": academy["returns"].url + "?path=starter",
        "result": f"{academy['returns'].url}quiz/{attempt.pk}/?path=starter",
        "certificate": f"/certificates/{uid}/",
    }


def test_wide_screens_show_the_path_beside_the_module_with_this_module_marked(live_server, browser, academy, lena):
    context = browser.new_context(viewport=WIDE)
    page = context.new_page()
    sign_in(page, live_server.url)
    page.goto(live_server.url + academy["returns"].url + "?path=starter")
    aside, module = page.locator(".module-aside"), page.locator("article.module")
    assert aside.is_visible()
    side, main = aside.bounding_box(), module.bounding_box()
    assert side["x"] >= main["x"] + main["width"] and side["y"] < main["y"] + 200  # beside it, not below
    current = aside.locator('[aria-current="step"]')
    assert current.count() == 1 and "Returns management" in current.inner_text() and current.is_visible()
    assert aside.get_by_role("link", name="Payment basics", exact=True).is_visible()
    assert aside.get_by_text("On this page").is_visible()
    aside.get_by_role("link", name="Why it matters").click()
    assert page.url.endswith("#why-it-matters")
    context.close()


def test_on_a_phone_nothing_scrolls_sideways_and_a_choice_is_chosen_by_its_text(live_server, browser, academy, lena):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    sign_in(page, live_server.url)
    widths = {}
    for name, url in pages_of(academy, lena).items():
        page.goto(live_server.url + url)
        widths[name] = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert widths == {"module": 0, "result": 0, "certificate": 0}
    page.goto(live_server.url + academy["returns"].url)
    radio = page.get_by_role("radio", name="Another wrong one")
    assert not radio.is_checked()
    page.locator("label.choice .choice-text", has_text="Another wrong one").click()
    assert radio.is_checked()
    # the drawn radio keeps its size beside a longer answer, and a checkbox is as large
    sizes = page.evaluate(
        """() => [...document.querySelectorAll('.choice input')].map(i => {
             const r = i.getBoundingClientRect(); return [Math.round(r.width), Math.round(r.height)]; })"""
    )
    assert len(set(map(tuple, sizes))) == 1 and sizes[0][0] >= 20, sizes
    context.close()


def test_the_certificate_prints_on_one_a4_landscape_sheet(live_server, browser, academy, lena):
    context = browser.new_context(viewport=WIDE)
    page = context.new_page()
    sign_in(page, live_server.url)
    page.goto(live_server.url + pages_of(academy, lena)["certificate"])
    reader = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True, print_background=True)))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)
    text = reader.pages[0].extract_text().replace("\n", "")
    assert "Magdalena Wiśniewska-Schönberger" in text and "Payments specialist" in text and "Download" not in text
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_on_the_module_result_and_certificate_pages(live_server, browser, academy, lena, scheme):
    context = browser.new_context(viewport=WIDE, color_scheme=scheme)
    page = context.new_page()
    sign_in(page, live_server.url)
    found = {}
    for name, url in pages_of(academy, lena).items():
        page.goto(live_server.url + url)
        found[name] = every_violation(page)
    context.close()
    assert found == {"module": [], "result": [], "certificate": []}
