"""The query-count guard of list pages and API collections: a list reads as many queries with 6
rows as with 2, so no row costs a query of its own (no N+1). Each app's test_query_counts.py
(test_list_queries.py in feedback and orgs) keeps its own row builders and uses these."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

if TYPE_CHECKING:
    # What the test client's get() answers (django-stubs' name): a response with .json().
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

Get: TypeAlias = "Callable[[], Response]"
Add: TypeAlias = Callable[[int], object]


@dataclass
class Read:
    """One counted read of a list: its queries (count and SQL) and the answer."""

    count: int
    sql: list[str]
    response: Response

    @property
    def text(self) -> str:
        return self.response.content.decode()


def reader(
    client: Client,
    url: str,
    params: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Get:
    """A getter of `url` (with `params` and `headers`) for `client`, to read the list again."""
    return lambda: client.get(url, params, headers=headers)


def each_row(make_row: Callable[[int], object]) -> Add:
    """An `add(count)` that calls `make_row(number)` once per new row, numbering on from 0
    across calls (so the sixth row is number 5)."""
    numbers = itertools.count()

    def add(count: int) -> None:
        for _ in range(count):
            make_row(next(numbers))

    return add


def queries(get: Get) -> Read:
    """The queries of a second `get()`, which must answer 200. The first, warm-up, read is not
    counted: it fills what any first request fills once (the session's state, the per-process
    caches of content types, settings and translations), which no row should be blamed for."""
    get()
    with CaptureQueriesContext(connection) as captured:
        response = get()
    assert response.status_code == 200, response.content[:500]
    sql = [query["sql"][:160] for query in captured.captured_queries]
    return Read(len(captured), sql, response)


def reads_with_more(get: Get, add: Add) -> tuple[Read, Read]:
    """The reads (see `queries`, for why each has a warm-up) after `add(2)`, then after
    `add(4)` more rows; the caller compares them."""
    add(2)
    two = queries(get)
    add(4)
    return two, queries(get)


def same_with_more(
    get: Get,
    add: Add,
    rows: Callable[[Response], int] | None = None,
    *,
    sixth: str | None = None,
) -> tuple[Read, Read]:
    """The same number of queries with 2 rows as with 6 (`reads_with_more`, whose reads are
    each counted after a warm-up). To be sure the rows are really listed, `rows` counts the rows
    an answer shows (it must grow by 4), and `sixth` is a text the sixth row puts on the page."""
    two, six = reads_with_more(get, add)
    if sixth is not None:
        assert sixth in six.text, sixth
    assert six.count == two.count, "\n".join(six.sql)
    if rows is not None:
        assert rows(six.response) >= rows(two.response) + 4
    return two, six


def items(response: Response) -> int:
    """The rows of an API collection's answer."""
    return len(response.json()["items"])


def text_count(text: str) -> Callable[[Response], int]:
    """Counts the rows of a page by a text each row shows."""
    return lambda response: response.content.decode().count(text)


__all__ = [
    "Add",
    "Get",
    "Read",
    "each_row",
    "items",
    "queries",
    "reader",
    "reads_with_more",
    "same_with_more",
    "text_count",
]
