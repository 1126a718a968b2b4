"""FixMyStreet talking to Civility's Open311, request by request as its client sends them
(perllib/Open311.pm: jurisdiction_id on every request, api_key on the POST and on the
updates, a form-encoded POST with attribute[...]), every answer parsed, in XML and in JSON."""

from __future__ import annotations

import datetime
import json
from xml.etree import ElementTree

import pytest
import time_machine
from django.test import Client

from civility.feedback import actions
from civility.feedback.models import PublicReport, ReportAttribute

AT = datetime.datetime(2026, 12, 5, 9, 0, tzinfo=datetime.UTC)
BASE = "/open311/v2"
JURISDICTION = "civility.test"
KEY = "fms-key-1"


@pytest.fixture
def fms_server(settings, point):
    settings.FEEDBACK_OPEN311_JURISDICTION = JURISDICTION
    settings.FEEDBACK_OPEN311_KEYS = KEY
    settings.FEEDBACK_OPEN311_REQUIRE_KEY = "true"
    ReportAttribute.objects.create(
        category=point.littering,
        code="amount",
        datatype="singlevaluelist",
        required=True,
        description="Lượng rác",
        description_en="How much litter",
        values=[
            {"key": "bag", "name": "Một túi", "name_en": "A bag"},
            {"key": "heap", "name": "Một đống", "name_en": "A heap"},
        ],
        position=1,
    )
    return point


def parsed(response, fmt: str):
    """The answer as FixMyStreet's XML::Simple or a JSON client sees it: XML becomes dicts
    and lists (an element with children a dict, repeated ones a list), JSON is read."""
    content_type = {"xml": "text/xml", "json": "application/json"}[fmt]
    assert response["Content-Type"] == f"{content_type}; charset=utf-8"
    if fmt == "json":
        return json.loads(response.content)
    root = ElementTree.fromstring(response.content)
    return root.tag, _xml(root)


def _xml(element):
    children = list(element)
    if not children:
        return element.text or ""
    tags = [child.tag for child in children]
    if len(set(tags)) == 1 and len(tags) > 1 or tags[0] in _ITEM_TAGS:
        return [_xml(child) for child in children]
    return {child.tag: _xml(child) for child in children}


_ITEM_TAGS = {"service", "request", "request_update", "attribute", "value", "error", "format"}


def listed(response, fmt: str, root: str) -> list[dict]:
    data = parsed(response, fmt)
    if fmt == "json":
        return data
    tag, items = data
    assert tag == root
    return items if isinstance(items, list) else []


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_fixmystreet_files_a_report_and_reads_its_handling_back(client, fms_server, cast, fmt):
    with time_machine.travel(AT, tick=False):
        services = listed(
            client.get(f"{BASE}/services.{fmt}", {"jurisdiction_id": JURISDICTION}),
            fmt,
            "services",
        )
        littering = next(s for s in services if s["service_code"] == "littering")
        assert littering["metadata"] in ("true", True)

        response = client.get(f"{BASE}/services/littering.{fmt}", {"jurisdiction_id": JURISDICTION})
        definition = parsed(response, fmt)
        if fmt == "xml":
            tag, definition = definition
            assert tag == "service_definition"
        [amount] = definition["attributes"]
        assert amount["code"] == "amount" and amount["datatype"] == "singlevaluelist"
        assert amount["required"] in ("true", True) and amount["variable"] in ("true", True)
        assert [v["key"] for v in amount["values"]] == ["bag", "heap"]

        response = client.post(
            f"{BASE}/requests.{fmt}",
            {
                "jurisdiction_id": JURISDICTION,
                "api_key": KEY,
                "service_code": "littering",
                "lat": "21.0404",
                "long": "105.8601",
                "email": "nguyen.hoa@example.vn",
                "first_name": "Hoa",
                "last_name": "Nguyễn",
                "description": "Rác đổ trên vỉa hè\n\nhttps://fms.example/report/7\n",
                "attribute[amount]": "heap",
                "attribute[uprn]": "100023",  # FixMyStreet's own: not asked, dropped
            },
        )
        assert response.status_code == 201
        [created] = listed(response, fmt, "service_requests")
        request_id = created["service_request_id"]
        report = PublicReport.objects.get(receipt=request_id)
        assert report.attributes == {"amount": "heap"}
        assert report.contact_name == "Nguyễn Hoa" and report.channel == "open311"
        staff = Client()
        staff.force_login(cast.b.head)
        page = staff.get(report.get_absolute_url()).content.decode()
        assert "<dd>Một đống</dd>" in page or "<dd>A heap</dd>" in page  # the answer, by name

        [read] = listed(
            client.get(
                f"{BASE}/requests.{fmt}",
                {"jurisdiction_id": JURISDICTION, "service_request_id": request_id},
            ),
            fmt,
            "service_requests",
        )
        assert read["service_request_id"] == request_id and read["status"] == "open"
        assert float(read["lat"]) == 21.0404 and float(read["long"]) == 105.8601

        actions.accept_report(actor=cast.b.head, report=report, note="Đã tiếp nhận")
        actions.close_report(actor=cast.b.head, report=report, public_note="Đã dọn sạch")

    with time_machine.travel(AT + datetime.timedelta(hours=1), tick=False):
        response = client.get(
            f"{BASE}/servicerequestupdates.{fmt}",
            {
                "jurisdiction_id": JURISDICTION,
                "api_key": KEY,
                "start_date": "2026-12-05T08:30:00Z",
                "end_date": "2026-12-05T10:00:00Z",
            },
        )
        updates = listed(response, fmt, "service_request_updates")
    assert [(u["service_request_id"], u["status"], u["description"]) for u in updates][1:] == [
        (request_id, "open", "Đã tiếp nhận"),
        (request_id, "closed", "Đã dọn sạch"),
    ]
    assert all(u["update_id"] and u["updated_datetime"] for u in updates)
    assert [u["external_status_code"] for u in updates] == ["new", "accepted", "closed"]

    everything = (
        b"".join(
            client.get(path, {"service_request_id": request_id}).content
            for path in (f"{BASE}/requests.{fmt}", f"{BASE}/requests/{request_id}.{fmt}")
        )
        + response.content
    )
    for secret in ("nguyen.hoa", "Hoa", "Nguyễn"):
        assert secret.encode() not in everything


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_the_same_post_sent_twice_with_one_idempotency_key_files_one_report(
    client, fms_server, fmt
):
    form = {
        "jurisdiction_id": JURISDICTION,
        "api_key": KEY,
        "service_code": "littering",
        "address_id": str(fms_server.park_b.pk),
        "attribute[amount]": "bag",
    }
    first, again = (
        client.post(f"{BASE}/requests.{fmt}", form, HTTP_IDEMPOTENCY_KEY="retry-after-timeout")
        for _ in range(2)
    )

    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replay"] == "true" and again.content == first.content
    assert PublicReport.objects.count() == 1


def test_a_post_without_csrf_cookie_is_filed(fms_server):
    api_client = Client(enforce_csrf_checks=True)
    response = api_client.post(
        f"{BASE}/requests.xml",
        {
            "api_key": KEY,
            "service_code": "littering",
            "address_id": fms_server.market.pk,
            "attribute[amount]": "bag",
        },
    )
    assert response.status_code == 201
