"""What a fetch gives back: a ``FetchResult``, or a ``FetchError`` that says whether
trying again may help (``transient``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sources.fetching.config import TRANSIENT_HTTP_STATUSES
from sources.fetching.decoding import decode_body

# --------------------------------------------------------------------------- errors


class FetchError(Exception):
    """Base class of every fetch failure. ``transient`` tells the task layer to retry."""

    transient: bool = False
    reason_code: str = "error"

    def __init__(self, message: str, *, url: str | None = None, reason_code: str | None = None):
        super().__init__(message)
        self.message = message
        self.url = url
        if reason_code is not None:
            self.reason_code = reason_code

    def __str__(self) -> str:
        return self.message


class FetchRefused(FetchError):
    """The request violates policy (address, scheme, size, type...). Never retried."""

    transient = False

    def __init__(self, reason_code: str, message: str, *, url: str | None = None):
        super().__init__(message, url=url, reason_code=reason_code)


class FetchTimeout(FetchError):
    transient = True
    reason_code = "timeout"


class FetchConnectionError(FetchError):
    """DNS failure, refused/reset connection, truncated response. Retried."""

    transient = True
    reason_code = "connection"


class FetchTLSError(FetchError):
    """Certificate/handshake failure: retrying soon will not help."""

    transient = False
    reason_code = "tls"


class FetchHTTPError(FetchError):
    """A non-success HTTP status. 5xx, 408, 425 and 429 are transient; other 4xx are not."""

    reason_code = "http_status"

    def __init__(self, status: int, message: str, *, url: str | None = None,
                 retry_after: float | None = None):
        super().__init__(message, url=url)
        self.status = status
        self.retry_after = retry_after
        self.body = b""  # first bytes of the error response, if they could be read
        self.transient = status >= 500 or status in TRANSIENT_HTTP_STATUSES


# --------------------------------------------------------------------------- result


@dataclass
class FetchResult:
    requested_url: str
    final_url: str
    status: int
    headers: dict[str, str]
    content_type: str
    charset: str | None
    body: bytes
    redirects: list[str] = field(default_factory=list)  # URLs that answered with a redirect
    elapsed: float = 0.0  # seconds, whole fetch including redirects
    not_modified: bool = False  # True for a 304 answer to a conditional GET
    ip: str | None = None  # the pinned peer address of the final hop

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")

    @property
    def is_html(self) -> bool:
        return self.content_type in ("text/html", "application/xhtml+xml")

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"

    @property
    def text(self) -> str:
        return decode_body(self.body, self.charset, self.content_type)
