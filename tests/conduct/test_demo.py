"""The conduct demo: its records are filed and decided by load_demo_data's coordinator."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from civility.conduct.models import ViolationRecord
from civility.orgs.scopes import Role
from tests.factories import make_official, make_user


@pytest.fixture
def counter_official(cast):
    """The demo's counter official (staff code TH-10), in ward a."""
    return make_official("Trần Thị Quầy", unit=cast.a.department, staff_code="TH-10")


def test_demo_files_its_records_as_the_demo_coordinator(cast, counter_official):
    coordinator = make_user("demo_coordinator", roles={Role.COORDINATOR: cast.city})
    call_command("load_conduct_demo")
    records = ViolationRecord.objects.filter(official=counter_official)
    assert records.exists()
    assert set(records.values_list("reported_by", flat=True)) == {coordinator.pk}


def test_demo_without_the_demo_coordinator_says_what_to_run_and_files_nothing(
    cast, counter_official
):
    with pytest.raises(CommandError, match="demo_coordinator"):
        call_command("load_conduct_demo")
    assert not ViolationRecord.objects.exists()
