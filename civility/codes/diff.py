"""Differences between two versions of a code, article by article (matched by number)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from civility.codes.models import Article, CodeVersion

ADDED, REMOVED, CHANGED, UNCHANGED = "added", "removed", "changed", "unchanged"


@dataclass
class ClauseLine:
    op: str  # "equal", "insert", "delete" or "replace"
    text: str = ""
    kind: str = ""
    words: list[tuple[str, str]] = field(default_factory=list)  # (op, text) for "replace"


@dataclass
class ArticleDiff:
    number: int
    status: str
    old: Article | None
    new: Article | None
    title_words: list[tuple[str, str]] = field(default_factory=list)
    clauses: list[ClauseLine] = field(default_factory=list)
    english_changed: bool = False

    @property
    def article(self) -> Article:
        article = self.new or self.old
        assert article is not None, "a change has the article before it, after it, or both"
        return article


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """(op, text) runs: "equal", "delete" (only in old) and "insert" (only in new)."""
    a, b = old.split(), new.split()
    runs: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            runs.append(("equal", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            runs.append(("delete", " ".join(a[i1:i2])))
        if j2 > j1:
            runs.append(("insert", " ".join(b[j1:j2])))
    return runs


def _articles(version: CodeVersion) -> dict[int, Article]:
    rows = (
        Article.objects.filter(chapter__version=version)
        .select_related("chapter")
        .prefetch_related("clauses")
        .order_by("chapter__position", "position")
    )
    return {article.number: article for article in rows}


def _clause_lines(old: Article, new: Article) -> list[ClauseLine]:
    a = [(c.kind, c.text) for c in old.clauses.all()]
    b = [(c.kind, c.text) for c in new.clauses.all()]
    lines: list[ClauseLine] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            lines.extend(ClauseLine("equal", text, kind) for kind, text in a[i1:i2])
        elif op == "delete":
            lines.extend(ClauseLine("delete", text, kind) for kind, text in a[i1:i2])
        elif op == "insert":
            lines.extend(ClauseLine("insert", text, kind) for kind, text in b[j1:j2])
        else:
            pairs = list(zip(a[i1:i2], b[j1:j2], strict=False))
            for (_old_kind, old_text), (kind, text) in pairs:
                lines.append(ClauseLine("replace", text, kind, word_diff(old_text, text)))
            lines.extend(ClauseLine("delete", t, k) for k, t in a[i1 + len(pairs) : i2])
            lines.extend(ClauseLine("insert", t, k) for k, t in b[j1 + len(pairs) : j2])
    return lines


def diff_versions(old: CodeVersion, new: CodeVersion) -> list[ArticleDiff]:
    before, after = _articles(old), _articles(new)
    result: list[ArticleDiff] = []
    for number in sorted(set(before) | set(after)):
        a, b = before.get(number), after.get(number)
        if a is None:
            result.append(ArticleDiff(number, ADDED, None, b))
            continue
        if b is None:
            result.append(ArticleDiff(number, REMOVED, a, None))
            continue
        vi_same = a.title == b.title and [(c.kind, c.text) for c in a.clauses.all()] == [
            (c.kind, c.text) for c in b.clauses.all()
        ]
        en_same = a.title_en == b.title_en and [c.text_en for c in a.clauses.all()] == [
            c.text_en for c in b.clauses.all()
        ]
        if vi_same and en_same:
            result.append(ArticleDiff(number, UNCHANGED, a, b))
            continue
        result.append(
            ArticleDiff(
                number,
                CHANGED,
                a,
                b,
                title_words=word_diff(a.title, b.title),
                clauses=_clause_lines(a, b),
                english_changed=not en_same,
            )
        )
    return result
