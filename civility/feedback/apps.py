from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civility.core import error_formats
from civility.feedback import conf
from civility.feedback.open311 import formats as open311_formats


class FeedbackConfig(AppConfig):
    name = "civility.feedback"
    label = "feedback"
    verbose_name = _("Citizens' voice")

    def ready(self) -> None:
        # late: auditlog and the models load once the app registry is ready
        from auditlog.registry import auditlog

        from civility.feedback import models

        conf.check()
        error_formats.register(open311_formats.PREFIX, open311_formats.error_for_path)

        # Ratings and rollups are not audited: append-only, high-volume, and nothing an
        # audit event would add. Everything people change by hand is.
        auditlog.register(models.CounterDevice, exclude_fields=["key_hash", "last_seen_at"])
        auditlog.register(models.AssistanceCall)
        auditlog.register(models.ReportCategory)
        auditlog.register(
            models.PublicReport,
            exclude_fields=["contact_name", "contact_email", "contact_phone", "secret_hash"],
        )
        auditlog.register(models.ReportUpdate)
        auditlog.register(models.DossierStat)
        auditlog.register(models.CounterSession)
        auditlog.register(models.SessionCounter)
        auditlog.register(models.RatingFlag)
        auditlog.register(
            models.FollowUpCase,
            exclude_fields=["contact_name", "contact_email", "contact_phone", "secret_hash"],
        )
        auditlog.register(models.CaseStep)
        auditlog.register(models.CaseEvidence)
        auditlog.register(models.CallEscalation)
