"""Contract tests of the Open311 GeoReport v2 API: every endpoint and error, in XML and JSON.

The spec: http://wiki.open311.org/GeoReport_v2 (errors as a list of
{code, description}; XML with the declaration and UTF-8).
"""

from __future__ import annotations

import json
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback import services
from feedback.models import ApiClient, Channel, Report, ReportStatus
from portal import ratelimit

S = ReportStatus
FORMATS = ["xml", "json"]
PERSONAL = ("Nguyễn Văn An", "0912345678", "an@example.com", "0987654321")


@pytest.fixture
def api_key(fb):
    return services.issue_api_key(ApiClient(name="Ứng dụng Mỹ Tho", contact="dev@example.com", per_hour=1000))


def url(name, fmt, *args):
    return reverse(f"feedback:{name}", kwargs={"fmt": fmt, **dict(args)})


def parse(response, fmt):
    assert response["Content-Type"].startswith("text/xml" if fmt == "xml" else "application/json")
    assert "charset=utf-8" in response["Content-Type"]
    if fmt == "json":
        return json.loads(response.content)
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ElementTree.fromstring(response.content)


def assert_error(response, fmt, status):
    assert response.status_code == status
    body = parse(response, fmt)
    if fmt == "json":
        assert isinstance(body, list) and body
        assert all(
            set(e) == {"code", "description"} and e["code"] == status and e["description"] for e in body
        )
    else:
        assert body.tag == "errors"
        errors = body.findall("error")
        assert errors and all(e.findtext("code") == str(status) and e.findtext("description") for e in errors)
    return body


def items(body, fmt, tag="request"):
    if fmt == "json":
        return body
    return [{child.tag: child.text for child in node} for node in body.findall(tag)]


def post(client, fmt, **fields):
    return client.post(url("requests", fmt), fields)


def new_request(fb, api_key, **overrides):
    fields = {
        "api_key": api_key,
        "service_code": "den-duong",
        "lat": "10.354",
        "long": "106.365",
        "address_string": "12 Lê Lợi",
        "address_id": "28261",
        "description": "Đèn hỏng, gọi 0912345678",
        "first_name": "Nguyễn Văn",
        "last_name": "An",
        "phone": "0912345678",
        "email": "an@example.com",
        "attribute[pole]": "LL-12",
    }
    fields.update(overrides)
    return {k: v for k, v in fields.items() if v is not None}


# --- discovery, services, definitions ------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_discovery(client, fb, fmt):
    response = client.get(url("discovery", fmt))
    assert response.status_code == 200
    body = parse(response, fmt)
    if fmt == "json":
        endpoint = body["endpoints"][0]
        assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
        assert endpoint["formats"] == ["text/xml", "application/json"]
        assert endpoint["url"].endswith("/open311/v2") and body["changeset"]
    else:
        assert body.tag == "discovery"
        endpoint = body.find("endpoints/endpoint")
        assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
        assert [f.text for f in endpoint.findall("formats/format")] == ["text/xml", "application/json"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_services_are_the_categories(client, fb, fmt):
    body = parse(client.get(url("services", fmt)), fmt)
    services_ = items(body, fmt, "service")
    light = next(s for s in services_ if s["service_code"] == "den-duong")
    assert light["service_name"] == "Đèn đường hư hỏng" and light["type"] == "realtime"
    assert light["metadata"] in (True, "true") and light["group"] == "Hạ tầng"


@pytest.mark.parametrize("fmt", FORMATS)
def test_service_definition_lists_the_attributes(client, fb, fmt):
    response = client.get(url("service", fmt, ("service_code", "ngap-nuoc")))
    body = parse(response, fmt)
    if fmt == "json":
        attribute = body["attributes"][0]
        assert body["service_code"] == "ngap-nuoc"
        assert (
            attribute["code"] == "depth"
            and attribute["datatype"] == "singlevaluelist"
            and attribute["required"]
        )
        assert attribute["values"] == [{"key": "ankle", "name": "Mắt cá"}, {"key": "knee", "name": "Đầu gối"}]
    else:
        attribute = body.find("attributes/attribute")
        assert attribute.findtext("code") == "depth" and attribute.findtext("required") == "true"
        assert [v.findtext("key") for v in attribute.findall("values/value")] == ["ankle", "knee"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_service_code_is_404(client, fb, fmt):
    assert_error(client.get(url("service", fmt, ("service_code", "khong-co"))), fmt, 404)


# --- POST requests ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_request_makes_the_same_report_as_the_web(client, fb, api_key, fmt):
    response = post(client, fmt, **new_request(fb, api_key))
    assert response.status_code == 201
    created = items(parse(response, fmt), fmt)[0]
    report = Report.objects.get(code=created["service_request_id"])
    assert created["token"] == report.api_token and "service_notice" in created
    assert report.channel == Channel.API and report.status == S.NEW and report.ward == fb.ward
    assert report.reporter_name == "Nguyễn Văn An" and report.attributes == {"pole": "LL-12"}
    assert report.events.get().action == "receive"  # through the same service as the web form


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_without_or_with_a_wrong_api_key_is_403(client, fb, api_key, fmt):
    assert_error(post(client, fmt, **new_request(fb, None)), fmt, 403)
    assert_error(post(client, fmt, **new_request(fb, api_key + "x")), fmt, 403)
    ApiClient.objects.update(active=False)
    assert_error(post(client, fmt, **new_request(fb, api_key)), fmt, 403)
    assert Report.objects.count() == 0


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_errors_are_400(client, fb, api_key, fmt):
    assert_error(post(client, fmt, **new_request(fb, api_key, service_code=None)), fmt, 400)
    assert_error(post(client, fmt, **new_request(fb, api_key, service_code="khong-co")), fmt, 400)
    no_place = new_request(fb, api_key, lat=None, long=None, address_string=None, address_id=None)
    assert_error(post(client, fmt, **no_place), fmt, 400)
    assert_error(post(client, fmt, **new_request(fb, api_key, address_id="99999")), fmt, 400)
    body = assert_error(post(client, fmt, **new_request(fb, api_key, phone=None, description="")), fmt, 400)
    text = json.dumps(body) if fmt == "json" else ElementTree.tostring(body, encoding="unicode")
    assert "phone" in text and "description" in text
    assert_error(
        post(client, fmt, **new_request(fb, api_key, service_code="ngap-nuoc")), fmt, 400
    )  # required
    assert Report.objects.count() == 0


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_is_rate_limited_per_client(client, fb, api_key, fmt):
    ApiClient.objects.update(per_hour=2)
    ratelimit.clear("feedback-api")
    assert post(client, fmt, **new_request(fb, api_key)).status_code == 201
    assert post(client, fmt, **new_request(fb, api_key)).status_code == 201
    assert_error(post(client, fmt, **new_request(fb, api_key)), fmt, 429)
    ratelimit.clear("feedback-api")


def test_a_retried_post_with_the_same_idempotency_key_makes_one_report(client, fb, api_key):
    first = client.post(url("requests", "json"), new_request(fb, api_key), HTTP_IDEMPOTENCY_KEY="abc")
    second = client.post(url("requests", "json"), new_request(fb, api_key), HTTP_IDEMPOTENCY_KEY="abc")
    assert (
        json.loads(first.content)[0]["service_request_id"]
        == json.loads(second.content)[0]["service_request_id"]
    )
    assert Report.objects.count() == 1


MALFORMED = ["\x00", "x" * 5000, "1e999", "-", "<script>", "[]", "ý" * 300]
POST_FIELDS = [
    "service_code",
    "lat",
    "long",
    "address_string",
    "address_id",
    "description",
    "first_name",
    "last_name",
    "phone",
    "email",
    "attribute[pole]",
    "attribute[depth]",
    "attribute[nope]",
    "jurisdiction_id",
    "api_key",
]


@pytest.mark.parametrize("field", POST_FIELDS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_post_attribute_fed_malformed_values_gets_the_spec_error_never_500(
    client, fb, api_key, field, fmt
):
    expected = {"jurisdiction_id": 404, "api_key": 403}
    for value in MALFORMED:
        fields = new_request(fb, api_key)
        fields[field] = value
        if field == "attribute[depth]":
            fields["service_code"] = "ngap-nuoc"
        response = post(client, fmt, **fields)
        if response.status_code == 201:
            # Free-text fields accept ordinary text; it must then be stored as given, masked when shown.
            assert field in ("address_string", "first_name", "last_name", "description", "attribute[pole]")
            continue
        # A NUL byte is refused by the kernel before any check (400, in the spec's body).
        assert_error(response, fmt, 400 if "\x00" in value else expected.get(field, 400))
    stored = Report.objects.values_list("description", "address", "reporter_name")
    assert not any("\x00" in text for row in stored for text in row)


# --- GET requests -------------------------------------------------------------------------------


@pytest.fixture
def history(fb):
    answered = fb.report(S.ANSWERED)
    open_ = fb.report(S.ASSIGNED, category=fb.flood, attributes={"depth": "knee"})
    invalid = fb.report(S.INVALID)
    old = fb.report(S.NEW)
    Report.objects.filter(pk=old.pk).update(received_at=timezone.now() - timedelta(days=120))
    duplicate = fb.report()
    services.mark_duplicate(duplicate, fb.operator, answered)
    return {"answered": answered, "open": open_, "invalid": invalid, "old": old, "duplicate": duplicate}


@pytest.mark.parametrize("fmt", FORMATS)
def test_get_requests_default_window_and_statuses(client, history, fmt):
    rows = items(parse(client.get(url("requests", fmt)), fmt), fmt)
    codes = {r["service_request_id"]: r for r in rows}
    assert history["answered"].code in codes and history["open"].code in codes
    assert history["invalid"].code not in codes  # never published
    assert history["old"].code not in codes  # outside the last 90 days
    assert codes[history["answered"].code]["status"] == "closed"
    assert codes[history["open"].code]["status"] == "open"
    assert codes[history["duplicate"].code]["status"] == "closed"  # follows its original
    answered = codes[history["answered"].code]
    assert (
        answered["status_notes"].startswith("Đã thay bóng đèn")
        and "0987654321" not in answered["status_notes"]
    )
    assert answered["address_id"] == "28261" and answered["requested_datetime"].endswith("+07:00")
    body = json.dumps(rows, ensure_ascii=False)
    assert not any(secret in body for secret in PERSONAL)


@pytest.mark.parametrize("fmt", FORMATS)
def test_get_requests_filters(client, history, fmt):
    def codes(**params):
        return {
            r["service_request_id"] for r in items(parse(client.get(url("requests", fmt), params), fmt), fmt)
        }

    assert codes(status="open") == {history["open"].code}
    assert history["open"].code not in codes(status="closed")
    assert codes(service_code="ngap-nuoc") == {history["open"].code}
    ids = f"{history['answered'].code},{history['old'].code}"
    assert codes(service_request_id=ids, status="open") == {history["answered"].code, history["old"].code}
    start = (timezone.now() - timedelta(days=130)).isoformat()
    end = (timezone.now() - timedelta(days=100)).isoformat()
    assert codes(start_date=start, end_date=end) == {history["old"].code}
    assert history["old"].code in codes(start_date=start)
    assert codes(end_date=end) == {history["old"].code}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "params",
    [
        {"start_date": "2026-01-01T00:00:00+07:00", "end_date": "2026-05-01T00:00:00+07:00"},  # > 90 days
        {"start_date": "2026-03-01T00:00:00+07:00", "end_date": "2026-02-01T00:00:00+07:00"},  # reversed
        {"start_date": "2026-01-01"},  # no time zone
        {"start_date": "hôm qua"},
        {"end_date": "\x00"},  # refused by the kernel: 400 in the spec's body
        {"status": "pending"},
        {"status": ""},
        {"service_code": "a b"},
        {"service_request_id": ",".join(["PA-1"] * 101)},
        {"service_request_id": "x" * 3000},
    ],
)
def test_get_requests_bad_filters_are_400(client, fb, fmt, params):
    response = client.get(url("requests", fmt), params)
    if params.get("status") == "":
        assert response.status_code == 200  # an empty filter is no filter
        return
    assert_error(response, fmt, 400)


@pytest.mark.parametrize("fmt", FORMATS)
def test_get_one_request_and_404(client, history, fmt):
    body = parse(client.get(url("request", fmt, ("request_id", history["answered"].code))), fmt)
    assert items(body, fmt)[0]["service_request_id"] == history["answered"].code
    assert_error(client.get(url("request", fmt, ("request_id", "PA-000000-0000"))), fmt, 404)
    assert_error(client.get(url("request", fmt, ("request_id", history["invalid"].code))), fmt, 404)


@pytest.mark.parametrize("fmt", FORMATS)
def test_tokens(client, fb, api_key, fmt):
    created = json.loads(post(client, "json", **new_request(fb, api_key)).content)[0]
    body = parse(client.get(url("token", fmt, ("token", created["token"]))), fmt)
    assert items(body, fmt)[0] == {
        "service_request_id": created["service_request_id"],
        "token": created["token"],
    }
    assert_error(client.get(url("token", fmt, ("token", "nope"))), fmt, 404)


@pytest.mark.parametrize("fmt", FORMATS)
def test_wrong_method_unknown_resource_and_jurisdiction(client, fb, fmt):
    response = client.post(url("services", fmt))
    assert_error(response, fmt, 405)
    assert response["Allow"] == "GET"
    assert_error(client.delete(url("requests", fmt)), fmt, 405)
    assert_error(client.get(f"/open311/v2/nothing.{fmt}"), fmt, 404)
    assert_error(client.get(url("services", fmt), {"jurisdiction_id": "hanoi.gov.vn"}), fmt, 404)
    assert client.get(url("services", fmt), {"jurisdiction_id": "mytho.tiengiang.gov.vn"}).status_code == 200


def test_the_openapi_description_is_served_next_to_the_api(client, fb):
    document = client.get(reverse("feedback:openapi")).json()
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) == {
        "/discovery.{format}",
        "/services.{format}",
        "/services/{service_code}.{format}",
        "/requests.{format}",
        "/requests/{service_request_id}.{format}",
        "/tokens/{token}.{format}",
    }
    assert document["servers"][0]["url"].endswith("/open311/v2")


def test_get_requests_query_count_is_constant(client, fb, django_assert_max_num_queries):
    for _ in range(3):
        fb.report(S.ANSWERED)
    with django_assert_max_num_queries(5) as small:
        client.get(url("requests", "json"))
    for _ in range(10):
        fb.report(S.ASSIGNED)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url("requests", "xml"))


@pytest.mark.parametrize("fmt", FORMATS)
def test_nul_bytes_anywhere_are_400_in_the_spec_body_never_500(client, fb, fmt):
    for path in ("requests/%00", "services/%00", "tokens/%00", "requests/PA%00", "requests"):
        assert_error(client.get(f"/open311/v2/{path}.{fmt}?status=%00"), fmt, 400)
