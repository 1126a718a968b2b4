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


def _filed(client, fmt: str, **extra) -> str:
    form = {
        "jurisdiction_id": JURISDICTION,
        "api_key": KEY,
        "service_code": "littering",
        "lat": "21.0404",
        "long": "105.8601",
        "attribute[amount]": "bag",
        **extra,
    }
    [created] = listed(client.post(f"{BASE}/requests.{fmt}", form), fmt, "service_requests")
    return created


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_fixmystreet_reads_the_id_of_a_token(client, fms_server, fmt):
    # Open311.pm's get_service_request_id_from_token: GET tokens/{token}.xml, then
    # request->[0]->service_request_id.
    created = _filed(client, fmt)

    response = client.get(
        f"{BASE}/tokens/{created['token']}.{fmt}", {"jurisdiction_id": JURISDICTION}
    )

    [found] = listed(response, fmt, "service_requests")
    assert found == {"service_request_id": created["service_request_id"], "token": created["token"]}


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_an_unknown_token_is_a_404_in_the_format_asked(client, fms_server, fmt):
    response = client.get(f"{BASE}/tokens/NOPE-0000.{fmt}")

    assert response.status_code == 404
    [problem] = listed(response, fmt, "errors")
    assert problem["code"] in ("404", 404)


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_fixmystreet_posts_a_citizens_update_which_staff_read(client, fms_server, cast, fmt):
    # Open311.pm's post_service_request_update: a form POST to servicerequestupdates.xml
    # with the fields of _populate_service_request_update_params, then
    # request_update->[0]->update_id from the answer.
    request_id = _filed(client, fmt)["service_request_id"]
    form = {
        "jurisdiction_id": JURISDICTION,
        "api_key": KEY,
        "updated_datetime": "2026-12-05T10:15:00+07:00",
        "service_request_id": request_id,
        "status": "OPEN",
        "description": "Rác vẫn còn, đã thêm một túi nữa",
        "last_name": "Nguyễn",
        "first_name": "Hoa",
        "email": "nguyen.hoa@example.vn",
        "update_id": "8812",
    }

    response = client.post(f"{BASE}/servicerequestupdates.{fmt}", form)
    again = client.post(f"{BASE}/servicerequestupdates.{fmt}", form)  # a retry

    assert response.status_code == again.status_code == 201
    [answer] = listed(response, fmt, "service_request_updates")
    assert answer["update_id"] and listed(again, fmt, "service_request_updates") == [answer]
    report = PublicReport.objects.get(receipt=request_id)
    [update] = report.updates.filter(is_public=False)
    assert str(update.pk) == answer["update_id"] and update.status == report.status == "new"
    assert "Rác vẫn còn" in update.note and "Nguyễn Hoa" in update.note and "8812" in update.note
    assert "nguyen.hoa" not in update.note
    staff = Client()
    staff.force_login(cast.b.head)
    assert "Rác vẫn còn" in staff.get(report.get_absolute_url()).content.decode()
    # Staff's own words only: the citizen's update is not read back as the council's.
    published = client.get(
        f"{BASE}/servicerequestupdates.{fmt}", {"service_request_id": request_id}
    )
    assert "Rác vẫn còn" not in published.content.decode()


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"service_request_id": "NOPE-0000"}, 404),
        ({"service_request_id": ""}, 400),
        ({"description": ""}, 400),
        ({"description": "x" * 1501}, 400),
        ({"email": "not-an-address"}, 400),
        ({"updated_datetime": "yesterday"}, 400),
        ({"status": "open; drop"}, 400),
        ({"api_key": "wrong"}, 403),
        ({"jurisdiction_id": "elsewhere"}, 404),
    ],
)
def test_a_posted_update_that_cannot_be_kept_is_refused_with_its_reason(
    client, fms_server, change, status
):
    request_id = _filed(client, "xml")["service_request_id"]
    form = {
        "jurisdiction_id": JURISDICTION,
        "api_key": KEY,
        "service_request_id": request_id,
        "description": "Vẫn còn rác",
        **change,
    }

    response = client.post(f"{BASE}/servicerequestupdates.xml", form)

    assert response.status_code == status
    [problem] = listed(response, "xml", "errors")
    assert problem["description"]
    assert not PublicReport.objects.get(receipt=request_id).updates.filter(is_public=False)
