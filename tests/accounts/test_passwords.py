import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import PASSWORD

CHANGE = reverse("accounts:password_change")


@pytest.mark.parametrize(
    ("weak", "code"),
    [
        ("Sh0rt!pw", "password_too_short"),
        ("password1234", "password_too_common"),
        ("123456789012345", "password_entirely_numeric"),
        ("longlettersonlypassword", "password_character_classes"),
    ],
)
def test_weak_passwords_are_rejected_with_a_reason(weak, code):
    with pytest.raises(ValidationError) as error:
        validate_password(weak)

    assert code in [item.code for item in error.value.error_list]
    assert all(error.value.messages)


def test_strong_password_passes():
    validate_password("Bánh-mì-và-cà-phê-2025")


def test_password_change_refuses_a_weak_password_and_says_why(client, cast):
    client.force_login(cast.a.head)

    response = client.post(
        CHANGE,
        {"old_password": PASSWORD, "new_password1": "abc", "new_password2": "abc"},
    )

    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()["new_password2"]
    assert "password_too_short" in [error.code for error in errors]
    assert "new_password2" in response.content.decode()  # shown beside the field
    cast.a.head.refresh_from_db()
    assert cast.a.head.check_password(PASSWORD)


def test_password_change_needs_the_old_password(client, cast):
    client.force_login(cast.a.head)
    new = "Trà-đá-vỉa-hè-77!"

    response = client.post(
        CHANGE, {"old_password": "wrong", "new_password1": new, "new_password2": new}
    )

    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors


def test_password_change_with_a_strong_password_keeps_the_user_signed_in(client, cast):
    client.force_login(cast.a.head)
    new = "Trà-đá-vỉa-hè-77!"

    response = client.post(
        CHANGE, {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )

    assert response.status_code == 302
    cast.a.head.refresh_from_db()
    assert cast.a.head.check_password(new)
    assert client.get(reverse("accounts:account")).status_code == 200
