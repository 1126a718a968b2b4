from django.urls import path

from civility.orgs import import_views

app_name = "imports"

urlpatterns = [
    path(
        "templates/<slug:kind>.<slug:extension>",
        import_views.template_download,
        name="template_download",
    ),
    path("<int:unit_id>/structure/", import_views.structure_import, name="structure_import"),
    path("<int:unit_id>/officials/", import_views.officials_import, name="officials_import"),
    path(
        "<int:unit_id>/former-units/",
        import_views.former_units_import,
        name="former_units_import",
    ),
]
