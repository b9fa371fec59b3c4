"""A learner's own record, whole, as one JSON document: what they download from their profile (GDPR Art. 15,
access, and Art. 20, portability; README "Open Badges" / "Download my record").

Everything the academy keeps about their learning: the profile fields, enrolments (with due dates and who
assigned them), module progress, every quiz attempt with each answer (the question's prompt and the chosen
choices' texts as the quiz reads now; answers are kept as question keys and choice ids), reading visits, the
broken-link reports they wrote, their certificates, and the xAPI statements written about them. Only the
user it is given is ever read: the view passes request.user and takes no id.

8 queries, whatever the size of the record (pinned in tests/interop/test_my_record.py).
"""

from django.db.models import Prefetch

from learning.catalogue.quiz import questions_from_quiz
from learning.interop import outbox
from learning.interop.activities import site_url
from learning.records.models import BrokenLinkReport, Enrolment, ModuleProgress, QuizAnswer, QuizAttempt, ReadingVisit

FORMAT = "e-commerce-academy/learning-record/1"


def _profile(user):
    return {
        "username": user.get_username(),
        "display_name": user.display_name,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "preferred_language": user.preferred_language,
        "reminders_opt_out": user.reminders_opt_out,
        "badge_shows_name": user.badge_shows_name,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
    }


def _certificate(certificate, path):
    return {
        "id": certificate.uid,
        "path": path.title,
        "issued_at": certificate.issued_at,
        "revoked": certificate.revoked,
        "verification_url": site_url(f"/certificates/verify/{certificate.uid}/"),
        "open_badge_credential": site_url(f"/badges/credentials/{certificate.uid}.json"),
    }


def _enrolments(user):
    """Enrolments and the certificates of the finished ones: 1 query."""
    rows = Enrolment.objects.filter(user=user).select_related("path", "assigned_by", "certificate").order_by("pk")
    enrolments, certificates = [], []
    for enrolment in rows:
        enrolments.append(
            {
                "path": enrolment.path.title,
                "source": enrolment.source,
                "assigned_by": enrolment.assigned_by.name if enrolment.assigned_by else None,
                "assigned_at": enrolment.assigned_at,
                "due_date": enrolment.due_date,
                "enrolled_at": enrolment.enrolled_at,
                "completed_at": enrolment.completed_at,
            }
        )
        certificate = getattr(enrolment, "certificate", None)
        if certificate is not None:
            certificates.append(_certificate(certificate, enrolment.path))
    return enrolments, certificates


def _progress(user):
    rows = ModuleProgress.objects.filter(user=user).select_related("module").order_by("pk")
    return [
        {
            "module": row.module.title,
            "state": row.state,
            "started_at": row.started_at,
            "completed_at": row.completed_at,
            "last_seen_at": row.last_seen_at,
        }
        for row in rows
    ]


def _answer(answer, questions):
    question = questions.get(answer.question_key)
    texts = {choice.id: choice.text for choice in question.choices} if question else {}
    return {
        "question_key": answer.question_key,
        "question": question.prompt if question else None,
        "choices": answer.choices,
        "choice_texts": [texts.get(choice) for choice in answer.choices],
        "correct": answer.correct,
    }


def _attempts(user):
    """Every quiz attempt with its answers: 2 queries (attempts with their modules, answers)."""
    answers = Prefetch("answers", queryset=QuizAnswer.objects.order_by("pk"))
    rows = QuizAttempt.objects.filter(user=user).select_related("module").prefetch_related(answers).order_by("pk")
    quizzes = {}
    attempts = []
    for attempt in rows:
        if attempt.module_id not in quizzes:
            quizzes[attempt.module_id] = {q.key: q for q in questions_from_quiz(attempt.module.quiz)}
        attempts.append(
            {
                "module": attempt.module.title,
                "submitted_at": attempt.submitted_at,
                "score": attempt.score,
                "pass_mark": attempt.pass_mark,
                "passed": attempt.passed,
                "answers": [_answer(answer, quizzes[attempt.module_id]) for answer in attempt.answers.all()],
            }
        )
    return attempts


def _visits(user):
    rows = ReadingVisit.objects.filter(user=user).select_related("link").order_by("pk")
    return [
        {
            "reading": row.link.title,
            "url": row.link.url,
            "first_visit_at": row.first_visit_at,
            "last_visit_at": row.last_visit_at,
            "visits": row.visits,
        }
        for row in rows
    ]


def _reports(user):
    rows = BrokenLinkReport.objects.filter(user=user).select_related("link").order_by("pk")
    return [
        {"reading": row.link.title, "url": row.link.url, "note": row.note, "created_at": row.created_at} for row in rows
    ]


def learning_record(user):
    """The learner's whole learning record as a JSON-ready dict (dates as datetime/date objects)."""
    enrolments, certificates = _enrolments(user)
    return {
        "format": FORMAT,
        "site": site_url("/"),
        "learner": _profile(user),
        "enrolments": enrolments,
        "module_progress": _progress(user),
        "quiz_attempts": _attempts(user),
        "reading_visits": _visits(user),
        "broken_link_reports": _reports(user),
        "certificates": certificates,
        "xapi_statements": outbox.statements_for(user),
    }
