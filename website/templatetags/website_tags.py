from django import template

from portal import links

register = template.Library()


@register.filter
def absolute_url(path: str) -> str:
    """An absolute address on PORTAL_BASE_URL (Open Graph, feeds), never on the request's Host."""
    return links.absolute_url(path or "/")
