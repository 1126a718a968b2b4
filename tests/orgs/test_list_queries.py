"""The unit and place lists, as pages and as API collections, read the same number of
queries for 2 rows as for 6 (officials have their own guards: test_pages_officials.py and
tests/api/test_read.py)."""

from __future__ import annotations

from tests.factories import make_official, make_place, make_unit
from tests.query_counts import each_row, reader, same_with_more


def _unit(cast, number: int):
    unit = make_unit(f"Tổ dân phố {number}", parent=cast.a.ward, kind="residential_group")
    make_official(f"Tổ trưởng {number}", unit=unit)
    return unit


def _place(cast, number: int):
    return make_place(f"Chợ số {number}", unit=make_unit(f"Tổ {number}", parent=cast.a.ward))


def test_the_unit_list_reads_the_same_queries_for_two_and_six(client, cast):
    client.force_login(cast.a.head)
    same_with_more(reader(client, "/units/?q=dân"), each_row(lambda n: _unit(cast, n)))


def test_the_place_list_reads_the_same_queries_for_two_and_six(client, cast):
    client.force_login(cast.a.head)
    same_with_more(reader(client, "/places/"), each_row(lambda n: _place(cast, n)))


def test_the_unit_collection_reads_the_same_queries_for_two_and_six(client, cast):
    client.force_login(cast.a.head)
    same_with_more(reader(client, "/api/v1/units"), each_row(lambda n: _unit(cast, n)))


def test_the_unit_subtree_reads_the_same_queries_for_two_and_six(client, cast):
    client.force_login(cast.a.head)
    url = f"/api/v1/units/{cast.a.ward.pk}/subtree"
    same_with_more(reader(client, url), each_row(lambda n: _unit(cast, n)))


def test_the_place_collection_reads_the_same_queries_for_two_and_six(client, cast):
    client.force_login(cast.a.head)
    same_with_more(reader(client, "/api/v1/places"), each_row(lambda n: _place(cast, n)))


def test_the_unit_tree_reads_the_same_queries_for_two_and_six_children(client, cast):
    client.force_login(cast.a.head)
    url = f"/units/{cast.a.ward.pk}/children/"
    same_with_more(reader(client, url), each_row(lambda n: _unit(cast, n)))
