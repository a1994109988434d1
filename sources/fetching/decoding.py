"""Reading what came back: content types (declared and sniffed), sizes, Retry-After,
and decoding a body to text in the right character set."""

from __future__ import annotations

import codecs
import re
import time

# --------------------------------------------------------------------------- helpers


def _parse_content_type(value: str | None) -> tuple[str, str | None]:
    if not value:
        return "", None
    mime, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset":
            charset = val.strip().strip("\"'").lower() or None
    return mime.strip().lower(), charset


def _sniff_type(body: bytes) -> str:
    head = body[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"%pdf-"):
        return "application/pdf"
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head[:512]:
        return "text/html"
    if head.startswith(b"<?xml") or head.startswith((b"<rss", b"<feed", b"<rdf")):
        return "application/xml"
    if head.startswith((b"{", b"[")):
        return "application/json"
    return ""


def _human_bytes(n: int) -> str:
    if n >= 1024 * 1024 and n % (1024 * 1024) == 0:
        return f"{n // (1024 * 1024)} MiB"
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MiB"
    if n >= 1024:
        return f"{n / 1024:.0f} KiB"
    return f"{n} bytes"


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        from email.utils import parsedate_to_datetime

        delta = parsedate_to_datetime(value).timestamp() - time.time()
        return max(0.0, delta)
    except (TypeError, ValueError):
        return None


# --------------------------------------------------------------------------- decoding

_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]*encoding\s*=\s*["']([a-zA-Z0-9_.:-]+)""", re.IGNORECASE)
_LATIN1_ALIASES = {"latin_1", "iso8859-1", "ascii"}


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        info = codecs.lookup(name.strip().strip("\"'"))
    except (LookupError, ValueError):
        return None
    if info.name in ("utf-16", "utf-32", "utf-16-le", "utf-16-be"):
        return info.name
    if info.name in _LATIN1_ALIASES:  # WHATWG: latin-1/ascii labels mean windows-1252
        return "cp1252"
    return info.name


def _try(body: bytes, codec: str | None) -> str | None:
    if not codec:
        return None
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_body(body: bytes, declared_charset: str | None = None, content_type: str | None = None) -> str:
    """Decode a response body without ever raising.

    Order: BOM, declared charset, in-document declaration (<meta charset>, <?xml encoding>),
    UTF-8, then windows-1252 with replacement characters.
    """
    if not body:
        return ""
    if isinstance(body, str):
        return body
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                       (codecs.BOM_UTF16_BE, "utf-16-be")):
        if body.startswith(bom):
            return body[len(bom):].decode(codec, errors="replace")

    declared = _codec(declared_charset)
    if declared == "cp1252":
        # a Latin-1 label on valid non-ASCII UTF-8 is nearly always a server default
        as_utf8 = _try(body, "utf-8")
        if as_utf8 is not None and not body.isascii():
            return as_utf8
    text = _try(body, declared)
    if text is not None:
        return text

    head = body[:4096]
    match = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    if match:
        sniffed = _codec(match.group(1).decode("ascii", "ignore"))
        if sniffed and not sniffed.startswith("utf-16"):
            text = _try(body, sniffed)
            if text is not None:
                return text

    text = _try(body, "utf-8")
    if text is not None:
        return text
    return body.decode("cp1252", errors="replace")
