"""Refused requests read in the client's protocol under a prefix an app registered, as pages elsewhere."""

from django.http import JsonResponse

from portal import errors


def test_an_app_answers_refused_requests_under_its_prefix(client, db):
    errors.register(
        "/x-machine/", lambda request, status: JsonResponse([{"code": status}], safe=False, status=status)
    )
    try:
        nul = client.get("/x-machine/thing%00.json")
        assert nul.status_code == 400 and nul.json() == [{"code": 400}]
        missing = client.get("/x-machine/nothing-here")
        assert missing.status_code == 404 and missing.json() == [{"code": 404}]
        page = client.get("/elsewhere%00/")
        assert page.status_code == 400 and page["Content-Type"].startswith("text/html")
    finally:
        errors._renderers.pop("/x-machine/", None)
