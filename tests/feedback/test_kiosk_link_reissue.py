"""A new link for a kiosk whose link was lost or leaked: the old key stops working at once,
the new link is shown once, only the counter's managers may issue it, and the audit log
tells who did."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from civility.core.models import AuditEvent
from civility.feedback import ingest
from civility.feedback.actions import authenticate_device, reissue_device_key
from civility.feedback.models import CounterDevice, ServiceRating
from tests.feedback.conftest import kiosk_headers, rating

KIOSK = "/api/v1/feedback/kiosk"


def url(device: CounterDevice) -> str:
    return f"/feedback/kiosks/{device.pk}/reissue/"


def reissue(client, user, device: CounterDevice):
    client.force_login(user)
    return client.post(url(device), follow=True)


def secret_of(page) -> str:
    return page.context["link"].split("#key=")[1]


def test_the_old_key_stops_working_and_the_new_one_works_at_the_kiosk(client, point):
    page = reissue(client, point.head, point.device)

    assert page.status_code == 200
    new = secret_of(page)
    client.logout()
    assert client.get(KIOSK, **kiosk_headers(point.secret)).status_code == 401
    refused = client.post(
        KIOSK + "/ratings",
        rating(1),
        content_type="application/json",
        **kiosk_headers(point.secret),
    )
    assert refused.status_code == 401
    assert client.get(KIOSK, **kiosk_headers(new)).json()["counter_id"] == point.counter.pk
    stored = client.post(
        KIOSK + "/ratings", rating(1), content_type="application/json", **kiosk_headers(new)
    )
    assert stored.status_code == 201
    assert ServiceRating.objects.get().counter == point.counter


def test_the_production_fast_path_refuses_the_old_key_too(point):
    _device, new = reissue_device_key(actor=point.head, device=point.device)
    body = json.dumps(rating(1)).encode()

    assert authenticate_device(point.secret) is None
    assert ingest.store(f"Bearer {point.secret}", body) is None  # Django answers: 401
    assert ingest.store(f"Bearer {new}", body)[0] == 201


def test_an_administrator_issues_a_new_link_for_any_kiosk(client, point, cast):
    page = reissue(client, cast.admin, point.device)

    assert page.status_code == 200
    assert authenticate_device(secret_of(page)).counter.pk == point.counter.pk


def test_the_new_link_keeps_the_name_counter_and_official_on_duty_and_starts_unseen(point):
    seen = timezone.now() - datetime.timedelta(hours=2)
    CounterDevice.objects.filter(pk=point.device.pk).update(
        on_duty=point.clerk_official, last_seen_at=seen
    )

    device, _secret = reissue_device_key(actor=point.head, device=point.device)

    old = CounterDevice.objects.get(pk=point.device.pk)
    assert old.revoked_at is not None and old.last_seen_at == seen
    assert (device.counter, device.name, device.on_duty) == (
        point.counter,
        "Máy tính bảng 1",
        point.clerk_official,
    )
    assert device.last_seen_at is None and device.created_by == point.head
    assert list(CounterDevice.objects.active().filter(counter=point.counter)) == [device]


def test_the_head_of_a_sibling_ward_gets_404(client, point, cast):
    assert reissue(client, cast.b.head, point.device).status_code == 404

    assert authenticate_device(point.secret) is not None
    assert CounterDevice.objects.count() == 1


def test_an_official_without_a_manager_role_cannot_issue_a_new_link(client, point):
    assert reissue(client, point.clerk, point.device).status_code == 404
    with pytest.raises(PermissionDenied):
        reissue_device_key(actor=point.clerk, device=point.device)

    assert authenticate_device(point.secret) is not None
    assert CounterDevice.objects.count() == 1


def test_a_revoked_kiosk_cannot_get_a_new_link(client, point):
    point.device.revoke()

    with pytest.raises(ValidationError):
        reissue_device_key(actor=point.head, device=point.device)
    client.force_login(point.head)
    page = client.post(url(point.device))
    assert page.status_code == 302
    assert "register a new kiosk instead" in client.get(page.url).content.decode()
    assert CounterDevice.objects.count() == 1


def test_the_audit_log_names_who_revoked_the_old_key_and_issued_the_new_one(client, point):
    page = reissue(client, point.head, point.device)
    device = page.context["device"]

    revoked = AuditEvent.objects.get_for_object(point.device).latest("timestamp")
    issued = AuditEvent.objects.get_for_object(device).get()
    assert (revoked.action, revoked.actor) == (AuditEvent.Action.UPDATE, point.head)
    assert "revoked_at" in revoked.changes_dict
    assert (issued.action, issued.actor) == (AuditEvent.Action.CREATE, point.head)
    assert "key_hash" not in issued.changes_dict
    assert issued.additional_data["unit_path"] == point.counter.path


def test_the_link_is_shown_once_and_not_again_on_the_counter_page(client, point):
    page = reissue(client, point.head, point.device)
    new = secret_of(page)

    assert page.content.decode().count(new) == 1
    assert "no-store" in page["Cache-Control"]
    counter_page = client.get(f"/feedback/counters/{point.counter.pk}/").content.decode()
    assert new not in counter_page
    assert new[:8] in counter_page  # its prefix names the kiosk's current key


def test_the_counter_page_offers_a_new_link_for_working_kiosks_to_managers_only(client, point):
    client.force_login(point.head)
    assert (
        url(point.device) in client.get(f"/feedback/counters/{point.counter.pk}/").content.decode()
    )

    client.force_login(point.clerk)
    assert (
        url(point.device)
        not in client.get(f"/feedback/counters/{point.counter.pk}/").content.decode()
    )

    point.device.revoke()
    client.force_login(point.head)
    page = client.get(f"/feedback/counters/{point.counter.pk}/").content.decode()
    assert url(point.device) not in page
