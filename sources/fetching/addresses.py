"""Address policy: which IP addresses the fetcher may connect to, resolving a host
with a timeout, and checking every address it resolves to."""

from __future__ import annotations

import ipaddress
import socket
import threading
from typing import TYPE_CHECKING, Any

from sources.fetching.config import _setting
from sources.fetching.results import FetchConnectionError, FetchRefused, FetchTimeout

if TYPE_CHECKING:
    from sources.fetching.connection import _Deadline
    from sources.fetching.urls import _Target


def _loopback_allowance() -> bool | frozenset[int]:
    """False (off), True (any port) or the set of allowed ports."""
    raw = _setting("FETCH_ALLOW_LOOPBACK", "")
    if raw is True:
        return True
    if not raw:
        return False
    if isinstance(raw, int):
        raw = str(raw)
    if isinstance(raw, list | tuple | set | frozenset):
        raw = ",".join(str(p) for p in raw)
    text = str(raw).strip().lower()
    if text in ("1", "true", "yes", "on", "all", "*"):
        return True
    if text in ("0", "false", "no", "off", ""):
        return False
    ports = set()
    for part in text.split(","):
        part = part.strip()
        if part.isdigit():
            ports.add(int(part))
    return frozenset(ports)


# --------------------------------------------------------------------------- address policy

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_ALLOWED_LOOPBACK = ipaddress.IPv4Address("127.0.0.1")


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    # IPv4-compatible (deprecated) ::a.b.c.d
    if int(ip) >> 32 == 0 and int(ip) > 1:
        return ipaddress.IPv4Address(int(ip))
    return None


def _classify(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Return the name of the forbidden category ``ip`` falls in, or None if public."""
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_multicast:
        return "multicast"
    if isinstance(ip, ipaddress.IPv4Address) and ip in ipaddress.ip_network("100.64.0.0/10"):
        return "shared (carrier-grade NAT)"
    if ip.is_private:
        return "private"
    if ip.is_reserved:
        return "reserved"
    if isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local:
        return "site-local"
    if not ip.is_global:
        return "non-public"
    return None


_CATEGORY_CODES = {
    "unspecified": "unspecified_address",
    "loopback": "loopback_address",
    "link-local": "link_local_address",
    "multicast": "multicast_address",
    "private": "private_address",
    "reserved": "reserved_address",
    "site-local": "private_address",
    "shared (carrier-grade NAT)": "private_address",
    "non-public": "non_public_address",
}


def check_address(ip_string: str, port: int | None = None, *, host: str | None = None) -> None:
    """Refuse (raise ``FetchRefused``) unless ``ip_string`` is a public unicast address.

    Loopback is refused, except the one address 127.0.0.1 (written as IPv4) when
    ``FETCH_ALLOW_LOOPBACK`` permits it for ``port``. Makes no connection.
    """
    label = host or ip_string
    raw = str(ip_string).split("%", 1)[0].strip("[]")
    try:
        ip = ipaddress.ip_address(raw)
    except ValueError:
        raise FetchRefused("invalid_address", f"Refused: {ip_string!r} is not an IP address") from None

    # ::ffff:10.0.0.1, 6to4, Teredo, NAT64: judge by the embedded IPv4 address first,
    # then by the IPv6 form itself (which refuses the transition ranges as non-public).
    inner = _embedded_ipv4(ip) if isinstance(ip, ipaddress.IPv6Address) else None
    category = (_classify(inner) if inner is not None else None) or _classify(ip)
    if category is None:
        return None

    what = f"{label} resolves to {ip_string}" if host and host != ip_string else f"{ip_string}"
    if category == "loopback":
        allowance = _loopback_allowance()
        if allowance and ip != _ALLOWED_LOOPBACK:
            # The allowance names one address, spelled one way: 127.0.0.2, ::1 and the
            # IPv4-mapped, NAT64, 6to4 or compatible spellings of 127.0.0.1 stay refused.
            raise FetchRefused(
                "loopback_address",
                f"Refused: {what}, a loopback address; only 127.0.0.1 may be allowed",
            )
        if allowance is True or (allowance and port in allowance):
            return None
        if allowance:
            ports = ", ".join(str(p) for p in sorted(allowance))
            raise FetchRefused(
                "loopback_address",
                f"Refused: {what}, a loopback address, on port {port}; "
                f"loopback is allowed only on port(s) {ports}",
            )
        raise FetchRefused("loopback_address", f"Refused: {what}, a loopback address")
    article = "an" if category[0] in "aeiou" else "a"
    raise FetchRefused(_CATEGORY_CODES[category], f"Refused: {what}, {article} {category} address")


def resolve_host(host: str, port: int) -> list[str]:
    """All addresses ``host`` resolves to (deduplicated, resolver order).

    Tests monkeypatch this function to control resolution.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FetchConnectionError(f"Could not resolve {host}: {exc.strerror or exc}") from exc
    except UnicodeError as exc:
        raise FetchRefused("invalid_host", f"Refused: invalid host name {host!r}") from exc
    addresses: list[str] = []
    for family, _type, _proto, _canon, sockaddr in infos:
        if family not in (socket.AF_INET, socket.AF_INET6):
            continue
        addr = str(sockaddr[0]).split("%", 1)[0]
        if addr not in addresses:
            addresses.append(addr)
    return addresses


def _resolve_within(target: _Target, timeout: float) -> list[str]:
    """``resolve_host`` bounded by ``timeout``: the system resolver has no timeout of its
    own, so it runs in a daemon thread that is left behind if it does not answer in time."""
    outcome: dict[str, Any] = {}

    def lookup() -> None:
        try:
            outcome["addresses"] = resolve_host(target.host, target.port)
        except BaseException as exc:  # handed to the caller's thread
            outcome["error"] = exc

    thread = threading.Thread(target=lookup, name="fetch-dns", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise FetchTimeout(f"Timed out resolving {target.host} after {timeout:.3g} s", url=target.url)
    if "error" in outcome:
        raise outcome["error"]
    addresses: list[str] = outcome["addresses"]
    return addresses


def _checked_addresses(target: _Target, deadline: _Deadline, connect_timeout: float) -> list[str]:
    if target.is_ip:
        addresses = [target.host.split("%", 1)[0]]
    else:
        addresses = _resolve_within(target, min(connect_timeout, deadline.remaining()))
        if not addresses:
            raise FetchConnectionError(f"Could not resolve {target.host}: no addresses", url=target.url)
    for address in addresses:  # ALL must pass: one bad answer refuses the host
        check_address(address, target.port, host=None if target.is_ip else target.host)
    return addresses
