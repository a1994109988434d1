"""Refutation, negation, hedging and support cues in every language the desk reads.

Each language's lists are written once, here, and nowhere else. They are not rules: the
stance model counts them as features (``stance`` feature group ``cues``) and learns from data
how much each kind of cue says. Every text is read against every language's lists, so a
misdetected language loses nothing, and a Russian "опроверг" or a Chinese "否认" fills the
same feature an English "denied" filled in training.

Word lists: an entry ending in ``*`` matches any word it begins ("опроверг*" matches
"опровергли"); other entries match whole words or phrases. Scripts written without spaces
(Chinese, Japanese) match as substrings.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Sequence

from claims.corroboration.core.text import normalize

#: The kinds of cue, in feature order.
KINDS = ("refute", "negation", "hedge", "support")

CUES: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "refute": (
            "deny*", "denies", "denied", "denial*", "dismiss*", "reject*", "refut*", "rebut*",
            "debunk*", "untrue", "not true", "false*", "fake*", "hoax*", "fabricat*", "baseless",
            "groundless", "unfounded", "disinformation", "misinformation", "lie", "lies", "lying",
            "nonsense", "bogus", "myth", "rumor*", "rumour*", "retract*", "satir*", "misleading",
            "incorrect", "wrong", "never heard", "no evidence", "no knowledge", "prank*",
            "dispute*", "contrary", "no such",
        ),
        "negation": (
            "not", "no", "never", "nor", "neither", "without", "none", "nothing", "isn't",
            "wasn't", "didn't", "doesn't", "don't", "aren't", "won't", "weren't", "hasn't",
            "haven't", "hadn't", "cannot", "can't", "couldn't",
        ),
        "hedge": (
            "reportedly", "allegedly", "alleged", "claim", "claims", "claimed", "according",
            "apparently", "purported*", "supposedly", "may", "might", "could", "possibl*",
            "perhaps", "unconfirmed", "unverified", "report", "reports", "suggest*", "appear*",
            "seem*", "speculat*", "whether", "if", "unclear", "rumoured", "rumored", "sources",
            "investigat*", "likely",
        ),
        "support": (
            "confirm*", "official*", "announc*", "reveal*", "show", "shows", "showed", "shown",
            "proof", "prove*", "proved", "indeed", "actually", "verified", "acknowledg*",
            "admit*", "evidence", "documents", "footage", "photos", "video", "witnesses",
        ),
    },
    "ru": {
        "refute": (
            "опроверг*", "опровер*", "отрица*", "отверг*", "отвергл*", "ложн*", "ложь", "фейк*",
            "дезинформаци*", "неправд*", "выдумк*", "вымысел", "слух*", "клевет*", "абсурд*",
            "беспочвенн*", "голословн*", "не соответству*", "провокаци*", "нелеп*",
        ),
        "negation": ("не", "нет", "никогда", "ни", "без", "ничего", "никак*"),
        "hedge": (
            "якобы", "предположительно", "возможно", "по данным", "по словам", "сообща*",
            "утвержда*", "может", "мог*", "вероятно", "неподтвержд*", "источник*",
            "по сведениям", "ли",
        ),
        "support": (
            "подтверд*", "подтвержд*", "официальн*", "доказ*", "признал*", "признa*",
            "документ*", "видео", "свидетел*", "показал*", "действительно",
        ),
    },
    "uk": {
        "refute": (
            "спростов*", "заперечу*", "заперечи*", "відкин*", "неправд*", "фейк*",
            "дезінформаці*", "брехн*", "вигадк*", "чутк*",
        ),
        "negation": ("не", "ні", "ніколи", "без", "нічого"),
        "hedge": ("нібито", "можливо", "за даними", "за словами", "повідомля*", "ймовірно"),
        "support": ("підтверд*", "офіційн*", "доказ*", "визна*", "документ*"),
    },
    "zh": {
        "refute": (
            "否认", "驳斥", "反驳", "辟谣", "谣言", "虚假", "假消息", "假新闻", "不实", "捏造",
            "造谣", "抹黑", "无中生有", "子虚乌有", "纯属", "错误信息", "虚假信息", "毫无根据",
            "从未听说", "闻所未闻", "没有根据", "拒绝接受", "否定",
        ),
        "negation": ("没有", "从未", "并非", "并未", "不是", "未曾", "绝不"),
        "hedge": ("据报道", "据称", "据悉", "据报", "可能", "或许", "是否", "传言", "消息人士",
                  "据说", "疑似", "声称", "称"),
        "support": ("证实", "确认", "官方", "证据", "显示", "表明", "文件", "视频", "承认",
                    "宣布"),
    },
    "ja": {
        "refute": ("否定", "否認", "反論", "デマ", "虚偽", "偽情報", "誤報", "事実無根"),
        "negation": ("ない", "なかった", "ません"),
        "hedge": ("によると", "とされる", "可能性", "報道"),
        "support": ("確認", "認めた", "証拠", "公式"),
    },
    "fr": {
        "refute": ("dément*", "démenti*", "nie", "nient", "nié", "rejett*", "réfut*", "faux",
                   "fausse*", "infox", "désinformation", "mensonge*", "rumeur*", "infondé*",
                   "canular*"),
        "negation": ("ne", "pas", "jamais", "aucun*", "sans", "non"),
        "hedge": ("selon", "aurait", "auraient", "présumé*", "prétendu*", "peut-être",
                  "possible*", "rapport*"),
        "support": ("confirm*", "officiel*", "preuve*", "reconnu*", "documents", "vidéo"),
    },
    "de": {
        "refute": ("dementi*", "bestreit*", "bestritt*", "weist zurück", "zurückgewiesen",
                   "falsch*", "fake*", "desinformation", "lüge*", "gerücht*", "unbegründet*",
                   "widerleg*"),
        "negation": ("nicht", "nie", "niemals", "kein*", "ohne"),
        "hedge": ("angeblich", "laut", "soll", "sollen", "möglicherweise", "vermutlich",
                  "berichten", "bericht*"),
        "support": ("bestätig*", "offiziell*", "beweis*", "belegt", "dokumente", "video"),
    },
    "es": {
        "refute": ("niega*", "negó", "desmient*", "desmintió", "rechaz*", "refut*", "falso*",
                   "falsa*", "bulo*", "desinformación", "mentira*", "rumor*", "infundad*"),
        "negation": ("no", "nunca", "jamás", "ningún", "ninguna", "sin"),
        "hedge": ("supuestamente", "presunt*", "según", "habría", "posible*", "quizás",
                  "informes"),
        "support": ("confirm*", "oficial*", "prueba*", "reconoci*", "documentos", "vídeo"),
    },
}


def _is_cjk(entry: str) -> bool:
    return any("\u3040" <= ch <= "\u9fff" for ch in entry)


class _Matcher:
    """One kind's cues of every language, compiled for speed: exact words in a set, word
    beginnings as a tuple for ``str.startswith``, phrases and CJK entries as small regexes."""

    def __init__(self, entries: set[str]):
        words, prefixes, phrases, cjk = set(), [], [], []
        for entry in (normalize(e).lower() for e in entries):
            if _is_cjk(entry):
                cjk.append(entry)
            elif " " in entry.strip():
                stem = entry.rstrip("*")
                tail = r"\w*" if entry.endswith("*") else ""
                phrases.append(r"(?<!\w)" + r"\s+".join(map(re.escape, stem.split())) + tail + r"(?!\w)")
            elif entry.endswith("*"):
                prefixes.append(entry[:-1])
            else:
                words.add(entry)
        self.words = frozenset(words)
        self.prefixes = tuple(sorted(prefixes))
        self.phrases = re.compile("|".join(phrases)) if phrases else None
        self.cjk = re.compile("|".join(map(re.escape, sorted(cjk, key=len, reverse=True)))) if cjk else None

    def hits(self, token: str) -> bool:
        return token in self.words or token.startswith(self.prefixes)

    def count_phrases(self, low: str, has_cjk: bool) -> int:
        n = 0
        if self.phrases is not None:
            n += len(self.phrases.findall(low))
        if has_cjk and self.cjk is not None:
            n += len(self.cjk.findall(low))
        return n


_MATCHERS = {kind: _Matcher({e for lists in CUES.values() for e in lists.get(kind, ())})
             for kind in KINDS}
_TOKEN_RE = re.compile(r"[^\W_]+(?:'[^\W\d_]+)?")
_CJK_RE = re.compile("[\u3040-\u9fff]")
# The first words of every phrase, as whole words: a text without one holds no phrase (each
# phrase pattern starts with its first word between a non-word character and a space), and
# one scan for seven words is far cheaper than every kind's phrase pattern.
_PHRASE_HEADS = sorted({normalize(e).lower().split()[0] for lists in CUES.values()
                        for entries in lists.values() for e in entries if " " in e.strip()})
_ANY_PHRASE = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, _PHRASE_HEADS)) + r")(?!\w)"
                         if _PHRASE_HEADS else "(?!)")


def count_cues(text: str | None) -> tuple[int, ...]:
    """How many cues of each kind (in :data:`KINDS` order) the text contains."""
    low = normalize(text).lower()
    if not low:
        return (0,) * len(KINDS)
    has_cjk = _CJK_RE.search(low) is not None
    if has_cjk or _ANY_PHRASE.search(low) is not None:
        counts = [_MATCHERS[kind].count_phrases(low, has_cjk) for kind in KINDS]
    else:
        counts = [0] * len(KINDS)
    for token in _TOKEN_RE.findall(low):
        hits = _token_hits(token)
        if hits is not None:
            for k, hit in enumerate(hits):
                counts[k] += hit
    return tuple(counts)


# Memoised per word: a text's words are looked up once each, not once per kind and prefix.
@functools.lru_cache(maxsize=200_000)
def _token_hits(token: str) -> tuple[int, ...] | None:
    """Which kinds' single-word cues the word is (``None``: none, the common case)."""
    hits = tuple(int(_MATCHERS[kind].hits(token)) for kind in KINDS)
    return hits if any(hits) else None


def count_cues_many(texts: Sequence[str]) -> list[tuple[int, ...]]:
    return [count_cues(t) for t in texts]


def cues_fingerprint() -> str:
    """A hash of every list: part of the stance model's feature schema."""
    return hashlib.sha256(json.dumps(CUES, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
