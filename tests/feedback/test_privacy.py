"""No IP address or device data is stored with ratings, reports or calls, nor in the audit
trail of citizens' writes."""

from __future__ import annotations

import uuid

from django.db import connection

from civility.core.models import AuditEvent
from civility.feedback.models import AssistanceCall, PublicReport, ServiceRating
from tests.feedback.conftest import kiosk_headers, rating

IP = "203.0.113.77"


def _all_text(table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT t::text FROM {table} t")
        return "\n".join(row[0] for row in cursor.fetchall())


def test_no_ip_or_device_id_is_stored_anywhere_by_citizens_writes(client, point):
    headers = {"REMOTE_ADDR": IP, "HTTP_X_FORWARDED_FOR": IP, "HTTP_USER_AGENT": "PhoneX/1.0"}
    client.post(
        f"/feedback/counter/{point.counter.pk}/",
        {"client_id": str(uuid.uuid4()), "level": 1, "comment": "ok"},
        **headers,
    )
    device = client.cookies["cv_device"].value
    client.post(f"/feedback/counter/{point.counter.pk}/help/", **headers)
    client.post(
        f"/feedback/place/{point.market.pk}/",
        {"category": point.littering.pk, "description": "Rác"},
        **headers,
    )
    client.post(
        "/open311/v2/requests.json",
        {"service_code": "littering", "description": "Rác", "address_id": point.market.pk,
         "device_id": "my-phone-42"},
        **headers,
    )  # fmt: skip
    client.post(
        "/api/v1/feedback/kiosk/ratings",
        rating(2),
        content_type="application/json",
        **kiosk_headers(point.secret),
        **headers,
    )

    assert ServiceRating.objects.count() == 2
    assert PublicReport.objects.count() == 2
    assert AssistanceCall.objects.count() == 1
    for model in (ServiceRating, PublicReport, AssistanceCall, AuditEvent):
        text = _all_text(model._meta.db_table)
        assert IP not in text, model
        assert device not in text, model
        assert "my-phone-42" not in text and "PhoneX" not in text, model
    assert (
        not AuditEvent.objects.filter(remote_addr__isnull=False)
        .filter(content_type__app_label="feedback")
        .exists()
    )
    throttle_keys = _all_text("feedback_throttlebucket")
    assert IP not in throttle_keys and device not in throttle_keys
