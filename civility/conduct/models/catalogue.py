"""The violation catalogue: groups owned by a province (or a unit) holding violation types.
A type that has been used is never edited in place: revising it writes a new version and
retires the old one, so old records keep the wording they were decided under."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civility.codes.models import Code, overlapping_q
from civility.conduct.rules import Severity
from civility.core.i18n import localized
from civility.core.models import UnitAudited
from civility.orgs.models import OrgUnit


class ViolationGroupQuerySet(models.QuerySet["ViolationGroup"]):
    def visible_to(self, user: User | AnonymousUser | None) -> ViolationGroupQuerySet:
        """Groups of catalogues owned by a unit in the user's scope or above it."""
        return self.filter(overlapping_q(user, "unit__path"))

    def for_unit(self, unit: OrgUnit) -> ViolationGroupQuerySet:
        """Groups whose catalogue applies to `unit`: owned by the unit or one above it."""
        parts = unit.path.strip("/").split("/")
        return self.filter(
            unit__path__in=["/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]
        )


class ViolationGroup(UnitAudited):
    """A group of the catalogue, e.g. Directive 24-CT/TU's indications of evasion."""

    unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="violation_groups",
        verbose_name=_("owning unit"),
        help_text=_("The province or unit whose catalogue this is; its coordinators edit it."),
    )
    key = models.SlugField(_("key"), max_length=40)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title (Vietnamese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    source_document = models.CharField(_("source document"), max_length=300, blank=True)
    expected_items = models.PositiveSmallIntegerField(
        _("items in the source"),
        null=True,
        blank=True,
        help_text=_("How many items the source document lists, when known (e.g. 12)."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ViolationGroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("violation group")
        verbose_name_plural = _("violation groups")
        ordering = ["unit__path", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "key"], name="violationgroup_unique_key"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def display_title(self) -> str:
        return localized(self, "title")


class TextStatus(models.TextChoices):
    EMPTY = "empty", _("Empty slot: wording not entered")
    SUMMARY = "summary", _("Summary in our own words")
    OFFICIAL = "official", _("Official wording")


class ViolationTypeQuerySet(models.QuerySet["ViolationType"]):
    def visible_to(self, user: User | AnonymousUser | None) -> ViolationTypeQuerySet:
        return self.filter(overlapping_q(user, "group__unit__path"))

    def current(self) -> ViolationTypeQuerySet:
        return self.filter(retired_at__isnull=True)

    def usable(self) -> ViolationTypeQuerySet:
        """Current types with wording: what a record may be filed under."""
        return self.current().exclude(text_status=TextStatus.EMPTY)

    def empty_slots(self) -> ViolationTypeQuerySet:
        return self.current().filter(text_status=TextStatus.EMPTY)

    def for_unit(self, unit: OrgUnit) -> ViolationTypeQuerySet:
        return self.filter(group__in=ViolationGroup.objects.for_unit(unit))


class ViolationType(UnitAudited):
    """One kind of violation, in one version of its wording."""

    audit_unit = "group.unit"

    group = models.ForeignKey(
        ViolationGroup, on_delete=models.PROTECT, related_name="types", verbose_name=_("group")
    )
    key = models.CharField(
        _("code"), max_length=40, help_text=_("Short reference, e.g. D24-1.05 or QD522-3.")
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text_status = models.CharField(
        _("wording"), max_length=16, choices=TextStatus.choices, default=TextStatus.SUMMARY
    )
    title = models.CharField(_("title (Vietnamese)"), max_length=500)
    title_en = models.CharField(_("title (English)"), max_length=500, blank=True)
    description = models.TextField(_("description (Vietnamese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    default_severity = models.CharField(
        _("default severity"),
        max_length=16,
        choices=Severity.choices,
        default=Severity.LESS_SERIOUS,
    )
    source_document = models.CharField(_("source document"), max_length=300, blank=True)
    code = models.ForeignKey(
        Code,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="violation_types",
        verbose_name=_("code of conduct"),
    )
    article_number = models.PositiveSmallIntegerField(_("article"), null=True, blank=True)
    related_to_duties = models.BooleanField(
        _("related to duties"),
        default=True,
        help_text=_(
            "Whether a violation of this type is committed in performing official duties. "
            "Conduct at home or in public places, off duty, is not. Suggested when a "
            "disciplinary decision is recorded; the decision states it."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)
    retired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("retired by"),
    )
    replaced_by = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaces",
        verbose_name=_("replaced by"),
    )

    objects = ViolationTypeQuerySet.as_manager()

    class Meta:
        verbose_name = _("violation type")
        verbose_name_plural = _("violation types")
        ordering = ["group__position", "group", "position", "key", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "key", "version"], name="violationtype_unique_version"
            ),
            models.UniqueConstraint(
                fields=["group", "key"],
                condition=Q(retired_at__isnull=True),
                name="violationtype_one_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} · {self.display_title}"

    @property
    def display_title(self) -> str:
        return localized(self, "title")

    @property
    def display_description(self) -> str:
        return localized(self, "description")

    def is_current(self) -> bool:
        return self.retired_at is None

    def is_empty_slot(self) -> bool:
        return self.text_status == TextStatus.EMPTY
