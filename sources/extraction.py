"""Turn a ``FetchResult`` into an ``ExtractedDocument``. Never raises on bad input."""

from __future__ import annotations

import io
import json
import logging
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from sources.fetching import FetchResult, decode_body

logger = logging.getLogger(__name__)

__all__ = ["ExtractedDocument", "extract_document", "parse_datetime_loose"]

MAX_TEXT_CHARS = 500_000
MAX_PDF_PAGES = 300


@dataclass
class ExtractedDocument:
    url: str
    kind: str  # "html" | "pdf" | "text" | "unsupported"
    title: str = ""
    author: str = ""
    published_at: datetime | None = None  # timezone-aware (UTC if the source gave no zone)
    text: str = ""
    language: str = ""  # e.g. "en", "en-gb"; "" if unknown
    site_name: str = ""
    description: str = ""
    problems: list[str] = field(default_factory=list)  # what could not be extracted and why


# --------------------------------------------------------------------------- dates


def parse_datetime_loose(value) -> datetime | None:
    """ISO 8601, RFC 2822, PDF ("D:20220315120000Z") or a date -> aware datetime, else None."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime.combine(value, time(0, 0), tzinfo=UTC)
    text = str(value).strip()
    if not text:
        return None
    pdf = re.fullmatch(r"D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(Z|[+-]\d{2}'?\d{2}'?)?", text)
    if pdf:
        y, mo, d, h, mi, s, tz = pdf.groups()
        iso = f"{y}-{mo or '01'}-{d or '01'}T{h or '00'}:{mi or '00'}:{s or '00'}"
        if tz and tz != "Z":
            iso += tz[:3] + ":" + tz.replace("'", "")[3:5]
        text = iso
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except ValueError:
        parsed = None
    if parsed is None:
        try:
            from email.utils import parsedate_to_datetime

            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            parsed = None
    if parsed is None:
        try:
            from dateutil import parser as dateutil_parser

            parsed = dateutil_parser.parse(text)
        except (ImportError, ValueError, OverflowError, TypeError):
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    if not 1900 <= parsed.year <= 2200:
        return None
    return parsed


# --------------------------------------------------------------------------- HTML


def _html_metadata(html: str) -> dict:
    """Metadata trafilatura does not give precisely: full timestamp, language, og fields."""
    found: dict = {}
    try:
        import lxml.html

        tree = lxml.html.fromstring(html)
    except Exception:  # lxml raises several types on garbage
        return found
    lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    if lang:
        found["language"] = lang.strip()
    metas: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop")
               or meta.get("http-equiv") or "").strip().lower()
        content = (meta.get("content") or "").strip()
        if key and content and key not in metas:
            metas[key] = content
    for key in ("article:published_time", "og:published_time", "datepublished",
                "pubdate", "publishdate", "date", "dc.date", "dcterms.created", "sailthru.date"):
        if key in metas and parse_datetime_loose(metas[key]):
            found["published_at"] = parse_datetime_loose(metas[key])
            break
    if "published_at" not in found:
        for script in tree.iter("script"):
            if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
                continue
            try:
                data = json.loads(script.text)
            except ValueError:
                continue
            stack = [data]
            while stack and "published_at" not in found:
                item = stack.pop()
                if isinstance(item, list):
                    stack.extend(item)
                elif isinstance(item, dict):
                    if "@graph" in item:
                        stack.append(item["@graph"])
                    when = parse_datetime_loose(item.get("datePublished"))
                    if when:
                        found["published_at"] = when
    if "published_at" not in found:
        for node in tree.iter("time"):
            when = parse_datetime_loose(node.get("datetime"))
            if when:
                found["published_at"] = when
                break
    if "language" not in found:
        raw = metas.get("content-language") or metas.get("og:locale") or ""
        if raw:
            found["language"] = raw.split(",")[0].strip().replace("_", "-")
    for key, name in (("og:site_name", "site_name"), ("og:title", "title"),
                      ("author", "author"), ("description", "description"),
                      ("og:description", "description")):
        if key in metas and name not in found:
            found[name] = metas[key]
    title = tree.find(".//title")
    if title is not None and title.text and "title" not in found:
        found["title"] = title.text.strip()
    return found


def _extract_html(result: FetchResult, doc: ExtractedDocument) -> None:
    html = decode_body(result.body, result.charset, result.content_type)
    if not html.strip():
        doc.problems.append("empty HTML body")
        return
    meta = _html_metadata(html)
    extracted = None
    try:
        import trafilatura

        extracted = trafilatura.bare_extraction(
            html, url=result.final_url, with_metadata=True, include_comments=False,
            include_tables=True, favor_recall=True,
        )
    except Exception as exc:  # trafilatura/lxml can fail on pathological input
        doc.problems.append(f"main-text extraction failed: {exc.__class__.__name__}")
        logger.info("trafilatura failed on %s: %r", result.final_url, exc)
    data = {}
    if extracted is not None:
        data = extracted.as_dict() if hasattr(extracted, "as_dict") else dict(extracted)
    doc.text = (data.get("text") or "").strip()
    doc.title = (data.get("title") or meta.get("title") or "").strip()
    doc.author = (data.get("author") or meta.get("author") or "").strip()
    doc.site_name = (data.get("sitename") or meta.get("site_name") or "").strip()
    doc.description = (data.get("description") or meta.get("description") or "").strip()
    doc.language = (data.get("language") or meta.get("language") or "").strip().lower()
    doc.published_at = meta.get("published_at") or parse_datetime_loose(data.get("date"))
    if not doc.text:
        fallback = _plain_text_of_html(html)
        if fallback:
            doc.text = fallback
            doc.problems.append("no main text found; used the whole page text")
        else:
            doc.problems.append("no text found in HTML")


def _plain_text_of_html(html: str) -> str:
    try:
        import lxml.html

        tree = lxml.html.fromstring(html)
        for bad in tree.xpath("//script|//style|//noscript"):
            bad.drop_tree()
        text = tree.text_content()
    except Exception:
        text = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"[ \t\r\f\v]+", " ", re.sub(r"\n\s*\n+", "\n\n", text)).strip()


# --------------------------------------------------------------------------- PDF


def _extract_pdf(result: FetchResult, doc: ExtractedDocument) -> None:
    try:
        import pypdf
    except ImportError:
        doc.problems.append("pypdf is not installed; PDF text not extracted")
        return
    try:
        reader = pypdf.PdfReader(io.BytesIO(result.body), strict=False)
        if reader.is_encrypted:
            try:
                reader.decrypt("")
            except Exception:
                doc.problems.append("PDF is encrypted")
                return
    except Exception as exc:
        doc.problems.append(f"unreadable PDF: {exc.__class__.__name__}: {exc}")
        return
    try:
        info = reader.metadata or {}
        doc.title = str(info.get("/Title") or "").strip()
        doc.author = str(info.get("/Author") or "").strip()
        doc.published_at = parse_datetime_loose(str(info.get("/CreationDate") or "") or None)
    except Exception as exc:
        doc.problems.append(f"PDF metadata unreadable: {exc.__class__.__name__}")
    parts: list[str] = []
    try:
        pages = reader.pages
        count = len(pages)
        for index in range(min(count, MAX_PDF_PAGES)):
            try:
                parts.append(pages[index].extract_text() or "")
            except Exception as exc:
                doc.problems.append(f"page {index + 1} unreadable: {exc.__class__.__name__}")
            if sum(len(p) for p in parts) > MAX_TEXT_CHARS:
                doc.problems.append("PDF text truncated")
                break
        if count > MAX_PDF_PAGES:
            doc.problems.append(f"only the first {MAX_PDF_PAGES} of {count} pages read")
    except Exception as exc:
        doc.problems.append(f"PDF pages unreadable: {exc.__class__.__name__}")
    doc.text = "\n\n".join(p.strip() for p in parts if p.strip())
    if not doc.text:
        doc.problems.append("no text layer in PDF (scanned?)")
    if not doc.title and doc.text:
        doc.title = doc.text.splitlines()[0][:300]


# --------------------------------------------------------------------------- entry point


def extract_document(result: FetchResult) -> ExtractedDocument:
    """Title, author, published_at, text, language and site name from a fetched page."""
    doc = ExtractedDocument(url=getattr(result, "final_url", "") or "", kind="unsupported")
    try:
        content_type = (result.content_type or "").lower()
        if getattr(result, "not_modified", False) or not result.body:
            doc.kind = "html" if "html" in content_type else doc.kind
            doc.problems.append("empty body (not modified or no content)")
            return doc
        if content_type in ("text/html", "application/xhtml+xml"):
            doc.kind = "html"
            _extract_html(result, doc)
        elif content_type == "application/pdf":
            doc.kind = "pdf"
            _extract_pdf(result, doc)
        elif content_type.startswith("text/"):
            doc.kind = "text"
            doc.text = decode_body(result.body, result.charset, content_type).strip()
            first = doc.text.splitlines()[0].strip() if doc.text else ""
            doc.title = first[:300]
        else:
            doc.problems.append(f"no extractor for {content_type or 'unknown content type'}")
    except Exception as exc:  # last line of defence: never raise
        logger.exception("extraction failed for %s", doc.url)
        doc.problems.append(f"extraction failed: {exc.__class__.__name__}: {exc}")
    if len(doc.text) > MAX_TEXT_CHARS:
        doc.text = doc.text[:MAX_TEXT_CHARS]
        doc.problems.append("text truncated")
    return doc
