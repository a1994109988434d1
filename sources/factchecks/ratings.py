"""A publisher's rating on our scale: the admin's mapping table first, then the defaults for
common English ratings, then the numeric rating when the text says nothing we know.

Our scale's labels are the desk's (``claims``' default scale): True, Mostly true, Half true,
Mostly false, False, Misleading, Unproven. ``sources`` never imports ``claims``, so the
labels are plain strings here; the desk shows them with its own colours.
"""

from __future__ import annotations

import re

#: Lower-case textual ratings seen across fact-checkers, and what they mean on our scale.
DEFAULT_MAPPINGS: dict[str, str] = {
    "false": "False", "fake": "False", "incorrect": "False", "wrong": "False", "untrue": "False",
    "pants on fire": "False", "fabricated": "False", "hoax": "False", "four pinocchios": "False",
    "mostly false": "Mostly false", "mostly untrue": "Mostly false", "partly false": "Mostly false",
    "partially false": "Mostly false", "three pinocchios": "Mostly false",
    "misleading": "Misleading", "missing context": "Misleading", "out of context": "Misleading",
    "distorts the facts": "Misleading", "exaggerated": "Misleading", "spins the facts": "Misleading",
    "half true": "Half true", "half-true": "Half true", "mixture": "Half true", "mixed": "Half true",
    "partly true": "Half true", "partially true": "Half true", "two pinocchios": "Half true",
    "mostly true": "Mostly true", "mostly correct": "Mostly true", "one pinocchio": "Mostly true",
    "true": "True", "correct": "True", "accurate": "True", "geppetto checkmark": "True",
    "unproven": "Unproven", "unverified": "Unproven", "unsupported": "Unproven",
    "no evidence": "Unproven", "unsubstantiated": "Unproven", "research in progress": "Unproven",
    # The languages of the desk's sources: German, French, Spanish, Russian, Chinese.
    "falsch": "False", "größtenteils falsch": "Mostly false", "irreführend": "Misleading",
    "halb wahr": "Half true", "größtenteils richtig": "Mostly true", "richtig": "True",
    "unbelegt": "Unproven",
    "faux": "False", "plutôt faux": "Mostly false", "trompeur": "Misleading", "vrai": "True",
    "falso": "False", "engañoso": "Misleading", "verdadero": "True",
    "ложь": "False", "фейк": "False", "неправда": "False", "манипуляция": "Misleading", "правда": "True",
    "错误": "False", "虚假": "False", "谣言": "False", "误导": "Misleading", "正确": "True",
}

#: Numeric ratings (0 = worst, 1 = best) to our scale, for ratings without a known text.
_NUMERIC_BANDS = ((0.2, "False"), (0.4, "Mostly false"), (0.6, "Half true"), (0.8, "Mostly true"),
                  (1.0, "True"))


def rating_key(textual: str) -> str:
    """The form mappings are matched in: lower case, single spaces, no end punctuation."""
    return re.sub(r"\s+", " ", textual or "").strip().strip(".!").strip().lower()


def rating_mappings() -> dict[tuple[str, str], str]:
    """The admin's table, read once for a batch: (textual rating, publisher) -> our label."""
    from sources.factchecks.models import RatingMapping

    return {(text, publisher): label for text, publisher, label
            in RatingMapping.objects.values_list("textual_rating", "publisher", "normalised_rating")}


def rating_normalise(*, textual: str, publisher: str = "", value: float | None = None,
                     best: float | None = None, worst: float | None = None,
                     mappings: dict[tuple[str, str], str] | None = None) -> str:
    """The label on our scale, or "" when nothing says. ``mappings`` is the admin's table
    (``rating_mappings()``), read here when not given."""
    mappings = rating_mappings() if mappings is None else mappings
    key = rating_key(textual)
    if key:
        label = mappings.get((key, publisher)) or mappings.get((key, ""))
        if label:
            return label
        if key in DEFAULT_MAPPINGS:
            return DEFAULT_MAPPINGS[key]
    return _numeric(value, best, worst)


def _numeric(value: float | None, best: float | None, worst: float | None) -> str:
    if value is None or best is None or worst is None or best == worst:
        return ""
    share = (value - worst) / (best - worst)
    if not 0 <= share <= 1:
        return ""
    return next(label for bound, label in _NUMERIC_BANDS if share <= bound)
