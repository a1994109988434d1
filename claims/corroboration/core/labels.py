"""The stance vocabularies, as enums: the model's (FNC-1) labels and the product's."""

from __future__ import annotations

from enum import StrEnum


class ModelStance(StrEnum):
    """What the stance model predicts (FNC-1 / Emergent labels)."""

    AGREE = "agree"
    DISAGREE = "disagree"
    DISCUSS = "discuss"
    UNRELATED = "unrelated"


class ProductStance(StrEnum):
    """What editors see on a coverage suggestion (``CoverageSuggestion.stance``)."""

    SUPPORTS = "supports"
    DENIES = "denies"
    DISCUSSES = "discusses"


#: The model's labels in the order of every probability vector.
MODEL_LABELS: tuple[ModelStance, ...] = tuple(ModelStance)
RELATED_LABELS: tuple[ModelStance, ...] = (
    ModelStance.AGREE, ModelStance.DISAGREE, ModelStance.DISCUSS
)

#: How the product names each model stance (``unrelated`` is not coverage either way).
PRODUCT_STANCE: dict[str, ProductStance | None] = {
    ModelStance.AGREE: ProductStance.SUPPORTS,
    ModelStance.DISAGREE: ProductStance.DENIES,
    ModelStance.DISCUSS: ProductStance.DISCUSSES,
    ModelStance.UNRELATED: None,
}
