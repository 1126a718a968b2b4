"""Forms validate input only; views pass the cleaned data to one action."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civility.core.listing import ListFilterForm
from civility.core.photos import ACCEPT_ATTRIBUTE
from civility.inspections.kinds import missing_requirement
from civility.inspections.models import (
    INSPECTOR_ROLES,
    MANAGER_ROLES,
    ActionStatus,
    ChecklistTemplate,
    Criterion,
    FindingKind,
    InspectionKind,
    InspectionStatus,
)
from civility.orgs.models import Official, OrgUnit, Place, UnitKind
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


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


def _units_with(user, roles, kinds=None):
    units = OrgUnit.objects.filter(scope_of(user).q("path", roles=roles)).current()
    if kinds:
        units = units.filter(kind__in=kinds)
    return units.order_by("path")


def _templates_for(user):
    return ChecklistTemplate.objects.visible_to(user).order_by("name")


class TemplateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class UnitChoiceField(forms.ModelChoiceField):
    widget = UnitPicker

    def label_from_instance(self, obj):
        return obj.display_name


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", UnitPicker(multiple=True))
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return obj.display_name


class PlanForm(forms.Form):
    unit = UnitChoiceField(queryset=OrgUnit.objects.none(), label=_("Inspecting unit"))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=255)
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = (UnitKind.PROVINCE, *INSPECTABLE_KINDS)
        self.fields["unit"].queryset = _units_with(user, MANAGER_ROLES, kinds)
        self.fields["unit"].widget.narrow(role=MANAGER_ROLES, kind=kinds)
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

    def __init__(self, *args, user, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = _templates_for(user)
        under_plan = OrgUnit.objects.filter(path__startswith=plan.unit.path).current()
        self.fields["inspecting_unit"].queryset = under_plan.order_by("path")
        self.fields["inspecting_unit"].widget.narrow(under=plan.unit)
        self.fields["units"].queryset = _units_with(user, MANAGER_ROLES, INSPECTABLE_KINDS).exclude(
            pk=plan.unit.pk
        )
        self.fields["units"].widget.narrow(role=MANAGER_ROLES, kind=INSPECTABLE_KINDS)
        self.fields["places"].queryset = Place.objects.filter(
            scope_of(user).q("unit__path", roles=MANAGER_ROLES)
        ).select_related("unit")
        self.fields["team"].queryset = (
            get_user_model()
            .objects.filter(
                role_assignments__role__in=INSPECTOR_ROLES,
                role_assignments__unit__path__startswith=plan.unit.path,
            )
            .distinct()
            .order_by("last_name", "first_name", "pk")
        )
        self.fields["team"].widget.narrow(role=INSPECTOR_ROLES, under=plan.unit)

    def clean(self):
        data = super().clean()
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

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspecting_unit"].queryset = _units_with(user, INSPECTOR_ROLES)
        self.fields["inspecting_unit"].widget.narrow(role=INSPECTOR_ROLES)
        self.fields["template"].queryset = _templates_for(user)
        self.fields["unit"].queryset = (
            OrgUnit.objects.visible_to(user)
            .filter(kind__in=INSPECTABLE_KINDS)
            .current()
            .order_by("path")
        )
        self.fields["unit"].widget.narrow(kind=INSPECTABLE_KINDS)
        self.fields["place"].queryset = Place.objects.visible_to(user).order_by("name")

    def clean(self):
        data = super().clean()
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
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photo"] = forms.FileField(label=_("Photo"), widget=self.fields["photo"].widget)


class AmendForm(forms.Form):
    criterion = forms.ModelChoiceField(queryset=Criterion.objects.none(), label=_("Criterion"))
    value = forms.CharField(label=_("Corrected answer"), max_length=2000, required=False)
    not_applicable = forms.BooleanField(label=_("Not applicable"), required=False)
    reason = forms.CharField(
        label=_("Reason for the correction"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, inspection, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].queryset = inspection.template_version.criteria()


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

    def __init__(self, *args, inspection, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].queryset = inspection.template_version.criteria()
        self.fields["official"].queryset = Official.objects.under(inspection.unit).active()
        self.fields["official"].widget.narrow(under=inspection.unit)


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

    def clean_evidence(self):
        files = self.cleaned_data["evidence"]
        for upload in files:
            if not upload.name.lower().endswith(EVIDENCE_EXTENSIONS):
                raise ValidationError(
                    _("Allowed file types: %(types)s.") % {"types": ", ".join(EVIDENCE_EXTENSIONS)}
                )
            if upload.size > MAX_EVIDENCE_BYTES:
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


class CriterionForm(forms.ModelForm):
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

    def clean(self):
        data = super().clean()
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

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise ValidationError(_("Upload an .xlsx file."))
        if upload.size > MAX_XLSX_BYTES:
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

    def in_unit(self, inspections, unit):
        return inspections.filter(
            Q(unit__path__startswith=unit.path) | Q(inspecting_unit__path__startswith=unit.path)
        )

    def in_period(self, inspections, lookups):
        # Submitted ones by the day they were submitted, the others by the day planned.
        dates = {lookup: timezone.localdate(value) for lookup, value in lookups.items()}
        return inspections.filter(
            Q(**{f"submitted_at__{lookup}": value for lookup, value in lookups.items()})
            | Q(
                submitted_at__isnull=True,
                **{f"planned_on__{lookup}": value for lookup, value in dates.items()},
            )
        )

    def search(self, inspections, text):
        return inspections.filter(
            Q(unit__name__unaccent__icontains=text)
            | Q(place__name__unaccent__icontains=text)
            | Q(unit__serves__name__unaccent__icontains=text)
            | Q(document_number__iexact=text)
        )

    def narrow(self, inspections, data):
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

    def configure(self):
        # The heads of a ward also read (never change) the actions of the counters serving
        # it, which sit in the Service Center's subtree (CorrectiveAction.readable_by).
        user = self.request.user
        self.fields["unit"].queryset = (
            OrgUnit.objects.visible_to(user) | OrgUnit.objects.serving_scope_of(user)
        ).distinct()

    def in_unit(self, corrective, unit):
        # As ids, not LIKE on two joined units (see inspections.models.findings._visible_actions).
        subtree = OrgUnit.objects.subtree_of(unit).values("pk")
        return corrective.filter(
            Q(unit__in=subtree) | Q(finding__inspection__inspecting_unit__in=subtree)
        )

    def search(self, corrective, text):
        return corrective.filter(
            Q(description__unaccented__icontains=text) | Q(response__unaccented__icontains=text)
        )

    def narrow(self, corrective, data):
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
