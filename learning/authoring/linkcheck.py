"""The reading-link checker: does each curated reading still answer, and where does it end up?

Standard library only. One request per hop: HEAD first, GET (reading at most a few KB) where a
server refuses HEAD. Redirects are followed by hand so every hop is recorded. Results are written
from the calling thread only, so SQLite sees a single writer however many checks run at once.

Editors choose the URLs, so the checker must not become a way into the internal network: before
each hop (the first URL and every redirect target) the host name is resolved and every address it
resolves to must be public; the connection then goes to those vetted addresses, so a second DNS
answer cannot swap in another. ACADEMY_LINKCHECK_ALLOW_PRIVATE turns this off (the tests' loopback
server; an intranet academy).
"""

import http.client
import ipaddress
import socket
import ssl
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from functools import partial
from urllib.parse import quote, urljoin, urlsplit

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from learning.catalogue.models import ReadingLink

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
            # Every hop, redirects included, is vetted before anything is sent to it.
            addresses = public_addresses(parts)
        except NotPublic as exc:
            return Result(None, current, redirects, _short(str(exc)), method="")
        except Exception as exc:
            return Result(None, current, redirects, _short(_describe(exc)), method="")
        try:
            method = "HEAD"
            request = partial(_request, parts, timeout=timeout, user_agent=user_agent, addresses=addresses)
            try:
                status, location = request("HEAD")
            except _HeadRefused:
                status, location = None, None
            if status is None or status in HEAD_REFUSED:
                method = "GET"
                status, location = request("GET")
        except _HeadRefused as exc:  # raised again by GET: the server closes on every request
            return Result(None, current, redirects, _short(f"connection closed: {exc.__cause__ or exc}"), method)
        except TimeoutError:
            return Result(None, current, redirects, f"timeout after {timeout:g}s", method)
        except Exception as exc:
            return Result(None, current, redirects, _short(_describe(exc)), method)

        if status in REDIRECT_STATUSES and location:
            current = urljoin(current, location.strip())
            redirects.append({"status": status, "url": current})
            if len(redirects) > MAX_REDIRECTS:
                return Result(None, current, redirects, f"more than {MAX_REDIRECTS} redirects", method)
            continue
        return Result(status, current, redirects, "", method)


def _request(parts, method, *, timeout, user_agent, addresses=None):
    """One request; returns (status, Location header). With `addresses` (vetted by public_addresses)
    the connection goes to them, not to a fresh lookup of the host name; TLS still checks the name.
    HEAD failures that look like a server dropping HEAD (closed connection, reset, garbled reply)
    raise _HeadRefused so GET is tried. Timeouts, DNS failures and refused connections are not
    retried: GET would meet them too."""
    host, port = parts.hostname, parts.port
    if parts.scheme == "https":
        conn = http.client.HTTPSConnection(host, port, timeout=timeout, context=ssl.create_default_context())
    else:
        conn = http.client.HTTPConnection(host, port, timeout=timeout)
    if addresses:
        conn._create_connection = partial(_connect_to_first, addresses)
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


# --- only public addresses -----------------------------------------------------------------------

NAT64 = ipaddress.ip_network("64:ff9b::/96")  # IPv6 wrapping an IPv4 address, which is what counts


class NotPublic(Exception):
    """The host resolves to an address inside a private network (or one that is no host at all)."""


def _inner_ipv4(address):
    """IPv4 addresses an IPv6 address carries (mapped, 6to4, Teredo, NAT64): each must be public too."""
    if address.version != 6:
        return []
    inner = [address.ipv4_mapped, address.sixtofour, address.teredo[1] if address.teredo else None]
    if address in NAT64:
        inner.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return [item for item in inner if item is not None]


def is_public(address):
    """Globally routable unicast: not loopback, private, link-local, shared (CGNAT), reserved,
    multicast or unspecified, for IPv4 and IPv6 alike (ipaddress's is_global alone lets multicast
    and IPv4 wrapped in IPv6 through)."""
    return all(
        candidate.is_global
        and not (candidate.is_multicast or candidate.is_reserved or candidate.is_unspecified)
        and not (candidate.is_loopback or candidate.is_link_local or candidate.is_private)
        for candidate in [address, *_inner_ipv4(address)]
    )


def _resolve(host, port):
    """Every address the host name resolves to (a literal address resolves to itself)."""
    return list(dict.fromkeys(info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)))


def public_addresses(parts):
    """The addresses to connect to for this URL, all of them public, or NotPublic naming the first
    that is not. None when ACADEMY_LINKCHECK_ALLOW_PRIVATE is on (connect as the name resolves)."""
    if settings.ACADEMY_LINKCHECK_ALLOW_PRIVATE:
        return None
    port = parts.port or (443 if parts.scheme == "https" else 80)
    addresses = _resolve(parts.hostname, port)
    for address in addresses:
        if not is_public(ipaddress.ip_address(address)):
            raise NotPublic(
                f"refused: {parts.hostname} resolves to {address}, not a public address "
                "(private networks are not checked unless ACADEMY_LINKCHECK_ALLOW_PRIVATE is on)"
            )
    return [(address, port) for address in addresses]


def _connect_to_first(addresses, _named_address, timeout, source_address=None):
    """http.client's connect, to the vetted addresses in turn (as socket.create_connection tries a
    name's addresses) instead of a second lookup of the name."""
    error = None
    for address in addresses:
        try:
            return socket.create_connection(address, timeout, source_address)
        except OSError as exc:
            error = exc
    raise error


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
        futures = {pool.submit(check_url, url, timeout=timeout, user_agent=user_agent): url for url in pks_by_url}
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
