"""A count takes the singular for one (issue 18): "1 report", never "1 reports". Messages
with a count go through ngettext / {% blocktranslate count %}, their numbers through the
language's number format; a scan of the sources keeps new count sentences from slipping
back to plain gettext."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from civility.evaluations.explain import explain
from civility.feedback.models import FlagKind, RatingFlag
from civility.programmes.actions import load_title_rules
from civility.programmes.models import CulturalTitle

SOURCES = Path(__file__).resolve().parents[2] / "civility"

# A placeholder, up to two describing words, then an English plural noun ("%(count)d public
# reports", "{{ n }} officials") or a "(s)" that dodges the plural ("%(days)d day(s)").
_PLURAL_AFTER_NUMBER = re.compile(
    r"(?P<number>%\(\w+\)[ds]|\{\{ *\w+ *\}\})"
    r"(?P<words>(?: +[a-z-]+){0,2}?) +(?P<noun>[a-z]+s|[a-z-]+\(s\))(?![\w(])"
)
# Words that end in s but are no plural noun (verbs after a name or a year: "%(name)s
# retires"), and words that end the noun phrase before it.
_NOT_NOUNS = frozenset(
    {"is", "was", "has", "its", "this", "as", "yes", "does", "takes", "applies", "qualifies"}
    | {"appears", "comes", "belongs", "contains", "retires", "needs", "asks", "holds"}
)
_NOT_DESCRIBING = frozenset({"and", "or", "in", "of", "to", "the", "a", "it", "when", "also"})
# Counts that cannot be one, said in the sentence itself ("more than 99 reports"), or ranges
# the law fixes above one (absence of 3 to under 6 months; rotation after 24 to 60 months);
# scores are not counts ("gap 1.5 points").
_NEVER_ONE = re.compile(r"more than (%\(|\{\{)|\bto under\b|%\(low\)s to %\(high\)s|points\b", re.I)
_GETTEXT = {"_", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy", "gettext_noop"}
_BLOCK = re.compile(
    r"\{%\s*blocktrans(?:late)?\b(?P<options>[^%]*)%\}(?P<body>.*?)\{%\s*endblocktrans(?:late)?\s*%\}",
    re.S,
)


def count_sentences_without_plural(text: str) -> list[str]:
    found = []
    for match in _PLURAL_AFTER_NUMBER.finditer(text):
        words = match.group("words").split()
        if match.group("noun") in _NOT_NOUNS or _NOT_DESCRIBING.intersection(words):
            continue
        start = max(0, match.start() - 12)
        if _NEVER_ONE.search(text[start : match.end() + 20]):
            continue
        found.append(match.group())
    return found


def _python_messages():
    for path in sorted(SOURCES.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            name = getattr(node, "func", None)
            name = getattr(name, "id", getattr(name, "attr", None))
            if isinstance(node, ast.Call) and name in _GETTEXT:
                for arg in node.args:
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        yield f"{path.relative_to(SOURCES)}:{node.lineno}", arg.value


def _template_messages():
    for path in sorted(SOURCES.rglob("*.html")):
        text = path.read_text()
        for block in _BLOCK.finditer(text):
            if not re.search(r"\bcount\b", block.group("options")):
                line = text[: block.start()].count("\n") + 1
                yield f"{path.relative_to(SOURCES)}:{line}", block.group("body")


def test_no_count_sentence_is_translated_without_its_plural():
    offenders = [
        f"{where}: {found}"
        for where, message in (*_python_messages(), *_template_messages())
        for found in count_sentences_without_plural(message)
    ]
    assert offenders == []


def test_the_scan_finds_a_count_sentence_written_with_plain_gettext():
    assert count_sentences_without_plural("%(count)d reports closed.") == ["%(count)d reports"]
    assert count_sentences_without_plural("in %(days)d day(s).") == ["%(days)d day(s)"]
    assert count_sentences_without_plural("{{ n }} open reports") == ["{{ n }} open reports"]
    assert count_sentences_without_plural("More than %(count)d reports") == []
    assert count_sentences_without_plural("%(username)s has no device.") == []


def _months(months: int) -> str:
    return explain({"code": "too_few_months", "params": {"months": months, "minimum": 6}})


def _burst(count: int) -> str:
    flag = RatingFlag(kind=FlagKind.BURST, detail={"count": count, "seconds": 60})
    return flag.description()


def test_english_messages_take_the_singular_for_one_and_the_plural_for_two():
    with translation.override("en"):
        assert _months(1).startswith("Worked 1 month in the year")
        assert _months(2).startswith("Worked 2 months in the year")
        assert _burst(1) == "1 kiosk rating within 60 s"
        assert _burst(2) == "2 kiosk ratings within 60 s"


def test_a_count_in_a_message_is_grouped_as_the_language_writes_numbers():
    with translation.override("en"):
        assert _burst(12345).startswith("12,345 kiosk ratings")
    with translation.override("vi"):
        assert _burst(12345).startswith("12.345 ")


@pytest.mark.django_db
def test_a_page_says_one_day_and_two_days(client, cast):
    rule = next(
        rule
        for rule in load_title_rules(actor=cast.city_coordinator, unit=cast.city)
        if rule.title == CulturalTitle.FAMILY
    )
    rule.comment_days, rule.decision_days = 1, 2
    rule.save(update_fields=["comment_days", "decision_days"])
    client.force_login(cast.city_coordinator)

    with translation.override("en"):
        page = client.get(f"/programmes/titles/rules/{rule.pk}/", HTTP_ACCEPT_LANGUAGE="en")

    text = " ".join(page.content.decode().split())
    assert "list posted 1 day for comment; decision within 2 days;" in text


def _list_count(count: int, language: str) -> str:
    with translation.override(language):
        listing = {"is_capped": False, "count": count}
        return render_to_string("core/_count.html", {"listing": listing}).strip()


def test_a_list_counts_one_result_two_results_and_groups_large_counts():
    assert _list_count(1, "en") == "1 result"
    assert _list_count(2, "en") == "2 results"
    assert _list_count(12345, "en") == "12,345 results"
    assert _list_count(12345, "vi").startswith("12.345 ")
