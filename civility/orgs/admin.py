"""Admin for the organisation tree and its people: a superuser's repair tool, not the UI."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib import admin
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from civility.orgs.history import shares_add_up
from civility.orgs.models import Official, OrgUnit, Place, Post, RoleAssignment, Succession


class SuccessionFormSet(BaseInlineFormSet[Succession, OrgUnit, forms.ModelForm[Succession]]):
    def clean(self) -> None:
        """A former unit's shares add up to 1, or a figure mapped forward gains or loses."""
        super().clean()
        shares = [
            form.cleaned_data["share"]
            for form in self.forms
            if form.cleaned_data.get("share") is not None and not form.cleaned_data.get("DELETE")
        ]
        if shares and not shares_add_up(shares):
            raise ValidationError(
                _("The shares add up to %(total)s, not 1.") % {"total": sum(shares).normalize()}
            )


class SuccessionInline(admin.TabularInline[Succession, OrgUnit]):
    model = Succession
    formset = SuccessionFormSet
    fk_name = "predecessor"
    raw_id_fields = ["successor"]
    extra = 0


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin[OrgUnit]):
    list_display = ["name", "kind", "code", "parent", "valid_from", "valid_to", "path"]
    list_filter = ["kind"]
    search_fields = ["name", "name_en", "code"]
    list_select_related = ["parent"]
    raw_id_fields = ["parent", "serves"]
    inlines = [SuccessionInline]
    readonly_fields = ["path", "depth", "created_at", "updated_at"]


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin[Place]):
    list_display = ["name", "kind", "unit", "address"]
    list_filter = ["kind"]
    search_fields = ["name", "address", "unit__name"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin[Post]):
    list_display = ["name", "unit", "is_sensitive", "rotation_period_months"]
    list_filter = ["is_sensitive"]
    search_fields = ["name", "unit__name"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]


@admin.register(Official)
class OfficialAdmin(admin.ModelAdmin[Official]):
    list_display = [
        "full_name",
        "staff_code",
        "unit",
        "staff_category",
        "post",
        "is_leader",
        "agency_role",
    ]
    list_filter = ["staff_category", "is_leader", "agency_role"]
    search_fields = ["full_name", "staff_code", "email", "unit__name"]
    list_select_related = ["unit", "post"]
    autocomplete_fields = ["unit", "post", "user"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin[RoleAssignment]):
    list_display = ["user", "role", "unit", "granted_by", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "unit__name"]
    list_select_related = ["user", "unit", "granted_by"]
    autocomplete_fields = ["user", "unit"]
    raw_id_fields = ["granted_by"]

    def save_model(
        self,
        request: HttpRequest,
        obj: RoleAssignment,
        form: forms.ModelForm[RoleAssignment],
        change: bool,
    ) -> None:
        if not change and obj.granted_by_id is None:
            # The admin opens to signed-in staff only: the user is an account.
            obj.granted_by = cast(User, request.user)
        super().save_model(request, obj, form, change)
