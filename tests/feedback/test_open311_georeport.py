"""A Python Open311 client nobody here wrote, `georeport` (PyPI), reads Civility's GeoReport
v2 over real HTTP, in JSON and in XML.

georeport only reads (it has no call to file a request), so the reports are filed the way
FixMyStreet files them. Its XML mode turns the answer into dicts with xmltodict, which gives
one dict, not a list, for a single <request> and None for an empty list: the test has two
services and two reports so that the XML answers are lists, as the client expects.
"""

from __future__ import annotations

import pytest
from georeport import GeoReport

from civility.feedback.models import ReportCategory


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_georeport_reads_services_definitions_and_requests(live_server, point, client, fmt):
    # Two of each, so that xmltodict makes lists (a transactional test's flush removes the
    # categories migration 0002 seeds).
    ReportCategory.objects.get_or_create(code="noise", defaults={"name": "Gây ồn ào"})
    ids = [
        client.post(
            "/open311/v2/requests.json",
            {"service_code": "littering", "address_id": place.pk, "description": "Rác"},
        ).json()[0]["service_request_id"]
        for place in (point.market, point.park_b)
    ]
    georeport = GeoReport(f"{live_server.url}/open311/v2", jurisdiction="", output_format=fmt)

    services = georeport.get_service_list()
    definition = georeport.get_service_definition("littering")
    requests = georeport.get_service_requests(service_request_id=",".join(ids))
    one = georeport.get_service_request(ids[0])

    assert {s["service_code"] for s in services} == set(
        ReportCategory.objects.filter(is_active=True).values_list("code", flat=True)
    )
    assert definition["service_code"] == "littering"
    assert sorted(r["service_request_id"] for r in requests) == sorted(ids)
    assert one["service_request_id"] == ids[0] and one["status"] == "open"
    assert one["address_id"] == str(point.market.pk)
