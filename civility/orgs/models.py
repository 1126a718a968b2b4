from __future__ import annotations

import datetime
import unicodedata

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from civility.orgs.scopes import Role, scope_of

# Who reads (never changes) the counters serving their commune or ward from outside it.
SERVING_READER_ROLES = (Role.SYSTEM_ADMIN, Role.COORDINATOR, Role.UNIT_HEAD)


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("Province / centrally-run city")
    FORMER_DISTRICT = "former_district", _("District (before 1 July 2025)")
    WARD = "ward", _("Ward")
    COMMUNE = "commune", _("Commune")
    SPECIAL_ZONE = "special_zone", _("Special zone")
    DEPARTMENT = "department", _("Department / agency")
    SERVICE_CENTER = "service_center", _("Public Administration Service Center")
    SERVICE_BRANCH = "service_branch", _("Service Center branch")
    SERVICE_POINT = "service_point", _("Public administration service point")
    PUBLIC_SERVICE_UNIT = "public_service_unit", _("Public service unit")
    DIVISION = "division", _("Division")
    COUNTER = "counter", _("One-stop counter")
    VILLAGE = "village", _("Village")
    RESIDENTIAL_GROUP = "residential_group", _("Residential group")


COMMUNE_LEVEL_KINDS = (UnitKind.WARD, UnitKind.COMMUNE, UnitKind.SPECIAL_ZONE)
# The kinds of unit that are an agency, organisation or unit ("cơ quan, tổ chức, đơn vị") in
# the evaluation texts: quotas of top levels are counted in one (Decision 3814-QĐ/TU; Decree
# 335/2025 Art. 20 cl. 5) and its head evaluates its staff (Decree 90/2020 Art. 16).
# Divisions, counters, villages and residential groups are parts of an agency, not agencies.
AGENCY_KINDS = (
    UnitKind.PROVINCE,
    UnitKind.FORMER_DISTRICT,
    UnitKind.WARD,
    UnitKind.COMMUNE,
    UnitKind.SPECIAL_ZONE,
    UnitKind.DEPARTMENT,
    UnitKind.SERVICE_CENTER,
    UnitKind.SERVICE_BRANCH,
    UnitKind.SERVICE_POINT,
    UnitKind.PUBLIC_SERVICE_UNIT,
)


class Folded(models.Func):
    """Text in lower case without diacritics ("Phường Tây Hồ" -> "phuong tay ho"), as the
    database folds names into `OrgUnit.search_name` and `Official.search_name` (function
    `civility_fold`, migration core 0004). Comparing folded columns, indexed by trigram,
    keeps a search over every unit of the country or a city's officials fast; `unaccent`
    on each row at query time cannot be indexed."""

    function = "civility_fold"
    output_field = models.TextField()


def folded_words(text: str) -> list[Folded]:
    """Each word of `text`, folded like the columns. A phone keyboard may send "ầ" as "a" and
    two combining marks (NFD); the stored names are composed (NFC)."""
    return [Folded(models.Value(word)) for word in unicodedata.normalize("NFC", text).split()]


class OrgUnitQuerySet(models.QuerySet):
    def subtree_of(self, unit: OrgUnit, *, include_self: bool = True) -> OrgUnitQuerySet:
        units = self.filter(path__startswith=unit.path)
        return units if include_self else units.exclude(pk=unit.pk)

    def serving(self, unit: OrgUnit) -> OrgUnitQuerySet:
        """The subtree of `unit`, and the service points and counters that serve a unit of
        it (set on the counter or on its service point). Since July 2025 Hanoi's one-stop
        points belong to the city's Service Center, not to the communes whose citizens they
        serve, so a commune's citizens' figures live outside its subtree."""
        return self.filter(
            Q(path__startswith=unit.path)
            | Q(serves__path__startswith=unit.path)
            | Q(parent__serves__path__startswith=unit.path)
        )

    def serving_scope_of(self, user) -> OrgUnitQuerySet:
        """Service points and counters that serve a unit where `user` heads or coordinates
        (SERVING_READER_ROLES): a ward head reads the figures of the Service Center's
        counters that serve the ward, as serving() counts them for the index, without
        gaining any right over them (they stay in the Service Center's subtree)."""
        scope = scope_of(user)
        if scope.is_global:
            return self.exclude(serves__isnull=True, parent__serves__isnull=True)
        return self.filter(
            scope.q("serves__path", roles=SERVING_READER_ROLES)
            | scope.q("parent__serves__path", roles=SERVING_READER_ROLES)
        )

    def valid_on(self, day: datetime.date) -> OrgUnitQuerySet:
        """Units in existence on `day`: a record dated before 1 July 2025 may name a former
        ward or district, a record of today only a unit that exists today."""
        return self.valid_during(day, day)

    def valid_during(self, first: datetime.date, last: datetime.date) -> OrgUnitQuerySet:
        """Units in existence on some day from `first` to `last` (a figure of 2025 may be
        a former ward's, of January to June, or a new ward's)."""
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=last),
            Q(valid_to__isnull=True) | Q(valid_to__gte=first),
        )

    def current(self) -> OrgUnitQuerySet:
        """Units in existence today."""
        return self.valid_on(timezone.localdate())

    def former(self, on: datetime.date | None = None) -> OrgUnitQuerySet:
        """Units that ended before `on` (today by default) or begin after it."""
        day = on or timezone.localdate()
        return self.filter(Q(valid_from__gt=day) | Q(valid_to__lt=day))

    def visible_to(self, user) -> OrgUnitQuerySet:
        return self.filter(scope_of(user).q("path"))

    def search(self, text: str) -> OrgUnitQuerySet:
        """Units whose name holds every word of `text` (accents and case ignored, so "quay 1"
        finds "Quầy tiếp nhận và trả kết quả số 1"), or whose code is `text`."""
        text = text.strip()
        if not text:
            return self
        by_name = Q()
        for word in folded_words(text):
            by_name &= Q(search_name__contains=word)
        return self.filter(by_name | Q(code__iexact=text))


class OrgUnit(models.Model):
    """A node of the organisation tree: province, commune, department, counter, village...

    `path` is a materialized path of primary keys ("1/57/300/"); a subtree is one indexed
    prefix query, whatever its depth.
    """

    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=UnitKind.choices)
    code = models.CharField(
        _("official code"),
        max_length=32,
        blank=True,
        help_text=_("The national statistical code where one exists, else an internal code."),
    )
    name = models.CharField(_("name (Vietnamese)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    successors = models.ManyToManyField(
        "self",
        through="Succession",
        through_fields=("predecessor", "successor"),
        symmetrical=False,
        blank=True,
        related_name="predecessors",
        verbose_name=_("successor units"),
        help_text=_("Units that took over this unit's territory or functions when it ended."),
    )
    serves = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="served_by",
        verbose_name=_("serves"),
        help_text=_(
            "For a service point or counter: the commune or ward whose citizens it serves."
        ),
    )
    # Both are kept by a database trigger (migration orgs 0002) from `parent`, so no code
    # path (ORM, bulk_create, admin, raw SQL) can leave them inconsistent.
    path = models.CharField(max_length=1024, editable=False, db_default="")
    depth = models.PositiveSmallIntegerField(editable=False, db_default=0)
    # Both names folded for search (see Folded); kept by the database.
    search_name = models.GeneratedField(
        expression=models.Func(
            models.F("name"),
            models.F("name_en"),
            function="civility_fold",
            output_field=models.TextField(),
        ),
        output_field=models.TextField(),
        db_persist=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation unit")
        verbose_name_plural = _("organisation units")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "code"], condition=~Q(code=""), name="orgunit_unique_kind_code"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="orgunit_valid_range",
            ),
        ]
        indexes = [
            models.Index(OpClass("path", name="varchar_pattern_ops"), name="orgunit_path_prefix"),
            models.Index(fields=["parent", "name"], name="orgunit_children"),
            GinIndex(OpClass("search_name", name="gin_trgm_ops"), name="orgunit_search_trgm"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("orgs:unit_detail", args=[self.pk])

    @property
    def display_name(self) -> str:
        from django.utils.translation import get_language

        if get_language() == "en" and self.name_en:
            return self.name_en
        return self.name

    def is_current(self, on: datetime.date | None = None) -> bool:
        day = on or timezone.localdate()
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or self.valid_to >= day
        )

    def is_commune_level(self) -> bool:
        return self.kind in COMMUNE_LEVEL_KINDS

    def ancestors(self) -> OrgUnitQuerySet:
        ids = [int(part) for part in self.path.strip("/").split("/")[:-1]]
        return OrgUnit.objects.filter(pk__in=ids).order_by("depth")

    @cached_property
    def province(self) -> OrgUnit | None:
        """The province or centrally-run city the unit belongs to (itself for a province);
        province-wide rules and settings are chosen by it."""
        if self.kind == UnitKind.PROVINCE:
            return self
        ids = [int(part) for part in self.path.strip("/").split("/")[:-1]]
        return OrgUnit.objects.filter(pk__in=ids, kind=UnitKind.PROVINCE).order_by("depth").first()

    @cached_property
    def agency(self) -> OrgUnit:
        """The agency the unit belongs to: itself or its nearest ancestor of an agency kind
        (`AGENCY_KINDS`); the unit itself when none is."""
        return nearest_of_kinds([self], AGENCY_KINDS)[self.pk] or self

    def get_additional_data(self) -> dict:
        return {"unit_path": self.path}


class ShareBasis(models.TextChoices):
    AREA = "area", _("area")
    POPULATION = "population", _("population")
    ESTIMATE = "estimate", _("estimate (equal split)")


class Succession(models.Model):
    """The part of a former unit that went into one successor: a share (a fraction of 1) of
    its area or population where the resolution gives one, else an equal split among its
    successors, which every figure using it labels "estimate". A predecessor's shares add up
    to 1 (checked by `civility.orgs.history.check_shares` in every write)."""

    predecessor = models.ForeignKey(
        OrgUnit, on_delete=models.CASCADE, related_name="+", verbose_name=_("former unit")
    )
    successor = models.ForeignKey(
        OrgUnit, on_delete=models.CASCADE, related_name="+", verbose_name=_("successor unit")
    )
    share = models.DecimalField(_("share"), max_digits=7, decimal_places=6)
    basis = models.CharField(_("basis of the share"), max_length=16, choices=ShareBasis.choices)
    source = models.CharField(_("source"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("succession")
        verbose_name_plural = _("successions")
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="succession_unique_pair"
            ),
            models.CheckConstraint(
                condition=Q(share__gt=0, share__lte=1), name="succession_share_fraction"
            ),
            models.CheckConstraint(
                condition=~Q(predecessor=models.F("successor")), name="succession_not_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.share})"

    def is_estimate(self) -> bool:
        return self.basis == ShareBasis.ESTIMATE

    @property
    def percent(self):
        return self.share * 100

    def get_additional_data(self) -> dict:
        return {"unit_path": self.predecessor.path}


def nearest_of_kinds(units, kinds) -> dict[int, OrgUnit | None]:
    """For each unit, itself or its nearest ancestor whose kind is one of `kinds` (None when
    there is none), read in one query for all the units."""
    units = list(units)
    chains = {
        unit.pk: [int(part) for part in unit.path.strip("/").split("/") if part] for unit in units
    }
    found = OrgUnit.objects.in_bulk(
        {pk for chain in chains.values() for pk in chain}, field_name="pk"
    )
    found = {pk: unit for pk, unit in found.items() if unit.kind in kinds}
    return {
        unit_pk: next((found[pk] for pk in reversed(chain) if pk in found), None)
        for unit_pk, chain in chains.items()
    }


class PlaceKind(models.TextChoices):
    MARKET = "market", _("Market")
    COMMERCIAL_CENTRE = "commercial_centre", _("Commercial centre / supermarket")
    BUS_STATION = "bus_station", _("Bus or railway station, wharf")
    RELIC_SITE = "relic_site", _("Relic site / place of worship")
    PARK = "park", _("Park, flower garden, square")
    FESTIVAL_GROUND = "festival_ground", _("Festival ground")
    SCHOOL_GATE = "school_gate", _("School gate")
    STREET = "street", _("Street, pavement")
    CULTURAL_VENUE = "cultural_venue", _("Museum, library, cultural house, cinema")
    TOURIST_SITE = "tourist_site", _("Tourist or entertainment site")


class PlaceQuerySet(models.QuerySet):
    def visible_to(self, user) -> PlaceQuerySet:
        return self.filter(scope_of(user).q("unit__path"))

    def search(self, text: str) -> PlaceQuerySet:
        text = text.strip()
        if not text:
            return self
        return self.filter(Q(name__unaccent__icontains=text) | Q(address__unaccent__icontains=text))


class Place(models.Model):
    """A public place where the public-place code of conduct applies."""

    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="places", verbose_name=_("commune / ward")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=PlaceKind.choices)
    name = models.CharField(_("name"), max_length=255)
    address = models.CharField(_("address"), max_length=255, blank=True)
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
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("public place")
        verbose_name_plural = _("public places")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="place_coordinates_pair",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_additional_data(self) -> dict:
        return {"unit_path": self.unit.path}


# Law on Anti-Corruption 2018, Art. 25 cl. 2: the period of rotation is "from a full 2 years
# to 5 years", set by sector.
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


class Post(models.Model):
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

    def get_additional_data(self) -> dict:
        return {"unit_path": self.unit.path}


class StaffCategory(models.TextChoices):
    CADRE = "cadre", _("Cadre")
    CIVIL_SERVANT = "civil_servant", _("Civil servant")
    PUBLIC_EMPLOYEE = "public_employee", _("Public employee")
    WORKER = "worker", _("Worker")


class AgencyRole(models.TextChoices):
    """An official's place in the leadership of their agency (`OrgUnit.agency`)."""

    HEAD = "head", _("Head of the agency")
    DEPUTY = "deputy", _("Deputy head of the agency")


class OfficialQuerySet(models.QuerySet):
    def visible_to(self, user) -> OfficialQuerySet:
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


class Official(models.Model):
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
        from django.urls import reverse

        return reverse("orgs:official_detail", args=[self.pk])

    def is_in_post_on(self, day: datetime.date) -> bool:
        """Whether a record of `day` may name this person (`OfficialQuerySet.in_post_on`)."""
        return self.left_on is None or self.left_on >= day

    def clean(self) -> None:
        # A post comes from the catalogue of the official's unit or of a unit above it.
        if self.post_id and self.unit_id and not self.unit.path.startswith(self.post.unit.path):
            raise ValidationError(
                {"post": _("This post is not in the catalogue of the unit or a unit above it.")}
            )

    def get_additional_data(self) -> dict:
        return {"unit_path": self.unit.path}


class RoleAssignmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> RoleAssignmentQuerySet:
        return self.filter(scope_of(user).q("unit__path"))


class RoleAssignment(models.Model):
    """A role granted to a user on a unit; it covers the unit's whole subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("unit")
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "unit"], name="role_unique_grant"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit}"

    def get_additional_data(self) -> dict:
        return {"unit_path": self.unit.path}


class UnitPolicyQuerySet(models.QuerySet):
    def visible_to(self, user) -> UnitPolicyQuerySet:
        return self.filter(scope_of(user).q("unit__path"))


class UnitPolicy(models.Model):
    """A value chosen by a unit for a setting the law leaves open (civility.orgs.policies),
    in force in its subtree from `valid_from` until a later record replaces it."""

    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="policies", verbose_name=_("unit")
    )
    key = models.CharField(_("setting"), max_length=64)
    value = models.JSONField(_("value"))
    valid_from = models.DateField(_("in force from"))
    source = models.CharField(
        _("ground"),
        max_length=255,
        blank=True,
        help_text=_(
            "The document that decided it (number, article, clause). Leave empty when none "
            "was issued: the setting is then shown as 'to be confirmed'."
        ),
    )
    note = models.TextField(_("note"), blank=True, max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = UnitPolicyQuerySet.as_manager()

    class Meta:
        verbose_name = _("setting")
        verbose_name_plural = _("settings")
        ordering = ["unit__path", "key", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "key", "valid_from"], name="unitpolicy_once_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.key} · {self.valid_from}"

    def get_additional_data(self) -> dict:
        return {"unit_path": self.unit.path}
