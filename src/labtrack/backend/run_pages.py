"""One page of a run search, read by keyset from MLflow's tables.

The page query selects the runs' attribute columns and their sort keys, filtered and
ordered as MLflow would (see ``SqlReader.search_statement``), starting after the last
run of the previous page (``keyset.after``) or, after one of MLflow's offset tokens, by
offset. The columns a person asked for (a few params, metrics, tags) are joined to that
page only, in the same statement: each page costs the rows it returns, not the runs
before it. Many asked columns are read instead by run id in bounded IN lists.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from .keyset import SortKey, after, after_parameter, checked_values
from .page_tokens import PageToken, encode_keyset_token
from .queries import RunQuery, RunRow, finite_or_none

# Asked columns joined into the page statement; SQLite joins at most 64 tables, and
# past a few dozen joins a planner's search costs more than the lookups.
MAX_JOINED_COLUMNS = 24
OFFSET = "lt_offset"  # the bound OFFSET of a page after one of MLflow's offset tokens
RUN_ATTRIBUTES = (
    "run_uuid",
    "name",
    "experiment_id",
    "status",
    "start_time",
    "end_time",
    "user_id",
    "lifecycle_stage",
)


@dataclass
class PageRead:
    rows: list[RunRow]
    next_page_token: str | None
    columns_filled: bool  # False: the caller still reads the asked columns


@dataclass(frozen=True)
class PageStatement:
    """A search's page query, compiled once: every page of the search runs the same SQL
    with the previous page's last keys (or an offset) as its parameters."""

    sql: str
    positions: tuple[str, ...] | None  # parameter names in order, for positional drivers
    parameters: dict  # every value bound when compiled; a page replaces the token's
    keys: list[SortKey]
    joined: bool  # the asked columns are in the statement


class PageStatements:
    """The compiled page statements of recent searches (SQLAlchemy builds and compiles
    one in about as long as SQLite takes to run it)."""

    def __init__(self, size: int = 128) -> None:
        self._size = size
        self._found: OrderedDict[tuple, PageStatement] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, shape: tuple) -> PageStatement | None:
        with self._lock:
            found = self._found.get(shape)
            if found is not None:
                self._found.move_to_end(shape)
            return found

    def put(self, shape: tuple, statement: PageStatement) -> None:
        with self._lock:
            self._found[shape] = statement
            while len(self._found) > self._size:
                self._found.popitem(last=False)


def read_page(reader, session, query: RunQuery, token: PageToken | None, fingerprint: str):
    """``reader``: a :class:`SqlReader`. Raises InvalidQuery for a token that does not fit."""
    from .sql_rows import driver_rows

    dialect = session.get_bind().dialect.name
    shape = (
        fingerprint,
        query.page_size,
        query.params,
        query.metrics,
        query.tags,
        dialect,
        None if token is None else _token_shape(token),
    )
    page = reader.page_statements.get(shape)
    if page is None:
        page = _compile(reader, session, query, token, dialect)
        reader.page_statements.put(shape, page)
    parameters = dict(page.parameters)
    if token is not None and token.keys is not None:
        values = checked_values(page.keys, token.keys)
        parameters.update(
            (after_parameter(i), value) for i, value in enumerate(values) if value is not None
        )
    elif token is not None:
        parameters[OFFSET] = token.offset
    if page.positions is not None:
        parameters = [parameters[name] for name in page.positions]
    found = driver_rows(session, page.sql, parameters)
    width = len(RUN_ATTRIBUTES)
    keys = len(page.keys)
    rows = _rows(found[: query.page_size], width + keys, query if page.joined else None)
    next_token = None
    if len(found) > query.page_size:
        last = found[query.page_size - 1]
        start = token.offset if token is not None else 0
        next_token = encode_keyset_token(
            start + query.page_size, list(last[width : width + keys]), fingerprint
        )
    asked = query.params or query.metrics or query.tags
    return PageRead(rows=rows, next_page_token=next_token, columns_filled=page.joined or not asked)


def _token_shape(token: PageToken) -> tuple:
    """What of a token changes the page's SQL: offset or keys, and which keys are NULL."""
    if token.keys is None:
        return ("offset",)
    return ("keys", tuple(value is None for value in token.keys))


def _compile(reader, session, query: RunQuery, token: PageToken | None, dialect: str):
    from mlflow.store.tracking.dbmodels.models import SqlRun
    from sqlalchemy import bindparam

    columns = [getattr(SqlRun, name).label(f"lt_run_{i}") for i, name in enumerate(RUN_ATTRIBUTES)]
    statement, keys = reader.search_statement(session, query, columns)
    if token is not None and token.keys is not None:
        statement = statement.where(after(keys, checked_values(keys, token.keys), dialect))
    elif token is not None:
        statement = statement.offset(bindparam(OFFSET, token.offset))
    statement = statement.limit(query.page_size + 1)
    asked = len(query.params) + len(query.metrics) + len(query.tags)
    joined = 0 < asked <= MAX_JOINED_COLUMNS
    if joined:
        statement = _with_asked_columns(statement, keys, query, dialect == "postgresql")
    compiled = statement.compile(
        dialect=session.get_bind().dialect, compile_kwargs={"render_postcompile": True}
    )
    positions = tuple(compiled.positiontup) if compiled.positiontup is not None else None
    return PageStatement(str(compiled), positions, dict(compiled.params), keys, joined)


def _with_asked_columns(statement, keys: list[SortKey], query: RunQuery, lateral: bool):
    """The page as a subquery, with one LEFT JOIN per asked column, in the page's order.

    ``lateral`` (PostgreSQL): each column is a LATERAL lookup of one row, which the
    planner cannot turn into a hash join; a hash join reads the key's value of every run
    in the store to join a page of them, each page costing what the whole table does."""
    from mlflow.store.tracking.dbmodels.models import SqlLatestMetric, SqlParam, SqlTag
    from sqlalchemy import and_, select, true

    page = statement.subquery("lt_page")
    run_id = page.c.lt_run_0
    selected = [page.c[f"lt_run_{i}"] for i in range(len(RUN_ATTRIBUTES))]
    selected += [page.c[f"lt_key_{i}"] for i in range(len(keys))]
    joined = page
    for prefix, entity, names, extra in (
        ("p", SqlParam, query.params, ()),
        ("m", SqlLatestMetric, query.metrics, ("is_nan",)),
        ("t", SqlTag, query.tags, ("key",)),  # a tag's value may be NULL: key marks it
    ):
        for index, name in enumerate(names):
            table = entity.__table__.alias(f"lt_{prefix}{index}")
            wanted = (table.c.value, *(table.c[column] for column in extra))
            if lateral:
                found = (
                    select(*wanted)
                    .where(table.c.run_uuid == run_id, table.c.key == name)
                    .limit(1)
                    .lateral(f"lt_{prefix}{index}_row")
                )
                joined = joined.outerjoin(found, true())
                selected += list(found.c)
            else:
                joined = joined.outerjoin(
                    table, and_(table.c.run_uuid == run_id, table.c.key == name)
                )
                selected += list(wanted)
    ordering = []
    for index, key in enumerate(keys):
        column = page.c[f"lt_key_{index}"]
        ordering.append(column.desc() if key.descending else column.asc())
    return select(*selected).select_from(joined).order_by(*ordering)


def _rows(found: list[tuple], start: int, query: RunQuery | None) -> list[RunRow]:
    """RunRows from the page's rows; the asked columns sit from ``start`` on (each param
    one value; each metric its value and is_nan; each tag its value and key), when
    ``query`` is given. Built in one pass: 10k rows of five columns are 11 pages here."""
    params, metrics, tags = [], [], []
    if query is not None:
        params = [(name, start + i) for i, name in enumerate(query.params)]
        start += len(params)
        metrics = [(name, start + 2 * i) for i, name in enumerate(query.metrics)]
        start += 2 * len(metrics)
        tags = [(name, start + 2 * i) for i, name in enumerate(query.tags)]
    return [
        RunRow(
            v[0],
            v[1] or "",
            str(v[2]),
            v[3],
            v[4],
            v[5],
            v[6],
            v[7],
            {name: v[i] for name, i in params if v[i] is not None},
            {
                name: None if v[i + 1] else finite_or_none(v[i])
                for name, i in metrics
                if v[i] is not None
            },
            {name: v[i] for name, i in tags if v[i + 1] is not None},
        )
        for v in found
    ]
