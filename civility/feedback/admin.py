"""Admin for report categories and their questions (Open311 services and their definitions):
a superuser's tool, as for the organisation tree; reports themselves are handled in the app."""

from django.contrib import admin

from civility.feedback.models import ReportAttribute, ReportCategory


class ReportAttributeInline(admin.TabularInline):
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
class ReportCategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "is_active", "position"]
    list_filter = ["is_active"]
    search_fields = ["code", "name", "name_en"]
    inlines = [ReportAttributeInline]
