"""Denial and assertion cues: a small, explainable layer applied after the stance model.

The FNC-1 model learned from long article bodies whose headline is the claim; newsroom
coverage is a title plus a lede, and the pairs an editor cares most about are a party's
*denial* ("Kremlin denies asking China for military help", "calls reports disinformation",
"says it has never heard of …"). The model mostly calls those ``discuss`` (or even ``agree``,
since the body repeats every claim word). This layer reads only the title and the first few
sentences and changes the label when a sentence there

* talks about the claim: it contains at least :data:`MIN_COVERAGE` of the claim's key
  concepts (claim content words, with demonyms and a few newsroom paraphrases folded
  together: "asked"/"sought"/"request", "assistance"/"aid"/"help", "Chinese" ~ "China"), and
* carries a denial cue (deny, dismissed, rejected, untrue, "not true", false, baseless,
  disinformation, "fake news", "never heard of", … or a negated claim verb: "had not asked")
  → ``disagree`` (product: *denies*); or
* states the claim's content as fact or with corroborating evidence ("documents show",
  "confirmed", "cable says", "officials say" …) with no hedge, no denial and no question
  → ``agree`` (product: *supports*), only where the model already said ``discuss``.

Claims that are themselves denials ("X denies Y") are left to the model: a denial of a
denial is not something a word list can get right. The confidence of a cue label is the
cue's hand-set ceiling (see :data:`DENIAL_PRECISION`), scaled by how much of the claim the
sentence covers; ``StancePrediction.cue`` says which cue fired so the UI/tests can explain it.

Pure Python, no Django; a few microseconds per pair.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claims.corroboration.stance import _TOKEN_RE, STOP_WORDS

#: Share of the claim's key concepts a lead sentence must contain for its cues to count.
MIN_COVERAGE = 0.5
#: A sentence overriding an ``unrelated`` model label must cover this much of the claim.
MIN_COVERAGE_UNRELATED = 0.7
#: How many sentences (title first) are read.
LEAD_SENTENCES = 4
HEADLINE_CHARS = 160
#: Pairs the model calls unrelated with at least this probability are not read at all.
SKIP_UNRELATED_ABOVE = 0.99

#: The model must give ``agree`` at least this probability before an assertion cue turns
#: its ``discuss`` into ``agree`` (on the FNC-1 hold-out, lower lets hedged reports through).
AGREE_MIN_PROBABILITY = 0.05

#: Ceilings of a cue label's confidence. Set by hand, not measured: on the FNC-1 hold-out the
#: denial cue fires too rarely to estimate its precision (about 9 pairs, 4 right), and the
#: practice set (tests/coverage/test_stance_practice.py, 8 of 8 denials right) is small.
#: Kept below the model's typical confidence so a cue label never looks surer than it is.
DENIAL_PRECISION = 0.8
ASSERTION_PRECISION = 0.7

# The stance model's tokens and stop words, so both read a text the same way ("new" is
# no help in telling whether a sentence is about a claim).
_WORD_RE = _TOKEN_RE
# Sentence ends after a lower-case word or a digit, so "U.S. officials" stays one sentence.
_SENT_RE = re.compile(r"(?<=[a-z0-9'\")\u2019][.!?])\s+(?=[A-Z\"'\u2018\u201c])|\n+")

_STOP = STOP_WORDS | {"new"}

#: Newsroom paraphrases folded into one concept (kept small and generic on purpose).
_CONCEPTS = {
    **dict.fromkeys(
        "ask asks asked asking request requests requested requesting sought seek seeks seeking".split(),
        "~ask",
    ),
    **dict.fromkeys("aid assistance help support supplies backing".split(), "~aid"),
    **dict.fromkeys("weapons weapon arms munitions".split(), "~arms"),
    **dict.fromkeys("killed kill kills dead died dies death".split(), "~die"),
    **dict.fromkeys("banned ban bans banning prohibited prohibits".split(), "~ban"),
    **dict.fromkeys("arrested arrest arrests detained".split(), "~arrest"),
}

_DENIAL_RE = re.compile(
    r"\b(?:den(?:y|ies|ied|ying|ial)|(?:dismiss(?:es|ed|ing)?|reject(?:s|ed|ing)?) "
    r"(?:\w+ ){0,3}?(?:reports?|claims?|allegations?|accusations?|suggestions?|rumou?rs?|"
    r"stor(?:y|ies)|it|them|as)|"
    r"refut(?:e|es|ed|ing)|rebut(?:s|ted)?|debunk(?:s|ed|ing)?|untrue|not true|"
    r"false(?:ly|hood)?|baseless|groundless|unfounded|disinformation|misinformation|"
    r"fake news|fabricat(?:ed|ion)|never heard|no knowledge|no evidence|nonsense|hoax|"
    r"lies|a lie)\b"
)
_NEGATORS = frozenset("not never".split())
#: Evidence for the claim's content, anywhere in the lead.
_EVIDENCE_RE = re.compile(
    r"\b(?:confirm(?:s|ed)|(?:documents?|records?|data|evidence|footage|images?|cables?|"
    r"intelligence|photos?|video) (?:\w+ ){0,3}?(?:show(?:s|ed)?|reveal(?:s|ed)?|says?|said)|"
    r"acknowledg(?:es|ed)|admit(?:s|ted)|proved|proves)\b"
)
#: Attribution that states the content as reported fact ("U.S. officials say Russia asked …"):
#: only in a headline, where wires put what they treat as established.
_ATTRIBUTION_RE = re.compile(
    r"\b(?:officials?|sources?|ministry|government|police|report|cable|study|data) "
    r"(?:say|says|said|show|shows|find|finds|found)\b|\b(?:says?|said) (?:officials?|sources?)\b"
)
_HEDGE_RE = re.compile(
    r"\b(?:whether|if|reportedly|allegedly|alleged|claims?|claimed|rumou?rs?|unconfirmed|"
    r"unverified|might|may|could|possibl[ey]|reports?|speculat\w*|disagree|weigh)\b|\?"
)


@dataclass(frozen=True)
class CueResult:
    label: str  # "disagree" or "agree"
    coverage: float  # share of the claim's concepts in the cue sentence
    cue: str  # what fired, for explanations ("denial: 'denies'")

    def confidence(self, precision: float) -> float:
        return round(precision * min(1.0, 0.5 + self.coverage / 2), 4)


def _words(text: str) -> list[str]:
    return _WORD_RE.findall(text.lower().replace("\u2019", "'"))


def _concept(word: str) -> str:
    return _CONCEPTS.get(word, word)


def _same(a: str, b: str) -> bool:
    """Exact, or one word a close prefix of the other (Russia/Russian, China/Chinese)."""
    if a == b:
        return True
    if a.startswith("~") or b.startswith("~"):
        return False
    if a.isdigit() or b.isdigit():
        return False
    short, long_ = sorted((a, b), key=len)
    if len(short) < 4:
        return False
    n = 0
    for x, y in zip(short, long_, strict=False):
        if x != y:
            break
        n += 1
    # Demonyms and inflections only: Russia/Russian, China/Chinese, Ukraine/Ukrainian,
    # drone/drones; not gives/given.
    return (
        n >= 4
        and n >= 0.8 * len(short)
        and short[n:] in ("", "a", "e")
        and long_[n:] in ("n", "an", "ian", "ese", "s", "es", "d", "ed", "ing", "ish", "i")
    )


class ClaimTerms:
    """The claim's key concepts, and which of them are not names (candidate predicates)."""

    def __init__(self, claim: str):
        raw = re.findall(r"[A-Za-z0-9]+(?:'[a-z]+)?", claim)
        concepts: dict[str, bool] = {}
        for word in raw:
            low = word.lower()
            if low in _STOP or len(low) < 2:
                continue
            is_name = word[0].isupper()
            concepts.setdefault(_concept(low), is_name)
        self.concepts = list(concepts)
        self.predicates = [c for c, is_name in concepts.items() if not is_name]
        low = " ".join(_words(claim))
        # A claim that is itself a denial or a question: a word list cannot tell who agrees.
        self.is_denial = bool(
            _DENIAL_RE.search(low)
            or any(w in _NEGATORS or w.endswith("n't") for w in low.split())
            or re.search(r"\bno\b", low)
            or claim.rstrip().endswith("?")
            or _HEDGE_RE.search(claim.lower())
        )

    def matched(self, words: list[str]) -> set[str]:
        found = set()
        doc = {_concept(w) for w in words}
        for c in self.concepts:
            if c in doc or any(_same(c, w) for w in doc):
                found.add(c)
        return found

    def coverage(self, words: list[str]) -> float:
        if not self.concepts:
            return 0.0
        return len(self.matched(words)) / len(self.concepts)


def _negated_predicate(words: list[str], terms: ClaimTerms) -> str | None:
    """'had not asked', "didn't request": a negator within two words before a claim
    predicate (a non-name claim concept)."""
    for i, w in enumerate(words):
        if w in _NEGATORS or w.endswith("n't") and w != "don't":
            for follower in words[i + 1 : i + 3]:
                c = _concept(follower)
                if any(_same(p, c) for p in terms.predicates):
                    return f"{w} … {follower}"
    return None


_SAYS_RE = re.compile(r"\b(?:says?|said|confirm(?:s|ed)?|shows?|showed)\b")


def _both_sides(before_denial: str, terms: ClaimTerms) -> bool:
    """The words before the denial already state the claim, attributed and unhedged."""
    return bool(
        _SAYS_RE.search(before_denial)
        and not _HEDGE_RE.search(before_denial)
        and terms.coverage(before_denial.split()) >= MIN_COVERAGE
    )


def lead_sentences(document: str, limit: int = LEAD_SENTENCES) -> list[str]:
    sents = [s.strip() for s in _SENT_RE.split(document[:3000]) if s and s.strip()]
    return sents[:limit]


def detect(claim: str | ClaimTerms, document: str) -> CueResult | None:
    """The strongest cue in the document's title/lede about this claim, if any."""
    terms = claim if isinstance(claim, ClaimTerms) else ClaimTerms(claim)
    if len(terms.concepts) < 2:
        return None
    best: CueResult | None = None
    first_line, newline, _rest = document.partition("\n")
    # A product document is "title\nsummary\ntext"; an FNC-1 body starts with a paragraph.
    is_headline = bool(newline) and len(first_line.strip()) <= HEADLINE_CHARS
    for index, sentence in enumerate(lead_sentences(document)):
        words = _words(sentence)
        coverage = terms.coverage(words)
        if coverage < MIN_COVERAGE or len(terms.matched(words)) < 2:
            continue
        low = " ".join(words)
        denial = _DENIAL_RE.search(low)
        negated = None if denial else _negated_predicate(words, terms)
        if denial and _both_sides(low[: denial.start()], terms):
            continue  # "U.S. says X; Beijing denies it": both sides, leave it to the model
        if (denial or negated) and not terms.is_denial:
            cue = f"denial: '{denial.group(0)}'" if denial else f"denial: '{negated}'"
            result = CueResult("disagree", coverage, cue)
            if best is None or best.label != "disagree" or coverage > best.coverage:
                best = result
            continue
        if best is not None and best.label == "disagree":
            continue
        assertion = _EVIDENCE_RE.search(low) or (
            index == 0 and is_headline and _ATTRIBUTION_RE.search(low)
        )
        if assertion and not _HEDGE_RE.search(sentence.lower()) and not terms.is_denial:
            if best is None or coverage > best.coverage:
                best = CueResult("agree", coverage, f"assertion: '{assertion.group(0)}'")
    return best


def apply(
    label: str, probabilities: dict[str, float], cue: CueResult | None
) -> tuple[str, float | None]:
    """The layered FNC label for one pair and, when a cue changed it, its confidence."""
    if cue is None:
        return label, None
    if cue.label == "disagree":
        if label == "disagree":
            return label, None
        if label != "unrelated" or cue.coverage >= MIN_COVERAGE_UNRELATED:
            return "disagree", cue.confidence(DENIAL_PRECISION)
        return label, None
    if label == "discuss" and probabilities.get("agree", 0.0) >= AGREE_MIN_PROBABILITY:
        return "agree", cue.confidence(ASSERTION_PRECISION)
    return label, None
