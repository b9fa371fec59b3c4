"""Sending the outbox: in order, in batches, with the xAPI headers; backing off while the LRS is away and draining
the backlog in order when it returns; a statement the LRS refuses set aside; and never a cost to the learner."""

import base64
import datetime
import io
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.utils import timezone

from learning.interop import outbox, sender
from learning.interop.models import OutboxStatement
from tests.interop import journey
from tests.interop.lrs import PASSWORD, USERNAME


class StubLRS:
    """An LRS on loopback that records every POST and answers what `answer(ids)` says (200 by default)."""

    def __init__(self, answer=None):
        self.posts, self.answer = [], answer or (lambda ids: 200)
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                status = stub.answer([statement["id"] for statement in body])
                stub.posts.append((self.path, dict(self.headers), body, status))
                payload = json.dumps([s["id"] for s in body] if status == 200 else {"detail": "refused"}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = f"http://127.0.0.1:{self.server.server_port}/xAPI/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def sent_ids(self):
        """The ids of the statements it accepted, in the order they came."""
        return [statement["id"] for _path, _headers, body, status in self.posts if status == 200 for statement in body]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def stub():
    lrs = StubLRS()
    yield lrs
    lrs.close()


@pytest.fixture
def lena(make_user, client):
    user = make_user("lena")
    client.force_login(user)
    return user


def outbox_ids(**filters):
    rows = OutboxStatement.objects.filter(**filters).order_by("pk")
    return [str(statement_id) for statement_id in rows.values_list("statement_id", flat=True)]


def test_statements_reach_the_lrs_in_order_with_the_xapi_headers(client, academy, lena, xapi, stub, commits):
    xapi.XAPI_ENDPOINT = stub.endpoint
    journey.walk(client, academy, committed=commits)
    assert stub.sent_ids() == outbox_ids() and len(stub.posts) > 1
    path, headers, _body, _status = stub.posts[0]
    assert path == "/xAPI/statements" and headers["X-Experience-API-Version"] == "1.0.3"
    assert headers["Authorization"] == "Basic " + base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()
    assert set(OutboxStatement.objects.values_list("state", flat=True)) == {OutboxStatement.SENT}


def test_a_down_lrs_costs_the_learner_nothing_and_the_backlog_drains_in_order_when_it_returns(
    client, academy, lena, xapi, commits
):
    # Nothing listens at the endpoint: every page still answers.
    for _what, _verbs, run in journey.steps(client, academy):
        response = run()
        commits()
        assert response is None or response.status_code in (200, 302)
    # The first send failed and backs off; everything written after it waits behind it, with no call of its own.
    first, *rest = OutboxStatement.objects.order_by("pk")
    assert first.state == OutboxStatement.FAILING and first.attempts == 1 and first.next_try_at > timezone.now()
    assert "ConnectionRefusedError" in first.last_error
    assert len(rest) > 20 and {(row.state, row.attempts) for row in rest} == {(OutboxStatement.WAITING, 0)}
    assert sender.drain() == (0, 0)  # backing off: no call at all
    lrs = StubLRS()
    try:
        xapi.XAPI_ENDPOINT = lrs.endpoint
        assert sender.drain() == (0, 0) and lrs.posts == []  # still backing off
        OutboxStatement.objects.update(next_try_at=timezone.now())  # the backoff is over
        sent, failed = sender.drain()
        assert (sent, failed) == (OutboxStatement.objects.count(), 0)
        assert lrs.sent_ids() == outbox_ids(state=OutboxStatement.SENT) == outbox_ids()
    finally:
        lrs.close()


def test_backoff_doubles_from_thirty_seconds_up_to_six_hours():
    assert [sender.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert sender.backoff(30) == datetime.timedelta(hours=6)


def test_the_oldest_statement_backing_off_holds_back_the_newer_ones(academy, lena, xapi, stub):
    xapi.XAPI_ENDPOINT = stub.endpoint
    from learning.records import services

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(outbox, "enqueue_send", lambda: None)
        services.enrolment_create(user=lena, path=academy["starter"])
        OutboxStatement.objects.update(state=OutboxStatement.FAILING, next_try_at=timezone.now() + sender.backoff(1))
        services.enrolment_create(user=lena, path=academy["payments-specialist"])
    assert sender.drain() == (0, 0) and stub.posts == []
    call_command("send_xapi", stdout=io.StringIO())  # by hand: ignores the backoff, sends in order
    assert stub.sent_ids() == outbox_ids() and len(stub.sent_ids()) == 2


def test_a_refused_statement_is_set_aside_and_the_rest_go_through(academy, lena, xapi):
    refused = []
    lrs = StubLRS(answer=lambda ids: 400 if refused[0] in ids else 200)
    try:
        xapi.XAPI_ENDPOINT = lrs.endpoint
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(outbox, "enqueue_send", lambda: None)
            from learning.records import progress, services

            services.enrolment_create(user=lena, path=academy["starter"])
            progress.module_open(user=lena, module=academy["payment-basics"])
            progress.module_open(user=lena, module=academy["returns"])
        refused.append(outbox_ids()[1])
        assert sender.drain() == (2, 0)
        rejected = OutboxStatement.objects.get(state=OutboxStatement.REJECTED)
        assert str(rejected.statement_id) == refused[0] and "HTTP 400" in rejected.last_error
        assert lrs.sent_ids() == outbox_ids(state=OutboxStatement.SENT) and len(lrs.posts) == 4  # 1 batch, 3 alone
        assert sender.drain() == (0, 0)  # never retried
    finally:
        lrs.close()


def test_two_senders_never_claim_the_same_batch(academy, lena, xapi):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(outbox, "enqueue_send", lambda: None)
        from learning.records import services

        services.enrolment_create(user=lena, path=academy["starter"])
    now = timezone.now()
    assert len(sender._claim_batch(now, force=False)) == 1
    assert sender._claim_batch(now, force=False) == []


def test_learner_pages_make_no_network_call_and_stay_as_fast_with_the_lrs_hanging(
    client, academy, make_user, xapi, commits
):
    """A worker sends (production's "background" queue is a database table): the request only enqueues. An LRS
    that accepts connections and never answers is the worst case: the learner must not wait for it."""
    hanging = socket.socket()
    hanging.bind(("127.0.0.1", 0))
    hanging.listen(50)
    enqueued = []

    def journey_seconds(username):
        client.force_login(make_user(username))
        start = time.perf_counter()
        journey.walk(client, academy, committed=commits)
        return time.perf_counter() - start

    try:
        with pytest.MonkeyPatch.context() as patch:
            # The "background" queue as production has it: enqueuing stores a row for a worker, nothing more.
            patch.setattr(outbox, "send_xapi_task", SimpleNamespace(enqueue=lambda: enqueued.append(1)))
            xapi.XAPI_ENDPOINT = ""
            without = journey_seconds("without-lrs")
            xapi.XAPI_ENDPOINT = f"http://127.0.0.1:{hanging.getsockname()[1]}/xAPI/"
            with_hanging = journey_seconds("with-hanging-lrs")
        hanging.setblocking(False)
        with pytest.raises(BlockingIOError):
            hanging.accept()  # nobody connected during the journey
        assert enqueued and OutboxStatement.objects.filter(state=OutboxStatement.WAITING).count() > 20
        print(f"journey without LRS {without:.2f} s, with a hanging LRS {with_hanging:.2f} s")
        assert with_hanging < without * 1.5 + 1
        # The worker meets the hanging LRS and gives up after its time-out; the statements wait, failing.
        patch_timeout = pytest.MonkeyPatch()
        patch_timeout.setattr(sender, "TIMEOUT_SECONDS", 0.5)
        try:
            assert sender.drain()[0] == 0
        finally:
            patch_timeout.undo()
        assert "timed out" in OutboxStatement.objects.order_by("pk").first().last_error
    finally:
        hanging.close()
