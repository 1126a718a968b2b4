"""Public-place reports (Open311 service requests), their categories and the questions a
category asks (Open311 service definitions' attributes), and their handling steps.

A category with questions answers `metadata: true` in services.xml, and services/{code}.xml
lists them; answers arrive as `attribute[code]` and are kept on the report
(PublicReport.attributes) for the commune.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from civility.core.files import RandomName
from civility.core.i18n import localized
from civility.core.models import NamedInTwoLanguages, UnitAudited
from civility.core.search import trigram_index
from civility.feedback.models.scoping import STAFF_ROLES, scoped
from civility.orgs.models import OrgUnit, Place
from civility.orgs.scopes import Reader


class ReportCategory(NamedInTwoLanguages):
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
    def display_description(self) -> str:
        return localized(self, "description")

    def get_additional_data(self) -> dict[str, str]:
        return {"unit_path": ""}  # categories are the whole country's


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


class PublicReportQuerySet(models.QuerySet["PublicReport"]):
    def visible_to(self, user: Reader) -> PublicReportQuerySet:
        return self.filter(scoped("unit__path", user))

    def handled_by(self, user: Reader) -> PublicReportQuerySet:
        """Reports `user` may triage and handle (staff roles over the responsible unit)."""
        return self.filter(scoped("unit__path", user, roles=STAFF_ROLES))

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


class PublicReport(UnitAudited):
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
    # Answers to the category's questions (ReportAttribute, below), by code.
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

    def public_updates(self) -> models.QuerySet[ReportUpdate]:
        return self.updates.filter(is_public=True).order_by("created_at")


class ReportUpdate(UnitAudited):
    """A step in a report's handling; public ones are shown on the receipt page."""

    report = models.ForeignKey(PublicReport, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(max_length=12, choices=ReportStatus.choices)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    is_public = models.BooleanField(_("shown to the public"), default=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    audit_unit = "report.unit"

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.report_id} · {self.status}"


# --- Questions a category asks --------------------------------------------------------


class AttributeType(models.TextChoices):
    """Open311's datatypes (GeoReport v2, Service Definition)."""

    STRING = "string", _("short text")
    NUMBER = "number", _("number")
    DATETIME = "datetime", _("date and time")
    TEXT = "text", _("long text")
    SINGLE = "singlevaluelist", _("one choice")
    MULTI = "multivaluelist", _("several choices")


class ReportAttribute(models.Model):
    category = models.ForeignKey(
        "feedback.ReportCategory",
        on_delete=models.CASCADE,
        related_name="attributes",
        verbose_name=_("category"),
    )
    code = models.SlugField(_("code"), max_length=40)
    datatype = models.CharField(_("type"), max_length=16, choices=AttributeType.choices)
    required = models.BooleanField(_("required"), default=False)
    description = models.CharField(_("question (Vietnamese)"), max_length=255)
    description_en = models.CharField(_("question (English)"), max_length=255, blank=True)
    # The choices of a list: [{"key": "...", "name": "Vietnamese", "name_en": "English"}].
    values = models.JSONField(_("choices"), default=list, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("report question")
        verbose_name_plural = _("report questions")
        ordering = ["position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="report_attribute_code")
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def display_description(self) -> str:
        return localized(self, "description")

    def choices(self) -> list[tuple[str, str]]:
        """(key, name in the active language) of each choice of a list."""
        english = get_language() == "en"
        return [
            (str(v["key"]), str((english and v.get("name_en")) or v.get("name") or v["key"]))
            for v in self.values
            if isinstance(v, dict) and "key" in v
        ]


def answers(report: PublicReport) -> list[tuple[str, str]]:
    """(question, answer) of a report's answers in the active language, choices by name;
    answers to questions removed since keep their code."""
    questions = {q.code: q for q in ReportAttribute.objects.filter(category=report.category_id)}
    shown = []
    for code, answer in report.attributes.items():
        question = questions.get(code)
        names = dict(question.choices()) if question else {}
        keys = answer if isinstance(answer, list) else [answer]
        text = ", ".join(names.get(str(key), str(key)) for key in keys)
        shown.append((question.display_description if question else code, text))
    return shown
