"""The public pages: published codes without login, in both languages, on a phone."""

from __future__ import annotations

from civility.codes.actions import create_draft_version


def test_public_list_shows_published_codes_without_login(client, codes):
    response = client.get("/c/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/c/hanoi-522/" in html and "/c/hanoi-1665/" in html


def test_public_code_page_reads_in_vietnamese(client, codes):
    response = client.get("/c/hanoi-1665/?lang=vi")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Quy tắc ứng xử nơi công cộng trên địa bàn thành phố Hà Nội" in html
    assert "Những việc không nên làm" in html
    assert 'lang="vi"' in html
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in html


def test_public_code_page_reads_in_english(client, codes):
    html = client.get("/c/hanoi-1665/?lang=en").content.decode()
    assert "Code of conduct in public places in Hanoi" in html
    assert "What not to do" in html
    assert "Litter." in html


def test_public_page_says_the_text_is_a_summary(client, codes):
    html = client.get("/c/hanoi-522/?lang=en").content.decode()
    assert "summary in our own words, not the official wording" in html


def test_drafts_are_not_public(client, cast, codes):
    draft = create_draft_version(actor=cast.city_coordinator, code=codes.officials)
    draft.articles().filter(number=1).update(title="Bản nháp bí mật")
    html = client.get("/c/hanoi-522/?lang=vi").content.decode()
    assert "Bản nháp bí mật" not in html


def test_unknown_code_is_404(client, codes):
    assert client.get("/c/khong-co/").status_code == 404
