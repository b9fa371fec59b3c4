"""The signed-in home page: Continue (the next module of the unfinished path due soonest), the
learner's paths with progress rings and due dates, and what they completed recently."""

import datetime
import re

import pytest
from django.utils import timezone

from learning.models import Enrolment
from learning.records import services
from tests.factories import work_through

pytestmark = pytest.mark.django_db


@pytest.fixture
def lena(make_user, client):
    user = make_user("lena", display_name="Lena Learner")
    client.force_login(user)
    return user


def assign(user, path, *, days, by):
    services.enrolment_create(
        user=user,
        path=path,
        source=Enrolment.ASSIGNED,
        assigned_by=by,
        due_date=timezone.localdate() + datetime.timedelta(days=days),
    )


def section(html, css):
    return re.search(rf'<section class="[^"]*\b{css}\b.*?</section>', html, re.S).group(0)


def text(fragment):
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


def test_continue_leads_to_the_next_module_of_the_path_due_soonest(client, academy, lena, make_user):
    boss = make_user("boss")
    assign(lena, academy["payments-specialist"], days=3, by=boss)
    assign(lena, academy["starter"], days=10, by=boss)
    work_through(lena, [academy["payment-basics"]])
    card = section(client.get("/").content.decode(), "continue-card")
    assert 'href="/areas/payments/chargebacks/?path=payments-specialist"' in card
    assert "Up next Chargebacks" in text(card) and "Payments specialist" in text(card)
    # Once that path is finished, Continue moves on to the next one due.
    work_through(lena, [academy["chargebacks"], academy["withdrawal"]])
    card = section(client.get("/").content.decode(), "continue-card")
    assert 'href="/areas/logistics/returns/?path=starter"' in card and "Up next Returns management" in text(card)


def test_home_shows_each_open_path_with_its_ring_and_due_date_and_recent_completions(client, academy, lena, make_user):
    assign(lena, academy["starter"], days=10, by=make_user("boss"))
    work_through(lena, [academy["payment-basics"]])
    html = client.get("/").content.decode()
    paths = re.search(r'<section aria-labelledby="your-paths-heading">.*?</section>', html, re.S).group(0)
    due = (timezone.localdate() + datetime.timedelta(days=10)).strftime("%-d %B %Y")
    assert 'role="img" aria-label="33% complete"' in paths and 'stroke-dasharray="33 100"' in paths
    assert f"due {due}" in text(paths) and "1 of 3 required modules" in text(paths)
    recent = re.search(r'<section aria-labelledby="recent-heading">.*?</section>', html, re.S).group(0)
    assert "Payment basics" in text(recent) and 'href="/areas/payments/payment-basics/"' in recent


def test_a_visitor_sees_what_the_academy_is_and_the_role_paths_not_a_continue_card(client, academy):
    html = client.get("/").content.decode()
    assert "continue-card" not in html and "Find the path for your role" in html
    assert 'href="/paths/starter/"' in html and "about " in html
