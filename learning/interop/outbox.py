"""The xAPI outbox: statements written in the transaction of the record they describe, sent later.

Listens to learning.records.events (connected by learning.apps when the app is ready). With XAPI_ENDPOINT
unset nothing is written: a statement nobody will receive is personal data kept for no purpose. With it set,
each record's statements are stored as OutboxStatement rows inside the record's own transaction (both commit
or neither does), and after the commit the send task is enqueued (learning.interop.tasks, on the "background"
queue: a database row a worker picks up). The learner's request makes no network call; a failure to enqueue is
logged and never reaches them, and `manage.py send_xapi` or the next enqueued task sends what is left.
"""

import logging
import uuid

from django.conf import settings
from django.db import transaction

from learning.interop import statements
from learning.interop.models import OutboxStatement
from learning.interop.tasks import send_xapi_task
from learning.records import events

logger = logging.getLogger(__name__)


def enabled():
    return bool(getattr(settings, "XAPI_ENDPOINT", ""))


def write(user, built):
    """Store the built statements, in the caller's transaction, and send them once it commits. Writing the
    same statement again (the same id) changes nothing."""
    rows = [
        OutboxStatement(
            statement_id=uuid.UUID(statement["id"]),
            user=user,
            verb=statement["verb"]["display"]["en-US"],
            statement=statement,
        )
        for statement in built
    ]
    OutboxStatement.objects.bulk_create(rows, ignore_conflicts=True)
    transaction.on_commit(enqueue_send)


def enqueue_send():
    """Ask a worker to send the outbox. Never raises: the learner's request has already done its work."""
    try:
        send_xapi_task.enqueue()
    except Exception:
        logger.exception("could not enqueue the xAPI send task; `manage.py send_xapi` sends what is waiting")


def statements_for(user):
    """Every xAPI statement written about the learner (sent or not), oldest first: their record for the
    download (GDPR Art. 15 and 20). Empty when no LRS is configured (nothing is written then). 1 query."""
    return list(OutboxStatement.objects.filter(user=user).order_by("pk").values_list("statement", flat=True))


def _on_enrolled(enrolment, **_):
    if enabled():
        write(enrolment.user, statements.registered(enrolment))


def _on_module_opened(progress, **_):
    if enabled():
        write(progress.user, statements.module_experienced(progress))


def _on_reading_opened(visit, at, **_):
    if enabled():
        write(visit.user, statements.reading_experienced(visit, at))


def _on_quiz_submitted(attempt, result, shown, **_):
    if enabled():
        write(attempt.user, statements.quiz_submitted(attempt, result, shown))


def _on_module_completed(progress, **_):
    if enabled():
        write(progress.user, statements.module_completed(progress))


def _on_path_completed(enrolment, **_):
    if enabled():
        write(enrolment.user, statements.path_completed(enrolment))


def connect():
    """Listen to the records' events (learning.apps calls this once, when the app is ready)."""
    for signal, receiver in (
        (events.enrolled, _on_enrolled),
        (events.module_opened, _on_module_opened),
        (events.reading_opened, _on_reading_opened),
        (events.quiz_submitted, _on_quiz_submitted),
        (events.module_completed, _on_module_completed),
        (events.path_completed, _on_path_completed),
    ):
        signal.connect(receiver, dispatch_uid=f"xapi-outbox-{receiver.__name__}")
