"""Query counts of every page at three data sizes (issue 7: "equal at all sizes").

S is 50 learners and 20 modules, M 500 and 60, L 2,000 and 150. Each size gets a fresh SQLite file in
a temporary folder and its own Python process (settings read DATABASE_URL once, and Wagtail's
site-root cache lives in the process): a generated curriculum through the real importer, 3 paths over
all its modules, and one team of that many learners (with a manager) assigned to the 3 paths, with
progress written by bulk_create: learner i has completed the first i % (modules + 1) modules in path
order (every other one after a failed attempt), opened the next one, visited the readings of most
completed modules, and holds a certificate for each path once all are done.

Each page is requested once to warm up (a running server has warm caches), then once under
CaptureQueriesContext. The anonymous page cache is off (ACADEMY_PAGE_CACHE_SECONDS=0), so anonymous
pages are rendered and counted. Every answer must be a 200. Exits non-zero when a page's count
differs between sizes. Wall times are one request each: informational only.

Usage: .venv/bin/python bench/query_counts.py [--sizes S,M,L] [--sql PAGE]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = {"S": (50, 20), "M": (500, 60), "L": (2000, 150)}  # learners, modules
EXPORT_CHUNK = 500  # learning.teams.exports.CHUNK, checked in each size's run
PATHS = 3
BATCH = 5000


def setup_django(folder):
    sys.path[:0] = [str(ROOT / "site"), str(ROOT)]
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'academy.sqlite3'}"
    os.environ["DEBUG"] = "1"
    os.environ["ACADEMY_PAGE_CACHE_SECONDS"] = "0"
    os.environ.pop("ACADEMY_REQUIRE_LOGIN", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.development"
    import django

    django.setup()
    from learning.teams.exports import CHUNK

    assert CHUNK == EXPORT_CHUNK, "bench/query_counts.py: EXPORT_CHUNK no longer matches the export's CHUNK"


def build(folder, learners, modules):
    """The curriculum, the team and its progress; returns what the measurements need."""
    import datetime

    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import transaction
    from django.db.models import F
    from django.utils import timezone
    from wagtail.models import Page

    from learning.catalogue.quiz import questions_from_quiz
    from learning.models import (
        AreaPage,
        Certificate,
        Enrolment,
        ModulePage,
        ModuleProgress,
        PathPage,
        QuizAnswer,
        QuizAttempt,
        ReadingLink,
        ReadingVisit,
        Team,
        User,
    )
    from learning.records import grading, progress, services
    from tests.factories import write_curriculum

    call_command("migrate", verbosity=0)
    write_curriculum(folder / "content", modules=modules, paths=PATHS)
    call_command("load_curriculum", str(folder / "content"), verbosity=0)

    paths = list(PathPage.objects.filter(slug__startswith="gen-path").order_by("slug"))
    assert len(paths) == PATHS
    # All paths hold every module in the same order (stage one, then stage two).
    order = [step.module for step in progress.path_steps(paths[0])]
    assert len(order) == modules, (len(order), modules)
    answers = {m.pk: grading.model_answers(questions_from_quiz(m.quiz)) for m in order}
    links = {}
    for link in ReadingLink.objects.filter(module__in=order):
        links.setdefault(link.module_id, []).append(link.pk)

    now = timezone.now()
    password = make_password(None)  # unusable: no hashing cost
    with transaction.atomic():
        manager = User.objects.create(username="manager", display_name="Manager", password=password)
        members = User.objects.bulk_create(
            (
                User(username=f"learner-{i:05d}", display_name=f"Learner {i:05d}", password=password)
                for i in range(learners)
            ),
            batch_size=BATCH,
        )
        team = Team.objects.create(name="Generated team")
        team.managers.add(manager)
        team.members.add(*members)
        for path in paths:
            services.assignment_create(manager=manager, members=members, path=path, due_in_days=30)

        rows, attempts, answer_sets, visits, finished = [], [], [], [], []
        for i, member in enumerate(members):
            done = i % (modules + 1)
            failed_first = i % 2 == 0
            for n, module in enumerate(order[:done]):
                at = now - datetime.timedelta(days=done - n, hours=i % 24)
                rows.append(ModuleProgress(user=member, module=module, state=ModuleProgress.COMPLETED, completed_at=at))
                if failed_first:
                    attempts.append(QuizAttempt(user=member, module=module, score=0, pass_mark=50, passed=False))
                    answer_sets.append({key: ([], False) for key in answers[module.pk]})
                attempts.append(QuizAttempt(user=member, module=module, score=100, pass_mark=50, passed=True))
                answer_sets.append({key: (ids, True) for key, ids in answers[module.pk].items()})
                if (i + n) % 3:
                    visits += [
                        ReadingVisit(user=member, link_id=pk, visits=1 + n % 3) for pk in links.get(module.pk, [])
                    ]
            if done < modules and i % 4 != 3:
                rows.append(ModuleProgress(user=member, module=order[done], state=ModuleProgress.STARTED))
            if done == modules:
                finished.append(member)
        ModuleProgress.objects.bulk_create(rows, batch_size=BATCH)
        QuizAttempt.objects.bulk_create(attempts, batch_size=BATCH)
        QuizAnswer.objects.bulk_create(
            (
                QuizAnswer(attempt=attempt, question_key=key, choices=ids, correct=correct)
                for attempt, chosen in zip(attempts, answer_sets)
                for key, (ids, correct) in chosen.items()
            ),
            batch_size=BATCH,
        )
        # A failed attempt came an hour before the pass (bulk_create stamps both "now").
        QuizAttempt.objects.filter(passed=False).update(submitted_at=F("submitted_at") - datetime.timedelta(hours=1))
        ReadingVisit.objects.bulk_create(visits, batch_size=BATCH)
        Enrolment.objects.filter(user__in=finished).update(completed_at=now)
        Certificate.objects.bulk_create(
            (Certificate(enrolment=e) for e in Enrolment.objects.filter(user__in=finished)), batch_size=BATCH
        )

    # The representative learner: all done (so certificates), with a failed attempt before each pass.
    learner = next(m for i, m in enumerate(members) if i % (modules + 1) == modules and i % 2 == 0)
    module = order[1]
    attempt = QuizAttempt.objects.filter(user=learner, module=module).order_by("submitted_at").first()
    certificate = Certificate.objects.filter(enrolment__user=learner).order_by("pk").first()
    assert attempt is not None and certificate is not None
    area = AreaPage.objects.get(slug="gen-area")
    sizes = {
        "learners": learners,
        "modules": ModulePage.objects.count(),
        "pages": Page.objects.count(),
        "enrolments": Enrolment.objects.count(),
        "progress rows": ModuleProgress.objects.count(),
        "attempts": QuizAttempt.objects.count(),
        "answers": QuizAnswer.objects.count(),
        "reading visits": ReadingVisit.objects.count(),
        "certificates": Certificate.objects.count(),
    }
    t, m = team.pk, learner.pk
    anonymous_and_learner = [
        ("home", "/"),
        ("path index", "/paths/"),
        ("path", paths[0].url),
        ("area index", "/areas/"),
        ("area", area.url),
        ("module", module.url),
        ("search", "/search/?q=generated"),
    ]
    pages = [
        (f"{name} ({role})", role, url) for role in ("learner", "anonymous") for name, url in anonymous_and_learner
    ]
    pages += [
        ("quiz result (learner)", "learner", f"{module.url}quiz/{attempt.pk}/"),
        ("my learning (learner)", "learner", "/learn/"),
        ("certificate (learner)", "learner", f"/certificates/{certificate.uid}/"),
        ("home (manager)", "manager", "/"),
        ("my learning (manager)", "manager", "/learn/"),
        ("team (manager)", "manager", f"/team/{t}/"),
        ("member (manager)", "manager", f"/team/{t}/member/{m}/"),
        ("CSV export (manager)", "manager", f"/team/{t}/export/matrix.csv"),
        ("certificate verify (anonymous)", "anonymous", f"/certificates/verify/{certificate.uid}/"),
        ("login (anonymous)", "anonymous", "/accounts/login/"),
    ]
    return {"learner": learner, "manager": manager}, pages, sizes


def measure(users, pages, show_sql=()):
    """{page: (queries, seconds)} after one warm-up request each. Queries are counted through the test
    client; the time is one more request straight through Django's WSGI handler, as gunicorn calls it
    (the test client also records every rendered template, which costs more than some pages do)."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.test import Client, RequestFactory

    clients = {"anonymous": Client(HTTP_HOST="localhost")}
    for role, user in users.items():
        clients[role] = Client(HTTP_HOST="localhost")
        clients[role].force_login(user)
    handler, results, failures = WSGIHandler(), {}, []

    def timed(client, url):
        path, _, query = url.partition("?")
        session = client.cookies.get("sessionid")
        extra = {"HTTP_COOKIE": f"sessionid={session.value}"} if session else {}
        environ = RequestFactory()._base_environ(
            PATH_INFO=path, QUERY_STRING=query, REQUEST_METHOD="GET", HTTP_HOST="localhost", **extra
        )
        status = []
        started = time.perf_counter()
        b"".join(handler(environ, lambda code, headers, exc_info=None: status.append(code)))
        seconds = time.perf_counter() - started
        return seconds if status[0].startswith("200") else None

    for name, role, url in pages:
        client = clients[role]
        client.get(url)  # warm up
        executed = []

        def count(execute, sql, params, many, context, executed=executed):  # this page's list, bound now
            executed.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            response = client.get(url)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
        seconds = timed(client, url)
        if response.status_code != 200 or seconds is None:
            failures.append(f"{name}: {url} answered {response.status_code}")
        # Counted by the execute wrapper, which sees every query on the connection (Django's debug log
        # missed the learner page cache's look-up, made before the view).
        results[name] = (len(executed), seconds)
        if name in show_sql:
            print(f"--- SQL of {name} ({url}): {len(executed)} queries", file=sys.stderr)
            for sql in executed:
                print(sql[:400], file=sys.stderr)
    if failures:
        raise SystemExit("Not every page answered 200:\n" + "\n".join(failures))
    return results


def one_size(label, out, show_sql):
    learners, modules = SIZES[label]
    with tempfile.TemporaryDirectory(prefix=f"query-counts-{label}-") as folder:
        setup_django(Path(folder))
        started = time.perf_counter()
        users, pages, sizes = build(Path(folder), learners, modules)
        built = time.perf_counter() - started
        results = measure(users, pages, show_sql)
    report = {"build": built, "sizes": sizes, "pages": [page[0] for page in pages], "results": results}
    Path(out).write_text(json.dumps(report))


def per_chunk(page, label, count):
    """The CSV export streams CHUNK members at a time with the same queries per chunk (flat memory at any
    size, learning/teams/exports.py): it is flat when its count per chunk is; every other page as counted."""
    if page != "CSV export (manager)":
        return count
    chunks = -(-SIZES[label][0] // EXPORT_CHUNK)
    return (count - 6 * chunks, "per chunk")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="S,M,L", help="comma-separated, from S, M, L")
    parser.add_argument("--sql", action="append", default=[], help="print the captured SQL of this page (repeatable)")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # internal: build and measure one size
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        return one_size(args.one, args.out, set(args.sql))

    labels = [s.strip().upper() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in labels if s not in SIZES]
    if unknown:
        parser.error(f"unknown size(s) {unknown}; choose from {', '.join(SIZES)}")
    runs = {}
    with tempfile.TemporaryDirectory(prefix="query-counts-") as folder:
        for label in labels:
            out = Path(folder) / f"{label}.json"
            command = [sys.executable, __file__, "--one", label, "--out", str(out)]
            for name in args.sql:
                command += ["--sql", name]
            print(f"size {label}: building and measuring ...", file=sys.stderr, flush=True)
            # The child's chatter (the importer's summary) goes to stderr; stdout is the report.
            subprocess.run(command, check=True, cwd=ROOT, stdout=sys.stderr)
            runs[label] = json.loads(out.read_text())

    first = runs[labels[0]]
    print("| size | " + " | ".join(first["sizes"]) + " | build s |")
    print("|---|" + "---:|" * (len(first["sizes"]) + 1))
    for label, run in runs.items():
        print(f"| {label} | " + " | ".join(f"{v:,}" for v in run["sizes"].values()) + f" | {run['build']:.1f} |")
    print()
    print("| page | " + " | ".join(labels) + " | equal? |")
    print("|---|" + "---:|" * len(labels) + "---|")
    uneven = []
    for page in first["pages"]:
        counts = [runs[label]["results"][page][0] for label in labels]
        equal = len(set(per_chunk(page, label, count) for label, count in zip(labels, counts))) == 1
        if not equal:
            uneven.append(page)
        print(f"| {page} | " + " | ".join(map(str, counts)) + f" | {'yes' if equal else '**NO**'} |")
    print()
    print("Wall time per page, one warm request through the WSGI handler, ms (informational)")
    print()
    print("| page | " + " | ".join(labels) + " |")
    print("|---|" + "---:|" * len(labels))
    for page in first["pages"]:
        print(f"| {page} | " + " | ".join(f"{runs[label]['results'][page][1] * 1000:.0f}" for label in labels) + " |")
    print()
    if uneven:
        print("Query counts differ between sizes: " + ", ".join(uneven) + " (see them with --sql 'PAGE')")
        return 1
    print("Query counts equal at every size.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
