from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConductConfig(AppConfig):
    name = "civility.conduct"
    label = "conduct"
    verbose_name = _("Conduct records")

    def ready(self) -> None:
        # late: auditlog and the models load once the app registry is ready
        from auditlog.registry import auditlog

        from civility.conduct import models
        from civility.conduct.audit import reporter_redaction
        from civility.core.audit import register_redaction

        auditlog.register(models.ViolationGroup)
        auditlog.register(models.ViolationType)
        # Reads of confidential records, one or a list, are logged (action ACCESS) by
        # actions.read_records.
        auditlog.register(models.ViolationRecord)
        auditlog.register(models.RecordStep)
        auditlog.register(models.RecordEvidence)
        # The secret's hash, the form's keyed id and the reporter's contact details stay out
        # of the audit trail.
        auditlog.register(
            models.AnonymousReport, exclude_fields=["secret_hash", "submission_key", "contact"]
        )
        auditlog.register(models.ReportMessage)
        # The audit log hides a record's reporter from whoever the record page hides it from.
        register_redaction(reporter_redaction)
