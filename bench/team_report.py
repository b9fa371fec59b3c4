"""Team report benchmark: server time and query count of the team page and the CSV export for teams
of 50, 500 and 5,000 members with 10 assigned paths of 12 modules and realistic progress.

Runs in-process against its own SQLite file (or DATABASE_URL), so the figures are server time
without network. Goal: the same query count at every size, and growth no worse than linear
(at most 10.5x per 10x members). Usage: .venv/bin/python bench/team_report.py [--sizes 50,500,5000]
"""

import argparse
import os
import random
import statistics
import sys
import time
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


def measure(client, url, repeat):
    """Median server time through Django's WSGI handler, as gunicorn would call it (the test
    client would also record every rendered template, which costs more than the page itself)."""
    environ = RequestFactory()._base_environ(
        PATH_INFO=url,
        REQUEST_METHOD="GET",
        HTTP_HOST="127.0.0.1",
        HTTP_COOKIE=f"sessionid={client.cookies['sessionid'].value}",
    )
    status = []

    def get():
        body = b"".join(HANDLER(dict(environ), lambda code, headers, exc_info=None: status.append(code)))
        assert status[-1].startswith("200"), (url, status[-1])
        return body

    get()
    executed = []
    # Count executions directly: Django resets its query log when a request starts.
    with connection.execute_wrapper(
        lambda execute, sql, params, many, context: executed.append(sql) or execute(sql, params, many, context)
    ):
        get()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        get()
        times.append(time.perf_counter() - started)
    return statistics.median(times), len(executed)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="50,500,5000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    call_command("migrate", verbosity=0)
    curriculum()
    client = Client(HTTP_HOST="127.0.0.1")
    results = {}
    for size in sizes:
        group = team(size)
        client.force_login(group.managers.get())
        page = measure(client, f"/team/{group.pk}/", args.repeat)
        export = measure(client, f"/team/{group.pk}/export/matrix.csv", args.repeat)
        results[size] = (page, export)
    print(f"{'members':>8} | {'team page s':>11} | {'queries':>7} | {'CSV export s':>12} | {'queries':>7}")
    for size, ((page_s, page_q), (csv_s, csv_q)) in results.items():
        print(f"{size:>8} | {page_s:>11.3f} | {page_q:>7} | {csv_s:>12.3f} | {csv_q:>7}")
    for small, large in zip(sizes, sizes[1:]):
        (ps, _), (cs, _) = results[small]
        (pl, _), (cl, _) = results[large]
        goal = 10.5 * large / small / 10
        print(f"ratio {large}/{small}: team page {pl / ps:.1f}x, CSV export {cl / cs:.1f}x (goal: at most {goal:.1f}x)")
    same = (
        len({page[1] for page, _ in results.values()}) == 1 and len({export[1] for _, export in results.values()}) == 1
    )
    print("query count the same at every size:", "yes" if same else "NO")


if __name__ == "__main__":
    main()
