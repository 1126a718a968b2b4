"""Settings the law leaves open: the nearest unit's choice in force wins, the default is
shown as Civility's and 'to be confirmed', only coordinators record choices, and every
choice is audited."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from civility.core.models import AuditEvent
from civility.orgs.actions import set_policy
from civility.orgs.models import UnitPolicy
from civility.orgs.policies import PolicySpec, declare, policy

QUOTA = declare(
    PolicySpec(
        key="test.quota_percent",
        label="Test quota",
        help_text="A share used only by these tests.",
        default=30,
        default_source="Decision 3814-QĐ/TU",
        minimum=0,
        maximum=100,
        unit="%",
    )
)
ROUNDING = declare(
    PolicySpec(
        key="test.rounding",
        label="Test rounding",
        help_text="A choice with no source in the law.",
        default="down",
        choices=(("down", "Round down"), ("nearest", "Round to nearest")),
    )
)
JAN_1 = datetime.date(2026, 1, 1)


def test_the_default_applies_with_its_source_when_no_unit_chose(cast):
    value = policy(QUOTA.key, unit=cast.a.department, on=JAN_1)

    assert value.value == 30
    assert value.set_by is None
    assert not value.to_be_confirmed
    assert "Decision 3814-QĐ/TU" in value.explain()


def test_a_default_without_a_source_is_to_be_confirmed(cast):
    value = policy(ROUNDING.key, unit=cast.a.ward, on=JAN_1)

    assert value.to_be_confirmed
    assert "to be confirmed" in value.explain()
    assert "Civility's default" in value.explain()


def test_the_nearest_units_choice_in_force_that_day_wins(cast):
    set_policy(actor=cast.admin, unit=cast.city, key=QUOTA.key, value=35, valid_from=JAN_1)
    set_policy(
        actor=cast.admin,
        unit=cast.a.ward,
        key=QUOTA.key,
        value="40",
        valid_from=datetime.date(2026, 6, 1),
        source="Quyết định 12/QĐ-UBND, Điều 2",
    )

    assert policy(QUOTA.key, unit=cast.a.department, on=datetime.date(2026, 5, 31)).value == 35
    in_june = policy(QUOTA.key, unit=cast.a.department, on=datetime.date(2026, 6, 1))
    assert (in_june.value, in_june.set_by, in_june.source) == (
        40,
        cast.a.ward,
        "Quyết định 12/QĐ-UBND, Điều 2",
    )
    assert policy(QUOTA.key, unit=cast.b.department, on=datetime.date(2026, 6, 1)).value == 35
    assert policy(QUOTA.key, unit=cast.city, on=datetime.date(2025, 12, 31)).value == 30


def test_a_choice_without_a_ground_is_to_be_confirmed(cast):
    set_policy(
        actor=cast.city_coordinator, unit=cast.city, key=QUOTA.key, value=25, valid_from=JAN_1
    )

    value = policy(QUOTA.key, unit=cast.a.ward, on=JAN_1)

    assert value.to_be_confirmed
    assert "Thành phố Hà Nội" in value.explain()


def test_only_coordinators_and_administrators_of_the_unit_record_choices(cast):
    with pytest.raises(PermissionDenied):
        set_policy(actor=cast.a.head, unit=cast.a.ward, key=QUOTA.key, value=40, valid_from=JAN_1)
    with pytest.raises(PermissionDenied):
        set_policy(
            actor=cast.b.coordinator, unit=cast.a.ward, key=QUOTA.key, value=40, valid_from=JAN_1
        )

    set_policy(
        actor=cast.a.coordinator, unit=cast.a.ward, key=QUOTA.key, value=40, valid_from=JAN_1
    )

    assert UnitPolicy.objects.get().value == 40


def test_a_value_out_of_range_names_the_setting_and_changes_nothing(cast):
    with pytest.raises(ValidationError) as error:
        set_policy(actor=cast.admin, unit=cast.city, key=QUOTA.key, value=140, valid_from=JAN_1)

    assert "Test quota must be between 0 and 100." in error.value.message_dict["value"]
    assert not UnitPolicy.objects.exists()


def test_the_settings_page_shows_values_and_records_a_choice_with_an_audit_event(client, cast):
    client.force_login(cast.a.coordinator)
    url = reverse("orgs:unit_policies", args=[cast.a.ward.pk])

    page = client.get(url).content.decode()
    assert "Test rounding" in page and "to be confirmed" in page

    response = client.post(
        url,
        {"key": ROUNDING.key, "value": "nearest", "valid_from": "2026-01-01", "source": ""},
    )

    assert response.status_code == 302
    record = UnitPolicy.objects.get(key=ROUNDING.key)
    assert (record.value, record.recorded_by) == ("nearest", cast.a.coordinator)
    assert AuditEvent.objects.get_for_object(record).get().actor == cast.a.coordinator
    assert "Round to nearest" in client.get(url).content.decode()


def test_the_settings_page_refuses_a_bad_value_on_the_form(client, cast):
    client.force_login(cast.a.coordinator)
    url = reverse("orgs:unit_policies", args=[cast.a.ward.pk])

    response = client.post(url, {"key": ROUNDING.key, "value": "up", "valid_from": "2026-01-01"})

    assert response.status_code == 200
    assert "Choose one of the listed values for Test rounding." in response.content.decode()
    assert not UnitPolicy.objects.exists()


def test_unit_heads_read_the_settings_but_cannot_record(client, cast):
    client.force_login(cast.a.head)
    url = reverse("orgs:unit_policies", args=[cast.a.ward.pk])

    assert "Record a choice" not in client.get(url).content.decode()
    response = client.post(url, {"key": QUOTA.key, "value": "40", "valid_from": "2026-01-01"})
    assert response.status_code == 403
    assert client.get(reverse("orgs:unit_policies", args=[cast.b.ward.pk])).status_code == 404


def test_an_on_off_setting_takes_yes_or_no_in_either_language_and_nothing_else(cast):
    flag = declare(PolicySpec(key="test.flag", label="Test flag", help_text="", default=False))

    assert flag.clean("có") is True and flag.clean("Không") is False and flag.clean("yes")
    with pytest.raises(ValidationError, match="Test flag takes yes or no."):
        flag.clean("maybe")


def test_the_settings_page_lists_the_values_each_setting_takes(client, cast):
    client.force_login(cast.a.coordinator)

    page = client.get(reverse("orgs:unit_policies", args=[cast.a.ward.pk])).content.decode()

    assert "<code>nearest</code> (Round to nearest)" in page
