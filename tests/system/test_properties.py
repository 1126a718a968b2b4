"""Property-based tests (hypothesis) of the arithmetic users see and of the hostile-input
guards: inspection scoring, award quota limits, photo uploads, spreadsheet cells."""

from __future__ import annotations

import io
import math
import os
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from PIL import Image

from civility.awards.eligibility import quotas
from civility.awards.models import Quota, QuotaBase
from civility.core import photos
from civility.core.exports import FORMULA_STARTS, append_row, csv_row
from civility.inspections import scoring
from civility.inspections.models import AnswerKind
from civility.orgs.models import OrgUnit

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- scoring ---------------------------------------------------------------------------------


@dataclass
class FakeCriterion:
    pk: int
    answer_kind: str
    weight: Decimal
    max_score: int | None = None
    options: list = field(default_factory=list)

    @property
    def is_scored(self) -> bool:
        return self.answer_kind in (AnswerKind.YES_NO, AnswerKind.SCORE, AnswerKind.CHOICE)


class FakeSection:
    def __init__(self, pk, criteria):
        self.pk, self.display_title = pk, f"S{pk}"
        self.criteria = SimpleNamespace(all=lambda: criteria)


weights = st.decimals(min_value=Decimal("0.1"), max_value=Decimal("10"), places=1)


@st.composite
def answered_criterion(draw, pk):
    kind = draw(st.sampled_from([AnswerKind.YES_NO, AnswerKind.SCORE, AnswerKind.CHOICE]))
    weight = draw(weights)
    if kind == AnswerKind.YES_NO:
        criterion = FakeCriterion(pk, kind, weight)
        value = draw(st.sampled_from(["yes", "no"]))
    elif kind == AnswerKind.SCORE:
        top = draw(st.integers(1, 10))
        criterion = FakeCriterion(pk, kind, weight, max_score=top)
        value = str(draw(st.integers(0, top)))
    else:
        scores = draw(st.lists(st.sampled_from(["0", "0.5", "1", "1.5", "-1"]), min_size=1))
        options = [{"value": f"o{i}", "score": s} for i, s in enumerate(scores)]
        criterion = FakeCriterion(pk, kind, weight, options=options)
        value = draw(st.sampled_from([o["value"] for o in options]))
    na = draw(st.booleans())
    return criterion, SimpleNamespace(value=value, not_applicable=na)


@st.composite
def checklists(draw):
    count = draw(st.integers(1, 12))
    pairs = [draw(answered_criterion(pk)) for pk in range(1, count + 1)]
    split = draw(st.integers(0, count))
    sections = [FakeSection(1, [c for c, _ in pairs[:split]])]
    sections.append(FakeSection(2, [c for c, _ in pairs[split:]]))
    return sections, {c.pk: a for c, a in pairs}


@FAST
@given(checklists())
def test_a_score_is_a_percentage_or_none_when_nothing_applies(checklist):
    sections, answers = checklist
    result = scoring.score(sections, answers)
    applicable = [a for a in answers.values() if not a.not_applicable]
    if not applicable:
        assert result.percent is None
    else:
        assert Decimal(0) <= result.percent <= Decimal(100)
    for section in result.sections:
        assert section.percent is None or Decimal(0) <= section.percent <= Decimal(100)
    assert result.earned <= result.possible


@FAST
@given(checklists())
def test_not_applicable_answers_neither_help_nor_hurt(checklist):
    sections, answers = checklist
    before = scoring.score(sections, answers).percent
    extra = FakeCriterion(999, AnswerKind.YES_NO, Decimal("5"))
    old = list(sections[0].criteria.all())
    sections[0].criteria = SimpleNamespace(all=lambda: [*old, extra])
    answers = {**answers, 999: SimpleNamespace(value="no", not_applicable=True)}
    assert scoring.score(sections, answers).percent == before


@FAST
@given(checklists())
def test_full_marks_everywhere_is_exactly_one_hundred(checklist):
    sections, answers = checklist
    best = {}
    for section in sections:
        for c in section.criteria.all():
            if c.answer_kind == AnswerKind.YES_NO:
                value = "yes"
            elif c.answer_kind == AnswerKind.SCORE:
                value = str(c.max_score)
            else:
                value = max(c.options, key=lambda o: Decimal(o["score"]))["value"]
                assume(Decimal(max(c.options, key=lambda o: Decimal(o["score"]))["score"]) >= 1)
            best[c.pk] = SimpleNamespace(value=value, not_applicable=False)
    assert scoring.score(sections, best).percent == Decimal("100.00")


@FAST
@given(
    st.decimals(min_value=0, max_value=1000, places=2),
    st.decimals(min_value=Decimal("0.01"), max_value=1000, places=2),
)
def test_percent_is_rounded_half_up_to_two_places(earned, possible):
    assume(earned <= possible)
    value = scoring.percent(earned, possible)
    assert value == value.quantize(Decimal("0.01"))
    assert abs(value - 100 * earned / possible) <= Decimal("0.005")


# --- award quotas ----------------------------------------------------------------------------


@FAST
@given(
    max_count=st.one_of(st.none(), st.integers(0, 500)),
    max_percent=st.one_of(st.none(), st.integers(1, 100)),
    members=st.integers(0, 5000),
)
def test_a_quota_limit_is_the_tightest_of_its_count_and_its_share(
    monkeypatch_module, max_count, max_percent, members
):
    assume(max_count is not None or max_percent is not None)
    counted = SimpleNamespace(count=lambda: members)
    monkeypatch_module.setattr(
        quotas.Official,
        "objects",
        SimpleNamespace(under=lambda unit: SimpleNamespace(active=lambda: counted)),
    )
    quota = Quota(
        unit=OrgUnit(name="Phường", path="1/"),
        max_count=max_count,
        max_percent=max_percent,
        percent_of=QuotaBase.MEMBERS,
    )
    limit = quotas.quota_limit(quota, 2025)
    share = math.floor(members * max_percent / 100) if max_percent is not None else None
    assert limit == min(x for x in (max_count, share) if x is not None)
    assert 0 <= limit <= members or max_percent is None
    # Never more people than the share allows: floor, not rounding.
    if share is not None:
        assert limit * 100 <= members * max_percent


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


# --- photo uploads ---------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=4096), st.text(max_size=40))
def test_any_bytes_that_are_not_a_photo_are_refused_with_a_message(data, name):
    base = os.path.basename(name.replace("\x00", ""))
    if base in {"", ".", ".."}:
        base = "x.jpg"  # Django's upload handling never passes such a name on
    upload = SimpleUploadedFile(base, data, content_type="image/jpeg")
    with pytest.raises(ValidationError) as refused:
        photos.clean_photo(upload)
    assert refused.value.code == "invalid_type"


@settings(max_examples=25, deadline=None)
@given(
    st.integers(1, 300),
    st.integers(1, 300),
    st.sampled_from(["JPEG", "PNG", "GIF", "BMP", "TIFF", "WEBP"]),
    st.sampled_from(["../../etc/passwd", "a/b/c.jpg", "..\\x.png", "photo.php", "x.svg"]),
)
def test_a_photo_is_checked_by_content_reencoded_and_renamed(width, height, fmt, name):
    buffer = io.BytesIO()
    image = Image.new("RGB", (width, height), (10, 200, 30))
    exif = Image.Exif()
    exif[0x010E] = "secret description"
    image.save(buffer, fmt, **({"exif": exif} if fmt in ("JPEG", "PNG", "WEBP") else {}))
    upload = SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")
    if fmt not in ("JPEG", "PNG"):
        with pytest.raises(ValidationError):
            photos.clean_photo(upload)
        return
    clean = photos.clean_photo(upload)
    assert clean.content.name in ("photo.jpg", "photo.png")  # never the client's name
    assert (clean.width, clean.height) == (width, height)
    stored = clean.content.read()
    assert b"secret description" not in stored
    with Image.open(io.BytesIO(stored)) as again:
        assert not again.getexif()


def test_a_photo_over_the_size_limit_is_refused_before_it_is_read():
    upload = SimpleUploadedFile("big.jpg", b"x", content_type="image/jpeg")
    upload.size = photos.MAX_BYTES + 1
    with pytest.raises(ValidationError) as refused:
        photos.clean_photo(upload)
    assert refused.value.code == "too_large"


# --- spreadsheet cells -----------------------------------------------------------------------

cell_text = st.text(max_size=30) | st.builds(
    lambda start, rest: start + rest, st.sampled_from(FORMULA_STARTS), st.text(max_size=20)
)


@FAST
@given(st.lists(cell_text | st.integers() | st.none(), max_size=8))
def test_no_exported_xlsx_cell_is_a_formula_and_the_text_survives(values):
    workbook = Workbook()
    append_row(workbook.active, values)  # control characters would make openpyxl refuse it
    values = [ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in values]
    buffer = io.BytesIO()
    workbook.save(buffer)
    sheet = load_workbook(io.BytesIO(buffer.getvalue())).active
    cells = list(sheet.iter_rows(min_row=1, max_row=1))[0] if values else []
    for cell, value in zip(cells, values, strict=False):
        assert cell.data_type != "f"
        if isinstance(value, str) and value and "\r" not in value:
            assert cell.value == value
            if value.startswith(FORMULA_STARTS):
                assert cell.quotePrefix


@FAST
@given(st.lists(cell_text | st.integers(), max_size=8))
def test_no_csv_cell_starts_like_a_formula(values):
    for cell in csv_row(values):
        assert not (isinstance(cell, str) and cell.startswith(FORMULA_STARTS))
