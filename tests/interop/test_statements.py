"""The statements a learner's journey writes to the outbox: what each says, and that every one is valid xAPI."""

import uuid

import pytest
from django.db import transaction

from learning.interop import statements
from learning.interop.models import LearnerAccount, OutboxStatement
from learning.interop.outbox import statements_for
from learning.records import services
from tests.interop import journey, tincan

ADL = "http://adlnet.gov/expapi/verbs/"
BASE = "http://127.0.0.1:8000"


@pytest.fixture
def lena(make_user, client):
    user = make_user("lena", email="lena@example.com", preferred_language="en")
    client.force_login(user)
    return user


def written(user=None):
    rows = OutboxStatement.objects.order_by("pk")
    return [row.statement for row in (rows.filter(user=user) if user else rows)]


def by_verb(found, verb):
    return [s for s in found if s["verb"]["id"] == ADL + verb]


def test_without_an_endpoint_nothing_is_written(client, academy, lena, settings):
    settings.XAPI_ENDPOINT = ""
    journey.walk(client, academy)
    assert OutboxStatement.objects.count() == 0 and statements_for(lena) == []


def test_the_journey_writes_one_statement_per_event_in_order_and_each_is_valid_xapi(client, academy, lena, xapi):
    expected = journey.walk(client, academy)
    found = written(lena)
    assert [s["verb"]["id"] for s in found] == [ADL + verb for verb in expected]
    assert len({s["id"] for s in found}) == len(found)
    for statement in found:
        assert tincan.problems(statement) == [], statement
    assert statements_for(lena) == found


def test_actor_is_an_opaque_account_on_base_url_or_the_mailbox_when_asked(client, academy, lena, xapi):
    client.post(academy["starter"].url + "enrol/")
    actor = written(lena)[0]["actor"]
    name = actor["account"]["name"]
    assert actor["account"]["homePage"] == BASE + "/" and uuid.UUID(name)
    assert "lena" not in name and name == str(LearnerAccount.objects.get(user=lena).name)
    xapi.XAPI_ACTOR = "mbox"
    assert statements.actor(lena) == {"objectType": "Agent", "mbox": "mailto:lena@example.com"}


def test_activities_are_canonical_urls_named_in_every_language(client, academy, lena, xapi):
    journey.walk(client, academy)
    found = written(lena)
    registered = by_verb(found, "registered")[0]
    path = academy["starter"]
    assert registered["object"]["id"] == BASE + "/paths/starter/"
    assert registered["object"]["definition"]["type"] == "https://w3id.org/xapi/cmi5/activities/course"
    assert set(registered["object"]["definition"]["name"]) == {"en-US", "de-DE"}
    assert registered["object"]["definition"]["name"]["en-US"] == path.title
    # The German module's statements name the English (canonical) page, with the German quiz language.
    returns = academy["returns"]
    german_attempt = [s for s in by_verb(found, "attempted") if s["object"]["id"].startswith(BASE + returns.url)][0]
    assert german_attempt["context"]["language"] == "de-DE"
    assert german_attempt["object"]["id"] == BASE + returns.url + "#quiz"
    assert german_attempt["object"]["definition"]["name"]["de-DE"] == journey.german(returns).title + ": Quiz"
    assert german_attempt["object"]["definition"]["name"]["en-US"] == returns.title + ": quiz"


def test_registration_is_one_per_enrolment_with_path_and_area_as_context(client, academy, lena, xapi):
    journey.walk(client, academy)
    found = written(lena)
    registrations = {s["context"].get("registration") for s in found}
    assert len(registrations) == 1 and None not in registrations
    module = by_verb(found, "experienced")[0]
    assert module["object"]["id"] == BASE + academy["payment-basics"].url
    assert module["context"]["contextActivities"]["parent"][0]["id"] == BASE + "/paths/starter/"
    assert module["context"]["contextActivities"]["grouping"][0]["id"] == BASE + academy["payments"].url
    assert module["context"]["platform"] == "E-Commerce Academy" and module["context"]["language"] == "en-US"
    reading = by_verb(found, "experienced")[1]
    assert reading["object"]["definition"]["type"] == "http://adlnet.gov/expapi/activities/link"
    assert reading["object"]["id"] == f"{BASE}/go/{academy['payment-basics'].readings.first().pk}/"


def test_questions_are_choice_interactions_with_the_right_pattern_and_the_response(client, academy, lena, xapi):
    journey.walk(client, academy)
    answered = by_verb(written(lena), "answered")
    first = answered[0]
    definition = first["object"]["definition"]
    assert definition["type"] == "http://adlnet.gov/expapi/activities/cmi.interaction"
    assert definition["interactionType"] == "choice"
    ids = [choice["id"] for choice in definition["choices"]]
    right = definition["correctResponsesPattern"][0].split("[,]")
    assert set(right) <= set(ids) and right
    assert first["result"]["success"] is False and first["result"]["response"] in ids  # the failed attempt
    passed_first = answered[len(answered) // 2 - 1]
    assert all(s["result"]["success"] for s in answered[-3:])
    assert passed_first["object"]["id"].startswith(BASE + academy["payment-basics"].url + "#quiz/")


def test_attempts_carry_score_success_completion_and_duration(client, academy, lena, xapi):
    journey.walk(client, academy)
    failed, passed = by_verb(written(lena), "failed")[0], by_verb(written(lena), "passed")[0]
    assert failed["result"]["success"] is False and failed["result"]["score"]["scaled"] < 0.5
    score = passed["result"]["score"]
    assert score["scaled"] == 1 and score["raw"] == score["max"]
    assert passed["result"]["completion"] is True and passed["result"]["duration"].startswith("PT")
    completed = by_verb(written(lena), "completed")
    assert completed[-1]["object"]["id"] == BASE + "/paths/starter/" and completed[-1]["result"]["success"] is True


def test_statement_ids_are_fixed_so_writing_again_adds_nothing(client, academy, lena, xapi):
    client.post(academy["starter"].url + "enrol/")
    enrolment = lena.enrolments.get()
    again = statements.registered(enrolment)
    assert again[0]["id"] == written(lena)[0]["id"]
    from learning.interop.outbox import write

    write(lena, again)
    assert OutboxStatement.objects.filter(user=lena).count() == 1


def test_the_statement_rolls_back_with_its_record(academy, lena, xapi):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.enrolment_create(user=lena, path=academy["starter"])
        assert OutboxStatement.objects.filter(user=lena).count() == 1
        raise RuntimeError("the request failed after enrolling")
    assert not lena.enrolments.exists() and not OutboxStatement.objects.filter(user=lena).exists()
