"""The one text module: tokenizer, stop words, stemmer, sentence splitter and document leads.

Every model in the core reads text through these functions, so that the stance features, the
cue detector and the similar-claims ranker agree on what a word and a sentence are.

Tokens are Unicode words (any script), lower-cased, with curly apostrophes folded. Scripts
written without spaces (Chinese, Japanese) come out as one token per run of characters; the
lexical features only use English text, and everything cross-lingual goes through embeddings.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence

#: Unicode words: letters and digits of any script, with an English clitic ("isn't", "it's").
_TOKEN_RE = re.compile(r"[^\W_]+(?:'[^\W\d_]+)?")
_ASCII_TOKEN_RE = re.compile(r"[a-z0-9]+")

STOP_WORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we
    were what when where which while who whom why will with would you your yours yourself
    yourselves said says say s t new amp rt via""".split()
)


def normalize(text: str | None) -> str:
    """NFKC, curly quotes folded: the form every tokenizer here reads."""
    text = unicodedata.normalize("NFKC", text or "")
    return text.replace("\u2019", "'").replace("\u2018", "'")


def tokenize(text: str | None) -> list[str]:
    """Lower-cased word tokens of any script, plus ``"?"`` when the text asks a question."""
    text = normalize(text)
    tokens = _TOKEN_RE.findall(text.lower())
    if "?" in text or "\uff1f" in text:
        tokens.append("?")
    return tokens


def ascii_words(text: str | None) -> list[str]:
    """``[a-z0-9]+`` words only: the safe vocabulary for building a ``to_tsquery`` string."""
    return _ASCII_TOKEN_RE.findall(normalize(text).lower())


def content_words(tokens: Iterable[str]) -> list[str]:
    """Tokens without stop words, one-letter words and the question marker."""
    return [t for t in tokens if t not in STOP_WORDS and len(t) > 1 and t != "?"]


def content_tokens(text: str | None) -> list[str]:
    return content_words(tokenize(text))


# Memoised: matching stems every word of every document several times, and news text
# repeats a small vocabulary (the cache holds at most this many distinct words).
@functools.lru_cache(maxsize=200_000)
def stem(token: str) -> str:
    """A light English suffix stripper (asked/asks/asking -> ask); other scripts unchanged."""
    for suffix in ("ingly", "edly", "ing", "ies", "ed", "es", "s"):
        if token.endswith(suffix) and len(token) - len(suffix) >= 3:
            return token[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return token


def stems(text: str | None) -> list[str]:
    return [stem(t) for t in content_tokens(text)]


def bigrams(tokens: Sequence[str]) -> set[tuple[str, str]]:
    return set(zip(tokens, tokens[1:], strict=False))


# --- sentences --------------------------------------------------------------------------

# A sentence ends at . ! ? followed by space, at CJK full stops (no space needed) and at
# line breaks. "U.S. officials" and "Mr. Smith" are glued back together below.
_SENT_END_RE = re.compile(r"(?<=[.!?])[\"'\u201d\u00bb)]*\s+|(?<=[\u3002\uff01\uff1f])|\n+")
_ABBREVIATION_RE = re.compile(
    r"(?:\b[A-Za-z]\.(?:[A-Za-z]\.)*|\b(?:Mr|Mrs|Ms|Dr|Prof|Gen|Sen|Rep|Gov|St|Jr|Sr|No|vs|"
    r"etc|Inc|Ltd|Co|Corp|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.)$"
)


def split_sentences(text: str | None, limit: int = 60) -> list[str]:
    """Sentences of any script, at most ``limit``; never empty for a non-blank text."""
    text = normalize(text)
    pieces = [p.strip() for p in _SENT_END_RE.split(text) if p and p.strip()]
    sentences: list[str] = []
    for piece in pieces:
        if sentences and (
            _ABBREVIATION_RE.search(sentences[-1]) or piece[:1].islower() or piece[:1].isdigit()
        ) and not sentences[-1].endswith(("\u3002", "\uff01", "\uff1f")):
            sentences[-1] = f"{sentences[-1]} {piece}"
        else:
            sentences.append(piece)
        if len(sentences) > limit:
            break
    sentences = sentences[:limit]
    if not sentences and text.strip():
        sentences = [text.strip()[:500]]
    return sentences


#: A document's lead, as embedded and read for stance: its headline plus the first sentences
#: of its lede and text, at most this many units and this many characters after the headline.
LEAD_UNITS = 4
LEAD_CHARS = 600
HEADLINE_CHARS = 300


def lead_units(title: str | None, body: str | None, *, units: int = LEAD_UNITS,
               chars: int = LEAD_CHARS) -> list[str]:
    """The headline and the first sentences of the body: what a coverage item says first.

    Bounded in units and characters so that embedding one document costs about the same
    whatever the page's length.
    """
    out: list[str] = []
    title = normalize(title).strip()
    if title:
        out.append(title[:HEADLINE_CHARS])
    budget = chars
    for sentence in split_sentences(body, limit=units * 2):
        if len(out) >= units or budget <= 0:
            break
        if out and sentence == out[0]:
            continue  # a lede that repeats the headline
        piece = sentence[:budget]
        out.append(piece)
        budget -= len(piece)
    return out


#: The one passage a document is embedded as: its headline and the start of its lede, bounded
#: in model tokens (estimated, see :func:`token_estimate`) because the encoder's cost grows
#: with every token: about 1.4 ms per token on one core, so 24 tokens (a headline and a few
#: words of the lede; 40 gave ~7-9 documents a second on a loaded core) aim at 25 a second.
#: The stance model is trained on exactly this passage. Measured by ``coverage_bench``.
PASSAGE_TOKENS = 24

# Scripts the multilingual tokenizer reads about one token per character.
_DENSE_SCRIPT_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def token_estimate(text: str) -> float:
    """Roughly how many subword tokens multilingual-e5's tokenizer makes of ``text``: one
    per CJK/kana/hangul character, one per four characters of anything else."""
    dense = len(_DENSE_SCRIPT_RE.findall(text))
    return dense + (len(text) - dense) / 4.0


def _cut_to_tokens(text: str, budget: float) -> str:
    """The longest prefix of ``text`` within ``budget`` estimated tokens, at a word boundary
    when the text has spaces."""
    if token_estimate(text) <= budget:
        return text
    out, used = [], 0.0
    for ch in text:
        used += 1.0 if _DENSE_SCRIPT_RE.match(ch) else 0.25
        if used > budget:
            break
        out.append(ch)
    cut = "".join(out)
    if " " in cut and not _DENSE_SCRIPT_RE.search(cut[-1:]):
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:")


def lead_passage(title: str | None, body: str | None, *, tokens: int = PASSAGE_TOKENS) -> str:
    """Headline, then the lede's first sentences, as one passage of at most ``tokens``
    estimated tokens: what a coverage item says first, and what it is embedded as."""
    return _cut_to_tokens(" ".join(lead_units(title, body)), tokens)


def document_body(summary: str | None, text: str | None, *, limit: int = 4000) -> str:
    """What a stored document says after its headline: the lede, then the start of the text."""
    summary, text = normalize(summary).strip(), normalize(text).strip()
    if summary and text.startswith(summary[:200]):
        summary = ""  # feeds often repeat the lede as the first paragraph
    return "\n".join(p for p in (summary, text[:limit]) if p)
