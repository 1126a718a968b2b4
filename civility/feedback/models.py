"""Citizens' voice: counter ratings, assistance calls, public-place reports, dossier figures.

Ratings are the high-volume table: append-only, written by a few raw INSERTs (actions.py),
indexed for the per-counter / per-official / per-day reads that the daily rollups make, and
never audited row by row (an audit event per rating would double the write volume and record
nothing a rating does not already say). The table is partitioned by month of `rated_on`
(migration 0004, partitions.py); "stored once" is kept by `RatingKey`, see docs/feedback.md.
"""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import BrinIndex
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Now
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from civility.core.files import RandomName
from civility.core.search import trigram_index

# Channels are shared with trust_models; the questions a report category asks (Open311
# service definitions), and sessions, flags, follow-up cases and call escalations are
# modules of their own (see there), re-exported so the app's models are all found here.
from civility.feedback.choices import Channel
from civility.feedback.service_models import ReportAttribute  # noqa: F401
from civility.feedback.trust_models import (  # noqa: F401
    CallEscalation,
    CaseEvidence,
    CaseStep,
    CounterSession,
    FollowUpCase,
    RatingFlag,
    SessionCounter,
    TrustCursor,
)
from civility.orgs.models import Official, OrgUnit, Place, UnitKind
from civility.orgs.scopes import MANAGER_ROLES, Role, scope_of

# Roles that triage reports, register kiosks, import dossier figures.
STAFF_ROLES = (*MANAGER_ROLES, Role.OFFICIAL)
# Roles whose screens ring when a counter in their subtree calls for help.
BELL_ROLES = (Role.SYSTEM_ADMIN, Role.UNIT_HEAD, Role.OFFICIAL)
# Units that may receive ratings and assistance calls.
RATED_UNIT_KINDS = (UnitKind.COUNTER,)
# Units that own dossier statistics.
DOSSIER_UNIT_KINDS = (
    UnitKind.SERVICE_CENTER,
    UnitKind.SERVICE_BRANCH,
    UnitKind.SERVICE_POINT,
    UnitKind.COUNTER,
)


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


def _scoped(path_field: str, user, roles=None) -> Q:
    return scope_of(user).q(path_field, roles=roles)


# --- Kiosk devices ------------------------------------------------------------------------


class CounterDeviceQuerySet(models.QuerySet):
    def visible_to(self, user) -> CounterDeviceQuerySet:
        return self.filter(_scoped("counter__path", user, MANAGER_ROLES))

    def active(self) -> CounterDeviceQuerySet:
        return self.filter(revoked_at__isnull=True)


class CounterDevice(models.Model):
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

    objects = CounterDeviceQuerySet.as_manager()

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
        from civility.accounts.models import hash_token

        self.key_prefix = raw[: len(self.PREFIX) + 4]
        self.key_hash = hash_token(raw)

    def revoke(self) -> None:
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])

    def get_additional_data(self) -> dict:
        return {"unit_path": self.counter.path}


# --- Ratings ------------------------------------------------------------------------------


class ServiceRatingQuerySet(models.QuerySet):
    def visible_to(self, user) -> ServiceRatingQuerySet:
        return self.filter(_scoped("counter__path", user))

    def under(self, unit: OrgUnit) -> ServiceRatingQuerySet:
        return self.filter(counter__path__startswith=unit.path)

    def between(self, start, end) -> ServiceRatingQuerySet:
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


class RatingKeyQuerySet(models.QuerySet):
    def claimed(self, client_id) -> bool:
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


# --- Assistance calls ---------------------------------------------------------------------


class CallSource(models.TextChoices):
    KIOSK = "kiosk", _("Kiosk")
    PUBLIC = "public", _("Counter's public page")


def bell_paths(user) -> list[str]:
    """The subtrees whose counters call `user` for help: where they hold a bell role, and
    the unit they work in ("" for everything)."""
    scope = scope_of(user)
    if scope.is_global:
        return [""]
    paths = scope.paths_with_role(*BELL_ROLES)
    official = getattr(user, "official", None) if user.is_authenticated else None
    if official is not None and official.left_on is None:
        paths = sorted({*paths, official.unit.path})
    return paths


class AssistanceCallQuerySet(models.QuerySet):
    def visible_to(self, user) -> AssistanceCallQuerySet:
        return self.filter(_scoped("counter__path", user))

    def answered_by(self, user) -> AssistanceCallQuerySet:
        """Calls at the counters whose bell rings for `user` (the desk)."""
        condition = Q(pk__in=[])
        for path in bell_paths(user):
            condition |= Q(counter__path__startswith=path)
        return self.filter(condition)

    def open(self) -> AssistanceCallQuerySet:
        return self.filter(resolved_at__isnull=True)

    def waiting(self) -> AssistanceCallQuerySet:
        """Nobody has answered yet."""
        return self.open().filter(acknowledged_at__isnull=True)

    def acknowledged_within(self, delay: datetime.timedelta) -> AssistanceCallQuerySet:
        """Calls staff acknowledged at most `delay` after they were raised."""
        return self.filter(acknowledged_at__lte=F("raised_at") + delay)

    def missed_or_slow(self, *, unit: OrgUnit, since) -> AssistanceCallQuerySet:
        """Calls at `unit` (a service point or counter, with its subtree) raised since
        `since` (a date: from the start of that local day) that were never acknowledged
        within `FEEDBACK_ASSIST_TEAM_LEAD_S`: missed (still unacknowledged after it) or slow
        (acknowledged after it). For the next inspection of the service point."""
        import datetime

        from civility.feedback import conf

        if not isinstance(since, datetime.datetime):
            since = timezone.make_aware(datetime.datetime.combine(since, datetime.time()))
        threshold = datetime.timedelta(seconds=conf.assist_team_lead_seconds())
        return self.filter(counter__path__startswith=unit.path, raised_at__gte=since).filter(
            Q(acknowledged_at__isnull=True, raised_at__lt=timezone.now() - threshold)
            | Q(acknowledged_at__gt=F("raised_at") + threshold)
        )


class AssistanceCall(models.Model):
    """A citizen pressed "call for help" at a counter."""

    counter = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="assistance_calls",
        verbose_name=_("counter"),
    )
    source = models.CharField(_("source"), max_length=8, choices=CallSource.choices)
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = AssistanceCallQuerySet.as_manager()

    class Meta:
        verbose_name = _("assistance call")
        verbose_name_plural = _("assistance calls")
        ordering = ["-raised_at"]
        indexes = [
            models.Index(fields=["counter", "raised_at"], name="call_counter_raised"),
            models.Index(
                fields=["counter"], condition=Q(resolved_at__isnull=True), name="call_open"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True) | Q(acknowledged_at__gte=F("raised_at")),
                name="call_ack_after_raise",
            ),
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True) | Q(acknowledged_at__isnull=False),
                name="call_resolved_after_ack",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.counter} · {self.raised_at:%H:%M:%S}"

    def is_open(self) -> bool:
        return self.resolved_at is None

    def response_seconds(self) -> float | None:
        if self.acknowledged_at is None:
            return None
        return (self.acknowledged_at - self.raised_at).total_seconds()

    def get_additional_data(self) -> dict:
        return {"unit_path": self.counter.path}


# --- Public-place reports -----------------------------------------------------------------


class ReportCategory(models.Model):
    """What went wrong; its `code` is the Open311 service_code."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name (Vietnamese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    description = models.CharField(_("description (Vietnamese)"), max_length=255, blank=True)
    description_en = models.CharField(_("description (English)"), max_length=255, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("report category")
        verbose_name_plural = _("report categories")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name_en if get_language() == "en" and self.name_en else self.name

    @property
    def display_description(self) -> str:
        if get_language() == "en" and self.description_en:
            return self.description_en
        return self.description

    def get_additional_data(self) -> dict:
        return {"unit_path": ""}


class ReportStatus(models.TextChoices):
    NEW = "new", _("Received")
    ACCEPTED = "accepted", _("Accepted")
    IN_PROGRESS = "in_progress", _("Being handled")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")
    MERGED = "merged", _("Merged into another report")


OPEN_STATUSES = (ReportStatus.NEW, ReportStatus.ACCEPTED, ReportStatus.IN_PROGRESS)


class ReportChannel(models.TextChoices):
    WEB = "web", _("Web form")
    OPEN311 = "open311", _("Open311 client")


class PublicReportQuerySet(models.QuerySet):
    def visible_to(self, user) -> PublicReportQuerySet:
        return self.filter(_scoped("unit__path", user))

    def handled_by(self, user) -> PublicReportQuerySet:
        """Reports `user` may triage and handle (staff roles over the responsible unit)."""
        return self.filter(_scoped("unit__path", user, roles=STAFF_ROLES))

    def under(self, unit: OrgUnit) -> PublicReportQuerySet:
        return self.filter(unit__path__startswith=unit.path)

    def open(self) -> PublicReportQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def public(self) -> PublicReportQuerySet:
        """What anyone may read: everything but rejected reports (they may hold abuse)."""
        return self.exclude(status=ReportStatus.REJECTED)


RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L


def new_receipt() -> str:
    body = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(8))
    return f"{body[:4]}-{body[4:]}"


class PublicReport(models.Model):
    """A citizen's report of bad behaviour in a public place (an Open311 service request).

    The reporter's contact details are optional and never shown publicly; no IP address or
    device data is stored."""

    receipt = models.CharField(_("receipt code"), max_length=9, unique=True, editable=False)
    # The reporter's secret (civility.core.receipts), shown once at filing: the receipt is
    # public (Open311), the secret alone lets the reporter give their verdict. Reports filed
    # before secrets have none and take no verdict.
    secret_hash = models.CharField(max_length=128, blank=True, editable=False)
    category = models.ForeignKey(
        ReportCategory, on_delete=models.PROTECT, related_name="reports", verbose_name=_("category")
    )
    description = models.TextField(_("what happened"), max_length=4000)
    place = models.ForeignKey(
        Place,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("place"),
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    address = models.CharField(_("address or landmark"), max_length=255, blank=True)
    unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="public_reports",
        verbose_name=_("responsible unit"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.NEW
    )
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    photo = models.ImageField(
        _("photo"), upload_to=RandomName("feedback/reports/%Y/%m/"), blank=True
    )
    media_url = models.URLField(_("photo link"), blank=True, max_length=500)
    contact_name = models.CharField(_("your name"), max_length=120, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    contact_phone = models.CharField(_("phone"), max_length=32, blank=True)
    channel = models.CharField(max_length=8, choices=ReportChannel.choices)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    due_at = models.DateTimeField(_("due at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    citizen_satisfied = models.BooleanField(
        _("citizen satisfied with the handling"), null=True, blank=True
    )
    # Answers to the category's questions (service_models.ReportAttribute), by code.
    attributes = models.JSONField(_("answers"), default=dict, blank=True)

    objects = PublicReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("public-place report")
        verbose_name_plural = _("public-place reports")
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["unit", "status"], name="report_unit_status"),
            models.Index(fields=["submitted_at"], name="report_submitted"),
            models.Index(fields=["place", "submitted_at"], name="report_place"),
            models.Index(fields=["due_at", "id"], name="report_due_order"),
            trigram_index("description", name="report_description_trgm"),
            trigram_index("address", name="report_address_trgm"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="report_coordinates_pair",
            ),
            models.CheckConstraint(
                condition=~Q(status="merged") | Q(duplicate_of__isnull=False),
                name="report_merged_has_target",
            ),
        ]

    def __str__(self) -> str:
        return self.receipt

    def get_absolute_url(self) -> str:
        return reverse("feedback:report_detail", args=[self.pk])

    def get_public_url(self) -> str:
        return reverse("feedback:receipt", args=[self.receipt])

    def get_photo_url(self) -> str:
        """The photo as staff of the unit open it."""
        return reverse("feedback:report_photo", args=[self.pk])

    def get_public_photo_url(self) -> str:
        """The photo as anyone may see it while the report is public (Open311 media_url)."""
        return reverse("feedback:receipt_photo", args=[self.receipt])

    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def public_updates(self):
        return self.updates.filter(is_public=True).order_by("created_at")

    def get_additional_data(self) -> dict:
        return {"unit_path": self.unit.path}


class ReportUpdate(models.Model):
    """A step in a report's handling; public ones are shown on the receipt page."""

    report = models.ForeignKey(PublicReport, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(max_length=12, choices=ReportStatus.choices)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    is_public = models.BooleanField(_("shown to the public"), default=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.report_id} · {self.status}"

    def get_additional_data(self) -> dict:
        return {"unit_path": self.report.unit.path}


# --- Dossier statistics -------------------------------------------------------------------


class DossierStatQuerySet(models.QuerySet):
    def visible_to(self, user) -> DossierStatQuerySet:
        return self.filter(_scoped("unit__path", user))


class DossierStat(models.Model):
    """One-stop processing figures of a service point for a period (imported or pushed)."""

    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="dossier_stats", verbose_name=_("unit")
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    received = models.PositiveIntegerField(_("received"))
    processed = models.PositiveIntegerField(_("processed"))
    early = models.PositiveIntegerField(_("before the deadline"))
    on_time = models.PositiveIntegerField(_("on time"))
    late = models.PositiveIntegerField(_("late"))
    online = models.PositiveIntegerField(_("received online"))
    updated_at = models.DateTimeField(auto_now=True)

    objects = DossierStatQuerySet.as_manager()

    class Meta:
        verbose_name = _("dossier statistics")
        verbose_name_plural = _("dossier statistics")
        ordering = ["-period_start", "unit"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "period_start", "period_end"], name="dossierstat_unique"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="dossierstat_period"
            ),
            models.CheckConstraint(
                condition=Q(processed__gte=F("early") + F("on_time") + F("late")),
                name="dossierstat_timeliness_within_processed",
            ),
            models.CheckConstraint(
                condition=Q(received__gte=F("online")), name="dossierstat_online_within_received"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} · {self.period_start}–{self.period_end}"

    def online_share(self) -> float | None:
        return self.online / self.received if self.received else None

    def get_additional_data(self) -> dict:
        return {"unit_path": self.unit.path}


# --- Throttling ---------------------------------------------------------------------------


class ThrottleBucket(models.Model):
    """A token bucket shared by every server process. Keys are keyed hashes (never an IP
    address or a device identifier in clear) and buckets idle for a day are deleted."""

    key = models.CharField(max_length=80, primary_key=True)
    tokens = models.FloatField()
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.key
