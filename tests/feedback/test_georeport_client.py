"""An independent Open311 client (the ``georeport`` package from PyPI) reads the API over HTTP."""

from __future__ import annotations

import pytest
from georeport import GeoReport

from feedback.models import ReportStatus
from tests.feedback.factories import Setup


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_georeport_client_reads_services_definitions_and_requests(live_server, fmt):
    fb = Setup()
    answered = fb.report(ReportStatus.ANSWERED)
    open_ = fb.report(ReportStatus.ASSIGNED)
    client = GeoReport(
        live_server.url + "/open311/v2", jurisdiction="mytho.tiengiang.gov.vn", output_format=fmt
    )

    services = client.get_service_list()
    assert {s["service_code"] for s in services} == {"den-duong", "ngap-nuoc"}

    definition = client.get_service_definition("ngap-nuoc")
    attributes = definition["attributes"]
    if fmt == "xml":  # xmltodict: <attributes><attribute>…</attribute></attributes>
        attributes = attributes["attribute"]
    attribute = attributes[0] if isinstance(attributes, list) else attributes
    assert attribute["code"] == "depth"

    requests = client.get_service_requests(status="open")
    requests = requests if isinstance(requests, list) else [requests]
    assert [r["service_request_id"] for r in requests] == [open_.code]

    one = client.get_service_request(answered.code)
    assert one["service_request_id"] == answered.code and one["status"] == "closed"
    assert "Nguyễn Văn An" not in str(one) and "0912345678" not in str(one)
