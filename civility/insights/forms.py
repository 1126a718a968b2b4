from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.forms import BoundField
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civility.insights.models import ReportFormat, ReportKind, SmallSampleRule
from civility.insights.periods import Period, PeriodError
from civility.insights.sources import COMPONENTS, Component


class WeightsForm(forms.Form):
    """Weights, minimum samples and scales per component: one field of each per component
    in sources.COMPONENTS, so a component added there appears here."""

    small_sample_rule = forms.ChoiceField(
        label=_("Below the minimum sample"),
        choices=SmallSampleRule.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for component in COMPONENTS:
            self.fields[f"w_{component.key}"] = forms.IntegerField(
                label=component.label,
                help_text=component.method,
                min_value=0,
                max_value=100,
            )
            self.fields[f"min_{component.key}"] = forms.IntegerField(
                label=_("Minimum sample: %(component)s") % {"component": component.label},
                help_text=_("The smallest denominator ranked as it is."),
                min_value=0,
                max_value=1_000_000,
            )
            if component.default_scale is not None:
                self.fields[f"scale_{component.key}"] = forms.DecimalField(
                    label=(
                        _("%(component)s: value that scores 0")
                        if component.lower_is_better
                        else _("%(component)s: value that scores 100")
                    )
                    % {"component": component.label},
                    min_value=Decimal("0.1"),
                    max_value=Decimal(1000),
                    decimal_places=2,
                )

    def clean(self) -> dict[str, Any]:
        super().clean()
        weights = self.weights()
        if not self.errors and sum(weights.values()) <= 0:
            raise forms.ValidationError(_("At least one component needs a weight above 0."))
        return self.cleaned_data

    def _per_component(self, prefix: str) -> dict[str, Any]:
        data = getattr(self, "cleaned_data", {})
        return {
            c.key: data[f"{prefix}_{c.key}"]
            for c in COMPONENTS
            if data.get(f"{prefix}_{c.key}") is not None
        }

    def weights(self) -> dict[str, int]:
        return self._per_component("w")

    def min_samples(self) -> dict[str, int]:
        return self._per_component("min")

    def scales(self) -> dict[str, Decimal]:
        return self._per_component("scale")

    def rows(self) -> list[tuple[Component, BoundField, BoundField, BoundField | None]]:
        """(component, weight field, minimum field, scale field or None), for the template."""
        return [
            (
                c,
                self[f"w_{c.key}"],
                self[f"min_{c.key}"],
                self[f"scale_{c.key}"] if c.default_scale is not None else None,
            )
            for c in COMPONENTS
        ]


class ReportForm(forms.Form):
    kind = forms.ChoiceField(
        label=pgettext_lazy("periodic report", "Report"), choices=ReportKind.choices
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    half = forms.ChoiceField(
        label=_("Half"),
        choices=[("1", _("First half")), ("2", _("Second half"))],
        required=False,
    )
    month = forms.TypedChoiceField(
        label=_("Month"),
        choices=[(month, f"{month:02d}") for month in range(1, 13)],
        coerce=int,
        required=False,
    )

    @staticmethod
    def initial_for(period: Period) -> dict[str, Any]:
        """The fields that name `period` (the to-do home links to a report due)."""
        return {
            "kind": period.kind if period.kind in ReportKind.values else "half",
            "year": period.year,
            "half": "1" if period.start.month <= 6 else "2",
            "month": period.start.month,
        }

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("kind") == ReportKind.MONTH and not data.get("month"):
            self.add_error("month", _("Choose the month of the monthly figures."))
        return data

    def period(self) -> Period:
        data = self.cleaned_data
        if data["kind"] == ReportKind.MONTH:
            return Period("month", datetime.date(data["year"], data["month"], 1))
        if data["kind"] == ReportKind.ANNUAL:
            return Period("year", datetime.date(data["year"], 1, 1))
        month = 1 if data.get("half", "1") in ("1", "") else 7
        return Period("half", datetime.date(data["year"], month, 1))


def parse_period(text: str | None, default: Period) -> tuple[Period, str | None]:
    if not text:
        return default, None
    try:
        return Period.parse(text), None
    except PeriodError as error:
        return default, str(error)


class SubscriptionForm(forms.Form):
    kind = forms.ChoiceField(
        label=pgettext_lazy("periodic report", "Report"), choices=ReportKind.choices
    )
    format = forms.ChoiceField(label=_("Format"), choices=ReportFormat.choices)
