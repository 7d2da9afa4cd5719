from django.conf import settings

from portal.models import SiteProfile


def site(request):
    # The language switch names each language in its own words (settings.LANGUAGES, in NFC),
    # not translated into the page's language as Django's get_available_languages does.
    return {"site": SiteProfile.current(), "language_links": settings.LANGUAGES}


def csrf_placeholder(request):
    """While a page is rendered for the shared cache, its CSRF token is a placeholder
    (``portal.pagecache`` puts each visitor's own token in its place)."""
    from portal import pagecache

    if pagecache.rendering_for_cache(request):
        return {"csrf_token": pagecache.CSRF_PLACEHOLDER}
    return {}
