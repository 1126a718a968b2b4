"""Public places (markets, parks, stations...) and the unit answerable for each."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civility.core.models import UnitAudited
from civility.orgs.models.units import OrgUnit
from civility.orgs.scopes import Reader, scope_of


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


class PlaceQuerySet(models.QuerySet["Place"]):
    def visible_to(self, user: Reader) -> PlaceQuerySet:
        return self.filter(scope_of(user).q("unit__path"))

    def search(self, text: str) -> PlaceQuerySet:
        text = text.strip()
        if not text:
            return self
        return self.filter(Q(name__unaccent__icontains=text) | Q(address__unaccent__icontains=text))


class Place(UnitAudited):
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


# Law on Anti-Corruption 2018, Art. 25 cl. 2: the period of rotation is "from a full 2 years
# to 5 years", set by sector.
