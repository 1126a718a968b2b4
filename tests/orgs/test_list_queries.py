"""The unit and place lists, as pages and as API collections, read the same number of
queries for 2 rows as for 6 (officials have their own guards: test_pages_officials.py and
tests/api/test_read.py)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_official, make_place, make_unit


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


def _same_for_two_and_six(client, url: str, add_row) -> None:
    for number in range(2):
        add_row(number)
    two = _queries(client, url)
    for number in range(2, 6):
        add_row(number)
    assert _queries(client, url) == two


def _unit(cast, number: int):
    unit = make_unit(f"Tổ dân phố {number}", parent=cast.a.ward, kind="residential_group")
    make_official(f"Tổ trưởng {number}", unit=unit)
    return unit


def _place(cast, number: int):
    return make_place(f"Chợ số {number}", unit=make_unit(f"Tổ {number}", parent=cast.a.ward))


def test_the_unit_list_reads_the_same_queries_for_two_and_six(client, cast):
    client.force_login(cast.a.head)
    _same_for_two_and_six(client, "/units/?q=dân", lambda n: _unit(cast, n))


def test_the_place_list_reads_the_same_queries_for_two_and_six(client, cast):
    client.force_login(cast.a.head)
    _same_for_two_and_six(client, "/places/", lambda n: _place(cast, n))


def test_the_unit_collection_reads_the_same_queries_for_two_and_six(client, cast):
    client.force_login(cast.a.head)
    _same_for_two_and_six(client, "/api/v1/units", lambda n: _unit(cast, n))


def test_the_unit_subtree_reads_the_same_queries_for_two_and_six(client, cast):
    client.force_login(cast.a.head)
    url = f"/api/v1/units/{cast.a.ward.pk}/subtree"
    _same_for_two_and_six(client, url, lambda n: _unit(cast, n))


def test_the_place_collection_reads_the_same_queries_for_two_and_six(client, cast):
    client.force_login(cast.a.head)
    _same_for_two_and_six(client, "/api/v1/places", lambda n: _place(cast, n))


def test_the_unit_tree_reads_the_same_queries_for_two_and_six_children(client, cast):
    client.force_login(cast.a.head)
    url = f"/units/{cast.a.ward.pk}/children/"
    _same_for_two_and_six(client, url, lambda n: _unit(cast, n))
