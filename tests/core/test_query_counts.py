"""The lists of core and accounts (the audit log, a person's jobs, the accounts a system
administrator looks after, API tokens) read the same number of queries for 2 rows as for
6: each row's unit, owner or actor comes with the page, not one query a row."""

from __future__ import annotations

from civility.accounts.actions import create_api_token
from civility.core.models import Job
from civility.orgs.scopes import Role
from tests.factories import make_unit, make_user
from tests.query_counts import each_row, reader, same_with_more


def test_the_audit_log_reads_the_same_queries_for_two_and_six_changes(client, cast):
    client.force_login(cast.admin)
    same_with_more(
        reader(client, "/audit/"),
        each_row(lambda n: make_unit(f"Tổ dân phố {n}", parent=cast.a.ward)),
        sixth="Tổ dân phố 5",
    )


def test_the_job_list_reads_the_same_queries_for_two_and_six_jobs(client, cast):
    client.force_login(cast.a.coordinator)
    same_with_more(
        reader(client, "/jobs/"),
        each_row(
            lambda n: Job.objects.create(
                kind="orgs.import_officials", title=f"Nhập danh sách {n}", owner=cast.a.coordinator
            )
        ),
        sixth="Nhập danh sách 5",
    )


def test_the_accounts_list_reads_the_same_queries_for_two_and_six_accounts(client, cast):
    client.force_login(cast.admin)
    same_with_more(
        reader(client, "/accounts/people/?q=canbo"),
        each_row(lambda n: make_user(f"canbo{n}", first_name=f"Cán bộ {n}")),
        sixth="canbo5",
    )


def test_the_token_list_reads_the_same_queries_for_two_and_six_tokens(client, cast):
    client.force_login(cast.admin)
    same_with_more(
        reader(client, "/accounts/tokens/"),
        each_row(
            lambda n: create_api_token(
                actor=cast.a.coordinator,
                name=f"Đồng bộ {n}",
                unit=cast.a.ward,
                role=Role.COORDINATOR,
            )
        ),
        sixth="Đồng bộ 5",
    )
