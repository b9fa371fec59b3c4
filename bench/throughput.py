"""Throughput of the learner and manager pages, ours and the peer's, as req/s and ratios to a bare page, in one run.

Ours: the real curriculum plus a team of 50 learners with progress, in a fresh database, served by
gunicorn (2 sync workers, DEBUG off). The peer: wagtail-lms 0.11.1 in a bare `wagtail start` project
with a 10-lesson course and an enrolled learner, on the same stack (bench/peer.py). wrk (Debian)
drives each page with 8 connections on loopback. Each side's baseline B is a plain Wagtail `Page`
(title only, its `base.html` around it) placed among its module or lesson pages, so routing depth is
the same; requested anonymously (B_anon) and by a signed-in learner (B_user). Both sides' pages are
measured in the same interleaved rounds and each figure is the median of the rounds, so a burst of
noise on this shared machine hits one round, not one page or one side.

Also measured: quiz submission (20 questions) p95 latency against B_user's p95 under the same
8-thread client. Usage: python bench/throughput.py [--seconds 5] [--rounds 3] [--postgres URL]
"""

import argparse
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "site"), str(ROOT)]

import peer  # noqa: E402  (bench/peer.py, beside this file)

from tests.learner_client import Learner, Recorder, run_for  # noqa: E402
from tests.serving import gunicorn  # noqa: E402

CONNECTIONS = 8
MEMBERS = 50
QUESTIONS = 20
# (key, page, server, url key, signed in as, ratio to). Server "plain" runs with the anonymous page
# cache off (ACADEMY_PAGE_CACHE_SECONDS=0), "cached" with it on, as in production; "peer" is wagtail-lms.
TARGETS = [
    ("B_anon", "bare page, anonymous (B_anon)", "plain", "baseline", None, "B_anon"),
    ("B_user", "bare page, signed in (B_user)", "plain", "baseline", "learner", "B_user"),
    ("module", "module page, signed in", "plain", "module", "learner", "B_user"),
    ("path", "path page, signed in", "plain", "path", "learner", "B_user"),
    ("my_learning", "My learning", "plain", "my_learning", "learner", "B_user"),
    ("team", f"team page ({MEMBERS} members), manager", "plain", "team", "manager", "B_user"),
    ("module_anon", "module page, anonymous, uncached", "plain", "module", None, "B_anon"),
    ("path_anon", "path page, anonymous, uncached", "plain", "path", None, "B_anon"),
    ("module_cached", "module page, anonymous, page cache", "cached", "module", None, "B_anon"),
    ("path_cached", "path page, anonymous, page cache", "cached", "path", None, "B_anon"),
    ("peer_B_anon", "bare page, anonymous", "peer", "baseline", None, "peer_B_anon"),
    ("peer_B_user", "bare page, signed in", "peer", "baseline", "learner", "peer_B_user"),
    ("peer_lesson", "lesson page, signed in", "peer", "lesson", "learner", "peer_B_user"),
    ("peer_course", "course page, signed in", "peer", "course", "learner", "peer_B_user"),
]
# Our page -> the peer's page that does the same job, shown on the same row of the table.
PEER_OF = {"B_anon": "peer_B_anon", "B_user": "peer_B_user", "module": "peer_lesson", "path": "peer_course"}
# (our page, reference page, at least this ratio), the goals of issue 14, all in req/s of one run.
GOALS = [
    ("B_user", "peer_B_user", 0.95),
    ("module", "B_user", 0.9),
    ("module", "peer_lesson", 1.1),
    ("path", "B_user", 0.85),
    ("path", "peer_course", 1.2),
    ("my_learning", "B_user", 0.9),
    ("team", "B_user", 0.6),
]
SHORT = {"B_user": "B_user", "peer_B_user": "peer B_user", "peer_lesson": "peer lesson", "peer_course": "peer course"}


def bench_curriculum(folder):
    """The real curriculum plus one module whose quiz has 20 questions (for the submission figure)."""
    shutil.copytree(ROOT / "content", folder)
    (folder / "areas" / "bench.yaml").write_text("title: Benchmark\nsummary: Benchmark only.\norder: 99\n")
    (folder / "modules" / "bench").mkdir()
    quiz = "".join(
        f"  - key: q{i}\n    type: single\n    prompt: Question {i}?\n    explanation: Because.\n    choices:\n"
        f"      - text: Right {i}\n        correct: true\n      - text: Wrong {i}\n      - text: Also wrong {i}\n"
        for i in range(QUESTIONS)
    )
    (folder / "modules" / "bench" / "bench-quiz.md").write_text(
        "---\ntitle: Twenty questions\nsummary: A long quiz.\nminutes: 30\nlevel: beginner\n"
        "last_reviewed: 2026-01-01\nobjectives: [Answer twenty questions]\npass_mark: 70\nreadings: []\n"
        f"quiz:\n{quiz}---\nSome text.\n"
    )


def build_site(folder):
    """Curriculum, a team of 50 learners on the e-commerce manager path with varied progress, and the
    baseline page. Returns the URLs and a session cookie per role."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from django.utils.crypto import get_random_string
    from wagtail.models import Locale, Page

    from learning.models import ModulePage, PathPage, Team
    from learning.records import progress, services
    from tests.factories import pass_quiz

    call_command("migrate", verbosity=0)
    call_command("load_curriculum", str(folder), verbosity=0)
    User = get_user_model()
    # The curriculum comes in every language; the benchmark's learner reads the default one.
    english = Locale.get_default()
    path = PathPage.objects.get(slug="ecommerce-manager", locale=english)
    modules = [step.module for step in progress.path_steps(path)]
    manager = User.objects.create_user("bench-manager", password="bench-password-2026", display_name="Manager")
    team = Team.objects.create(name="Bench team")
    team.managers.add(manager)
    members = [User.objects.create_user(f"bench-{i}", display_name=f"Learner {i}") for i in range(MEMBERS)]
    team.members.add(*members)
    services.assignment_create(manager=manager, members=members, path=path, due_in_days=30)
    for i, member in enumerate(members):
        for module in modules[: i % 6]:
            progress.module_open(user=member, module=module)
            pass_quiz(member, module)
            progress.module_complete(user=member, module=module)
    learner = members[3]  # three modules done, the fourth is next
    module = modules[3]
    area = module.get_parent()
    baseline = area.add_child(instance=Page(title="A bare page", slug="bare-page"))
    quiz_module = ModulePage.objects.get(slug="bench-quiz", locale=english)
    sessions = {}
    for role, user in (("learner", learner), ("manager", manager)):
        client = Client()
        client.force_login(user)
        # A browser carries the CSRF cookie from its first page with a form on: so do our requests (the
        # learner page cache keys on its secret, and never stores a page that had to make one).
        sessions[role] = f"sessionid={client.cookies['sessionid'].value}; csrftoken={get_random_string(32)}"
    urls = {
        "baseline": baseline.url,
        "module": module.url,
        "path": path.url,
        "my_learning": "/learn/",
        "team": f"/team/{team.pk}/",
        "quiz": quiz_module.url,
    }
    return urls, sessions


def wrk(url, *, seconds, cookie=None):
    """Requests per second at 8 connections; fails on any non-2xx answer or socket error."""
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "30s", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie if '=' in cookie else f'sessionid={cookie}'}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in out or "Socket errors" in out:
        raise SystemExit(f"wrk saw errors on {url}:\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def learner(base, session, recorder):
    """A browser carrying a session made in-process (tests/learner_client.py's simulated learner)."""
    client = Learner(base, "", "", recorder=recorder)
    if session:
        for pair in (session if "=" in session else f"sessionid={session}").split("; "):
            name, value = pair.split("=", 1)
            client.cookies[name] = value
    return client


def latencies(base, url, *, seconds, session, quiz=False):
    """Latencies (s) of 8 threads for `seconds` on one session: GETs of `url`, or with `quiz`,
    submissions of its quiz form, each POST timed as a learner pressing Submit (the form's GET and
    the result page are not)."""
    recorder = Recorder()

    def work(deadline):
        client = learner(base, session, recorder)
        while time.monotonic() < deadline:
            if quiz:
                client.take_quiz(url, client.get(url, kind="form"), "random")
            else:
                client.get(url, kind="timed")

    _elapsed, failures = run_for(seconds, [work] * CONNECTIONS)
    if failures or recorder.errors:
        raise SystemExit(f"errors while timing {url}: {(failures + recorder.errors)[:5]}")
    return recorder.latencies("write" if quiz else "timed")


def p95(values):
    return statistics.quantiles(values, n=20)[-1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5, help="per page per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--postgres", help="a PostgreSQL URL whose role may create a scratch database")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk (make bench does this as root)")
    peer.build()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        db_url = scratch_database(args.postgres) if args.postgres else f"sqlite:///{tmp / 'bench.sqlite3'}"
        # Sessions are made in-process and must verify in gunicorn: one key for both.
        secret = secrets.token_urlsafe(50)
        os.environ.update(
            DATABASE_URL=db_url, DEBUG="1", DJANGO_SETTINGS_MODULE="config.settings.development", SECRET_KEY=secret
        )
        import django

        django.setup()
        bench_curriculum(tmp / "content")
        started = time.monotonic()
        urls, sessions = build_site(tmp / "content")
        print(f"site built in {time.monotonic() - started:.0f} s on {db_url.split(':')[0]}", flush=True)
        env = {"SECRET_KEY": secret}
        with (
            gunicorn(
                db_url, workers=2, env={**env, "ACADEMY_PAGE_CACHE_SECONDS": "0"}, log=str(tmp / "plain.log")
            ) as plain,
            gunicorn(db_url, workers=2, env=env, log=str(tmp / "cached.log")) as cached,
            peer.serve(tmp, log=tmp / "peer.log") as (peer_base, peer_urls, peer_session),
        ):
            sites = {
                "plain": (plain, urls, sessions),
                "cached": (cached, urls, sessions),
                "peer": (peer_base, peer_urls, {"learner": peer_session}),
            }
            report(measure(sites, args))
            quiz = latencies(plain, urls["quiz"], seconds=args.seconds * 2, session=sessions["learner"], quiz=True)
            bare = latencies(plain, urls["baseline"], seconds=args.seconds * 2, session=sessions["learner"])
            ratio = p95(quiz) / p95(bare)
            print(
                f"\nquiz submission ({QUESTIONS} questions), 8 threads: p95 {p95(quiz) * 1000:.0f} ms over {len(quiz)}"
                f" submissions; B_user p95 {p95(bare) * 1000:.0f} ms; ratio {ratio:.2f} (goal <= 3) "
                f"{'met' if ratio <= 3 else 'MISSED'}"
            )
        for log in ("plain.log", "cached.log", "peer.log"):
            if "Traceback" in (tmp / log).read_text():
                raise SystemExit(f"a server logged a traceback ({log}):\n{(tmp / log).read_text()[-3000:]}")


def measure(sites, args):
    """Median req/s per target key over the rounds; every page of both sides in every round."""
    for _key, _page, server, url, role, _ in TARGETS:  # warm every worker's caches; each page must answer 200
        base, urls, sessions = sites[server]
        client = learner(base, sessions.get(role), Recorder())
        for _ in range(4):
            client.get(urls[url])
    rates = {key: [] for key, *_ in TARGETS}
    for round_ in range(args.rounds):
        for key, _page, server, url, role, _ in TARGETS:
            base, urls, sessions = sites[server]
            rates[key].append(wrk(base + urls[url], seconds=args.seconds, cookie=sessions.get(role)))
        print(f"round {round_ + 1}/{args.rounds} done", flush=True)
    return {key: statistics.median(values) for key, values in rates.items()}


def report(rates):
    """One row per page of ours, beside the peer's page that does the same job, with the goals on it."""
    page = {key: name for key, name, *_ in TARGETS}
    reference = {key: ref for key, *_, ref in TARGETS}
    goals = {}
    for ours, ref, least in GOALS:
        goals.setdefault(ours, []).append((ref, least))
    print(
        "\n| our page | req/s | ratio | peer page | req/s | ratio | goal | result |"
        "\n|---|---:|---:|---|---:|---:|---|---|"
    )
    for key, name, server, *_ in TARGETS:
        if server == "peer":
            continue
        other = PEER_OF.get(key)
        peer_cells = (
            f"{page[other]} | {rates[other]:.1f} | {ratio(rates, other, reference[other])}" if other else " | | "
        )
        goal = "; ".join(f">= {least} x {SHORT[ref]}" for ref, least in goals.get(key, []))
        result = "; ".join(
            f"{rates[key] / rates[ref]:.2f} {'met' if rates[key] / rates[ref] >= least else 'MISSED'}"
            for ref, least in goals.get(key, [])
        )
        print(f"| {name} | {rates[key]:.1f} | {ratio(rates, key, reference[key])} | {peer_cells} | {goal} | {result} |")
    met = sum(rates[ours] / rates[ref] >= least for ours, ref, least in GOALS)
    print(f"\n{met} of {len(GOALS)} goals met")


def ratio(rates, key, ref):
    """A page's req/s as a share of its own side's bare page."""
    return f"{rates[key] / rates[ref]:.2f} x {ref.removeprefix('peer_')}"


def scratch_database(url):
    import psycopg

    name = f"academy_bench_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return url.rsplit("/", 1)[0] + "/" + name


if __name__ == "__main__":
    main()
