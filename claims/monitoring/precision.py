"""Live precision of the coverage model, from the desk's decisions, beside the offline figures.

Every decided suggestion is a label. A suggestion is *right* when the desk accepted it and
its predicted stance stood (no reviewer corrected it); it is *wrong* when it was dismissed
(not coverage of the claim) or accepted with the stance corrected. Precision = right /
decided, per predicted stance and per article language, over the window, with the count
behind it and a 95 % Wilson score interval (honest for small counts, never outside 0-1).

The offline figures are those the training command wrote into the model's metadata
(``claims/corroboration/artifacts/stance_model.json``): per stance, the precision on its
held-out test sets (related pairs only, so it measures the stance alone); per language, the
precision on the multilingual practice set. They are read, never recomputed here.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db import connection

from claims.models.coverage import CoverageStance

Z_95 = 1.959964
#: The model's own labels for the product's stances (claims.corroboration.core.labels).
MODEL_LABEL = {"supports": "agree", "denies": "disagree", "discusses": "discuss"}
MODEL_ORDER = ("agree", "disagree", "discuss", "unrelated")
OFFLINE_TEST_SETS = ("emergent", "fnc")


def wilson_interval(right: int, total: int, z: float = Z_95) -> tuple[float, float] | None:
    """The Wilson score interval of a proportion; None without observations."""
    if total <= 0:
        return None
    p = right / total
    denominator = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denominator
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class Precision:
    group: str  # a stance's label, a language code, or "All"
    decided: int
    right: int
    offline: float | None
    offline_pairs: int | None

    @property
    def precision(self) -> float | None:
        return self.right / self.decided if self.decided else None

    @property
    def interval(self) -> tuple[float, float] | None:
        return wilson_interval(self.right, self.decided)


@dataclass(frozen=True)
class LivePrecision:
    since: datetime
    overall: Precision
    by_stance: list[Precision]
    by_language: list[Precision]


def live_precision(*, since: datetime) -> LivePrecision:
    """One query: decided suggestions since ``since``, grouped by stance, by language and all."""
    sql = """
        SELECT GROUPING(s.stance) AS no_stance, GROUPING(lang.code) AS no_language,
               s.stance, lang.code, count(*) AS decided,
               count(*) FILTER (WHERE s.status = 'accepted'
                                AND (s.corrected_stance = '' OR s.corrected_stance = s.stance)) AS right
        FROM claims_coveragesuggestion s
        JOIN sources_document d ON d.id = s.document_id
        CROSS JOIN LATERAL (SELECT coalesce(nullif(d.language, ''), 'unknown') AS code) AS lang
        WHERE s.status IN ('accepted', 'dismissed') AND s.decided_at >= %(since)s
        GROUP BY GROUPING SETS ((s.stance), (lang.code), ())
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, {"since": since})
        rows = cursor.fetchall()
    offline = offline_figures()
    stance_counts, language_counts, overall = {}, {}, (0, 0)
    for no_stance, no_language, stance, language, decided, right in rows:
        if no_stance and no_language:
            overall = (decided, right)
        elif not no_stance:
            stance_counts[stance] = (decided, right)
        else:
            language_counts[language] = (decided, right)
    by_stance = []
    for stance in CoverageStance:
        decided, right = stance_counts.get(stance.value, (0, 0))
        figure = offline["stance"].get(stance.value)
        by_stance.append(Precision(str(stance.label), decided, right, *(figure or (None, None))))
    by_language = []
    for language in sorted(set(language_counts) | set(offline["language"])):
        decided, right = language_counts.get(language, (0, 0))
        figure = offline["language"].get(language)
        by_language.append(Precision(language, decided, right, *(figure or (None, None))))
    return LivePrecision(since=since, overall=Precision("All", *overall, None, None),
                         by_stance=by_stance, by_language=by_language)


def stance_metadata_path() -> Path:
    return Path(getattr(settings, "STANCE_MODEL_METADATA",
                        Path(settings.BASE_DIR) / "claims/corroboration/artifacts/stance_model.json"))


def _column_precision(matrix: list[list[int]], label: str) -> tuple[float, int] | None:
    j = MODEL_ORDER.index(label)
    predicted = sum(row[j] for row in matrix)
    return (matrix[j][j] / predicted, predicted) if predicted else None


def _related_precision(matrix: list[list[int]]) -> tuple[float, int] | None:
    """Right stance among pairs predicted supports, denies or discusses."""
    related = [MODEL_ORDER.index(label) for label in MODEL_LABEL.values()]
    predicted = sum(matrix[i][j] for i in range(len(matrix)) for j in related)
    right = sum(matrix[j][j] for j in related)
    return (right / predicted, predicted) if predicted else None


@lru_cache(maxsize=4)
def _offline_from(path: str, mtime: float) -> dict:
    try:
        metadata = json.loads(Path(path).read_text())
        tests = metadata.get("report") or metadata["test"]  # "test" in metadata before 2026-11-30
    except (OSError, ValueError, KeyError, AttributeError):
        return {"stance": {}, "language": {}}
    size = len(MODEL_ORDER)
    pooled = [[0] * size for _ in range(size)]
    for name in OFFLINE_TEST_SETS:
        for i, row in enumerate((tests.get(name) or {}).get("confusion") or []):
            for j, count in enumerate(row):
                pooled[i][j] += count
    stance = {product: figure for product, model in MODEL_LABEL.items()
              if (figure := _column_precision(pooled, model))}
    language = {code: figure for code, result in (tests.get("practice_by_language") or {}).items()
                if (figure := _related_precision(result.get("confusion") or []))}
    return {"stance": stance, "language": language}


def offline_figures() -> dict:
    """{"stance": {stance: (precision, pairs)}, "language": {code: (precision, pairs)}}."""
    path = stance_metadata_path()
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return {"stance": {}, "language": {}}
    return _offline_from(str(path), mtime)
