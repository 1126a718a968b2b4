"""Forms validate input only; views pass the cleaned data to one action."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any, TypeVar, cast

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civility.core.forms import MultipleFileField, MultipleFileInput
from civility.core.listing import ListFilterForm, UnitFilterField
from civility.core.photos import ACCEPT_ATTRIBUTE
from civility.inspections.kinds import missing_requirement
from civility.inspections.models import (
    INSPECTOR_ROLES,
    MANAGER_ROLES,
    ActionStatus,
    ChecklistTemplate,
    CorrectiveAction,
    Criterion,
    FindingKind,
    Inspection,
    InspectionKind,
    InspectionPlan,
    InspectionStatus,
)
from civility.inspections.models.findings import CorrectiveActionQuerySet
from civility.inspections.models.templates import ChecklistTemplateQuerySet
from civility.orgs.models import Official, OrgUnit, OrgUnitQuerySet, Place, UnitKind
from civility.orgs.pickers import PersonPicker, UnitPicker
from civility.orgs.scopes import scope_of

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
EVIDENCE_EXTENSIONS = (".pdf", ".jpg", ".jpeg", ".png", ".docx", ".xlsx", ".odt")
MAX_XLSX_BYTES = 2 * 1024 * 1024
# Units an inspection is usually of (not villages or residential groups).
INSPECTABLE_KINDS = (
    UnitKind.FORMER_DISTRICT,
    UnitKind.WARD,
    UnitKind.COMMUNE,
    UnitKind.SPECIAL_ZONE,
    UnitKind.DEPARTMENT,
    UnitKind.SERVICE_CENTER,
    UnitKind.SERVICE_BRANCH,
    UnitKind.SERVICE_POINT,
    UnitKind.PUBLIC_SERVICE_UNIT,
    UnitKind.DIVISION,
    UnitKind.COUNTER,
)


def _units_with(
    user: User, roles: tuple[str, ...], kinds: Sequence[str] | None = None
) -> OrgUnitQuerySet:
    units = OrgUnit.objects.filter(scope_of(user).q("path", roles=roles)).current()
    if kinds:
        units = units.filter(kind__in=kinds)
    return units.order_by("path")


def _templates_for(user: User) -> ChecklistTemplateQuerySet:
    return ChecklistTemplate.objects.visible_to(user).order_by("name")


_M = TypeVar("_M", bound=Model)


def _choices(form: forms.BaseForm, name: str, model: type[_M]) -> forms.ModelChoiceField[_M]:
    """The model choice field `name` of `form`, of `model` (`form.fields` holds plain Fields)."""
    return cast("forms.ModelChoiceField[_M]", form.fields[name])


def _picker(form: forms.BaseForm, name: str) -> UnitPicker | PersonPicker:
    """The picker widget of the field `name` (`form.fields` holds plain Fields and Widgets)."""
    return cast("UnitPicker | PersonPicker", form.fields[name].widget)


class TemplateChoiceField(forms.ModelChoiceField[ChecklistTemplate]):
    def label_from_instance(self, obj: ChecklistTemplate) -> str:
        return obj.display_name


class UnitChoiceField(forms.ModelChoiceField[OrgUnit]):
    widget = UnitPicker

    def label_from_instance(self, obj: OrgUnit) -> str:
        return obj.display_name


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField[OrgUnit]):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", UnitPicker(multiple=True))
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: OrgUnit) -> str:
        return obj.display_name


class PlanForm(forms.Form):
    unit = UnitChoiceField(queryset=OrgUnit.objects.none(), label=_("Inspecting unit"))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=255)
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = (UnitKind.PROVINCE, *INSPECTABLE_KINDS)
        _choices(self, "unit", OrgUnit).queryset = _units_with(user, MANAGER_ROLES, kinds)
        _picker(self, "unit").narrow(role=MANAGER_ROLES, kind=kinds)
        self.fields["year"].initial = timezone.localdate().year


class PlanInspectionsForm(forms.Form):
    """Schedule inspections of several units or places on one date."""

    template = TemplateChoiceField(queryset=ChecklistTemplate.objects.none(), label=_("Checklist"))
    planned_on = forms.DateField(
        label=_("Planned date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (InspectionKind.PLANNED, InspectionKind.PLANNED.label),
            (InspectionKind.CROSS, InspectionKind.CROSS.label),
        ],
        initial=InspectionKind.PLANNED,
    )
    inspecting_unit = UnitChoiceField(
        queryset=OrgUnit.objects.none(),
        label=_("Inspecting unit"),
        required=False,
        help_text=_(
            "For a cross inspection: the unit that inspects its peer. Default: the plan's unit."
        ),
    )
    units = UnitMultipleChoiceField(
        queryset=OrgUnit.objects.none(), label=_("Units to inspect"), required=False
    )
    places = forms.ModelMultipleChoiceField(
        queryset=Place.objects.none(),
        label=_("Public places to inspect"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    team = forms.ModelMultipleChoiceField(
        queryset=get_user_model().objects.none(),
        label=_("Delegation members with an account"),
        required=False,
        widget=PersonPicker(multiple=True),
    )
    team_note = forms.CharField(label=_("Other delegation members"), max_length=500, required=False)

    def __init__(self, *args: Any, user: User, plan: InspectionPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "template", ChecklistTemplate).queryset = _templates_for(user)
        under_plan = OrgUnit.objects.filter(path__startswith=plan.unit.path).current()
        _choices(self, "inspecting_unit", OrgUnit).queryset = under_plan.order_by("path")
        _picker(self, "inspecting_unit").narrow(under=plan.unit)
        _choices(self, "units", OrgUnit).queryset = _units_with(
            user, MANAGER_ROLES, INSPECTABLE_KINDS
        ).exclude(pk=plan.unit.pk)
        _picker(self, "units").narrow(role=MANAGER_ROLES, kind=INSPECTABLE_KINDS)
        _choices(self, "places", Place).queryset = Place.objects.filter(
            scope_of(user).q("unit__path", roles=MANAGER_ROLES)
        ).select_related("unit")
        _choices(self, "team", User).queryset = (
            get_user_model()
            .objects.filter(
                role_assignments__role__in=INSPECTOR_ROLES,
                role_assignments__unit__path__startswith=plan.unit.path,
            )
            .distinct()
            .order_by("last_name", "first_name", "pk")
        )
        _picker(self, "team").narrow(role=INSPECTOR_ROLES, under=plan.unit)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not data.get("units") and not data.get("places"):
            raise ValidationError(_("Choose at least one unit or public place."))
        return data


class StartForm(forms.Form):
    """A surprise or cross inspection started on the spot."""

    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (InspectionKind.SURPRISE, InspectionKind.SURPRISE.label),
            (InspectionKind.CROSS, InspectionKind.CROSS.label),
        ],
        initial=InspectionKind.SURPRISE,
    )
    inspecting_unit = UnitChoiceField(queryset=OrgUnit.objects.none(), label=_("Inspecting unit"))
    template = TemplateChoiceField(queryset=ChecklistTemplate.objects.none(), label=_("Checklist"))
    unit = UnitChoiceField(
        queryset=OrgUnit.objects.none(), label=_("Unit or counter"), required=False
    )
    place = forms.ModelChoiceField(
        queryset=Place.objects.none(), label=_("or public place"), required=False
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "inspecting_unit", OrgUnit).queryset = _units_with(user, INSPECTOR_ROLES)
        _picker(self, "inspecting_unit").narrow(role=INSPECTOR_ROLES)
        _choices(self, "template", ChecklistTemplate).queryset = _templates_for(user)
        _choices(self, "unit", OrgUnit).queryset = (
            OrgUnit.objects.visible_to(user)
            .filter(kind__in=INSPECTABLE_KINDS)
            .current()
            .order_by("path")
        )
        _picker(self, "unit").narrow(kind=INSPECTABLE_KINDS)
        _choices(self, "place", Place).queryset = Place.objects.visible_to(user).order_by("name")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not data.get("unit") and not data.get("place"):
            raise ValidationError(_("Choose the unit or the public place to inspect."))
        if data.get("unit") and data.get("place"):
            raise ValidationError(_("Choose a unit or a public place, not both."))
        return data


class AnswerForm(forms.Form):
    """The no-JavaScript fallback for one criterion's answer."""

    value = forms.CharField(required=False, max_length=2000)
    not_applicable = forms.BooleanField(required=False)
    note = forms.CharField(required=False, max_length=5000)


class PhotoForm(forms.Form):
    photo = forms.ImageField(
        label=_("Photo"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ACCEPT_ATTRIBUTE, "capture": "environment"}
        ),
    )
    criterion = forms.IntegerField(required=False, widget=forms.HiddenInput)

    # Pillow validates the image in the action (with HEIC support); the form only checks
    # that a file came, so the message about the type comes from one place.
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["photo"] = forms.FileField(label=_("Photo"), widget=self.fields["photo"].widget)


class AmendForm(forms.Form):
    criterion = forms.ModelChoiceField(queryset=Criterion.objects.none(), label=_("Criterion"))
    value = forms.CharField(label=_("Corrected answer"), max_length=2000, required=False)
    not_applicable = forms.BooleanField(label=_("Not applicable"), required=False)
    reason = forms.CharField(
        label=_("Reason for the correction"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, inspection: Inspection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "criterion", Criterion).queryset = inspection.template_version.criteria()


class FindingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=FindingKind.choices)
    criterion = forms.ModelChoiceField(
        queryset=Criterion.objects.none(), label=_("Criterion"), required=False
    )
    description = forms.CharField(
        label=_("What was found"), widget=forms.Textarea(attrs={"rows": 3})
    )
    official = forms.ModelChoiceField(
        queryset=Official.objects.none(),
        label=_("Official concerned (violations only)"),
        required=False,
        widget=PersonPicker,
    )
    recommendation = forms.CharField(
        label=_("Recommendation"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    deadline = forms.DateField(
        label=_("Deadline for the corrective action"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "With a recommendation and a deadline, the inspected unit gets a corrective action."
        ),
    )

    def __init__(self, *args: Any, inspection: Inspection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "criterion", Criterion).queryset = inspection.template_version.criteria()
        _choices(self, "official", Official).queryset = Official.objects.under(
            inspection.unit
        ).active()
        _picker(self, "official").narrow(under=inspection.unit)


class RespondForm(forms.Form):
    response = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 4}))
    # Photos from the phone's camera or gallery, apart from documents so that the phone
    # offers the camera; both are cleaned and stored as evidence (actions.respond_to_action).
    photos = MultipleFileField(
        label=_("Photos"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
    )
    evidence = MultipleFileField(label=_("Evidence (photos, documents)"), required=False)

    def clean_evidence(self) -> list[UploadedFile[bytes]]:
        files: list[UploadedFile[bytes]] = self.cleaned_data["evidence"]
        for upload in files:
            # FileField refuses a file without a name or empty: both are there.
            if not (upload.name or "").lower().endswith(EVIDENCE_EXTENSIONS):
                raise ValidationError(
                    _("Allowed file types: %(types)s.") % {"types": ", ".join(EVIDENCE_EXTENSIONS)}
                )
            if (upload.size or 0) > MAX_EVIDENCE_BYTES:
                raise ValidationError(
                    _("The file %(name)s is larger than 10 MB.") % {"name": upload.name}
                )
        return files


class VerifyForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("close", _("Verified: close the action")), ("back", _("Send back to the unit"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class RevisitCheckForm(forms.Form):
    """An open action from an earlier inspection, checked on the spot during this one."""

    decision = forms.ChoiceField(
        label=_("On the spot"),
        choices=[("closed", _("Done: close the action")), ("open", _("Still open"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": ACCEPT_ATTRIBUTE, "capture": "environment"}
        ),
    )


class CriterionForm(forms.ModelForm[Criterion]):
    class Meta:
        model = Criterion
        fields = [
            "text",
            "text_en",
            "guidance",
            "guidance_en",
            "answer_kind",
            "max_score",
            "weight",
            "photo_required",
            "allows_not_applicable",
        ]
        widgets = {
            "guidance": forms.Textarea(attrs={"rows": 2}),
            "guidance_en": forms.Textarea(attrs={"rows": 2}),
        }

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        # What the form does not edit (choices) is the criterion's own.
        fields = {"options": self.instance.options} | data
        missing = missing_requirement(data.get("answer_kind", ""), fields)
        if missing is not None:
            field = missing.field if missing.field in self.fields else "answer_kind"
            self.add_error(field, str(missing.on_form))
        return data


class TemplateImportForm(forms.Form):
    file = forms.FileField(label=_("Checklist (.xlsx)"))
    note = forms.CharField(label=_("What changed"), max_length=500, required=False)

    def clean_file(self) -> UploadedFile[bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        # FileField refuses a file without a name or empty: both are there.
        if not (upload.name or "").lower().endswith(".xlsx"):
            raise ValidationError(_("Upload an .xlsx file."))
        if (upload.size or 0) > MAX_XLSX_BYTES:
            raise ValidationError(_("The file is larger than 2 MB."))
        return upload


class InspectionFilterForm(ListFilterForm):
    """Inspections of a unit's subtree, or run by it (counters sit in the Service Center's
    subtree, the ward that inspects them does not)."""

    period_field = "submitted_at"
    period_is_datetime = True
    SORTS: dict[str, tuple[str, ...]] = {
        "submitted": ("submitted_at",),
        "planned": ("planned_on",),
        "unit": ("unit__name",),
        "status": ("status",),
        "score": ("score",),
    }
    text_placeholder = _("Unit, place or document number")

    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *InspectionStatus.choices]
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any")), *InspectionKind.choices]
    )

    def in_unit(self, inspections: QuerySet[Inspection], unit: OrgUnit) -> QuerySet[Inspection]:
        return inspections.filter(
            Q(unit__path__startswith=unit.path) | Q(inspecting_unit__path__startswith=unit.path)
        )

    def in_period(
        self, inspections: QuerySet[Inspection], lookups: dict[str, object]
    ) -> QuerySet[Inspection]:
        # Submitted ones by the day they were submitted, the others by the day planned.
        # The bounds are aware datetimes (period_is_datetime).
        dates = {
            lookup: timezone.localdate(cast(datetime.datetime, value))
            for lookup, value in lookups.items()
        }
        return inspections.filter(
            Q(**{f"submitted_at__{lookup}": value for lookup, value in lookups.items()})
            | Q(
                submitted_at__isnull=True,
                **{f"planned_on__{lookup}": value for lookup, value in dates.items()},
            )
        )

    def search(self, inspections: QuerySet[Inspection], text: str) -> QuerySet[Inspection]:
        return inspections.filter(
            Q(unit__name__unaccent__icontains=text)
            | Q(place__name__unaccent__icontains=text)
            | Q(unit__serves__name__unaccent__icontains=text)
            | Q(document_number__iexact=text)
        )

    def narrow(
        self, inspections: QuerySet[Inspection], data: dict[str, Any]
    ) -> QuerySet[Inspection]:
        if data.get("status"):
            inspections = inspections.filter(status=data["status"])
        if data.get("kind"):
            inspections = inspections.filter(kind=data["kind"])
        return inspections


class ActionFilterForm(ListFilterForm):
    period_field = "deadline"
    SORTS: dict[str, tuple[str, ...]] = {
        "deadline": ("deadline",),
        "unit": ("unit__name",),
        "status": ("status",),
    }
    SHOW_CHOICES = [
        ("open", _("Not closed")),
        ("overdue", _("Overdue")),
        ("escalated", _("Escalated to me")),
        ("all", _("All")),
    ]
    text_placeholder = _("Words of what to do or of the response")

    show = forms.ChoiceField(label=_("Show"), required=False, choices=SHOW_CHOICES)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *ActionStatus.choices]
    )

    def configure(self) -> None:
        # The heads of a ward also read (never change) the actions of the counters serving
        # it, which sit in the Service Center's subtree (CorrectiveAction.readable_by).
        user = self.request.user
        cast(UnitFilterField, self.fields["unit"]).queryset = (
            OrgUnit.objects.visible_to(user) | OrgUnit.objects.serving_scope_of(user)
        ).distinct()

    def in_unit(
        self, corrective: QuerySet[CorrectiveAction], unit: OrgUnit
    ) -> QuerySet[CorrectiveAction]:
        # As ids, not LIKE on two joined units (see inspections.models.findings._visible_actions).
        subtree = OrgUnit.objects.subtree_of(unit).values("pk")
        return corrective.filter(
            Q(unit__in=subtree) | Q(finding__inspection__inspecting_unit__in=subtree)
        )

    def search(
        self, corrective: QuerySet[CorrectiveAction], text: str
    ) -> QuerySet[CorrectiveAction]:
        return corrective.filter(
            Q(description__unaccented__icontains=text) | Q(response__unaccented__icontains=text)
        )

    def narrow(
        self, actions: QuerySet[CorrectiveAction], data: dict[str, Any]
    ) -> QuerySet[CorrectiveAction]:
        # The list's rows come from CorrectiveAction.objects, so are its QuerySet.
        corrective = cast(CorrectiveActionQuerySet, actions)
        show = data.get("show") or "open"
        if show == "overdue":
            corrective = corrective.overdue()
        elif show == "escalated":
            corrective = corrective.not_closed().escalated_to(self.request.user)
        elif show == "open":
            corrective = corrective.not_closed()
        if data.get("status"):
            corrective = corrective.filter(status=data["status"])
        return corrective
