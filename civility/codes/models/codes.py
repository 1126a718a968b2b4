"""Codes of conduct and their versions: chapters, articles and clauses."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civility.codes.models.common import overlapping_q
from civility.core.i18n import localized
from civility.core.models import UnitAudited
from civility.orgs.models import OrgUnit


class CodeAudience(models.TextChoices):
    OFFICIALS = "officials", _("Officials and workers of public bodies")
    PUBLIC_PLACES = "public_places", _("Public places")


class TargetGroup(models.TextChoices):
    OFFICIALS = "officials", _("Officials")
    STUDENTS = "students", _("Pupils and students")
    YOUTH_UNION = "youth_union", _("Youth Union members")
    UNION_MEMBERS = "union_members", _("Trade union and association members")
    TRADERS = "traders", _("Traders")
    RESIDENTS = "residents", _("Residents")
    TOURISTS = "tourists", _("Tourists and visitors")
    DRIVERS = "drivers", _("Drivers")


class ProvisionKind(models.TextChoices):
    GENERAL = "", _("General")
    MUST = "must", _("Must")
    SHOULD = "should", _("Should")
    SHOULD_NOT = "should_not", _("Should not")
    MUST_NOT = "must_not", _("Must not")


class CodeQuerySet(models.QuerySet["Code"]):
    def visible_to(self, user: User | AnonymousUser) -> CodeQuerySet:
        return self.filter(overlapping_q(user, "unit__path"))

    def with_published(self) -> CodeQuerySet:
        return self.filter(
            Exists(CodeVersion.objects.filter(code=OuterRef("pk"), status="published"))
        )


class Code(UnitAudited):
    """A code of conduct issued by a province (e.g. Hanoi's Decision 522/QĐ-UBND)."""

    unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="codes",
        verbose_name=_("issuing unit"),
        help_text=_("The province or unit that issued the code; its coordinators manage it."),
    )
    slug = models.SlugField(_("short name"), max_length=64, unique=True)
    audience = models.CharField(_("applies to"), max_length=32, choices=CodeAudience.choices)
    title = models.CharField(_("title (Vietnamese)"), max_length=500)
    title_en = models.CharField(_("title (English)"), max_length=500, blank=True)
    decision_no = models.CharField(_("decision number"), max_length=64, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("code of conduct")
        verbose_name_plural = _("codes of conduct")
        ordering = ["unit__path", "decision_no", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("codes:code_detail", args=[self.pk])

    def get_public_url(self) -> str:
        return reverse("codes_public:code", args=[self.slug])

    @property
    def display_title(self) -> str:
        return localized(self, "title")

    def published_version(self) -> CodeVersion | None:
        return self.versions.filter(status=VersionStatus.PUBLISHED).first()


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded")


class CodeVersionQuerySet(models.QuerySet["CodeVersion"]):
    def visible_to(self, user: User | AnonymousUser) -> CodeVersionQuerySet:
        return self.filter(overlapping_q(user, "code__unit__path"))

    def published(self) -> CodeVersionQuerySet:
        return self.filter(status=VersionStatus.PUBLISHED)

    def with_structure(self) -> CodeVersionQuerySet:
        return self.prefetch_related("chapters__articles__clauses")


class CodeVersion(UnitAudited):
    audit_unit = "code.unit"

    code = models.ForeignKey(
        Code,
        on_delete=models.CASCADE,
        related_name="versions",
        verbose_name=pgettext_lazy("code of conduct", "code"),
    )
    number = models.PositiveSmallIntegerField(_("version number"))
    label = models.CharField(
        _("label"), max_length=120, blank=True, help_text=_("For example: 2017, or amended 2024.")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    target_groups = ArrayField(
        models.CharField(max_length=32, choices=TargetGroup.choices),
        default=list,
        blank=True,
        verbose_name=_("target groups"),
    )
    is_summary = models.BooleanField(
        _("text is a summary"),
        default=True,
        help_text=_("Tick when the text is a summary in our own words, not the official wording."),
    )
    requires_recommitment = models.BooleanField(
        _("requires re-commitment"),
        default=False,
        help_text=_("On publishing, officials who signed the previous version sign again."),
    )
    note = models.TextField(_("note"), blank=True)
    note_en = models.TextField(_("note (English)"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CodeVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("code version")
        verbose_name_plural = _("code versions")
        ordering = ["code", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["code", "number"], name="codeversion_unique_number"),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(status="published"),
                name="codeversion_one_published",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("codes:version_detail", args=[self.pk])

    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT

    @property
    def display_note(self) -> str:
        return localized(self, "note")

    def target_group_labels(self) -> list[str]:
        return [str(TargetGroup(value).label) for value in self.target_groups]

    def articles(self) -> models.QuerySet[Article]:
        return Article.objects.filter(chapter__version=self).order_by(
            "chapter__position", "position"
        )


class Chapter(UnitAudited):
    audit_unit = "version.code.unit"

    version = models.ForeignKey(
        CodeVersion, on_delete=models.CASCADE, related_name="chapters", verbose_name=_("version")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    number = models.CharField(_("number"), max_length=16, help_text=_("I, II, III… or 1, 2, 3…"))
    title = models.CharField(_("title (Vietnamese)"), max_length=500)
    title_en = models.CharField(_("title (English)"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("chapter")
        verbose_name_plural = _("chapters")
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="chapter_unique_position"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def display_title(self) -> str:
        return localized(self, "title")


class Article(UnitAudited):
    """An article (Điều) of a code version: the unit that diffs, boards and checklists use."""

    audit_unit = "chapter.version.code.unit"

    chapter = models.ForeignKey(
        Chapter, on_delete=models.CASCADE, related_name="articles", verbose_name=_("chapter")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    number = models.PositiveSmallIntegerField(_("article number"))
    title = models.CharField(_("title (Vietnamese)"), max_length=500)
    title_en = models.CharField(_("title (English)"), max_length=500, blank=True)
    is_key = models.BooleanField(
        _("key provision"), default=False, help_text=_("Printed on the code boards.")
    )

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["chapter", "position"]
        constraints = [
            models.UniqueConstraint(fields=["chapter", "position"], name="article_unique_position"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def display_title(self) -> str:
        return localized(self, "title")


class Clause(UnitAudited):
    audit_unit = "article.chapter.version.code.unit"

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="clauses", verbose_name=_("article")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(
        _("kind"), max_length=16, choices=ProvisionKind.choices, blank=True, default=""
    )
    text = models.TextField(_("text (Vietnamese)"))
    text_en = models.TextField(_("text (English)"), blank=True)

    class Meta:
        verbose_name = _("clause")
        verbose_name_plural = _("clauses")
        ordering = ["article", "position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "position"], name="clause_unique_position"),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def display_text(self) -> str:
        return localized(self, "text")
