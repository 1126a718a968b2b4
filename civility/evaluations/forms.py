"""Forms of the evaluation pages. They validate input; the actions apply the rules."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.forms.formsets import BaseFormSet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civility.core.listing import ListFilterForm
from civility.evaluations.gaps import GROUPINGS
from civility.evaluations.models import Evaluation, RotationExceptionKind, Step
from civility.evaluations.rules import (
    AnnualLevel,
    Level,
    MonthlyRuleSet,
)
from civility.orgs.models import AGENCY_KINDS, Official, OrgUnit, OrgUnitQuerySet, Post
from civility.orgs.pickers import UnitPicker
from civility.orgs.scopes import MANAGER_ROLES


class MonthField(forms.DateField):
    """A month as "YYYY-MM" (the browser's month input), stored as its first day."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m", "%Y-%m-%d", "%m/%Y"]

    def to_python(
        self, value: str | datetime.datetime | datetime.date | None
    ) -> datetime.date | None:
        day = super().to_python(value)
        return day.replace(day=1) if day else day


class PeriodForm(forms.Form):
    unit = forms.ModelChoiceField(
        queryset=OrgUnit.objects.none(), label=_("Unit"), widget=UnitPicker
    )
    month = MonthField(label=_("Month"))
    self_deadline = forms.DateField(
        label=_("Self-assessment due"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    review_deadline = forms.DateField(
        label=_("Supervisor's rating due"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    approval_deadline = forms.DateField(
        label=_("Approval due"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    exceptional_units = forms.ModelMultipleChoiceField(
        queryset=OrgUnit.objects.none(),
        required=False,
        label=_("Agencies with outstanding results"),
        widget=UnitPicker(multiple=True),
        help_text=_(
            "Their cap on grade A is 40 per cent instead of 30 (Decision 3814-QĐ/TU); who may name "
            "them is a setting of the province."
        ),
    )

    def __init__(self, *args: Any, units: OrgUnitQuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[OrgUnit]", self.fields["unit"]).queryset = units
        cast(
            "forms.ModelMultipleChoiceField[OrgUnit]", self.fields["exceptional_units"]
        ).queryset = units.filter(kind__in=AGENCY_KINDS)
        # The view offers the units where the user manages (period_create).
        self.fields["unit"].widget.narrow(role=MANAGER_ROLES, all=True)
        self.fields["exceptional_units"].widget.narrow(
            role=MANAGER_ROLES, kind=AGENCY_KINDS, all=True
        )


class WorkItemForm(forms.Form):
    title = forms.CharField(label=_("Work item"), max_length=300, required=False)
    weight = forms.DecimalField(
        label=_("Weight"), min_value=0, max_value=100, decimal_places=2, initial=1, required=False
    )
    done = forms.BooleanField(label=_("Done"), required=False, initial=True)
    delays = forms.IntegerField(
        label=_("Delays"), min_value=0, max_value=20, initial=0, required=False
    )
    quality_failures = forms.IntegerField(
        label=_("Failed quality reviews"), min_value=0, max_value=20, initial=0, required=False
    )
    exceeded = forms.BooleanField(label=_("Exceeded expectations"), required=False)
    excused = forms.BooleanField(label=_("Objective cause (excused)"), required=False)

    def item(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        if not data.get("title"):
            return None
        return {
            "title": data["title"],
            "weight": str(data.get("weight") or 1),
            "done": data.get("done", False),
            "delays": data.get("delays") or 0,
            "quality_failures": data.get("quality_failures") or 0,
            "exceeded": data.get("exceeded", False),
            "excused": data.get("excused", False),
        }


WorkItemFormSet = forms.formset_factory(WorkItemForm, extra=3, max_num=60)


def work_item_formset(
    data: Mapping[str, Any] | None = None, *, items: list[dict[str, Any]]
) -> BaseFormSet[WorkItemForm]:
    initial = [dict(item) for item in items]
    return WorkItemFormSet(data, initial=initial, prefix="items")


def items_of(formset: BaseFormSet[WorkItemForm]) -> list[dict[str, Any]]:
    return [item for form in formset.forms if (item := form.item()) is not None]


class PointsForm(forms.Form):
    """A form with one points field for each part of the month's rule set that people rate
    (MonthlyRuleSet.rated_parts), named `<points_prefix>_<part key>`."""

    points_prefix = "points"

    def __init__(
        self,
        *args: Any,
        rules: MonthlyRuleSet,
        initial_points: Mapping[str, Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.rated_parts = rules.rated_parts()
        for part in self.rated_parts:
            self.fields[f"{self.points_prefix}_{part.key}"] = forms.DecimalField(
                label=_("%(part)s (0 to %(maximum)s)")
                % {"part": part.label, "maximum": part.maximum},
                min_value=0,
                max_value=part.maximum,
                decimal_places=2,
                required=False,
                initial=initial_points.get(part.key),
            )

    def points(self) -> dict[str, Any]:
        """The points entered, by part key (None where left blank)."""
        return {
            part.key: self.cleaned_data.get(f"{self.points_prefix}_{part.key}")
            for part in self.rated_parts
        }


class SelfAssessmentForm(PointsForm):
    points_prefix = "self"

    account = forms.CharField(
        label=_("Short account of the month"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    self_level = forms.ChoiceField(
        label=_("The level you rate yourself at"),
        choices=[("", "—"), *Level.choices],
        required=False,
    )


class RatingForm(PointsForm):
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ApprovalForm(PointsForm):
    note = forms.CharField(
        label=_("Note (the reason, when you change points)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Why send it back"), widget=forms.Textarea(attrs={"rows": 2}))


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2020, max_value=2100)


class ClassificationInputsForm(forms.Form):
    months_worked = forms.IntegerField(label=_("Months worked"), min_value=0, max_value=12)
    months_absent = forms.IntegerField(label=_("Months absent"), min_value=0, max_value=12)
    maternity_leave = forms.BooleanField(label=_("On maternity leave"), required=False)


class ConfirmForm(forms.Form):
    # A blank first choice: with no level proposed, the head picks one, never a default.
    level = forms.ChoiceField(label=_("Level"), choices=[("", "—"), *AnnualLevel.choices])
    change_reason = forms.CharField(
        label=_("Reason for changing the proposal"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    late_reason = forms.CharField(
        label=_("Reason for confirming after the deadline"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class RotationPlanForm(forms.Form):
    to_post = forms.ModelChoiceField(queryset=Post.objects.none(), label=_("To post"))
    planned_on = forms.DateField(
        label=_("Planned for"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, posts: QuerySet[Post], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Post]", self.fields["to_post"]).queryset = posts


class RotationDoneForm(forms.Form):
    done_on = forms.DateField(
        label=_("Rotated on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        initial=timezone.localdate,
    )


class RotationCancelForm(forms.Form):
    note = forms.CharField(label=_("Why cancelled"), widget=forms.Textarea(attrs={"rows": 2}))


class RotationExceptionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Ground"),
        choices=RotationExceptionKind.choices,
        help_text=_(
            "Decree 59/2019 (amended by Decree 134/2021) defers the rotation during a "
            "disciplinary review, an investigation, treatment for a serious illness, pregnancy "
            "or while raising a child under 36 months."
        ),
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The facts and the document that shows them (number, date)."),
    )
    starts_on = forms.DateField(
        label=_("From"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_until = forms.DateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty until the end date is known."),
    )


class RotationFilterForm(forms.Form):
    within = forms.IntegerField(
        label=_("Due within (months)"), min_value=0, max_value=60, initial=6, required=False
    )


class FiguresForm(forms.Form):
    month = MonthField(label=_("Month"), required=False)

    def month_or_default(self) -> datetime.date:
        if self.is_valid() and self.cleaned_data.get("month"):
            month: datetime.date = self.cleaned_data["month"]
            return month
        return timezone.localdate().replace(day=1)


class GapForm(forms.Form):
    """The months and grouping of the self-assessment gap page."""

    MAX_MONTHS = 60

    start = MonthField(label=_("From"), required=False)
    end = MonthField(label=_("To"), required=False)
    by = forms.ChoiceField(label=_("Group by"), required=False, choices=())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["by"]).choices = GROUPINGS

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start = data.get("start")
        end = data.get("end") or timezone.localdate().replace(day=1)
        if start:
            if start > end:
                self.add_error("end", _("The end month is before the start month."))
            elif (end.year - start.year) * 12 + end.month - start.month >= self.MAX_MONTHS:
                self.add_error("start", _("Show at most 60 months at a time."))
        return data

    def span(self) -> tuple[datetime.date, datetime.date, str]:
        """(first month, last month, grouping): the last twelve months by default."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        end = data.get("end") or timezone.localdate().replace(day=1)
        start = data.get("start")
        if start is None:
            index = end.year * 12 + end.month - 1 - 11
            start = datetime.date(index // 12, index % 12 + 1, 1)
        return start, end, data.get("by") or "month"


class EvaluationFilterForm(ListFilterForm):
    """Monthly evaluations of a unit's subtree, over a span of months."""

    period_field = "period__month"
    # A city's year is millions of rows: only the evaluation's own indexed columns sort it
    # (the name search narrows it instead). Periods sort in the order they were opened.
    SORTS: dict[str, tuple[str, ...]] = {
        "month": ("period_id",),
        "step": ("step",),
        "total": ("total",),
    }
    text_placeholder = _("Official's name")

    start = MonthField(label=_("From month"), required=False)
    end = MonthField(label=_("To month"), required=False)
    step = forms.ChoiceField(
        label=_("Step"), required=False, choices=[("", _("Any")), *Step.choices]
    )
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("Any")), *Level.choices]
    )

    def search(self, evaluations: QuerySet[Evaluation], text: str) -> QuerySet[Evaluation]:
        return evaluations.filter(official__in=Official.objects.search(text).values("pk"))

    def narrow(
        self, evaluations: QuerySet[Evaluation], data: dict[str, Any]
    ) -> QuerySet[Evaluation]:
        if data.get("step"):
            evaluations = evaluations.filter(step=data["step"])
        if data.get("level"):
            evaluations = evaluations.filter(level=data["level"])
        return evaluations
