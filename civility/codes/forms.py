"""Forms validate input only; views pass the cleaned data to one action."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civility.codes.actions import VERSION_FIELDS
from civility.codes.models import (
    COORDINATOR_ROLES,
    ActivityKind,
    ActivityPlaceKind,
    Article,
    Code,
    CodeVersion,
    TargetGroup,
)
from civility.core.forms import MultipleFileField
from civility.orgs.models import Official, OrgUnit, Place, UnitKind
from civility.orgs.pickers import PersonPicker, UnitPicker, refuse_units_not_of
from civility.orgs.scopes import MANAGER_ROLES, scope_of

MAX_DOCUMENT_BYTES = 2 * 1024 * 1024
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
SCAN_EXTENSIONS = (".pdf", ".jpg", ".jpeg", ".png")
ATTACHMENT_EXTENSIONS = (*SCAN_EXTENSIONS, ".docx", ".xlsx", ".odt", ".mp4", ".txt")
# Units a campaign or activity is usually recorded against (not villages, counters...).
PICKABLE_KINDS = (
    UnitKind.PROVINCE,
    UnitKind.FORMER_DISTRICT,
    UnitKind.WARD,
    UnitKind.COMMUNE,
    UnitKind.SPECIAL_ZONE,
    UnitKind.DEPARTMENT,
    UnitKind.SERVICE_CENTER,
    UnitKind.SERVICE_BRANCH,
    UnitKind.PUBLIC_SERVICE_UNIT,
    UnitKind.DIVISION,
)


def units_for(
    user: User, roles: tuple[str, ...], *, dated_by: str = ""
) -> forms.ModelChoiceField[OrgUnit]:
    """Today's units, or with `dated_by` (the form's date field) the units of that date,
    former ones too; the form then checks the unit against its date (refuse_units_not_of)."""
    queryset = OrgUnit.objects.filter(scope_of(user).q("path", roles=roles)).filter(
        kind__in=PICKABLE_KINDS
    )
    picker = UnitPicker()
    picker.narrow(role=roles, kind=PICKABLE_KINDS)
    if dated_by:
        picker.narrow(dated_by=dated_by)
    else:
        queryset = queryset.current()
    return forms.ModelChoiceField(
        queryset=queryset.order_by("path"), label=_("Unit"), widget=picker
    )


def _check_file(upload: UploadedFile[bytes], extensions: tuple[str, ...], max_bytes: int) -> None:
    name = (upload.name or "").lower()
    if not name.endswith(extensions):
        raise ValidationError(
            _("Allowed file types: %(types)s.") % {"types": ", ".join(extensions)}
        )
    if (upload.size or 0) > max_bytes:
        raise ValidationError(
            _("The file is larger than %(size)d MB.") % {"size": max_bytes // (1024 * 1024)}
        )


class VersionForm(forms.ModelForm[CodeVersion]):
    target_groups = forms.MultipleChoiceField(
        choices=TargetGroup.choices,
        widget=forms.CheckboxSelectMultiple,
        label=_("Target groups"),
        required=False,
    )

    class Meta:
        model = CodeVersion
        fields = VERSION_FIELDS
        widgets = {
            "effective_from": forms.DateInput(attrs={"type": "date"}),
            "note": forms.Textarea(attrs={"rows": 3}),
            "note_en": forms.Textarea(attrs={"rows": 3}),
        }


class ImportForm(forms.Form):
    document = forms.FileField(
        label=_("Document (.docx or .md)"),
        help_text=_(
            'Chapters as "# Chương I. Title" (Heading 1 in Word), articles as '
            '"## Điều 1. Title" (Heading 2); every other line is a clause, optionally '
            "starting with [phải], [nên], [không nên] or [không được]."
        ),
    )
    language = forms.ChoiceField(
        label=_("Language of the document"),
        choices=[
            ("vi", _("Vietnamese: replaces the whole text")),
            ("en", _("English: fills in the translation, same structure")),
        ],
        initial="vi",
    )
    is_official = forms.BooleanField(
        label=_("This is the official wording (not a summary)"), required=False
    )

    def clean_document(self) -> UploadedFile[bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data["document"]
        _check_file(upload, (".docx", ".md", ".markdown", ".txt"), MAX_DOCUMENT_BYTES)
        return upload


class ArticleForm(forms.ModelForm[Article]):
    class Meta:
        model = Article
        fields = ["title", "title_en", "is_key"]


class VersionChoiceField(forms.ModelChoiceField[CodeVersion]):
    def label_from_instance(self, obj: CodeVersion) -> str:
        return f"{obj.code.display_title} (v{obj.number})"


class CampaignForm(forms.Form):
    version = VersionChoiceField(queryset=CodeVersion.objects.none(), label=_("Code"))
    title = forms.CharField(label=_("Title"), max_length=255, required=False)
    deadline = forms.DateField(label=_("Deadline"), widget=forms.DateInput(attrs={"type": "date"}))
    historical = forms.BooleanField(
        label=_("A campaign of earlier years (historical)"),
        required=False,
        help_text=_(
            "To enter a campaign held before, with its paper signatures: it opens on the day "
            "below and its deadline may be past."
        ),
    )
    starts_on = forms.DateField(
        label=_("Opened on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Only for a historical campaign."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(VersionChoiceField, self.fields["version"]).queryset = (
            CodeVersion.objects.visible_to(user).published().select_related("code")
        )
        # A historical campaign was held by the units of its opening day (a former ward).
        self.fields["unit"] = units_for(user, COORDINATOR_ROLES, dated_by="starts_on")
        self.order_fields(["version", "unit", "title", "historical", "starts_on", "deadline"])

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        deadline = data.get("deadline")
        if data.get("historical"):
            if not data.get("starts_on"):
                self.add_error("starts_on", _("Enter the day the campaign opened."))
        elif deadline and deadline < timezone.localdate():
            self.add_error("deadline", _("The deadline cannot be in the past."))
        opens = data.get("starts_on") if data.get("historical") else None
        if not data.get("historical") or opens:
            refuse_units_not_of(self, "unit", opens)
        return data


class PaperCommitmentForm(forms.Form):
    official = forms.ModelChoiceField(
        queryset=Official.objects.none(), label=_("Official"), widget=PersonPicker
    )
    signed_on = forms.DateField(
        label=_("Signed on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    scan = forms.FileField(label=_("Scanned signed sheet (PDF or image)"))

    def __init__(self, *args: Any, officials: QuerySet[Official], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Official]", self.fields["official"]).queryset = officials
        self.fields["official"].widget.narrow(role=MANAGER_ROLES)

    def clean_scan(self) -> UploadedFile[bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data["scan"]
        _check_file(upload, SCAN_EXTENSIONS, MAX_ATTACHMENT_BYTES)
        return upload

    def clean_signed_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["signed_on"]
        if day > timezone.localdate():
            raise ValidationError(_("The signing date cannot be in the future."))
        return day


class SignForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have read the code and commit to follow it."),
        error_messages={"required": _("Tick the box to confirm you have read the code.")},
    )


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ActivityKind.choices)
    code = forms.ModelChoiceField(queryset=Code.objects.none(), label=_("Code"), required=False)
    target_groups = forms.MultipleChoiceField(
        label=_("Target groups"), choices=TargetGroup.choices, widget=forms.CheckboxSelectMultiple
    )
    place_kind = forms.ChoiceField(
        label=_("Place kind"), choices=[("", "—"), *ActivityPlaceKind.choices], required=False
    )
    place = forms.ModelChoiceField(
        queryset=Place.objects.none(), label=_("Public place"), required=False
    )
    held_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    reached = forms.IntegerField(label=_("People reached"), min_value=0, initial=0)
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    attachments = MultipleFileField(label=_("Attachments"), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"] = units_for(user, MANAGER_ROLES, dated_by="held_on")
        codes = cast("forms.ModelChoiceField[Code]", self.fields["code"])
        codes.queryset = Code.objects.visible_to(user).with_published()
        cast("forms.ModelChoiceField[Place]", self.fields["place"]).queryset = (
            Place.objects.filter(scope_of(user).q("unit__path", roles=MANAGER_ROLES))
            .select_related("unit")
            .order_by("name")
        )
        self.order_fields(
            [
                "kind",
                "unit",
                "held_on",
                "code",
                "target_groups",
                "place_kind",
                "place",
                "reached",
                "notes",
                "attachments",
            ]
        )

    def clean_held_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["held_on"]
        if day > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."))
        return day

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("held_on"):
            refuse_units_not_of(self, "unit", data["held_on"])
        return data

    def clean_attachments(self) -> list[UploadedFile[bytes]]:
        files: list[UploadedFile[bytes]] = self.cleaned_data.get("attachments") or []
        for upload in files:
            _check_file(upload, ATTACHMENT_EXTENSIONS, MAX_ATTACHMENT_BYTES)
        return files


class VerifyActivityForm(forms.Form):
    reached = forms.IntegerField(min_value=0, label=_("People reached, verified"))
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        label=_("Verification note"),
        required=False,
        help_text=_("Required when the verified number differs from the one reported."),
    )


class VerifyCommitmentForm(forms.Form):
    confirmed = forms.ChoiceField(
        label=_("The scanned sheet"),
        choices=[("yes", _("holds: signed by the official")), ("no", _("does not hold"))],
    )
    note = forms.CharField(label=_("Verification note"), max_length=1000, required=False)


class SummaryForm(forms.Form):
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    months = forms.IntegerField(
        label=_("Places not reached in the last (months)"),
        min_value=1,
        max_value=60,
        required=False,
        initial=6,
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise ValidationError({"end": _("The end date is before the start date.")})
        return data

    def period(self) -> tuple[datetime.date | None, datetime.date | None]:
        return self.cleaned_data.get("start"), self.cleaned_data.get("end")
