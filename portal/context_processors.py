from portal.models import SiteProfile


def site(request):
    return {"site": SiteProfile.current()}
