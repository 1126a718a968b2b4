"""Admin for report categories and their questions (Open311 services and their definitions):
a superuser's tool, as for the organisation tree; reports themselves are handled in the app."""

from django.contrib import admin

from civility.feedback.models import ReportAttribute, ReportCategory


# django-stubs make the admin classes generic in their model; Django's own classes cannot be
# subscripted at run time (without django-stubs-ext, a development tool here).
class ReportAttributeInline(admin.TabularInline[ReportAttribute, ReportCategory]):
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
class ReportCategoryAdmin(admin.ModelAdmin[ReportCategory]):
    list_display = ["code", "name", "name_en", "is_active", "position"]
    list_filter = ["is_active"]
    search_fields = ["code", "name", "name_en"]
    inlines = [ReportAttributeInline]
