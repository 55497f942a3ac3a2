"""The SSRF guard: webhook requests go only to public addresses, checked at send time too, to
the very address that was checked."""

import os
import socket
import subprocess
import sys

import pytest

from planpal.webhooks import transport
from tests.live import ROOT

RESOLVES = {
    "hooks.example.com": ["93.184.215.14"],
    "rebind.example.com": ["93.184.215.14", "127.0.0.1"],  # one answer public, one not
    "v6.example.com": ["2606:2800:220:1:248:1893:25c8:1946"],
}


@pytest.fixture(autouse=True)
def fake_dns(monkeypatch):
    def resolve(host, port, *args, **kwargs):
        if host not in RESOLVES:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (host, port))]
        return [
            (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
            for a in RESOLVES[host]
        ]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/x",
        "https://localhost.localdomain.invalid/x",
        "https://10.0.0.8/x",
        "https://172.16.5.4/x",
        "https://192.168.1.1/x",
        "https://100.64.0.1/x",
        "https://169.254.169.254/latest/meta-data/",
        "https://0.0.0.0/x",
        "https://224.0.0.1/x",
        "https://[::1]/x",
        "https://[fc00::1]/x",
        "https://[fe80::1]/x",
        "https://[::ffff:10.0.0.1]/x",
        "https://rebind.example.com/x",
    ],
)
def test_private_loopback_and_reserved_targets_are_refused(url, monkeypatch):
    if "invalid" in url:  # a name that does not resolve
        monkeypatch.setattr(socket, "getaddrinfo", _unresolvable)
    with pytest.raises(transport.UnsafeUrl):
        transport.check_url(url)


def _unresolvable(*args, **kwargs):
    raise socket.gaierror("no such host")


def test_the_request_goes_to_the_checked_address_with_the_name_kept_for_tls():
    target = transport.check_url("https://hooks.example.com:8443/planpal?x=1")
    assert target.url == "https://93.184.215.14:8443/planpal?x=1"
    assert target.host_header == "hooks.example.com:8443"
    assert target.sni_hostname == "hooks.example.com"
    v6 = transport.check_url("https://v6.example.com/")
    assert v6.url == "https://[2606:2800:220:1:248:1893:25c8:1946]/"


def test_a_target_that_turned_private_is_refused_at_send_time():
    RESOLVES["later.example.com"] = ["93.184.215.14"]
    transport.check_url("https://later.example.com/x")  # fine when registered
    RESOLVES["later.example.com"] = ["10.0.0.7"]  # DNS now points inside
    response = transport.post("https://later.example.com/x", "{}", {})
    assert response.status_code is None and "private" in response.error


def test_the_test_setting_allows_loopback_and_plain_http(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    assert transport.check_url("http://127.0.0.1:9/x").url == "http://127.0.0.1:9/x"


def settings_of(**env: str) -> subprocess.CompletedProcess:
    """Import the settings in a fresh process with these environment variables."""
    environment = {**os.environ, **env}
    environment.pop("DATABASE_URL", None), environment.pop("REDIS_URL", None)
    code = "import config.settings as s; print(s.WEBHOOK_MAX_RETRY_DELAY_SECONDS)"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_retry_countdowns_stay_below_the_visibility_timeout():
    refused = settings_of(WEBHOOK_MAX_RETRY_DELAY_SECONDS="3600", CELERY_VISIBILITY_TIMEOUT="3600")
    assert refused.returncode != 0
    message = "WEBHOOK_MAX_RETRY_DELAY_SECONDS must stay below CELERY_VISIBILITY_TIMEOUT"
    assert message in refused.stderr
    short = settings_of(CELERY_VISIBILITY_TIMEOUT="100", PUSH_MAX_RETRY_DELAY_SECONDS="60")
    assert short.stdout.strip() == "50", short.stderr  # the default follows the timeout


# IPv6 spellings of private IPv4 addresses (issue 13 #7): each was accepted as public.
METADATA_IN_IPV6 = [
    "64:ff9b::a9fe:a9fe",  # NAT64 (RFC 6052) of 169.254.169.254
    "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
    "64:ff9b:1::a9fe:a9fe",  # local-use NAT64 (RFC 8215)
    "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254
    "2002:7f00:1::",  # 6to4 of 127.0.0.1
    "::ffff:0:a9fe:a9fe",  # IPv4-translated
    "::a9fe:a9fe",  # IPv4-compatible (deprecated)
    "::7f00:1",
    "::ffff:169.254.169.254",  # IPv4-mapped (was already refused)
    "2001:0:a9fe:a9fe::1",  # Teredo with a private server
]


@pytest.mark.parametrize("address", METADATA_IN_IPV6)
def test_ipv6_spellings_of_private_ipv4_addresses_are_refused(address):
    with pytest.raises(transport.UnsafeUrl):
        transport.check_url(f"https://[{address}]/x")
    RESOLVES["sneaky.example.com"] = [address]  # the same behind a name
    with pytest.raises(transport.UnsafeUrl):
        transport.check_url("https://sneaky.example.com/x")


def test_a_name_that_turns_into_nat64_metadata_is_refused_at_send_time():
    RESOLVES["moving.example.com"] = ["93.184.215.14"]
    transport.check_url("https://moving.example.com/x")
    RESOLVES["moving.example.com"] = ["64:ff9b::a9fe:a9fe"]

    response = transport.post("https://moving.example.com/x", "{}", {})

    assert response.status_code is None and "private" in response.error


@pytest.mark.parametrize("address", ["64:ff9b::808:808", "2002:808:808::1", "2606:4700::1111"])
def test_ipv6_forms_of_public_addresses_stay_allowed(address):
    assert transport.check_url(f"https://[{address}]/x").url == f"https://[{address}]/x"
