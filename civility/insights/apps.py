from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "civility.insights"
    label = "insights"
    verbose_name = _("Insights")

    def ready(self) -> None:
        # late: auditlog and the models load once the app registry is ready
        from auditlog.registry import auditlog

        from civility.insights import models, policies  # noqa: F401 (declares the settings)

        # Weights decide every unit's rank: who changed them, and when, is kept.
        auditlog.register(models.WeightSet)
        # Who receives which unit's reports by e-mail.
        auditlog.register(models.Subscription)
