"""URLs: the shape the fetcher accepts (``check_url``), the canonical form sources are
keyed by (``normalise_url``) and the registrable domain outlets are keyed by."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import quote, unquote_plus, urlsplit, urlunsplit

from sources.fetching.results import FetchRefused

# --------------------------------------------------------------------------- URL policy


@dataclass(frozen=True)
class _Target:
    url: str
    scheme: str
    host: str  # ASCII (punycode) host, no brackets
    port: int
    path: str  # path + query, for the request line
    is_ip: bool


def _ascii_host(host: str) -> str:
    host = host.strip().rstrip(".").lower()
    if not host:
        return host
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
        return host
    except ValueError:
        pass
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def check_url(url: str) -> _Target:
    """Validate the URL's shape (not its addresses). Raises ``FetchRefused``."""
    if not isinstance(url, str) or not url.strip():
        raise FetchRefused("invalid_url", "Refused: empty URL", url=url)
    url = url.strip()
    if any(c in url for c in "\r\n\t\x00"):
        raise FetchRefused("invalid_url", "Refused: URL contains control characters", url=url)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise FetchRefused("invalid_url", f"Refused: malformed URL ({exc})", url=url) from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        shown = scheme or "no scheme"
        raise FetchRefused("scheme", f"Refused: {shown!s} URLs are not fetched (http and https only)", url=url)
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise FetchRefused("credentials", "Refused: URLs with embedded credentials are not fetched", url=url)
    host = _ascii_host(parts.hostname or "")
    if not host:
        raise FetchRefused("no_host", "Refused: URL has no host", url=url)
    if port == 0:
        raise FetchRefused("invalid_url", "Refused: port 0", url=url)
    is_ip = True
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        is_ip = False
        if not re.fullmatch(r"[a-z0-9_]([a-z0-9_-]{0,62})(\.[a-z0-9_]([a-z0-9_-]{0,62}))*", host):
            raise FetchRefused("invalid_host", f"Refused: invalid host name {host!r}", url=url) from None
    if port is None:
        port = 443 if scheme == "https" else 80
    path = parts.path or "/"
    # re-quote anything unsafe (spaces, non-ASCII) without touching existing escapes
    path = quote(path, safe="/%:@!$&'()*+,;=-._~")
    if parts.query:
        path += "?" + quote(parts.query, safe="/%:@!$&'()*+,;=-._~?")
    return _Target(url=url, scheme=scheme, host=host, port=port, path=path, is_ip=is_ip)


# --------------------------------------------------------------------------- URL helpers

_TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid",
     "mc_cid", "mc_eid", "_hsenc", "_hsmi", "mkt_tok"}
)


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered.startswith("utm_") or lowered in _TRACKING_PARAMS


def normalise_url(url: str) -> str:
    """Canonical form used for source uniqueness.

    Lowercases scheme and host (IDN to punycode), drops credentials, default ports,
    the fragment and tracking parameters (utm_*, fbclid, gclid, ...). Everything else —
    path case, other parameters and their order — is kept as is. An empty path becomes "/".
    """
    url = (url or "").strip()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = _ascii_host(parts.hostname or "")
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and not (
        (scheme == "http" and port == 80) or (scheme == "https" and port == 443)
    ):
        netloc += f":{port}"
    path = parts.path or ("/" if netloc else "")
    query = parts.query
    if query:  # filter raw "k=v" segments so kept parameters keep their exact encoding
        kept = [seg for seg in query.split("&")
                if seg and not _is_tracking(unquote_plus(seg.split("=", 1)[0]))]
        query = "&".join(kept)
    return urlunsplit((scheme, netloc, path, query, ""))


@lru_cache(maxsize=1)
def _tld_extractor() -> Any:
    import tldextract

    # suffix_list_urls=() + cache_dir=None: only the snapshot bundled with the package, no network
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)


def registrable_domain(url_or_host: str) -> str:
    """``https://www.bbc.co.uk/x`` -> ``bbc.co.uk``. IPs and suffix-less hosts come back as is."""
    value = (url_or_host or "").strip()
    if not value:
        return ""
    if "://" in value:
        host = urlsplit(value).hostname or ""
    else:
        host = urlsplit("//" + value).hostname or value.split("/", 1)[0]
    host = _ascii_host(host)
    if not host:
        return ""
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    ext = _tld_extractor()(host)
    if hasattr(type(ext), "top_domain_under_public_suffix"):
        domain = ext.top_domain_under_public_suffix
    else:  # tldextract < 5.3
        domain = ext.registered_domain
    return domain or host
