"""Every list page and API collection of codes takes as many queries for 6 rows as for 2."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from civility.codes.actions import record_activity, sign_commitment, start_campaign
from civility.codes.models import (
    ActivityKind,
    Code,
    CodeAudience,
    CodeVersion,
    TargetGroup,
    VersionStatus,
)
from civility.orgs.models import UnitKind
from tests.factories import make_place, make_unit
from tests.query_counts import each_row, reader, same_with_more


def _code(cast, number: int) -> Code:
    """A code with a published and a draft version."""
    code = Code.objects.create(
        unit=cast.city,
        slug=f"code-{number}",
        audience=CodeAudience.OFFICIALS,
        title=f"Quy tắc {number}",
    )
    CodeVersion.objects.create(
        code=code, number=1, status=VersionStatus.PUBLISHED, published_at=timezone.now()
    )
    CodeVersion.objects.create(code=code, number=2)
    return code


def _campaign(cast, codes, number: int):
    ward = make_unit(f"Phường {number}", parent=cast.city, kind=UnitKind.WARD)
    return start_campaign(
        actor=cast.city_coordinator,
        version=codes.officials.published_version(),
        unit=ward,
        title=f"Cam kết {number}",
        deadline=timezone.localdate() + datetime.timedelta(days=10 + number),
    )


def _activity(cast, codes, number: int):
    return record_activity(
        actor=cast.a.head,
        unit=cast.a.ward,
        kind=ActivityKind.MEETING,
        target_groups=[TargetGroup.OFFICIALS],
        held_on=timezone.localdate() - datetime.timedelta(days=number),
        reached=10 + number,
        code=codes.officials,
        place=make_place(f"Chợ {number}", unit=cast.a.ward),
    )


def test_the_code_list_page(client, cast):
    client.force_login(cast.city_coordinator)
    same_with_more(
        reader(client, reverse("codes:code_list")), each_row(lambda number: _code(cast, number))
    )


def test_the_public_list_of_codes(client, cast):
    same_with_more(
        reader(client, reverse("codes_public:index")), each_row(lambda number: _code(cast, number))
    )


def test_the_codes_api(client, cast):
    client.force_login(cast.admin)
    same_with_more(reader(client, "/api/v1/codes/"), each_row(lambda number: _code(cast, number)))


def test_the_campaign_list_page(client, cast, codes):
    client.force_login(cast.city_coordinator)
    same_with_more(
        reader(client, reverse("codes:campaign_list")),
        each_row(lambda number: _campaign(cast, codes, number)),
    )


def test_the_officials_own_commitments_page(client, cast, codes):
    client.force_login(cast.a.official_user)

    def add(number: int) -> None:
        campaign = start_campaign(
            actor=cast.city_coordinator,
            version=codes.officials.published_version(),
            unit=cast.city,
            title=f"Cam kết {number}",
            deadline=timezone.localdate() + datetime.timedelta(days=10 + number),
        )
        if number % 2:
            sign_commitment(actor=cast.a.official_user, campaign=campaign)

    same_with_more(reader(client, reverse("codes:my_commitments")), each_row(add))


def test_the_activity_list_page(client, cast, codes):
    client.force_login(cast.city_coordinator)
    same_with_more(
        reader(client, reverse("codes:activity_list")),
        each_row(lambda number: _activity(cast, codes, number)),
    )


def test_the_dissemination_summary(client, cast, codes):
    client.force_login(cast.city_coordinator)
    same_with_more(
        reader(client, reverse("codes:dissemination_summary")),
        each_row(lambda number: _activity(cast, codes, number)),
    )


def test_the_board_index(client, cast, codes):
    client.force_login(cast.city_coordinator)

    def add(number: int) -> None:
        make_unit(f"Quầy {number}", parent=cast.a.department, kind=UnitKind.COUNTER)
        make_place(f"Chợ {number}", unit=cast.b.ward)

    same_with_more(reader(client, reverse("codes:board_index")), each_row(add))
