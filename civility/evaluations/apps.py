from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "civility.evaluations"
    label = "evaluations"
    verbose_name = _("Evaluations")

    def ready(self) -> None:
        # late: auditlog and the models load once the app registry is ready
        from auditlog.registry import auditlog

        from civility.evaluations import models, policies  # noqa: F401 (declares settings)

        auditlog.register(models.EvaluationPeriod, m2m_fields={"exceptional_units"})
        auditlog.register(models.Evaluation)
        auditlog.register(models.AnnualClassification)
        auditlog.register(models.RotationPlan)
        auditlog.register(models.RotationException)
