"""Guessable passwords (issue 20, item 10: `Password12345!` was accepted): Django's common-
password, user-attribute-similarity, minimum-length (12) and numeric validators are on, a
common word dressed with digits and symbols counts as common, and every place that sets a
password goes through them."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from civility.orgs.demo import generate_password, load_demo_data
from tests.factories import PASSWORD

WEAK = "Password12345!"


def test_the_validators_django_recommends_are_all_on():
    names = [validator["NAME"].rsplit(".", 1)[1] for validator in settings.AUTH_PASSWORD_VALIDATORS]
    assert {
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    } <= set(names)
    minimum = next(v for v in settings.AUTH_PASSWORD_VALIDATORS if "MinimumLength" in v["NAME"])
    assert minimum["OPTIONS"]["min_length"] == 12


@pytest.mark.parametrize("weak", [WEAK, "Qwerty123456!", "!!Dragon2024##", "password1234"])
def test_a_common_password_dressed_with_digits_and_symbols_is_refused(weak):
    with pytest.raises(ValidationError) as error:
        validate_password(weak)

    assert "password_too_common" in [item.code for item in error.value.error_list]


def test_a_password_like_the_user_name_is_refused(cast):
    with pytest.raises(ValidationError) as error:
        validate_password("coordinator_a-2025!", cast.a.coordinator)

    assert "password_too_similar" in [item.code for item in error.value.error_list]


def test_the_password_change_page_refuses_it(client, cast):
    client.force_login(cast.a.head)

    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": WEAK, "new_password2": WEAK},
    )

    assert response.status_code == 200
    assert "too common" in response.content.decode()
    cast.a.head.refresh_from_db()
    assert cast.a.head.check_password(PASSWORD)


def test_the_admin_s_set_password_form_refuses_it(client, cast):
    client.force_login(cast.admin)

    response = client.post(
        f"/admin/auth/user/{cast.a.head.pk}/password/",
        {"password1": WEAK, "password2": WEAK, "usable_password": "true"},
    )

    assert response.status_code == 200
    assert "too common" in response.content.decode()
    cast.a.head.refresh_from_db()
    assert cast.a.head.check_password(PASSWORD)


def test_the_demo_loader_refuses_it_and_its_own_passwords_pass(db):
    with pytest.raises(ValidationError):
        load_demo_data(password=WEAK)

    for _attempt in range(20):
        validate_password(generate_password())
