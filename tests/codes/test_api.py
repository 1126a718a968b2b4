"""The codes API: scoped reads, and idempotent signing."""

from __future__ import annotations

import datetime

from django.utils import timezone

from civility.codes.actions import start_campaign
from civility.codes.models import Commitment


def test_codes_and_a_version_structure_are_readable(client, cast, codes):
    client.force_login(cast.a.official_user)
    listing = client.get("/api/v1/codes/").json()["items"]
    assert {code["slug"] for code in listing} == {"hanoi-522", "hanoi-1665"}
    version = client.get(f"/api/v1/codes/{codes.officials.pk}/versions/1").json()
    assert version["status"] == "published" and version["is_summary"]
    assert version["chapters"][1]["articles"][0]["title"] == "Thời gian làm việc"


def test_signing_through_the_api_is_idempotent(cast, codes):
    from django.test import Client

    campaign = start_campaign(
        actor=cast.a.coordinator,
        version=codes.officials.published_version(),
        unit=cast.a.ward,
        deadline=timezone.localdate() + datetime.timedelta(days=5),
    )
    client = Client(enforce_csrf_checks=False)
    client.force_login(cast.a.official_user)
    first = client.post(f"/api/v1/codes/campaigns/{campaign.pk}/sign")
    again = client.post(f"/api/v1/codes/campaigns/{campaign.pk}/sign")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["signed_at"] == again.json()["signed_at"]
    assert Commitment.objects.count() == 1


def test_completion_through_the_api_is_limited_to_the_callers_subtree(client, cast, codes):
    campaign = start_campaign(
        actor=cast.city_coordinator,
        version=codes.officials.published_version(),
        unit=cast.city,
        deadline=timezone.localdate() + datetime.timedelta(days=5),
    )
    client.force_login(cast.b.head)
    body = client.get(f"/api/v1/codes/campaigns/{campaign.pk}/completion").json()
    assert (body["unit_id"], body["officials"], body["signed"]) == (cast.b.ward.pk, 1, 0)
    other = client.get(f"/api/v1/codes/campaigns/{campaign.pk}/completion?unit={cast.a.ward.pk}")
    assert other.status_code == 404
