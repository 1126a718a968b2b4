"""Scoring arithmetic: weights, score and choice answers, not-applicable answers."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from civility.inspections import actions
from civility.inspections.models import InspectionKind
from tests.inspections.conftest import answer, answer_all_with_photos

SMALL = [
    {
        "title": "Một",
        "criteria": [
            {"ref": "A1", "text": "Có bảng", "weight": 1},
            {"ref": "A2", "text": "Sạch", "answer_kind": "score", "max_score": 4, "weight": 3},
            {"ref": "A3", "text": "Ghi chú", "answer_kind": "text"},
        ],
    },
    {
        "title": "Hai",
        "criteria": [
            {
                "ref": "B1",
                "text": "Chuông",
                "answer_kind": "choice",
                "weight": 2,
                "options": [
                    {"value": "ok", "label": "Tốt", "score": 1},
                    {"value": "half", "label": "Hỏng", "score": 0.5},
                    {"value": "none", "label": "Không", "score": 0},
                ],
            },
            {"ref": "B2", "text": "Không hút thuốc", "weight": 2},
        ],
    },
]


@pytest.fixture
def small(cast, inspector):
    template = actions.create_template(
        actor=None,
        unit=cast.city,
        slug="small",
        subject="counter",
        name="Nhỏ",
        name_en="Small",
        sections=SMALL,
    )
    return actions.start_inspection_on_the_spot(
        actor=inspector, inspecting_unit=cast.city, template=template, unit=cast.a.ward
    )


def _answer(inspection, inspector, values: dict):
    criteria = {c.ref: c for c in inspection.template_version.criteria()}
    items = []
    for ref, value in values.items():
        if value == "n/a":
            items.append(answer(criteria[ref], not_applicable=True))
        else:
            items.append(answer(criteria[ref], value))
    results = actions.record_answers(actor=inspector, inspection=inspection, answers=items)
    assert {r.status for r in results} == {"saved"}, results
    return actions.compute_score(inspection)


def test_weights_score_fractions_and_choice_scores_add_up(small, inspector):
    result = _answer(
        small, inspector, {"A1": "no", "A2": "3", "A3": "x", "B1": "half", "B2": "yes"}
    )
    one, two = result.sections
    # Section 1: A1 0 of 1, A2 3/4 of 3 = 2.25 → 2.25 / 4 = 56.25 %; the text does not count.
    assert (one.earned, one.possible, one.percent) == (Decimal("2.25"), 4, Decimal("56.25"))
    # Section 2: B1 0.5 × 2 = 1, B2 2 → 3 / 4 = 75 %.
    assert two.percent == Decimal("75.00")
    # Total is weighted by criteria, not an average of sections: 5.25 / 8.
    assert result.percent == Decimal("65.63")


def test_not_applicable_answers_leave_both_earned_and_possible_points(small, inspector):
    result = _answer(small, inspector, {"A1": "n/a", "A2": "4", "A3": "", "B1": "n/a", "B2": "no"})
    one, two = result.sections
    assert (one.possible, one.percent, one.not_applicable) == (3, Decimal("100.00"), 1)
    assert (two.possible, two.percent) == (2, Decimal("0.00"))
    assert result.percent == Decimal("60.00")  # 3 of 5


def test_a_section_with_everything_not_applicable_has_no_score(small, inspector):
    result = _answer(small, inspector, {"A1": "yes", "A2": "4", "A3": "", "B1": "n/a", "B2": "n/a"})
    assert result.sections[1].percent is None
    assert result.percent == Decimal("100.00")
    assert result.as_json()[str(result.sections[1].section_id)] is None


def test_submitting_stores_the_score_and_locks_the_inspection(
    cast, templates, inspection, inspector
):
    answer_all_with_photos(
        inspection, inspector, {"A1": "no", "A4": "1", "A6": "broken", "A7": "n/a", "B6": "no"}
    )
    submitted = actions.submit_inspection(actor=inspector, inspection=inspection)
    # Premises: 16/3 of 8 possible (A7 n/a) = 66.67 %; conduct: 9 of 12 = 75 %.
    # Total: (16/3 + 9) / 20 = 71.67 %.
    assert submitted.score == Decimal("71.67")
    sections = list(inspection.template_version.sections.all())
    assert submitted.section_scores[str(sections[0].pk)] == "66.67"
    assert submitted.section_scores[str(sections[1].pk)] == "75.00"
    assert submitted.section_scores[str(sections[2].pk)] is None  # remarks only
    assert submitted.document_number == "1/BB-KT"
    with pytest.raises(ValidationError, match="locked"):
        actions.submit_inspection(actor=inspector, inspection=submitted)


def test_submission_needs_every_answer_and_required_photos(inspection, inspector):
    from tests.inspections.conftest import full_answers

    actions.record_answers(
        actor=inspector, inspection=inspection, answers=full_answers(inspection)[1:]
    )
    with pytest.raises(ValidationError) as error:
        actions.submit_inspection(actor=inspector, inspection=inspection)
    message = " ".join(error.value.messages)
    assert "A1 is not answered." in message and "A6 needs a photo." in message


def test_invalid_values_are_rejected_naming_the_criterion(small, inspector):
    criteria = {c.ref: c for c in small.template_version.criteria()}
    results = actions.record_answers(
        actor=inspector,
        inspection=small,
        answers=[
            answer(criteria["A2"], "5"),
            answer(criteria["B1"], "great"),
            answer(criteria["A1"], "có"),
        ],
    )
    assert [r.status for r in results] == ["rejected", "rejected", "saved"]
    assert "A2" in results[0].message and "0 to 4" in results[0].message
    assert "B1" in results[1].message


def test_a_criterion_that_must_apply_cannot_be_not_applicable(inspection, inspector):
    a1 = inspection.template_version.criteria().get(ref="A1")
    [result] = actions.record_answers(
        actor=inspector, inspection=inspection, answers=[answer(a1, not_applicable=True)]
    )
    assert result.status == "rejected" and "not applicable" in result.message


def test_an_amendment_recomputes_the_score_and_keeps_the_reason(inspection, inspector):
    answer_all_with_photos(inspection, inspector, {"B6": "no"})
    actions.submit_inspection(actor=inspector, inspection=inspection)
    b6 = inspection.template_version.criteria().get(ref="B6")
    amendment = actions.amend_answer(
        actor=inspector, inspection=inspection, criterion=b6, value="yes", reason="Nhầm phiếu"
    )
    inspection.refresh_from_db()
    assert (amendment.score_before, amendment.score_after) == (Decimal("85.71"), Decimal("100.00"))
    assert inspection.score == Decimal("100.00")
    assert amendment.before["value"] == "no" and amendment.after["value"] == "yes"
    from civility.core.models import AuditEvent

    assert AuditEvent.objects.filter(object_repr__contains="B6", actor=inspector).exists()
    with pytest.raises(ValidationError):
        actions.amend_answer(
            actor=inspector, inspection=inspection, criterion=b6, value="no", reason=" "
        )


def test_surprise_inspections_must_be_of_units_under_the_inspecting_unit(cast, templates):
    from civility.orgs.scopes import Role
    from tests.factories import make_user

    ward_inspector = make_user("insp_a", roles={Role.INSPECTOR: cast.a.ward})
    with pytest.raises(ValidationError):
        actions.start_inspection_on_the_spot(
            actor=ward_inspector,
            inspecting_unit=cast.a.ward,
            template=templates.counter,
            unit=cast.b.ward,
            kind=InspectionKind.SURPRISE,
        )
