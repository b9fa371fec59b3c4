"""Retrieval practice and test-out through their services and pages (learning/records/practice.py)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from learning.catalogue.quiz import questions_from_quiz
from learning.records import grading, practice, progress
from learning.records.models import ModuleProgress
from learning.records.practice_models import ReviewCard, TestOutTry
from tests.factories import ModulePageFactory, question, quiz_data, work_through

WEEK = datetime.timedelta(days=7)


def right_answers(module):
    return grading.model_answers(questions_from_quiz(module.quiz))


def wrong_answers(module):
    return {q.key: [next(c.id for c in q.choices if not c.correct)] for q in questions_from_quiz(module.quiz)}


def test_completing_a_module_brings_its_questions_back_later(academy, make_user):
    user, module = make_user(), academy["returns"]
    work_through(user, [module])
    cards = list(ReviewCard.objects.filter(user=user, module=module).order_by("question_key"))
    assert [card.question_key for card in cards] == ["returns-q1", "returns-q2"]
    now = timezone.now()
    assert practice.reviews_due_count(user=user, now=now) == 0
    assert practice.reviews_due_count(user=user, now=now + WEEK) == 2


def test_a_review_moves_missed_questions_sooner_than_known_ones_and_keeps_the_completion(academy, make_user):
    user, module = make_user(), academy["returns"]
    work_through(user, [module])
    later = timezone.now() + WEEK
    session = practice.review_session(user=user, language="en", now=later)
    assert session["due"] == 2
    known, missed = session["questions"]
    answers = {
        known.card.pk: right_answers(module)[known.question.key],
        missed.card.pk: wrong_answers(module)[missed.question.key],
    }
    outcomes = practice.review_submit(user=user, token=session["token"], answers=answers, language="en", now=later)
    assert [(o.correct, o.recorded) for o in outcomes] == [(True, True), (False, True)]
    assert outcomes[1].due - later == datetime.timedelta(days=1)
    assert outcomes[0].due - later > datetime.timedelta(days=5)
    assert outcomes[1].item.question.explanation == missed.question.explanation
    assert progress.module_state(user=user, module=module) == progress.COMPLETED  # never undone
    # The same form again changes nothing.
    again = practice.review_submit(user=user, token=session["token"], answers=answers, language="en", now=later)
    assert not any(o.recorded for o in again)
    assert ReviewCard.objects.filter(user=user, reviews=1).count() == 2


def test_a_tampered_review_form_records_nothing(academy, make_user):
    user, other, module = make_user(), make_user("other"), academy["returns"]
    work_through(user, [module])
    later = timezone.now() + WEEK
    session = practice.review_session(user=user, language="en", now=later)
    with pytest.raises(practice.StaleReview):
        practice.review_submit(user=other, token=session["token"], answers={}, language="en", now=later)
    with pytest.raises(practice.StaleReview):
        practice.review_submit(user=user, token=session["token"] + "x", answers={}, language="en", now=later)
    card = session["questions"][0].card
    with pytest.raises(grading.SubmissionError):
        practice.review_submit(user=user, token=session["token"], answers={card.pk: ["nope"]}, language="en", now=later)
    assert not ReviewCard.objects.filter(user=user, reviews__gt=0).exists()


def test_a_session_asks_at_most_ten_questions_across_modules_oldest_first(academy, make_user):
    user = make_user()
    big = ModulePageFactory(quiz=quiz_data(*(question(f"k{n:02}") for n in range(12))))
    work_through(user, [academy["returns"], big])
    ReviewCard.objects.filter(module=academy["returns"]).update(due=timezone.now() - datetime.timedelta(days=1))
    session = practice.review_session(user=user, language="en", now=timezone.now() + WEEK)
    assert session["due"] == 14
    keys = [item.question.key for item in session["questions"]]
    assert keys == ["returns-q1", "returns-q2", *(f"k{n:02}" for n in range(8))]


def test_a_question_removed_from_the_quiz_is_never_asked_again(academy, make_user):
    user = make_user()
    work_through(user, [academy["returns"]])
    ReviewCard.objects.create(user=user, module=academy["returns"], question_key="removed", due=timezone.now())
    session = practice.review_session(user=user, language="en", now=timezone.now() + WEEK)
    assert (session["due"], len(session["questions"])) == (2, 2)
    assert not ReviewCard.objects.filter(question_key="removed").exists()


def test_the_review_page_runs_a_flat_number_of_queries_with_2000_cards(academy, make_user, client):
    user = make_user()
    work_through(user, [academy["returns"]])
    client.force_login(user)
    later = timezone.now() - datetime.timedelta(days=1)

    def page_queries():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("reviews"))
        assert response.status_code == 200
        return response, [q["sql"] for q in queries]

    ReviewCard.objects.filter(user=user).update(due=later)
    client.get(reverse("reviews"))  # warm the site and Wagtail's site roots, as on a running server
    small, small_sql = page_queries()
    # 1,998 more review items, none due yet (their keys are not the quiz's: due, they would be dropped).
    ReviewCard.objects.bulk_create(
        ReviewCard(user=user, module=academy["consent"], question_key=f"k-{n}", due=later + 2 * WEEK)
        for n in range(1998)
    )
    large, large_sql = page_queries()
    assert ReviewCard.objects.filter(user=user).count() == 2000
    assert small.content.count(b'class="quiz-card"') == large.content.count(b'class="quiz-card"') == 2
    # session, user, the due count, the 10 cards due first, their live modules (one query): 5 whatever the number.
    assert len(small_sql) == len(large_sql) == 5, large_sql


def test_my_learning_says_how_many_reviews_are_due_and_which_modules_were_tested_out(academy, make_user, client):
    user = make_user()
    work_through(user, [academy["returns"]])
    ReviewCard.objects.filter(user=user).update(due=timezone.now() - datetime.timedelta(minutes=1))
    tried = practice.test_out_form(user=user, module=academy["consent"], shown=academy["consent"])
    practice.test_out_submit(
        user=user,
        module=academy["consent"],
        shown=academy["consent"],
        token=tried["token"],
        answers=right_answers(academy["consent"]),
    )
    client.force_login(user)
    page = client.get(reverse("my_learning")).content.decode()
    assert "2 reviews due" in page and reverse("reviews") in page
    assert "Tested out" in page


def test_passing_a_test_out_completes_the_module_as_tested_out_for_paths_and_certificates(academy, make_user):
    user, path = make_user(), academy["starter"]
    from learning.records import services

    services.enrolment_create(user=user, path=path)
    work_through(user, [academy["payment-basics"], academy["returns"]])
    consent = academy["consent"]
    form = practice.test_out_form(user=user, module=consent, shown=consent)
    tried, result = practice.test_out_submit(
        user=user, module=consent, shown=consent, token=form["token"], answers=right_answers(consent)
    )
    assert (tried.passed, result.score) == (True, 100)
    row = ModuleProgress.objects.get(user=user, module=consent)
    assert (row.state, row.tested_out) == (progress.COMPLETED, True)
    assert progress.module_state(user=user, module=consent) == progress.TESTED_OUT
    assert progress.path_progress(user=user, path=path).complete
    assert user.enrolments.get(path=path).certificate
    assert ReviewCard.objects.filter(user=user, module=consent).count() == 2


def test_a_test_out_below_the_mark_completes_nothing_and_the_next_try_waits_a_day(academy, make_user, settings):
    settings.ACADEMY_TEST_OUT_MARK = 90
    user, consent = make_user(), academy["consent"]
    half = {**right_answers(consent), **dict(list(wrong_answers(consent).items())[:1])}
    form = practice.test_out_form(user=user, module=consent, shown=consent)
    now = timezone.now()
    tried, result = practice.test_out_submit(
        user=user, module=consent, shown=consent, token=form["token"], answers=half, now=now
    )
    assert (tried.passed, result.score) == (False, 50)  # 50 passes the quiz, not the test-out
    assert progress.module_state(user=user, module=consent) == progress.NOT_STARTED
    again = practice.test_out_form(user=user, module=consent, shown=consent)
    with pytest.raises(practice.TestOutRefused) as refused:
        practice.test_out_submit(
            user=user,
            module=consent,
            shown=consent,
            token=again["token"],
            answers=right_answers(consent),
            now=now + datetime.timedelta(hours=23),
        )
    assert refused.value.reason == "too_soon" and refused.value.next_try == now + datetime.timedelta(days=1)
    practice.test_out_submit(
        user=user,
        module=consent,
        shown=consent,
        token=again["token"],
        answers=right_answers(consent),
        now=now + datetime.timedelta(days=1),
    )
    assert progress.module_state(user=user, module=consent) == progress.TESTED_OUT


def test_a_test_out_form_is_one_try_and_cannot_be_forged(academy, make_user):
    user, other, consent = make_user(), make_user("other"), academy["consent"]
    form = practice.test_out_form(user=user, module=consent, shown=consent)
    practice.test_out_submit(user=user, module=consent, shown=consent, token=form["token"], answers={})
    with pytest.raises(practice.TestOutRefused) as replay:
        practice.test_out_submit(
            user=user, module=consent, shown=consent, token=form["token"], answers=right_answers(consent)
        )
    assert replay.value.reason == "duplicate"
    for token, who, module in ((form["token"], other, consent), (form["token"] + "x", user, consent)):
        with pytest.raises(practice.TestOutRefused) as forged:
            practice.test_out_submit(user=who, module=module, shown=module, token=token, answers={})
        assert forged.value.reason == "stale"
    assert TestOutTry.objects.count() == 1


def test_test_out_is_offered_only_before_the_quiz_is_taken(academy, make_user, client):
    user, consent = make_user(), academy["consent"]
    client.force_login(user)
    assert reverse("test_out", args=[consent.pk]) in client.get(consent.url).content.decode()
    work_through(user, [consent])
    assert reverse("test_out", args=[consent.pk]) not in client.get(consent.url).content.decode()
    page = client.get(reverse("test_out", args=[consent.pk])).content.decode()
    assert "nothing to test out of" in page and 'name="token"' not in page


def test_the_test_out_page_refuses_politely_with_the_next_try(academy, make_user, client):
    user, consent = make_user(), academy["consent"]
    client.force_login(user)
    page = client.get(reverse("test_out", args=[consent.pk])).content.decode()
    token = page.split('name="token" value="')[1].split('"')[0]
    result = client.post(reverse("test_out", args=[consent.pk]), {"token": token})
    assert "not enough to test out" in result.content.decode()
    again = client.get(reverse("test_out", args=[consent.pk])).content.decode()
    assert "Your next try:" in again and 'name="token"' not in again


def test_a_learner_keeps_up_with_reviews_until_one_waits_over_a_week(academy, make_user):
    keeping, behind, none = make_user(), make_user("behind"), make_user("none")
    work_through(keeping, [academy["returns"]])
    work_through(behind, [academy["returns"]])
    ReviewCard.objects.filter(user=behind).update(
        due=timezone.now() - datetime.timedelta(days=practice.KEEPS_UP_DAYS + 1)
    )
    ids = [keeping.pk, behind.pk, none.pk]
    assert practice.keeps_up_with_reviews(user_ids=ids) == {keeping.pk: True, behind.pk: False, none.pk: True}
