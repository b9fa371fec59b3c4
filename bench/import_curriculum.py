"""Curriculum import benchmark: `load_curriculum` on the real content/ folder and on a generated
curriculum of 1,000 modules (3 paths over all of them).

For each case: a fresh database (SQLite in a temp dir; with --postgres URL also a scratch PostgreSQL
database), `manage.py migrate` in its own process, then `manage.py load_curriculum DIR` in another,
timed: wall time, CPU time (user + system: on a shared machine the steadier figure) and peak RSS,
from os.wait4's rusage of the import process alone, not migrate. Then a second, no-change import
of the same folder, which must write nothing.

Usage: .venv/bin/python bench/import_curriculum.py [--modules 1000] [--postgres postgres://user:pw@host/db]
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "site"), str(ROOT)]
os.environ.setdefault("DEBUG", "1")
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.development"

import django  # noqa: E402

django.setup()  # tests.factories imports the models

from tests.factories import write_curriculum  # noqa: E402

SUMMARY = re.compile(r"(\d+) created, (\d+) updated, (\d+) unchanged")


def manage(env, *args, timed=False):
    """Run manage.py; with `timed`, return (wall s, CPU s, peak RSS in MB, output) of that process alone."""
    with tempfile.TemporaryFile("w+") as out:
        started = time.monotonic()
        command = [sys.executable, "manage.py", *args]
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.monotonic() - started
        out.seek(0)
        output = out.read()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{output}")
    return (seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, output) if timed else output


def measure(name, folder, db_url):
    env = {**os.environ, "DATABASE_URL": db_url, "DEBUG": "1"}
    manage(env, "migrate", "--noinput", "-v0")
    seconds, cpu, peak, output = manage(env, "load_curriculum", str(folder), timed=True)
    created, updated, unchanged = map(int, SUMMARY.search(output).groups())
    again, again_cpu, again_peak, again_output = manage(env, "load_curriculum", str(folder), timed=True)
    if SUMMARY.search(again_output).groups()[:2] != ("0", "0"):
        sys.exit(f"the re-import of {name} wrote something: {again_output}")
    modules = len(list(Path(folder, "modules").glob("*/*.md")))
    return (
        f"| {name} | {modules} | {created + updated} | {seconds:.1f} | {cpu:.1f} | {peak:.0f} "
        f"| {again:.1f} | {again_cpu:.1f} | {again_peak:.0f} |"
    )


def scratch_postgres(url, name):
    """A new database next to the one in `url` (the role needs CREATEDB); returns its URL and a dropper."""
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(scheme="postgresql"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')

    return urlunsplit(parts._replace(path=f"/{name}")), drop


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modules", type=int, default=1000)
    parser.add_argument("--postgres", metavar="URL", help="also measure on a scratch database next to this one")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        generated = Path(tmp, "generated")
        write_curriculum(generated, modules=args.modules, paths=3)
        cases = [("content/", ROOT / "content"), (f"generated {args.modules}", generated)]
        print("| case | modules | pages created | import s | CPU s | peak MB | re-import s | CPU s | peak MB |")
        print("|---|---|---|---|---|---|---|---|---|")
        for i, (name, folder) in enumerate(cases):
            print(measure(f"{name}, SQLite", folder, f"sqlite:///{tmp}/case{i}.sqlite3"), flush=True)
            if args.postgres:
                url, drop = scratch_postgres(args.postgres, f"bench_import_{os.getpid()}_{i}")
                try:
                    print(measure(f"{name}, PostgreSQL", folder, url), flush=True)
                finally:
                    drop()


if __name__ == "__main__":
    main()
