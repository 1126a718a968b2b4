"""Fixtures for conduct records: the cast, Hanoi's starting catalogue, an inspector, a
colleague of the cast's official in the same department, and a helper to file records."""

from __future__ import annotations

import datetime

import pytest

from civility.conduct import actions
from civility.conduct.models import Source, ViolationRecord, ViolationType
from civility.orgs.scopes import Role
from tests.factories import make_official, make_user


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def catalogue(cast) -> int:
    return actions.load_catalogue_seed(actor=None, unit=cast.city)


@pytest.fixture
def late(catalogue) -> ViolationType:
    """Working hours breach found by a surprise check."""
    return ViolationType.objects.current().get(key="KTDX-1")


@pytest.fixture
def inspector_a(cast):
    return make_user("inspector_a", roles={Role.INSPECTOR: cast.a.ward})


@pytest.fixture
def colleague_a(cast):
    """Another official of the same department, with an account."""
    user = make_user("colleague_a", roles={Role.OFFICIAL: cast.a.department})
    make_official("Lê Thị Đồng Nghiệp", unit=cast.a.department, user=user)
    return user


@pytest.fixture
def file_record(cast, late):
    """File a record about the cast's official in ward a, reported by head a."""

    def make(
        *, official=None, actor=None, occurred_on=None, violation_type=None, **fields
    ) -> ViolationRecord:
        return actions.report_violation(
            actor=actor or cast.a.head,
            official=official or cast.a.official,
            violation_type=violation_type or late,
            occurred_on=occurred_on or datetime.date(2025, 3, 10),
            source=fields.pop("source", Source.SURPRISE_CHECK),
            description=fields.pop("description", "Vắng mặt tại bộ phận một cửa lúc 9 giờ."),
            **fields,
        )

    return make
