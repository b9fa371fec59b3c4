"""Editors see the outbox in the admin (Reports > xAPI outbox): counts per state, failing first, the LRS's last
answer; and `send_xapi` drains it by hand, or says why it cannot."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.utils import timezone

from learning.interop import outbox
from learning.interop.models import OutboxStatement
from learning.records import progress, services


@pytest.fixture
def editor(make_user, client):
    user = make_user("edith", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    return user


@pytest.fixture
def backlog(academy, make_user, xapi, monkeypatch):
    monkeypatch.setattr(outbox, "enqueue_send", lambda: None)
    lena = make_user("lena")
    services.enrolment_create(user=lena, path=academy["starter"])
    progress.module_open(user=lena, module=academy["payment-basics"])
    first = OutboxStatement.objects.order_by("pk").first()
    OutboxStatement.objects.filter(pk=first.pk).update(
        state=OutboxStatement.FAILING,
        attempts=3,
        last_error="HTTP 503: LRS under maintenance",
        next_try_at=timezone.now(),
    )
    return lena


def test_editors_see_sent_waiting_and_failing_statements_with_the_last_error(client, editor, backlog, academy):
    response = client.get("/admin/academy/xapi/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Failing: <strong>1</strong>" in html and "Waiting: <strong>1</strong>" in html
    assert "Sent: <strong>0</strong>" in html
    assert "HTTP 503: LRS under maintenance" in html and academy["payment-basics"].title in html
    assert html.index("HTTP 503") < html.index(academy["payment-basics"].title)  # failing first
    assert "lena" not in html  # the report names no learner
    failing_only = client.get("/admin/academy/xapi/?state=failing").content.decode()
    assert "HTTP 503" in failing_only and academy["payment-basics"].title not in failing_only


def test_send_xapi_says_why_it_cannot_send(client, backlog, xapi):
    with pytest.raises(CommandError, match="did not take every statement"):
        call_command("send_xapi", stdout=io.StringIO())
    assert OutboxStatement.objects.order_by("pk").first().attempts == 4
    xapi.XAPI_ENDPOINT = ""
    with pytest.raises(CommandError, match="XAPI_ENDPOINT is not set"):
        call_command("send_xapi", stdout=io.StringIO())
