"""Every conduct page renders, in English and in Vietnamese (the default), and the list page's
query count does not grow with the records."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from civility.conduct.demo import load_conduct_demo


@pytest.mark.parametrize("language", ["en", "vi"])
def test_pages_render_for_a_head(client, settings, cast, file_record, language):
    settings.LANGUAGE_CODE = language
    record = file_record()
    client.force_login(cast.a.head)
    for url in (
        "/conduct/",
        "/conduct/new/",
        f"/conduct/{record.pk}/",
        "/conduct/mine/",
        "/conduct/catalogue/",
        "/conduct/figures/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url


@pytest.mark.parametrize("language", ["en", "vi"])
def test_public_pages_render_without_an_account(client, settings, cast, language):
    settings.LANGUAGE_CODE = language
    for url in (
        "/conduct-report/",
        "/conduct-report/?q=tay",
        f"/conduct-report/unit/{cast.a.ward.pk}/",
        "/conduct-report/status/",
    ):
        assert client.get(url).status_code == 200, url


def test_an_official_without_handler_roles_lands_on_their_own_records(client, cast):
    client.force_login(cast.a.official_user)
    response = client.get("/conduct/")
    assert response.status_code == 302 and response.url == "/conduct/mine/"


def test_the_list_page_query_count_does_not_grow(client, cast, file_record):
    file_record()
    client.force_login(cast.a.head)
    client.get("/conduct/")
    with CaptureQueriesContext(connection) as few:
        client.get("/conduct/")
    for _ in range(10):
        file_record()
    with CaptureQueriesContext(connection) as many:
        client.get("/conduct/")
    assert len(many) == len(few)


def test_the_demo_loads_once(db):
    from civility.orgs.demo import load_demo_data

    load_demo_data()  # imports Hanoi itself
    first = load_conduct_demo()
    assert first.types == 34 and first.records == 10
    assert len(first.receipts) == 1
    again = load_conduct_demo()
    assert (again.types, again.records) == (0, 0)
