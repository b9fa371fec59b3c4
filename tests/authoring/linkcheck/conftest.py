"""A loopback HTTP server with one path per behaviour, the guard that keeps every check on 127.0.0.1,
and reading links pointed at the server: shared by the checker's tests in this folder."""

import http.server
import threading
import time

import pytest

from learning.authoring import linkcheck
from learning.models import ReadingLink

SLOW_SECONDS = 2.5


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_HEAD(self):
        self.answer(body=False)

    def do_GET(self):
        self.answer(body=True)

    def answer(self, *, body):
        self.server.seen.append((self.command, self.path, self.headers.get("User-Agent")))
        path = self.path
        if path == "/ok":
            self.reply(200, body=body)
        elif path == "/moved":
            self.reply(301, body=body, location="/ok")
        elif path == "/loop":
            self.reply(302, body=body, location="/loop")
        elif path == "/missing":
            self.reply(404, body=body)
        elif path == "/error":
            self.reply(500, body=body)
        elif path == "/slow":
            time.sleep(SLOW_SECONDS)
            self.reply(200, body=body)
        elif path == "/no-head":
            self.reply(200 if body else 405, body=body)
        else:
            self.reply(404, body=body)

    def reply(self, status, *, body, location=None):
        content = b"x" * 10_000
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", str(len(content)))
        self.send_header("Connection", "close")
        self.end_headers()
        if body:
            self.wfile.write(content)

    def log_message(self, *args):
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # the client hung up on /slow; expected


@pytest.fixture
def server():
    httpd = QuietServer(("127.0.0.1", 0), Handler)
    httpd.seen = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    httpd.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch, settings):
    """A guard: any request to another host fails the test instead of leaving the machine. The
    loopback server is a private address, so the checker is told to allow those (tests of the
    refusal turn it off again)."""
    settings.ACADEMY_LINKCHECK_ALLOW_PRIVATE = True
    real_request = linkcheck._request

    def guarded(parts, method, **kwargs):
        pinned = {address for address, _ in kwargs.get("addresses") or []}
        assert pinned == {"127.0.0.1"} or (not pinned and parts.hostname == "127.0.0.1"), (
            f"test tried to contact {parts.hostname} at {pinned or 'its address'}"
        )
        return real_request(parts, method, **kwargs)

    monkeypatch.setattr(linkcheck, "_request", guarded)


@pytest.fixture
def links(academy, server):
    """Every fixture link pointed at the loopback server (the fixture curriculum's example.org URLs
    must never be contacted), plus one link per behaviour on payment-basics."""
    ReadingLink.objects.update(url=f"{server.base}/ok")
    module = academy["payment-basics"]
    made = {}
    for name in ("ok", "moved", "missing", "error", "slow", "no-head"):
        made[name] = ReadingLink.objects.create(
            module=module,
            title=f"Reading {name}",
            url=f"{server.base}/{name}",
            publisher="Test",
            why="Tests.",
        )
    return made
