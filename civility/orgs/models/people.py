"""Officials and the posts of a unit's catalogue they hold."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civility.core.models import UnitAudited
from civility.orgs.models.units import Folded, OrgUnit, folded_words
from civility.orgs.scopes import Reader, scope_of

ROTATION_PERIOD_MONTHS = (24, 60)


def validate_rotation_period(months: int) -> None:
    low, high = ROTATION_PERIOD_MONTHS
    if not low <= months <= high:
        raise ValidationError(
            _(
                "The rotation period is from a full 2 years to 5 years: %(low)s to %(high)s "
                "months (Law on Anti-Corruption 2018, Art. 25, cl. 2)."
            ),
            code="rotation_period",
            params={"low": low, "high": high},
        )


class Post(UnitAudited):
    """A job position. Holders of a post subject to periodic rotation (vị trí công tác phải
    định kỳ chuyển đổi: Law on Anti-Corruption 2018 Art. 24-25; Decree 59/2019) move to
    another post at the end of its period."""

    unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="posts",
        verbose_name=_("unit"),
        help_text=_("The unit whose catalogue holds this post; its subtree may use it."),
    )
    name = models.CharField(_("name"), max_length=255)
    # Named before the legal term was settled; it means "subject to periodic rotation".
    is_sensitive = models.BooleanField(
        _("post subject to periodic rotation"),
        default=False,
        help_text=_("Posts in contact with citizens, businesses, finance or personnel work."),
    )
    rotation_period_months = models.PositiveSmallIntegerField(
        _("rotation period (months)"),
        null=True,
        blank=True,
        validators=[validate_rotation_period],
        help_text=_(
            "From a full 2 years to 5 years by sector: 24 to 60 months (Law on Anti-Corruption "
            "2018, Art. 25, cl. 2); Directive 24-CT/TU asks for 5 years."
        ),
    )

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="post_unique_name_in_unit"),
            models.CheckConstraint(
                condition=Q(is_sensitive=False) | Q(rotation_period_months__isnull=False),
                name="post_sensitive_needs_rotation_period",
            ),
            models.CheckConstraint(
                condition=Q(rotation_period_months__isnull=True)
                | Q(
                    rotation_period_months__gte=ROTATION_PERIOD_MONTHS[0],
                    rotation_period_months__lte=ROTATION_PERIOD_MONTHS[1],
                ),
                name="post_rotation_period_24_to_60_months",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class StaffCategory(models.TextChoices):
    CADRE = "cadre", _("Cadre")
    CIVIL_SERVANT = "civil_servant", _("Civil servant")
    PUBLIC_EMPLOYEE = "public_employee", _("Public employee")
    WORKER = "worker", _("Worker")


class AgencyRole(models.TextChoices):
    """An official's place in the leadership of their agency (`OrgUnit.agency`)."""

    HEAD = "head", _("Head of the agency")
    DEPUTY = "deputy", _("Deputy head of the agency")


class OfficialQuerySet(models.QuerySet["Official"]):
    def visible_to(self, user: Reader) -> OfficialQuerySet:
        return self.filter(scope_of(user).q("unit__path"))

    def under(self, unit: OrgUnit) -> OfficialQuerySet:
        return self.filter(unit__path__startswith=unit.path)

    def active(self) -> OfficialQuerySet:
        return self.filter(left_on__isnull=True)

    def in_post_on(self, day: datetime.date) -> OfficialQuerySet:
        """Officials who had not left by `day`: those a record of that day may name (a paper
        signature of 2022 by someone who retired in 2024)."""
        return self.filter(Q(left_on__isnull=True) | Q(left_on__gte=day))

    def search(self, text: str) -> OfficialQuerySet:
        text = text.strip()
        if not text:
            return self
        by_name = Q()
        for word in folded_words(text):
            by_name &= Q(search_name__contains=word)
        return self.filter(by_name | Q(staff_code__iexact=text) | Q(email__iexact=text))

    def with_unit_and_post(self) -> OfficialQuerySet:
        return self.select_related("unit", "post")


class Official(UnitAudited):
    """A person working in a unit: cadre, civil servant, public employee or worker."""

    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="officials", verbose_name=_("unit")
    )
    staff_code = models.CharField(
        _("staff code"),
        max_length=32,
        blank=True,
        help_text=_("The unit's own identifier for the person; imports use it to update."),
    )
    full_name = models.CharField(_("full name"), max_length=255)
    staff_category = models.CharField(
        _("staff category"), max_length=32, choices=StaffCategory.choices
    )
    post = models.ForeignKey(
        Post,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officials",
        verbose_name=_("post"),
    )
    is_leader = models.BooleanField(_("leader"), default=False)
    agency_role = models.CharField(
        _("in the agency's leadership"),
        max_length=16,
        choices=AgencyRole.choices,
        blank=True,
        help_text=_(
            "The head and the deputy heads of the agency the official works in: the head is "
            "evaluated from the level above, deputies by the head (Decree 90/2020 Art. 16)."
        ),
    )
    post_start_date = models.DateField(_("start date in post"), null=True, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="official",
        verbose_name=_("user account"),
    )
    left_on = models.DateField(_("left the unit on"), null=True, blank=True)
    # The full name folded for search (see Folded); kept by the database.
    search_name = models.GeneratedField(
        expression=Folded(models.F("full_name")),
        output_field=models.TextField(),
        db_persist=True,
    )
    retirement_date = models.DateField(
        _("retirement date"),
        null=True,
        blank=True,
        help_text=_(
            "The day the official reaches retirement age. No rotation of post within 18 months "
            "of it (Decree 59/2019); left empty, that exemption is to be assessed."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OfficialQuerySet.as_manager()

    class Meta:
        verbose_name = _("official")
        verbose_name_plural = _("officials")
        ordering = ["full_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "staff_code"],
                condition=~Q(staff_code=""),
                name="official_unique_staff_code_in_unit",
            ),
            models.CheckConstraint(
                condition=Q(agency_role="") | Q(is_leader=True),
                name="official_agency_role_is_leader",
                violation_error_message=_(
                    "The head or a deputy head of the agency is a leader: tick “leader”."
                ),
            ),
        ]
        indexes = [
            models.Index(Upper("full_name"), name="official_name_upper"),
            GinIndex(OpClass("search_name", name="gin_trgm_ops"), name="official_search_trgm"),
            # The officials list pages a city of 150,000 in these orders (core/listing.py).
            models.Index(fields=["full_name", "id"], name="official_name_order"),
            models.Index(fields=["staff_code", "id"], name="official_code_order"),
            # search() also matches a staff code or e-mail exactly: indexed, so the three
            # conditions combine as a bitmap OR instead of reading every official.
            models.Index(Upper("staff_code"), name="official_code_upper"),
            models.Index(Upper("email"), name="official_email_upper"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("orgs:official_detail", args=[self.pk])

    def is_in_post_on(self, day: datetime.date) -> bool:
        """Whether a record of `day` may name this person (`OfficialQuerySet.in_post_on`)."""
        return self.left_on is None or self.left_on >= day

    def clean(self) -> None:
        # A post comes from the catalogue of the official's unit or of a unit above it.
        post = self.post if self.post_id else None
        if post is not None and self.unit_id and not self.unit.path.startswith(post.unit.path):
            raise ValidationError(
                {"post": _("This post is not in the catalogue of the unit or a unit above it.")}
            )
