"""Who is asking: the client's address, decided once for throttles, lock-outs and the audit log.

Behind a reverse proxy every request arrives from the proxy, and gunicorn keeps the proxy's
address in REMOTE_ADDR (it never rewrites it from X-Forwarded-For). The client's address is
then the right-most entry of X-Forwarded-For that is not one of our own proxies: entries left
of it were written by the client and can say anything. Without TRUSTED_PROXIES the header is
ignored, so nobody can pick their own address by sending it.
"""

from __future__ import annotations

import functools
import ipaddress

from django.conf import settings
from django.http import HttpRequest

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# One IPv6 subscriber gets a whole /64: throttling single addresses inside it would let one
# phone take a fresh address for every request.
IPV6_NETWORK_PREFIX = 64


def client_address(request: HttpRequest) -> str:
    """The address of whoever sent the request (django-axes calls it too:
    AXES_CLIENT_IP_CALLABLE)."""
    remote: str = request.META.get("REMOTE_ADDR", "")
    trusted = _trusted_networks(tuple(settings.TRUSTED_PROXIES))
    if not trusted or not _is_trusted(_parse(remote), trusted):
        return remote
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed(hops):
        address = _parse(hop)
        if address is None:
            break  # a malformed entry ends what we can vouch for: keep the last proxy
        if not _is_trusted(address, trusted):
            return str(address)
        remote = str(address)
    return remote


def client_network(request: HttpRequest) -> str:
    """The client's address for per-client limits: an IPv4 address, or an IPv6 /64."""
    address = client_address(request)
    parsed = _parse(address)
    if isinstance(parsed, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((parsed, IPV6_NETWORK_PREFIX), strict=False))
    return address


@functools.lru_cache(maxsize=8)
def _trusted_networks(entries: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(entry) for entry in entries)


def _parse(value: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _is_trusted(address: IPAddress | None, trusted: tuple[IPNetwork, ...]) -> bool:
    return address is not None and any(address in network for network in trusted)
