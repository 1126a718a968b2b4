"""Codes of conduct, their versions and provisions; commitments; dissemination activities.

A code (Hanoi: Decision 522/QĐ-UBND for officials, 1665/QĐ-UBND for public places) has
versions. A version holds chapters → articles → clauses, in Vietnamese and English, and is
draft → published → superseded; only a draft may change (actions enforce it and a database
trigger backs them up, migration 0002).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civility.core.files import RandomName, extension_of
from civility.core.i18n import localized
from civility.core.models import Verified
from civility.orgs.models import Official, OrgUnit, Place
from civility.orgs.models import PlaceKind as OrgPlaceKind
from civility.orgs.scopes import Role, scope_of

# Roles that may publish code versions and start commitment campaigns.
COORDINATOR_ROLES = (Role.SYSTEM_ADMIN, Role.COORDINATOR)


def overlapping_q(user, path_field: str) -> Q:
    """Rows whose unit lies inside the user's scope, or above it (a city-wide campaign is
    relevant to a ward head, who then sees only their own subtree's part of it)."""
    scope = scope_of(user)
    if scope.is_global:
        return Q()
    condition = scope.q(path_field)
    ancestors: set[str] = set()
    for path in scope.paths:
        parts = path.strip("/").split("/")
        ancestors.update("/".join(parts[:i]) + "/" for i in range(1, len(parts)))
    if ancestors:
        condition |= Q(**{f"{path_field}__in": sorted(ancestors)})
    return condition


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


class CodeQuerySet(models.QuerySet):
    def visible_to(self, user) -> CodeQuerySet:
        return self.filter(overlapping_q(user, "unit__path"))

    def with_published(self) -> CodeQuerySet:
        return self.filter(
            Exists(CodeVersion.objects.filter(code=OuterRef("pk"), status="published"))
        )


class Code(models.Model):
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

    def get_additional_data(self) -> dict:
        return {"unit_path": self.unit.path}


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded")


class CodeVersionQuerySet(models.QuerySet):
    def visible_to(self, user) -> CodeVersionQuerySet:
        return self.filter(overlapping_q(user, "code__unit__path"))

    def published(self) -> CodeVersionQuerySet:
        return self.filter(status=VersionStatus.PUBLISHED)

    def with_structure(self) -> CodeVersionQuerySet:
        return self.prefetch_related("chapters__articles__clauses")


class CodeVersion(models.Model):
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

    def articles(self):
        return Article.objects.filter(chapter__version=self).order_by(
            "chapter__position", "position"
        )

    def get_additional_data(self) -> dict:
        return {"unit_path": self.code.unit.path}


class Chapter(models.Model):
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

    def get_additional_data(self) -> dict:
        return {"unit_path": self.version.code.unit.path}


class Article(models.Model):
    """An article (Điều) of a code version: the unit that diffs, boards and checklists use."""

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

    def get_additional_data(self) -> dict:
        return {"unit_path": self.chapter.version.code.unit.path}


class Clause(models.Model):
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

    def get_additional_data(self) -> dict:
        return {"unit_path": self.article.chapter.version.code.unit.path}


# --- Commitments -------------------------------------------------------------------------


class CampaignQuerySet(models.QuerySet):
    def visible_to(self, user) -> CampaignQuerySet:
        return self.filter(overlapping_q(user, "unit__path"))

    def open(self, on: datetime.date | None = None) -> CampaignQuerySet:
        day = on or timezone.localdate()
        return self.filter(closed_at__isnull=True, deadline__gte=day)

    def for_official(self, official: Official) -> CampaignQuerySet:
        """Campaigns whose subtree holds the official's unit."""
        parts = official.unit.path.strip("/").split("/")
        paths = ["/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]
        return self.filter(unit__path__in=paths)


class CommitmentCampaign(models.Model):
    """A call for every official under `unit` to read a code version and sign it."""

    version = models.ForeignKey(
        CodeVersion, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("version")
    )
    unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="commitment_campaigns",
        verbose_name=_("unit"),
        help_text=_("Every official in this unit and the units under it is asked to sign."),
    )
    title = models.CharField(_("title"), max_length=255)
    # The first day signatures count: the day it was started, or for a campaign of earlier
    # years entered now (historical), the day it really opened.
    starts_on = models.DateField(_("starts on"), default=timezone.localdate)
    deadline = models.DateField(_("deadline"))
    historical = models.BooleanField(
        _("recorded as historical"),
        default=False,
        help_text=_("A campaign of earlier years, entered afterwards with its paper signatures."),
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("commitment campaign")
        verbose_name_plural = _("commitment campaigns")
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("starts_on")), name="campaign_period"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("codes:campaign_detail", args=[self.pk])

    def is_open(self, on: datetime.date | None = None) -> bool:
        day = on or timezone.localdate()
        return self.closed_at is None and self.deadline >= day

    def officials(self):
        """Officials asked to sign: those in the campaign's subtree now, or for a historical
        campaign those who had not left before it opened (today's tree: officials are not
        dated into the units of the time)."""
        officials = Official.objects.under(self.unit)
        if self.historical:
            return officials.in_post_on(self.starts_on)
        return officials.active()

    def covers_day(self, day: datetime.date) -> bool:
        return self.starts_on <= day <= self.deadline

    def get_additional_data(self) -> dict:
        return {"unit_path": self.unit.path}


class SignatureMethod(models.TextChoices):
    ONLINE = "online", _("Signed online")
    PAPER = "paper", _("Signed on paper")


class CommitmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> CommitmentQuerySet:
        return self.filter(scope_of(user).q("official__unit__path"))

    def under(self, unit: OrgUnit) -> CommitmentQuerySet:
        return self.filter(official__unit__path__startswith=unit.path)

    def verified(self) -> CommitmentQuerySet:
        return self.filter(verified_at__isnull=False)


class Commitment(Verified):
    """One official's signed acknowledgement of a code version, within a campaign."""

    campaign = models.ForeignKey(
        CommitmentCampaign,
        on_delete=models.CASCADE,
        related_name="commitments",
        verbose_name=_("campaign"),
    )
    official = models.ForeignKey(
        Official, on_delete=models.PROTECT, related_name="commitments", verbose_name=_("official")
    )
    method = models.CharField(_("method"), max_length=16, choices=SignatureMethod.choices)
    signed_at = models.DateTimeField(_("signed at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
        help_text=_("The official themself when signed online; the unit head for paper."),
    )
    scan = models.FileField(
        _("scanned sheet"), upload_to=RandomName("codes/commitments/%Y/"), blank=True
    )
    # A paper signature is the unit's own report; the level above checks the scan and records
    # whether it holds, next to the record, never over it.
    scan_confirmed = models.BooleanField(_("scan confirmed"), null=True, blank=True)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["-signed_at"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "official"], name="commitment_once"),
            models.CheckConstraint(
                condition=Q(method="online") | ~Q(scan=""), name="commitment_paper_has_scan"
            ),
            models.CheckConstraint(
                condition=Q(verified_at__isnull=True, scan_confirmed__isnull=True)
                | Q(method="paper", verified_at__isnull=False, scan_confirmed__isnull=False),
                name="commitment_verified_paper_only",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.official} · {self.campaign}"

    def get_scan_url(self) -> str:
        return reverse("codes:commitment_scan", args=[self.pk])

    @property
    def scan_download_name(self) -> str:
        return f"commitment-{self.pk}{extension_of(self.scan.name)}"

    def get_additional_data(self) -> dict:
        return {"unit_path": self.official.unit.path}


class Reminder(models.Model):
    """An in-app reminder to sign, shown on the official's commitments page."""

    campaign = models.ForeignKey(
        CommitmentCampaign,
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("campaign"),
    )
    official = models.ForeignKey(
        Official,
        on_delete=models.CASCADE,
        related_name="code_reminders",
        verbose_name=_("official"),
    )
    sent_on = models.DateField(_("sent on"))
    emailed = models.BooleanField(_("e-mailed"), default=False)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-sent_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "official", "sent_on"], name="reminder_once_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.official} · {self.campaign} · {self.sent_on}"


# --- Dissemination ----------------------------------------------------------------------


class ActivityKind(models.TextChoices):
    MEETING = "meeting", _("Meeting or conference")
    TRAINING = "training", _("Training")
    CONTEST = "contest", _("Contest")
    MEDIA = "media", _("Media broadcast")
    BOARDS = "boards", _("Posting of code boards")
    CONVOY = "convoy", _("Mobile propaganda convoy")
    SCHOOL_LESSON = "school_lesson", _("School lesson")
    CONVENTION = "convention", _("Integration into residential-group conventions or internal rules")


class ActivityPlaceKind(models.TextChoices):
    MARKET = "market", _("Market")
    COMMERCIAL_CENTRE = "commercial_centre", _("Commercial centre")
    CINEMA = "cinema", _("Cinema")
    BUS_STATION = "bus_station", _("Bus station")
    ROAD = "road", _("Road")
    RELIC_SITE = "relic_site", _("Relic site")
    SCHOOL = "school", _("School")
    OFFICE = "office", _("Office")


# How a public place of the organisation maps onto the dissemination place kinds.
PLACE_KIND_OF_PLACE = {
    OrgPlaceKind.MARKET: ActivityPlaceKind.MARKET,
    OrgPlaceKind.COMMERCIAL_CENTRE: ActivityPlaceKind.COMMERCIAL_CENTRE,
    OrgPlaceKind.BUS_STATION: ActivityPlaceKind.BUS_STATION,
    OrgPlaceKind.RELIC_SITE: ActivityPlaceKind.RELIC_SITE,
    OrgPlaceKind.STREET: ActivityPlaceKind.ROAD,
    OrgPlaceKind.SCHOOL_GATE: ActivityPlaceKind.SCHOOL,
    OrgPlaceKind.CULTURAL_VENUE: ActivityPlaceKind.CINEMA,
}

# Places the city names as likely to see bad behaviour (markets, commercial centres, cinemas,
# bus stations, roads: seed 001); the "not reached" report looks at these.
RISKY_PLACE_KINDS = (
    OrgPlaceKind.MARKET,
    OrgPlaceKind.COMMERCIAL_CENTRE,
    OrgPlaceKind.CULTURAL_VENUE,
    OrgPlaceKind.BUS_STATION,
    OrgPlaceKind.STREET,
    OrgPlaceKind.RELIC_SITE,
    OrgPlaceKind.FESTIVAL_GROUND,
    OrgPlaceKind.TOURIST_SITE,
)


class ActivityQuerySet(models.QuerySet):
    def visible_to(self, user) -> ActivityQuerySet:
        return self.filter(scope_of(user).q("unit__path"))

    def under(self, unit: OrgUnit) -> ActivityQuerySet:
        return self.filter(unit__path__startswith=unit.path)

    def between(self, start: datetime.date | None, end: datetime.date | None) -> ActivityQuerySet:
        rows = self
        if start:
            rows = rows.filter(held_on__gte=start)
        if end:
            rows = rows.filter(held_on__lte=end)
        return rows

    def verified(self) -> ActivityQuerySet:
        return self.filter(verified_at__isnull=False)


class DisseminationActivity(Verified):
    kind = models.CharField(_("kind"), max_length=32, choices=ActivityKind.choices)
    code = models.ForeignKey(
        Code,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=pgettext_lazy("code of conduct", "code"),
        null=True,
        blank=True,
    )
    target_groups = ArrayField(
        models.CharField(max_length=32, choices=TargetGroup.choices),
        verbose_name=_("target groups"),
    )
    place_kind = models.CharField(
        _("place kind"), max_length=32, choices=ActivityPlaceKind.choices, blank=True
    )
    place = models.ForeignKey(
        Place,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dissemination_activities",
        verbose_name=_("public place"),
    )
    unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="dissemination_activities",
        verbose_name=_("unit"),
    )
    held_on = models.DateField(_("date"))
    reached = models.PositiveIntegerField(
        _("people reached"), validators=[MinValueValidator(0)], default=0
    )
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The level above checks the report against its attachments and records what it found
    # next to the unit's own figure (`reached`), never over it.
    verified_reached = models.PositiveIntegerField(
        _("people reached, verified"), null=True, blank=True
    )

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("dissemination activity")
        verbose_name_plural = _("dissemination activities")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(target_groups=[]), name="activity_has_target_group"
            ),
            models.CheckConstraint(
                condition=Q(verified_at__isnull=True, verified_reached__isnull=True)
                | Q(verified_at__isnull=False, verified_reached__isnull=False),
                name="activity_verified_has_figure",
            ),
        ]
        indexes = [models.Index(fields=["unit", "held_on"], name="activity_unit_date")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.held_on}"

    def target_group_labels(self) -> list[str]:
        return [str(TargetGroup(value).label) for value in self.target_groups]

    @property
    def verified_share(self) -> int | None:
        """The share of the reported reach the verifier confirmed, in per cent (at most
        100; a report of nobody reached that is confirmed counts as fully confirmed)."""
        if self.verified_reached is None:
            return None
        if not self.reached:
            return 100
        return min(100, round(100 * self.verified_reached / self.reached))

    def get_additional_data(self) -> dict:
        return {"unit_path": self.unit.path}


class DisseminationAttachment(models.Model):
    activity = models.ForeignKey(
        DisseminationActivity,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("activity"),
    )
    file = models.FileField(_("file"), upload_to=RandomName("codes/dissemination/%Y/"))
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.download_name

    def get_absolute_url(self) -> str:
        return reverse("codes:attachment_file", args=[self.pk])

    @property
    def download_name(self) -> str:
        return self.filename or f"attachment-{self.pk}{extension_of(self.file.name)}"

    def get_additional_data(self) -> dict:
        return {"unit_path": self.activity.unit.path}
