import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from learning.catalogue.quiz import questions_from_quiz
from learning.models import Enrolment, ModuleProgress, QuizAttempt, ReadingVisit
from learning.records import grading, progress, services
from tests.factories import pass_quiz, work_through


@pytest.fixture
def lena(make_user, client):
    user = make_user("lena", display_name="Lena Learner")
    client.force_login(user)
    return user


def continue_button(html):
    """The home page's Continue card's button: where it leads and what it says (icons stripped)."""
    card = re.search(r'<section class="panel continue-card".*?</section>', html, re.S).group(0)
    href, label = re.search(r'<a class="button[^"]*" href="([^"]+)">(.*?)</a>', card, re.S).groups()
    return href, re.sub(r"<[^>]+>", "", label).strip()


def quiz_url(module):
    return module.url + "quiz/"


def form_for(client, module):
    """Open the module as the learner does and return the quiz form's token and shown choices."""
    response = client.get(module.url)
    assert response.status_code == 200
    return response.context["quiz_form"]


def right_answers(module):
    return {f"q-{key}": ids for key, ids in grading.model_answers(questions_from_quiz(module.quiz)).items()}


def test_anonymous_visitors_read_the_module_but_not_the_quiz_form(client, academy):
    html = client.get(academy["payment-basics"].url).content.decode()
    assert "Sign in to take the quiz" in html and 'name="token"' not in html


def test_opening_a_module_starts_it_and_shows_the_quiz_form(client, academy, lena):
    module = academy["payment-basics"]
    html = client.get(module.url).content.decode()
    assert ModuleProgress.objects.get(user=lena, module=module).state == "started"
    assert 'name="token"' in html and 'type="radio"' in html and 'type="checkbox"' in html
    for leak in ("correct", "Yes.", "Not this one.", "Because it is."):
        assert leak not in html


def test_choice_order_is_shuffled_per_attempt(client, academy, lena):
    module = academy["payment-basics"]
    orders = {tuple(c["id"] for c in form_for(client, module)["questions"][0]["choices"]) for _ in range(12)}
    assert len(orders) > 1


def test_failing_then_retaking_and_passing_completes_the_module(client, academy, lena):
    module = academy["payment-basics"]
    form = form_for(client, module)
    wrong = {
        "token": form["token"],
        f"q-{form['questions'][0]['key']}": next(
            c["id"] for c in form["questions"][0]["choices"] if c["text"] == "A wrong one"
        ),
    }
    response = client.post(quiz_url(module), wrong, follow=True)
    html = response.content.decode()
    assert (
        "not passed yet" in html and "0%" in html and "No." in html and "Because it is." in html and "Try again" in html
    )

    form = form_for(client, module)
    response = client.post(quiz_url(module), {"token": form["token"], **right_answers(module)}, follow=True)
    html = response.content.decode()
    assert "Passed with 100%" in html and "This module is complete." in html
    assert ModuleProgress.objects.get(user=lena, module=module).state == "completed"
    history = client.get(module.url).content.decode()
    assert history.count("not passed") == 1 and "passed</span>" in history


@pytest.mark.parametrize(
    "tamper, message",
    [
        (
            lambda data, form: data.update({"q-invented": form["questions"][0]["choices"][0]["id"]}),
            "do not match this quiz",
        ),
        (
            lambda data, form: data.update({f"q-{form['questions'][0]['key']}": "not-a-choice"}),
            "do not match this quiz",
        ),
        (lambda data, form: data.update({"token": data["token"][:-3] + "abc"}), "expired or was changed"),
        (lambda data, form: data.pop("token"), "expired or was changed"),
    ],
)
def test_tampered_submissions_are_refused_and_record_nothing(client, academy, lena, tamper, message):
    module = academy["payment-basics"]
    form = form_for(client, module)
    data = {"token": form["token"], **right_answers(module)}
    tamper(data, form)
    response = client.post(quiz_url(module), data)
    assert response.status_code == 400 and message in response.content.decode()
    assert QuizAttempt.objects.filter(user=lena).count() == 0


def test_a_form_for_one_quiz_cannot_be_sent_to_another(client, academy, lena):
    token = form_for(client, academy["payment-basics"])["token"]
    response = client.post(quiz_url(academy["returns"]), {"token": token, **right_answers(academy["returns"])})
    assert response.status_code == 400 and QuizAttempt.objects.count() == 0


def test_the_same_form_sent_twice_records_one_attempt(client, academy, lena):
    module = academy["payment-basics"]
    data = {"token": form_for(client, module)["token"], **right_answers(module)}
    client.post(quiz_url(module), data)
    response = client.post(quiz_url(module), data, follow=True)
    assert "already submitted" in response.content.decode()
    assert QuizAttempt.objects.filter(user=lena).count() == 1


def test_two_tabs_record_one_attempt(client, academy, lena):
    module = academy["payment-basics"]
    first_tab, second_tab = form_for(client, module), form_for(client, module)
    client.post(quiz_url(module), {"token": first_tab["token"], **right_answers(module)})
    client.post(quiz_url(module), {"token": second_tab["token"], **right_answers(module)})
    assert QuizAttempt.objects.filter(user=lena).count() == 1


def test_a_submission_without_csrf_token_is_refused(academy, lena):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(lena)
    module = academy["payment-basics"]
    token = browser.get(module.url).context["quiz_form"]["token"]
    response = browser.post(quiz_url(module), {"token": token, **right_answers(module)})
    assert response.status_code == 403 and "Nothing was saved" in response.content.decode()
    assert QuizAttempt.objects.count() == 0


def test_a_module_without_quiz_is_marked_complete_by_the_learner(client, academy, lena):
    module = academy["shipping"]
    client.get(module.url)
    response = client.post(module.url + "complete/", follow=True)
    assert "Module complete" in response.content.decode()
    assert ModuleProgress.objects.get(user=lena, module=module).state == "completed"


def test_mark_as_complete_is_refused_before_the_quiz_is_passed(client, academy, lena):
    module = academy["payment-basics"]
    client.get(module.url)
    response = client.post(module.url + "complete/", follow=True)
    assert "Pass the quiz first" in response.content.decode()
    assert ModuleProgress.objects.get(user=lena, module=module).state == "started"


def test_a_reading_opens_through_go_records_the_visit_and_is_marked(client, academy, lena):
    module = academy["payment-basics"]
    link = module.readings.get()
    response = client.get(f"/go/{link.pk}/?next=https://evil.example/")
    assert response.status_code == 302 and response["Location"] == "https://example.org/payment-basics"
    client.get(f"/go/{link.pk}/")
    visit = ReadingVisit.objects.get(user=lena, link=link)
    assert visit.visits == 2
    assert "✓ Opened" in client.get(module.url).content.decode()


def test_anonymous_reading_visits_redirect_without_a_record(client, academy):
    link = academy["payment-basics"].readings.get()
    assert client.get(f"/go/{link.pk}/")["Location"] == link.url
    assert client.get("/go/999999/").status_code == 404
    assert ReadingVisit.objects.count() == 0


def test_enrolling_in_a_path_shows_progress_and_the_next_step(client, academy, lena):
    path = academy["starter"]
    html = client.get(path.url).content.decode()
    assert "Enrol in this path" in html
    client.post(path.url + "enrol/")
    assert Enrolment.objects.filter(user=lena, path=path, source="self").exists()
    html = client.get(path.url).content.decode()
    assert "0 of 3 required modules" in html and "Continue" in html
    assert re.search(r'class="step next" aria-current="step">\s*<a href="/areas/payments/payment-basics/', html)


def test_previous_and_next_follow_the_path_the_learner_came_from(client, academy, lena):
    html = client.get(academy["returns"].url + "?path=starter").content.decode()
    assert "← Payment basics" in html and "Consent and cookies →" in html
    html = client.get(academy["payment-basics"].url + "?path=payments-specialist").content.decode()
    assert "Chargebacks →" in html


def test_my_learning_invites_a_new_learner_to_pick_a_path(client, academy, lena):
    html = client.get("/learn/").content.decode()
    assert "Pick the path for your role" in html and 'href="/paths/"' in html


def test_my_learning_shows_progress_due_dates_and_certificates(client, academy, lena, make_user):
    boss = make_user("boss")
    services.enrolment_create(user=lena, path=academy["starter"])
    services.enrolment_create(
        user=lena,
        path=academy["payments-specialist"],
        source=Enrolment.ASSIGNED,
        assigned_by=boss,
        due_date="2026-01-10",
    )
    work_through(lena, [academy["payment-basics"]])
    work_through(lena, [academy["returns"], academy["consent"]])
    html = client.get("/learn/").content.decode()
    certificate = Enrolment.objects.get(user=lena, path=academy["starter"]).certificate
    assert "Completed paths" in html and f'href="/certificates/{certificate.uid}/"' in html
    assert "1 of 3 modules" in html and "overdue since" in html and "about 40 minutes left" in html
    assert "Continue" in html and "Recently completed" in html
    # the finished path comes first, above the one due (even overdue) that is still open
    assert html.index("Completed paths") < html.index("Starter") < html.index("Payments specialist")


def test_a_learner_never_sees_another_learners_attempts_or_certificates(client, academy, lena, make_user):
    other = make_user("other")
    module = academy["payment-basics"]
    progress.module_open(user=other, module=module)
    attempt, _ = pass_quiz(other, module)
    enrolment = services.enrolment_create(user=other, path=academy["starter"])
    work_through(other, [academy["returns"], academy["consent"]])
    enrolment.refresh_from_db()
    uid = enrolment.certificate.uid
    assert client.get(f"{module.url}quiz/{attempt.pk}/").status_code == 404
    assert client.get(f"/certificates/{uid}/").status_code == 404
    assert "other" not in client.get("/learn/").content.decode()


def test_the_certificate_prints_and_verifies_publicly_with_only_name_path_date(client, academy, lena):
    enrolment = services.enrolment_create(user=lena, path=academy["starter"])
    lena.email = "lena@private.example"
    lena.save()
    work_through(lena, [academy["payment-basics"], academy["returns"], academy["consent"]])
    enrolment.refresh_from_db()
    uid = enrolment.certificate.uid
    html = client.get(f"/certificates/{uid}/").content.decode()
    assert "Lena Learner" in html and "Starter" in html and uid in html and 'media="print"' in html
    public = Client().get(f"/certificates/verify/{uid}/").content.decode()
    assert "Lena Learner" in public and "Starter" in public and "Valid" in public
    assert "lena@private.example" not in public and "lena</" not in public
    assert Client().get("/certificates/verify/guessed-id/").status_code == 404


@pytest.mark.parametrize(
    "query, expected",
    [("returns", "Returns management"), ("chargebacks", "Chargebacks"), ("Example Institute", "Payment basics")],
)
def test_search_finds_modules_with_area_level_and_minutes(client, academy, query, expected):
    html = client.get("/search/", {"q": query}).content.decode()
    assert expected in html and "Beginner" in html and "20 min" in html


def test_search_says_when_nothing_matches(client, academy):
    assert "Nothing matches" in client.get("/search/", {"q": "zzxqv"}).content.decode()


def test_a_learner_reports_a_broken_reading_once(client, academy, lena):
    from learning.models import BrokenLinkReport

    link = academy["payment-basics"].readings.get()
    assert "Report a broken link" in client.get(academy["payment-basics"].url).content.decode()
    response = client.post(f"/go/{link.pk}/report/", follow=True)
    assert "The editors will check" in response.content.decode()
    client.post(f"/go/{link.pk}/report/")
    assert BrokenLinkReport.objects.filter(link=link, user=lena).count() == 1
    assert client.get(f"/go/{link.pk}/report/").status_code == 405


def test_the_signed_in_module_page_is_never_stored_nor_its_quiz_restored(client, academy, lena):
    response = client.get(academy["payment-basics"].url)
    assert "no-store" in response["Cache-Control"]
    assert re.search(r'<form [^>]*class="quiz-form" autocomplete="off"', response.content.decode())


def test_the_result_page_keeps_the_path_the_learner_came_through(client, academy, lena):
    module = academy["payment-basics"]
    form = client.get(module.url + "?path=payments-specialist").context["quiz_form"]
    answers = {"token": form["token"], **right_answers(module)}
    response = client.post(quiz_url(module) + "?path=payments-specialist", answers)
    assert response["Location"].endswith("?path=payments-specialist")
    assert "Chargebacks" in client.get(response["Location"]).content.decode()


def test_passing_the_last_required_quiz_says_the_path_is_complete_and_links_the_certificate(client, academy, lena):
    services.enrolment_create(user=lena, path=academy["starter"])
    work_through(lena, [academy["payment-basics"], academy["returns"]])
    module = academy["consent"]
    form = form_for(client, module)
    answers = {"token": form["token"], **right_answers(module)}
    html = client.post(quiz_url(module), answers, follow=True).content.decode()
    uid = Enrolment.objects.get(user=lena, path=academy["starter"]).certificate.uid
    assert "You have completed the path “Starter”." in html
    assert f'<a class="button" href="/certificates/{uid}/">View your certificate</a>' in html
    # the elective after it is offered, but not as the next thing to do
    assert "Keep going" in html and "Next module" not in html
    assert "You have completed the path" in client.get(module.url).content.decode()


def test_passing_a_quiz_before_the_end_of_the_path_offers_the_next_module(client, academy, lena):
    services.enrolment_create(user=lena, path=academy["starter"])
    module = academy["payment-basics"]
    form = form_for(client, module)
    answers = {"token": form["token"], **right_answers(module)}
    html = client.post(quiz_url(module), answers, follow=True).content.decode()
    assert "Next module" in html and "You have completed the path" not in html


def test_signing_in_without_next_lands_on_my_learning(client, academy, make_user):
    make_user("nina")
    response = client.post("/accounts/login/", {"username": "nina", "password": "a-long-test-password"})
    assert response["Location"] == "/learn/"
    client.logout()
    response = client.post(
        "/accounts/login/", {"username": "nina", "password": "a-long-test-password", "next": "/paths/"}
    )
    assert response["Location"] == "/paths/"


def test_a_learner_who_has_never_been_here_is_welcomed_not_welcomed_back(client, academy, lena):
    for url in ("/learn/", "/"):
        html = client.get(url).content.decode()
        assert "Welcome, Lena Learner" in html and "Welcome back" not in html
    progress.module_open(user=lena, module=academy["returns"])
    for url in ("/learn/", "/"):
        assert "Welcome back, Lena Learner" in client.get(url).content.decode()


def test_home_shows_the_learner_the_next_module_of_the_path_due_soonest(client, academy, lena, make_user):
    boss = make_user("boss")
    services.enrolment_create(
        user=lena,
        path=academy["payments-specialist"],
        source=Enrolment.ASSIGNED,
        assigned_by=boss,
        due_date=timezone.localdate() + datetime.timedelta(days=20),
    )
    services.enrolment_create(
        user=lena,
        path=academy["starter"],
        source=Enrolment.ASSIGNED,
        assigned_by=boss,
        due_date=timezone.localdate() + datetime.timedelta(days=5),
    )
    work_through(lena, [academy["payment-basics"]])
    assert continue_button(client.get("/").content.decode()) == (
        "/areas/logistics/returns/?path=starter",
        "Continue: Returns management",
    )
    work_through(lena, [academy["returns"], academy["consent"]])
    assert continue_button(client.get("/").content.decode()) == (
        "/areas/payments/chargebacks/?path=payments-specialist",
        "Continue: Chargebacks",
    )


def test_anonymous_visitors_get_no_continue_card(client, academy):
    assert "Continue" not in client.get("/").content.decode()


def test_an_unknown_certificate_id_says_so_and_is_a_404(client, academy, lena):
    for url in ("/certificates/verify/guessed-id/", "/certificates/guessed-id/"):
        response = client.get(url)
        assert response.status_code == 404
        html = response.content.decode()
        assert "No certificate has this id." in html and "may have moved" not in html
    assert Client().get("/certificates/verify/guessed-id/").status_code == 404
