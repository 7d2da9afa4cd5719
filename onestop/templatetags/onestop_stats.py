"""Template filters of the statistics page."""

from django import template
from django.utils.formats import get_format

register = template.Library()


@register.filter
def grouped(value):
    """An integer with its thousands grouped as the language writes them (123.833 in Vietnamese).

    ``intcomma`` does not group for Vietnamese: Django's locale sets no NUMBER_GROUPING.
    """
    try:
        return f"{int(value):,}".replace(",", get_format("THOUSAND_SEPARATOR"))
    except (TypeError, ValueError):
        return value
