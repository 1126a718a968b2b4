"""Fixtures for programmes: the cast, a city programme, and indicator helpers."""

from __future__ import annotations

import datetime

import pytest

from civility.accounts.actions import create_api_token
from civility.orgs.scopes import Role
from civility.programmes.actions import create_programme
from civility.programmes.models import Programme, ProgrammeKind


@pytest.fixture(autouse=True)
def _mail_and_media(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def programme(cast) -> Programme:
    return create_programme(
        actor=cast.city_coordinator,
        unit=cast.city,
        kind=ProgrammeKind.PROGRAMME,
        number="06-CTr/TU",
        title="Phát triển văn hóa, nâng cao chất lượng nguồn nhân lực, xây dựng người Hà Nội",
        starts_on=datetime.date(2021, 1, 1),
        ends_on=datetime.date(2025, 12, 31),
    )


@pytest.fixture
def make_token(cast):
    """An API token on a unit with a role; returns (token, headers)."""

    def make(unit, role: str = Role.VIEWER):
        token, secret = create_api_token(actor=cast.admin, name="test", unit=unit, role=role)
        return token, {"Authorization": f"Bearer {secret}"}

    return make
