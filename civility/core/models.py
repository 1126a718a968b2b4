from __future__ import annotations

import ast
import datetime
import enum
import json
import operator
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Self, TypeAlias, TypeVar, cast

from auditlog.models import AbstractLogEntry, LogEntryManager
from auditlog.registry import auditlog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser, User
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import OpClass
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models.fields.json import KT
from django.db.models.fields.reverse_related import ForeignObjectRel
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import smart_str
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from civility.core.files import RandomName, extension_of
from civility.core.i18n import localized

if TYPE_CHECKING:
    from civility.orgs.models import OrgUnit  # orgs imports core: only for the types

# What Options.get_field returns (django-stubs names it, Django does not).
_AnyField: TypeAlias = "models.Field[Any, Any] | ForeignObjectRel | GenericForeignKey"

# What a foreign key's logged value names: the model and the primary key in it.
RelatedKey: TypeAlias = tuple[type[models.Model], object]
# What the audit page shows of an event's changes: each field's label and its values.
DisplayDict: TypeAlias = "dict[StrOrPromise, object]"
# The names load_related_names read for a page of events (None: deleted since).
RelatedNames: TypeAlias = dict[RelatedKey, str | None]


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def in_subtree(self, path: str) -> AuditEventQuerySet:
        """Events on records that belong to the unit at `path` or below it."""
        return self.filter(additional_data__unit_path__startswith=path)

    def visible_to(self, user: AbstractBaseUser | AnonymousUser | None) -> AuditEventQuerySet:
        """Events of the reader's subtree, less what the apps' redactions keep from them:
        rows left out, and rows marked `actor_hidden` (shown without who acted)."""
        from civility.core.audit import redactions_for  # audit.py writes this module's events
        from civility.orgs.scopes import scope_of  # late: core imports no other app on load

        scope = scope_of(user)
        paths = scope.paths_with_role(*scope.AUDIT_READER_ROLES)
        if scope.is_global:
            events = self
        elif not paths:
            # annotate() of a model with an untyped base (auditlog's) is Any to the plugin.
            return cast(AuditEventQuerySet, self.none().annotate(actor_hidden=models.Value(True)))
        else:
            condition = models.Q()
            for path in paths:
                condition |= models.Q(additional_data__unit_path__startswith=path)
            events = self.filter(condition)
        hidden, nameless = redactions_for(user)
        return cast(
            AuditEventQuerySet,
            events.exclude(hidden).annotate(
                actor_hidden=models.Case(
                    models.When(nameless, then=models.Value(True)),
                    default=models.Value(False),
                    output_field=models.BooleanField(),
                )
            ),
        )


# django-auditlog ships no type information (no py.typed, no stubs): its classes are Any.
class AuditEvent(AbstractLogEntry):  # type: ignore[misc]
    """Who changed which record, when, and what changed (before → after).

    Written by django-auditlog for every registered model; `additional_data.unit_path`
    carries the owning unit's path so coordinators read the events of their subtree.
    """

    objects = LogEntryManager.from_queryset(AuditEventQuerySet)()

    class Meta(AbstractLogEntry.Meta):  # type: ignore[misc]  # auditlog's, as above
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            # A reader's subtree (visible_to, the unit filter). Its statistics also tell the
            # planner how many rows a subtree holds: without them it guessed 0.2 % of a
            # million for the whole city, and sorted the million on disk to show page 50.
            models.Index(
                OpClass(KT("additional_data__unit_path"), name="text_pattern_ops"),
                name="auditevent_unit_path",
            ),
        ]

    @property
    def changes_display_dict(self) -> DisplayDict:
        """Field labels and display values, for every audited field type.

        auditlog's own display reads most fields well but not these, which are shown here:
        a list field with choices raises TypeError (it joins the lazy choice labels with
        str.join, and its fallback looks the whole list up as a dict key); a list without
        choices shows as a Python repr; a JSON field shows Vietnamese as \\u escapes; an m2m
        change shows the keys of its {"type", "operation", "objects"} record. Raw values are
        returned when the model no longer exists (auditlog would raise AttributeError).
        """
        model = self.content_type.model_class()
        if model is None:
            return cast(DisplayDict, self.changes_dict)
        mapping = (
            auditlog.get_model_fields(model)["mapping_fields"] if auditlog.contains(model) else {}
        )
        shown_here: DisplayDict = {}
        rest: dict[str, object] = {}
        for name, values in self.changes_dict.items():
            field: _AnyField | None
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                field = None
            if isinstance(field, ArrayField):
                shown = [_list_display(field.base_field, value) for value in values]
            elif isinstance(field, models.JSONField):
                shown = [_json_display(value) for value in values]
            elif (
                isinstance(field, models.Field) and field.many_to_many and isinstance(values, dict)
            ):
                shown = _m2m_display(values)
            else:
                rest[name] = values
                continue
            shown_here[mapping.get(name, field.verbose_name)] = shown
        if not shown_here:
            return cast(DisplayDict, super().changes_display_dict)
        # auditlog's display of the remaining fields, read from an unsaved copy holding only them.
        others = AuditEvent(content_type=self.content_type, changes=rest)
        others.related_names = getattr(self, "related_names", None)
        return {**others.changes_display_dict, **shown_here}

    def shown_changes(self) -> DisplayDict:
        """What the audit page shows of the changes: in a row whose actor is hidden from the
        reader (visible_to), the people it names (reported by, added by...) are left out too,
        since they are the same person."""
        if not getattr(self, "actor_hidden", False):
            return self.changes_display_dict
        model = self.content_type.model_class()
        people = {
            field.name
            for field in (model._meta.concrete_fields if model is not None else ())
            if field.is_relation and field.related_model is get_user_model()
        }
        changes = {name: values for name, values in self.changes_dict.items() if name not in people}
        shown = AuditEvent(content_type=self.content_type, changes=changes)
        shown.related_names = getattr(self, "related_names", None)
        return shown.changes_display_dict

    def _get_changes_display_for_fk_field(
        self, field: models.ForeignKey[Any, Any], value: object
    ) -> str:
        """auditlog's display of a foreign key, but read from the names a page loaded for
        all its rows at once (load_related_names) when it did, and a row deleted since
        named in the reader's language (auditlog writes "Deleted 'ClassName' (pk)")."""
        names: RelatedNames | None = getattr(self, "related_names", None)
        key = _related_key(field, value)
        shown: str | None
        if names is not None and key is not None and key in names:
            shown = names[key]
        else:
            shown = super()._get_changes_display_for_fk_field(field, value)
            if shown == f"Deleted '{field.related_model.__name__}' ({value})":
                shown = None
        if shown is None:
            return gettext("%(record)s #%(pk)s (deleted)") % {
                "record": field.related_model._meta.verbose_name,
                "pk": value,
            }
        return shown


def _related_key(field: _AnyField, value: object) -> RelatedKey | None:
    """The (model, primary key) a foreign key's logged value names; None for "None" or a
    value that is not a key (a legacy text)."""
    if value in (None, "None"):
        return None
    # Only a relation comes here (a foreign key, a one-to-one either way): it has a model.
    related = cast("type[models.Model]", field.related_model)
    try:
        return related, related._meta.pk.to_python(value)
    except ValidationError:
        return None


def load_related_names(events: Sequence[AuditEvent]) -> None:
    """Name every row the foreign keys of `events` point to with one query per model, so a
    page of audit events costs the same whatever its rows changed (auditlog reads each
    value with a query of its own); a row deleted since stays unnamed and is shown as
    deleted."""
    wanted: dict[type[models.Model], set[object]] = {}
    for event in events:
        model = event.content_type.model_class()
        for name, values in event.changes_dict.items() if model is not None else ():
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if not (field.many_to_one or field.one_to_one) or not isinstance(values, list):
                continue
            for value in values:
                key = _related_key(field, value)
                if key is not None:
                    wanted.setdefault(key[0], set()).add(key[1])
    names: RelatedNames = {}
    for model, pks in wanted.items():
        names.update({(model, pk): None for pk in pks})  # None: deleted since
        for row in model._default_manager.filter(pk__in=pks):
            names[(model, row.pk)] = smart_str(row)
    for event in events:
        event.related_names = names


def _parsed(value: object, parse: Callable[[str], object]) -> object:
    """A stored value as it was before auditlog wrote it down as text (as is if unreadable)."""
    if not isinstance(value, str):
        return value
    try:
        return parse(value)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return value


def _truncated(text: str) -> str:
    limit: int = getattr(settings, "AUDITLOG_CHANGE_DISPLAY_TRUNCATE_LENGTH", 140)
    return text[:limit] + "…" if 0 <= limit < len(text) else text


def _list_display(base_field: models.Field[Any, Any], value: object) -> str:
    """A stored list such as "['officials', 'students']" as its labels in the reader's
    language, "Officials, Pupils and students"."""
    items = _parsed(value, ast.literal_eval)
    if isinstance(items, str) and items.startswith("[") and items.endswith("]"):
        items = [_enum_value(token, base_field.model) for token in items[1:-1].split(", ")]
    if items is None:
        return ""
    if not isinstance(items, list | tuple):
        return str(items)
    labels = dict(base_field.flatchoices)
    return _truncated(", ".join(str(labels.get(item, item) if labels else item) for item in items))


def _enum_value(token: str, model: type[models.Model]) -> object:
    """The value of "TargetGroup.OFFICIALS", which is how str() writes an enum member in a
    list (a list saved with members, not plain values), looked up in the model's module."""
    owner: object = sys.modules[model.__module__]
    for name in token.split("."):
        owner = getattr(owner, name, None)
    return owner.value if isinstance(owner, enum.Enum) else _parsed(token, ast.literal_eval)


def _json_display(value: object) -> str:
    data = _parsed(value, json.loads)
    if data is None:
        return ""
    if isinstance(data, str):
        return _truncated(data)
    return _truncated(json.dumps(data, ensure_ascii=False, sort_keys=True))


def _m2m_display(change: dict[str, Any]) -> list[str]:
    """auditlog records an m2m change as the objects added or removed, not before and after."""
    objects = ", ".join(str(name) for name in change.get("objects", []))
    if change.get("operation") == "add":
        return ["", gettext("added: %(objects)s") % {"objects": objects}]
    if change.get("operation") == "delete":
        return ["", gettext("removed: %(objects)s") % {"objects": objects}]
    return ["", objects]


_Row = TypeVar("_Row", bound=models.Model)


class UnitRowsQuerySet(models.QuerySet[_Row]):
    """Rows a unit keeps (their `unit`): those a reader's scope reaches, with one of
    `reader_roles` (any role when None); those in a unit's subtree."""

    reader_roles: ClassVar[tuple[str, ...] | None] = None

    def visible_to(self, user: AbstractBaseUser | AnonymousUser | None) -> Self:
        from civility.orgs.scopes import scope_of  # late: core imports no other app on load

        return self.filter(scope_of(user).q("unit__path", roles=self.reader_roles))

    def under(self, unit: OrgUnit) -> Self:
        return self.filter(unit__path__startswith=unit.path)


class OfficialRowsQuerySet(UnitRowsQuerySet[_Row]):
    """Rows about an official (their `official`; none for a unit as a whole), kept by the
    unit: the official reads their own rows besides the readers of the unit."""

    def visible_to(self, user: AbstractBaseUser | AnonymousUser | None) -> Self:
        from civility.orgs.scopes import scope_of  # late: core imports no other app on load

        scope = scope_of(user)
        if scope.is_global:
            return self
        condition = scope.q("unit__path", roles=self.reader_roles)
        if user is not None and user.is_authenticated:
            condition |= models.Q(official__user=user)
        return self.filter(condition)


class UnitAudited(models.Model):
    """Each audit entry of the model carries the path of the unit whose readers may see it
    (AuditEvent.objects.visible_to filters on it). `audit_unit` names the way from the
    record to that unit ("unit", "action.unit", "counter")."""

    audit_unit = "unit"

    class Meta:
        abstract = True

    def get_additional_data(self) -> dict[str, str]:
        return {"unit_path": operator.attrgetter(self.audit_unit)(self).path}


class NamedInTwoLanguages(models.Model):
    """A record with a Vietnamese `name` and an optional English `name_en` (the subclass
    declares both fields): `display_name` is the one the page's language reads."""

    class Meta:
        abstract = True

    @property
    def display_name(self) -> str:
        return localized(self, "name")


class StoredFile(models.Model):
    """A file a person attached, kept under a random name (RandomName). `filename` is the name
    it had, shown on download; it stays empty where the name could identify an anonymous
    reporter. The subclass declares `file` (its folder differs) and `download_prefix` (or
    `download_stem`, for a name that says more than the row's number)."""

    download_prefix = "file"
    filename = models.CharField(_("file name"), max_length=255, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.download_name

    @property
    def download_stem(self) -> str:
        """The download name, less its extension, where no file name was kept."""
        return f"{self.download_prefix}-{self.pk}"

    @property
    def download_name(self) -> str:
        name = self.file.name  # type: ignore[attr-defined]
        return self.filename or f"{self.download_stem}{extension_of(name)}"


class Evidence(UnitAudited, StoredFile):
    """Evidence for a case: a file or a link (at least one), with a label, who added it and
    when. The subclass declares its case key and `file` (blank allowed, for a link)."""

    download_prefix = "evidence"
    url = models.CharField(_("link"), max_length=500, blank=True)
    label = models.CharField(_("label"), max_length=300, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    added_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        abstract = True
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["added_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(file="") | ~models.Q(url=""),
                name="%(app_label)s_evidence_has_file_or_link",
            ),
        ]

    def __str__(self) -> str:
        return self.label or (self.download_name if self.file else self.url)  # type: ignore[attr-defined]


class Verified(models.Model):
    """A unit's own report checked by the level above. What the verifier found is kept next
    to what the unit reported (the subclass's own field), never over it, so the gap between
    the two stays visible (evaluations.gaps, insights.sources.self_assessment)."""

    verification_note = models.TextField(_("verification note"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)

    class Meta:
        abstract = True

    def is_verified(self) -> bool:
        return self.verified_at is not None

    def verify(
        self, *, by: User, note: str, now: datetime.datetime | None = None, **found: object
    ) -> None:
        """Record what was found (`found`: the verified field and its value) and who found it.
        Callers check permission and that it is done once, and attribute the audit entry."""
        for field, value in found.items():
            setattr(self, field, value)
        self.verification_note = note.strip()
        self.verified_by = by
        self.verified_at = now or timezone.now()
        self.save(update_fields=[*found, "verification_note", "verified_by", "verified_at"])


class SubmissionQuerySet(models.QuerySet["Submission"]):
    def expired(self) -> SubmissionQuerySet:
        return self.filter(created_at__lt=timezone.now() - SUBMISSION_KEPT)


# How long a submission's answer is replayed: a double click, a reload that re-posts, or an
# integrator's retry all come within minutes; a day leaves room for a kiosk coming back.
SUBMISSION_KEPT = datetime.timedelta(days=1)


class Submission(models.Model):
    """One POST sent with an idempotency key (a form's hidden field, or the API's
    `Idempotency-Key` header): a copy of it is answered with the first one's answer instead
    of running again (civility/core/idempotency.py). `principal` keeps keys of different
    people apart; the answer is kept only for successes (a redirect or a JSON result)."""

    principal = models.CharField(max_length=64)
    key = models.CharField(max_length=64)
    method_path = models.CharField(max_length=300)
    status = models.PositiveSmallIntegerField(null=True)  # None while the first is running
    location = models.CharField(max_length=2000, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(blank=True, default=b"")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["principal", "key"], name="submission_once_per_key"),
        ]

    def __str__(self) -> str:
        return f"{self.method_path} · {self.key}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class JobQuerySet(models.QuerySet["Job"]):
    def visible_to(self, user: User | AnonymousUser | None) -> JobQuerySet:
        """A job is its owner's: it may hold a file of officials or a list of verdicts that
        the owner was allowed to read when asking, which says nothing of anyone else."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(owner=user)

    def unfinished(self) -> JobQuerySet:
        return self.filter(status__in=(JobStatus.QUEUED, JobStatus.RUNNING))


class Job(models.Model):
    """Long work run by a background worker (civility.core.jobs), with its progress, for the
    page that polls it, and its outcome: a link, a file, or the reason it failed."""

    kind = models.CharField(_("kind"), max_length=64)
    title = models.CharField(_("title"), max_length=255)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    unit = models.ForeignKey(
        "orgs.OrgUnit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
    )
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=255, blank=True)
    result = models.JSONField(default=dict, blank=True)
    result_url = models.CharField(max_length=500, blank=True)
    result_file = models.FileField(upload_to=RandomName("jobs/%Y/%m/"), blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="job_owner_recent")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("jobs:job_detail", args=[self.pk])

    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, self.done * 100 // self.total)

    def get_additional_data(self) -> dict[str, str]:
        # A job may belong to no unit (UnitAudited's path would fail on it).
        return {"unit_path": self.unit.path if self.unit is not None else ""}
