from __future__ import annotations

import csv
import datetime
import io
import uuid
from typing import Any, NoReturn, cast

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from civility.core import receipts
from civility.core.listing import ListFilterForm
from civility.feedback.actions import DossierRow, RatingInput, check_dossier_row
from civility.feedback.cases import Contact
from civility.feedback.limits import DOSSIER_CODE
from civility.feedback.models import (
    DOSSIER_UNIT_KINDS,
    PublicReport,
    PublicReportQuerySet,
    Reason,
    ReportCategory,
    ReportStatus,
)
from civility.feedback.scales import current_scale
from civility.orgs.models import OrgUnit, Place


class RatingForm(forms.Form):
    """A citizen's rating from a phone. `client_id` is made when the page is drawn, so a
    double tap or a resent form stores one rating."""

    client_id = forms.UUIDField(widget=forms.HiddenInput)
    level = forms.TypedChoiceField(
        label=gettext_lazy("How satisfied are you?"), coerce=int, widget=forms.RadioSelect
    )
    reasons = forms.MultipleChoiceField(
        label=gettext_lazy("What mattered most? (optional)"),
        choices=Reason.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    comment = forms.CharField(
        label=gettext_lazy("Comment (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    dossier_code = forms.CharField(
        label=gettext_lazy("Dossier code (optional)"),
        required=False,
        max_length=40,
        help_text=gettext_lazy("Printed on your receipt slip, e.g. H26.58-250701-0001."),
    )
    # Shown once a dissatisfied level is chosen: the service point answers within days.
    contact_name = forms.CharField(
        label=gettext_lazy("Your name (optional)"), required=False, max_length=120
    )
    contact_phone = forms.CharField(label=gettext_lazy("Phone"), required=False, max_length=32)
    contact_email = forms.EmailField(label=gettext_lazy("E-mail"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scale = current_scale()
        cast(forms.TypedChoiceField, self.fields["level"]).choices = [
            (level.value, f"{level.emoji} {level.label}") for level in scale.levels
        ]
        self.dissatisfied_levels = " ".join(
            str(level.value) for level in scale.levels if level.dissatisfied
        )
        if not self.is_bound:
            self.initial.setdefault("client_id", uuid.uuid4())

    def clean_dossier_code(self) -> str:
        code: str = self.cleaned_data["dossier_code"].strip().upper()
        if code and not DOSSIER_CODE.match(code):
            raise ValidationError(_("This is not a valid dossier code."))
        return code

    def rating(self) -> RatingInput:
        data = self.cleaned_data
        return RatingInput(
            client_id=data["client_id"],
            level=data["level"],
            reasons=data["reasons"],
            comment=data["comment"],
            dossier_code=data["dossier_code"],
            contact=Contact(
                name=data.get("contact_name", ""),
                phone=data.get("contact_phone", ""),
                email=data.get("contact_email", ""),
            ),
        )


class DossierRatingForm(RatingForm):
    counter = forms.ModelChoiceField(
        label=gettext_lazy("Counter"), queryset=OrgUnit.objects.none(), empty_label=None
    )

    def __init__(self, *args: Any, counters: QuerySet[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[OrgUnit]", self.fields["counter"]).queryset = counters
        self.fields["dossier_code"].required = True
        self.fields["dossier_code"].label = gettext_lazy("Dossier code")


class ReportForm(forms.ModelForm[PublicReport]):
    photo_upload = forms.ImageField(
        label=gettext_lazy("Photo (optional)"),
        required=False,
        help_text=gettext_lazy("Its location data and other metadata are removed when saved."),
    )

    class Meta:
        model = PublicReport
        fields = [
            "category",
            "description",
            "place",
            "address",
            "latitude",
            "longitude",
            "contact_name",
            "contact_email",
            "contact_phone",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            # data-lat/data-lon: "Use my location" (civility.js) fills them.
            "latitude": forms.NumberInput(
                attrs={"step": "any", "inputmode": "decimal", "data-lat": ""}
            ),
            "longitude": forms.NumberInput(
                attrs={"step": "any", "inputmode": "decimal", "data-lon": ""}
            ),
        }
        help_texts = {
            "contact_email": gettext_lazy("Optional; never shown publicly."),
            # A named ward or commune routes the report there (feedback/routing.py).
            "address": gettext_lazy(
                "Name the ward or commune too (for example “phường Hoàn Kiếm”): the report "
                "then goes straight to it."
            ),
        }

    def __init__(self, *args: Any, place: Place | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        category = cast("forms.ModelChoiceField[ReportCategory]", self.fields["category"])
        category.queryset = ReportCategory.objects.filter(is_active=True)
        category.label_from_instance = lambda obj: obj.display_name  # type: ignore[method-assign]  # Django's documented way
        places = cast("forms.ModelChoiceField[Place]", self.fields["place"])
        places.queryset = Place.objects.select_related("unit").order_by("name")
        places.label_from_instance = lambda obj: f"{obj.name} ({obj.unit.name})"  # type: ignore[method-assign]  # Django's documented way
        places.required = False
        self.fixed_place = place
        if place is not None:
            del self.fields["place"]

    def clean(self) -> dict[str, Any]:
        super().clean()  # ModelForm's: it returns cleaned_data, which the stubs leave unsaid
        data = self.cleaned_data
        place = self.fixed_place or data.get("place")
        if not place and data.get("latitude") is None and not (data.get("address") or "").strip():
            raise ValidationError(_("Choose a place, a point on the map or an address."))
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            self.add_error("longitude", _("Give both latitude and longitude."))
        return data


class ReceiptLookupForm(forms.Form):
    # Up to 20: spaces and dashes typed between the groups are forgiven (core.receipts).
    code = forms.CharField(
        label=gettext_lazy("Receipt code"),
        max_length=20,
        help_text=gettext_lazy("For example ABCD-EFGH; small letters and spaces are fine."),
        widget=forms.TextInput(
            attrs={"autocapitalize": "characters", "autocomplete": "off", "spellcheck": "false"}
        ),
    )


class SecretForm(forms.Form):
    """The secret shown once at filing, which the citizen's verdict on a report or a case
    needs (the receipt code is not enough: others may know it)."""

    secret = forms.CharField(
        label=gettext_lazy("Your secret"),
        max_length=30,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=gettext_lazy("Shown once, with the receipt code, when you sent it."),
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    is_public = forms.BooleanField(
        label=gettext_lazy("Show to the public"), required=False, initial=True
    )


class DeviceForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Kiosk name"), max_length=120, required=False)


COLUMNS = ["unit_code", "period_start", "period_end", "received", "processed", "early",
           "on_time", "late", "online"]  # fmt: skip


class DossierImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet (.xlsx or .csv)"),
        help_text=gettext_lazy(
            "Columns: unit_code (or unit_id), period_start, period_end (YYYY-MM-DD), "
            "received, processed, early, on_time, late, online."
        ),
    )

    def __init__(self, *args: Any, units: QuerySet[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = units

    def clean_file(self) -> list[DossierRow]:
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        try:
            if name.endswith(".xlsx"):
                rows = _xlsx_rows(upload)
            elif name.endswith(".csv"):
                text = upload.read().decode("utf-8-sig")
                rows = list(csv.reader(io.StringIO(text)))
            else:
                raise ValidationError(_("Upload an .xlsx or .csv file."))
        except (UnicodeDecodeError, ValueError, KeyError, OSError) as exc:
            raise ValidationError(_("The file cannot be read: %(error)s") % {"error": exc}) from exc
        if not rows:
            raise ValidationError(_("The file is empty."))
        header = [str(cell or "").strip().lower() for cell in rows[0]]
        key = "unit_id" if "unit_id" in header else "unit_code"
        missing = [col for col in [key, *COLUMNS[1:]] if col not in header]
        if missing:
            raise ValidationError(
                _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)}
            )
        result = []
        for number, raw in enumerate(rows[1:], start=2):
            if not any(str(cell or "").strip() for cell in raw):
                continue
            record = dict(zip(header, raw, strict=False))
            result.append(self._row(number, key, record))
        if not result:
            raise ValidationError(_("The file has no data rows."))
        return result

    def _row(self, number: int, key: str, record: dict[str, Any]) -> DossierRow:
        def fail(message: str) -> NoReturn:
            raise ValidationError(
                _("Row %(row)s: %(message)s") % {"row": number, "message": message}
            )

        value = str(record.get(key) or "").strip()
        if key == "unit_id":
            unit = self.units.filter(pk=int(value)).first() if value.isdigit() else None
        else:
            unit = self.units.filter(code=value, kind__in=DOSSIER_UNIT_KINDS).first()
        if unit is None:
            fail(_("no service point %(value)s in your units.") % {"value": value or "—"})
        dates: dict[str, datetime.date] = {}
        for col in ("period_start", "period_end"):
            cell = record.get(col)
            if isinstance(cell, datetime.datetime):
                dates[col] = cell.date()
            elif isinstance(cell, datetime.date):
                dates[col] = cell
            else:
                try:
                    dates[col] = datetime.date.fromisoformat(str(cell or "").strip())
                except ValueError:
                    fail(_("%(column)s is not a date (YYYY-MM-DD).") % {"column": col})
        counts: dict[str, int] = {}
        for col in COLUMNS[3:]:
            cell = str(record.get(col) if record.get(col) is not None else "").strip()
            if cell.endswith(".0"):
                cell = cell[:-2]
            if not cell.isdigit():
                fail(_("%(column)s must be a whole number.") % {"column": col})
            counts[col] = int(cell)
        row = DossierRow(
            unit=unit, period_start=dates["period_start"], period_end=dates["period_end"], **counts
        )
        try:
            check_dossier_row(row, _("Row %(row)s: ") % {"row": number})
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc
        return row


def _xlsx_rows(upload: UploadedFile[bytes]) -> list[list[Any]]:
    workbook = load_workbook(upload, read_only=True, data_only=True)
    sheet = workbook.worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


class PeriodForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("From"), required=False)
    end = forms.DateField(label=gettext_lazy("To"), required=False)

    def period(self) -> tuple[datetime.date, datetime.date]:
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        end = data.get("end") or today
        start = data.get("start") or end.replace(day=1)
        if start > end:
            start, end = end, start
        return start, end


class ReportFilterForm(ListFilterForm):
    """The staff list of public-place reports. The text is a receipt code (typed any way:
    spaces, case or a missing dash forgiven) or words of the description or address."""

    period_field = "submitted_at"
    period_is_datetime = True
    SORTS = {
        "submitted": ("submitted_at",),
        "due": ("due_at",),
        "status": ("status",),
    }
    STATUS_CHOICES = [("open", gettext_lazy("Open")), ("all", gettext_lazy("All"))]
    text_placeholder = gettext_lazy("Receipt code, address or words of the report")

    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    category = forms.ModelChoiceField(
        label=gettext_lazy("Category"),
        required=False,
        queryset=ReportCategory.objects.none(),
        empty_label=gettext_lazy("Any"),
    )

    def configure(self) -> None:
        statuses = cast(forms.ChoiceField, self.fields["status"])
        statuses.choices = [*self.STATUS_CHOICES, *ReportStatus.choices]
        categories = cast("forms.ModelChoiceField[ReportCategory]", self.fields["category"])
        categories.queryset = ReportCategory.objects.order_by("name")

    def search(self, reports: QuerySet[PublicReport], text: str) -> QuerySet[PublicReport]:
        code = receipts.as_shown(text)
        found = Q(description__unaccented__icontains=text) | Q(address__unaccented__icontains=text)
        if len(code) == len("ABCD-EFGH"):
            found |= Q(receipt=code)
        return reports.filter(found)

    def narrow(
        self, reports: QuerySet[PublicReport], data: dict[str, Any]
    ) -> QuerySet[PublicReport]:
        status = data.get("status") or "open"
        if status == "open":
            # report_list filters PublicReport.objects.visible_to(user), a PublicReportQuerySet.
            reports = cast(PublicReportQuerySet, reports).open()
        elif status in ReportStatus.values:
            reports = reports.filter(status=status)
        if data.get("category"):
            reports = reports.filter(category=data["category"])
        return reports
