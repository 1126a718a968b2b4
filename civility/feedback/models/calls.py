"""The assistance bell: a citizen's call for help at a counter, and the ladder it climbs
when nobody answers."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civility.core.models import UnitAudited
from civility.feedback import conf
from civility.feedback.models.scoping import BELL_ROLES, scoped
from civility.orgs.models import OrgUnit
from civility.orgs.scopes import Reader, scope_of


class CallSource(models.TextChoices):
    KIOSK = "kiosk", _("Kiosk")
    PUBLIC = "public", _("Counter's public page")


def bell_paths(user: Reader) -> list[str]:
    """The subtrees whose counters call `user` for help: where they hold a bell role, and
    the unit they work in ("" for everything)."""
    scope = scope_of(user)
    if scope.is_global:
        return [""]
    paths = scope.paths_with_role(*BELL_ROLES)
    signed_in = user is not None and user.is_authenticated
    official = getattr(user, "official", None) if signed_in else None
    if official is not None and official.left_on is None:
        paths = sorted({*paths, official.unit.path})
    return paths


class AssistanceCallQuerySet(models.QuerySet["AssistanceCall"]):
    def visible_to(self, user: Reader) -> AssistanceCallQuerySet:
        return self.filter(scoped("counter__path", user))

    def answered_by(self, user: Reader) -> AssistanceCallQuerySet:
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

    def missed_or_slow(
        self, *, unit: OrgUnit, since: datetime.date | datetime.datetime
    ) -> AssistanceCallQuerySet:
        """Calls at `unit` (a service point or counter, with its subtree) raised since
        `since` (a date: from the start of that local day) that were never acknowledged
        within `FEEDBACK_ASSIST_TEAM_LEAD_S`: missed (still unacknowledged after it) or slow
        (acknowledged after it). For the next inspection of the service point."""
        if not isinstance(since, datetime.datetime):
            since = timezone.make_aware(datetime.datetime.combine(since, datetime.time()))
        threshold = datetime.timedelta(seconds=conf.assist_team_lead_seconds())
        return self.filter(counter__path__startswith=unit.path, raised_at__gte=since).filter(
            Q(acknowledged_at__isnull=True, raised_at__lt=timezone.now() - threshold)
            | Q(acknowledged_at__gt=F("raised_at") + threshold)
        )


class AssistanceCall(UnitAudited):
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

    audit_unit = "counter"
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


# --- Assistance-call ladder -----------------------------------------------------------------------


class EscalationStep(models.TextChoices):
    TEAM_LEAD = "team_lead", _("Team lead alerted")
    UNIT_HEAD = "unit_head", _("Unit head alerted")


class CallEscalation(UnitAudited):
    """One rung of the ladder climbed by an assistance call nobody acknowledged."""

    call = models.ForeignKey(
        "feedback.AssistanceCall", on_delete=models.CASCADE, related_name="escalations"
    )
    step = models.CharField(_("step"), max_length=10, choices=EscalationStep.choices)
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("unit")
    )
    recipients = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)
    escalated_at = models.DateTimeField(_("escalated at"))

    audit_unit = "call.counter"

    class Meta:
        verbose_name = _("assistance call escalation")
        verbose_name_plural = _("assistance call escalations")
        ordering = ["escalated_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["call", "step"], name="call_escalation_once")
        ]

    def __str__(self) -> str:
        return f"{self.call_id} · {self.step}"
