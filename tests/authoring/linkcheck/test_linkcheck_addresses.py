"""The checker never reaches an internal host: loopback, private, link-local and other non-public
addresses are refused, after redirects too, unless ACADEMY_LINKCHECK_ALLOW_PRIVATE is on."""

import ipaddress
import socket

import pytest

from learning.authoring import linkcheck
from learning.authoring.linkcheck import check_links, check_url, is_public
from learning.models import ReadingLink

TIMEOUT = 1  # seconds; the loopback server answers at once, except its slow path

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
