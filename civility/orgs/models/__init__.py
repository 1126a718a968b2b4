"""The organisation: the unit tree and its successions, public places, posts and officials,
role assignments and unit policies, one module per sub-domain. Every model is importable
from here (migrations name `civility.orgs.models.Folded` and `validate_rotation_period`)."""

from civility.orgs.models.grants import (
    RoleAssignment,
    RoleAssignmentQuerySet,
    UnitPolicy,
    UnitPolicyQuerySet,
)
from civility.orgs.models.people import (
    ROTATION_PERIOD_MONTHS,
    AgencyRole,
    Official,
    OfficialQuerySet,
    Post,
    StaffCategory,
    validate_rotation_period,
)
from civility.orgs.models.places import (
    Place,
    PlaceKind,
    PlaceQuerySet,
)
from civility.orgs.models.units import (
    AGENCY_KINDS,
    COMMUNE_LEVEL_KINDS,
    SERVING_READER_ROLES,
    Folded,
    OrgUnit,
    OrgUnitQuerySet,
    ShareBasis,
    Succession,
    UnitKind,
    folded_words,
    nearest_of_kinds,
)

__all__ = [
    "AGENCY_KINDS",
    "COMMUNE_LEVEL_KINDS",
    "ROTATION_PERIOD_MONTHS",
    "SERVING_READER_ROLES",
    "AgencyRole",
    "Folded",
    "Official",
    "OfficialQuerySet",
    "OrgUnit",
    "OrgUnitQuerySet",
    "Place",
    "PlaceKind",
    "PlaceQuerySet",
    "Post",
    "RoleAssignment",
    "RoleAssignmentQuerySet",
    "ShareBasis",
    "StaffCategory",
    "Succession",
    "UnitKind",
    "UnitPolicy",
    "UnitPolicyQuerySet",
    "folded_words",
    "nearest_of_kinds",
    "validate_rotation_period",
]
