"""The production server for load tests and benchmarks: gunicorn with DEBUG off, on loopback.

Shared by tests/ (the load test) and bench/ (throughput), so both measure what production runs.
"""

import contextlib
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(settings_dict):
    """DATABASE_URL for an open Django connection's settings (the test database included)."""
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings_dict['NAME']}"
    return (
        f"postgres://{settings_dict['USER']}:{settings_dict['PASSWORD']}@{settings_dict['HOST'] or '127.0.0.1'}:"
        f"{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"
    )


def production_env(db_url, **extra):
    env = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "DJANGO_SETTINGS_MODULE"}}
    env.update(
        DATABASE_URL=db_url,
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        LOG_LEVEL="WARNING",
    )
    env.update(extra)  # e.g. the SECRET_KEY of sessions made in-process
    return env


@contextlib.contextmanager
def gunicorn(db_url, *, workers=2, threads=1, env=None, log=None, collect_static=True):
    """Serve the project with `workers` gunicorn workers; yields the base URL. Static files are
    collected first because production's manifest storage needs them (a second server on the same
    checkout may skip that: `collect_static=False`)."""
    port = free_port()
    # DEBUG off needs BASE_URL (the links in mails), as production does.
    env = production_env(db_url, **{"BASE_URL": f"http://127.0.0.1:{port}", **(env or {})})
    if collect_static:
        command = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"]
        subprocess.run(command, cwd=ROOT, env=env, check=True)
    base = f"http://127.0.0.1:{port}"
    with open(log or os.devnull, "w") as log_file:
        process = start_gunicorn(port, workers, threads, env, log_file, access_log=bool(log))
        try:
            wait_until_healthy(base, process, log)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def start_gunicorn(port, workers, threads, env, log_file, *, access_log):
    return subprocess.Popen(
        [
            str(GUNICORN),
            "--pythonpath",
            "site",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--worker-class",
            "gthread" if threads > 1 else "sync",
            "--timeout",
            "60",
            "--error-logfile",
            "-",
            *(["--access-logfile", "-"] if access_log else []),
        ],
        cwd=ROOT,
        env=env,
        stdout=log_file,
        stderr=subprocess.STDOUT,
    )


def wait_until_healthy(base, process, log, seconds=30):
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:  # not listening yet (or an error page: urlopen raises HTTPError)
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"gunicorn did not start (exit {process.poll()}); see {log or 'its output'}")
        time.sleep(0.2)
