from __future__ import annotations

import datetime
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from civility.insights.periods import Period, PeriodError
from civility.insights.sources import COMPONENTS


class WeightsForm(forms.Form):
    violations_zero_at = forms.DecimalField(
        label=_("Violations per 100 officials that score zero"),
        min_value=Decimal("0.1"),
        max_value=Decimal(1000),
        decimal_places=2,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for component in COMPONENTS:
            self.fields[f"w_{component.key}"] = forms.IntegerField(
                label=component.label,
                help_text=component.method,
                min_value=0,
                max_value=100,
            )

    def clean(self):
        data = super().clean()
        weights = self.weights()
        if not self.errors and sum(weights.values()) <= 0:
            raise forms.ValidationError(_("At least one component needs a weight above 0."))
        return data

    def weights(self) -> dict[str, int]:
        return {
            c.key: self.cleaned_data.get(f"w_{c.key}") or 0
            for c in COMPONENTS
            if f"w_{c.key}" in getattr(self, "cleaned_data", {})
        }


class ReportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Report"),
        choices=[("half", _("Six-month report")), ("year", _("Annual report"))],
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    half = forms.ChoiceField(
        label=_("Half"),
        choices=[("1", _("First half")), ("2", _("Second half"))],
        required=False,
    )

    def period(self) -> Period:
        data = self.cleaned_data
        if data["kind"] == "year":
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
