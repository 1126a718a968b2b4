from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CodesConfig(AppConfig):
    name = "civility.codes"
    label = "codes"
    verbose_name = _("Codes of conduct")

    def ready(self) -> None:
        # late: auditlog and the models load once the app registry is ready
        from auditlog.registry import auditlog

        from civility.codes import models

        auditlog.register(models.Code)
        auditlog.register(models.CodeVersion)
        auditlog.register(models.Chapter)
        auditlog.register(models.Article)
        auditlog.register(models.Clause)
        auditlog.register(models.CommitmentCampaign)
        auditlog.register(models.Commitment)
        auditlog.register(models.DisseminationActivity)
        auditlog.register(models.DisseminationAttachment)
