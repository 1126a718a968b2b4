"""Open311 GeoReport v2 as the specification reads: formats, errors and their status codes,
HEAD, comma lists, empty parameters, languages, the discovery document."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest

from civility.feedback import actions
from civility.feedback.models import PublicReport, ReportAttribute

BASE = "/open311/v2"


def error_of(response) -> tuple[int, str]:
    """(code, description) of an XML error answer, checking its shape on the way."""
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    root = ElementTree.fromstring(response.content)
    assert root.tag == "errors" and [child.tag for child in root] == ["error"]
    return int(root.findtext("error/code")), root.findtext("error/description")


def file(client, point, fmt="json", **fields):
    data = {"service_code": "littering", "address_id": str(point.park_b.pk), **fields}
    return client.post(f"{BASE}/requests.{fmt}", data)


def test_errors_answer_in_the_format_asked_with_the_specs_codes(client, point, settings):
    settings.FEEDBACK_OPEN311_KEYS = "good-key"
    settings.FEEDBACK_OPEN311_JURISDICTION = "civility.test"
    cases = [
        (client.get(f"{BASE}/nothing/here.xml"), 404),
        (client.post(f"{BASE}/nothing.xml"), 404),
        (client.delete(f"{BASE}/requests.xml"), 405),
        (client.post(f"{BASE}/services.xml"), 405),
        (client.get(f"{BASE}/services.html"), 400),
        (client.get(f"{BASE}/services/nope.xml"), 404),
        (client.get(f"{BASE}/services.xml", {"jurisdiction_id": "elsewhere"}), 404),
        (file(client, point, "xml", api_key="wrong"), 403),
        (file(client, point, "xml", service_code="nope"), 404),
        (file(client, point, "xml", description="x" * 4001), 400),
        (file(client, point, "xml", email="hoa@"), 400),
        (file(client, point, "xml", description="a\x00b"), 400),  # the input guard's
        (client.get(f"{BASE}/requests.xml", {"status": "pending"}), 400),
    ]
    for response, status in cases:
        assert response.status_code == status
        assert error_of(response)[0] == status
    assert client.delete(f"{BASE}/requests.xml")["Allow"] == "GET, HEAD, POST"
    [error] = client.get(f"{BASE}/nothing.json").json()
    assert error["code"] == 404
    assert not PublicReport.objects.exists()


def test_throttled_and_refused_idempotent_posts_answer_in_xml(client, point, settings):
    settings.FEEDBACK_REPORT_BURST = 1
    assert file(client, point, "xml").status_code == 201
    throttled = file(client, point, "xml")
    assert throttled.status_code == 429 and throttled["Retry-After"]
    assert error_of(throttled)[0] == 429
    refused = client.post(
        f"{BASE}/requests.xml", {"service_code": "littering"}, HTTP_IDEMPOTENCY_KEY="bad key!"
    )
    assert error_of(refused)[0] == 422


def test_head_answers_the_headers_of_the_get(client, point):
    get = client.get(f"{BASE}/services.xml")
    head = client.head(f"{BASE}/services.xml")

    assert head.status_code == 200 and head.content == b""
    assert head["Content-Type"] == get["Content-Type"] == "text/xml; charset=utf-8"
    assert int(head["Content-Length"]) == len(get.content)


def test_service_texts_follow_accept_language(client, point):
    ReportAttribute.objects.create(
        category=point.littering,
        code="amount",
        datatype="string",
        description="Lượng rác",
        description_en="How much litter",
    )
    names = {}
    for language in ("vi", "en"):
        services = client.get(f"{BASE}/services.json", HTTP_ACCEPT_LANGUAGE=language).json()
        definition = client.get(
            f"{BASE}/services/littering.json", HTTP_ACCEPT_LANGUAGE=language
        ).json()
        littering = next(s for s in services if s["service_code"] == "littering")
        names[language] = (littering["service_name"], definition["attributes"][0]["description"])

    assert names == {
        "vi": (point.littering.name, "Lượng rác"),
        "en": (point.littering.name_en, "How much litter"),
    }
    assert point.littering.name != point.littering.name_en


def test_comma_lists_and_empty_parameters(client, point, cast):
    first, second = (
        file(client, point).json()[0]["service_request_id"],
        file(client, point, address_id=str(point.market.pk)).json()[0]["service_request_id"],
    )
    report = PublicReport.objects.get(receipt=second)
    actions.accept_report(actor=cast.a.head, report=report)
    actions.close_report(actor=cast.a.head, report=report, public_note="Xong")

    def ids(**params):
        return {r["service_request_id"] for r in client.get(f"{BASE}/requests.json", params).json()}

    assert ids(status="open,closed") == ids() == {first, second}
    assert ids(status="closed") == {second}
    assert ids(service_request_id=f"{first},{second}") == {first, second}
    assert ids(start_date="", end_date="", status="", service_code="") == {first, second}
    assert ids(service_code="littering,other") == {first, second}


def test_a_report_on_a_known_place_has_the_places_coordinates(client, point):
    [created] = file(client, point).json()  # park_b, with coordinates; no lat/long sent

    [read] = client.get(f"{BASE}/requests/{created['service_request_id']}.json").json()
    assert (read["lat"], read["long"]) == (21.04, 105.86)
    assert read["address_id"] == str(point.park_b.pk)


def test_description_is_optional_and_answers_are_checked(client, point):
    ReportAttribute.objects.create(
        category=point.littering,
        code="kinds",
        datatype="multivaluelist",
        required=True,
        description="Loại rác",
        values=[{"key": "plastic", "name": "Nhựa"}, {"key": "food", "name": "Thức ăn"}],
    )
    missing = file(client, point, "xml")
    wrong = file(client, point, "xml", **{"attribute[kinds]": "glass"})
    filed = client.post(
        f"{BASE}/requests.json",
        {
            "service_code": "littering",
            "address_id": point.market.pk,
            "attribute[kinds][]": ["plastic", "food"],
        },
    )

    assert error_of(missing) == (400, "attribute[kinds] is required.")
    assert error_of(wrong)[0] == 400 and "glass" in error_of(wrong)[1]
    assert filed.status_code == 201
    report = PublicReport.objects.get()
    assert report.description == "" and report.attributes == {"kinds": ["plastic", "food"]}


def test_the_api_key_setting(client, point, settings):
    settings.FEEDBACK_OPEN311_REQUIRE_KEY = "false"
    settings.FEEDBACK_OPEN311_KEYS = ""
    assert file(client, point, api_key="whatever-fms-sends").status_code == 201

    settings.FEEDBACK_OPEN311_REQUIRE_KEY = "true"
    settings.FEEDBACK_OPEN311_KEYS = "k1,k2"
    assert file(client, point).status_code == 403
    assert file(client, point, api_key="k3").status_code == 403
    assert file(client, point, api_key="k2").status_code == 201


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_the_discovery_document_points_at_the_endpoint(client, settings, fmt):
    settings.FEEDBACK_OPEN311_CONTACT = "open311@civility.test"
    response = client.get(f"{BASE}/discovery.{fmt}")

    if fmt == "json":
        document = response.json()
        endpoint = document["endpoints"][0]
        assert endpoint["formats"] == ["text/xml", "application/json"]
    else:
        root = ElementTree.fromstring(response.content)
        assert root.tag == "discovery"
        document = {"contact": root.findtext("contact")}
        endpoint = {
            "url": root.findtext("endpoints/endpoint/url"),
            "specification": root.findtext("endpoints/endpoint/specification"),
        }
        assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == [
            "text/xml",
            "application/json",
        ]
    assert document["contact"] == "open311@civility.test"
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
