"""Writes other than progress: enrolments and quiz attempts. Keyword-only, idempotent."""
from django.db import IntegrityError, transaction

from learning import grading, progress
from learning.models import Enrolment, QuizAnswer, QuizAttempt


def enrolment_create(*, user, path, source=Enrolment.SELF, assigned_by=None, due_date=None):
    """Enrol once per (user, path). Assigning an existing self-enrolment records the assignment."""
    try:
        with transaction.atomic():
            enrolment, created = Enrolment.objects.get_or_create(
                user=user, path=path, defaults={"source": source, "assigned_by": assigned_by, "due_date": due_date}
            )
    except IntegrityError:
        enrolment, created = Enrolment.objects.get(user=user, path=path), False
    if not created and source == Enrolment.ASSIGNED:
        enrolment.source, enrolment.assigned_by, enrolment.due_date = source, assigned_by, due_date
        enrolment.save(update_fields=["source", "assigned_by", "due_date"])
    return enrolment


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
                user=user, module=module, form_token=form_token, score=result.score,
                pass_mark=result.pass_mark, passed=result.passed,
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
