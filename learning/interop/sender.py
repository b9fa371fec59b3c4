"""Sending the xAPI outbox to the LRS: in order, in batches, with retry and exponential backoff.

The statements go in the order they were written (the outbox's ids): a batch is the oldest BATCH_SIZE
waiting or failing ones, POSTed as one list to XAPI_ENDPOINT + "statements" (xAPI 1.0.3, basic auth). While
the oldest is backing off nothing newer is sent, so the LRS receives them in order however long it was away.

- 200 or 204: sent (204 is an LRS saying it has every one already: each has a fixed id, so a resend after a
  lost answer never duplicates).
- 400 or 409 for a batch: the LRS refuses something in it; each is then sent alone, and the one it refuses is
  marked rejected with its answer (never retried: it would block every later statement) for editors to see.
- anything else (the LRS down, 5xx, 401/403, a time-out): the whole batch is failing, tried again after
  BACKOFF_BASE * 2^(attempts - 1), at most BACKOFF_MAX, with the error kept on each row.

Two senders at once (workers on several hosts) cannot send the same batch: each claims the batch's rows by
moving their next try a lease ahead, in one conditional UPDATE, before the request.
"""

import base64
import datetime
import http.client
import json
import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from learning.interop.models import OutboxStatement

logger = logging.getLogger(__name__)

BATCH_SIZE = 100
TIMEOUT_SECONDS = 10
BACKOFF_BASE = datetime.timedelta(seconds=30)
BACKOFF_MAX = datetime.timedelta(hours=6)
LEASE = datetime.timedelta(seconds=2 * TIMEOUT_SECONDS + 5)
XAPI_VERSION = "1.0.3"
REFUSED = {400, 409}


class LRSError(Exception):
    def __init__(self, message, status=None):
        super().__init__(message)
        self.status = status


def post_statements(statements):
    """POST a list of statements to the LRS; returns the HTTP status (200 or 204), raises LRSError otherwise."""
    endpoint = urlsplit(settings.XAPI_ENDPOINT.rstrip("/") + "/statements")
    if endpoint.scheme not in ("http", "https") or not endpoint.hostname:
        raise LRSError(f"XAPI_ENDPOINT must be an http or https URL, not {settings.XAPI_ENDPOINT!r}")
    connection_class = http.client.HTTPSConnection if endpoint.scheme == "https" else http.client.HTTPConnection
    credentials = f"{settings.XAPI_USERNAME}:{settings.XAPI_PASSWORD}".encode()
    headers = {
        "Content-Type": "application/json",
        "X-Experience-API-Version": XAPI_VERSION,
        "Authorization": "Basic " + base64.b64encode(credentials).decode(),
    }
    connection = connection_class(endpoint.hostname, endpoint.port, timeout=TIMEOUT_SECONDS)
    try:
        connection.request("POST", endpoint.path, body=json.dumps(statements).encode(), headers=headers)
        response = connection.getresponse()
        body = response.read(2000).decode(errors="replace")
    except (OSError, http.client.HTTPException) as error:
        raise LRSError(f"{type(error).__name__}: {error}") from error
    finally:
        connection.close()
    if response.status not in (200, 204):
        raise LRSError(f"HTTP {response.status}: {body[:500]}", status=response.status)
    return response.status


def backoff(attempts):
    return min(BACKOFF_BASE * 2 ** max(attempts - 1, 0), BACKOFF_MAX)


def _claim_batch(now, *, force):
    """The oldest pending statements, claimed for this sender: [] when there are none, the oldest is backing
    off (unless `force`), or another sender claimed them first."""
    pending = OutboxStatement.objects.filter(state__in=OutboxStatement.PENDING).order_by("pk")
    rows = list(pending.values("pk", "statement", "attempts", "next_try_at")[:BATCH_SIZE])
    if not rows or (rows[0]["next_try_at"] > now and not force):
        return []
    if not force:
        # Only the due ones at the front: a newer row never overtakes an older one that is backing off.
        due = next((i for i, row in enumerate(rows) if row["next_try_at"] > now), len(rows))
        rows = rows[:due]
    ids = [row["pk"] for row in rows]
    claimable = Q(pk__in=ids) if force else Q(pk__in=ids, next_try_at__lte=now)
    if OutboxStatement.objects.filter(claimable).update(next_try_at=now + LEASE) != len(ids):
        return []  # another sender is on them; it sends them in order
    return rows


def _sent(rows, now):
    OutboxStatement.objects.filter(pk__in=[row["pk"] for row in rows]).update(
        state=OutboxStatement.SENT, sent_at=now, last_error="", next_try_at=now
    )


def _failed(rows, now, error, state=OutboxStatement.FAILING):
    for row in rows:
        attempts = row["attempts"] + 1
        OutboxStatement.objects.filter(pk=row["pk"]).update(
            state=state, attempts=attempts, next_try_at=now + backoff(attempts), last_error=str(error)[:2000]
        )


def send_batch(*, force=False):
    """Send the next batch; returns (sent, failed): (0, 0) when there was nothing due to send."""
    now = timezone.now()
    rows = _claim_batch(now, force=force)
    if not rows:
        return 0, 0
    try:
        post_statements([row["statement"] for row in rows])
    except LRSError as error:
        if error.status in REFUSED and len(rows) > 1:
            return _send_one_by_one(rows, now)
        state = OutboxStatement.REJECTED if error.status in REFUSED else OutboxStatement.FAILING
        _failed(rows, now, error, state)
        logger.warning("xAPI: %d statement(s) not sent: %s", len(rows), error)
        return 0, len(rows)
    _sent(rows, now)
    return len(rows), 0


def _send_one_by_one(rows, now):
    """A batch the LRS refused: find the statement it refuses, send the rest, stop at the first failure."""
    sent = 0
    for index, row in enumerate(rows):
        try:
            post_statements([row["statement"]])
        except LRSError as error:
            if error.status not in REFUSED:
                _failed(rows[index:], now, error)
                return sent, len(rows) - index
            _failed([row], now, error, OutboxStatement.REJECTED)
            continue
        _sent([row], now)
        sent += 1
    return sent, 0


def drain(*, force=False, max_batches=50):
    """Send batches until the outbox is empty, the oldest is backing off or a batch fails; `force` ignores
    the backoff (an operator asking now). Returns (sent, failed). Never raises for the LRS's sake."""
    if not getattr(settings, "XAPI_ENDPOINT", ""):
        return 0, 0
    total_sent = total_failed = 0
    for _batch in range(max_batches):
        sent, failed = send_batch(force=force)
        total_sent, total_failed = total_sent + sent, total_failed + failed
        if failed or not sent:
            break
    return total_sent, total_failed


def outbox_counts():
    """{state: how many statements}, every state listed: 1 query."""
    counts = dict(OutboxStatement.objects.values_list("state").annotate(n=Count("pk")).values_list("state", "n"))
    return {state: counts.get(state, 0) for state, _label in OutboxStatement.STATES}
