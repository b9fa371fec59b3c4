"""The reading-link checker: does each curated reading still answer, and where does it end up?

Standard library only. One request per hop: HEAD first, GET (reading at most a few KB) where a
server refuses HEAD. Redirects are followed by hand so every hop is recorded. Results are written
from the calling thread only, so SQLite sees a single writer however many checks run at once.
"""

import http.client
import socket
import ssl
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from urllib.parse import quote, urljoin, urlsplit

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from learning.models import ReadingLink

MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
HEAD_REFUSED = frozenset({405, 501})
GET_READ_LIMIT = 4096
ERROR_MAX = 300  # ReadingLink.check_error's max_length
URL_MAX = 500  # ReadingLink.check_final_url's max_length

# The last check failed: it got no answer, or an error status. Links never checked are not broken.
BROKEN = Q(checked_at__isnull=False) & (Q(check_status__isnull=True) | Q(check_status__gte=400))


def is_broken(status):
    return status is None or status >= 400


def default_user_agent():
    return f"EcommerceAcademyLinkChecker/1.0 (+{settings.WAGTAILADMIN_BASE_URL})"


@dataclass(frozen=True)
class Result:
    """One URL's check: the final status (None: no answer), where it ended, each redirect hop."""

    status: int | None
    final_url: str
    redirects: list = field(default_factory=list)
    error: str = ""
    method: str = "HEAD"  # the method that produced `status`; GET when the server refused HEAD

    @property
    def broken(self):
        return is_broken(self.status)


class _HeadRefused(Exception):
    """The server dropped the connection on HEAD; some do, and answer GET."""


def check_url(url, *, timeout, user_agent=None):
    """Check one URL: at most MAX_REDIRECTS + 1 requests (twice that where HEAD is refused), each
    with its own `timeout` in seconds. Never raises for network trouble; it lands in `error`."""
    user_agent = user_agent or default_user_agent()
    redirects = []
    current = url
    while True:
        parts = urlsplit(current)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return Result(None, current, redirects, _short(f"not an http(s) URL: {current}"), method="")
        try:
            method = "HEAD"
            try:
                status, location = _request(parts, "HEAD", timeout=timeout, user_agent=user_agent)
            except _HeadRefused:
                status, location = None, None
            if status is None or status in HEAD_REFUSED:
                method = "GET"
                status, location = _request(parts, "GET", timeout=timeout, user_agent=user_agent)
        except _HeadRefused as exc:  # raised again by GET: the server closes on every request
            return Result(None, current, redirects, _short(f"connection closed: {exc.__cause__ or exc}"), method)
        except (TimeoutError, socket.timeout):
            return Result(None, current, redirects, f"timeout after {timeout:g}s", method)
        except Exception as exc:  # noqa: BLE001 - any failure to get an answer is a finding, not a crash
            return Result(None, current, redirects, _short(_describe(exc)), method)

        if status in REDIRECT_STATUSES and location:
            current = urljoin(current, location.strip())
            redirects.append({"status": status, "url": current})
            if len(redirects) > MAX_REDIRECTS:
                return Result(None, current, redirects, f"more than {MAX_REDIRECTS} redirects", method)
            continue
        return Result(status, current, redirects, "", method)


def _request(parts, method, *, timeout, user_agent):
    """One request; returns (status, Location header). HEAD failures that look like a server
    dropping HEAD (closed connection, reset, garbled reply) raise _HeadRefused so GET is tried.
    Timeouts, DNS failures and refused connections are not retried: GET would meet them too."""
    host, port = parts.hostname, parts.port
    if parts.scheme == "https":
        conn = http.client.HTTPSConnection(host, port, timeout=timeout, context=ssl.create_default_context())
    else:
        conn = http.client.HTTPConnection(host, port, timeout=timeout)
    # Curated URLs may hold spaces or non-ASCII; the request line must be ASCII.
    target = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
    if parts.query:
        target += "?" + quote(parts.query, safe="/%:@!$&'()*+,;=-._~?")
    try:
        conn.request(
            method,
            target,
            headers={
                "User-Agent": user_agent,
                "Accept": "*/*",
                "Accept-Encoding": "identity",
                "Connection": "close",
            },
        )
        response = conn.getresponse()
        if method == "GET":
            response.read(GET_READ_LIMIT)
        return response.status, response.getheader("Location")
    except (http.client.RemoteDisconnected, http.client.BadStatusLine, ConnectionResetError) as exc:
        raise _HeadRefused(str(exc)) from exc
    finally:
        conn.close()


def _describe(exc):
    if isinstance(exc, socket.gaierror):
        return f"DNS lookup failed: {exc.strerror or exc}"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, ssl.SSLError):
        return f"TLS error: {exc.reason or exc}"
    return f"{type(exc).__name__}: {exc}"


def _short(text):
    return text if len(text) <= ERROR_MAX else text[: ERROR_MAX - 1] + "…"


@dataclass
class Summary:
    """Counts per link (not per URL): ok + redirected + broken == checked."""

    checked: int = 0
    ok: int = 0
    redirected: int = 0
    broken: list = field(default_factory=list)  # (link, Result) pairs, in the order given

    def __str__(self):
        return f"checked {self.checked}, ok {self.ok}, redirected {self.redirected}, broken {len(self.broken)}"


def check_links(links, *, concurrency=4, timeout=10, user_agent=None):
    """Check ReadingLinks, each distinct URL once, at most `concurrency` at a time, and store the
    result on every link with that URL. One UPDATE per distinct URL, issued from this thread as
    each check finishes (workers only talk HTTP), so an interrupted run keeps what it found."""
    links = list(links)
    user_agent = user_agent or default_user_agent()
    pks_by_url = defaultdict(list)
    for link in links:
        pks_by_url[link.url].append(link.pk)

    results = {}
    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        futures = {
            pool.submit(check_url, url, timeout=timeout, user_agent=user_agent): url for url in pks_by_url
        }
        for future in as_completed(futures):
            url = futures[future]
            result = results[url] = future.result()
            ReadingLink.objects.filter(pk__in=pks_by_url[url]).update(
                check_status=result.status,
                check_final_url=result.final_url[:URL_MAX],
                check_redirects=result.redirects,
                check_error=result.error,
                checked_at=timezone.now(),
            )

    summary = Summary(checked=len(links))
    for link in links:
        result = results[link.url]
        if result.broken:
            summary.broken.append((link, result))
        elif result.redirects:
            summary.redirected += 1
        else:
            summary.ok += 1
    return summary
