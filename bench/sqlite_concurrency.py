"""SQLite under concurrency: 8 writers and 8 readers against gunicorn for 30 s; goal: no
"database is locked" and no server error.

A fresh SQLite database in a temp dir (WAL, IMMEDIATE transactions, busy timeout: the production
settings) with the tests' fixture curriculum and 16 learners, served by gunicorn with production
settings. 4 workers x 4 threads (gthread) give 16 request slots, so all 16 clients can be inside
Django, each on its own SQLite connection, at the same time: the lock is contended in SQLite, not
queued in gunicorn. The learners sign in first (not timed); then writers loop: open a module, take
its quiz with the form's fresh token (right or wrong), ask to complete it, enrol in a path; readers
loop over My learning, module pages and path pages (opening a module also records the visit, as it
does for a real learner). Writes are the POSTs, reads the readers' GETs.

Exits non-zero on any error or "database is locked". Usage:
.venv/bin/python bench/sqlite_concurrency.py [--seconds 30] [--writers 8] [--readers 8]
"""

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "site"), str(ROOT)]
TMP = tempfile.TemporaryDirectory(prefix="bench-sqlite-")
DB_URL = f"sqlite:///{TMP.name}/academy.sqlite3"
os.environ.update(DATABASE_URL=DB_URL, DEBUG="1", DJANGO_SETTINGS_MODULE="config.settings.development")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import PBKDF2PasswordHasher  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from learning.authoring.curriculum import read  # noqa: E402
from learning.authoring.curriculum_pages import import_curriculum  # noqa: E402
from learning.catalogue.quiz import questions_from_quiz  # noqa: E402
from learning.models import ModulePage, PathPage, User  # noqa: E402
from learning.records import grading  # noqa: E402
from tests.learner_client import Learner, Recorder, RequestFailed, percentile, run_all, run_for  # noqa: E402
from tests.serving import gunicorn  # noqa: E402

PASSWORD = "a-bench-password-2026"


def prepare(learners):
    call_command("migrate", "--noinput", verbosity=0)
    import_curriculum(read(ROOT / "tests" / "fixtures" / "curriculum"))
    hasher = PBKDF2PasswordHasher()
    password = hasher.encode(PASSWORD, hasher.salt())
    User.objects.bulk_create(User(username=f"bench-{i:02d}", password=password) for i in range(learners))
    modules = {m.url: grading.model_answers(questions_from_quiz(m.quiz)) for m in ModulePage.objects.live()}
    paths = [p.url for p in PathPage.objects.live()]
    connection.close()
    return modules, paths


def write(learner, modules, paths, deadline):
    while time.monotonic() < deadline:
        try:
            url = learner.rng.choice(modules)
            page = learner.open_module(url)
            if page.form(css_class="quiz-form"):
                learner.take_quiz(url, page, learner.rng.choice(["right", "wrong"]))
            learner.complete(url)
            learner.enrol(learner.rng.choice(paths))
        except RequestFailed:
            continue


def read_pages(learner, modules, paths, deadline):
    pages = ["/learn/", *modules, *paths]
    while time.monotonic() < deadline:
        try:
            learner.get(learner.rng.choice(pages))
        except RequestFailed:
            continue


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--readers", type=int, default=8)
    args = parser.parse_args()
    answer_keys, paths = prepare(args.writers + args.readers)
    modules = list(answer_keys)
    writes, reads, log = Recorder(), Recorder(), Path(TMP.name, "gunicorn.log")
    with gunicorn(DB_URL, workers=4, threads=4, log=log) as base:
        learners = [
            Learner(
                base,
                f"bench-{i:02d}",
                PASSWORD,
                recorder=writes if i < args.writers else reads,
                answer_keys=answer_keys,
                seed=i,
            )
            for i in range(args.writers + args.readers)
        ]
        failures = run_all([learner.login for learner in learners], concurrency=len(learners))
        rng = random.Random(0)
        work = [
            (lambda d, x=x, loop=write if x.recorder is writes else read_pages: loop(x, modules, paths, d))
            for x in learners
        ]
        rng.shuffle(work)
        elapsed, loop_failures = run_for(args.seconds, work)
    server_log = log.read_text(errors="replace")
    locked, tracebacks = server_log.count("database is locked"), server_log.count("Traceback")
    errors = len(writes.errors) + len(reads.errors) + len(failures) + len(loop_failures)
    p95_write = percentile(writes.latencies("write"), 0.95) * 1000
    p95_read = percentile(reads.latencies("read"), 0.95) * 1000
    print(
        "| writers | readers | seconds | writes ok | reads ok | errors | 'database is locked' | tracebacks "
        "| p95 write ms | p95 read ms |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    print(
        f"| {args.writers} | {args.readers} | {elapsed:.0f} | {writes.count('write')} | {reads.count('read')} "
        f"| {errors} | {locked} | {tracebacks} | {p95_write:.0f} | {p95_read:.0f} |"
    )
    for error in (writes.errors + reads.errors)[:10] + [repr(f) for f in (failures + loop_failures)[:10]]:
        print("error:", error)
    if locked or tracebacks:
        print(server_log[server_log.find("Traceback") - 500 :][:5000])
    TMP.cleanup()
    return 1 if errors or locked or tracebacks else 0


if __name__ == "__main__":
    sys.exit(main())
