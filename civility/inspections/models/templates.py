"""Checklist templates (versioned), their sections and criteria.

A template's versions are immutable once an inspection uses them: editing a version in use
forks a new one (actions.templates), so past inspections keep the criteria they were run
against. A criterion keeps a stable `ref` ("A1") across versions, which figures group by.
"""

from __future__ import annotations

from decimal import Decimal
from functools import reduce
from operator import or_

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civility.codes.models import Article, overlapping_q
from civility.core.i18n import localized
from civility.core.models import NamedInTwoLanguages, UnitAudited
from civility.inspections import scoring
from civility.inspections.kinds import NEED_MAX_SCORE, AnswerKind, Kind, display_options, kind_of
from civility.inspections.models.roles import Viewer
from civility.orgs.models import OrgUnit

# --- Templates ---------------------------------------------------------------------------


class TemplateSubject(models.TextChoices):
    COUNTER = "counter", _("One-stop counter / service point")
    OFFICE = "office", _("Office")
    PUBLIC_PLACE = "public_place", _("Public place")


class ChecklistTemplateQuerySet(models.QuerySet["ChecklistTemplate"]):
    def visible_to(self, user: Viewer) -> ChecklistTemplateQuerySet:
        # A city's template is used by the wards under it, like a city's code.
        return self.filter(overlapping_q(user, "unit__path"))


class ChecklistTemplate(UnitAudited, NamedInTwoLanguages):
    unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="checklist_templates",
        verbose_name=_("owning unit"),
    )
    slug = models.SlugField(_("short name"), max_length=64, unique=True)
    subject = models.CharField(_("checks"), max_length=32, choices=TemplateSubject.choices)
    name = models.CharField(_("name (Vietnamese)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ChecklistTemplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("checklist template")
        verbose_name_plural = _("checklist templates")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("inspections:template_detail", args=[self.pk])

    def current_version(self) -> TemplateVersion | None:
        return self.versions.order_by("-number").first()


class TemplateVersion(UnitAudited):
    audit_unit = "template.unit"

    template = models.ForeignKey(
        ChecklistTemplate,
        on_delete=models.CASCADE,
        related_name="versions",
        verbose_name=_("template"),
    )
    number = models.PositiveSmallIntegerField(_("version number"))
    note = models.CharField(_("what changed"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("template version")
        verbose_name_plural = _("template versions")
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "number"], name="templateversion_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template} · v{self.number}"

    def is_in_use(self) -> bool:
        return self.inspections.exists()

    def criteria(self) -> models.QuerySet[Criterion]:
        return Criterion.objects.filter(section__version=self).order_by(
            "section__position", "position"
        )


class Section(UnitAudited):
    audit_unit = "version.template.unit"

    version = models.ForeignKey(
        TemplateVersion,
        on_delete=models.CASCADE,
        related_name="sections",
        verbose_name=_("version"),
    )
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title (Vietnamese)"), max_length=255)
    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="section_unique_position"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def display_title(self) -> str:
        return localized(self, "title")


class Criterion(UnitAudited):
    """One thing an inspector checks. Yes/no, score and choice answers count towards the
    score with the criterion's weight; numbers and texts are recorded, not scored."""

    audit_unit = "section.version.template.unit"

    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("section")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    ref = models.CharField(
        _("reference"),
        max_length=16,
        help_text=_("A short code kept across versions (A1, B2…); analytics group by it."),
    )
    text = models.CharField(_("text (Vietnamese)"), max_length=500)
    text_en = models.CharField(_("text (English)"), max_length=500, blank=True)
    guidance = models.TextField(_("guidance (Vietnamese)"), blank=True)
    guidance_en = models.TextField(_("guidance (English)"), blank=True)
    answer_kind = models.CharField(
        _("answer"), max_length=16, choices=AnswerKind.choices, default=AnswerKind.YES_NO
    )
    max_score = models.PositiveSmallIntegerField(
        _("highest score"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("For score answers: the score runs from 0 to this number."),
    )
    options = models.JSONField(
        _("choices"),
        default=list,
        blank=True,
        help_text=_(
            'For choice answers: [{"value": "good", "label": "…", "label_en": "…", '
            '"score": 1.0}], score between 0 and 1.'
        ),
    )
    weight = models.DecimalField(
        _("weight"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    photo_required = models.BooleanField(_("photo required"), default=False)
    allows_not_applicable = models.BooleanField(_("may be not applicable"), default=True)
    provision = models.ForeignKey(
        Article,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="checklist_criteria",
        verbose_name=_("code provision"),
        help_text=_("The article of a code of conduct this criterion checks."),
    )

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["section", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "position"], name="criterion_unique_position"
            ),
            # Written from the kinds table; with score the only kind needing a highest score
            # it reads ~Q(answer_kind="score") | Q(max_score__isnull=False), as migrated.
            models.CheckConstraint(
                condition=~reduce(or_, (Q(answer_kind=str(kind)) for kind in NEED_MAX_SCORE))
                | Q(max_score__isnull=False),
                name="criterion_score_has_max",
            ),
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.ref}. {self.text}"

    @property
    def display_text(self) -> str:
        return localized(self, "text")

    @property
    def display_guidance(self) -> str:
        return localized(self, "guidance")

    @property
    def kind(self) -> Kind:
        """What the answer kind means (kinds.ANSWER_KINDS)."""
        return kind_of(self)

    @property
    def is_scored(self) -> bool:
        return self.kind.scored

    def failing_values(self) -> list[str]:
        """The answers that fail this criterion (earning less than scoring.FAIL_BELOW of its
        weight): the phone offers a finding when one is chosen."""
        kind = self.kind
        if not kind.scored:
            return []
        return [
            value
            for value in kind.values(self)
            if (kind.earned(self, value) or 0) < scoring.FAIL_BELOW
        ]

    def finding_text(self) -> str:
        """What a finding about this criterion says before the inspector edits it: the
        criterion's reference and text, and the code provision it checks."""
        text = _("%(ref)s. %(text)s: not met.") % {"ref": self.ref, "text": self.display_text}
        if self.provision is not None:
            text += " " + _("Code provision: article %(number)d, %(title)s.") % {
                "number": self.provision.number,
                "title": self.provision.display_title,
            }
        return text

    def display_options(self) -> list[tuple[str, str]]:
        return display_options(self)
