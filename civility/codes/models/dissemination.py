"""Dissemination activities, where they reached and their attachments."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civility.codes.models.codes import Code, TargetGroup
from civility.core.files import RandomName
from civility.core.models import StoredFile, UnitAudited, Verified
from civility.orgs.models import OrgUnit, Place
from civility.orgs.models import PlaceKind as OrgPlaceKind
from civility.orgs.scopes import scope_of


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
PLACE_KIND_OF_PLACE: dict[str, str] = {
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


class ActivityQuerySet(models.QuerySet["DisseminationActivity"]):
    def visible_to(self, user: User | AnonymousUser) -> ActivityQuerySet:
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


class DisseminationActivity(UnitAudited, Verified):
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


class DisseminationAttachment(UnitAudited, StoredFile):
    audit_unit = "activity.unit"
    download_prefix = "attachment"

    activity = models.ForeignKey(
        DisseminationActivity,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("activity"),
    )
    file = models.FileField(_("file"), upload_to=RandomName("codes/dissemination/%Y/"))
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def get_absolute_url(self) -> str:
        return reverse("codes:attachment_file", args=[self.pk])
