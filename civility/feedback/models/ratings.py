"""Counter ratings and the kiosks that send them.

Ratings are the high-volume table: append-only, written by a few raw INSERTs (actions),
indexed for the per-counter / per-official / per-day reads that the daily rollups make, and
never audited row by row (an audit event per rating would double the write volume and record
nothing a rating does not already say). The table is partitioned by month of `rated_on`
(migration 0004, partitions.py); "stored once" is kept by `RatingKey`, see docs/feedback.md.
"""

from __future__ import annotations

import datetime
import secrets
import uuid
from typing import Any

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import BrinIndex
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civility.accounts.models import hash_token
from civility.core.models import UnitAudited
from civility.feedback.models.scoping import scoped
from civility.orgs.models import Official, OrgUnit
from civility.orgs.scopes import MANAGER_ROLES, Reader


class Channel(models.TextChoices):
    """Where a rating came from (also told by a follow-up case)."""

    KIOSK = "kiosk", _("Counter kiosk")
    QR = "qr", _("QR code on the counter")
    DOSSIER = "dossier", _("Dossier code")
    API = "api", _("Integration")


class Reason(models.TextChoices):
    ATTITUDE = "attitude", _("Attitude")
    GUIDANCE = "guidance", _("Guidance")
    WAITING_TIME = "waiting_time", _("Waiting time")
    ON_TIME = "on_time", _("Result on time")
    FACILITIES = "facilities", _("Facilities")


class Side(models.IntegerChoices):
    SATISFIED = 1, _("Satisfied")
    NEUTRAL = 0, _("Neutral")
    DISSATISFIED = -1, _("Dissatisfied")


def rating_link(**kwargs: Any) -> models.ForeignKey[Any, Any]:
    """A link to a rating. Never a database foreign key: the ratings table is partitioned
    (its key is (id, rated_on)), so the link has no constraint and the rating's day is kept
    beside it to reach its partition."""
    return models.ForeignKey(
        "feedback.ServiceRating",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        **kwargs,
    )


# --- Kiosk devices ------------------------------------------------------------------------


class CounterDeviceQuerySet(models.QuerySet["CounterDevice"]):
    def visible_to(self, user: Reader) -> CounterDeviceQuerySet:
        return self.filter(scoped("counter__path", user, MANAGER_ROLES))

    def active(self) -> CounterDeviceQuerySet:
        return self.filter(revoked_at__isnull=True)


class CounterDevice(UnitAudited):
    """The tablet on a counter's desk. It signs in with a secret (only its hash is stored)
    that lets it do three things for its own counter: rate, call for help, name who is on
    duty. It is not a user and holds no role: a stolen tablet reaches nothing else."""

    PREFIX = "cvk_"

    counter = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="kiosk_devices", verbose_name=_("counter")
    )
    name = models.CharField(_("name"), max_length=120)
    key_prefix = models.CharField(max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    on_duty = models.ForeignKey(
        Official,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("official on duty"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    audit_unit = "counter"
    objects = CounterDeviceQuerySet.as_manager()

    # Set by actions.authenticate_device's one query: the counter's active officials, and
    # the first of them (the one on duty when there is only one).
    official_count: int
    first_official: int | None

    class Meta:
        verbose_name = _("kiosk device")
        verbose_name_plural = _("kiosk devices")
        ordering = ["counter", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @classmethod
    def new_secret(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    def set_secret(self, raw: str) -> None:
        self.key_prefix = raw[: len(self.PREFIX) + 4]
        self.key_hash = hash_token(raw)

    def revoke(self) -> None:
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])


# --- Ratings ------------------------------------------------------------------------------


class ServiceRatingQuerySet(models.QuerySet["ServiceRating"]):
    def visible_to(self, user: Reader) -> ServiceRatingQuerySet:
        return self.filter(scoped("counter__path", user))

    def under(self, unit: OrgUnit) -> ServiceRatingQuerySet:
        return self.filter(counter__path__startswith=unit.path)

    def between(self, start: datetime.date, end: datetime.date) -> ServiceRatingQuerySet:
        """Rated on local days start..end inclusive."""
        return self.filter(rated_on__gte=start, rated_on__lte=end)


class ServiceRating(models.Model):
    """One citizen's rating of one visit. `client_id` is made by the browser, so a rating
    sent twice (retry, offline replay) is stored once. No IP or device data is kept.

    In the database the table is partitioned by month of `rated_on` and its primary key is
    (id, rated_on); a partitioned table cannot hold a unique index on `client_id` alone, so
    a BEFORE INSERT trigger claims the id (and the dossier code) in `RatingKey` and skips
    the row when it is already claimed (so write ratings with record_ratings or plain SQL:
    an ORM save of a claimed id gets no row back). Refer to a rating with
    `db_constraint=False`."""

    client_id = models.UUIDField(editable=False)
    counter = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="ratings",
        verbose_name=_("counter"),
        db_index=False,  # rating_counter_day covers it
    )
    official = models.ForeignKey(
        Official,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ratings",
        verbose_name=_("official on duty"),
        db_index=False,  # rating_official_day covers it
    )
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    scale = models.CharField(_("scale"), max_length=8)
    level = models.PositiveSmallIntegerField(_("level"))
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MaxValueValidator(100)], help_text=_("0-100, whatever the scale")
    )
    side = models.SmallIntegerField(_("side"), choices=Side.choices)
    reasons = ArrayField(
        models.CharField(max_length=16, choices=Reason.choices), default=list, blank=True
    )
    comment = models.TextField(_("comment"), blank=True, max_length=1000)
    dossier_code = models.CharField(_("dossier code"), max_length=40, blank=True)
    rated_at = models.DateTimeField(_("rated at"))
    rated_on = models.DateField(_("day"), help_text=_("Local day of rated_at, for rollups."))
    received_at = models.DateTimeField(db_default=Now(), editable=False)

    objects = ServiceRatingQuerySet.as_manager()

    class Meta:
        verbose_name = _("service rating")
        verbose_name_plural = _("service ratings")
        constraints = [
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=9), name="rating_level"),
            models.CheckConstraint(condition=Q(score__lte=100), name="rating_score"),
        ]
        indexes = [
            models.Index(fields=["counter", "rated_on"], name="rating_counter_day"),
            models.Index(
                fields=["official", "rated_on"],
                condition=Q(official__isnull=False),
                name="rating_official_day",
            ),
            BrinIndex(fields=["received_at"], name="rating_received_brin"),
            BrinIndex(fields=["rated_on"], name="rating_day_brin"),
        ]

    def __str__(self) -> str:
        return f"{self.counter_id} · {self.level}/{self.scale} · {self.rated_at:%Y-%m-%d %H:%M}"


class RatingKeyQuerySet(models.QuerySet["RatingKey"]):
    def claimed(self, client_id: uuid.UUID | str) -> bool:
        return self.filter(client_id=client_id).exists()

    def dossier_rated(self, dossier_code: str) -> bool:
        return self.filter(dossier_code=dossier_code).exists()


class RatingKey(models.Model):
    """Every client id (and dossier code) ever stored, written only by the ratings table's
    trigger: the unique indexes a partitioned table cannot have. Keys without a dossier code
    are pruned once no rating could be replayed with them (feedback.tasks)."""

    client_id = models.UUIDField(primary_key=True)
    dossier_code = models.CharField(max_length=40, blank=True)
    rated_on = models.DateField()
    claimed_at = models.DateTimeField(db_default=Now())

    objects = RatingKeyQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["dossier_code"],
                condition=~Q(dossier_code=""),
                name="rating_one_per_dossier",
            ),
        ]
        indexes = [BrinIndex(fields=["claimed_at"], name="ratingkey_claimed_brin")]

    def __str__(self) -> str:
        return str(self.client_id)


class RatingDay(models.Model):
    """Daily rollup: ratings per counter, official, scale and level (background job)."""

    day = models.DateField()
    counter = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    official = models.ForeignKey(Official, on_delete=models.CASCADE, null=True, related_name="+")
    scale = models.CharField(max_length=8)
    level = models.PositiveSmallIntegerField()
    score = models.PositiveSmallIntegerField()
    side = models.SmallIntegerField()
    ratings = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "counter", "official", "scale", "level"],
                nulls_distinct=False,
                name="ratingday_unique",
            )
        ]
        indexes = [models.Index(fields=["counter", "day"], name="ratingday_counter_day")]

    def __str__(self) -> str:
        return f"{self.day} · {self.counter_id} · {self.level}/{self.scale}: {self.ratings}"


class ReasonDay(models.Model):
    """Daily rollup: how often each reason was ticked, per counter and official."""

    day = models.DateField()
    counter = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    official = models.ForeignKey(Official, on_delete=models.CASCADE, null=True, related_name="+")
    reason = models.CharField(max_length=16)
    side = models.SmallIntegerField()
    ratings = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "counter", "official", "reason", "side"],
                nulls_distinct=False,
                name="reasonday_unique",
            )
        ]
        indexes = [models.Index(fields=["counter", "day"], name="reasonday_counter_day")]

    def __str__(self) -> str:
        return f"{self.day} · {self.counter_id} · {self.reason}: {self.ratings}"
