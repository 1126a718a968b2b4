"""Reading a code's text from a document: Markdown or .docx.

Structure, in either format:

- a chapter heading: Markdown `# Chương I. Title` (or `# Chapter I. Title`); in .docx a
  paragraph in the "Heading 1" style;
- an article heading: `## Điều 1. Title` (or `## Article 1. Title`); "Heading 2" in .docx;
- every other non-empty line or paragraph (list items included) is a clause of the article
  above it. A clause may start with its kind in brackets: `[phải]`, `[nên]`, `[không nên]`,
  `[không được]` (or `[must]`, `[should]`, `[should not]`, `[must not]`).

A file that breaks these rules is rejected with the number of the first wrong line
(paragraph, for .docx); nothing is written. Parsing is pure: no database here.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from civility.codes.models import CodeVersion, ProvisionKind

MAX_LINES = 20_000

CHAPTER_RE = re.compile(
    r"^(?:chương|chuong|chapter)\s+([IVXLCDM]+|\d+)\s*(?:[.:\-–—]\s*(.*))?$", re.IGNORECASE
)
ARTICLE_RE = re.compile(r"^(?:điều|dieu|article)\s+(\d+)\s*(?:[.:\-–—]\s*(.*))?$", re.IGNORECASE)
LIST_MARK_RE = re.compile(r"^(?:[-*+•]\s+|\d+[.)]\s+|[a-zđ][.)]\s+)", re.IGNORECASE)
KIND_RE = re.compile(r"^\[([^\]]+)\]\s*")

KIND_WORDS = {
    "phải": ProvisionKind.MUST,
    "phải thực hiện": ProvisionKind.MUST,
    "must": ProvisionKind.MUST,
    "nên": ProvisionKind.SHOULD,
    "nên làm": ProvisionKind.SHOULD,
    "should": ProvisionKind.SHOULD,
    "không nên": ProvisionKind.SHOULD_NOT,
    "không nên làm": ProvisionKind.SHOULD_NOT,
    "should not": ProvisionKind.SHOULD_NOT,
    "không được": ProvisionKind.MUST_NOT,
    "không được làm": ProvisionKind.MUST_NOT,
    "must not": ProvisionKind.MUST_NOT,
}


class DocumentError(ValueError):
    """A malformed document; `line` is the 1-based line (or paragraph) that is wrong."""

    def __init__(self, line: int, message: str, *, unit: str = "line"):
        self.line = line
        self.unit = unit
        self.problem = message
        if unit == "paragraph":
            text = _("Paragraph %(line)d: %(problem)s") % {"line": line, "problem": message}
        else:
            text = _("Line %(line)d: %(problem)s") % {"line": line, "problem": message}
        super().__init__(text)


@dataclass
class ParsedClause:
    text: str
    kind: str = ""


@dataclass
class ParsedArticle:
    number: int
    title: str
    line: int
    clauses: list[ParsedClause] = field(default_factory=list)


@dataclass
class ParsedChapter:
    number: str
    title: str
    line: int
    articles: list[ParsedArticle] = field(default_factory=list)


@dataclass
class ParsedCode:
    chapters: list[ParsedChapter]

    def article_count(self) -> int:
        return sum(len(chapter.articles) for chapter in self.chapters)


# A document is read into (line number, level, text): level 1 chapter, 2 article, 0 body.
Line = tuple[int, int, str]


def parse_markdown(text: str) -> ParsedCode:
    lines: list[Line] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped:
            continue
        heading = re.match(r"^(#+)\s*(.*)$", stripped)
        if heading:
            level = len(heading.group(1))
            if level > 2:
                raise DocumentError(
                    number,
                    _("only two heading levels are allowed: # for chapters, ## for articles."),
                )
            lines.append((number, level, heading.group(2).strip()))
        else:
            lines.append((number, 0, stripped))
    return _build(lines, unit="line")


def parse_docx(data: bytes) -> ParsedCode:
    import docx  # python-docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # a damaged file fails in zipfile, lxml or python-docx itself
        raise DocumentError(1, _("this is not a readable .docx file."), unit="paragraph") from error
    lines: list[Line] = []
    for number, paragraph in enumerate(document.paragraphs, start=1):
        text = paragraph.text.strip()
        if not text:
            continue
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        if style.lower() == "title":
            continue
        if style.lower().startswith("heading"):
            level = int(style.split()[-1]) if style.split()[-1].isdigit() else 1
            if level > 2:
                raise DocumentError(
                    number,
                    _("only Heading 1 (chapters) and Heading 2 (articles) are allowed."),
                    unit="paragraph",
                )
            lines.append((number, level, text))
        else:
            lines.append((number, 0, text))
    return _build(lines, unit="paragraph")


def parse_document(filename: str, data: bytes) -> ParsedCode:
    name = filename.lower()
    if name.endswith(".docx"):
        return parse_docx(data)
    if name.endswith((".md", ".markdown", ".txt")):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            raise DocumentError(line, _("the file is not UTF-8 text.")) from error
        return parse_markdown(text)
    raise DocumentError(1, _("use a .docx or Markdown (.md) file."))


def _build(lines: list[Line], *, unit: str) -> ParsedCode:
    if len(lines) > MAX_LINES:
        raise DocumentError(MAX_LINES, _("the document is too long."), unit=unit)
    chapters: list[ParsedChapter] = []
    article_numbers: set[int] = set()
    last_article_number = 0
    for number, level, text in lines:
        if level == 1:
            match = CHAPTER_RE.match(text)
            if not match or not (match.group(2) or "").strip():
                raise DocumentError(
                    number,
                    _('a chapter heading must read "Chương I. Title" (number, then title).'),
                    unit=unit,
                )
            if chapters and not chapters[-1].articles:
                raise DocumentError(
                    chapters[-1].line, _("this chapter has no articles."), unit=unit
                )
            chapters.append(ParsedChapter(match.group(1).upper(), match.group(2).strip(), number))
        elif level == 2:
            match = ARTICLE_RE.match(text)
            if not match or not (match.group(2) or "").strip():
                raise DocumentError(
                    number,
                    _('an article heading must read "Điều 1. Title" (number, then title).'),
                    unit=unit,
                )
            if not chapters:
                raise DocumentError(
                    number, _("this article comes before the first chapter."), unit=unit
                )
            article_number = int(match.group(1))
            if article_number in article_numbers:
                raise DocumentError(
                    number,
                    _("article %(number)d appears twice.") % {"number": article_number},
                    unit=unit,
                )
            if article_number < last_article_number:
                raise DocumentError(
                    number,
                    _("article %(number)d comes after article %(previous)d.")
                    % {"number": article_number, "previous": last_article_number},
                    unit=unit,
                )
            article_numbers.add(article_number)
            last_article_number = article_number
            chapters[-1].articles.append(
                ParsedArticle(article_number, match.group(2).strip(), number)
            )
        else:
            if not chapters or not chapters[-1].articles:
                raise DocumentError(
                    number,
                    _("text outside an article: put it under an article heading."),
                    unit=unit,
                )
            chapters[-1].articles[-1].clauses.append(_clause(text, number, unit=unit))
    if not chapters:
        raise DocumentError(1, _("the document has no chapter headings."), unit=unit)
    if not chapters[-1].articles:
        raise DocumentError(chapters[-1].line, _("this chapter has no articles."), unit=unit)
    return ParsedCode(chapters)


def _clause(text: str, number: int, *, unit: str) -> ParsedClause:
    text = LIST_MARK_RE.sub("", text, count=1).strip()
    kind = ""
    match = KIND_RE.match(text)
    if match:
        word = " ".join(match.group(1).lower().split())
        if word not in KIND_WORDS:
            raise DocumentError(
                number,
                _(
                    'unknown clause kind "[%(kind)s]": use [phải], [nên], [không nên] or '
                    "[không được]."
                )
                % {"kind": match.group(1)},
                unit=unit,
            )
        kind = KIND_WORDS[word]
        text = text[match.end() :].strip()
    if not text:
        raise DocumentError(number, _("this clause is empty."), unit=unit)
    return ParsedClause(text=text, kind=kind)


def to_markdown(version: CodeVersion) -> str:
    """A version's Vietnamese text in the import format (to download, edit and re-import)."""
    tags: dict[str, str] = {
        ProvisionKind.MUST: "[phải] ",
        ProvisionKind.SHOULD: "[nên] ",
        ProvisionKind.SHOULD_NOT: "[không nên] ",
        ProvisionKind.MUST_NOT: "[không được] ",
    }
    out: list[str] = []
    for chapter in version.chapters.all():
        out.append(f"# Chương {chapter.number}. {chapter.title}\n")
        for article in chapter.articles.all():
            out.append(f"## Điều {article.number}. {article.title}\n")
            for clause in article.clauses.all():
                out.append(f"- {tags.get(clause.kind, '')}{clause.text}")
            out.append("")
    return "\n".join(out).rstrip() + "\n"
