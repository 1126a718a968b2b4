"""Fixtures for inspections: the cast, Hanoi's codes, the three shipped checklists, an
inspector for each ward and a counter under ward A."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

import pytest
from django.utils import timezone

from civility.codes.actions import load_code_seed
from civility.inspections import actions
from civility.inspections.models import ChecklistTemplate, Inspection, InspectionKind
from civility.orgs.models import OrgUnit, UnitKind
from civility.orgs.scopes import Role
from tests.factories import make_unit, make_user


@dataclass
class Templates:
    counter: ChecklistTemplate
    office: ChecklistTemplate
    public_place: ChecklistTemplate


@pytest.fixture(autouse=True)
def _mail_and_media(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def templates(cast) -> Templates:
    load_code_seed(actor=None, unit=cast.city, slug="hanoi-522")
    load_code_seed(actor=None, unit=cast.city, slug="hanoi-1665")
    return Templates(
        counter=actions.load_template_seed(actor=None, unit=cast.city, slug="one-stop-counter"),
        office=actions.load_template_seed(actor=None, unit=cast.city, slug="office-culture"),
        public_place=actions.load_template_seed(actor=None, unit=cast.city, slug="public-place"),
    )


@pytest.fixture
def counter_a(cast) -> OrgUnit:
    return make_unit("Quầy số 1", parent=cast.a.ward, kind=UnitKind.COUNTER)


@pytest.fixture
def inspector(cast):
    """An inspector of the city (the city's inspection delegation)."""
    return make_user("inspector_city", roles={Role.INSPECTOR: cast.city}, email="insp@example.vn")


@pytest.fixture
def inspection(cast, templates, inspector, counter_a) -> Inspection:
    """A surprise inspection of ward A's counter by the city, started now."""
    return actions.start_inspection_on_the_spot(
        actor=inspector,
        inspecting_unit=cast.city,
        template=templates.counter,
        unit=counter_a,
        kind=InspectionKind.SURPRISE,
    )


def answer(criterion, value="yes", *, not_applicable=False, client_id=None, at=None, note=""):
    return actions.AnswerIn(
        client_id=client_id or uuid.uuid4(),
        criterion_id=criterion.pk,
        value=value,
        not_applicable=not_applicable,
        note=note,
        answered_at=at or timezone.now(),
    )


def full_answers(inspection: Inspection, overrides: dict | None = None) -> list:
    """A passing answer to every criterion, with `overrides` by ref ("A1": "no")."""
    overrides = overrides or {}
    items = []
    for criterion in inspection.template_version.criteria():
        value = criterion.kind.example(criterion)
        override = overrides.get(criterion.ref, value)
        if override == "n/a":
            items.append(answer(criterion, "", not_applicable=True))
        else:
            items.append(answer(criterion, override))
    return items


def photo_bytes(fmt="JPEG", size=(40, 30), exif=None) -> bytes:
    import io

    from PIL import Image

    image = Image.new("RGB", size, "green")
    buffer = io.BytesIO()
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(buffer, format=fmt, **kwargs)
    return buffer.getvalue()


def answer_all_with_photos(inspection: Inspection, actor, overrides=None) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    actions.record_answers(
        actor=actor, inspection=inspection, answers=full_answers(inspection, overrides)
    )
    for criterion in inspection.template_version.criteria().filter(photo_required=True):
        actions.add_photo(
            actor=actor,
            inspection=inspection,
            criterion=criterion,
            upload=SimpleUploadedFile("p.jpg", photo_bytes(), content_type="image/jpeg"),
        )


TODAY = datetime.date(2026, 3, 2)
