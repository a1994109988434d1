"""Seed the default rating scale.

ClaimReview's ratingValue is numeric and "higher = truer". The five steps of the truth
scale take 5 (True) down to 1 (False), so bestRating is 5 and worstRating is 1.
The two ratings that are not steps on that scale map onto it:

- Misleading = 2, the same as Mostly false: the facts may be accurate but the claim leaves
  a false impression, so a reader should weigh it like a mostly false claim.
- Unproven = 3, the midpoint: the evidence neither establishes nor refutes the claim.

``alternateName`` (the label) is always published next to the number, so the label, not the
number, is what readers and search engines show.
"""

from django.db import migrations

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


def seed_scale(apps, schema_editor):
    Rating = apps.get_model("claims", "Rating")
    for order, (label, value, colour, description) in enumerate(DEFAULT_SCALE, start=1):
        Rating.objects.get_or_create(
            label=label,
            defaults={
                "rating_value": value,
                "colour": colour,
                "description": description,
                "order": order,
            },
        )


def unseed_scale(apps, schema_editor):
    Rating = apps.get_model("claims", "Rating")
    labels = [label for label, *_ in DEFAULT_SCALE]
    # Only ratings no verdict uses; the others are PROTECTed and stay.
    Rating.objects.filter(label__in=labels, verdicts__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("claims", "0004_roles_for_verdicts_and_coverage")]
    operations = [migrations.RunPython(seed_scale, unseed_scale)]
