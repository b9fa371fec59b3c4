"""Writes other than progress: enrolments, assignments and quiz attempts. Keyword-only, idempotent."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from learning.records import grading, progress
from learning.records.db import get_or_create_once
from learning.records.models import Enrolment, QuizAnswer, QuizAttempt


def enrolment_create(*, user, path, source=Enrolment.SELF, assigned_by=None, due_date=None):
    """Enrol once per (user, path). Assigning an existing self-enrolment records the assignment."""
    assigned_at = timezone.now() if source == Enrolment.ASSIGNED else None
    fields = {"source": source, "assigned_by": assigned_by, "due_date": due_date, "assigned_at": assigned_at}
    enrolment, created = get_or_create_once(Enrolment, defaults=fields, user=user, path=path)
    if not created and source == Enrolment.ASSIGNED:
        for name, value in fields.items():
            setattr(enrolment, name, value)
        enrolment.save(update_fields=list(fields))
    return enrolment


def assignment_create(*, manager, members, path, due_date=None, due_in_days=None):
    """Assign `path` to each of `members` (a list of users). The due date is a date, or N days after
    today: onboarding plans count from the start date. Re-assigning updates the due date."""
    if due_in_days is not None:
        due_date = timezone.localdate() + datetime.timedelta(days=due_in_days)
    return [
        enrolment_create(user=member, path=path, source=Enrolment.ASSIGNED, assigned_by=manager, due_date=due_date)
        for member in members
    ]


def assignment_remove(*, member, path):
    """Unassign: the learner keeps the path and their progress in it, without due date or manager."""
    return Enrolment.objects.filter(user=member, path=path, source=Enrolment.ASSIGNED).update(
        source=Enrolment.SELF, assigned_by=None, due_date=None, assigned_at=None
    )


class DuplicateSubmission(Exception):
    """This quiz form was already submitted once; the first attempt stands."""


def quiz_attempt_submit(*, user, module, answers, form_token=None, at=None):
    """Grade `answers` ({question key: [choice ids]}) against the published module and store the attempt.

    Raises grading.SubmissionError for answers that do not fit the quiz and DuplicateSubmission
    when `form_token` was used before. Passing completes the module if the learner opened it.
    """
    questions = grading.questions_from_quiz(module.quiz)
    result = grading.grade(questions, answers, module.pass_mark)
    try:
        with transaction.atomic():
            attempt = QuizAttempt.objects.create(
                user=user,
                module=module,
                form_token=form_token,
                score=result.score,
                pass_mark=result.pass_mark,
                passed=result.passed,
            )
            QuizAnswer.objects.bulk_create(
                QuizAnswer(attempt=attempt, question_key=a.question.key, choices=list(a.chosen), correct=a.correct)
                for a in result.answers
            )
            if at is not None:
                QuizAttempt.objects.filter(pk=attempt.pk).update(submitted_at=at)
    except IntegrityError as error:
        raise DuplicateSubmission() from error
    if result.passed:
        progress.module_complete(user=user, module=module, at=at)
    return attempt, result
