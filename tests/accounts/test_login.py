from axes.models import AccessFailureLog, AccessLog
from django.conf import settings
from django.urls import reverse

from tests.factories import PASSWORD

LOGIN = reverse("accounts:login")


def _sign_in(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def test_login_page_has_labelled_fields(client, db):
    response = client.get(LOGIN)

    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="id_username"' in html
    assert '<label for="id_password"' in html


def test_correct_password_signs_in_and_goes_home(client, cast):
    response = _sign_in(client, "head_a", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse(settings.LOGIN_REDIRECT_URL)
    assert client.session["_auth_user_id"] == str(cast.a.head.pk)


def test_wrong_password_shows_an_error_and_does_not_sign_in(client, cast):
    response = _sign_in(client, "head_a", "not-the-password")

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert 'role="alert"' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_account_is_locked_after_the_failure_limit(client, cast):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "head_a", "wrong-password-1!")

    response = _sign_in(client, "head_a", "wrong-password-1!")

    assert response.status_code == settings.AXES_HTTP_RESPONSE_CODE
    assert "accounts/locked_out.html" in [t.name for t in response.templates]
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    assert response.context["minutes"] == minutes
    assert f" {minutes} " in response.content.decode()


def test_correct_password_is_refused_while_locked(client, cast):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "head_a", "wrong-password-1!")

    response = _sign_in(client, "head_a", PASSWORD)

    assert response.status_code == settings.AXES_HTTP_RESPONSE_CODE
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_user_name_so_others_can_still_sign_in(client, cast):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "head_a", "wrong-password-1!")

    response = _sign_in(client, "head_b", PASSWORD)

    assert response.status_code == 302


def test_failures_below_the_limit_do_not_lock(client, cast):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(client, "head_a", "wrong-password-1!")

    response = _sign_in(client, "head_a", PASSWORD)

    assert response.status_code == 302


def test_logins_and_failed_logins_are_recorded(client, cast):
    _sign_in(client, "head_a", "wrong-password-1!")
    _sign_in(client, "head_a", PASSWORD)

    assert AccessLog.objects.filter(username="head_a").count() == 1
    assert AccessFailureLog.objects.filter(username="head_a").count() == 1


def test_logout_needs_post_and_ends_the_session(client, cast):
    client.force_login(cast.a.head)

    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_session_expires_after_idle_time(client, cast):
    client.force_login(cast.a.head)

    response = client.get(reverse("accounts:account"))

    assert response.status_code == 200
    assert response.wsgi_request.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600
    assert settings.SESSION_SAVE_EVERY_REQUEST  # idle: each request restarts the clock
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == settings.SESSION_COOKIE_AGE
