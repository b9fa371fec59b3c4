"""Team report benchmark: the team page's first page and the full CSV export for teams of 50, 500 and
5,000 members with 10 assigned paths of 12 modules and realistic progress.

Runs in-process against its own SQLite file (or DATABASE_URL), so the figures are server time
without network. Goals (issue 16): the first page at 5,000 members within 1.5x its time at 50, the
same query count at every size, and the CSV export's peak memory (tracemalloc) at 5,000 within 1.5x
that at 500. The page is timed warm (the members' facts kept, as between a manager's clicks) and
cold (the "pages" cache cleared before each request: the first view after a change).
Usage: .venv/bin/python bench/team_report.py [--sizes 50,500,5000]
"""

import argparse
import os
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "site"), str(ROOT)]
OUT = ROOT / "bench" / "out"
OUT.mkdir(parents=True, exist_ok=True)
os.environ.setdefault("DATABASE_URL", f"sqlite:///{OUT / 'team_report.sqlite3'}")
os.environ.setdefault("DEBUG", "1")
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.development"

import django  # noqa: E402

django.setup()

from django.core.cache import caches  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, RequestFactory  # noqa: E402
from django.utils import timezone  # noqa: E402

from learning.authoring.curriculum import read  # noqa: E402
from learning.authoring.curriculum_pages import import_curriculum  # noqa: E402
from learning.models import Enrolment, ModuleProgress, PathPage, QuizAttempt, Team, User  # noqa: E402
from tests.factories import write_curriculum  # noqa: E402

PATHS, MODULES_PER_PATH = 10, 12
HANDLER = WSGIHandler()


def curriculum():
    if PathPage.objects.filter(slug__startswith="bench-path").count() == PATHS:
        return
    content = OUT / "content"
    if content.exists():
        import shutil

        shutil.rmtree(content)
    write_curriculum(content, modules=MODULES_PER_PATH * 3, paths=0, prefix="bench")
    rng = random.Random(1)
    slugs = [f"bench-module-{i}" for i in range(MODULES_PER_PATH * 3)]
    import yaml

    for p in range(PATHS):
        chosen = rng.sample(slugs, MODULES_PER_PATH)
        data = {
            "title": f"Bench path {p}",
            "role": "R",
            "audience": "A",
            "outcomes": ["O"],
            "order": p,
            "stages": [{"label": "Weeks 1-2", "modules": chosen[:6]}, {"label": "Weeks 3-6", "modules": chosen[6:]}],
        }
        (content / "paths" / f"bench-path-{p}.yaml").write_text(yaml.safe_dump(data))
    import_curriculum(read(content))


def team(size):
    """A team of `size` with all 10 paths assigned and progress spread like a real cohort."""
    name = f"Bench team {size}"
    existing = Team.objects.filter(name=name).first()
    if existing:
        return existing
    rng = random.Random(size)
    manager = User.objects.create(username=f"bench-manager-{size}")
    members = User.objects.bulk_create(
        User(username=f"bench-{size}-{i}", display_name=f"Member {i:05d}") for i in range(size)
    )
    group = Team.objects.create(name=name)
    group.managers.add(manager)
    group.members.add(*members)
    paths = list(PathPage.objects.filter(slug__startswith="bench-path").prefetch_related("steps"))
    today, now = timezone.localdate(), timezone.now()
    enrolments, progress_rows, attempts = [], {}, []
    for member in members:
        for path in paths:
            due = today + timezone.timedelta(days=rng.randint(-10, 60))
            enrolments.append(
                Enrolment(user=member, path=path, source="assigned", assigned_by=manager, due_date=due, assigned_at=now)
            )
            share = rng.choice([0, 0.1, 0.3, 0.5, 0.8, 1.0])
            steps = sorted(path.steps.all(), key=lambda s: s.sort_order)
            for step in steps[: round(share * len(steps))]:
                key = (member.pk, step.module_id)
                if key not in progress_rows:
                    at = now - timezone.timedelta(days=rng.randint(1, 40))
                    progress_rows[key] = ModuleProgress(
                        user=member, module_id=step.module_id, state="completed", completed_at=at
                    )
                    attempts.append(
                        QuizAttempt(
                            user=member,
                            module_id=step.module_id,
                            score=rng.choice([50, 100]),
                            pass_mark=50,
                            passed=True,
                        )
                    )
    Enrolment.objects.bulk_create(enrolments, batch_size=2000)
    ModuleProgress.objects.bulk_create(progress_rows.values(), batch_size=2000)
    QuizAttempt.objects.bulk_create(attempts, batch_size=2000)
    return group


def environ_for(client, url):
    return RequestFactory()._base_environ(
        PATH_INFO=url.split("?")[0],
        QUERY_STRING=url.partition("?")[2],
        REQUEST_METHOD="GET",
        HTTP_HOST="127.0.0.1",
        HTTP_COOKIE=f"sessionid={client.cookies['sessionid'].value}",
    )


def get(environ, status):
    """One request through Django's WSGI handler, as gunicorn would call it (the test client would also
    record every rendered template, which costs more than the page itself); the body is consumed chunk
    by chunk, as a server sends a streamed response."""
    size = 0
    for chunk in HANDLER(dict(environ), lambda code, headers, exc_info=None: status.append(code)):
        size += len(chunk)
    assert status[-1].startswith("200"), status[-1]
    return size


def measure(client, url, repeat, cold=False):
    """Median server time and the query count of one request (cold: the kept facts cleared first)."""
    environ, status = environ_for(client, url), []
    get(environ, status)
    executed = []
    # Count executions directly: Django resets its query log when a request starts.
    with connection.execute_wrapper(
        lambda execute, sql, params, many, context: executed.append(sql) or execute(sql, params, many, context)
    ):
        get(environ, status)
    times = []
    for _ in range(repeat):
        if cold:
            caches["pages"].clear()
        started = time.perf_counter()
        get(environ, status)
        times.append(time.perf_counter() - started)
    return statistics.median(times), len(executed)


def count_queries(environ):
    executed, status = [], []
    # Count executions directly: Django resets its query log when a request starts.
    with connection.execute_wrapper(
        lambda execute, sql, params, many, context: executed.append(sql) or execute(sql, params, many, context)
    ):
        get(environ, status)
    return len(executed)


def interleaved(environs, repeat):
    """{size: (median warm time, queries)}: the sizes take turns in each round, so a busy moment on a
    shared machine falls on all of them alike."""
    times = {size: [] for size in environs}
    for environ in environs.values():
        get(environ, [])
    queries = {size: count_queries(environ) for size, environ in environs.items()}
    for _ in range(repeat):
        for size, environ in environs.items():
            started = time.perf_counter()
            get(environ, [])
            times[size].append(time.perf_counter() - started)
    return {size: (statistics.median(times[size]), queries[size]) for size in environs}


def peak_memory(client, url):
    """Peak Python memory (tracemalloc) while the whole response is produced and consumed, warm."""
    environ, status = environ_for(client, url), []
    get(environ, status)
    tracemalloc.start()
    tracemalloc.reset_peak()
    size = get(environ, status)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak, size


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="50,500,5000")
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    call_command("migrate", verbosity=0)
    curriculum()
    results, pages, overdue = {}, {}, {}
    for size in sizes:
        group = team(size)
        client = Client(HTTP_HOST="127.0.0.1")  # a session each: signing in another user ends the last one
        client.force_login(group.managers.get())
        page_url, csv_url = f"/team/{group.pk}/", f"/team/{group.pk}/export/matrix.csv"
        pages[size] = environ_for(client, page_url)
        overdue[size] = environ_for(client, page_url + "?status=overdue&sort=name")
        results[size] = {
            "cold": measure(client, page_url, args.repeat, cold=True),
            "csv": measure(client, csv_url, max(1, args.repeat // 2)),
            "memory": peak_memory(client, csv_url),
        }
    for name, environs in (("page", pages), ("overdue", overdue)):
        for size, figures in interleaved(environs, args.repeat).items():
            results[size][name] = figures
    print(
        f"{'members':>8} | {'page s':>7} | {'queries':>7} | {'cold s':>7} | {'overdue s':>9} | {'queries':>7}"
        f" | {'CSV s':>6} | {'queries':>7} | {'CSV peak MB':>11} | {'CSV MB':>6}"
    )
    for size, r in results.items():
        print(
            f"{size:>8} | {r['page'][0]:>7.3f} | {r['page'][1]:>7} | {r['cold'][0]:>7.3f} | {r['overdue'][0]:>9.3f}"
            f" | {r['overdue'][1]:>7} | {r['csv'][0]:>6.2f} | {r['csv'][1]:>7} | {r['memory'][0] / 1e6:>11.1f}"
            f" | {r['memory'][1] / 1e6:>6.1f}"
        )
    small, large = sizes[0], sizes[-1]
    ratio = results[large]["page"][0] / results[small]["page"][0]
    print(f"first page {large}/{small}: {ratio:.2f}x (goal: at most 1.5x): {'met' if ratio <= 1.5 else 'NOT met'}")
    if len(sizes) > 1:
        middle = sizes[-2]
        memory = results[large]["memory"][0] / results[middle]["memory"][0]
        verdict = "met" if memory <= 1.5 else "NOT met"
        print(f"CSV peak memory {large}/{middle}: {memory:.2f}x (goal: at most 1.5x): {verdict}")
    same = len({r["page"][1] for r in results.values()}) == 1 and len({r["overdue"][1] for r in results.values()}) == 1
    print("team page query count the same at every size:", "yes" if same else "NO")


if __name__ == "__main__":
    main()
