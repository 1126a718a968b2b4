"""The work reaches who must do it: a counter's staff answer its corrective actions with text
and photos; the heads of the ward a Service Center counter serves read its actions without
any right over them; a finding about an official opens a draft violation record."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from civility.conduct.models import RecordStatus, Source, ViolationRecord
from civility.core.models import AuditEvent
from civility.core.todo import items_for
from civility.inspections import actions
from civility.inspections.models import (
    ActionStatus,
    CorrectiveAction,
    FindingKind,
    InspectionKind,
)
from civility.orgs.models import UnitKind
from civility.orgs.scopes import Role
from tests.factories import jpeg_bytes, make_official, make_unit, make_user
from tests.inspections.conftest import TODAY


@pytest.fixture
def serving(cast, templates, inspector, time_machine):
    """Ward A's counter belongs to the city's Service Center (as in Hanoi since July 2025)
    and serves ward A; a second counter of the Service Center serves ward B."""
    time_machine.move_to(datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC))
    center = make_unit("Trung tâm Phục vụ hành chính công", parent=cast.city)
    point = make_unit(
        "Điểm phục vụ Tây Hồ", parent=center, kind=UnitKind.SERVICE_POINT, serves=cast.a.ward
    )
    counter = make_unit("Quầy số 1", parent=point, kind=UnitKind.COUNTER)
    other = make_unit("Quầy Long Biên", parent=center, kind=UnitKind.COUNTER, serves=cast.b.ward)
    staff = make_user("counter_staff", roles={Role.OFFICIAL: counter})
    other_staff = make_user("other_counter_staff", roles={Role.OFFICIAL: other})
    official = make_official("Trần Thị Bích", unit=counter, user=staff)
    inspection = actions.start_inspection_on_the_spot(
        actor=inspector,
        inspecting_unit=cast.city,
        template=templates.counter,
        unit=counter,
        kind=InspectionKind.SURPRISE,
    )
    finding = actions.record_finding(
        actor=inspector,
        inspection=inspection,
        criterion=inspection.template_version.criteria().get(ref="A6"),
        description="Chuông hỗ trợ không hoạt động.",
        recommendation="Sửa chuông hỗ trợ.",
        deadline=TODAY + datetime.timedelta(days=5),
    )
    return {
        "center": center,
        "counter": counter,
        "other": other,
        "staff": staff,
        "other_staff": other_staff,
        "official": official,
        "inspection": inspection,
        "action": finding.actions.get(),
    }


def photo(name="bell.jpg"):
    return SimpleUploadedFile(name, jpeg_bytes(), content_type="image/jpeg")


# --- actions, without HTTP -------------------------------------------------------------------


def test_the_counter_official_answers_with_text_and_a_photo(serving):
    action = actions.respond_to_action(
        actor=serving["staff"],
        action=serving["action"],
        response="Đã thay chuông mới.",
        photos=[photo()],
    )
    assert action.status == ActionStatus.RESPONDED and action.responded_by == serving["staff"]
    [evidence] = action.evidence.all()
    assert evidence.is_photo and evidence.uploaded_by == serving["staff"]


def test_the_counter_official_who_answered_cannot_verify(serving):
    actions.respond_to_action(actor=serving["staff"], action=serving["action"], response="Đã sửa.")
    assert not actions.can_verify(serving["staff"], serving["action"])
    with pytest.raises(PermissionDenied):
        actions.verify_action(actor=serving["staff"], action=serving["action"], accept=True)


def test_another_counters_official_cannot_answer(serving):
    with pytest.raises(PermissionDenied):
        actions.respond_to_action(
            actor=serving["other_staff"], action=serving["action"], response="Đã sửa."
        )


def test_the_ward_head_cannot_answer_for_a_serving_counter(cast, serving):
    with pytest.raises(PermissionDenied):
        actions.respond_to_action(actor=cast.a.head, action=serving["action"], response="x")


def test_the_action_is_on_the_counter_officials_to_do(serving):
    titles = [item.title for item in items_for(serving["staff"], today=TODAY)]
    assert any("Answer the corrective action" in title for title in titles)


def test_a_finding_about_an_official_opens_a_draft_record_for_their_unit(cast, serving, inspector):
    finding = actions.record_finding(
        actor=inspector,
        inspection=serving["inspection"],
        kind=FindingKind.VIOLATION,
        description="Cán bộ sử dụng điện thoại riêng khi tiếp công dân.",
        official=serving["official"],
    )
    record = ViolationRecord.objects.get(finding=finding)
    assert record.status == RecordStatus.DRAFT and record.unit == serving["counter"]
    assert record.official == serving["official"] and record.confidential
    assert record.source == Source.SURPRISE_CHECK
    assert AuditEvent.objects.filter(
        content_type__model="violationrecord", object_id=record.pk, actor=inspector
    ).exists()
    # A finding about the unit as a whole opens no record.
    assert ViolationRecord.objects.count() == 1


def test_the_draft_is_on_the_to_do_of_the_handlers_of_the_officials_unit(cast, serving, inspector):
    head = make_user("center_head", roles={Role.UNIT_HEAD: serving["center"]})
    actions.record_finding(
        actor=inspector,
        inspection=serving["inspection"],
        kind=FindingKind.VIOLATION,
        description="Thái độ thiếu tôn trọng.",
        official=serving["official"],
    )
    assert any("draft violation record" in item.title for item in items_for(head, today=TODAY))
    # The official concerned and the ward head do not handle it.
    for user in (serving["staff"], cast.a.head):
        assert not any("violation record" in item.title for item in items_for(user, today=TODAY))


# --- pages -----------------------------------------------------------------------------------


def test_a_counter_official_cannot_see_another_counters_action(client, serving):
    client.force_login(serving["other_staff"])
    assert client.get(f"/inspections/actions/{serving['action'].pk}/").status_code == 404
    listing = client.get("/inspections/actions/")
    assert serving["action"].description not in listing.content.decode()


def test_the_counter_official_responds_through_the_page(client, serving):
    client.force_login(serving["staff"])
    page = client.get(f"/inspections/actions/{serving['action'].pk}/")
    assert 'id="respond-title"' in page.content.decode()
    response = client.post(
        f"/inspections/actions/{serving['action'].pk}/",
        {"respond-response": "Đã thay chuông mới.", "respond-photos": photo()},
    )
    assert response.status_code == 302
    serving["action"].refresh_from_db()
    assert serving["action"].status == ActionStatus.RESPONDED


def test_the_ward_head_reads_the_serving_counters_action_audited_but_cannot_write(
    client, cast, serving
):
    client.force_login(cast.a.head)
    url = f"/inspections/actions/{serving['action'].pk}/"
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert 'id="respond-title"' not in body and 'id="verify-title"' not in body
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.ACCESS,
        content_type__model="correctiveaction",
        object_id=serving["action"].pk,
        actor=cast.a.head,
    ).exists()
    assert client.post(url, {"respond-response": "x"}).status_code == 403
    assert client.post(url, {"verify-decision": "close", "verify-note": ""}).status_code == 403
    serving["action"].refresh_from_db()
    assert serving["action"].status == ActionStatus.OPEN
    listing = client.get(f"/inspections/actions/?unit={serving['counter'].pk}")
    assert serving["action"].description in listing.content.decode()


def test_the_ward_head_reads_the_serving_counters_calls_but_not_another_wards(
    client, cast, serving
):
    client.force_login(cast.a.head)
    page = client.get(f"/feedback/counters/{serving['counter'].pk}/")
    assert page.status_code == 200 and 'id="serving-only"' in page.content.decode()
    assert "device_create" not in page.content.decode()
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.ACCESS,
        content_type__model="orgunit",
        object_id=serving["counter"].pk,
        actor=cast.a.head,
    ).exists()
    assert client.get(f"/feedback/counters/{serving['other'].pk}/").status_code == 404
    assert client.get(f"/inspections/actions/{serving['action'].pk}/").status_code == 200
    client.force_login(cast.b.head)
    assert client.get(f"/inspections/actions/{serving['action'].pk}/").status_code == 404


def test_an_officials_name_in_a_finding_is_hidden_from_colleagues(client, serving, inspector):
    colleague = make_user("colleague", roles={Role.OFFICIAL: serving["counter"]})
    actions.record_finding(
        actor=inspector,
        inspection=serving["inspection"],
        kind=FindingKind.VIOLATION,
        description="Đến muộn.",
        official=serving["official"],
    )
    url = serving["inspection"].get_absolute_url()
    client.force_login(colleague)
    body = client.get(url).content.decode()
    assert "Trần Thị Bích" not in body and "the name is confidential" in body
    client.force_login(inspector)
    assert "Trần Thị Bích" in client.get(url).content.decode()


# --- who reads which actions, as the lists ask the database -------------------------------


def test_an_action_reached_several_ways_is_listed_once(client, cast, serving, inspector):
    """The city's inspector reaches it through the inspecting unit, the inspected unit's
    subtree and, here, a seat on the delegation; it is one row, counted once."""
    serving["inspection"].team.add(inspector)
    readable = CorrectiveAction.objects.readable_by(inspector)
    assert list(readable.values_list("pk", flat=True)) == [serving["action"].pk]
    client.force_login(inspector)
    listing = client.get("/inspections/actions/?show=all")
    assert listing.content.decode().count(f"/inspections/actions/{serving['action'].pk}/") == 1


def test_each_side_reads_the_actions_it_reaches_and_no_other(cast, serving):
    """The counter's staff and the serving ward's head read the action; the other counter's
    staff and the other ward's head do not."""
    action = serving["action"]
    reads = {
        who: CorrectiveAction.objects.readable_by(user).filter(pk=action.pk).exists()
        for who, user in {
            "counter staff": serving["staff"],
            "ward A head": cast.a.head,
            "other counter staff": serving["other_staff"],
            "ward B head": cast.b.head,
        }.items()
    }
    assert reads == {
        "counter staff": True,
        "ward A head": True,
        "other counter staff": False,
        "ward B head": False,
    }
    assert not CorrectiveAction.objects.visible_to(cast.a.head).filter(pk=action.pk).exists()


def test_the_text_filter_finds_an_action_typed_without_diacritics(client, cast, serving):
    client.force_login(serving["staff"])
    listing = client.get("/inspections/actions/?show=all&q=chuong ho tro")
    assert serving["action"].description in listing.content.decode()
    listing = client.get("/inspections/actions/?show=all&q=khong co chu nay")
    assert serving["action"].description not in listing.content.decode()
