"""Every list of conduct, page or API collection, takes the same number of queries with 2
rows as with 6: nothing is read row by row."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext

from civility.accounts.actions import create_api_token
from civility.conduct import actions
from civility.conduct.models import ViolationGroup
from civility.orgs.models import UnitKind
from civility.orgs.scopes import Role
from tests.factories import make_official, make_unit

pytestmark = pytest.mark.django_db
NAME = "Trần Văn Cán Bộ"


def _queries(get: Callable[[], HttpResponse]) -> tuple[int, HttpResponse]:
    get()  # the first read fills the per-process caches (content types, settings)
    with CaptureQueriesContext(connection) as captured:
        response = get()
    assert response.status_code == 200
    return len(captured), response


def _same_with_more(
    get: Callable[[], HttpResponse],
    add: Callable[[int], None],
    rows: Callable[[HttpResponse], int] | None = None,
) -> None:
    """The same queries before and after four more rows; `rows` counts the rows shown."""
    add(2)
    with_two, fewer = _queries(get)
    add(4)
    with_six, more = _queries(get)
    assert with_six == with_two
    if rows is not None:
        assert rows(more) >= rows(fewer) + 4


def _items(response: HttpResponse) -> int:
    return len(response.json()["items"])


def _text(text: str) -> Callable[[HttpResponse], int]:
    return lambda response: response.content.decode().count(text)


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


@pytest.mark.parametrize(("url", "rows"), [("/conduct/", _text(NAME)), ("/conduct/figures/", None)])
def test_the_handlers_pages_do_not_grow_with_the_records(client, cast, records, url, rows):
    client.force_login(cast.a.head)
    _same_with_more(lambda: client.get(url), records, rows)


def test_my_records_do_not_grow_with_the_records(client, cast, own_records):
    client.force_login(cast.a.official_user)
    _same_with_more(lambda: client.get("/conduct/mine/"), own_records, _text("VP-"))


def test_the_records_api_does_not_grow_with_the_records(client, cast, records):
    _token, secret = create_api_token(
        actor=cast.admin, name="test", unit=cast.a.ward, role=Role.UNIT_HEAD
    )
    headers = {"Authorization": f"Bearer {secret}"}
    _same_with_more(lambda: client.get("/api/v1/conduct/records", headers=headers), records, _items)


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
    _same_with_more(lambda: client.get("/conduct/catalogue/"), types, _text("QC-"))


def test_the_types_api_does_not_grow_with_the_types(client, cast, types):
    _token, secret = create_api_token(
        actor=cast.admin, name="test", unit=cast.city, role=Role.COORDINATOR
    )
    headers = {"Authorization": f"Bearer {secret}"}
    _same_with_more(lambda: client.get("/api/v1/conduct/types", headers=headers), types, _items)


def test_the_public_unit_search_does_not_grow_with_the_units(client, cast):
    def add(count: int) -> None:
        for number in range(count):
            make_unit(f"Phường Tìm Kiếm {number}", parent=cast.city, kind=UnitKind.WARD)

    _same_with_more(lambda: client.get("/conduct-report/?q=Tim Kiem"), add, _text("Tìm Kiếm"))
