"""The questions a report category asks (Open311 service definitions' attributes).

Kept out of models.py (imported at its end, so it belongs to the feedback app) to keep that
module readable. A category with questions answers `metadata: true` in services.xml, and
services/{code}.xml lists them; answers arrive as `attribute[code]` and are kept on the
report (PublicReport.attributes) for the commune.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class AttributeType(models.TextChoices):
    """Open311's datatypes (GeoReport v2, Service Definition)."""

    STRING = "string", _("short text")
    NUMBER = "number", _("number")
    DATETIME = "datetime", _("date and time")
    TEXT = "text", _("long text")
    SINGLE = "singlevaluelist", _("one choice")
    MULTI = "multivaluelist", _("several choices")


class ReportAttribute(models.Model):
    category = models.ForeignKey(
        "feedback.ReportCategory",
        on_delete=models.CASCADE,
        related_name="attributes",
        verbose_name=_("category"),
    )
    code = models.SlugField(_("code"), max_length=40)
    datatype = models.CharField(_("type"), max_length=16, choices=AttributeType.choices)
    required = models.BooleanField(_("required"), default=False)
    description = models.CharField(_("question (Vietnamese)"), max_length=255)
    description_en = models.CharField(_("question (English)"), max_length=255, blank=True)
    # The choices of a list: [{"key": "...", "name": "Vietnamese", "name_en": "English"}].
    values = models.JSONField(_("choices"), default=list, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("report question")
        verbose_name_plural = _("report questions")
        ordering = ["position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="report_attribute_code")
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def display_description(self) -> str:
        return (
            self.description_en
            if get_language() == "en" and self.description_en
            else (self.description)
        )

    def choices(self) -> list[tuple[str, str]]:
        """(key, name in the active language) of each choice of a list."""
        english = get_language() == "en"
        return [
            (str(v["key"]), str((english and v.get("name_en")) or v.get("name") or v["key"]))
            for v in self.values
            if isinstance(v, dict) and "key" in v
        ]


def answers(report) -> list[tuple[str, str]]:
    """(question, answer) of a report's answers in the active language, choices by name;
    answers to questions removed since keep their code."""
    questions = {q.code: q for q in ReportAttribute.objects.filter(category=report.category_id)}
    shown = []
    for code, answer in report.attributes.items():
        question = questions.get(code)
        names = dict(question.choices()) if question else {}
        keys = answer if isinstance(answer, list) else [answer]
        text = ", ".join(names.get(str(key), str(key)) for key in keys)
        shown.append((question.display_description if question else code, text))
    return shown
