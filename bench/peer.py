"""The peer for the throughput benchmark: wagtail-lms 0.11.1 in a bare `wagtail start` project.

Built once in var/bench-peer/ (ignored by git; reused while the pins and bench/peer/ are unchanged): a
venv with the same stack as ours from PyPI, a project made by `wagtail start` with wagtail-lms added
as its README says (INSTALLED_APPS, `path("lms/", include("wagtail_lms.urls"))`, migrate,
collectstatic), and bench/peer/ copied in (the settings for this run, the bare page's template).
Each run gets a fresh SQLite database with a course of 10 lessons, an enrolled learner with a session
and a bare page among the lessons (bench/peer/populate.py), served by gunicorn (2 sync workers,
DEBUG off) on loopback.

Usage: python bench/peer.py   (builds the peer, serves it once and checks its pages answer 200)
"""

import contextlib
import hashlib
import json
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOME = ROOT / "var" / "bench-peer"
VENV = HOME / "venv"
PROJECT = HOME / "site"
FILES = Path(__file__).resolve().parent / "peer"
# The stack: the same Wagtail, Django and gunicorn as ours (wagtail-lms 0.11.1 supports Wagtail 8.0).
PINS = ["wagtail==8.0.1", "Django==5.2.19", "gunicorn==27.0.1", "wagtail-lms==0.11.1"]
PORTS = range(8300, 8350)  # this benchmark's own range on the shared machine
SETTINGS = "peersite.settings.production"
COPIED = ("local.py", "page.html")  # from bench/peer/ into the project


def python():
    return str(VENV / "bin" / "python")


def fingerprint():
    """What the built peer depends on: the pins and the files copied into the project (populate.py runs
    afresh each time)."""
    digest = hashlib.sha256(" ".join(PINS).encode())
    for name in COPIED:
        digest.update(name.encode() + (FILES / name).read_bytes())
    return digest.hexdigest()


def build():
    """The venv and the project, unless the ones in var/bench-peer/ were built from the same pins and files."""
    stamp = HOME / "built"
    if stamp.exists() and stamp.read_text() == fingerprint():
        return
    print(f"building the peer in {HOME.relative_to(ROOT)} ({', '.join(PINS)}), about a minute", flush=True)
    shutil.rmtree(HOME, ignore_errors=True)
    HOME.mkdir(parents=True)
    # The interpreter under our venv, so the peer runs on the same Python.
    subprocess.run([getattr(sys, "_base_executable", sys.executable), "-m", "venv", str(VENV)], check=True)
    subprocess.run([python(), "-m", "pip", "install", "-q", *PINS], check=True)
    start_project()
    stamp.write_text(fingerprint())


def start_project():
    PROJECT.mkdir()
    subprocess.run([str(VENV / "bin" / "wagtail"), "start", "peersite", str(PROJECT)], check=True)
    add_wagtail_lms()
    shutil.copy(FILES / "local.py", PROJECT / "peersite" / "settings" / "local.py")
    templates = PROJECT / "peersite" / "templates" / "wagtailcore"
    templates.mkdir(parents=True, exist_ok=True)
    shutil.copy(FILES / "page.html", templates / "page.html")
    # Production's manifest storage needs collected files; no database is touched.
    env = peer_env(database=str(HOME / "unused.sqlite3"), secret="collectstatic")
    manage = [python(), "manage.py"]
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], cwd=PROJECT, env=env, check=True)


def add_wagtail_lms():
    """The README's quick start, steps 1 and 2 (3 and 4, migrate and collectstatic, run later)."""
    edit(PROJECT / "peersite" / "settings" / "base.py", '    "search",\n', '    "search",\n    "wagtail_lms",\n')
    edit(
        PROJECT / "peersite" / "urls.py",
        '    path("search/", search_views.search, name="search"),\n',
        '    path("search/", search_views.search, name="search"),\n    path("lms/", include("wagtail_lms.urls")),\n',
    )


def edit(path, old, new):
    text = path.read_text()
    if text.count(old) != 1:
        raise SystemExit(f"`wagtail start` made a {path.name} this script does not know: no single {old.strip()!r}")
    path.write_text(text.replace(old, new))


def peer_env(*, database, secret):
    return {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "PEER_DATABASE": database,
        "PEER_SECRET_KEY": secret,
    }


def free_port():
    for port in PORTS:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise SystemExit(f"no free port in {PORTS.start}-{PORTS.stop - 1} for the peer")


@contextlib.contextmanager
def serve(folder, *, log=None):
    """Build if needed, fill a fresh database in `folder` and serve it. Yields (base URL, URLs by key
    ("baseline", "course", "lesson"), the learner's session id)."""
    build()
    env = peer_env(database=str(Path(folder) / "peer.sqlite3"), secret=secrets.token_urlsafe(50))
    out = subprocess.run(
        [python(), str(FILES / "populate.py")], cwd=PROJECT, env=env, capture_output=True, text=True, check=True
    )
    site = json.loads(out.stdout.strip().splitlines()[-1])
    port = free_port()
    command = [str(VENV / "bin" / "gunicorn"), "peersite.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"]
    command += ["--worker-class", "sync", "--timeout", "60", "--error-logfile", "-"]
    base = f"http://127.0.0.1:{port}"
    with open(log or "/dev/null", "w") as log_file:
        process = subprocess.Popen(command, cwd=PROJECT, env=env, stdout=log_file, stderr=subprocess.STDOUT)
        try:
            wait_until_serving(base + site["urls"]["baseline"], process)
            yield base, site["urls"], site["session"]
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def wait_until_serving(url, process, seconds=30):
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:  # not listening yet
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"the peer's gunicorn did not start (exit {process.poll()})")
        time.sleep(0.2)


def fetch(url, session=None):
    request = urllib.request.Request(url, headers={"Cookie": f"sessionid={session}"} if session else {})
    with urllib.request.urlopen(request, timeout=10) as response:  # raises on an error status
        return response.status, response.geturl(), response.read().decode()


def main():
    with tempfile.TemporaryDirectory() as folder, serve(folder, log=Path(folder) / "peer.log") as (base, urls, session):
        for key, signed_in in (("baseline", False), ("baseline", True), ("course", True), ("lesson", True)):
            status, final, text = fetch(base + urls[key], session if signed_in else None)
            if final != base + urls[key]:
                raise SystemExit(f"the peer redirected {urls[key]} to {final}")
            who = "signed in" if signed_in else "anonymous"
            print(f"peer {key:8} {who:9} {status} {len(text):6} bytes  {urls[key]}")
        log = (Path(folder) / "peer.log").read_text()
        if "Traceback" in log:
            raise SystemExit(f"the peer logged a traceback:\n{log[-3000:]}")


if __name__ == "__main__":
    main()
