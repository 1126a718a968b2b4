"""Versions: drafts, publishing, read-only published text, and the diff."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from civility.codes.actions import (
    create_draft_version,
    import_version_text,
    publish_version,
    update_version,
)
from civility.codes.diff import diff_versions
from civility.codes.documents import parse_markdown
from civility.codes.models import Article, Clause, VersionStatus

DRAFT_TEXT = """# Chương I. Quy định chung
## Điều 1. Phạm vi áp dụng
- Áp dụng cho cán bộ, công chức, viên chức và người lao động của thành phố.
# Chương II. Ứng xử khi thi hành công vụ
## Điều 3. Thời gian làm việc
- [phải] Chấp hành nghiêm thời gian làm việc.
- [không được] Dùng thời gian làm việc để làm việc riêng.
## Điều 12. Ứng xử trên mạng xã hội
- [không được] Đăng tải thông tin sai sự thật.
"""


def test_shipped_codes_are_published_summaries(codes):
    version = codes.officials.published_version()
    assert version.status == VersionStatus.PUBLISHED
    assert version.is_summary
    assert version.articles().count() == 11
    assert codes.public_places.published_version().articles().filter(is_key=True).count() == 2


def test_publishing_a_draft_supersedes_the_published_version(cast, codes):
    first = codes.officials.published_version()
    draft = create_draft_version(actor=cast.city_coordinator, code=codes.officials)
    assert draft.number == 2
    assert draft.articles().count() == first.articles().count()  # starts from the latest text

    publish_version(actor=cast.city_coordinator, version=draft)

    first.refresh_from_db()
    draft.refresh_from_db()
    assert first.status == VersionStatus.SUPERSEDED and first.superseded_at
    assert draft.status == VersionStatus.PUBLISHED and draft.published_by == cast.city_coordinator
    assert codes.officials.published_version() == draft


def test_published_version_refuses_changes_through_actions(cast, codes):
    version = codes.officials.published_version()
    with pytest.raises(ValidationError, match="read-only"):
        update_version(actor=cast.city_coordinator, version=version, label="changed")
    with pytest.raises(ValidationError, match="read-only"):
        import_version_text(
            actor=cast.city_coordinator, version=version, parsed=parse_markdown(DRAFT_TEXT)
        )
    version.refresh_from_db()
    assert version.label != "changed"
    assert version.articles().count() == 11


def test_database_refuses_to_change_a_published_text(codes):
    clause = Clause.objects.filter(article__chapter__version__code=codes.officials).first()
    clause.text = "Sửa lén"
    with pytest.raises(IntegrityError), transaction.atomic():
        clause.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(chapter__version__code=codes.officials).delete()
    clause.refresh_from_db()
    assert clause.text != "Sửa lén"


def test_editing_a_published_version_page_says_it_is_read_only(client, cast, codes):
    version = codes.officials.published_version()
    client.force_login(cast.city_coordinator)
    response = client.post(f"/codes/versions/{version.pk}/edit/", {"label": "x"}, follow=True)
    assert "read-only" in response.content.decode()
    version.refresh_from_db()
    assert version.label != "x"


def test_coordinator_of_a_ward_cannot_change_the_city_code(client, cast, codes):
    client.force_login(cast.a.coordinator)
    response = client.post(f"/codes/{codes.officials.pk}/versions/new/")
    assert response.status_code == 403
    assert codes.officials.versions.count() == 1


def test_coordinator_publishes_a_draft_through_the_pages(client, cast, codes):
    client.force_login(cast.city_coordinator)
    response = client.post(f"/codes/{codes.officials.pk}/versions/new/")
    draft = codes.officials.versions.get(number=2)
    assert response.url == f"/codes/versions/{draft.pk}/"
    response = client.post(f"/codes/versions/{draft.pk}/publish/", follow=True)
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED


def test_diff_shows_changed_added_and_removed_articles(cast, codes):
    old = codes.officials.published_version()
    draft = create_draft_version(actor=cast.city_coordinator, code=codes.officials)
    import_version_text(
        actor=cast.city_coordinator, version=draft, parsed=parse_markdown(DRAFT_TEXT)
    )

    changes = {change.number: change for change in diff_versions(old, draft)}

    assert changes[1].status == "changed"
    assert changes[2].status == "removed"
    assert changes[12].status == "added"
    art3 = changes[3]
    assert art3.status == "changed"
    ops = [line.op for line in art3.clauses]
    assert ops == ["replace", "delete", "equal"]
    assert ("delete", "đúng") in art3.clauses[0].words
    assert ("insert", "nghiêm") in art3.clauses[0].words
    assert art3.clauses[1].text.startswith("Giải quyết văn bản")


def test_diff_page_lists_each_changed_article(client, cast, codes):
    old = codes.officials.published_version()
    draft = create_draft_version(actor=cast.city_coordinator, code=codes.officials)
    import_version_text(
        actor=cast.city_coordinator, version=draft, parsed=parse_markdown(DRAFT_TEXT)
    )
    client.force_login(cast.city_coordinator)
    response = client.get(f"/codes/versions/{draft.pk}/diff/?against={old.pk}")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="article-12"' in html and "diff-added" in html
    assert 'id="article-2"' in html and "diff-removed" in html
    assert "<del>" in html and "<ins>" in html


def test_unchanged_versions_have_an_empty_diff(cast, codes):
    old = codes.officials.published_version()
    draft = create_draft_version(actor=cast.city_coordinator, code=codes.officials)
    assert all(change.status == "unchanged" for change in diff_versions(old, draft))
