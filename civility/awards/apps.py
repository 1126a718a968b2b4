from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "civility.awards"
    label = "awards"
    verbose_name = _("Emulation and commendation")

    def ready(self) -> None:
        # late: auditlog and the models load once the app registry is ready
        from auditlog.registry import auditlog

        from civility.awards import models, policies  # noqa: F401 (declares the settings)
        from civility.awards.actions.revocations import flag_awards_for_record
        from civility.conduct.actions import on_record_confirmed

        # Awards given for the period of a violation confirmed now are reviewed for revocation.
        on_record_confirmed(flag_awards_for_record)

        auditlog.register(models.Movement)
        auditlog.register(models.MovementRegistration)
        auditlog.register(models.AwardTitle)
        auditlog.register(models.Quota)
        auditlog.register(models.BaseSalary)
        auditlog.register(models.ReviewHold)
        auditlog.register(models.Nomination)
        auditlog.register(models.NominationEvidence)
        auditlog.register(models.Vote)
        auditlog.register(models.AwardDecision)
        auditlog.register(models.Award)
        auditlog.register(models.RevocationReview)
        auditlog.register(models.HonourConsent)
        auditlog.register(models.GoodModel, m2m_fields={"authors"})
        auditlog.register(models.Replication)
        auditlog.register(models.ModelTally)
