"""Writes other than module progress (progress.py): enrolments, assignments, quiz attempts, reading visits
and broken-link reports. Keyword-only. Each says what a repeated call does; in short:

- enrolment_create, assignment_create: one enrolment per (learner, path) however often or concurrently
  called; enrolling again changes nothing, assigning again makes the latest assignment's manager, due
  date and time stand.
- assignment_remove, broken_link_report_create: a repeat changes nothing.
- quiz_attempt_submit: every call is a new attempt, except that a form token is used once.
- reading_visit_record: one row per (learner, reading); every call counts one more visit.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from learning.catalogue.quiz import questions_from_quiz
from learning.records import events, grading, learner_state, progress
from learning.records.db import get_or_create_once
from learning.records.models import BrokenLinkReport, Enrolment, QuizAnswer, QuizAttempt, ReadingVisit


def enrolment_create(*, user, path, source=Enrolment.SELF, assigned_by=None, due_date=None):
    """Enrol once per (user, path). Self-enrolling again changes nothing (an assignment stays one);
    assigning records the assignment on the existing enrolment, overwriting an earlier one."""
    assigned_at = timezone.now() if source == Enrolment.ASSIGNED else None
    fields = {"source": source, "assigned_by": assigned_by, "due_date": due_date, "assigned_at": assigned_at}
    with transaction.atomic():
        enrolment, created = get_or_create_once(Enrolment, defaults=fields, user=user, path=path)
        if created:
            events.enrolled.send(sender=Enrolment, enrolment=enrolment)  # the xAPI outbox, same transaction
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
    """Unassign: the learner keeps the path and their progress in it, without due date or manager.
    Returns how many enrolments changed: 0 when it was not (or no longer) assigned."""
    with transaction.atomic():
        removed = Enrolment.objects.filter(user=member, path=path, source=Enrolment.ASSIGNED).update(
            source=Enrolment.SELF, assigned_by=None, due_date=None, assigned_at=None
        )
        if removed:
            learner_state.changed(member)
    return removed


class DuplicateSubmission(Exception):
    """This quiz form was already submitted once; the first attempt stands."""


def quiz_attempt_submit(*, user, module, answers, form_token=None, at=None):
    """Grade `answers` ({question key: [choice ids]}) against the published module the learner answered, in
    any language, and store the attempt on its default-language version (progress.canonical_page): a
    translation has the same question keys and choice ids, so answers join across languages.

    Each call stores a new attempt: learners may try again. A rendered form's `form_token` makes a
    doubled or replayed submission of that form raise DuplicateSubmission and store nothing; answers
    that do not fit the quiz raise grading.SubmissionError. Passing completes the module if the
    learner opened it (progress.module_complete, itself idempotent).
    """
    questions = questions_from_quiz(module.quiz)
    result = grading.grade(questions, answers, module.pass_mark)
    shown, module = module, progress.canonical_page(module)
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
                learner_state.changed(user)
                attempt.submitted_at = at
            events.quiz_submitted.send(sender=QuizAttempt, attempt=attempt, result=result, shown=shown)
    except IntegrityError as error:
        raise DuplicateSubmission() from error
    if result.passed:
        progress.module_complete(user=user, module=module, at=at)
    return attempt, result


def reading_visit_record(*, user, link):
    """Count a visit to a curated reading: the first creates the learner's row, later ones add one."""
    with transaction.atomic():
        visit, created = get_or_create_once(ReadingVisit, user=user, link=link)
        at = visit.first_visit_at if created else timezone.now()
        if not created:
            ReadingVisit.objects.filter(pk=visit.pk).update(visits=F("visits") + 1, last_visit_at=at)
            learner_state.changed(user)
        events.reading_opened.send(sender=ReadingVisit, visit=visit, at=at)  # the xAPI outbox, same transaction


def broken_link_report_create(*, user, link, note=""):
    """A learner's report that a reading is broken: one open report per (learner, reading); reporting
    again while it is open changes nothing (the first note stands)."""
    # PostgreSQL refuses a NUL in text (a 500); a note has no use for one.
    note = note.replace("\x00", "")[: BrokenLinkReport._meta.get_field("note").max_length]
    return BrokenLinkReport.objects.get_or_create(link=link, user=user, resolved=False, defaults={"note": note})[0]
