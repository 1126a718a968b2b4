"""Scheduled reports e-mailed to subscribers: subscribing on the page, the daily job sending
each due period once (attached, or as a signed link when large), scope checked at send time."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from procrastinate.contrib.django import app

from civility.insights import actions
from civility.insights.models import Delivery, JobStatus, ReportJob, Subscription
from civility.orgs.models import RoleAssignment
from tests.insights.conftest import counter, rate

TODAY = datetime.date(2026, 4, 10)


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(9), datetime.UTC))


@pytest.fixture
def head(cast):
    cast.a.head.email = "truong.phuong@example.vn"
    cast.a.head.save()
    rate(counter(cast.a.ward), datetime.date(2026, 3, 3), satisfied=8, dissatisfied=2)
    return cast.a.head


def subscribe(user, unit, *, kind="month", format="docx", on=datetime.date(2026, 3, 15)):
    with at(on):
        return actions.subscribe(actor=user, unit=unit, kind=kind, format=format)


def test_a_unit_head_subscribes_and_unsubscribes_on_the_page(client, cast, head):
    client.force_login(head)
    page = client.get(f"/insights/subscriptions/?unit={cast.a.ward.pk}")
    assert page.status_code == 200 and 'id="subscribe"' in page.content.decode()

    response = client.post(
        "/insights/subscriptions/", {"unit": cast.a.ward.pk, "kind": "half", "format": "xlsx"}
    )

    assert response.status_code == 302
    subscription = Subscription.objects.get(user=head)
    assert (subscription.unit, subscription.kind, subscription.format) == (
        cast.a.ward,
        "half",
        "xlsx",
    )
    html = client.get("/insights/subscriptions/").content.decode()
    assert "Six-month report" in html and "Phường Tây Hồ" in html
    client.post(f"/insights/subscriptions/{subscription.pk}/stop/")
    subscription.refresh_from_db()
    assert not subscription.is_active


def test_subscribing_to_a_sibling_communes_reports_is_out_of_reach(client, cast, head):
    client.force_login(head)
    response = client.post(
        "/insights/subscriptions/", {"unit": cast.b.ward.pk, "kind": "half", "format": "docx"}
    )
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        subscribe(head, cast.b.ward)
    assert not Subscription.objects.exists()


def test_someone_elses_subscription_cannot_be_stopped(client, cast, head):
    subscription = subscribe(head, cast.a.ward)
    client.force_login(cast.city_coordinator)
    assert client.post(f"/insights/subscriptions/{subscription.pk}/stop/").status_code == 404


def test_bad_input_names_the_problem(client, cast, head):
    client.force_login(cast.a.coordinator)  # no e-mail address
    response = client.post(
        "/insights/subscriptions/", {"unit": cast.a.ward.pk, "kind": "half", "format": "docx"}
    )
    assert "Your account has no e-mail address" in response.content.decode()
    client.force_login(head)
    response = client.post(
        "/insights/subscriptions/", {"unit": cast.a.ward.pk, "kind": "weekly", "format": "docx"}
    )
    assert response.status_code == 200
    assert "Select a valid choice. weekly is not one of the available choices." in (
        response.content.decode()
    )


def test_the_due_report_is_emailed_once_with_the_file_attached(cast, head, mailoutbox):
    subscribe(head, cast.a.ward)

    with at(TODAY):
        assert actions.send_due_reports(today=TODAY) == 1
        assert actions.send_due_reports(today=TODAY) == 0  # the same period: not again

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["truong.phuong@example.vn"]
    assert mail.subject == "Monthly figures: Phường Tây Hồ, 03/2026"
    name, content, mimetype = mail.attachments[0]
    assert name == f"bao-cao-{cast.a.ward.pk}-2026-03.docx" and content[:2] == b"PK"
    assert "wordprocessingml" in mimetype
    delivery = Delivery.objects.get()
    assert delivery.period_start == datetime.date(2026, 3, 1) and delivery.attached
    assert delivery.job.status == JobStatus.DONE and delivery.job.requested_by == head


def test_the_next_period_is_sent_when_it_ends(cast, head, mailoutbox):
    subscribe(head, cast.a.ward)
    with at(TODAY):
        actions.send_due_reports(today=TODAY)
    may = datetime.date(2026, 5, 1)
    with at(may):
        assert actions.send_due_reports(today=may) == 1
    assert [m.subject[-7:] for m in mailoutbox] == ["03/2026", "04/2026"]


def test_a_period_that_ended_before_subscribing_is_not_sent(cast, head, mailoutbox):
    subscribe(head, cast.a.ward, kind="half", on=datetime.date(2026, 4, 5))

    with at(TODAY):
        assert actions.send_due_reports(today=TODAY) == 0  # the second half of 2025

    assert mailoutbox == [] and not ReportJob.objects.exists()


def test_a_user_who_lost_the_role_gets_nothing(cast, head, mailoutbox):
    subscribe(head, cast.a.ward)
    RoleAssignment.objects.filter(user=head).delete()

    with at(TODAY):
        assert actions.send_due_reports(today=TODAY) == 0

    assert mailoutbox == [] and not Delivery.objects.exists()
    assert not ReportJob.objects.exists()


def test_a_stopped_subscription_gets_nothing(cast, head, mailoutbox):
    subscription = subscribe(head, cast.a.ward)
    actions.unsubscribe(actor=head, subscription=subscription)
    with at(TODAY):
        assert actions.send_due_reports(today=TODAY) == 0
    assert mailoutbox == []


def test_a_large_report_is_sent_as_a_signed_link_that_checks_the_role(
    client, cast, head, mailoutbox, settings
):
    settings.INSIGHTS_ATTACHMENT_MAX_BYTES = 100
    settings.SITE_URL = "https://civility.example.vn"
    subscribe(head, cast.a.ward, format="xlsx")
    with at(TODAY):
        actions.send_due_reports(today=TODAY)

    mail = mailoutbox[0]
    assert mail.attachments == []
    link = next(word for word in mail.body.split() if word.startswith(settings.SITE_URL))
    path = link.removeprefix(settings.SITE_URL)
    with at(TODAY):
        response = client.get(path)  # no login: the signature is the key
        assert response.status_code == 200
        assert b"".join(response.streaming_content)[:2] == b"PK"
        assert response["Content-Disposition"].endswith('2026-03.xlsx"')
        assert client.get(path[:-3] + "xyz/").status_code == 404  # tampered
    with at(TODAY + datetime.timedelta(days=31)):
        assert client.get(path).status_code == 404  # expired
    RoleAssignment.objects.filter(user=head).delete()
    with at(TODAY):
        assert client.get(path).status_code == 404  # the role is gone


def test_the_daily_task_is_periodic_and_sends_for_the_day_of_its_timestamp(cast, head, mailoutbox):
    from civility.insights.tasks import send_subscribed_reports

    periodic = [
        p
        for p in app.periodic_registry.periodic_tasks.values()
        if p.task.name == "insights.send_subscribed_reports"
    ]
    assert periodic and periodic[0].cron == "15 6 * * *"
    subscribe(head, cast.a.ward)
    with at(TODAY):
        send_subscribed_reports(
            int(datetime.datetime(2026, 4, 10, 0, 30, tzinfo=datetime.UTC).timestamp())
        )
    assert len(mailoutbox) == 1
