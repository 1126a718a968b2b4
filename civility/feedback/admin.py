"""Admin for report categories and their questions (Open311 services and their definitions):
a superuser's tool, as for the organisation tree; reports themselves are handled in the app."""

from typing import TYPE_CHECKING

from django.contrib import admin

from civility.feedback.models import ReportAttribute, ReportCategory

# django-stubs make the admin classes generic in their model; Django's own classes cannot be
# subscripted at run time (without django-stubs-ext, a development tool here).
if TYPE_CHECKING:
    _AttributeInline = admin.TabularInline[ReportAttribute, ReportCategory]
    _CategoryAdmin = admin.ModelAdmin[ReportCategory]
else:
    _AttributeInline = admin.TabularInline
    _CategoryAdmin = admin.ModelAdmin


class ReportAttributeInline(_AttributeInline):
    model = ReportAttribute
    extra = 0
    fields = [
        "position",
        "code",
        "datatype",
        "required",
        "description",
        "description_en",
        "values",
    ]


@admin.register(ReportCategory)
class ReportCategoryAdmin(_CategoryAdmin):
    list_display = ["code", "name", "name_en", "is_active", "position"]
    list_filter = ["is_active"]
    search_fields = ["code", "name", "name_en"]
    inlines = [ReportAttributeInline]
