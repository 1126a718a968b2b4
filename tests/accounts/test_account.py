from django.urls import reverse

from civility.accounts.models import Profile

ACCOUNT = reverse("accounts:account")


def test_my_account_lists_my_roles_with_their_units(client, cast):
    client.force_login(cast.a.coordinator)

    response = client.get(ACCOUNT)

    html = response.content.decode()
    assert "Phường Tây Hồ" in html
    assert "Phường Long Biên" not in html
    assert list(response.context["role_assignments"]) == list(
        cast.a.coordinator.role_assignments.all()
    )


def test_my_account_shows_two_factor_status_to_coordinators(client, cast):
    client.force_login(cast.a.coordinator)

    response = client.get(ACCOUNT)

    assert response.context["two_factor_on"] is False
    assert reverse("accounts:two_factor_settings") in response.content.decode()


def test_officials_are_offered_optional_two_factor(client, cast):
    client.force_login(cast.a.official_user)

    response = client.get(ACCOUNT)

    assert reverse("accounts:two_factor_settings") in response.content.decode()


def test_language_preference_switches_the_interface_at_once(client, cast):
    client.force_login(cast.a.head)

    response = client.post(reverse("accounts:language_update"), {"language": "en"})
    assert response.status_code == 302
    assert Profile.objects.get(user=cast.a.head).language == "en"

    response = client.get(ACCOUNT)
    assert response["Content-Language"] == "en"
    assert '<html lang="en"' in response.content.decode()

    client.post(reverse("accounts:language_update"), {"language": "vi"})
    response = client.get(ACCOUNT)
    assert response["Content-Language"] == "vi"
    assert '<html lang="vi"' in response.content.decode()


def test_unknown_language_is_refused_with_a_message(client, cast):
    client.force_login(cast.a.head)

    response = client.post(reverse("accounts:language_update"), {"language": "fr"})

    assert response.status_code == 200
    assert response.context["language_form"].errors["language"]
    assert not Profile.objects.filter(user=cast.a.head, language="fr").exists()


def test_header_language_switch_saves_the_preference_and_returns_to_the_page(client, cast):
    client.force_login(cast.a.head)

    response = client.post(
        reverse("accounts:language_update"), {"language": "en", "next": "/officials/?q=nguyen"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/officials/?q=nguyen"
    assert Profile.objects.get(user=cast.a.head).language == "en"


def test_header_language_switch_ignores_an_offsite_next(client, cast):
    client.force_login(cast.a.head)

    response = client.post(
        reverse("accounts:language_update"), {"language": "vi", "next": "https://evil.example/"}
    )

    assert response["Location"] == reverse("accounts:account")


def test_pages_are_vietnamese_whatever_the_browser_asks_until_the_user_chooses(client, settings):
    settings.LANGUAGE_CODE = "vi"
    login = reverse("accounts:login")

    english_browser = client.get(login, headers={"Accept-Language": "en-US,en;q=0.9"})
    client.post(reverse("set_language"), {"language": "en", "next": login})
    chosen = client.get(login)

    assert english_browser["Content-Language"] == "vi"
    assert chosen["Content-Language"] == "en"
