from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import make_user


def test_staff_who_is_not_a_superuser_cannot_open_the_admin(client, cast):
    staff = make_user("clerk")
    staff.is_staff = True
    staff.save()
    client.force_login(staff)

    response = client.get("/admin/", follow=True)

    assert response.status_code == 403
    assert "accounts/admin_refused.html" in [t.name for t in response.templates]


def test_coordinator_cannot_open_the_admin_even_with_staff_flag(client, cast):
    cast.city_coordinator.is_staff = True
    cast.city_coordinator.save()
    client.force_login(cast.city_coordinator)

    assert client.get(reverse("admin:orgs_orgunit_changelist")).status_code == 302
    assert client.get(reverse("admin:login")).status_code == 403


def test_anonymous_visitor_is_sent_to_the_site_login(client, db):
    response = client.get("/admin/", follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("accounts:login"))


def test_superuser_opens_the_admin_and_the_org_pages(client, cast):
    client.force_login(cast.admin)

    assert client.get("/admin/").status_code == 200
    assert client.get(reverse("admin:orgs_orgunit_changelist")).status_code == 200
    assert client.get(reverse("admin:orgs_roleassignment_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_apitoken_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_profile_changelist")).status_code == 200


def test_superuser_with_a_device_needs_the_code_for_the_admin(client, cast):
    device = TOTPDevice.objects.create(user=cast.admin, name="phone", confirmed=True)
    client.force_login(cast.admin)

    assert client.get("/admin/").status_code == 302
    token = f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"
    client.post(reverse("accounts:verify"), {"token": token})

    assert client.get("/admin/").status_code == 200
