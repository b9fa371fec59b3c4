"""The reading-link checker against a loopback HTTP server: statuses, redirects, timeouts, the HEAD ->
GET fallback, the command, and the admin report. Nothing here talks to anything but 127.0.0.1."""

import re
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.admin.menu import reports_menu

from learning.authoring.linkcheck import check_links, check_url
from learning.models import BrokenLinkReport, ReadingLink

TIMEOUT = 1  # seconds; the loopback server answers at once, except its slow path


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
