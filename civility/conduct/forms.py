"""Forms for the catalogue, records and the public report page. They validate; actions act."""

from __future__ import annotations

import datetime
import uuid
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civility.conduct.models import (
    DisciplineForm,
    Handling,
    RecordStatus,
    Severity,
    Source,
    TextStatus,
    ViolationGroup,
    ViolationRecord,
    ViolationType,
)
from civility.core.forms import MultipleFileField
from civility.core.listing import ListFilterForm
from civility.orgs.models import Official, OrgUnit
from civility.orgs.pickers import PersonPicker, UnitPicker

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TypeChoiceField(forms.ModelChoiceField[ViolationType]):
    def label_from_instance(self, obj: ViolationType) -> str:
        return f"{obj.key} · {obj.display_title}"


def type_choices(
    types: QuerySet[ViolationType],
) -> list[tuple[str, str | list[tuple[int, str]]]]:
    """Types grouped by catalogue group, for a <select> with optgroups."""
    grouped: dict[str, list[tuple[int, str]]] = {}
    for violation_type in types.select_related("group"):
        grouped.setdefault(violation_type.group.display_title, []).append(
            (violation_type.pk, f"{violation_type.key} · {violation_type.display_title}")
        )
    return [("", "---------"), *grouped.items()]


class RecordForm(forms.Form):
    official = forms.ModelChoiceField(
        label=_("Official"),
        queryset=Official.objects.none(),
        required=False,
        help_text=_("Leave empty for a record about the unit as a whole."),
        widget=PersonPicker,
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=OrgUnit.objects.none(),
        required=False,
        help_text=_("For an official, their own unit is used."),
        widget=UnitPicker,
    )
    type = TypeChoiceField(label=_("Violation type"), queryset=ViolationType.objects.none())
    occurred_on = forms.DateField(label=_("Happened on"), widget=DATE)
    location = forms.CharField(label=_("Where"), max_length=300, required=False)
    source = forms.ChoiceField(
        label=_("Source"), choices=[c for c in Source.choices if c[0] != Source.ANONYMOUS]
    )
    source_reference = forms.CharField(
        label=_("Source reference"),
        max_length=300,
        required=False,
        help_text=_("The inspection, report or document that revealed it (number, date)."),
    )
    source_url = forms.CharField(label=_("Link to the source"), max_length=500, required=False)
    description = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs={"rows": 4})
    )
    severity = forms.ChoiceField(
        label=_("Severity"),
        choices=[("", _("The type's default")), *Severity.choices],
        required=False,
    )
    confidential = forms.BooleanField(
        label=_("Confidential"),
        required=False,
        initial=True,
        help_text=_("Records about an official are always confidential."),
    )
    # A declared field leaves the class (DeclarativeFieldsMetaclass): `form.files` stays the
    # uploads, whatever the type checker reads here.
    files = MultipleFileField(label=_("Evidence files (photos, PDF)"), required=False)  # type: ignore[assignment]  # see MultipleFileField
    links = forms.CharField(
        label=_("Evidence links, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self,
        *args: Any,
        officials: QuerySet[Official],
        units: QuerySet[OrgUnit],
        types: QuerySet[ViolationType],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Official]", self.fields["official"]).queryset = officials
        cast("forms.ModelChoiceField[OrgUnit]", self.fields["unit"]).queryset = units
        type_field = cast(TypeChoiceField, self.fields["type"])
        type_field.queryset = types
        type_field.choices = type_choices(types)

    def clean_occurred_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["occurred_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date is in the future."))
        return day

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not data.get("official") and not data.get("unit"):
            self.add_error("unit", _("Name the official or the unit concerned."))
        return data

    def link_list(self) -> tuple[str, ...]:
        return tuple(
            line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()
        )


class DetailsForm(forms.Form):
    type = TypeChoiceField(
        label=_("Violation type"), queryset=ViolationType.objects.none(), required=False
    )
    official = forms.ModelChoiceField(
        label=_("Official"), queryset=Official.objects.none(), required=False, widget=PersonPicker
    )
    severity = forms.ChoiceField(
        label=_("Severity"), choices=[("", "---------"), *Severity.choices], required=False
    )

    def __init__(
        self,
        *args: Any,
        officials: QuerySet[Official],
        types: QuerySet[ViolationType],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Official]", self.fields["official"]).queryset = officials
        type_field = cast(TypeChoiceField, self.fields["type"])
        type_field.queryset = types
        type_field.choices = type_choices(types)


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ConfirmForm(forms.Form):
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    handling = forms.ChoiceField(label=_("Handling"), choices=Handling.choices)
    handling_note = forms.CharField(
        label=_("Handling details"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    discipline_form = forms.ChoiceField(
        label=_("Disciplinary form"),
        choices=[("", "---------"), *DisciplineForm.choices],
        required=False,
        help_text=_(
            "Decisions from 1 July 2025 follow Decree 172/2025: reprimand, warning, dismissal "
            "from post (leaders), forced termination; removal from elected office for cadres."
        ),
    )
    decision_number = forms.CharField(label=_("Decision number"), max_length=64, required=False)
    decision_date = forms.DateField(label=_("Decision date"), required=False, widget=DATE)
    related_to_duties = forms.TypedChoiceField(
        label=_("Related to duties"),
        choices=[
            ("", "---------"),
            ("yes", _("Yes: committed in performing official duties")),
            ("no", _("No: conduct off duty (at home, in public places)")),
        ],
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
        help_text=_(
            "Suggested from the violation type; state what the decision says. Under Decree "
            "335/2025 only discipline for a violation related to duties makes a civil servant "
            "“did not complete tasks”."
        ),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("handling") == Handling.DISCIPLINARY:
            for name in ("discipline_form", "decision_number", "decision_date"):
                if not data.get(name):
                    self.add_error(name, _("Required for a disciplinary measure."))
            if data.get("related_to_duties") is None:
                self.add_error("related_to_duties", _("Required for a disciplinary measure."))
        return data


class DismissForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for dismissal"), widget=forms.Textarea(attrs={"rows": 2})
    )


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("File (photo or PDF)"), required=False)
    url = forms.CharField(label=_("Link"), max_length=500, required=False)
    label = forms.CharField(label=_("Label"), max_length=300, required=False)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not data.get("file") and not data.get("url"):
            self.add_error("file", _("Attach a file or give a link."))
        return data


class QuestionForm(forms.Form):
    text = forms.CharField(
        label=_("Question to the reporter"), widget=forms.Textarea(attrs={"rows": 2})
    )


class RecordFilterForm(ListFilterForm):
    period_field = "occurred_on"
    SORTS: dict[str, tuple[str, ...]] = {
        "occurred": ("occurred_on",),
        "status": ("status",),
        "reported": ("reported_at",),
    }
    text_placeholder = _("Official's name")

    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Any"))])
    group = forms.ModelChoiceField(
        label=_("Group"),
        required=False,
        queryset=ViolationGroup.objects.none(),
        empty_label=_("Any"),
    )

    def __init__(self, *args: Any, groups: QuerySet[ViolationGroup], **kwargs: Any) -> None:
        self.groups = groups
        super().__init__(*args, **kwargs)

    def configure(self) -> None:
        cast(forms.ChoiceField, self.fields["status"]).choices = [
            ("", _("Any")),
            *RecordStatus.choices,
        ]
        cast("forms.ModelChoiceField[ViolationGroup]", self.fields["group"]).queryset = self.groups

    def search(
        self, records: QuerySet[ViolationRecord], text: str
    ) -> QuerySet[ViolationRecord] | None:
        return records.filter(official__in=Official.objects.search(text).values("pk"))

    def narrow(
        self, records: QuerySet[ViolationRecord], data: dict[str, Any]
    ) -> QuerySet[ViolationRecord]:
        if data.get("status"):
            records = records.filter(status=data["status"])
        if data.get("group"):
            records = records.filter(type__group=data["group"])
        return records


# --- Catalogue ---------------------------------------------------------------------------


class TypeForm(forms.Form):
    title = forms.CharField(label=_("Title (Vietnamese)"), max_length=500)
    title_en = forms.CharField(label=_("Title (English)"), max_length=500, required=False)
    description = forms.CharField(
        label=_("Description (Vietnamese)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    description_en = forms.CharField(
        label=_("Description (English)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    default_severity = forms.ChoiceField(label=_("Default severity"), choices=Severity.choices)
    source_document = forms.CharField(label=_("Source document"), max_length=300, required=False)
    text_status = forms.ChoiceField(
        label=_("Wording"),
        choices=TextStatus.choices,
        help_text=_("Mark official wording only when copied from the official text."),
    )
    related_to_duties = forms.BooleanField(
        label=_("Related to duties"),
        required=False,
        initial=True,
        help_text=_(
            "Tick when a violation of this type is committed in performing official duties; "
            "leave empty for conduct off duty (at home, in public places). Suggested when a "
            "disciplinary decision is recorded."
        ),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("text_status") == TextStatus.EMPTY:
            self.add_error("text_status", _("Enter the wording: a filled-in item is not empty."))
        return data


class NewTypeForm(TypeForm):
    group = forms.ModelChoiceField(label=_("Group"), queryset=ViolationGroup.objects.none())
    key = forms.CharField(
        label=pgettext_lazy("identifier", "Code"),
        max_length=40,
        help_text=_("For example D24-1.05."),
    )

    field_order = ["group", "key"]

    def __init__(self, *args: Any, groups: QuerySet[ViolationGroup], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[ViolationGroup]", self.fields["group"]).queryset = groups


class CatalogueImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (.xlsx or .csv)"),
        help_text=_(
            "Columns: group, code, title, title_en, description, description_en, severity, "
            "source, wording. A row with an existing code revises that type."
        ),
    )
    dry_run = forms.BooleanField(label=_("Only check the file"), required=False)


class FiguresForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DATE)
    end = forms.DateField(label=_("To"), widget=DATE)
    threshold = forms.IntegerField(
        label=_("Repeat offender: confirmed records in 12 months"), min_value=2, max_value=20
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The end is before the start."))
        return data


# --- Public page -------------------------------------------------------------------------


class PublicReportForm(forms.Form):
    submission_id = forms.UUIDField(widget=forms.HiddenInput, required=False)
    official_hint = forms.CharField(
        label=_("Who (name, badge number or description), if you know"),
        max_length=300,
        required=False,
    )
    description = forms.CharField(
        label=_("What happened"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    occurred_on = forms.DateField(label=_("When"), widget=DATE)
    location = forms.CharField(
        label=_("Where (counter, office, room)"), max_length=300, required=False
    )
    # A declared field leaves the class (DeclarativeFieldsMetaclass): `form.files` stays the
    # uploads, whatever the type checker reads here.
    files = MultipleFileField(label=_("Photos or PDF files (optional)"), required=False)  # type: ignore[assignment]  # see MultipleFileField
    leave_contact = forms.BooleanField(
        label=_("I want to leave contact details so the handler can reach me"), required=False
    )
    contact = forms.CharField(
        label=_("Your contact details (name, phone or e-mail)"),
        max_length=300,
        required=False,
        help_text=_("Leave empty to stay anonymous. Nothing else about you is stored."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["submission_id"] = uuid.uuid4()

    def clean_occurred_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["occurred_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date is in the future."))
        return day

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("contact") and not data.get("leave_contact"):
            self.add_error(
                "leave_contact", _("Tick this box to leave contact details, or empty them.")
            )
        if data.get("files") and len(data["files"]) > 5:
            self.add_error("files", _("Attach at most 5 files."))
        return data


class ReceiptForm(forms.Form):
    receipt_code = forms.CharField(label=_("Receipt code"), max_length=20)
    secret = forms.CharField(label=_("Secret"), max_length=30, widget=forms.PasswordInput)


class AnswerForm(forms.Form):
    """The answer, with the receipt code and secret carried along (checked again on post)."""

    receipt_code = forms.CharField(max_length=20, widget=forms.HiddenInput)
    secret = forms.CharField(max_length=30, widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Your answer"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
