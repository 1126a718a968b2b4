"""The change log shows the events of every audited model, whatever its fields' types."""

from __future__ import annotations

import datetime
import decimal
import itertools
import uuid

import pytest
from auditlog.diff import model_instance_diff
from auditlog.registry import auditlog
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.urls import reverse
from django.utils.html import escape
from django.utils.text import capfirst

from civility.codes.models import ActivityKind, DisseminationActivity, TargetGroup
from civility.core.audit import acting_as
from civility.core.models import AuditEvent
from civility.core.views import AuditFilterForm
from civility.orgs.models import Official, OrgUnit

AUDITED = sorted(auditlog.get_models(), key=lambda model: model._meta.label)
AUDIT = reverse("core:audit_list")
HTMX = {"HTTP_HX_REQUEST": "true"}
JSON_SAMPLE = {"ghi chú": "Đã kiểm tra", "điểm": [1, 2]}


def sample_value(field: models.Field):
    """A value of the field's type; the first choices when it has choices."""
    if isinstance(field, ArrayField):
        base = field.base_field
        if base.choices:
            return [value for value, _label in base.flatchoices[:2]]
        return [sample_value(base), sample_value(base)]
    if field.choices:
        return field.flatchoices[0][0]
    samples = [
        (models.JSONField, JSON_SAMPLE),
        (models.BooleanField, True),
        (models.DecimalField, decimal.Decimal("1.5")),
        (models.FloatField, 1.5),
        (models.IntegerField, 3),
        (models.DateTimeField, datetime.datetime(2024, 5, 6, 8, 30, tzinfo=datetime.UTC)),
        (models.DateField, datetime.date(2024, 5, 6)),
        (models.TimeField, datetime.time(8, 30)),
        (models.DurationField, datetime.timedelta(minutes=5)),
        (models.UUIDField, uuid.UUID(int=1)),
        (models.FileField, "uploads/bien-ban.pdf"),
        (models.GenericIPAddressField, "192.0.2.1"),
        (models.BinaryField, b"x"),
        (models.CharField, "Mẫu"),
        (models.TextField, "Nội dung mẫu"),
    ]
    for field_type, value in samples:
        if isinstance(field, field_type):
            return value
    raise AssertionError(f"no sample value for {field!r}: add one for its type")


class Samples:
    """Unsaved instances of any model with every field set. Foreign keys point at the cast's
    rows where the cast has one of that model, else at unsaved rows, which the log shows as
    rows deleted since."""

    def __init__(self, cast):
        self.built: dict[type[models.Model], models.Model] = {
            get_user_model(): cast.admin,
            OrgUnit: cast.a.ward,
            Official: cast.a.official,
            ContentType: ContentType.objects.get_for_model(Official),
        }
        self.pks = itertools.count(900_001)

    def of(self, model: type[models.Model]) -> models.Model:
        if model not in self.built:
            instance = self.built[model] = model()
            for field in model._meta.concrete_fields:
                if field.is_relation:
                    setattr(instance, field.name, self.of(field.related_model))
                elif field.primary_key:
                    setattr(instance, field.attname, next(self.pks))
                else:
                    setattr(instance, field.attname, sample_value(field))
        return self.built[model]


@pytest.fixture
def events(cast):
    """One "created" event per audited model, with every field, as auditlog's own diff writes
    them; an m2m event per many-to-many field; and a dissemination activity recorded,
    changed and deleted through its real save."""
    samples = Samples(cast)
    for model in AUDITED:
        instance = samples.of(model)
        AuditEvent.objects.log_create(
            instance,
            action=AuditEvent.Action.CREATE,
            changes=model_instance_diff(None, instance),
            actor=cast.admin,
        )
        for field in model._meta.many_to_many:
            AuditEvent.objects.log_m2m_changes(
                field.related_model.objects.filter(pk=samples.of(field.related_model).pk),
                instance,
                "add",
                field.name,
                actor=cast.admin,
            )
    with acting_as(cast.admin):
        activity = DisseminationActivity.objects.create(
            unit=cast.a.ward,
            kind=ActivityKind.choices[0][0],
            target_groups=[TargetGroup.OFFICIALS],
            held_on=datetime.date(2024, 5, 6),
        )
        activity.target_groups = [TargetGroup.OFFICIALS, TargetGroup.STUDENTS]
        activity.save()
        activity.delete()


def record_type_cell(model: type[models.Model]) -> str:
    return f'<small class="muted">{escape(capfirst(model._meta.verbose_name))}</small>'


def test_every_page_of_the_log_shows_every_audited_model(client, cast, events):
    client.force_login(cast.admin)

    first = client.get(AUDIT)
    bodies = [first.content.decode()]
    for number in first.context["listing"].page.paginator.page_range[1:]:
        response = client.get(AUDIT, {"page": number})
        assert response.status_code == 200
        bodies.append(response.content.decode())

    assert first.status_code == 200
    missing = [model for model in AUDITED if not any(record_type_cell(model) in b for b in bodies)]
    assert missing == []


@pytest.mark.parametrize("model", AUDITED, ids=lambda model: model._meta.label)
def test_filtering_by_each_record_type_shows_its_events(client, cast, events, model):
    client.force_login(cast.admin)
    record_type = ContentType.objects.get_for_model(model).pk

    page = client.get(AUDIT, {"model": record_type})
    fragment = client.get(AUDIT, {"model": record_type, "actor": "admin"}, **HTMX)

    assert page.status_code == fragment.status_code == 200
    assert record_type_cell(model) in page.content.decode()
    assert record_type_cell(model) in fragment.content.decode()


@pytest.mark.parametrize("action", [value for value, _label in AuditFilterForm.ACTION_CHOICES])
def test_filtering_by_each_action_and_actor_renders(client, cast, events, action):
    client.force_login(cast.admin)

    for params in ({"action": action}, {"action": action, "actor": "admin"}):
        page = client.get(AUDIT, params)
        fragment = client.get(AUDIT, params, **HTMX)
        assert page.status_code == fragment.status_code == 200
        assert page.context["listing"].page.paginator.count > 0


def activity_changes(client) -> str:
    record_type = ContentType.objects.get_for_model(DisseminationActivity).pk
    response = client.get(AUDIT, {"model": record_type}, **HTMX)
    assert response.status_code == 200
    return response.content.decode()


def test_target_groups_show_as_their_labels_before_and_after(client, cast, events):
    client.force_login(cast.admin)

    body = activity_changes(client)

    assert "<del>Officials</del> → <ins>Officials, Pupils and students</ins>" in body
    assert "<del>Officials, Pupils and students</del> → <ins>—</ins>" in body
    assert "officials" not in body


def test_target_groups_show_in_the_readers_language(client, cast, events, settings):
    settings.LANGUAGE_CODE = "vi"
    client.force_login(cast.admin)

    body = activity_changes(client)

    assert "Cán bộ, công chức, viên chức, người lao động, Học sinh, sinh viên" in body


def test_many_to_many_change_names_the_rows_added(client, cast, events):
    client.force_login(cast.admin)
    record_type = ContentType.objects.get_for_model(OrgUnit).pk

    body = client.get(AUDIT, {"model": record_type}, **HTMX).content.decode()

    assert f"<ins>added: {escape(str(cast.a.ward))}</ins>" in body
    assert "<ins>operation</ins>" not in body


@pytest.mark.parametrize(
    "model",
    [
        model
        for model in AUDITED
        if any(isinstance(field, models.JSONField) for field in model._meta.concrete_fields)
    ],
    ids=lambda model: model._meta.label,
)
def test_json_field_shows_its_text_not_escapes(client, cast, events, model):
    client.force_login(cast.admin)
    record_type = ContentType.objects.get_for_model(model).pk

    body = client.get(AUDIT, {"model": record_type}, **HTMX).content.decode()

    assert "Đã kiểm tra" in body
    assert "\\u0110" not in body


def test_foreign_key_to_a_deleted_row_is_named_as_deleted(client, cast, events):
    client.force_login(cast.admin)

    body = activity_changes(client)

    assert "Deleted &#x27;" not in body
    assert "#900" in body and "(deleted)" in body


def test_event_of_a_model_that_no_longer_exists_shows_its_raw_values(client, cast):
    gone = ContentType.objects.create(app_label="retired", model="oldrecord")
    AuditEvent.objects.create(
        content_type=gone,
        object_pk="7",
        object_repr="Hồ sơ cũ",
        action=AuditEvent.Action.UPDATE,
        changes={"title": ["Cũ", "Mới"]},
    )
    client.force_login(cast.admin)

    body = client.get(AUDIT).content.decode()

    assert "<del>Cũ</del> → <ins>Mới</ins>" in body
