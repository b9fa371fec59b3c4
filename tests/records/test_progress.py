import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from learning.catalogue.quiz import questions_from_quiz
from learning.models import Certificate, Enrolment, ModuleProgress, QuizAttempt
from learning.records import grading, progress, services
from tests.factories import pass_quiz


def test_a_module_without_quiz_completes_once_opened(academy, make_user):
    user, module = make_user(), academy["shipping"]
    assert not progress.module_complete(user=user, module=module)
    progress.module_open(user=user, module=module)
    assert progress.module_complete(user=user, module=module)


def test_a_module_with_a_quiz_needs_the_quiz_passed(academy, make_user):
    user, module = make_user(), academy["payment-basics"]
    progress.module_open(user=user, module=module)
    assert not progress.module_complete(user=user, module=module)
    services.quiz_attempt_submit(user=user, module=module, answers={})  # fails
    assert not progress.module_complete(user=user, module=module)
    pass_quiz(user, module)  # passing completes it, because it was opened
    assert ModuleProgress.objects.get(user=user, module=module).state == progress.COMPLETED


def test_passing_a_quiz_of_an_unopened_module_does_not_complete_it(academy, make_user):
    user, module = make_user(), academy["payment-basics"]
    pass_quiz(user, module)
    assert not ModuleProgress.objects.filter(user=user, module=module).exists()


def test_reopening_a_module_refreshes_last_seen_at_most_once_a_minute(academy, make_user):
    user, module = make_user(), academy["shipping"]
    assert progress.module_open(user=user, module=module) == progress.STARTED
    rows = ModuleProgress.objects.filter(user=user, module=module)
    half_a_minute_ago = timezone.now() - datetime.timedelta(seconds=30)
    rows.update(last_seen_at=half_a_minute_ago)
    progress.module_open(user=user, module=module)
    assert rows.get().last_seen_at == half_a_minute_ago  # a read, not a write
    rows.update(last_seen_at=timezone.now() - datetime.timedelta(minutes=2))
    progress.module_open(user=user, module=module)
    assert timezone.now() - rows.get().last_seen_at < datetime.timedelta(seconds=10)


def test_second_completion_changes_nothing(academy, make_user):
    user, module = make_user(), academy["shipping"]
    progress.module_open(user=user, module=module)
    progress.module_complete(user=user, module=module)
    first = ModuleProgress.objects.get(user=user, module=module).completed_at
    progress.module_complete(user=user, module=module)
    assert ModuleProgress.objects.get(user=user, module=module).completed_at == first


def complete_path(user, academy, slugs):
    for slug in slugs:
        module = academy[slug]
        progress.module_open(user=user, module=module)
        if module.quiz:
            pass_quiz(user, module)
        progress.module_complete(user=user, module=module)


def test_path_progress_counts_required_modules_and_finds_the_next_step(academy, make_user):
    user, path = make_user(), academy["starter"]
    summary = progress.path_progress(user=user, path=path)
    assert (summary.done, summary.required, summary.percent, summary.next_module.slug) == (0, 3, 0, "payment-basics")
    complete_path(user, academy, ["payment-basics", "shipping"])  # shipping is elective: does not count
    summary = progress.path_progress(user=user, path=path)
    assert (summary.done, summary.required, summary.percent, summary.next_module.slug) == (1, 3, 33, "returns")
    assert summary.remaining_minutes == 40


def test_the_next_step_falls_back_to_an_elective_when_required_ones_are_done(academy, make_user):
    user = make_user()
    complete_path(user, academy, ["payment-basics", "returns", "consent"])
    summary = progress.path_progress(user=user, path=academy["starter"])
    assert summary.complete and summary.next_module.slug == "shipping"


def test_finishing_a_path_completes_the_enrolment_and_issues_one_certificate(academy, make_user):
    user = make_user()
    enrolment = services.enrolment_create(user=user, path=academy["starter"])
    complete_path(user, academy, ["payment-basics", "returns"])
    enrolment.refresh_from_db()
    assert enrolment.completed_at is None
    complete_path(user, academy, ["consent"])
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None
    certificate = Certificate.objects.get(enrolment=enrolment)
    assert len(certificate.uid) >= 20
    complete_path(user, academy, ["consent"])
    assert Certificate.objects.filter(enrolment=enrolment).count() == 1


def test_assigning_an_existing_self_enrolment_records_the_assignment(academy, make_user):
    user, manager = make_user(), make_user("boss")
    services.enrolment_create(user=user, path=academy["starter"])
    enrolment = services.enrolment_create(
        user=user, path=academy["starter"], source=Enrolment.ASSIGNED, assigned_by=manager
    )
    assert (enrolment.source, enrolment.assigned_by) == (Enrolment.ASSIGNED, manager)
    assert Enrolment.objects.filter(user=user).count() == 1


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_completions_leave_one_record(academy, make_user):
    user, module = make_user(), academy["shipping"]
    services.enrolment_create(user=user, path=academy["payments-specialist"])  # completion also refreshes enrolments
    barrier, errors = threading.Barrier(20), []

    def complete():
        try:
            barrier.wait()
            progress.module_open(user=user, module=module)
            progress.module_complete(user=user, module=module)
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=complete) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    rows = ModuleProgress.objects.filter(user=user, module=module)
    assert rows.count() == 1 and rows.get().state == progress.COMPLETED


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_submissions_of_one_form_record_one_attempt(academy, make_user):
    user, module = make_user(), academy["payment-basics"]
    answers = grading.model_answers(questions_from_quiz(module.quiz))
    barrier, outcomes = threading.Barrier(20), []

    def submit():
        try:
            barrier.wait()
            services.quiz_attempt_submit(user=user, module=module, answers=answers, form_token="same-form")
            outcomes.append("recorded")
        except services.DuplicateSubmission:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes).count("recorded") == 1 and outcomes.count("refused") == 19
    assert QuizAttempt.objects.filter(user=user, module=module).count() == 1
