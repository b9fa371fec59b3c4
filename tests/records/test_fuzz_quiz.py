"""Fuzzing quiz submissions through the real endpoint: never a 5xx, never a wrong record.

Each example builds a real quiz form (the page's own `quiz_form`, checked once against the rendered
HTML), mutates its fields, token and encoding, and POSTs it as the signed-in learner. The test
client re-raises any exception the view lets escape, so a crash fails with its traceback. After
each example the database must hold at most one attempt per form token, only the learner's
attempts, answers only for the quiz's questions and choices, and a score that grading.grade gives
for the stored answers. derandomize=True makes the 1,000 examples the same on every run.
"""

import re
import time
from unittest import mock
from urllib.parse import urlencode

import pytest
from django.core import signing
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learning.catalogue.quiz import questions_from_quiz
from learning.models import QuizAttempt
from learning.records import grading
from learning.records.quiz import SALT, quiz_form

MESSAGES = ("has expired or was changed", "belongs to another quiz", "do not match this quiz", "Bad Request")
TEXT = st.text(max_size=30)  # any code point, NUL and lone surrogates included


@pytest.fixture
def quiz(academy, make_user):
    """The learner, signed in, and the chargebacks quiz (one single- and one multiple-answer question)."""
    learner, other = make_user("lena"), make_user("otto")
    client = Client(raise_request_exception=True)
    client.force_login(learner)
    module, elsewhere = academy["chargebacks"], academy["payment-basics"]
    html = client.get(module.url).content.decode()
    shown = set(re.findall(r'name="(q-[^"]+)" value="([^"]+)"', html))
    form = quiz_form(user=learner, module=module, attempt_count=0)
    assert shown == {(f"q-{q['key']}", c["id"]) for q in form["questions"] for c in q["choices"]}
    return {
        "client": client,
        "learner": learner,
        "other": other,
        "module": module,
        "elsewhere": elsewhere,
        "questions": questions_from_quiz(module.quiz),
        "foreign": [c.id for q in questions_from_quiz(elsewhere.quiz) for c in q.choices],
    }


def token_for(q, kind, payload_value):
    """A form token: the real one, or tampered, forged with the server's key, expired, foreign."""
    learner, module = q["learner"], q["module"]
    real = {"u": learner.pk, "m": module.pk, "n": 1, "s": "seed"}
    if kind == "real":
        return quiz_form(user=learner, module=module, attempt_count=0)["token"]
    if kind == "tampered":
        token = quiz_form(user=learner, module=module, attempt_count=0)["token"]
        position = payload_value % len(token)
        return token[:position] + ("A" if token[position] != "A" else "B") + token[position + 1 :]
    if kind == "other-user":
        return signing.dumps({**real, "u": q["other"].pk}, salt=SALT)
    if kind == "other-module":
        return quiz_form(user=learner, module=q["elsewhere"], attempt_count=0)["token"]
    if kind == "other-salt":
        return signing.dumps(real, salt="learning.other")
    if kind == "expired":
        with mock.patch("django.core.signing.time.time", return_value=time.time() - 2 * 24 * 3600):
            return signing.dumps(real, salt=SALT)
    if kind == "forged":  # signed with the server's key: only a leaked key gets here; still no crash
        payloads = [
            [1, 2],
            "text",
            7,
            None,
            {},
            {"u": learner.pk, "m": module.pk},
            {**real, "n": "1; drop"},
            {**real, "n": [1]},
            {**real, "n": 10**30},
            {**real, "n": -1},
            {**real, "u": str(learner.pk)},
        ]
        return signing.dumps(payloads[payload_value % len(payloads)], salt=SALT)
    return kind  # a literal value: empty, garbage, huge


TOKENS = st.one_of(
    st.sampled_from(["real"] * 6 + ["tampered", "other-user", "other-module", "other-salt", "expired", "forged"]),
    st.sampled_from(["", "x", ":", "a" * 10_000]),
    TEXT,
)


@st.composite
def submissions(draw):
    """(fields as (name, value) pairs, token kind, encoding, extra)."""
    ops = draw(
        st.lists(
            st.tuples(
                st.sampled_from(["drop", "duplicate", "rename", "value", "add", "list"]),
                st.integers(0, 10**6),
                TEXT,
                st.sampled_from(["unknown", "other-question", "foreign", "huge", "text", "empty", "nul"]),
            ),
            max_size=4,
        )
    )
    picks = draw(st.lists(st.integers(0, 10**6), min_size=2, max_size=2))
    return (
        ops,
        picks,
        draw(TOKENS),
        draw(st.integers(0, 10**6)),
        draw(
            st.sampled_from(
                ["multipart"] * 3 + ["urlencoded"] * 3 + ["latin-1", "bad-charset", "raw-bytes", "json", "get"]
            )
        ),
        draw(st.sampled_from([False] * 7 + [True])),
        draw(st.binary(max_size=30)),
    )


def build_fields(q, ops, picks):
    questions = q["questions"]
    fields = []
    for question, pick in zip(questions, picks):
        ids = [c.id for c in question.choices]
        chosen = (
            [ids[pick % len(ids)]] if question.kind == "single" else [i for n, i in enumerate(ids) if pick >> n & 1]
        )
        fields += [(f"q-{question.key}", choice) for choice in chosen]
    for op, n, text, value in ops:
        target = n % len(fields) if fields else None
        if op == "add" or target is None:
            fields.append((f"q-{text}" if n % 2 else text, text))
            continue
        name, current = fields[target]
        if op == "drop":
            del fields[target]
        elif op == "duplicate":
            fields.insert(target, (name, current))
        elif op == "rename":
            keys = [f"q-{question.key}" for question in questions]
            fields[target] = ([f"q-{text}", "q-", "Q" + name[1:], keys[n % len(keys)], text][n % 5], current)
        elif op in ("value", "list"):
            other = [c.id for question in questions if f"q-{question.key}" != name for c in question.choices]
            new = {
                "unknown": "not-a-choice",
                "other-question": (other or ["x"])[n % len(other or ["x"])],
                "foreign": q["foreign"][n % len(q["foreign"])],
                "huge": (current or "x")[:40] * 2000,
                "text": text,
                "empty": "",
                "nul": current + "\x00",
            }[value]
            fields[target] = (name, new) if op == "value" else (name, current)
            if op == "list":
                fields.insert(target, (name, new))
    return fields


def encode(fields, token, encoding, junk):
    """-> (content type, body bytes) or None for the test client's own multipart encoding."""
    pairs = [("token", token)] + fields
    safe = [(name.encode("utf-8", "surrogatepass"), value.encode("utf-8", "surrogatepass")) for name, value in pairs]
    if encoding == "urlencoded":
        return "application/x-www-form-urlencoded", urlencode(safe).encode()
    if encoding == "latin-1":
        return "application/x-www-form-urlencoded; charset=latin-1", urlencode(safe).encode()
    if encoding == "bad-charset":
        return "application/x-www-form-urlencoded; charset=no-such-charset", urlencode(safe).encode()
    if encoding == "raw-bytes":
        return "application/x-www-form-urlencoded", urlencode(safe).encode() + b"&" + junk + b"=\xff\xfe" + junk
    if encoding == "json":
        return "application/json", repr(pairs).encode("utf-8", "surrogatepass")
    return None


def send(q, fields, token, encoding, junk):
    client, url = q["client"], q["module"].url + "quiz/"
    if encoding == "get":
        return client.get(url, {"token": token})
    if encoding == "multipart":
        data = {}
        for name, value in [("token", token)] + fields:
            data.setdefault(name, []).append(value)
        return client.post(url, data)
    content_type, body = encode(fields, token, encoding, junk)
    return client.generic("POST", url, body, content_type=content_type)


def assert_invariants(q, before):
    """What the database must hold after any submission, whatever it was."""
    attempts = QuizAttempt.objects.filter(module=q["module"])
    assert not QuizAttempt.objects.exclude(user=q["learner"]).exists(), "an attempt for someone else"
    new = list(attempts.exclude(pk__in=before).prefetch_related("answers"))
    assert len(new) <= 1, "one submission recorded more than one attempt"
    assert len(set(QuizAttempt.objects.values_list("form_token", flat=True))) == QuizAttempt.objects.count()
    questions = {question.key: question for question in q["questions"]}
    for attempt in new:
        stored = {answer.question_key: answer.choices for answer in attempt.answers.all()}
        assert set(stored) <= set(questions), f"answers for questions the quiz lacks: {set(stored) - set(questions)}"
        for key, choices in stored.items():
            assert set(choices) <= {choice.id for choice in questions[key].choices}, (key, choices)
        result = grading.grade(q["questions"], stored, q["module"].pass_mark)
        assert (attempt.score, attempt.passed) == (result.score, result.passed)
        assert not attempt.passed or result.score >= q["module"].pass_mark
    return new


# The `quiz` fixture is function-scoped on purpose: the learner and module are made once per test,
# and every example runs in a savepoint that is rolled back, so examples start from the same data.
@settings(
    max_examples=1000,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(submission=submissions())
def test_mutated_quiz_submissions_never_fail_or_record_wrongly(quiz, submission):
    ops, picks, token_kind, token_value, encoding, twice, junk = submission
    with transaction.atomic():
        fields = build_fields(quiz, ops, picks)
        token = token_for(quiz, token_kind, token_value)
        for replay in range(2 if twice else 1):  # twice: a replay of the same form must not add an attempt
            before = list(QuizAttempt.objects.values_list("pk", flat=True))
            response = send(quiz, fields, token, encoding, junk)
            assert response.status_code in (200, 302, 400, 403), response.status_code
            if response.status_code == 400:
                assert any(message in response.content.decode() for message in MESSAGES), response.content[:500]
            new = assert_invariants(quiz, before)
            if new and encoding in ("multipart", "urlencoded"):
                sent = {}
                for name, value in fields:
                    if name.startswith("q-"):
                        sent.setdefault(name[2:], set()).add(value)
                stored = {a.question_key: set(a.choices) for a in new[0].answers.all()}
                assert {k: v for k, v in stored.items() if v} == sent, "stored answers differ from those sent"
            if replay and new:
                pytest.fail("a replayed form recorded a second attempt")
        transaction.set_rollback(True)


@pytest.mark.parametrize("payload", [[1, 2], "text", 7, None, {"u": 0, "m": 0}, {"n": "1"}, {"n": 10**70}, {"n": True}])
def test_a_well_signed_token_of_the_wrong_shape_is_refused_not_a_crash(quiz, payload):
    """Found by the fuzzer: a list payload raised AttributeError (a 500). Needs the server's key."""
    learner, module = quiz["learner"], quiz["module"]
    if isinstance(payload, dict):
        payload = {"u": learner.pk, "m": module.pk, "s": "seed", **payload}
    response = quiz["client"].post(module.url + "quiz/", {"token": signing.dumps(payload, salt=SALT)})
    assert response.status_code == 400 and "has expired or was changed" in response.content.decode()
    assert not QuizAttempt.objects.exists()
