"""Helpers for API tests: tokens for the cast, and bearer headers."""

from __future__ import annotations

import pytest

from civility.accounts.actions import create_api_token
from civility.orgs.scopes import Role


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def make_token(cast):
    """Create a token owned by the cast's administrator; returns (token, headers)."""

    def make(unit, role: str = Role.VIEWER, **fields):
        api_token, secret = create_api_token(
            actor=fields.pop("actor", cast.admin), name="test", unit=unit, role=role, **fields
        )
        return api_token, bearer(secret)

    return make


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The cast creates eight users; the real hasher would make each test take seconds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def plain_static_files(settings):
    # Tests run without collectstatic, so the manifest storage has no entries to look up.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
