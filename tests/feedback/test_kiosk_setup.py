"""Kiosk set-up: "Register a kiosk" from the counter list, the link shown once on a page
reached by redirect (a reload registers nothing and hides the secret), a QR code and a copy
button."""

from __future__ import annotations

import re

from civility.feedback.models import CounterDevice
from civility.orgs.models import UnitKind
from tests.factories import make_unit


def _register(client, point, name="Máy tính bảng cửa vào"):
    client.force_login(point.head)
    return client.post(f"/feedback/counters/{point.counter.pk}/kiosks/", {"name": name})


def test_the_counter_list_offers_register_a_kiosk_for_each_counter_a_manager_runs(client, point):
    client.force_login(point.head)
    page = client.get("/feedback/counters/").content.decode()

    assert f'href="/feedback/counters/{point.counter.pk}/kiosks/"' in page
    assert f'href="/feedback/counters/{point.counter2.pk}/kiosks/"' in page
    assert "1 working kiosk" in page  # counter 1 has the fixture's tablet
    assert client.get(f"/feedback/counters/{point.counter.pk}/kiosks/").status_code == 200


def test_an_official_sees_the_counters_but_no_register_button(client, point):
    client.force_login(point.clerk)
    page = client.get("/feedback/counters/")

    assert page.status_code == 200
    assert f'href="/feedback/counters/{point.counter.pk}/"' in page.content.decode()
    assert "/kiosks/" not in page.content.decode()
    assert client.get(f"/feedback/counters/{point.counter.pk}/kiosks/").status_code == 403


def test_the_counter_list_searches_by_name_and_stays_in_scope(client, point, cast):
    other_point = make_unit(
        "Điểm phục vụ Long Biên", parent=point.center, kind=UnitKind.SERVICE_POINT
    )
    make_unit("Quầy xa", parent=other_point, kind=UnitKind.COUNTER)
    client.force_login(point.head)

    page = client.get("/feedback/counters/", {"q": "quay so 2"}).content.decode()

    assert "Quầy số 2" in page and "Quầy số 1" not in page
    assert "Quầy xa" not in client.get("/feedback/counters/").content.decode()


def test_registering_redirects_to_a_page_that_shows_the_link_and_its_qr_code_once(client, point):
    response = _register(client, point)
    device = CounterDevice.objects.get(name="Máy tính bảng cửa vào")

    assert response.status_code == 302
    assert response["Location"] == f"/feedback/kiosks/{device.pk}/link/"
    assert "cvk_" not in response.content.decode()

    page = client.get(response["Location"])
    text = page.content.decode()
    secret = page.context["link"].split("#key=")[1]
    assert device.key_hash != secret and text.count(secret) == 1
    assert "no-store" in page["Cache-Control"]
    assert re.search(r'<svg[^>]*class="kiosk-qr"', text)
    assert 'data-copy="#kiosk-link"' in text

    again = client.get(response["Location"]).content.decode()
    assert secret not in again and "<svg" not in again
    assert 'id="link-already-shown"' in again
    assert CounterDevice.objects.filter(counter=point.counter).count() == 2  # fixture's + this


def test_posting_the_same_form_twice_registers_one_kiosk(client, point):
    client.force_login(point.head)
    data = {"name": "Máy 3", "_submission": "same-form-key-0001"}
    first = client.post(f"/feedback/counters/{point.counter.pk}/kiosks/", data)
    second = client.post(f"/feedback/counters/{point.counter.pk}/kiosks/", data)

    assert CounterDevice.objects.filter(name="Máy 3").count() == 1
    assert second["Location"] == first["Location"]
    client.get(first["Location"])  # the secret is taken out on the first visit
    assert "cvk_" not in client.get(second["Location"]).content.decode()


def test_the_link_page_of_another_wards_kiosk_is_404(client, point, cast):
    response = _register(client, point)
    client.force_login(cast.b.head)

    assert client.get(response["Location"]).status_code == 404


def test_the_secret_waits_only_in_the_session_of_who_registered(client, point, cast):
    response = _register(client, point)
    other = client.__class__()
    other.force_login(cast.admin)

    page = other.get(response["Location"]).content.decode()

    assert "cvk_" not in page and 'id="link-already-shown"' in page


def test_the_counter_list_costs_the_same_queries_for_sixty_counters(
    client, point, django_assert_max_num_queries
):
    for number in range(60):
        make_unit(f"Quầy phụ {number}", parent=point.point, kind=UnitKind.COUNTER)
    client.force_login(point.head)
    client.get("/feedback/counters/")  # the session's first page settles its unit

    with django_assert_max_num_queries(12):
        page = client.get("/feedback/counters/", {"page": 2})

    assert page.status_code == 200 and "Page 2 of 2" in page.content.decode()
