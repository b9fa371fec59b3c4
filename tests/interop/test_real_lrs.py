"""A real LRS (Ralph, on loopback, tests/interop/lrs.py): a learner's whole journey arrives, read back through the
LRS's statements API equal to what we wrote; stopped mid-journey and restarted, every statement arrives once."""

import io

from django.core.management import call_command

from learning.interop.models import OutboxStatement
from learning.interop.outbox import statements_for
from tests.interop import journey, tincan

# What the LRS adds to a statement it stores (xAPI 1.0.3, 2.4.8-2.4.10); everything else must come back as sent.
STORED_BY_LRS = {"stored", "authority", "version"}


def as_sent(statement):
    return {key: value for key, value in statement.items() if key not in STORED_BY_LRS}


def in_lrs(ralph, user):
    """The user's statements in the LRS, oldest first (it lists the newest first)."""
    written = {s["id"] for s in statements_for(user)}
    return sorted((s for s in ralph.statements() if s["id"] in written), key=lambda s: (s["timestamp"], s["id"]))


def test_a_whole_journey_arrives_in_the_lrs_as_written(client, academy, make_user, ralph, commits):
    lena = make_user("lena-lrs")
    client.force_login(lena)
    expected = journey.walk(client, academy, committed=commits)
    written = statements_for(lena)
    assert len(written) == len(expected) and set(OutboxStatement.objects.values_list("state", flat=True)) == {"sent"}
    for statement in written:
        assert tincan.problems(statement) == []
    received = in_lrs(ralph, lena)
    by_id = {s["id"]: s for s in received}
    assert len(received) == len(written)
    for statement in written:
        assert as_sent(by_id[statement["id"]]) == statement
    verbs = {s["verb"]["id"].rsplit("/", 1)[1] for s in received}
    assert verbs == {"registered", "experienced", "answered", "attempted", "failed", "passed", "completed"}


def test_the_lrs_stopped_mid_journey_gets_every_statement_exactly_once_and_in_order(
    client, academy, make_user, ralph, commits
):
    mia = make_user("mia-lrs")
    client.force_login(mia)
    steps = journey.steps(client, academy)
    for _what, _verbs, run in steps[:3]:
        run()
        commits()
    assert len(in_lrs(ralph, mia)) == 2  # registered, experienced
    ralph.stop()
    for _what, _verbs, run in steps[3:6]:
        run()
        commits()
    assert OutboxStatement.objects.filter(user=mia).exclude(state=OutboxStatement.SENT).count() >= 10
    ralph.start()
    for _what, _verbs, run in steps[6:]:
        run()
        commits()  # the oldest is still backing off: these wait behind it
    call_command("send_xapi", stdout=io.StringIO())  # the backlog, by hand (the next task after the backoff does it)
    # A resend of everything the LRS already has (a lost answer, a second worker) changes nothing there.
    OutboxStatement.objects.filter(user=mia).update(state=OutboxStatement.WAITING)
    call_command("send_xapi", stdout=io.StringIO())
    written = [s["id"] for s in statements_for(mia)]
    stored = {s["id"]: s["stored"] for s in ralph.statements() if s["id"] in set(written)}
    received = [s["id"] for s in ralph.statements() if s["id"] in set(written)]
    assert sorted(received) == sorted(written) and len(received) == len(set(received))
    assert [stored[i] for i in written] == sorted(stored[i] for i in written)  # stored in the order written
    assert not OutboxStatement.objects.filter(user=mia).exclude(state=OutboxStatement.SENT).exists()
