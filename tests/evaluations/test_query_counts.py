"""Every list of evaluations, page or API collection, takes the same number of queries
however many rows it shows: nothing is read row by row. Each guard reads the list, adds four
more rows (officials, evaluations, periods, classifications) and reads it again."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from civility.accounts.actions import create_api_token
from civility.evaluations import actions
from civility.evaluations.models import AnnualClassification, EvaluationPeriod
from civility.evaluations.rules import AnnualLevel
from civility.orgs.scopes import Role
from tests.factories import make_official, make_post
from tests.query_counts import items, reader, same_with_more, text_count

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year - 1
NAME = "Phạm Văn Luân Chuyển"


def _api(cast) -> dict[str, str]:
    _token, secret = create_api_token(
        actor=cast.admin, name="test", unit=cast.a.ward, role=Role.UNIT_HEAD
    )
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def officials(cast, people):
    """Officials of ward a's department in a post subject to rotation, held since 2019."""
    post = make_post(
        "Cán bộ địa chính", unit=cast.a.department, is_sensitive=True, rotation_period_months=36
    )

    def add(count: int) -> None:
        for _ in range(count):
            make_official(
                NAME,
                unit=cast.a.department,
                post=post,
                post_start_date=datetime.date(2019, 1, 1),
            )

    return add


@pytest.fixture
def periods(cast, officials):
    """Each call adds officials and opens ward a's period for the next month."""
    months = iter(datetime.date(YEAR, month, 1) for month in range(1, 13))

    def add(count: int) -> None:
        officials(count)
        actions.open_period(actor=cast.city_coordinator, unit=cast.a.ward, month=next(months))

    return add


@pytest.fixture
def classifications(cast, officials):
    """Each call adds officials and proposes ward a's classifications for the year, then
    confirms them all at the lowest level (the follow-up lists those)."""

    def add(count: int) -> None:
        officials(count)
        actions.propose_classifications(actor=cast.city_coordinator, unit=cast.a.ward, year=YEAR)
        AnnualClassification.objects.filter(year=YEAR).update(
            final_level=AnnualLevel.NOT_COMPLETED,
            change_reason="Không hoàn thành nhiệm vụ.",
            confirmed_at=timezone.now(),
        )

    return add


@pytest.mark.parametrize(
    ("url", "rows"),
    [
        ("/evaluations/", None),
        ("/evaluations/list/", text_count(NAME)),
        (f"/evaluations/figures/?month={YEAR}-02", None),
        ("/evaluations/self-assessment/", None),
    ],
)
def test_the_evaluation_pages_do_not_grow_with_the_evaluations(client, cast, periods, url, rows):
    client.force_login(cast.a.head)
    same_with_more(reader(client, url), periods, rows)


def test_a_period_page_does_not_grow_with_its_evaluations(client, cast, periods):
    client.force_login(cast.a.head)
    urls = {}

    def add(count: int) -> None:
        periods(count)
        urls["latest"] = EvaluationPeriod.objects.latest("month").get_absolute_url()

    same_with_more(lambda: client.get(urls["latest"]), add, text_count(NAME))


def test_the_periods_api_does_not_grow_with_the_periods(client, cast, periods):
    headers = _api(cast)

    def add(count: int) -> None:
        for _ in range(count):
            periods(1)

    same_with_more(reader(client, "/api/v1/evaluations/periods", headers=headers), add, items)


@pytest.mark.parametrize(
    "url", [f"/evaluations/classifications/?year={YEAR}", "/evaluations/follow-up/"]
)
def test_the_classification_pages_do_not_grow_with_the_rows(client, cast, classifications, url):
    client.force_login(cast.a.head)
    same_with_more(reader(client, url), classifications, text_count(NAME))


def test_the_classifications_api_does_not_grow_with_the_rows(client, cast, classifications):
    headers = _api(cast)
    url = f"/api/v1/evaluations/classifications?year={YEAR}"
    same_with_more(reader(client, url, headers=headers), classifications, items)


def test_the_rotation_page_does_not_grow_with_the_officials(client, cast, officials):
    client.force_login(cast.a.head)
    same_with_more(reader(client, "/evaluations/rotation/"), officials, text_count(NAME))


def test_the_rotation_api_does_not_grow_with_the_officials(client, cast, officials):
    headers = _api(cast)
    same_with_more(
        reader(client, "/api/v1/evaluations/rotation/due", headers=headers), officials, items
    )
