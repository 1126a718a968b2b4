"""What a page, a .docx or a PDF must not contain, per language (issue 18): one number and
date format per language. Used by test_number_formats.py."""

from __future__ import annotations

import html
import re

# Not read as text: scripts, styles, code and preformatted blocks (receipt codes, versions,
# keys); then every tag, which drops hrefs, ids and attributes with their numbers.
_HIDDEN = re.compile(r"<(script|style|code|pre|textarea|kbd|samp)\b.*?</\1>", re.S | re.I)
_TAG = re.compile(r"<[^>]*>", re.S)

# A run of digits and dots standing alone: not glued to a letter, a dash, a slash or a colon
# (codes such as QD522-8, D24-1.05, decree numbers 152/2025/NĐ-CP, times 08:30).
_DOTTED = re.compile(r"(?<![\w\-/.:])\d+(?:\.\d+)+(?![\w\-/]|\.\d)")
_GROUPED = re.compile(r"\d{1,3}(?:\.\d{3})+")
# Five digits or more with no separator; a leading zero is a code (ward 00091, a phone).
_LONG = re.compile(r"(?<![\w\-/.,:#])[1-9]\d{4,}(?![\w\-/])")
# A decimal comma on an English page (1,5): a comma followed by one or two digits only.
_DECIMAL_COMMA = re.compile(r"(?<![\w\-/.,])\d+,\d{1,2}(?![\w\-/,])")
_DASHED_DATE = re.compile(r"(?<![\w\-/])\d{1,2}-\d{1,2}-\d{4}(?![\w\-/])")


def visible_text(page: str) -> str:
    return html.unescape(_TAG.sub(" ", _HIDDEN.sub(" ", page)))


def forbidden(text: str, language: str, codes: frozenset[str] = frozenset()) -> list[str]:
    """Each forbidden number or date in `text` (already visible text), with some context.
    `codes` are identifiers written as digits (ward codes such as 10015), not numbers."""
    found: list[tuple[int, int]] = []
    for match in _DOTTED.finditer(text):
        token = match.group()
        if token.count(".") > 1 and not _GROUPED.fullmatch(token):
            continue  # an IP address or a version string (2.6.2), not a number
        if language == "vi" and not _GROUPED.fullmatch(token):
            found.append(match.span())  # a decimal point in Vietnamese
        if language == "en" and _GROUPED.fullmatch(token) and token.count(".") > 1:
            found.append(match.span())  # Vietnamese grouping on an English page
    found += [m.span() for m in _LONG.finditer(text) if m.group() not in codes]
    if language == "en":
        found += [m.span() for m in _DECIMAL_COMMA.finditer(text)]
    found += [m.span() for m in _DASHED_DATE.finditer(text)]
    return [" ".join(text[max(0, a - 30) : b + 15].split()) for a, b in sorted(found)]
