"""Every list of conduct, page or API collection, takes the same number of queries with 2
rows as with 6: nothing is read row by row."""

from __future__ import annotations

import pytest

from civility.accounts.actions import create_api_token
from civility.conduct import actions
from civility.conduct.models import ViolationGroup
from civility.orgs.models import UnitKind
from civility.orgs.scopes import Role
from tests.factories import make_official, make_unit
from tests.query_counts import items, reader, same_with_more, text_count

pytestmark = pytest.mark.django_db
NAME = "Trần Văn Cán Bộ"


@pytest.fixture
def records(cast, file_record):
    """Records about different officials of ward a's department, reported by its head."""

    def add(count: int) -> None:
        for _ in range(count):
            official = make_official(NAME, unit=cast.a.department)
            record = file_record(official=official)
            actions.start_verification(actor=cast.a.head, record=record)

    return add


@pytest.fixture
def own_records(cast, file_record):
    """Records about the cast's official, who reads their own."""

    def add(count: int) -> None:
        for _ in range(count):
            file_record()

    return add


@pytest.mark.parametrize(
    ("url", "rows"), [("/conduct/", text_count(NAME)), ("/conduct/figures/", None)]
)
def test_the_handlers_pages_do_not_grow_with_the_records(client, cast, records, url, rows):
    client.force_login(cast.a.head)
    same_with_more(reader(client, url), records, rows)


def test_my_records_do_not_grow_with_the_records(client, cast, own_records):
    client.force_login(cast.a.official_user)
    same_with_more(reader(client, "/conduct/mine/"), own_records, text_count("VP-"))


def test_the_records_api_does_not_grow_with_the_records(client, cast, records):
    _token, secret = create_api_token(
        actor=cast.admin, name="test", unit=cast.a.ward, role=Role.UNIT_HEAD
    )
    headers = {"Authorization": f"Bearer {secret}"}
    same_with_more(reader(client, "/api/v1/conduct/records", headers=headers), records, items)


@pytest.fixture
def types(cast, catalogue):
    group = ViolationGroup.objects.filter(unit=cast.city).first()
    added = []

    def add(count: int) -> None:
        for _ in range(count):
            key = f"QC-{len(added) + 1}"
            added.append(
                actions.create_violation_type(
                    actor=cast.city_coordinator, group=group, key=key, title=f"Vi phạm {key}"
                )
            )

    return add


def test_the_catalogue_does_not_grow_with_the_types(client, cast, types):
    client.force_login(cast.city_coordinator)
    same_with_more(reader(client, "/conduct/catalogue/"), types, text_count("QC-"))


def test_the_types_api_does_not_grow_with_the_types(client, cast, types):
    _token, secret = create_api_token(
        actor=cast.admin, name="test", unit=cast.city, role=Role.COORDINATOR
    )
    headers = {"Authorization": f"Bearer {secret}"}
    same_with_more(reader(client, "/api/v1/conduct/types", headers=headers), types, items)


def test_the_public_unit_search_does_not_grow_with_the_units(client, cast):
    def add(count: int) -> None:
        for number in range(count):
            make_unit(f"Phường Tìm Kiếm {number}", parent=cast.city, kind=UnitKind.WARD)

    same_with_more(reader(client, "/conduct-report/?q=Tim Kiem"), add, text_count("Tìm Kiếm"))
