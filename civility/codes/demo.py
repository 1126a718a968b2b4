"""Demo commitment campaign (after `load_demo_data` and `load_codes`): the city asks every
official to sign the officials' code this year, with a deadline a month from the day the
demo is loaded, and the coordinator and the Tây Hồ head have signed already.

Idempotent and at any date: a new campaign is started only when none is open today (the one
from an earlier `make run` may have closed since), so an official always has one to sign.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from civility.codes import actions
from civility.codes.models import Code, CommitmentCampaign, VersionStatus
from civility.orgs.models import OrgUnit, UnitKind

OFFICIALS_CODE = "hanoi-522"
CAMPAIGN_DAYS = 30
SIGNED_ALREADY = ("demo_coordinator", "demo_head")


@transaction.atomic
def load_codes_demo() -> CommitmentCampaign | None:
    """The open campaign, or None when one was already open (nothing created)."""
    city = OrgUnit.objects.filter(kind=UnitKind.PROVINCE, code="01").first()
    users = get_user_model().objects
    coordinator = users.filter(username="demo_coordinator").first()
    code = Code.objects.filter(slug=OFFICIALS_CODE).first()
    if city is None or coordinator is None or code is None:
        raise LookupError("Run import_admin_units, load_demo_data and load_codes first.")
    today = timezone.localdate()
    if CommitmentCampaign.objects.filter(unit=city).open(on=today).exists():
        return None
    version = code.versions.get(status=VersionStatus.PUBLISHED)
    campaign = actions.start_campaign(
        actor=coordinator,
        version=version,
        unit=city,
        deadline=today + datetime.timedelta(days=CAMPAIGN_DAYS),
        title=f"Ký cam kết thực hiện Quy tắc ứng xử năm {today.year}",
    )
    for user in users.filter(username__in=SIGNED_ALREADY, official__isnull=False):
        actions.sign_commitment(actor=user, campaign=campaign)
    return campaign
