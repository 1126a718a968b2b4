"""The audit trail says where staff wrote from, the client's address rather than the proxy's
or a forged one (issue 20, item 10: 3,789 of 3,792 events had none, because the actions'
`acting_as` replaced the request's context), and never where a citizen wrote from."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from civility.core.models import AuditEvent
from civility.feedback.models import CounterDevice, PublicReport
from tests.feedback import conftest as feedback_fixtures

point = feedback_fixtures.point  # the service point, its counters and places
_media = feedback_fixtures._media  # uploads go to a temporary directory


def _new_kiosk_event(client, point, **headers) -> AuditEvent:
    client.force_login(point.head)
    response = client.post(
        f"/feedback/counters/{point.counter.pk}/kiosks/", {"name": "Máy tính bảng 2"}, **headers
    )
    assert response.status_code == 302  # to the page that shows the link once
    device = CounterDevice.objects.get(name="Máy tính bảng 2")
    return AuditEvent.objects.get(
        content_type=ContentType.objects.get_for_model(CounterDevice),
        object_pk=str(device.pk),
        action=AuditEvent.Action.CREATE,
    )


def test_staff_writes_record_the_client_address(client, point, settings):
    settings.TRUSTED_PROXIES = []

    event = _new_kiosk_event(client, point, REMOTE_ADDR="198.51.100.20")

    assert event.actor == point.head
    assert event.remote_addr == "198.51.100.20"


def test_behind_a_trusted_proxy_the_audit_records_the_client_not_the_proxy(client, point, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]

    event = _new_kiosk_event(
        client, point, REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="192.0.2.1, 198.51.100.20"
    )

    assert event.remote_addr == "198.51.100.20"


def test_a_forged_forwarded_address_is_not_recorded_without_a_trusted_proxy(
    client, point, settings
):
    settings.TRUSTED_PROXIES = []

    event = _new_kiosk_event(
        client, point, REMOTE_ADDR="198.51.100.20", HTTP_X_FORWARDED_FOR="192.0.2.1"
    )

    assert event.remote_addr == "198.51.100.20"


def test_a_citizen_s_report_records_no_address_even_behind_a_trusted_proxy(client, point, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    client.post(
        f"/feedback/place/{point.market.pk}/",
        {"category": point.littering.pk, "description": "Rác"},
        REMOTE_ADDR="10.0.0.5",
        HTTP_X_FORWARDED_FOR="198.51.100.30",
    )

    report = PublicReport.objects.get()
    events = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(PublicReport), object_pk=str(report.pk)
    )
    assert events.exists()
    assert not events.filter(remote_addr__isnull=False).exists()
