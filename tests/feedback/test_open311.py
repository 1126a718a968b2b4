"""Open311 GeoReport v2 under /open311/v2/: services, create, then read the status by id."""

from __future__ import annotations

from civility.feedback.models import PublicReport


def create(client, point, **fields):
    data = {
        "service_code": "littering",
        "description": "Vứt rác bừa bãi ở vườn hoa",
        "lat": "21.040400",
        "long": "105.860100",
        "email": "citizen@example.vn",
        "first_name": "Hoa",
        "device_id": "device-123",
        **fields,
    }
    return client.post("/open311/v2/requests.json", data)


def test_services_list_the_report_categories(client, point):
    services = client.get("/open311/v2/services.json").json()

    littering = next(s for s in services if s["service_code"] == "littering")
    assert littering == {
        "service_code": "littering",
        "service_name": "Littering",
        "description": littering["description"],
        "metadata": False,
        "type": "realtime",
        "keywords": "",
        "group": "",
    }
    definition = client.get("/open311/v2/services/littering.json").json()
    assert definition == {"service_code": "littering", "attributes": []}


def test_a_request_is_created_then_read_back_by_id(client, point, cast):
    response = create(client, point)

    assert response.status_code == 201
    [created] = response.json()
    request_id = created["service_request_id"]
    assert request_id in created["service_notice"] and created["account_id"] is None

    [status] = client.get(f"/open311/v2/requests/{request_id}.json").json()
    assert status["service_request_id"] == request_id
    assert status["status"] == "open"
    assert status["service_code"] == "littering"
    assert status["agency_responsible"] == "Phường Long Biên"  # routed by the map point
    assert (status["lat"], status["long"]) == (21.0404, 105.8601)
    assert "citizen@example.vn" not in str(status) and "Hoa" not in str(status)
    report = PublicReport.objects.get(receipt=request_id)
    assert report.unit == cast.b.ward and report.channel == "open311"
    assert "device-123" not in str(PublicReport.objects.values().get())


def test_a_closed_request_reads_closed_with_the_public_note(client, point, cast):
    [created] = create(client, point, address_id=str(point.market.pk)).json()
    report = PublicReport.objects.get(receipt=created["service_request_id"])
    staff = client.__class__()
    staff.force_login(cast.a.head)
    staff.post(f"/feedback/reports/{report.pk}/accept/")
    staff.post(f"/feedback/reports/{report.pk}/close/", {"note": "Đã xử lý, phạt hành chính"})

    [status] = client.get(f"/open311/v2/requests/{report.receipt}.json").json()
    assert status["status"] == "closed"
    assert status["status_notes"] == "Đã xử lý, phạt hành chính"
    assert status["address_id"] == str(point.market.pk)

    listed = client.get("/open311/v2/requests.json", {"status": "closed"}).json()
    assert [item["service_request_id"] for item in listed] == [report.receipt]
    assert client.get("/open311/v2/requests.json", {"status": "open"}).json() == []


def test_json_bodies_are_accepted_too(client, point):
    response = client.post(
        "/open311/v2/requests.json",
        {"service_code": "littering", "description": "Rác", "address_id": point.market.pk},
        content_type="application/json",
    )
    assert response.status_code == 201


def test_errors_use_the_open311_format(client, point):
    cases = [
        (create(client, point, service_code="nope"), 404, "nope"),
        (create(client, point, description="x" * 4001), 400, "description"),
        (create(client, point, email="not-an-address"), 400, "email"),
        (create(client, point, lat="north"), 400, "lat"),
        (create(client, point, lat="", long="", address_id="999999"), 400, "address_id"),
        (client.get("/open311/v2/requests/ZZZZ-ZZZZ.json"), 404, "ZZZZ-ZZZZ"),
        (client.get("/open311/v2/requests.json", {"start_date": "yesterday"}), 400, "start_date"),
    ]
    for response, status, word in cases:
        assert response.status_code == status
        [error] = response.json()
        assert error["code"] == status and word in error["description"]
    assert not PublicReport.objects.exists()


def test_a_deployment_may_require_an_api_key(client, point, settings):
    settings.FEEDBACK_OPEN311_REQUIRE_KEY = "true"
    settings.FEEDBACK_OPEN311_KEYS = "key-one,key-two"

    assert create(client, point).status_code == 403
    assert create(client, point, api_key="wrong").status_code == 403
    assert create(client, point, api_key="key-two").status_code == 201


def test_anonymous_posts_are_throttled(client, point, settings):
    settings.FEEDBACK_REPORT_BURST = 2
    codes = [create(client, point).status_code for _ in range(3)]
    assert codes == [201, 201, 429]
    throttled = create(client, point).json()
    assert throttled[0]["code"] == 429 and "try again" in throttled[0]["description"]
