"""Plain rows from MLflow's SQL tables: the driver's own cursor, ids in bounded IN lists."""

from __future__ import annotations

from collections.abc import Iterator

from ..limits import batched

IN_CHUNK = 1000  # ids per IN (...) list: a whole page, far below engines' parameter limits


def plain_rows(session, statement) -> list[tuple]:
    """Execute on the driver's own cursor and return plain tuples.

    SQLAlchemy's Row objects cost more than the query itself at 100k rows (and turn
    numpy conversion from milliseconds into seconds); the SQL is still SQLAlchemy's.
    """
    connection = session.connection()
    compiled = statement.compile(
        dialect=connection.dialect, compile_kwargs={"render_postcompile": True}
    )
    parameters = compiled.params  # a property that rebuilds the dict on every access
    if compiled.positiontup is not None:
        parameters = [parameters[name] for name in compiled.positiontup]
    cursor = connection.connection.driver_connection.cursor()
    try:
        cursor.execute(str(compiled), parameters)
        return cursor.fetchall()
    finally:
        cursor.close()


def driver_rows(session, sql: str, parameters) -> list[tuple]:
    """SQL already compiled for this driver, run on its own cursor: plain tuples."""
    cursor = session.connection().connection.driver_connection.cursor()
    try:
        cursor.execute(sql, parameters)
        return cursor.fetchall()
    finally:
        cursor.close()


def in_id_chunks(ids: list[str]) -> Iterator[list[str]]:
    for chunk in batched(ids, IN_CHUNK):
        yield list(chunk)
