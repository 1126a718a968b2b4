"""What an assessment is made of: a line per condition with its status, and the assessment
of one nominee for one title with its verdict."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from civility.awards import facts
from civility.awards.models.catalogue import AwardTitle, DisciplineThreshold, recipient_name
from civility.awards.models.decisions import RevocationReview
from civility.awards.models.nominations import Verdict
from civility.awards.rules import Classification
from civility.core.i18n import format_number
from civility.orgs.models import Official, OrgUnit


class Status:
    MET = "met"
    NOT_MET = "not_met"
    MISSING = "missing"
    # Nominations proposed while a source app could be missing kept lines of this status;
    # no line is made with it any more, but their snapshots still show it.
    UNAVAILABLE = "unavailable"
    TO_CHECK = "to_check"


# The status of a condition met by qualifying for another title this year.
STATUS_OF_VERDICT: dict[str, str] = {
    Verdict.ELIGIBLE: Status.MET,
    Verdict.INCOMPLETE: Status.MISSING,
    Verdict.NOT_ELIGIBLE: Status.NOT_MET,
}


def status_label(status: str) -> str:
    """The label in the active language; the five labels are translated once per language
    (a city's list has a million lines)."""
    language = get_language()
    if language not in _status_labels:
        _status_labels[language] = {
            Status.MET: _("Met"),
            Status.NOT_MET: _("Not met"),
            Status.MISSING: _("Missing data"),
            Status.UNAVAILABLE: _("Unknown (source not available)"),
            Status.TO_CHECK: _("To check by the board"),
        }
    return _status_labels[language][status]


_status_labels: dict[str | None, dict[str, str]] = {}


@dataclass
class Line:
    condition: str
    status: str
    text: str

    @property
    def label(self) -> str:
        return status_label(self.status)

    def as_dict(self) -> dict[str, Any]:
        return {"condition": self.condition, "status": self.status, "text": self.text}


@dataclass
class Assessment:
    title: AwardTitle
    year: int
    official: Official | None
    unit: OrgUnit
    lines: list[Line] = field(default_factory=list)
    # The nominee's awards flagged for revocation review, or decided (shown, not a condition).
    revocations: list[RevocationReview] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        statuses = {line.status for line in self.lines}
        if Status.NOT_MET in statuses:
            return Verdict.NOT_ELIGIBLE
        if statuses & {Status.MISSING, Status.UNAVAILABLE}:
            return Verdict.INCOMPLETE
        return Verdict.ELIGIBLE

    @property
    def verdict_label(self) -> str:
        return str(Verdict(self.verdict).label)

    @property
    def nominee_name(self) -> str:
        return recipient_name(self.official, self.unit)

    def as_dict(self) -> dict[str, Any]:
        """One nominee of an eligibility list, as the API gives it."""
        return {
            "official_id": self.official.pk if self.official else None,
            "unit_id": self.unit.pk,
            "name": self.nominee_name,
            "verdict": self.verdict,
            "lines": [line.as_dict() for line in self.lines],
        }

    def snapshot(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict,
            "year": self.year,
            "title_id": self.title.pk,
            "title_key": self.title.key,
            "title_version": self.title.version,
            "rule_set": self.title.rule_set,
            "computed_at": timezone.now().isoformat(),
            "lines": [line.as_dict() for line in self.lines],
        }


def classification_label(level: str) -> str:
    if level == facts.NOT_CLASSIFIED:
        return _("not classified (e.g. worked under six months)")
    return str(Classification(level).label)


def threshold_label(threshold: str) -> str:
    return str(DisciplineThreshold(threshold).label).lower()


def unassessed_sentence(count: int) -> str:
    """The sentence about members without the data to assess them (`%(unknown)s` inside)."""
    return ngettext(
        "%(unknown)s member cannot be assessed: data missing.",
        "%(unknown)s members cannot be assessed: data missing.",
        count,
    )


def some_names(officials: list[Official], limit: int = 5) -> str:
    names = [official.full_name for official in officials[:limit]]
    if len(officials) > limit:
        names.append(_("and %(count)s more") % {"count": format_number(len(officials) - limit)})
    return ", ".join(names)
