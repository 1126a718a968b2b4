"""Importing a code's text from Markdown or .docx; malformed files change nothing."""

from __future__ import annotations

import io

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from civility.codes.actions import create_draft_version
from civility.codes.documents import DocumentError, parse_docx, parse_markdown
from civility.codes.models import ProvisionKind

GOOD = """# Chương I. Quy định chung
## Điều 1. Phạm vi điều chỉnh
Quy tắc này quy định chuẩn mực ứng xử.

# Chương II. Chuẩn mực ứng xử
## Điều 2. Giao tiếp với nhân dân
- [phải] Tiếp đón người dân niềm nở.
- [không được] Gây phiền hà, sách nhiễu.
1. Khoản đánh số cũng là một khoản.
"""

ENGLISH = """# Chapter I. General provisions
## Article 1. Scope
This code sets standards of conduct.
# Chapter II. Standards of conduct
## Article 2. Dealing with citizens
- Welcome citizens warmly.
- Do not harass.
- A numbered clause is a clause too.
"""


@pytest.fixture
def draft(cast, codes):
    return create_draft_version(actor=cast.city_coordinator, code=codes.officials)


def upload(name: str, text: str | bytes) -> SimpleUploadedFile:
    data = text.encode() if isinstance(text, str) else text
    return SimpleUploadedFile(name, data)


def make_docx(paragraphs: list[tuple[str, str]]) -> bytes:
    document = docx.Document()
    for style, text in paragraphs:
        document.add_paragraph(text, style=style)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_markdown_headings_become_chapters_articles_and_clauses():
    parsed = parse_markdown(GOOD)
    assert [c.number for c in parsed.chapters] == ["I", "II"]
    article = parsed.chapters[1].articles[0]
    assert (article.number, article.title) == (2, "Giao tiếp với nhân dân")
    assert [c.kind for c in article.clauses] == [ProvisionKind.MUST, ProvisionKind.MUST_NOT, ""]
    assert article.clauses[2].text == "Khoản đánh số cũng là một khoản."


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("# Chương I. A\nVăn bản lạc chỗ\n", 2, "outside an article"),
        ("## Điều 1. A\n- x\n", 1, "before the first chapter"),
        ("# Chương I. A\n## Điều 1. B\n- x\n## Điều một. C\n", 4, "article heading"),
        ("# Chương I. A\n## Điều 2. B\n- x\n## Điều 2. C\n- y\n", 4, "appears twice"),
        ("# Chương I. A\n## Điều 1. B\n- x\n### Khoản 1\n", 4, "two heading levels"),
        ("# Phần I. A\n## Điều 1. B\n", 1, "chapter heading"),
        ("# Chương I. A\n# Chương II. B\n## Điều 1. C\n- x\n", 1, "no articles"),
        ("# Chương I. A\n## Điều 1. B\n- [có lẽ] x\n", 3, "unknown clause kind"),
    ],
)
def test_malformed_markdown_names_the_wrong_line(text, line, problem):
    with pytest.raises(DocumentError) as caught:
        parse_markdown(text)
    assert caught.value.line == line
    assert problem in str(caught.value)
    assert str(caught.value).startswith(f"Line {line}:")


def test_import_page_replaces_the_draft_text(client, cast, draft):
    client.force_login(cast.city_coordinator)
    response = client.post(
        f"/codes/versions/{draft.pk}/import/",
        {"document": upload("quy-tac.md", GOOD), "language": "vi", "is_official": "on"},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert [a.number for a in draft.articles()] == [1, 2]
    assert not draft.is_summary


def test_malformed_file_is_rejected_with_its_line_and_nothing_is_written(client, cast, draft):
    before = list(draft.articles().values_list("number", "title"))
    client.force_login(cast.city_coordinator)
    bad = GOOD + "## Điều 1. Trùng số\n- x\n"  # line 10 repeats article 1
    response = client.post(
        f"/codes/versions/{draft.pk}/import/",
        {"document": upload("quy-tac.md", bad), "language": "vi"},
    )
    assert response.status_code == 200
    assert "Line 10:" in response.content.decode()
    assert list(draft.articles().values_list("number", "title")) == before


def test_english_import_fills_the_translation_beside_the_vietnamese(cast, client, draft):
    client.force_login(cast.city_coordinator)
    client.post(
        f"/codes/versions/{draft.pk}/import/", {"document": upload("vi.md", GOOD), "language": "vi"}
    )
    response = client.post(
        f"/codes/versions/{draft.pk}/import/",
        {"document": upload("en.md", ENGLISH), "language": "en"},
    )
    assert response.status_code == 302
    article = draft.articles().get(number=2)
    assert article.title_en == "Dealing with citizens"
    assert [c.text_en for c in article.clauses.all()][0] == "Welcome citizens warmly."


def test_english_with_a_different_structure_is_rejected(cast, client, draft):
    client.force_login(cast.city_coordinator)
    client.post(
        f"/codes/versions/{draft.pk}/import/", {"document": upload("vi.md", GOOD), "language": "vi"}
    )
    short = ENGLISH.replace("- Do not harass.\n", "")
    response = client.post(
        f"/codes/versions/{draft.pk}/import/",
        {"document": upload("en.md", short), "language": "en"},
    )
    assert "Line 5:" in response.content.decode()
    assert draft.articles().get(number=2).title_en == ""


def test_docx_headings_are_read_like_markdown_headings():
    data = make_docx(
        [
            ("Title", "Quy tắc ứng xử"),
            ("Heading 1", "Chương I. Quy định chung"),
            ("Heading 2", "Điều 1. Phạm vi"),
            ("List Bullet", "[nên] Ứng xử lịch sự, thân thiện."),
        ]
    )
    parsed = parse_docx(data)
    clause = parsed.chapters[0].articles[0].clauses[0]
    assert (clause.kind, clause.text) == (ProvisionKind.SHOULD, "Ứng xử lịch sự, thân thiện.")


def test_malformed_docx_names_the_paragraph(client, cast, draft):
    data = make_docx(
        [
            ("Heading 1", "Chương I. Quy định chung"),
            ("Normal", "Một đoạn văn không thuộc điều nào."),
        ]
    )
    client.force_login(cast.city_coordinator)
    response = client.post(
        f"/codes/versions/{draft.pk}/import/",
        {"document": upload("quy-tac.docx", data), "language": "vi"},
    )
    assert "Paragraph 2:" in response.content.decode()


def test_a_damaged_docx_is_rejected_not_a_server_error(client, cast, draft):
    client.force_login(cast.city_coordinator)
    response = client.post(
        f"/codes/versions/{draft.pk}/import/",
        {"document": upload("quy-tac.docx", b"not a zip"), "language": "vi"},
    )
    assert response.status_code == 200
    assert "not a readable .docx" in response.content.decode()


def test_importing_into_a_published_version_is_refused(client, cast, codes):
    version = codes.officials.published_version()
    client.force_login(cast.city_coordinator)
    response = client.post(
        f"/codes/versions/{version.pk}/import/",
        {"document": upload("x.md", GOOD), "language": "vi"},
        follow=True,
    )
    assert "read-only" in response.content.decode()
    assert version.articles().count() == 11
