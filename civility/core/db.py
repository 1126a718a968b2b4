"""A cursor for the few hot statements where Django's own cursor costs more than the query."""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Self, cast

import psycopg
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Field, Model
from django.utils import timezone
from psycopg.abc import Params, Query, QueryNoTemplate


class _PreparingCursor(psycopg.Cursor):
    """Prepares every statement on its first run rather than its fifth: these are the hot
    statements. Preparing needs a connection whose `prepare_threshold` is not None, which
    settings.py sets (Django's default, None, had a 0.05 ms device lookup planned afresh for
    0.27 ms on every kiosk request)."""

    def execute(
        self,
        query: Query,
        params: Params | None = None,
        *,
        prepare: bool | None = True,
        binary: bool | None = None,
    ) -> Self:
        # Template is Python 3.14's t-string, which the Python this runs on (3.11) cannot make.
        query = cast(QueryNoTemplate, query)
        return super().execute(query, params, prepare=prepare, binary=binary)


@contextmanager
def bound_cursor() -> Iterator[psycopg.Cursor]:
    """A psycopg cursor with server-side binding on Django's connection.

    Django quotes every parameter into the SQL text in Python (client-side binding); for a
    statement run a thousand times a second with array parameters that quoting is a quarter
    of the request, and the server parses and plans the text every time. Here parameters
    travel apart from the text, and the statement is prepared once per connection.
    Same connection, transaction and health check as Django's cursor; errors come out as
    Django's database errors."""
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_no_broken_transaction()
    with connection.wrap_database_errors, _PreparingCursor(connection.connection) as cursor:
        yield cursor


# --- Writing many rows: COPY ---------------------------------------------------------------
#
# bulk_create and bulk_update quote every value into the SQL text in Python (client-side
# binding) and, for updates, build a CASE per field and row: for a whole city's rows (a
# period's 150,000 evaluations) that took most of a minute. COPY sends the rows as data.
# Like bulk_create, nothing here sends signals: the callers audit in bulk themselves
# (civility.core.audit.log_writes) or, for figures computed at will, say why they do not.


@contextmanager
def _raw_cursor() -> Iterator[psycopg.Cursor]:
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_no_broken_transaction()
    with connection.wrap_database_errors, connection.connection.cursor() as cursor:
        yield cursor


_AS_IS = (
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "DateField",
    "DateTimeField",
    "DecimalField",
    "EmailField",
    "ForeignKey",
    "IntegerField",
    "OneToOneField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SlugField",
    "SmallIntegerField",
    "TextField",
    "URLField",
)


def _column(field: Field[Any, Any]) -> str:
    # A concrete field always has a column (only a many-to-many field has none).
    return cast(str, field.column)


def _getters(fields: Iterable[Field[Any, Any]], *, add: bool) -> list[Callable[[Any], Any]]:
    """A function per field giving its database value: the attribute itself for the types
    psycopg adapts as they are (most of them), Django's preparation for the others (JSON,
    arrays, files) and for auto_now dates. Going through Django for every value cost more
    than the COPY."""
    wrapper = connections[DEFAULT_DB_ALIAS]
    getters: list[Callable[[Any], Any]] = []
    for field in fields:
        plain = field.get_internal_type() in _AS_IS and not (
            getattr(field, "auto_now", False) or (add and getattr(field, "auto_now_add", False))
        )
        if plain:
            getters.append(operator.attrgetter(field.attname))
        else:
            getters.append(_prepared(field, add, wrapper))
    return getters


def _prepared(field: Any, add: bool, wrapper: Any) -> Callable[[Any], Any]:
    def get(obj: Any) -> Any:
        return field.get_db_prep_save(field.pre_save(obj, add), wrapper)

    return get


def copy_into(model: type[Model], objs: Sequence[Model], *, set_ids: bool = False) -> None:
    """Insert `objs` with one COPY. With `set_ids`, each gets its primary key first (from
    the table's sequence, in one query), as bulk_create would return it."""
    if not objs:
        return
    meta = model._meta
    quote = connection.ops.quote_name
    if set_ids:
        with _raw_cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, len(objs)],
            )
            for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
                obj.pk = pk
    fields = [f for f in meta.concrete_fields if not f.primary_key or set_ids]
    columns = ", ".join(quote(_column(f)) for f in fields)
    with (
        _raw_cursor() as cursor,
        cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy,
    ):
        getters = _getters(fields, add=True)
        for obj in objs:
            copy.write_row([get(obj) for get in getters])
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias


def copy_update(
    model: type[Model], objs: Sequence[Model], field_names: list[str], *, only_where: str = ""
) -> int:
    """Update `field_names` of `objs` (by primary key) from one COPY into a temporary table
    and one UPDATE … FROM. `only_where` narrows the rows updated (SQL on the table, e.g.
    "confirmed_at IS NULL"). Returns the number of rows updated."""
    if not objs:
        return 0
    meta = model._meta
    quote = connection.ops.quote_name
    # `field_names` name concrete fields (the callers': the columns they update).
    fields = [cast("Field[Any, Any]", meta.get_field(name)) for name in field_names]
    table, temp = quote(meta.db_table), quote(f"_copy_update_{meta.db_table}")
    pk = _column(meta.pk)
    columns = [quote(pk), *(quote(_column(f)) for f in fields)]
    assignments = ", ".join(f"{quote(_column(f))} = t.{quote(_column(f))}" for f in fields)
    condition = f" AND ({only_where})" if only_where else ""
    with _raw_cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {temp}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {temp} AS SELECT {', '.join(columns)} FROM {table} "
            "WITH NO DATA"
        )
        with cursor.copy(f"COPY {temp} ({', '.join(columns)}) FROM STDIN") as copy:
            getters = _getters(fields, add=False)
            for obj in objs:
                copy.write_row([obj.pk, *(get(obj) for get in getters)])
        cursor.execute(
            f"UPDATE {table} SET {assignments} FROM {temp} AS t "
            f"WHERE {table}.{quote(pk)} = t.{quote(pk)}{condition}"
        )
        updated = cursor.rowcount
        cursor.execute(f"DROP TABLE {temp}")
    return updated


def copy_values(model: type[Model], columns: list[str], rows: Iterable[Sequence[object]]) -> int:
    """Insert `rows` (tuples of the values of `columns`, attribute names such as "unit_id")
    with one COPY, without a model instance per row: every other column gets its field's
    default, prepared once. A JSON value may be given already serialised (text), which the
    server parses: a value repeated over thousands of rows is then serialised once."""
    meta = model._meta
    quote = connection.ops.quote_name
    wrapper = connections[DEFAULT_DB_ALIAS]
    given = set(columns)
    rest = [f for f in meta.concrete_fields if not f.primary_key and f.attname not in given]
    now = timezone.now()
    defaults = []
    for field in rest:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            defaults.append(now)
        else:
            defaults.append(field.get_db_prep_save(field.get_default(), wrapper))
    by_attname = {field.attname: field for field in meta.concrete_fields}
    names = [_column(by_attname[name]) for name in columns]
    names += [_column(field) for field in rest]
    count = 0
    with (
        _raw_cursor() as cursor,
        cursor.copy(
            f"COPY {quote(meta.db_table)} ({', '.join(quote(n) for n in names)}) FROM STDIN"
        ) as copy,
    ):
        for row in rows:
            copy.write_row([*row, *defaults])
            count += 1
    return count
