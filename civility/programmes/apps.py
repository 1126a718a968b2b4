from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "civility.programmes"
    label = "programmes"
    verbose_name = _("Programmes and targets")

    def ready(self) -> None:
        # late: auditlog and the models load once the app registry is ready
        from auditlog.registry import auditlog

        from civility.programmes import models

        auditlog.register(models.Programme)
        auditlog.register(models.Task)
        auditlog.register(models.TaskUpdate)
        auditlog.register(models.Indicator)
        auditlog.register(models.Target)
        auditlog.register(models.Actual)
        auditlog.register(models.TitleRule)
        auditlog.register(models.Criterion)
        auditlog.register(models.TitleCycle)
        auditlog.register(models.TitleCount)
        auditlog.register(models.Recognition)
