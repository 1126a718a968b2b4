"""acting_as names the actor of the events written inside it, and nests inside a request."""

from auditlog.context import set_actor
from django.db.models.signals import pre_save

from civility.core.audit import acting_as
from civility.core.models import AuditEvent
from tests.factories import make_unit


def receivers() -> int:
    return len(pre_save._live_receivers(AuditEvent)[0])


def test_events_inside_acting_as_name_the_actor(cast):
    with acting_as(cast.a.coordinator):
        unit = make_unit("Phòng Văn hóa", parent=cast.a.ward)

    event = AuditEvent.objects.get_for_object(unit).get()
    assert event.actor == cast.a.coordinator


def test_nested_acting_as_leaves_no_signal_receiver_behind(cast):
    before = receivers()

    with set_actor(cast.a.head):  # what the middleware does for a request
        with acting_as(cast.a.coordinator):
            inner = make_unit("Inner", parent=cast.a.ward)
        outer = make_unit("Outer", parent=cast.a.ward)

    assert receivers() == before
    assert AuditEvent.objects.get_for_object(inner).get().actor == cast.a.coordinator
    assert AuditEvent.objects.get_for_object(outer).get().actor == cast.a.head
