"""The default rating scale (also seeded by migration 0005, which keeps its own frozen copy).

ratingValue: higher = truer. True 5 … False 1, so bestRating 5 and worstRating 1.
Misleading = 2 (weighed like Mostly false: accurate parts, false impression);
Unproven = 3 (the midpoint: neither established nor refuted).
"""

from __future__ import annotations

from claims.models import Rating

DEFAULT_SCALE = [
    # label, rating_value, colour, description
    ("True", 5, "#14663a", "The claim is accurate and nothing significant is missing."),
    ("Mostly true", 4, "#2f6b1f", "Accurate, but needs clarification or additional information."),
    ("Half true", 3, "#6b5600", "Partially accurate; leaves out important details or takes things out of context."),
    ("Mostly false", 2, "#a34a00", "Contains an element of truth but ignores facts that would give a different impression."),
    ("False", 1, "#9b1c1c", "The claim is not accurate."),
    ("Misleading", 2, "#6b2d86", "Built on accurate facts but framed to leave a false impression."),
    ("Unproven", 3, "#4a5565", "The available evidence neither establishes nor refutes the claim."),
]


def ensure_default_scale() -> None:
    """Create the default ratings if the table is empty (a flushed test database, a fresh
    demo). Never touches a scale the Admin has edited."""
    if Rating.objects.exists():
        return
    for order, (label, value, colour, description) in enumerate(DEFAULT_SCALE, start=1):
        Rating.objects.get_or_create(
            label=label,
            defaults={"rating_value": value, "colour": colour, "description": description, "order": order},
        )
