"""The lists of core and accounts (the audit log, a person's jobs, the accounts a system
administrator looks after, API tokens) read the same number of queries for 2 rows as for
6: each row's unit, owner or actor comes with the page, not one query a row."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from civility.accounts.actions import create_api_token
from civility.core.models import Job
from civility.orgs.scopes import Role
from tests.factories import make_unit, make_user


def _queries(client, url: str) -> tuple[int, bytes]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries), response.content


def _same_for_two_and_six(client, url: str, add_row, shown) -> None:
    for number in range(2):
        add_row(number)
    _queries(client, url)  # the first page of a session also stores the session's state
    two, _page = _queries(client, url)
    for number in range(2, 6):
        add_row(number)
    six, page = _queries(client, url)
    assert shown(5).encode() in page  # the rows really grew on the page
    assert six == two


def test_the_audit_log_reads_the_same_queries_for_two_and_six_changes(client, cast):
    client.force_login(cast.admin)
    _same_for_two_and_six(
        client,
        "/audit/",
        lambda n: make_unit(f"Tổ dân phố {n}", parent=cast.a.ward),
        lambda n: f"Tổ dân phố {n}",
    )


def test_the_job_list_reads_the_same_queries_for_two_and_six_jobs(client, cast):
    client.force_login(cast.a.coordinator)
    _same_for_two_and_six(
        client,
        "/jobs/",
        lambda n: Job.objects.create(
            kind="orgs.import_officials", title=f"Nhập danh sách {n}", owner=cast.a.coordinator
        ),
        lambda n: f"Nhập danh sách {n}",
    )


def test_the_accounts_list_reads_the_same_queries_for_two_and_six_accounts(client, cast):
    client.force_login(cast.admin)
    _same_for_two_and_six(
        client,
        "/accounts/people/?q=canbo",
        lambda n: make_user(f"canbo{n}", first_name=f"Cán bộ {n}"),
        lambda n: f"canbo{n}",
    )


def test_the_token_list_reads_the_same_queries_for_two_and_six_tokens(client, cast):
    client.force_login(cast.admin)
    _same_for_two_and_six(
        client,
        "/accounts/tokens/",
        lambda n: create_api_token(
            actor=cast.a.coordinator, name=f"Đồng bộ {n}", unit=cast.a.ward, role=Role.COORDINATOR
        ),
        lambda n: f"Đồng bộ {n}",
    )
