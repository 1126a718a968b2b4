"""The unit tree: units (`OrgUnit`, a materialized path kept by a trigger), the successions
of units merged or split, and the folded names every search compares."""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Iterable
from decimal import Decimal

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from civility.core.models import NamedInTwoLanguages, UnitAudited
from civility.orgs.scopes import Reader, Role, scope_of

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


class OrgUnitQuerySet(models.QuerySet["OrgUnit"]):
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

    def serving_scope_of(self, user: Reader) -> OrgUnitQuerySet:
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

    def visible_to(self, user: Reader) -> OrgUnitQuerySet:
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


class OrgUnit(NamedInTwoLanguages):
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
        return reverse("orgs:unit_detail", args=[self.pk])

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

    def get_additional_data(self) -> dict[str, str]:
        return {"unit_path": self.path}


class ShareBasis(models.TextChoices):
    AREA = "area", _("area")
    POPULATION = "population", _("population")
    ESTIMATE = "estimate", _("estimate (equal split)")


class Succession(UnitAudited):
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

    audit_unit = "predecessor"

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
    def percent(self) -> Decimal:
        return self.share * 100


def nearest_of_kinds(units: Iterable[OrgUnit], kinds: Iterable[str]) -> dict[int, OrgUnit | None]:
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
