"""Ratings you can trust: counter sessions (one citizen served) and flags on suspicious
ratings. Links to a rating are `rating_link`s (no database constraint: the ratings table is
partitioned)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_stubs_ext import StrOrPromise

if TYPE_CHECKING:
    from civility.feedback.models.calls import AssistanceCall


from civility.core.i18n import format_number, format_percent
from civility.core.models import UnitAudited
from civility.feedback.models.ratings import rating_link
from civility.orgs.models import Official, OrgUnit
from civility.orgs.scopes import Reader, scope_of

# --- Counter sessions -----------------------------------------------------------------------


class CounterSessionQuerySet(models.QuerySet["CounterSession"]):
    def visible_to(self, user: Reader) -> CounterSessionQuerySet:
        return self.filter(scope_of(user).q("counter__path"))

    def open(self) -> CounterSessionQuerySet:
        return self.filter(closed_at__isnull=True)

    def at(
        self, moment: datetime.datetime, *, grace: datetime.timedelta = datetime.timedelta()
    ) -> CounterSessionQuerySet:
        """Sessions open at `moment`, or closed no longer than `grace` before it."""
        return self.filter(opened_at__lte=moment).filter(
            Q(closed_at__isnull=True) | Q(closed_at__gt=moment - grace)
        )


class CounterSession(UnitAudited):
    """One citizen served at a counter: from "Serve next citizen" to the next one (or the end
    of the shift). Joins the official on duty, the dossier when known, the assistance calls
    raised meanwhile and the one rating that counts (further ratings are flagged)."""

    counter = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="counter_sessions",
        verbose_name=_("counter"),
    )
    official = models.ForeignKey(
        Official,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="counter_sessions",
        verbose_name=_("official on duty"),
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    dossier_code = models.CharField(_("dossier code"), max_length=40, blank=True)
    rating = rating_link(null=True, blank=True, verbose_name=_("rating"))
    rating_rated_on = models.DateField(null=True, blank=True, editable=False)

    audit_unit = "counter"
    objects = CounterSessionQuerySet.as_manager()

    # Set by trust.recent_sessions: the calls raised during the session.
    session_calls: list[AssistanceCall]

    class Meta:
        verbose_name = _("counter session")
        verbose_name_plural = _("counter sessions")
        ordering = ["-opened_at"]
        indexes = [models.Index(fields=["counter", "opened_at"], name="session_counter_opened")]
        constraints = [
            models.UniqueConstraint(
                fields=["counter"], condition=Q(closed_at__isnull=True), name="session_one_open"
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | Q(closed_at__gte=F("opened_at")),
                name="session_closed_after_opened",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.counter_id} · {self.opened_at:%Y-%m-%d %H:%M}"

    def calls(self) -> models.QuerySet[AssistanceCall]:
        """Assistance calls raised at the counter during the session."""
        calls = self.counter.assistance_calls.filter(raised_at__gte=self.opened_at)
        if self.closed_at is not None:
            calls = calls.filter(raised_at__lt=self.closed_at)
        return calls


class SessionCounter(UnitAudited):
    """A counter that serves citizens in sessions, from `since` (its first session) until a
    manager turns sessions off. Only then is a kiosk rating with no open session flagged as
    "entered while no citizen was served": a counter that never used sessions is never
    flagged for it."""

    counter = models.OneToOneField(
        OrgUnit, on_delete=models.CASCADE, related_name="session_mode", verbose_name=_("counter")
    )
    since = models.DateTimeField(_("uses sessions since"))
    until = models.DateTimeField(_("stopped using sessions at"), null=True, blank=True)

    audit_unit = "counter"

    class Meta:
        verbose_name = _("counter using sessions")
        verbose_name_plural = _("counters using sessions")

    def __str__(self) -> str:
        return f"{self.counter_id} · {self.since:%Y-%m-%d}"

    def covers(self, moment: datetime.datetime) -> bool:
        return self.since <= moment and (self.until is None or moment < self.until)


# --- Flags on suspicious ratings ---------------------------------------------------------------


class FlagKind(models.TextChoices):
    BURST = "burst", _("Burst of ratings from one kiosk")
    NO_SESSION = "no_session", _("Entered while no citizen was served")
    EXTRA_IN_SESSION = "extra", _("More than one rating in a counter session")
    TOP_SHARE = "top_share", _("Share of top ratings far above peers")


class FlagOutcome(models.TextChoices):
    GENUINE = "genuine", _("Genuine: nothing wrong")
    INVALID = "invalid", _("Not genuine")


class RatingFlagQuerySet(models.QuerySet["RatingFlag"]):
    def visible_to(self, user: Reader) -> RatingFlagQuerySet:
        return self.filter(scope_of(user).q("unit__path"))

    def under(self, unit: OrgUnit) -> RatingFlagQuerySet:
        return self.filter(unit__path__startswith=unit.path)

    def unreviewed(self) -> RatingFlagQuerySet:
        return self.filter(reviewed_at__isnull=True)

    def on_ratings(self) -> RatingFlagQuerySet:
        return self.filter(rating__isnull=False)


class RatingFlag(UnitAudited):
    """A suspicious rating (or, for `top_share`, an official's month), found by a background
    job. Flags never delete or change a rating; a coordinator or head reviews them."""

    kind = models.CharField(_("kind"), max_length=12, choices=FlagKind.choices)
    rating = rating_link(null=True, blank=True, verbose_name=_("rating"))
    rated_on = models.DateField(_("day"), null=True, blank=True)
    unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="rating_flags",
        verbose_name=_("unit"),
        help_text=_("The rating's counter, or the service point for a share of top ratings."),
    )
    official = models.ForeignKey(
        Official,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rating_flags",
        verbose_name=_("official"),
    )
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    detail = models.JSONField(_("detail"), default=dict)
    detected_at = models.DateTimeField(_("detected at"), default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=8, choices=FlagOutcome.choices, blank=True)
    review_note = models.TextField(_("review note"), blank=True, max_length=2000)

    objects = RatingFlagQuerySet.as_manager()

    class Meta:
        verbose_name = _("rating flag")
        verbose_name_plural = _("rating flags")
        ordering = ["-detected_at", "-pk"]
        indexes = [models.Index(fields=["unit", "detected_at"], name="flag_unit_detected")]
        constraints = [
            models.UniqueConstraint(
                fields=["rating", "kind"], condition=Q(rating__isnull=False), name="flag_once"
            ),
            models.UniqueConstraint(
                fields=["official", "kind", "period_start"],
                condition=Q(rating__isnull=True),
                name="flag_official_period_once",
            ),
            models.CheckConstraint(
                condition=Q(reviewed_at__isnull=True) | ~Q(outcome=""), name="flag_review_outcome"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.rating_id or self.official_id}"

    def is_reviewed(self) -> bool:
        return self.reviewed_at is not None

    def description(self) -> StrOrPromise:
        d = self.detail
        if self.kind == FlagKind.BURST:
            return ngettext(
                "%(count)s kiosk rating within %(seconds)s s",
                "%(count)s kiosk ratings within %(seconds)s s",
                int(d.get("count") or 0),
            ) % {**d, "count": format_number(d.get("count"))}
        if self.kind == FlagKind.NO_SESSION:
            return _("No counter session was open at the time of the rating.")
        if self.kind == FlagKind.EXTRA_IN_SESSION:
            return _("Session %(session)s already had a rating.") % {"session": d.get("session")}
        return ngettext(
            "%(share)s top ratings of %(ratings)s, peers' mean %(peers_mean)s (%(peers)s peer)",
            "%(share)s top ratings of %(ratings)s, peers' mean %(peers_mean)s (%(peers)s peers)",
            int(d.get("peers") or 0),
        ) % {
            **d,
            "share": format_percent(d.get("share")),
            "ratings": format_number(d.get("ratings")),
            "peers_mean": format_percent(d.get("peers_mean")),
        }


class TrustCursor(models.Model):
    """How far the rating checks have read (by `received_at`); each run re-reads a short
    overlap, since a rating committed late may carry an earlier `received_at`."""

    name = models.CharField(max_length=40, primary_key=True)
    position = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name}: {self.position}"
