from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civility.orgs.scopes import scope_of


class OrgsConfig(AppConfig):
    name = "civility.orgs"
    label = "orgs"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        # late: auditlog and the models load once the app registry is ready
        from auditlog.registry import auditlog

        from civility.core.audit import register_readers
        from civility.orgs import models, profile  # noqa: F401 (declares the settings)
        from civility.orgs.context_processors import can_read_audit

        register_readers(lambda user: can_read_audit(scope_of(user)))

        # search_name is derived by the database from the names (migration 0006).
        derived = ["search_name"]
        auditlog.register(models.OrgUnit, exclude_fields=derived)
        auditlog.register(models.Succession)
        auditlog.register(models.Place)
        auditlog.register(models.Post)
        auditlog.register(models.Official, exclude_fields=derived)
        auditlog.register(models.RoleAssignment)
        auditlog.register(models.UnitPolicy)
