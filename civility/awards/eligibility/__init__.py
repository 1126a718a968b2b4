"""Who is eligible for a title in a year, and why, line by line.

Each condition of the title version gives one line with a status:

- met / not met: decided from the records;
- missing: the record that would decide it is not there (no classification entered yet, no
  decisions recorded for an earlier year) — shown as missing, never as "not eligible";
- to check: a condition the system cannot compute (the board checks it by hand).

The verdict is "not eligible" when a line is not met, "data missing" when a line is missing
or unknown, else "eligible". An `Assessor` loads the facts of a whole set of officials for a
year in a handful of queries (civility.awards.facts), then assesses in memory.

One submodule per part: `lines` (a line, an assessment), `quotas`, `base` (the facts loaded
once), `officials` and `collectives` (the conditions), `assessor` (the whole assessment and
the lists). Every name stays importable from here."""

from civility.awards.eligibility.assessor import (
    NOT_LABOUR_COLLECTIVES,
    Assessor,
    can_hold,
    candidate_units,
    eligibility_rows,
)
from civility.awards.eligibility.base import AssessorBase
from civility.awards.eligibility.collectives import CollectiveConditions
from civility.awards.eligibility.lines import (
    Assessment,
    Line,
    Status,
    classification_label,
    some_names,
    status_label,
    threshold_label,
    unassessed_sentence,
)
from civility.awards.eligibility.officials import OfficialConditions
from civility.awards.eligibility.quotas import (
    QuotaUse,
    no_quota_line,
    quota_limit,
    quota_line,
    quota_uses,
    title_for,
)

__all__ = [
    "Assessment",
    "Assessor",
    "AssessorBase",
    "CollectiveConditions",
    "Line",
    "NOT_LABOUR_COLLECTIVES",
    "OfficialConditions",
    "QuotaUse",
    "Status",
    "can_hold",
    "candidate_units",
    "classification_label",
    "eligibility_rows",
    "no_quota_line",
    "quota_limit",
    "quota_line",
    "quota_uses",
    "some_names",
    "status_label",
    "threshold_label",
    "title_for",
    "unassessed_sentence",
]
