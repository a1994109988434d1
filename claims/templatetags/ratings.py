"""Template helpers for rating badges."""

from django import template

from claims.reviewing.selectors import ink_for

register = template.Library()


@register.filter
def ink_on(colour: str) -> str:
    """The text colour that stays readable on a rating's Admin-chosen background colour."""
    return ink_for(colour or "")
