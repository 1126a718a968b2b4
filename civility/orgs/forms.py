"""Forms for the organisation pages. They validate input; the views call actions to write."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from civility.core.listing import ListFilterForm
from civility.orgs import imports
from civility.orgs.models import (
    Official,
    OfficialQuerySet,
    OrgUnit,
    OrgUnitQuerySet,
    Place,
    PlaceKind,
    PlaceQuerySet,
    Post,
    StaffCategory,
    UnitKind,
)
from civility.orgs.policies import declared

YES_NO_ANY = [("", _("Any")), ("yes", _("Yes")), ("no", _("No"))]


class OfficialForm(forms.ModelForm[Official]):
    """Create or edit an official; the post must come from the unit's own catalogue or above."""

    class Meta:
        model = Official
        fields = [
            "full_name",
            "staff_code",
            "staff_category",
            "post",
            "is_leader",
            "agency_role",
            "post_start_date",
            "email",
            "phone",
            "retirement_date",
            "left_on",
        ]
        widgets = {
            "post_start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "retirement_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "left_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
        }

    def __init__(self, *args: Any, unit: OrgUnit, creating: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        posts = cast("forms.ModelChoiceField[Post]", self.fields["post"])
        posts.queryset = posts_for(unit).select_related("unit")
        posts.label_from_instance = _post_label  # type: ignore[method-assign, assignment]  # Django's documented way
        if creating:
            del self.fields["left_on"]

    def clean_full_name(self) -> str:
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise forms.ValidationError(_("Enter the official's full name."))
        return name


def posts_for(unit: OrgUnit) -> QuerySet[Post]:
    """Posts an official of `unit` may hold: those of the unit itself and of its ancestors."""
    ids = [int(part) for part in unit.path.strip("/").split("/") if part]
    return Post.objects.filter(unit_id__in=ids).order_by("name")


def _post_label(post: Post) -> str:
    label = f"{post.name} · {post.unit.name}"
    return f"{label} ({_('subject to periodic rotation')})" if post.is_sensitive else label


class OfficialFilterForm(ListFilterForm):
    """The filters of the officials list; every field is optional."""

    STATUS_CHOICES = [
        ("active", _("Working")),
        ("left", _("Left")),
        ("all", _("All")),
    ]
    # A city has 150,000 officials: each sort key is an indexed column of theirs.
    SORTS = {"name": ("full_name",), "code": ("staff_code",)}
    text_placeholder = _("Name, staff code or e-mail")

    staff_category = forms.ChoiceField(
        label=_("Staff category"),
        required=False,
        choices=[("", _("Any"))] + list(StaffCategory.choices),
    )
    leader = forms.ChoiceField(label=_("Leader"), required=False, choices=YES_NO_ANY)
    sensitive = forms.ChoiceField(
        label=_("Post subject to periodic rotation"), required=False, choices=YES_NO_ANY
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES)

    # The list filters Official.objects (an OfficialQuerySet); the base class's signatures
    # speak of any QuerySet.
    def search(self, officials: QuerySet[Official], text: str) -> QuerySet[Official]:
        return cast(OfficialQuerySet, officials).search(text)

    def narrow(self, officials: QuerySet[Official], data: dict[str, Any]) -> QuerySet[Official]:
        if data.get("staff_category"):
            officials = officials.filter(staff_category=data["staff_category"])
        if data.get("leader"):
            officials = officials.filter(is_leader=data["leader"] == "yes")
        if data.get("sensitive") == "yes":
            officials = officials.filter(post__is_sensitive=True)
        elif data.get("sensitive") == "no":
            officials = officials.exclude(post__is_sensitive=True)
        status = data.get("status") or "active"
        if status == "active":
            officials = cast(OfficialQuerySet, officials).active()
        elif status == "left":
            officials = officials.filter(left_on__isnull=False)
        return officials


class PlaceFilterForm(ListFilterForm):
    SORTS = {"name": ("name",), "kind": ("kind",), "unit": ("unit__name",)}
    text_placeholder = _("Name or address")

    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any"))] + list(PlaceKind.choices)
    )

    def search(self, places: QuerySet[Place], text: str) -> QuerySet[Place]:
        return cast(PlaceQuerySet, places).search(text)

    def narrow(self, places: QuerySet[Place], data: dict[str, Any]) -> QuerySet[Place]:
        if data.get("kind"):
            places = places.filter(kind=data["kind"])
        return places


class UnitFilterForm(ListFilterForm):
    """The units list: the subtree of a unit, by kind, name or code, current or former."""

    unit_path = "path"
    SORTS = {"name": ("name",), "kind": ("kind",), "code": ("code",), "depth": ("depth",)}
    STATE_CHOICES = [("current", _("Current")), ("former", _("Former")), ("all", _("All"))]
    text_placeholder = _("Name or official code")

    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any"))] + list(UnitKind.choices)
    )
    state = forms.ChoiceField(label=_("Status"), required=False, choices=STATE_CHOICES)

    def search(self, units: QuerySet[OrgUnit], text: str) -> QuerySet[OrgUnit]:
        return cast(OrgUnitQuerySet, units).search(text)

    def narrow(self, units: QuerySet[OrgUnit], data: dict[str, Any]) -> QuerySet[OrgUnit]:
        if data.get("kind"):
            units = units.filter(kind=data["kind"])
        state = data.get("state") or "current"
        if state == "current":
            units = cast(OrgUnitQuerySet, units).current()
        elif state == "former":
            units = cast(OrgUnitQuerySet, units).former()
        return units


class UnitSelectForm(forms.Form):
    unit = forms.IntegerField(min_value=1)


class PolicyForm(forms.Form):
    """A unit's choice for one declared setting; the value is checked by the setting itself
    (civility.orgs.policies.PolicySpec.clean) in the action."""

    key = forms.ChoiceField(label=_("Setting"))
    value = forms.CharField(label=_("Value"), max_length=200)
    valid_from = forms.DateField(label=_("In force from"), widget=forms.DateInput({"type": "date"}))
    source = forms.CharField(
        label=_("Ground"),
        max_length=255,
        required=False,
        help_text=_(
            "The document that decided it (number, article, clause). Leave empty when none "
            "was issued: the setting is then shown as 'to be confirmed'."
        ),
    )
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        key = cast(forms.ChoiceField, self.fields["key"])
        key.choices = [(spec.key, spec.label) for spec in declared()]


# --- imports -------------------------------------------------------------------------------


class ImportForm(forms.Form):
    """The file is read by the import job (a city's file takes longer than a request)."""

    file = forms.FileField(
        label=_("Spreadsheet (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    dry_run = forms.BooleanField(
        label=_("Check only, do not import"),
        required=False,
        help_text=_("Reports what the import would do and every problem found, without saving."),
    )

    def clean_file(self) -> UploadedFile[bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        if (upload.size or 0) > imports.MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB."),
                params={"size": imports.MAX_FILE_BYTES // 1024 // 1024},
            )
        if not (upload.name or "").lower().endswith(imports.ALLOWED_EXTENSIONS):
            raise forms.ValidationError(_("Upload an .xlsx or .csv file."))
        return upload


class OfficialsImportForm(ImportForm):
    create_missing_posts = forms.BooleanField(
        label=_("Add posts that are not in the catalogue"),
        required=False,
        help_text=_(
            "Otherwise a post that is not in the catalogue of the official's unit or a unit "
            "above it is an error. New posts are added to the catalogue of this unit."
        ),
    )
