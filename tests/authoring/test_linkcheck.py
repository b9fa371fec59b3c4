"""The reading-link checker against a loopback HTTP server: statuses, redirects, timeouts, the HEAD ->
GET fallback, the command, and the admin report. Nothing here talks to anything but 127.0.0.1."""

import http.server
import ipaddress
import re
import socket
import threading
import time
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.admin.menu import reports_menu

from learning.authoring import linkcheck
from learning.authoring.linkcheck import check_links, check_url, is_public
from learning.models import BrokenLinkReport, ReadingLink

TIMEOUT = 1
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


def stored(link):
    return ReadingLink.objects.get(pk=link.pk)


def test_each_answer_is_stored_on_its_link(links, server):
    check_links(ReadingLink.objects.all(), concurrency=4, timeout=TIMEOUT)
    ok, moved, missing, error = (stored(links[k]) for k in ("ok", "moved", "missing", "error"))
    slow, no_head = stored(links["slow"]), stored(links["no-head"])

    assert (ok.check_status, ok.check_final_url, ok.check_redirects, ok.check_error) == (200, ok.url, [], "")
    assert ok.checked_at is not None
    assert moved.check_status == 200
    assert moved.check_final_url == f"{server.base}/ok"
    assert moved.check_redirects == [{"status": 301, "url": f"{server.base}/ok"}]
    assert (missing.check_status, missing.check_error) == (404, "")
    assert error.check_status == 500
    assert slow.check_status is None and slow.check_error == "timeout after 1s"
    assert no_head.check_status == 200 and no_head.check_error == ""


def test_head_refused_falls_back_to_get(server):
    result = check_url(f"{server.base}/no-head", timeout=TIMEOUT)
    assert (result.status, result.method) == (200, "GET")
    assert [(method, path) for method, path, _ in server.seen] == [("HEAD", "/no-head"), ("GET", "/no-head")]


def test_plain_answers_need_only_head(server):
    assert check_url(f"{server.base}/ok", timeout=TIMEOUT).method == "HEAD"
    assert [method for method, _, _ in server.seen] == ["HEAD"]


def test_requests_carry_the_polite_user_agent(server, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://academy.example.com"
    check_url(f"{server.base}/ok", timeout=TIMEOUT)
    assert server.seen[0][2] == "EcommerceAcademyLinkChecker/1.0 (+https://academy.example.com)"


def test_redirect_loop_stops_after_five_hops(server):
    result = check_url(f"{server.base}/loop", timeout=TIMEOUT)
    assert result.status is None and result.broken
    assert result.error == "more than 5 redirects"
    assert len(server.seen) == 6


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/file", "javascript:alert(1)", "file:///etc/passwd", "http://"])
def test_non_http_urls_are_refused_without_a_request(url, server):
    result = check_url(url, timeout=TIMEOUT)
    assert result.status is None and result.error.startswith("not an http(s) URL")
    assert server.seen == []


def test_refused_connection_is_an_error_not_a_crash(server):
    port = server.server_address[1]
    server.shutdown()
    server.server_close()
    result = check_url(f"http://127.0.0.1:{port}/ok", timeout=TIMEOUT)
    assert result.status is None and result.error == "connection refused"


def test_each_distinct_url_is_checked_once(links, server):
    summary = check_links(ReadingLink.objects.filter(url=f"{server.base}/ok"), timeout=TIMEOUT)
    assert summary.checked == ReadingLink.objects.filter(url=f"{server.base}/ok").count() > 1
    assert len(server.seen) == 1
    assert not ReadingLink.objects.filter(url=f"{server.base}/ok", checked_at__isnull=True).exists()


def test_command_prints_the_summary_and_each_broken_link(links):
    out = StringIO()
    call_command("check_reading_links", "--timeout", str(TIMEOUT), "--concurrency", "6", stdout=out)
    lines = out.getvalue().splitlines()
    total = ReadingLink.objects.count()
    assert lines[0] == f"Reading links: checked {total}, ok {total - 4}, redirected 1, broken 3."
    assert "  Payment basics | Reading missing | 404" in lines
    assert "  Payment basics | Reading error | 500" in lines
    assert "  Payment basics | Reading slow | timeout after 1s" in lines
    assert len(lines) == 4


def test_only_failed_rechecks_just_the_broken_links(links, server):
    check_links(ReadingLink.objects.all(), timeout=TIMEOUT)
    server.seen.clear()
    out = StringIO()
    call_command("check_reading_links", "--only-failed", "--timeout", str(TIMEOUT), stdout=out)
    assert out.getvalue().startswith("Reading links: checked 3, ok 0, redirected 0, broken 3.")
    assert {path for _, path, _ in server.seen} == {"/missing", "/error", "/slow"}


def test_only_failed_skips_links_never_checked(links, server):
    call_command("check_reading_links", "--only-failed", stdout=StringIO())
    assert server.seen == []


@pytest.mark.parametrize("role", ["superuser", "editor"])
def test_admin_report_lists_broken_links_first_with_open_learner_reports(role, links, make_user, client):
    ReadingLink.objects.exclude(pk__in=[link.pk for link in links.values()]).delete()
    check_links(ReadingLink.objects.all(), timeout=TIMEOUT)
    learner = make_user("learner")
    BrokenLinkReport.objects.create(link=links["missing"], user=learner, note="404 for me")
    BrokenLinkReport.objects.create(link=links["missing"], user=learner, note="still", resolved=True)
    BrokenLinkReport.objects.create(link=links["ok"], user=learner, note="resolved", resolved=True)
    if role == "superuser":
        staff = make_user("boss", is_staff=True, is_superuser=True)
    else:
        staff = make_user("ed", is_staff=True)
        staff.groups.add(Group.objects.get(name="Editors"))
    client.force_login(staff)

    response = client.get("/admin/academy/links/")
    assert response.status_code == 200
    html = response.content.decode()
    positions = {name: re.search(rf">\s*Reading {name}\s*<", html).start() for name in links}
    broken = [positions[k] for k in ("missing", "error", "slow")]
    fine = [positions[k] for k in ("ok", "moved", "no-head")]
    assert max(broken) < min(fine)
    assert positions["missing"] == min(broken)  # the one learners reported leads
    rows = {row.title: row for row in response.context["object_list"]}
    assert rows["Reading missing"].open_reports == 1 and rows["Reading ok"].open_reports == 0
    assert "timeout after 1s" in html
    assert f"{links['moved'].url.rsplit('/', 1)[0]}/ok" in html  # where the redirect ended


def test_admin_report_exports_a_spreadsheet_and_shows_unchecked_links(links, make_user, client):
    check_links(ReadingLink.objects.filter(pk=links["missing"].pk), timeout=TIMEOUT)
    client.force_login(make_user("boss", is_staff=True, is_superuser=True))
    response = client.get("/admin/academy/links/?export=csv")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    assert body.splitlines()[0].startswith("Module,Title,Url,Status,Error,Final URL,Checked,Open reports")
    assert "Reading missing" in body.splitlines()[1]
    html = client.get("/admin/academy/links/").content.decode()
    assert "not checked yet" in html  # the links this test left unchecked


def test_admin_report_is_in_the_reports_menu_and_closed_to_learners(academy, make_user, client, rf):
    request = rf.get("/admin/")
    request.user = make_user("ed", is_staff=True)
    request.user.groups.add(Group.objects.get(name="Editors"))
    items = {item.name: item for item in reports_menu.menu_items_for_request(request)}
    assert (items["reading-links"].label, items["reading-links"].url) == ("Reading links", "/admin/academy/links/")
    client.force_login(make_user("learner"))
    response = client.get("/admin/academy/links/")
    assert response.status_code == 302 and "/login" in response["Location"]


def test_a_learners_note_from_the_module_page_shows_escaped_in_the_report_and_export(academy, make_user, client):
    module = academy["payment-basics"]
    link = ReadingLink.objects.filter(module=module).first()
    client.force_login(make_user("learner"))
    page = client.get(module.url).content.decode()
    assert f'action="/go/{link.pk}/report/"' in page and 'name="note"' in page  # the learner can write one
    client.post(f"/go/{link.pk}/report/", {"note": "Gone <script>alert(1)</script> & moved"})
    BrokenLinkReport.objects.create(link=link, note="an old note, dealt with", resolved=True)

    client.force_login(make_user("boss", is_staff=True, is_superuser=True))
    html = client.get("/admin/academy/links/").content.decode()
    assert "Learners wrote" in html
    assert "“Gone &lt;script&gt;alert(1)&lt;/script&gt; &amp; moved”" in html
    assert "<script>alert(1)" not in html and "an old note" not in html  # resolved reports are done with
    body = b"".join(client.get("/admin/academy/links/?export=csv").streaming_content).decode()
    assert body.splitlines()[0].endswith("Open reports,Learners wrote")
    assert "“Gone <script>alert(1)</script> & moved”" in body  # a quote first: never read as a formula


def test_the_report_reads_notes_in_two_queries_however_many_links(academy, make_user, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(make_user("boss", is_staff=True, is_superuser=True))
    learner = make_user("learner")

    def report_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/admin/academy/links/").status_code == 200
        return len(queries)

    BrokenLinkReport.objects.create(link=ReadingLink.objects.first(), user=learner, note="one")
    before = report_queries()
    for link in ReadingLink.objects.all():
        BrokenLinkReport.objects.create(link=link, user=learner, note=f"note for {link.pk}")
    assert report_queries() == before


# --- no private networks ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.8.8.8",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.178.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.1",
        "239.255.255.250",
        "240.0.0.1",
        "255.255.255.255",
        "192.0.2.1",
        "198.18.0.1",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "fd12:3456::1",
        "ff02::1",
        "ff0e::1",
        "2001:db8::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "2002:7f00:1::1",
        "64:ff9b::a00:1",
        "2001:0:4136:e378:8000:63bf:f5ff:fffe",
    ],
)
def test_non_public_addresses_are_not_public(address):
    assert not is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.215.14", "1.1.1.1", "2606:4700:4700::1111", "2a00:1450:4001:81a::200e"])
def test_public_addresses_are_public(address):
    assert is_public(ipaddress.ip_address(address))


@pytest.fixture
def private_refused(settings):
    settings.ACADEMY_LINKCHECK_ALLOW_PRIVATE = False


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]"])
def test_a_loopback_url_is_refused_without_a_request(server, private_refused, host):
    port = server.server_address[1]
    result = check_url(f"http://{host}:{port}/ok", timeout=TIMEOUT)
    assert result.status is None and result.broken
    assert result.error.startswith(f"refused: {host.strip('[]')} resolves to ")
    assert "not a public address" in result.error and "ACADEMY_LINKCHECK_ALLOW_PRIVATE" in result.error
    assert server.seen == []


def test_every_address_of_a_name_must_be_public(monkeypatch, private_refused):
    def resolve(host, port, **kwargs):
        assert host == "mixed.example"
        answers = ("93.184.215.14", "10.0.0.7")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port)) for address in answers]

    monkeypatch.setattr(linkcheck.socket, "getaddrinfo", resolve)
    result = check_url("https://mixed.example/page", timeout=TIMEOUT)
    assert result.error.startswith("refused: mixed.example resolves to 10.0.0.7, not a public address")


def test_a_public_url_redirecting_to_loopback_is_refused_at_the_redirect_and_the_reason_stored(
    academy, server, monkeypatch, private_refused
):
    """public.example (resolved to a public address, answered here without the network) redirects to
    the loopback server: the redirect is recorded, the hop to loopback is never requested."""
    real_resolve, real_request = linkcheck._resolve, linkcheck._request
    monkeypatch.setattr(
        linkcheck,
        "_resolve",
        lambda host, port: ["93.184.215.14"] if host == "public.example" else real_resolve(host, port),
    )

    def request(parts, method, **kwargs):
        if parts.hostname == "public.example":
            assert kwargs["addresses"] == [("93.184.215.14", 443)]  # connects to the vetted address only
            return 302, f"{server.base}/ok"
        return real_request(parts, method, **kwargs)

    monkeypatch.setattr(linkcheck, "_request", request)
    link = ReadingLink.objects.create(
        module=academy["payment-basics"], title="Sneaky", url="https://public.example/", publisher="P", why="W"
    )
    summary = check_links(ReadingLink.objects.filter(pk=link.pk), timeout=TIMEOUT)
    link.refresh_from_db()
    assert summary.broken and link.check_status is None and link.checked_at is not None
    assert link.check_redirects == [{"status": 302, "url": f"{server.base}/ok"}]
    assert link.check_error.startswith("refused: 127.0.0.1 resolves to 127.0.0.1, not a public address")
    assert server.seen == []


def test_with_the_setting_on_the_loopback_server_is_checked(server, settings):
    settings.ACADEMY_LINKCHECK_ALLOW_PRIVATE = True
    assert check_url(f"{server.base}/ok", timeout=TIMEOUT).status == 200


def test_the_request_goes_to_the_vetted_address_not_to_a_second_lookup(server, monkeypatch, private_refused):
    """DNS rebinding: a name that answers a public address to the check and a private one to the
    connection must not get through. The checker connects to the address it vetted; here the name
    is resolvable only through the checker's own lookup (pretending 127.0.0.1 is public)."""
    port = server.server_address[1]
    monkeypatch.setattr(linkcheck, "_resolve", lambda host, port: ["127.0.0.1"])
    monkeypatch.setattr(linkcheck, "is_public", lambda address: True)
    result = check_url(f"http://rebinding.invalid:{port}/ok", timeout=TIMEOUT)
    assert result.status == 200, result.error  # .invalid never resolves: only the vetted address was used
    assert [path for _, path, _ in server.seen] == ["/ok"]
