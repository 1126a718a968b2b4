"""Forms for awards pages. They validate; actions act."""

from __future__ import annotations

from typing import Any, TypeVar

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_stubs_ext import StrOrPromise

from civility.awards.actions.catalogue import TITLE_CREATE_FIELDS, TITLE_EDIT_FIELDS
from civility.awards.actions.decisions import PastAward
from civility.awards.models.catalogue import (
    AwardLevel,
    AwardTitle,
    BaseSalary,
    QuotaBase,
    text_lines,
)
from civility.awards.models.decisions import RevocationGround
from civility.awards.models.good_models import (
    GoodModel,
    ModelCategory,
    ModelKind,
    ModelStatus,
    Replication,
    ReplicationStatus,
)
from civility.awards.models.movements import Movement
from civility.awards.models.nominations import HoldKind, Nomination, NominationStatus, VoteChoice
from civility.core.forms import MultipleFileField
from civility.core.listing import ListFilterForm
from civility.orgs.forms import ImportForm
from civility.orgs.models import Official, OrgUnit
from civility.orgs.pickers import (
    PersonPicker,
    UnitPicker,
    refuse_officials_not_in_post,
    refuse_units_not_of,
)
from civility.orgs.scopes import MANAGER_ROLES

_F = TypeVar("_F", bound=forms.Field)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _field(form: forms.BaseForm, name: str, kind: type[_F]) -> _F:
    """The field `name` of the form as the class it is declared with (`form.fields` holds
    plain Fields)."""
    field = form.fields[name]
    assert isinstance(field, kind)
    return field


class UnitChoiceField(forms.ModelChoiceField[OrgUnit]):
    widget = UnitPicker

    def label_from_instance(self, obj: OrgUnit) -> str:
        return obj.display_name


class TitleChoiceField(forms.ModelChoiceField[AwardTitle]):
    def label_from_instance(self, obj: AwardTitle) -> str:
        return obj.display_name


class UnitOrOfficialForm(forms.Form):
    """A form about an official or, with none chosen, a unit as a whole: its subclass declares
    the two fields (`unit`, `official`) and says what to ask when neither is chosen."""

    neither_chosen: StrOrPromise

    def __init__(
        self,
        *args: Any,
        units: QuerySet[OrgUnit],
        officials: QuerySet[Official],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _field(self, "unit", UnitChoiceField).queryset = units
        _field(self, "official", forms.ModelChoiceField).queryset = officials

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not data.get("unit") and not data.get("official"):
            raise forms.ValidationError(self.neither_chosen)
        return data


def _year_default() -> int:
    return timezone.localdate().year


class EligibilityForm(forms.Form):
    title = TitleChoiceField(
        label=pgettext_lazy("award", "Title"), queryset=AwardTitle.objects.none()
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    unit = UnitChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())

    def __init__(
        self,
        *args: Any,
        titles: QuerySet[AwardTitle],
        units: QuerySet[OrgUnit],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _field(self, "title", TitleChoiceField).queryset = titles
        _field(self, "unit", UnitChoiceField).queryset = units

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        title, unit = data.get("title"), data.get("unit")
        # Another province's catalogue never applies (Hanoi's own titles are not Son La's).
        if title and unit and not unit.path.startswith(title.unit.path):
            self.add_error("title", _("This title is not in the catalogue for the unit."))
        return data


class MovementForm(forms.ModelForm[Movement]):
    unit = UnitChoiceField(label=_("Launching unit"), queryset=OrgUnit.objects.none())

    class Meta:
        model = Movement
        fields = [
            "unit",
            "name",
            "name_en",
            "reference",
            "starts_on",
            "ends_on",
            "description",
            "criteria",
        ]
        widgets = {"starts_on": DATE, "ends_on": DATE}

    def __init__(self, *args: Any, units: QuerySet[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _field(self, "unit", UnitChoiceField).queryset = units


class RegistrationForm(UnitOrOfficialForm):
    neither_chosen = _("Choose a unit or an official.")

    unit = UnitChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none(), required=False)
    official = forms.ModelChoiceField(
        label=_("Official"),
        queryset=Official.objects.none(),
        required=False,
        help_text=_("Leave empty to register the unit as a whole."),
        widget=PersonPicker,
    )
    pledge = forms.CharField(
        label=_("Pledge"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class TitleForm(forms.ModelForm[AwardTitle]):
    valid_from = forms.DateField(
        label=_("Valid from"),
        widget=DATE,
        help_text=_("A version in use is not changed: a new version starts on this day."),
    )

    class Meta:
        model = AwardTitle
        fields = TITLE_EDIT_FIELDS
        widgets = {
            "extra_conditions": forms.Textarea(attrs={"rows": 3}),
            "conditions_note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["open_actions_tolerated"].required = False

    def clean_open_actions_tolerated(self) -> int:
        return self.cleaned_data["open_actions_tolerated"] or 0


class NewTitleForm(TitleForm):
    key = forms.SlugField(label=_("Key"), max_length=60)

    class Meta(TitleForm.Meta):
        fields = ("key", *TITLE_CREATE_FIELDS)


class RevocationDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=[("kept", _("Kept")), ("revoked", _("Revoked"))],
        widget=forms.RadioSelect,
    )
    decision_number = forms.CharField(label=_("Decision number"), max_length=64)
    decided_on = forms.DateField(label=_("Decision date"), widget=DATE)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    recovery_amount = forms.DecimalField(
        label=_("Bonus to recover (VND)"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=0,
        help_text=_("When revoked: leave empty to recover the whole bonus paid."),
    )


class RevocationOpenForm(forms.Form):
    ground = forms.ChoiceField(
        label=_("Ground"),
        choices=[
            (value, label)
            for value, label in RevocationGround.choices
            if value != RevocationGround.VIOLATION
        ],
    )
    detail = forms.CharField(
        label=_("Facts and references"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What was found, and by whom (e.g. the inspection conclusion)."),
    )


class RecoveryForm(forms.Form):
    recovered_on = forms.DateField(label=_("Recovered on"), widget=DATE)
    recovered_by = forms.CharField(
        label=_("Recovered by"),
        max_length=300,
        help_text=_("The office or person who collected the money."),
    )


class BaseSalaryForm(forms.ModelForm[BaseSalary]):
    class Meta:
        model = BaseSalary
        fields = ["valid_from", "amount", "legal_basis", "to_be_confirmed"]
        widgets = {"valid_from": DATE}


class QuotaForm(forms.Form):
    unit = UnitChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("Leave empty for every year."),
    )
    max_count = forms.IntegerField(label=_("At most (number)"), required=False, min_value=0)
    max_percent = forms.IntegerField(
        label=_("At most (%)"), required=False, min_value=1, max_value=100
    )
    percent_of = forms.ChoiceField(label=_("Percent of"), choices=QuotaBase.choices)
    percent_of_key = forms.SlugField(label=_("The other title (key)"), required=False)
    source = forms.CharField(label=_("Source"), max_length=300)

    def __init__(self, *args: Any, units: QuerySet[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _field(self, "unit", UnitChoiceField).queryset = units


class NominationForm(forms.Form):
    justification = forms.CharField(
        label=_("Justification"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The achievements in the year, with figures."),
    )
    links = forms.CharField(
        label=_("Links to evidence"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line."),
    )
    # A declared field: the form's metaclass moves it into base_fields, so it never shadows
    # Form.files (the uploaded files), which is what the stubs compare it with.
    files = MultipleFileField(label=_("Evidence files"), required=False)  # type: ignore[assignment]  # see MultipleFileField

    def clean_links(self) -> tuple[str, ...]:
        return tuple(text_lines(self.cleaned_data["links"]))


class VoteForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("Vote"), choices=VoteChoice.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class CloseReviewForm(forms.Form):
    note = forms.CharField(
        label=_("Board's note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DecisionForm(forms.Form):
    unit = UnitChoiceField(label=_("Issuing unit"), queryset=OrgUnit.objects.none())
    number = forms.CharField(label=_("Decision number"), max_length=64)
    decided_on = forms.DateField(label=_("Decision date"), widget=DATE)
    issuer = forms.CharField(
        label=_("Issued by"), max_length=300, help_text=_("Office and name of the signatory.")
    )
    nominations = forms.ModelMultipleChoiceField(
        label=_("Recommended nominations"),
        queryset=Nomination.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    movement = forms.ModelChoiceField(
        label=_("Emulation movement"), queryset=Movement.objects.none(), required=False
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self,
        *args: Any,
        units: QuerySet[OrgUnit],
        nominations: QuerySet[Nomination],
        movements: QuerySet[Movement],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _field(self, "unit", UnitChoiceField).queryset = units
        _field(self, "movement", forms.ModelChoiceField).queryset = movements
        _field(self, "nominations", forms.ModelMultipleChoiceField).queryset = nominations


class HoldForm(UnitOrOfficialForm):
    neither_chosen = _("Choose the official or the unit under review.")

    official = forms.ModelChoiceField(
        label=_("Official"), queryset=Official.objects.none(), required=False, widget=PersonPicker
    )
    unit = UnitChoiceField(
        label=_("Unit"),
        queryset=OrgUnit.objects.none(),
        required=False,
        help_text=_("For a review of the unit as a whole."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=HoldKind.choices)
    started_on = forms.DateField(label=_("Started on"), widget=DATE)
    reference = forms.CharField(label=_("Reference"), max_length=300, required=False)


class GoodModelForm(forms.ModelForm[GoodModel]):
    unit = UnitChoiceField(label=_("Owning unit"), queryset=OrgUnit.objects.none())

    class Meta:
        model = GoodModel
        fields = [
            "kind",
            "category",
            "unit",
            "name",
            "name_en",
            "started_on",
            "description",
            "evidence",
            "movement",
            "contest",
            "authors",
        ]
        widgets = {
            "started_on": DATE,
            "evidence": forms.Textarea(attrs={"rows": 2}),
            "authors": PersonPicker(multiple=True),
        }

    def __init__(
        self,
        *args: Any,
        units: QuerySet[OrgUnit],
        movements: QuerySet[Movement],
        officials: QuerySet[Official],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _field(self, "unit", UnitChoiceField).queryset = units
        _field(self, "movement", forms.ModelChoiceField).queryset = movements
        # A model of 2022 may have authors who have left since: besides today's staff that
        # the view offers (`officials`), the field takes former staff of the units the form
        # accepts, and clean() keeps only those still in post on the day the model started.
        former_staff = Official.objects.filter(unit__in=units, left_on__isnull=False)
        authors = _field(self, "authors", forms.ModelMultipleChoiceField)
        authors.queryset = officials | former_staff
        authors.required = False
        # A model started in 2022 belongs to a ward of 2022, perhaps one that has since ended,
        # and to the people in post then.
        self.fields["unit"].widget.narrow(dated_by="started_on")
        self.fields["authors"].widget.narrow(dated_by="started_on")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("started_on"):
            refuse_units_not_of(self, "unit", data["started_on"])
            refuse_officials_not_in_post(self, "authors", data["started_on"])
        return data


class ModelStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ModelStatus.choices)
    recognised_on = forms.DateField(label=_("Recognised on"), widget=DATE, required=False)
    recognised_by = forms.CharField(label=_("Recognised by"), max_length=300, required=False)
    recognition_level = forms.ChoiceField(
        label=pgettext_lazy("award", "Level"),
        choices=[("", "---------"), *AwardLevel.choices],
        required=False,
    )


class ReplicationForm(forms.Form):
    unit = UnitChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    adopted_on = forms.DateField(label=_("Date"), widget=DATE)
    status = forms.ChoiceField(
        label=_("Status"), choices=ReplicationStatus.choices, initial=ReplicationStatus.ADOPTED
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, units: QuerySet[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _field(self, "unit", UnitChoiceField).queryset = units


class HonourFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    # A public page: the pickers' searches need a signed-in user, and the board lists only
    # communes, wards and departments.
    unit = UnitChoiceField(
        label=_("Unit"), queryset=OrgUnit.objects.none(), required=False, widget=forms.Select
    )

    def __init__(self, *args: Any, units: QuerySet[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _field(self, "unit", UnitChoiceField).queryset = units


class NominationFilterForm(ListFilterForm):
    SORTS: dict[str, tuple[str, ...]] = {
        "year": ("year",),
        "nominee": ("official__full_name", "unit__name"),
        "title": ("title__name",),
        "status": ("status",),
        "proposed": ("proposed_at",),
    }
    text_placeholder = _("Nominee's name")

    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *NominationStatus.choices]
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2999)
    title = forms.ModelChoiceField(
        label=pgettext_lazy("award", "Title"),
        required=False,
        queryset=AwardTitle.objects.none(),
        empty_label=_("Any"),
    )

    def configure(self) -> None:
        _field(self, "title", forms.ModelChoiceField).queryset = AwardTitle.objects.visible_to(
            self.request.user
        ).order_by("name")

    def search(self, nominations: QuerySet[Nomination], text: str) -> QuerySet[Nomination]:
        return nominations.filter(
            Q(official__in=Official.objects.search(text).values("pk"))
            | Q(official__isnull=True, unit__in=OrgUnit.objects.search(text).values("pk"))
        )

    def narrow(
        self, nominations: QuerySet[Nomination], data: dict[str, Any]
    ) -> QuerySet[Nomination]:
        if data.get("status"):
            nominations = nominations.filter(status=data["status"])
        if data.get("year"):
            nominations = nominations.filter(year=data["year"])
        if data.get("title"):
            nominations = nominations.filter(title=data["title"])
        return nominations


class GoodModelFilterForm(ListFilterForm):
    """Good models owned in a unit's subtree, or replicated there."""

    period_field = "started_on"
    SORTS: dict[str, tuple[str, ...]] = {
        "name": ("name",),
        "started": ("started_on",),
        "category": ("category",),
        "unit": ("unit__name",),
        "status": ("status",),
        "replications": ("replication_count",),
    }
    text_placeholder = _("Name or description")

    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("Any")), *ModelCategory.choices]
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any")), *ModelKind.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *ModelStatus.choices]
    )

    def in_unit(self, models: QuerySet[GoodModel], unit: OrgUnit) -> QuerySet[GoodModel]:
        replicated = Replication.objects.filter(unit__path__startswith=unit.path)
        return models.filter(
            Q(unit__path__startswith=unit.path) | Q(pk__in=replicated.values("model"))
        )

    def search(self, models: QuerySet[GoodModel], text: str) -> QuerySet[GoodModel]:
        return models.filter(
            Q(name__unaccent__icontains=text)
            | Q(name_en__unaccent__icontains=text)
            | Q(description__unaccent__icontains=text)
        )

    def narrow(self, models: QuerySet[GoodModel], data: dict[str, Any]) -> QuerySet[GoodModel]:
        for name in ("category", "kind", "status"):
            if data.get(name):
                models = models.filter(**{name: data[name]})
        return models


class PastDecisionForm(forms.Form):
    """An earlier decision recorded for the archive, with its recipients chosen in pickers: a
    title for the collectives and one for the people (a decision often gives both)."""

    unit = UnitChoiceField(
        label=_("Issuing unit"),
        queryset=OrgUnit.objects.none(),
        help_text=_("A former unit too, if it still existed on the decision date."),
    )
    number = forms.CharField(label=_("Decision number"), max_length=64)
    decided_on = forms.DateField(label=_("Decision date"), widget=DATE)
    issuer = forms.CharField(
        label=_("Issued by"), max_length=300, help_text=_("Office and name of the signatory.")
    )
    year = forms.IntegerField(
        label=_("Year of the achievements"),
        min_value=2000,
        max_value=2100,
        required=False,
        help_text=_("Blank: the year of the decision."),
    )
    movement = forms.ModelChoiceField(
        label=_("Emulation movement"), queryset=Movement.objects.none(), required=False
    )
    collective_title = forms.ChoiceField(label=_("Title given to the collectives"), required=False)
    units = forms.ModelMultipleChoiceField(
        label=_("Collectives commended"),
        queryset=OrgUnit.objects.none(),
        required=False,
        widget=UnitPicker(multiple=True),
    )
    individual_title = forms.ChoiceField(label=_("Title given to the people"), required=False)
    officials = forms.ModelMultipleChoiceField(
        label=_("People commended"),
        queryset=Official.objects.none(),
        required=False,
        widget=PersonPicker(multiple=True),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self,
        *args: Any,
        units: QuerySet[OrgUnit],
        officials: QuerySet[Official],
        movements: QuerySet[Movement],
        titles: QuerySet[AwardTitle],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _field(self, "unit", UnitChoiceField).queryset = units
        _field(self, "units", forms.ModelMultipleChoiceField).queryset = units
        _field(self, "officials", forms.ModelMultipleChoiceField).queryset = officials
        _field(self, "movement", forms.ModelChoiceField).queryset = movements
        for name, recipient in (
            ("collective_title", "collective"),
            ("individual_title", "individual"),
        ):
            names = {t.key: t.display_name for t in titles if t.recipient == recipient}
            _field(self, name, forms.ChoiceField).choices = [
                ("", "—"),
                *sorted(names.items(), key=lambda kv: kv[1]),
            ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        for title, recipients in (("collective_title", "units"), ("individual_title", "officials")):
            if data.get(recipients) and not data.get(title):
                self.add_error(title, _("Choose the title they were given."))
        if not data.get("units") and not data.get("officials"):
            raise forms.ValidationError(_("Choose the collectives or the people commended."))
        if data.get("decided_on"):
            for field in ("unit", "units"):
                refuse_units_not_of(self, field, data["decided_on"])
            refuse_officials_not_in_post(self, "officials", data["decided_on"])
            if not data.get("year"):
                data["year"] = data["decided_on"].year
        return data

    def awards(self) -> list[PastAward]:
        data = self.cleaned_data
        return [PastAward(data["collective_title"], unit=u) for u in data["units"]] + [
            PastAward(data["individual_title"], official=o) for o in data["officials"]
        ]


class HistoryImportForm(ImportForm):
    """A spreadsheet of the past (earlier decisions, good models) and the unit it goes into;
    the file is read by the import job, as for officials (the same checks on upload)."""

    unit = UnitChoiceField(label=_("Import into"), queryset=OrgUnit.objects.none())
    field_order = ["unit", "file", "dry_run"]

    def __init__(
        self,
        *args: Any,
        units: QuerySet[OrgUnit],
        roles: tuple[str, ...],
        former: bool = False,
        unit_help: StrOrPromise = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        unit = _field(self, "unit", UnitChoiceField)
        unit.queryset = units
        unit.help_text = unit_help
        self.fields["unit"].widget.narrow(role=list(roles), all=former)


class TallyForm(forms.Form):
    """The number of good models of a year where only the total was kept."""

    unit = UnitChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    category = forms.ChoiceField(label=_("Category"), choices=ModelCategory.choices)
    count = forms.IntegerField(label=_("Number of models"), min_value=0)
    source = forms.CharField(
        label=_("Source"),
        required=False,
        max_length=300,
        help_text=_("The report the total comes from."),
    )

    def __init__(self, *args: Any, units: QuerySet[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _field(self, "unit", UnitChoiceField).queryset = units
        # The action refuses a unit that did not exist in the year (on the year's field).
        self.fields["unit"].widget.narrow(role=list(MANAGER_ROLES), dated_by="year")
