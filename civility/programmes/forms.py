"""Forms validate input only; views pass the cleaned data to one action."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.contrib.auth.models import AnonymousUser, User
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_stubs_ext import StrOrPromise

from civility.core.listing import ListFilterForm
from civility.orgs import imports
from civility.orgs.models import Official, OrgUnit, OrgUnitQuerySet, UnitKind
from civility.orgs.pickers import PersonPicker, UnitPicker, refuse_units_not_of
from civility.orgs.scopes import MANAGER_ROLES, scope_of
from civility.programmes.actions import CYCLE_STEPS
from civility.programmes.models import (
    COORDINATOR_ROLES,
    Aggregation,
    CulturalTitle,
    Frequency,
    Indicator,
    Programme,
    ProgrammeKind,
    Task,
    TaskQuerySet,
    TaskState,
    TaskStatus,
    TitleRule,
    vietnam_today,
)

EVIDENCE_EXTENSIONS = (".pdf", ".jpg", ".jpeg", ".png", ".docx", ".xlsx", ".odt", ".txt")
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
# Units tasks and targets usually go to (not counters, villages or residential groups).
TASK_UNIT_KINDS = (
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


def managed_units(
    user: User | AnonymousUser, roles: tuple[str, ...] = MANAGER_ROLES
) -> OrgUnitQuerySet:
    return (
        OrgUnit.objects.filter(scope_of(user).q("path", roles=roles))
        .filter(kind__in=TASK_UNIT_KINDS)
        .current()
        .order_by("path")
    )


def _year_field(label: StrOrPromise | None = None) -> forms.IntegerField:
    return forms.IntegerField(
        label=label or _("Year"),
        min_value=2000,
        max_value=2100,
        initial=lambda: timezone.localdate().year,
    )


def _choices(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    """The model choice field `name` of the form (`form.fields` holds plain Fields)."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    return field


class ProgrammeForm(forms.Form):
    unit = forms.ModelChoiceField(
        queryset=OrgUnit.objects.none(), label=_("Issuing unit"), widget=UnitPicker
    )
    kind = forms.ChoiceField(choices=ProgrammeKind.choices, label=_("Kind"))
    number = forms.CharField(
        max_length=64, label=_("Number"), help_text=_("For example 06-CTr/TU.")
    )
    title = forms.CharField(max_length=500, label=_("Title (Vietnamese)"))
    title_en = forms.CharField(max_length=500, label=_("Title (English)"), required=False)
    implements = forms.ModelChoiceField(
        queryset=Programme.objects.none(), label=_("Implements"), required=False
    )
    issued_on = forms.DateField(label=_("Issued on"), required=False)
    starts_on = forms.DateField(label=_("Starts on"))
    ends_on = forms.DateField(label=_("Ends on"))
    description = forms.CharField(widget=forms.Textarea, label=_("Description"), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "unit").queryset = managed_units(user)
        self.fields["unit"].widget.narrow(role=MANAGER_ROLES, kind=TASK_UNIT_KINDS)
        _choices(self, "implements").queryset = Programme.objects.visible_to(user)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The programme cannot end before it starts."))
        return data


class TaskForm(forms.Form):
    number = forms.CharField(max_length=16, label=_("Number"), required=False)
    title = forms.CharField(max_length=500, label=_("Title"))
    description = forms.CharField(widget=forms.Textarea, label=_("Description"), required=False)
    assignee_unit = forms.ModelChoiceField(
        queryset=OrgUnit.objects.none(), label=_("Unit"), widget=UnitPicker
    )
    assignee_official = forms.ModelChoiceField(
        queryset=Official.objects.none(),
        label=_("Official in charge"),
        required=False,
        widget=PersonPicker,
    )
    deadline = forms.DateField(label=_("Deadline"))

    def __init__(self, *args: Any, root: OrgUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "assignee_unit").queryset = (
            OrgUnit.objects.subtree_of(root).filter(kind__in=TASK_UNIT_KINDS).current()
        )
        _choices(self, "assignee_official").queryset = (
            Official.objects.under(root).active().select_related("unit").order_by("full_name")
        )
        self.fields["assignee_unit"].widget.narrow(under=root, kind=TASK_UNIT_KINDS)
        self.fields["assignee_official"].widget.narrow(under=root)


class ProgressForm(forms.Form):
    progress = forms.IntegerField(min_value=0, max_value=100, label=_("Progress (%)"))
    state = forms.ChoiceField(
        choices=[c for c in TaskState.choices if c[0] != TaskState.CANCELLED],
        label=_("State"),
    )
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), label=_("Report"), required=False
    )
    evidence = forms.FileField(label=_("Evidence (file)"), required=False)
    evidence_link = forms.URLField(
        label=_("Evidence (link)"), required=False, assume_scheme="https"
    )
    completed_on = forms.DateField(
        label=_("Completed on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_(
            "When the state is done: the day the work was finished. Blank means today; a "
            "past day for work finished before it is entered here."
        ),
    )

    def clean_evidence(self) -> UploadedFile[bytes] | None:
        upload: UploadedFile[bytes] | None = self.cleaned_data.get("evidence")
        if upload:
            if not (upload.name or "").lower().endswith(EVIDENCE_EXTENSIONS):
                raise forms.ValidationError(
                    _("Allowed file types: %(types)s."),
                    params={"types": ", ".join(EVIDENCE_EXTENSIONS)},
                )
            if (upload.size or 0) > MAX_EVIDENCE_BYTES:
                raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload


class VerifyProgressForm(forms.Form):
    progress = forms.IntegerField(min_value=0, max_value=100, label=_("Verified progress (%)"))
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        label=_("Verification note"),
        required=False,
        help_text=_("Required when the verified progress differs from the one reported."),
    )


class CommentForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("Comment"))


class ExtendForm(forms.Form):
    deadline = forms.DateField(label=_("New deadline"))
    reason = forms.CharField(max_length=1000, label=_("Reason"))


class CancelForm(forms.Form):
    reason = forms.CharField(max_length=1000, label=_("Reason"))


class IndicatorForm(forms.Form):
    unit = forms.ModelChoiceField(
        queryset=OrgUnit.objects.none(), label=_("Defining unit"), widget=UnitPicker
    )
    code = forms.SlugField(max_length=64, label=pgettext_lazy("identifier", "Code"))
    name = forms.CharField(max_length=300, label=_("Name (Vietnamese)"))
    name_en = forms.CharField(max_length=300, label=_("Name (English)"), required=False)
    measure = forms.CharField(max_length=64, label=_("Unit of measure"))
    aggregation = forms.ChoiceField(choices=Aggregation.choices, label=_("Adds up as"))
    frequency = forms.ChoiceField(
        choices=Frequency.choices, label=pgettext_lazy("reporting frequency", "Reported")
    )
    numerator = forms.ModelChoiceField(
        queryset=Indicator.objects.none(), label=_("Numerator"), required=False
    )
    denominator = forms.ModelChoiceField(
        queryset=Indicator.objects.none(), label=_("Denominator"), required=False
    )
    higher_is_better = forms.BooleanField(label=_("Higher is better"), required=False, initial=True)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "unit").queryset = managed_units(user, COORDINATOR_ROLES)
        self.fields["unit"].widget.narrow(role=COORDINATOR_ROLES, kind=TASK_UNIT_KINDS)
        terms = Indicator.objects.visible_to(user).exclude(aggregation=Aggregation.RATIO)
        _choices(self, "numerator").queryset = terms
        _choices(self, "denominator").queryset = terms


class TargetForm(forms.Form):
    year = _year_field()
    period = forms.IntegerField(min_value=0, max_value=12, initial=0, label=_("Period"))
    value = forms.DecimalField(max_digits=20, decimal_places=4, label=_("Target"))


class AllocationForm(forms.Form):
    """One field per child unit, named child_<id>."""

    def __init__(
        self,
        *args: Any,
        children: Iterable[OrgUnit],
        initial_values: dict[int, Decimal] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.children = list(children)
        for child in self.children:
            self.fields[f"child_{child.pk}"] = forms.DecimalField(
                label=child.display_name,
                max_digits=20,
                decimal_places=4,
                min_value=0,
                required=False,
                initial=(initial_values or {}).get(child.pk),
            )

    def values(self) -> dict[OrgUnit, Decimal]:
        return {
            child: self.cleaned_data[f"child_{child.pk}"]
            for child in self.children
            if self.cleaned_data.get(f"child_{child.pk}") is not None
        }


class ActualForm(forms.Form):
    unit = forms.ModelChoiceField(
        queryset=OrgUnit.objects.none(), label=_("Unit"), widget=UnitPicker
    )
    year = _year_field()
    period = forms.IntegerField(min_value=0, max_value=12, initial=0, label=_("Period"))
    value = forms.DecimalField(max_digits=20, decimal_places=4, label=_("Actual"))
    note = forms.CharField(max_length=500, label=_("Note"), required=False)

    def __init__(self, *args: Any, user: User, indicator: Indicator, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Former units too: an actual of 2024 belongs to a ward of 2024 (checked in clean).
        _choices(self, "unit").queryset = (
            OrgUnit.objects.filter(scope_of(user).q("path", roles=MANAGER_ROLES))
            .filter(kind__in=TASK_UNIT_KINDS, path__startswith=indicator.unit.path)
            .order_by("path")
        )
        self.fields["unit"].widget.narrow(
            role=MANAGER_ROLES, kind=TASK_UNIT_KINDS, under=indicator.unit, dated_by="year"
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("year") is not None:
            refuse_units_not_of(self, "unit", data["year"])
        return data


class SpreadsheetForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    dry_run = forms.BooleanField(label=_("Check only, do not import"), required=False)

    def clean_file(self) -> UploadedFile[bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        try:
            self.cleaned_data["table"] = imports.read_table(upload, upload.name or "")
        except imports.ImportFileError as error:
            raise forms.ValidationError(error.message) from None
        return upload


class RecognitionImportForm(SpreadsheetForm):
    title = forms.ChoiceField(choices=CulturalTitle.choices, label=pgettext_lazy("award", "Title"))
    year = _year_field()

    field_order = ["title", "year", "file", "dry_run"]


class RuleForm(forms.ModelForm[TitleRule]):
    class Meta:
        model = TitleRule
        fields = [
            "deciding_authority",
            "authority_note",
            "legal_basis",
            "closes_month",
            "closes_day",
            "comment_days",
            "decision_days",
            "publication_days",
            "target_indicator",
        ]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "target_indicator").queryset = Indicator.objects.visible_to(user).filter(
            aggregation=Aggregation.RATIO
        )


class CriterionForm(forms.Form):
    group = forms.CharField(max_length=8, label=_("Group"))
    group_title = forms.CharField(max_length=300, label=_("Group title"), required=False)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("Criterion"))
    text_en = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), label=_("Criterion (English)"), required=False
    )


STEP_LABELS = {
    "evaluation_closed_on": _("Evaluation closed"),
    "list_posted_on": _("List posted for public comment"),
    "decided_on": _("Decision signed"),
    "published_on": _("Decision published"),
}


class CycleStepForm(forms.Form):
    step = forms.ChoiceField(choices=[(s, STEP_LABELS[s]) for s in CYCLE_STEPS], label=_("Step"))
    on = forms.DateField(label=_("On"))
    decision_no = forms.CharField(max_length=64, label=_("Decision number"), required=False)


class TitleCountForm(forms.Form):
    unit = forms.ModelChoiceField(
        queryset=OrgUnit.objects.none(), label=_("Unit"), widget=UnitPicker
    )
    title = forms.ChoiceField(choices=CulturalTitle.choices, label=pgettext_lazy("award", "Title"))
    year = _year_field()
    eligible = forms.IntegerField(min_value=0, label=_("Eligible"))
    assessed = forms.IntegerField(min_value=0, label=_("Assessed"))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "unit").queryset = (
            OrgUnit.objects.filter(scope_of(user).q("path", roles=MANAGER_ROLES))
            .exclude(kind__in=[UnitKind.COUNTER, UnitKind.SERVICE_POINT])
            .current()
            .order_by("path")
        )
        kinds = [k for k in UnitKind.values if k not in (UnitKind.COUNTER, UnitKind.SERVICE_POINT)]
        self.fields["unit"].widget.narrow(role=MANAGER_ROLES, kind=kinds)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if (
            data.get("eligible") is not None
            and data.get("assessed") is not None
            and data["assessed"] > data["eligible"]
        ):
            self.add_error("assessed", _("More assessed than eligible."))
        return data


class TaskFilterForm(ListFilterForm):
    """Programme tasks assigned in a unit's subtree, across programmes."""

    unit_path = "assignee_unit__path"
    period_field = "deadline"
    SORTS = {
        "deadline": ("deadline",),
        "number": ("programme__number", "number"),
        "title": ("title",),
        "unit": ("assignee_unit__name",),
        "progress": ("progress",),
    }
    text_placeholder = _("Number or words of the title")

    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *TaskStatus.choices]
    )
    programme = forms.ModelChoiceField(
        label=_("Programme"),
        required=False,
        queryset=Programme.objects.none(),
        empty_label=_("Any"),
    )

    def configure(self) -> None:
        _choices(self, "programme").queryset = Programme.objects.visible_to(
            self.request.user
        ).order_by("-pk")

    def search(self, tasks: QuerySet[Task], text: str) -> QuerySet[Task]:
        return tasks.filter(Q(title__unaccent__icontains=text) | Q(number__iexact=text))

    def narrow(self, tasks: QuerySet[Task], data: dict[str, Any]) -> QuerySet[Task]:
        if data.get("status"):
            # The task list filters Task.objects (a TaskQuerySet); the base class's
            # signature speaks of any QuerySet.
            tasks = cast(TaskQuerySet, tasks).with_status_filter(data["status"], vietnam_today())
        if data.get("programme"):
            tasks = tasks.filter(programme=data["programme"])
        return tasks
