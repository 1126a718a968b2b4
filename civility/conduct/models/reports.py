"""The reporter's side of a record filed from the public page, and the messages between
the handlers and the reporter."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civility.conduct.models.records import ViolationRecord
from civility.core.models import UnitAudited


class AnonymousReport(UnitAudited):
    """The reporter's side of a record filed from the public page.

    The reporter holds a receipt code and a random secret (only its hash is stored, and
    nothing stored derives it). Nothing about them is kept (no account, no address, no browser
    details, not the id of the form they sent: only its keyed hash) unless they fill in contact
    details themselves.
    """

    audit_unit = "record.unit"

    record = models.OneToOneField(
        ViolationRecord,
        on_delete=models.PROTECT,
        related_name="anonymous_report",
        verbose_name=_("record"),
    )
    receipt_code = models.CharField(_("receipt code"), max_length=16, unique=True)
    secret_hash = models.CharField(max_length=128)
    # The keyed hash (core.receipts.keyed_hash) of the id the report form carries: sending
    # the same form twice (a double click, a retry after a lost reply) files one report.
    submission_key = models.CharField(
        max_length=64, null=True, blank=True, unique=True, editable=False
    )
    official_hint = models.CharField(
        _("official as described"),
        max_length=300,
        blank=True,
        help_text=_("Name, badge number or description given by the reporter."),
    )
    contact = models.TextField(
        _("contact details"),
        blank=True,
        help_text=_("Only when the reporter chose to leave them."),
    )
    created_on = models.DateField(_("filed on"), default=timezone.localdate)

    class Meta:
        verbose_name = _("anonymous report")
        verbose_name_plural = _("anonymous reports")

    def __str__(self) -> str:
        return self.receipt_code


class ReportMessage(UnitAudited):
    """A handler's question to an anonymous reporter, or the reporter's answer."""

    audit_unit = "report.record.unit"

    report = models.ForeignKey(
        AnonymousReport,
        on_delete=models.PROTECT,
        related_name="messages",
        verbose_name=_("report"),
    )
    from_reporter = models.BooleanField(_("from the reporter"), default=False)
    text = models.TextField(_("text"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handler"),
    )
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("report message")
        verbose_name_plural = _("report messages")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]
