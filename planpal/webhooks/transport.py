"""Outbound HTTP for webhooks: the SSRF guard, the signature, and one signed POST.

SSRF: a webhook URL is user input that makes our servers send requests. Its host must resolve
only to public addresses (no loopback, private, link-local, shared, reserved or multicast
ranges, in any IPv6 spelling of a private IPv4 address: mapped, 6to4, Teredo, NAT64, translated),
checked when the endpoint is registered and again before every request; the request
then goes to the very address that was checked (the host name is kept for TLS and the Host
header), so a DNS answer that changes in between (rebinding) cannot redirect it. Redirects are
not followed. WEBHOOKS_ALLOW_PRIVATE (tests and local development only) lifts the address check
and allows plain http.
"""

import hashlib
import hmac
import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import httpx
from django.conf import settings
from django.utils.translation import gettext as _

SIGNATURE_HEADER = "PlanPal-Signature"
USER_AGENT = "PlanPal-Webhooks/1.0"


class UnsafeUrl(ValueError):
    """The URL may not be called: wrong scheme, credentials, unresolvable or private host."""


@dataclass(frozen=True)
class Target:
    url: str  # the URL with the host replaced by the checked address
    host_header: str
    sni_hostname: str | None


@dataclass(frozen=True)
class Response:
    status_code: int | None
    latency_ms: int
    error: str = ""
    excerpt: str = ""

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def sign(secret: str, timestamp: int, body: str) -> str:
    """Hex HMAC-SHA256 of f"{timestamp}.{body}" with the endpoint's secret."""
    message = f"{timestamp}.{body}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(secrets: list[str], timestamp: int, body: str) -> str:
    """`t=<unix seconds>,v1=<hex>[,v1=<hex>]`: one v1 per valid secret (two during a rotation)."""
    return ",".join([f"t={timestamp}", *(f"v1={sign(s, timestamp, body)}" for s in secrets)])


def check_url(url: str) -> Target:
    """Where a request for `url` may go, or UnsafeUrl saying why it may not."""
    allow_private = settings.WEBHOOKS_ALLOW_PRIVATE
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeUrl(_("The URL is malformed.")) from exc
    schemes = ("https", "http") if allow_private else ("https",)
    if parts.scheme not in schemes:
        raise UnsafeUrl(_("The URL must start with https://."))
    if parts.username or parts.password:
        raise UnsafeUrl(_("The URL must not contain credentials."))
    host = parts.hostname
    if not host:
        raise UnsafeUrl(_("The URL has no host."))
    port = port or (443 if parts.scheme == "https" else 80)
    address = _resolve(host, port, allow_private)
    netloc = f"[{address}]" if ":" in address else address
    if parts.port:
        netloc += f":{parts.port}"
    pinned = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
    host_header = parts.netloc.rpartition("@")[2]
    is_name = _literal(host) is None
    return Target(pinned, host_header, host if parts.scheme == "https" and is_name else None)


def post(url: str, body: str, headers: dict[str, str]) -> Response:
    """POST the body to the checked address; any outcome is a Response, never an exception."""
    started = time.monotonic()
    try:
        target = check_url(url)
    except UnsafeUrl as exc:
        return Response(None, _ms(started), error=str(exc)[:200])
    extensions = {"sni_hostname": target.sni_hostname} if target.sni_hostname else {}
    request_headers = {
        **headers,
        "Host": target.host_header,
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
    }
    try:
        with httpx.Client(timeout=settings.WEBHOOK_TIMEOUT_SECONDS, follow_redirects=False) as c:
            request = c.build_request(
                "POST",
                target.url,
                content=body.encode(),
                headers=request_headers,
                extensions=extensions,
            )
            answer = c.send(request, stream=True)
            try:
                excerpt = _excerpt(answer)
            finally:
                answer.close()
    except httpx.TimeoutException:
        return Response(None, _ms(started), error="timeout")
    except httpx.HTTPError as exc:
        return Response(None, _ms(started), error=f"{type(exc).__name__}: {exc}"[:200])
    return Response(answer.status_code, _ms(started), excerpt=excerpt)


# ---------------------------------------------------------------------------- private
def _literal(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


# IPv6 ranges whose last 32 bits are an IPv4 address the packet really goes to (or comes from):
# NAT64 (RFC 6052), IPv4-translated (RFC 2765, ::ffff:0:a.b.c.d) and the deprecated
# IPv4-compatible form (::a.b.c.d). IPv4-mapped, 6to4 and Teredo have ipaddress properties.
_EMBEDS_IPV4_AT_THE_END = [
    ipaddress.ip_network("64:ff9b::/96"),
    ipaddress.ip_network("::ffff:0:0:0/96"),
    ipaddress.ip_network("::/96"),
]
# NAT64 for local use (RFC 8215): the IPv4 address may sit anywhere in it, and it is never a
# public destination, whatever `is_global` says.
_LOCAL_NAT64 = ipaddress.ip_network("64:ff9b:1::/48")

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def embedded_ipv4(address: Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address stands for (mapped, 6to4, Teredo server and client,
    NAT64, translated, compatible); an IPv4 address stands for itself."""
    if isinstance(address, ipaddress.IPv4Address):
        return [address]
    found = [a for a in (address.ipv4_mapped, address.sixtofour) if a is not None]
    if address.teredo is not None:
        found.extend(address.teredo)
    if any(address in network for network in _EMBEDS_IPV4_AT_THE_END):
        found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return found


def _public(address: Address) -> bool:
    """Public as itself and as every IPv4 address it embeds: `64:ff9b::a9fe:a9fe` (NAT64) and
    `2002:a9fe:a9fe::` (6to4) are the metadata address 169.254.169.254 in IPv6 spelling."""
    if isinstance(address, ipaddress.IPv6Address) and address in _LOCAL_NAT64:
        return False
    return all(
        candidate.is_global and not candidate.is_multicast
        for candidate in (address, *embedded_ipv4(address))
    )


def _resolve(host: str, port: int, allow_private: bool) -> str:
    """The first address of `host`; every address it resolves to must be public."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise UnsafeUrl(_("The host %(host)r cannot be resolved.") % {"host": host}) from exc
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    if not addresses:
        raise UnsafeUrl(_("The host %(host)r cannot be resolved.") % {"host": host})
    if not allow_private and not all(_public(address) for address in addresses):
        raise UnsafeUrl(_("The URL points to a private, loopback or reserved address."))
    return str(addresses[0])


def _excerpt(answer: httpx.Response, limit: int = 200) -> str:
    """The start of the receiver's answer, for the delivery log; the rest is never read."""
    data = b""
    for chunk in answer.iter_bytes():
        data += chunk
        if len(data) >= limit:
            break
    return data[:limit].decode("utf-8", "replace")


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
