"""Load test: 100 simulated learners for LOADTEST_SECONDS (default 60) against gunicorn with
production settings, on the database the suite runs on. `make test` runs it in the PostgreSQL pass,
as production runs; the SQLite pass leaves it out for time (marker `load`), and
bench/sqlite_concurrency.py puts SQLite under concurrent writers instead.

They sign in, enrol, open modules, take quizzes (right, wrong, at random, sometimes the same form
twice), ask to complete modules and look at My learning. Then the database is compared with what
the learners saw: no server error, and no record lost or duplicated.

Two sync workers serve 100 clients, so requests queue; latency is reported, not asserted (the
machine is shared). The learners sign in (and enrol) before the timed minute, 10 at a time: each
sign-in costs a PBKDF2 hash of 1,000,000 rounds (0.3 s of CPU on an idle core, 1-2 s on this shared
machine), and 100 at the same instant would queue beyond the 30 s client timeout.
"""

import os
import time

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.db.models import Count

from learning.catalogue.quiz import questions_from_quiz
from learning.models import Certificate, Enrolment, ModulePage, ModuleProgress, PathPage, QuizAttempt, User
from learning.records import grading, progress
from tests.learner_client import Learner, Recorder, run_all, run_for
from tests.serving import database_url, gunicorn

LEARNERS = 100
SECONDS = float(os.environ.get("LOADTEST_SECONDS", "60"))
PASSWORD = "a-load-test-password-2026"


@pytest.fixture
def academy_restored_afterwards(django_db_blocker):
    """After the transactional test's flush, commit again what the session started with (the
    migrations' rows and the fixture curriculum), so the tests after this one find it. Listed before
    transactional_db, so it is torn down after the flush."""
    yield
    from wagtail.models import Page

    from tests.conftest import load_fixture_curriculum, restore_baseline

    with django_db_blocker.unblock():
        if not Page.objects.filter(depth=1).exists():
            restore_baseline()
            load_fixture_curriculum()


def duplicates(queryset, *fields):
    return list(queryset.values(*fields).annotate(n=Count("id")).filter(n__gt=1))


@pytest.mark.load
def test_100_learners_for_a_minute_get_no_errors_and_lose_or_duplicate_nothing(
    academy_restored_afterwards, transactional_db, academy, tmp_path, capsys
):
    modules = {page.url: page for page in academy.values() if isinstance(page, ModulePage)}
    paths = {page.url: page for page in academy.values() if isinstance(page, PathPage)}
    answer_keys = {url: grading.model_answers(questions_from_quiz(m.quiz)) for url, m in modules.items()}
    # The server checks passwords with production's hasher (PBKDF2), not the tests' MD5: hash once, share it.
    hasher = PBKDF2PasswordHasher()  # a full-entropy salt, else the first sign-in re-hashes and saves
    password = hasher.encode(PASSWORD, hasher.salt())
    users = User.objects.bulk_create(User(username=f"load-{i:03d}", password=password) for i in range(LEARNERS))
    user_ids = {user.username: user.pk for user in users}

    signing_in, recorder, log = Recorder(), Recorder(), tmp_path / "gunicorn.log"
    with gunicorn(database_url(connection.settings_dict), workers=2, log=log) as base:
        learners = [
            Learner(base, u.username, PASSWORD, recorder=signing_in, answer_keys=answer_keys, seed=i)
            for i, u in enumerate(users)
        ]
        started = time.monotonic()
        failures = run_all([lambda learner=learner: learner.start(list(paths)) for learner in learners], concurrency=10)
        signed_in = time.monotonic() - started
        for learner in learners:
            learner.recorder = recorder
        work = [
            lambda deadline, learner=learner: learner.study(modules=list(modules), deadline=deadline)
            for learner in learners
        ]
        elapsed, study_failures = run_for(SECONDS, work)
        failures += study_failures
    server_log = log.read_text(errors="replace")

    seen_attempts = {a: (user_ids[x.username], modules[url].pk) for x in learners for a, url in x.attempts.items()}
    seen_completed = {(user_ids[x.username], modules[url].pk) for x in learners for url in x.completed}
    seen_passed = {(user_ids[x.username], modules[url].pk) for x in learners for url in x.passed}
    replays = [pair for x in learners for pair in x.replays]
    with capsys.disabled():  # the figures belong in make test's output
        print(
            f"\nload test on {connection.vendor}, {LEARNERS} learners, 2 sync workers: sign-in and enrolment "
            f"{signing_in.summary(signed_in)}; then "
            f"{recorder.summary(elapsed)}; "
            f"{len(seen_attempts)} quiz attempts ({len(replays)} forms sent twice), "
            f"{len(seen_completed)} modules completed"
        )

    errors = signing_in.errors + recorder.errors
    assert failures == [] and errors == [], (failures[:5], errors[:10])
    for marker in ("Traceback", "database is locked", "WORKER TIMEOUT"):
        assert marker not in server_log, server_log[server_log.find(marker) - 2000 :][:6000]
    assert seen_attempts and seen_completed and replays, "the learners did too little to prove anything"

    # Quiz attempts: exactly those the learners were shown, each theirs; a form sent twice made one.
    stored = {a.pk: (a.user_id, a.module_id) for a in QuizAttempt.objects.all()}
    assert stored == seen_attempts
    assert sum(x.forms_submitted for x in learners) == len(seen_attempts)
    assert all(first == again for first, again in replays), [p for p in replays if p[0] != p[1]]
    tokens = list(QuizAttempt.objects.values_list("form_token", flat=True))
    assert None not in tokens and len(set(tokens)) == len(tokens)
    assert set(QuizAttempt.objects.filter(passed=True).values_list("user_id", "module_id")) == seen_passed

    # Progress: one row per (learner, module); completed exactly where completion was accepted.
    assert duplicates(ModuleProgress.objects, "user", "module") == []
    assert set(ModuleProgress.objects.filter(state="completed").values_list("user_id", "module_id")) == seen_completed
    quiz_modules = {m.pk for m in modules.values() if m.quiz}
    assert {pair for pair in seen_completed if pair[1] in quiz_modules} <= seen_passed

    # Enrolments and certificates: one per (learner, path), completed and certified iff the path is.
    assert set(Enrolment.objects.values_list("user_id", "path_id")) == {
        (user_ids[x.username], paths[url].pk) for x in learners for url in x.enrolled
    }
    assert duplicates(Certificate.objects, "enrolment__user", "enrolment__path") == []
    for enrolment in Enrolment.objects.select_related("path").prefetch_related("certificate"):
        done = progress.path_progress(user=enrolment.user, path=enrolment.path).complete
        assert (enrolment.completed_at is not None) == done == hasattr(enrolment, "certificate"), enrolment
