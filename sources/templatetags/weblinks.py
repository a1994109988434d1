"""``{{ url|web_url }}``: the URL if it is a web address (http or https), else "".

Every stored URL is validated on the way in (sources.validators), but rows written before
that rule, or by hand in the database, may still hold ``javascript:`` and the like. Templates
make a link only when this filter says so; otherwise they show the text, inert.
"""

from django import template

from sources.validators import is_web_url

register = template.Library()


@register.filter
def web_url(value) -> str:
    return value if is_web_url(value) else ""
