"""Download my record (GDPR Art. 15 and 20): a learner gets everything the academy keeps about their learning as
one JSON file from their profile, their own only, in a flat number of queries."""

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from learning.interop.outbox import statements_for
from learning.records import services
from tests.factories import work_through
from tests.interop import journey

RECORD = "/accounts/profile/record.json"


@pytest.fixture
def lena(make_user, client):
    user = make_user("lena", display_name="Lena Łukasiewicz-Müller", email="lena@example.com")
    client.force_login(user)
    return user


def download(client):
    response = client.get(RECORD)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="learning-record-')
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    return json.loads(response.content)


def test_the_record_holds_the_whole_journey_and_its_xapi_statements(client, academy, lena, xapi):
    journey.walk(client, academy)
    reading = academy["payment-basics"].readings.first()
    services.broken_link_report_create(user=lena, link=reading, note="Gone")

    record = download(client)

    assert record["learner"]["username"] == "lena" and record["learner"]["email"] == "lena@example.com"
    assert record["learner"]["badge_shows_name"] is False
    assert [e["path"] for e in record["enrolments"]] == ["Starter"] and record["enrolments"][0]["completed_at"]
    assert {p["module"] for p in record["module_progress"]} == {
        "Payment basics",
        "Returns management",
        "Consent and cookies",
    }
    failed, *passed = record["quiz_attempts"]
    assert failed["passed"] is False and all(attempt["passed"] for attempt in passed) and len(passed) == 3
    answer = failed["answers"][0]
    assert answer["question"] and answer["choice_texts"] == ["A wrong one"] and answer["correct"] is False
    assert [v["url"] for v in record["reading_visits"]] == [reading.url]
    assert record["broken_link_reports"][0]["note"] == "Gone"
    (certificate,) = record["certificates"]
    assert certificate["path"] == "Starter" and certificate["revoked"] is False
    assert certificate["open_badge_credential"].endswith(f"/badges/credentials/{certificate['id']}.json")
    assert record["xapi_statements"] == statements_for(lena) and len(record["xapi_statements"]) > 10


def test_a_learner_downloads_only_their_own_record(client, academy, lena, make_user):
    ola = make_user("ola", email="ola@example.com")
    services.enrolment_create(user=ola, path=academy["payments-specialist"])
    work_through(ola, [academy["chargebacks"]], failed_attempts=1)
    services.enrolment_create(user=lena, path=academy["starter"])

    record = download(client)
    text = json.dumps(record)
    assert "ola" not in text and "Payments specialist" not in text
    assert record["quiz_attempts"] == [] and record["module_progress"] == []

    other = Client()
    other.force_login(ola)
    theirs = download(other)
    assert theirs["learner"]["username"] == "ola" and [e["path"] for e in theirs["enrolments"]] == [
        "Payments specialist"
    ]
    # The address takes no one's id: there is nothing to change to reach someone else's record.
    assert download(client)["learner"]["username"] == "lena"


def test_signed_out_visitors_are_asked_to_sign_in():
    response = Client().get(RECORD)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def queries_for(client):
    with CaptureQueriesContext(connection) as queries:
        download(client)
    return len(queries)


def test_the_download_costs_the_same_queries_for_a_small_and_a_large_record(client, academy, lena):
    services.enrolment_create(user=lena, path=academy["starter"])
    work_through(lena, [academy["payment-basics"]])
    small = queries_for(client)

    services.enrolment_create(user=lena, path=academy["payments-specialist"])
    modules = [academy[slug] for slug in ("returns", "consent", "shipping", "chargebacks", "withdrawal")]
    work_through(lena, modules, failed_attempts=2)
    for link in academy["payment-basics"].readings.all():
        services.reading_visit_record(user=lena, link=link)

    # Session and user, then the record: enrolments with paths and certificates, module progress, attempts,
    # their answers, reading visits, broken-link reports, xAPI statements.
    assert queries_for(client) == small == 9


@pytest.mark.parametrize(("prefix", "label"), [("", "Download my record"), ("/de", "Meine Lerndaten herunterladen"),
                                               ("/pl", "Pobierz moje dane o nauce")])  # fmt: skip
def test_the_profile_offers_the_download_in_every_language(client, lena, prefix, label):
    page = client.get(f"{prefix}/accounts/profile/").content.decode()
    assert f'href="{prefix}/accounts/profile/record.json" download>{label}</a>' in page
    assert client.get(f"{prefix}/accounts/profile/record.json").status_code == 200
