"""The people of docs/security.md's table, around one confidential record in ward a, and a
counter with its kiosk (tests.feedback.conftest.point) for the probes of public endpoints.

An inspector of ward a (`filer`) files a record about an official who is also a coordinator
of ward a (`concerned`: the audit-log reader the table must keep from learning who reported),
with a photo and a PDF attached. Everyone else is the fixed cast (tests/conftest.py) plus
another inspector and a system administrator of ward a.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from civility.conduct import actions
from civility.conduct.models import Source, ViolationType
from civility.orgs.scopes import Role
from tests.factories import make_official, make_user
from tests.feedback.conftest import point  # noqa: F401 (a counter with its kiosk)
from tests.security.files import jpeg_with_exif, pdf_with_metadata


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _no_request_id_left_over():
    """auditlog keeps the last request's correlation id in a context variable, which the
    test client's requests share: rows a fixture writes would carry the previous test's."""
    from auditlog.cid import correlation_id

    correlation_id.set(None)


@pytest.fixture
def late(cast) -> ViolationType:
    actions.load_catalogue_seed(actor=None, unit=cast.city)
    return ViolationType.objects.current().get(key="KTDX-1")


@pytest.fixture
def filer(cast):
    return make_user("sec_insp_a", roles={Role.INSPECTOR: cast.a.ward})


@pytest.fixture
def inspector(cast):
    return make_user("inspector_a", roles={Role.INSPECTOR: cast.a.ward})


@pytest.fixture
def system_admin(cast):
    return make_user("sysadmin_a", roles={Role.SYSTEM_ADMIN: cast.a.ward})


@pytest.fixture
def concerned(cast):
    """An official of ward a's department who also coordinates the ward's programme."""
    user = make_user(
        "coord_concerned",
        roles={Role.COORDINATOR: cast.a.ward, Role.OFFICIAL: cast.a.department},
    )
    make_official("Trần Thị Liên Quan", unit=cast.a.department, user=user)
    return user


@pytest.fixture
def record(cast, late, filer, concerned):
    """Filed by an inspector about the coordinator-official, with two identifying files."""
    return actions.report_violation(
        actor=filer,
        official=concerned.official,
        violation_type=late,
        occurred_on=datetime.date(2025, 3, 10),
        source=Source.SURPRISE_CHECK,
        description="Vắng mặt tại bộ phận một cửa lúc 9 giờ.",
        files=[
            SimpleUploadedFile("anh.jpg", jpeg_with_exif(), "image/jpeg"),
            SimpleUploadedFile("bien-ban.pdf", pdf_with_metadata(), "application/pdf"),
        ],
    )


@pytest.fixture
def people(cast, concerned, inspector, system_admin) -> dict:
    """The table's rows that are accounts, by the name docs/security.md gives them."""
    return {
        "official concerned": concerned,
        "unit head": cast.a.head,
        "coordinator": cast.a.coordinator,
        "inspector": inspector,
        "system administrator": system_admin,
        "superuser": cast.admin,
        "colleague": cast.a.official_user,
        "other ward's coordinator": cast.b.coordinator,
    }
