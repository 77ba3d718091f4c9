"""One page of a run search, read by keyset from MLflow's tables.

The page query selects the runs' attribute columns and their sort keys, filtered and
ordered as MLflow would (see ``SqlReader.search_statement``), starting after the last
run of the previous page (``keyset.after``) or, after one of MLflow's offset tokens, by
offset. The columns a person asked for (a few params, metrics, tags) are joined to that
page only, in the same statement: each page costs the rows it returns, not the runs
before it. Many asked columns are read instead by run id in bounded IN lists.
"""

from __future__ import annotations

from dataclasses import dataclass

from .keyset import SortKey, after, checked_values
from .page_tokens import PageToken, encode_keyset_token
from .queries import RunQuery, RunRow, finite_or_none

# Asked columns joined into the page statement; SQLite joins at most 64 tables, and
# past a few dozen joins a planner's search costs more than the lookups.
MAX_JOINED_COLUMNS = 24
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


def read_page(reader, session, query: RunQuery, token: PageToken | None, fingerprint: str):
    """``reader``: a :class:`SqlReader`. Raises InvalidQuery for a token that does not fit."""
    from mlflow.store.tracking.dbmodels.models import SqlRun

    columns = [getattr(SqlRun, name).label(f"lt_run_{i}") for i, name in enumerate(RUN_ATTRIBUTES)]
    statement, keys = reader.search_statement(session, query, columns)
    if token is not None and token.keys is not None:
        values = checked_values(keys, token.keys)
        dialect = session.get_bind().dialect.name
        statement = statement.where(after(keys, values, dialect))
    elif token is not None:
        statement = statement.offset(token.offset)
    statement = statement.limit(query.page_size + 1)
    asked = len(query.params) + len(query.metrics) + len(query.tags)
    join = 0 < asked <= MAX_JOINED_COLUMNS
    if join:
        lateral = session.get_bind().dialect.name == "postgresql"
        statement = _with_asked_columns(statement, keys, query, lateral)
    from .sql_rows import plain_rows

    found = plain_rows(session, statement)
    width = len(RUN_ATTRIBUTES)
    rows = [_row(values[:width]) for values in found[: query.page_size]]
    if join:
        _fill_from(rows, found, width + len(keys), query)
    next_token = None
    if len(found) > query.page_size:
        last = found[query.page_size - 1]
        start = token.offset if token is not None else 0
        next_token = encode_keyset_token(
            start + query.page_size, list(last[width : width + len(keys)]), fingerprint
        )
    return PageRead(rows=rows, next_page_token=next_token, columns_filled=join or not asked)


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


def _fill_from(rows: list[RunRow], found: list[tuple], start: int, query: RunQuery) -> None:
    for row, values in zip(rows, found, strict=False):  # found may hold one more
        position = start
        for name in query.params:
            if values[position] is not None:
                row.params[name] = values[position]
            position += 1
        for name in query.metrics:
            value, is_nan = values[position], values[position + 1]
            if value is not None:
                row.metrics[name] = None if is_nan else finite_or_none(value)
            position += 2
        for name in query.tags:
            if values[position + 1] is not None:
                row.tags[name] = values[position]
            position += 2


def _row(columns) -> RunRow:
    run_id, name, experiment_id, status, start, end, user, stage = columns
    return RunRow(
        run_id=run_id,
        run_name=name or "",
        experiment_id=str(experiment_id),
        status=status,
        start_time=start,
        end_time=end,
        user_id=user,
        lifecycle_stage=stage,
    )
