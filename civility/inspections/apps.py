from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "civility.inspections"
    label = "inspections"
    verbose_name = _("Inspections")

    def ready(self) -> None:
        # late: auditlog and the models load once the app registry is ready
        from auditlog.registry import auditlog

        from civility.inspections import models

        # Answers saved while an inspection runs are upserted in SQL (not audited: they are
        # drafts); amendments after submission go through the ORM and are audited.
        for model in (
            models.ChecklistTemplate,
            models.TemplateVersion,
            models.Section,
            models.Criterion,
            models.InspectionPlan,
            models.Inspection,
            models.Answer,
            models.Photo,
            models.Amendment,
            models.Finding,
            models.CorrectiveAction,
            models.EvidenceFile,
            models.ActionStep,
            models.ActionEscalation,
        ):
            auditlog.register(model)
