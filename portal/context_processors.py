from portal.models import SiteProfile


def site(request):
    return {"site": SiteProfile.current()}


def csrf_placeholder(request):
    """While a page is rendered for the shared cache, its CSRF token is a placeholder
    (``portal.pagecache`` puts each visitor's own token in its place)."""
    from portal import pagecache

    if pagecache.rendering_for_cache(request):
        return {"csrf_token": pagecache.CSRF_PLACEHOLDER}
    return {}
