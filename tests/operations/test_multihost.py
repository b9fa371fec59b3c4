"""Two hosts: two gunicorn servers (separate processes and ports, two sync workers each, production
settings) on one PostgreSQL and one Redis, as README "Running at scale" describes. Whatever one host
writes, the other serves on its next request: an editor's publish (anonymous cached page, module text,
a path's steps), a learner's quiz result, a new translation. Then 100 learners spread over both hosts
for LOADTEST_SECONDS (default 60): no error, and every record exactly once.

`make test` runs this in the PostgreSQL pass with REDIS_URL from .ci/redis-up.sh (marker `load`: the
SQLite pass leaves it out). Without PostgreSQL or Redis it fails, saying so.

The learners sign in (and enrol) before the timed minute, 10 at a time: each sign-in costs a PBKDF2
hash of 1,000,000 rounds (0.3 s of CPU on an idle core, 1-2 s on this shared machine), and 100 at the
same instant would queue beyond the 30 s client timeout. Latency is reported, not asserted.
"""

import json
import os
import secrets
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection
from wagtail.models import Locale, Page

from learning.catalogue.quiz import questions_from_quiz
from learning.models import ModulePage, PathPage, User
from learning.records import grading
from tests.learner_client import Learner, Recorder, run_all, run_for
from tests.operations.hosts import (
    PASSWORD,
    production_password,
    publish_in_admin,
    signed_in,
    statuses,
    superuser,
    translate_in_admin,
)
from tests.operations.load_records import assert_records_match
from tests.serving import database_url, gunicorn

pytestmark = pytest.mark.load
LEARNERS = 100
SECONDS = float(os.environ.get("LOADTEST_SECONDS", "60"))


@dataclass
class Hosts:
    a: str
    b: str
    logs: Path

    def assert_no_server_errors(self):
        for log in self.logs.glob("*.log"):
            text = log.read_text(errors="replace")
            for marker in ("Traceback", "WORKER TIMEOUT", '" 500 '):  # a 500 in the access log
                assert marker not in text, (log.name, text[text.find(marker) - 2000 :][:6000])


@pytest.fixture(scope="module")
def collected(django_db_setup):
    """Static files, collected once for every pair of servers (production's manifest needs them)."""
    from tests.serving import ROOT, production_env

    command = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"]
    env = production_env(database_url(connection.settings_dict), BASE_URL="http://127.0.0.1")
    subprocess.run(command, cwd=ROOT, env=env, check=True)


@pytest.fixture
def hosts(collected, transactional_db, tmp_path_factory):
    """New servers for each test: a test's flush renumbers content types, which a running server keeps."""
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        pytest.fail(
            f"The multi-host test needs PostgreSQL and Redis (database: {connection.vendor}, REDIS_URL: "
            f"{settings.REDIS_URL or 'unset'}): `make test` starts both (.ci/postgres-up.sh, .ci/redis-up.sh)."
        )
    db_url, logs = database_url(connection.settings_dict), tmp_path_factory.mktemp("hosts")
    # The tests' own process shares the hosts' cache namespace, as a management command on a third host would.
    # One SECRET_KEY for both, as every host of a deployment has: sessions and signed forms cross hosts.
    env = {
        "REDIS_URL": settings.REDIS_URL,
        "CACHE_KEY_PREFIX": settings.CACHE_KEY_PREFIX,
        "SECRET_KEY": secrets.token_urlsafe(50),
    }
    with (
        gunicorn(db_url, workers=2, env=env, log=logs / "a.log", collect_static=False) as a,
        gunicorn(db_url, workers=2, env=env, log=logs / "b.log", collect_static=False) as b,
    ):
        yield Hosts(a, b, logs)


def learner(name="lena"):
    return User.objects.create(username=name, password=production_password())


def on(base, client):
    """The same browser (its cookies: session, CSRF) asking another host."""
    other = Learner(base, client.username, PASSWORD, recorder=client.recorder, answer_keys=client.answer_keys)
    other.cookies = client.cookies
    return other


def test_a_publish_on_host_a_shows_on_host_b_at_the_next_request(
    academy_restored_afterwards, transactional_db, academy, hosts
):
    module, path = academy["payment-basics"], academy["starter"]
    superuser()
    learner()
    reader = signed_in(hosts.b, "lena")
    # Host B renders and stores the current versions: anonymous pages whole, the module's text, the path's steps.
    for _ in range(2):
        assert {status for status, _ in statuses(hosts.b, module.url, times=4)} == {200}
        assert {status for status, _ in statuses(hosts.b, path.url, times=4)} == {200}
        assert module.title in reader.get(module.url).text

    draft = ModulePage.objects.get(pk=module.pk)
    draft.title = "Payment basics, second edition"
    draft.body = json.loads(json.dumps(draft.body.get_prep_value()).replace("introductory", "freshly revised"))
    draft.save_revision()  # an editor's draft; published on host A below
    publish_in_admin(signed_in(hosts.a, "host-admin"), module)

    anonymous_module = statuses(hosts.b, module.url, times=4)
    anonymous_path = statuses(hosts.b, path.url, times=4)
    assert all("Payment basics, second edition" in text for _, text in anonymous_module + anonymous_path)
    assert all("freshly revised" in text for _, text in anonymous_module)
    signed_in_module = reader.get(module.url).text
    assert "Payment basics, second edition" in signed_in_module and "freshly revised" in signed_in_module
    assert "Payment basics, second edition" in reader.get(path.url).text
    hosts.assert_no_server_errors()
    # What the hosts share is in Redis, under the deployment's prefix: pages, Wagtail's list of home
    # pages and the signed-in reader's session.
    keys = {key.decode() for key in redis.Redis.from_url(settings.REDIS_URL).keys(f"{settings.CACHE_KEY_PREFIX}:*")}
    assert any(":pages:" in key for key in keys), keys
    assert any(":default:" in key and "wagtail_site_root_paths" in key for key in keys), keys
    assert any(":default:" in key and "cached_db" in key for key in keys), keys


def test_a_quiz_submitted_on_host_a_shows_its_result_on_host_b(
    academy_restored_afterwards, transactional_db, academy, hosts
):
    module = next(page for page in academy.values() if isinstance(page, ModulePage) and page.quiz)
    keys = {module.url: grading.model_answers(questions_from_quiz(module.quiz))}
    learner()
    on_a = signed_in(hosts.a, "lena")
    on_a.answer_keys = keys
    on_b = on(hosts.b, on_a)  # the session made on host A signs the learner in on host B
    assert "You have completed this module." not in on_b.get(module.url).text
    assert "Passed with" not in on_b.get("/learn/").text

    attempt = on_a.take_quiz(module.url, on_a.get(module.url), "right")
    assert on_a.complete(module.url)

    assert "Passed with 100%" in on_b.get(f"{module.url}quiz/{attempt}/").text
    assert "You have completed this module." in on_b.get(module.url).text
    assert module.title in on_b.get("/learn/").text
    hosts.assert_no_server_errors()


def test_a_translation_made_on_host_a_routes_and_links_on_host_b(
    academy_restored_afterwards, transactional_db, academy, hosts
):
    home, area, module = academy["academy"], academy["payments"], academy["chargebacks"]
    superuser()
    learner()
    reader = signed_in(hosts.b, "lena")
    # Host B's workers build links from the list of home pages, stored without Polish.
    assert {status for status, _ in statuses(hosts.b, module.url) + statuses(hosts.b, "/")} == {200}
    assert reader.get(module.url).status == 200

    polish = Locale.objects.get(language_code="pl")
    editor = signed_in(hosts.a, "host-admin")
    translate_in_admin(editor, home, polish)
    polish_home = Page.objects.get(translation_key=home.translation_key, locale=polish)
    publish_in_admin(editor, polish_home, descendants=True)

    answers = statuses(hosts.b, f"/pl{module.url}") + statuses(hosts.b, "/pl/")
    assert [status for status, _ in answers] == [200] * len(answers)
    assert all(f'href="/pl{area.url}"' in text for _, text in answers[:16])
    assert not [text for _, text in answers if 'href="None"' in text]
    signed_in_page = reader.get(f"/pl{module.url}").text
    assert f'href="/pl{area.url}"' in signed_in_page and 'href="None"' not in signed_in_page
    hosts.assert_no_server_errors()


def test_100_learners_on_two_hosts_for_a_minute_get_no_errors_and_lose_or_duplicate_nothing(
    academy_restored_afterwards, transactional_db, academy, hosts, capsys
):
    modules = {page.url: page for page in academy.values() if isinstance(page, ModulePage)}
    paths = {page.url: page for page in academy.values() if isinstance(page, PathPage)}
    answer_keys = {url: grading.model_answers(questions_from_quiz(m.quiz)) for url, m in modules.items()}
    password = production_password()
    users = User.objects.bulk_create(User(username=f"load-{i:03d}", password=password) for i in range(LEARNERS))

    signing_in, recorder = Recorder(), Recorder()
    # Every other learner on each host, as a proxy spreading browsers would.
    learners = [
        Learner((hosts.a, hosts.b)[i % 2], u.username, PASSWORD, recorder=signing_in, answer_keys=answer_keys, seed=i)
        for i, u in enumerate(users)
    ]
    started = time.monotonic()
    failures = run_all([lambda learner=learner: learner.start(list(paths)) for learner in learners], concurrency=10)
    signed_in_after = time.monotonic() - started
    for one in learners:
        one.recorder = recorder
    work = [lambda deadline, one=one: one.study(modules=list(modules), deadline=deadline) for one in learners]
    elapsed, study_failures = run_for(SECONDS, work)
    failures += study_failures

    with capsys.disabled():  # the figures belong in make test's output
        attempts = sum(len(x.attempts) for x in learners)
        print(
            f"\nmulti-host load test on {connection.vendor} and Redis, {LEARNERS} learners, 2 hosts x 2 sync "
            f"workers: sign-in and enrolment {signing_in.summary(signed_in_after)}; then "
            f"{recorder.summary(elapsed)}; {attempts} quiz attempts "
            f"({sum(len(x.replays) for x in learners)} forms sent twice), "
            f"{sum(len(x.completed) for x in learners)} modules completed"
        )
    errors = signing_in.errors + recorder.errors
    assert failures == [] and errors == [], (failures[:5], errors[:10])
    hosts.assert_no_server_errors()
    assert_records_match(learners, users, modules, paths)
