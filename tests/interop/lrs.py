"""A real Learning Record Store for the tests: Ralph (requirements-lrs.txt, `make lrs`: var/lrs-venv) on loopback in
a subprocess, with its file-system backend in a temporary folder and one basic-auth account.

Ralph 5.1.0's file-system LRS writes its statement file in "create" mode, so it refuses every POST after the
first ("already exists and overwrite is not allowed"). ralph_server.py starts it with that backend appending
instead, which is what an LRS must do; nothing else of Ralph is changed.
"""

import json
import os
import socket
import subprocess  # nosec B404: starts Ralph from its own virtualenv with a fixed argument list
import time
import urllib.request
from base64 import b64encode
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
SHARED = PROJECT.parent / "shared" / "external" / "xapi"
LRS_PYTHON = PROJECT / "var" / "lrs-venv" / "bin" / "python"
SERVER = Path(__file__).with_name("ralph_server.py")
USERNAME, PASSWORD = "academy", "a-test-only-lrs-password"
HASH_PASSWORD = "import bcrypt, sys; print(bcrypt.hashpw(sys.argv[1].encode(), bcrypt.gensalt(4)).decode())"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RalphLRS:
    """Ralph on 127.0.0.1:<port>; stop() and start() keep its statements (the folder stays)."""

    def __init__(self, folder):
        self.folder, self.port, self.process = Path(folder), free_port(), None
        self.endpoint = f"http://127.0.0.1:{self.port}/xAPI/"
        self.folder.mkdir(parents=True, exist_ok=True)
        self.auth_file = self.folder / "auth.json"
        self._write_account()

    def _write_account(self):
        # Ralph checks passwords with bcrypt, which only its own virtualenv has.
        hashed = subprocess.run(  # nosec B603: our fixed command
            [str(LRS_PYTHON), "-c", HASH_PASSWORD, PASSWORD],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        account = {"username": USERNAME, "hash": hashed, "scopes": ["all"], "agent": {"mbox": "mailto:lrs@example.com"}}
        self.auth_file.write_text(json.dumps([account]))

    def start(self):
        env = {
            **{name: value for name, value in os.environ.items() if not name.startswith("RALPH_")},
            "RALPH_APP_DIR": str(self.folder),
            "RALPH_AUTH_FILE": str(self.auth_file),
            "RALPH_RUNSERVER_BACKEND": "fs",
            "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(self.folder / "statements"),
        }
        self.log = open(self.folder / "ralph.log", "ab")  # noqa: SIM115  (closed in stop())
        self.process = subprocess.Popen(  # nosec B603: our fixed command
            [str(LRS_PYTHON), str(SERVER), str(self.port)], env=env, cwd=self.folder, stdout=self.log, stderr=self.log
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Ralph stopped at start: {(self.folder / 'ralph.log').read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/__heartbeat__", timeout=1):  # nosec B310
                    return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("Ralph did not answer within 60 s")

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None
            self.log.close()

    def statements(self):
        """Every statement the LRS holds, through its statements API (GET /xAPI/statements, following "more")."""
        found, url = [], f"{self.endpoint}statements?limit=100"
        headers = {
            "X-Experience-API-Version": "1.0.3",
            "Authorization": "Basic " + b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode(),
        }
        while url:
            request = urllib.request.Request(url, headers=headers)
            with urllib.request.urlopen(request, timeout=10) as response:  # nosec B310: our loopback LRS
                page = json.load(response)
            found.extend(page["statements"])
            more = page.get("more")
            url = f"http://127.0.0.1:{self.port}{more}" if more else None
        return found
