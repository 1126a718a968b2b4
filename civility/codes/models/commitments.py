"""Commitment campaigns, the officials' commitments and the reminders to sign."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civility.codes.models.codes import CodeVersion
from civility.codes.models.common import overlapping_q
from civility.core.files import RandomName, extension_of
from civility.core.models import UnitAudited, Verified
from civility.orgs.models import Official, OfficialQuerySet, OrgUnit
from civility.orgs.scopes import scope_of


class CampaignQuerySet(models.QuerySet["CommitmentCampaign"]):
    def visible_to(self, user: User | AnonymousUser) -> CampaignQuerySet:
        return self.filter(overlapping_q(user, "unit__path"))

    def open(self, on: datetime.date | None = None) -> CampaignQuerySet:
        day = on or timezone.localdate()
        return self.filter(closed_at__isnull=True, deadline__gte=day)

    def for_official(self, official: Official) -> CampaignQuerySet:
        """Campaigns whose subtree holds the official's unit."""
        parts = official.unit.path.strip("/").split("/")
        paths = ["/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]
        return self.filter(unit__path__in=paths)


class CommitmentCampaign(UnitAudited):
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

    def officials(self) -> OfficialQuerySet:
        """Officials asked to sign: those in the campaign's subtree now, or for a historical
        campaign those who had not left before it opened (today's tree: officials are not
        dated into the units of the time)."""
        officials = Official.objects.under(self.unit)
        if self.historical:
            return officials.in_post_on(self.starts_on)
        return officials.active()

    def covers_day(self, day: datetime.date) -> bool:
        return self.starts_on <= day <= self.deadline


class SignatureMethod(models.TextChoices):
    ONLINE = "online", _("Signed online")
    PAPER = "paper", _("Signed on paper")


class CommitmentQuerySet(models.QuerySet["Commitment"]):
    def visible_to(self, user: User | AnonymousUser) -> CommitmentQuerySet:
        return self.filter(scope_of(user).q("official__unit__path"))

    def under(self, unit: OrgUnit) -> CommitmentQuerySet:
        return self.filter(official__unit__path__startswith=unit.path)

    def verified(self) -> CommitmentQuerySet:
        return self.filter(verified_at__isnull=False)


class Commitment(UnitAudited, Verified):
    """One official's signed acknowledgement of a code version, within a campaign."""

    audit_unit = "official.unit"

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
        return f"commitment-{self.pk}{extension_of(self.scan.name or '')}"


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
