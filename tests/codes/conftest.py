"""Fixtures for the codes app: the cast plus Hanoi's two shipped codes, published."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from civility.codes.actions import load_code_seed
from civility.codes.models import Code


@dataclass
class Codes:
    officials: Code  # Decision 522/QĐ-UBND (summary)
    public_places: Code  # Decision 1665/QĐ-UBND (summary)


@pytest.fixture(autouse=True)
def _mail_and_media(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def codes(cast) -> Codes:
    return Codes(
        officials=load_code_seed(actor=None, unit=cast.city, slug="hanoi-522"),
        public_places=load_code_seed(actor=None, unit=cast.city, slug="hanoi-1665"),
    )
