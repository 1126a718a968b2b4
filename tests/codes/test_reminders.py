"""The reminder job: in-app reminders and e-mails before a campaign's deadline."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from procrastinate.contrib.django import app

from civility.codes.actions import send_commitment_reminders, sign_commitment, start_campaign
from civility.codes.models import Reminder
from tests.factories import make_official

TODAY = datetime.date(2026, 3, 2)


@pytest.fixture
def campaign(cast, codes, time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC))
    cast.a.official.email = "a@example.vn"
    cast.a.official.save()
    make_official("Lê Văn Email", unit=cast.a.department, email="le@example.vn")  # no account
    make_official("Phạm Không Liên Lạc", unit=cast.a.department)  # no account, no address
    return start_campaign(
        actor=cast.a.coordinator,
        version=codes.officials.published_version(),
        unit=cast.a.ward,
        deadline=TODAY + datetime.timedelta(days=7),
    )


def test_reminders_go_to_everyone_who_has_not_signed_a_week_before(cast, campaign):
    sent = send_commitment_reminders(today=TODAY)
    assert sent == 2
    reminded = set(Reminder.objects.values_list("official__full_name", flat=True))
    assert reminded == {"Nguyễn Văn A", "Lê Văn Email"}
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.vn", "le@example.vn"]
    assert "/codes/commitments/" in mail.outbox[0].body


def test_signed_officials_are_not_reminded(cast, campaign):
    sign_commitment(actor=cast.a.official_user, campaign=campaign)
    send_commitment_reminders(today=TODAY)
    assert not Reminder.objects.filter(official=cast.a.official).exists()
    assert [m.to for m in mail.outbox] == [["le@example.vn"]]


def test_running_the_job_twice_a_day_sends_once(campaign):
    send_commitment_reminders(today=TODAY)
    assert send_commitment_reminders(today=TODAY) == 0
    assert Reminder.objects.count() == 2 and len(mail.outbox) == 2


def test_no_reminder_on_days_that_are_not_reminder_days(campaign):
    assert send_commitment_reminders(today=TODAY + datetime.timedelta(days=1)) == 0
    assert send_commitment_reminders(today=TODAY + datetime.timedelta(days=4)) == 2  # 3 days left


def test_no_reminder_for_closed_or_past_campaigns(cast, campaign):
    campaign.closed_at = campaign.started_at
    campaign.save()
    assert send_commitment_reminders(today=TODAY) == 0


def test_reminder_shows_on_the_officials_page_until_they_sign(client, cast, campaign):
    send_commitment_reminders(today=TODAY)
    client.force_login(cast.a.official_user)
    page = client.get("/codes/commitments/").content.decode()
    assert 'id="reminders"' in page
    client.post(f"/codes/campaigns/{campaign.pk}/sign/", {"confirm": "on"})
    assert 'id="reminders"' not in client.get("/codes/commitments/").content.decode()


def test_daily_reminder_task_is_registered_as_periodic():
    task = app.tasks["codes.send_commitment_reminders"]
    assert task.queue == "reminders"
    periodic = [
        p
        for p in app.periodic_registry.periodic_tasks.values()
        if p.task.name == "codes.send_commitment_reminders"
    ]
    assert periodic and periodic[0].cron == "0 7 * * *"


def test_the_task_calls_the_action_for_the_day_of_its_timestamp(campaign):
    from civility.codes.tasks import send_commitment_reminders_daily

    timestamp = int(datetime.datetime(2026, 3, 2, 0, 30, tzinfo=datetime.UTC).timestamp())
    assert send_commitment_reminders_daily(timestamp) == 2
