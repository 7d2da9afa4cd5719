"""A citizen's account page: the dossiers filed with it (signing in is the kernel's, ``portal.accounts``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path
from django.views.decorators.cache import never_cache

from onestop.selectors import citizen_dossiers, public_status


@never_cache
@login_required(login_url="citizen_login")
def my_dossiers(request):
    rows = [{"dossier": d, "status_text": public_status(d)} for d in citizen_dossiers(request.user)]
    return render(request, "onestop/account/dossiers.html", {"rows": rows, "is_staff": request.user.is_staff})


urlpatterns = [
    path("tai-khoan/ho-so/", my_dossiers, name="my_dossiers"),
]
