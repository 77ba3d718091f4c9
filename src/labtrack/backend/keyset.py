"""Keyset paging over MLflow's own run ordering.

MLflow's clause builder orders runs by the asked keys (each preceded by a "missing
first/last" CASE), then by start time, then by run id, so the order is total. The sort
keys here are those same expressions; a page ends with the key values of its last run,
and the next page is "every run that sorts after those values": for keys k1..kn,
``k1 after v1 OR (k1 = v1 AND k2 after v2) OR …``, with NULLs placed where the
database's ORDER BY puts them (lowest on SQLite and MySQL, highest on PostgreSQL).
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import InvalidQuery

# Engines whose ORDER BY puts NULL after every value in ascending order.
NULLS_HIGH_DIALECTS = ("postgresql", "oracle")


@dataclass(frozen=True)
class SortKey:
    expression: object  # a SQLAlchemy column expression
    descending: bool


def sort_keys(order_columns, order_clauses) -> list[SortKey]:
    """The expressions and directions of MLflow's ORDER BY clauses, in order.

    MLflow refers to its CASE columns by label name; those are looked up among the
    selected ``order_columns``. Anything of another shape means MLflow's builder changed:
    NotImplementedError, and the façade falls back to MLflow's client.
    """
    from sqlalchemy.sql import operators
    from sqlalchemy.sql.elements import Label, UnaryExpression

    labels = {column.name: column for column in order_columns if isinstance(column, Label)}
    keys = []
    for clause in order_clauses:
        if isinstance(clause, str):
            if clause not in labels:
                raise NotImplementedError(f"unknown ORDER BY label {clause!r}")
            keys.append(SortKey(labels[clause].element, descending=False))
        elif isinstance(clause, UnaryExpression):
            if clause.modifier is operators.desc_op:
                keys.append(SortKey(clause.element, descending=True))
            elif clause.modifier is operators.asc_op:
                keys.append(SortKey(clause.element, descending=False))
            else:
                raise NotImplementedError(f"unexpected ORDER BY modifier {clause.modifier}")
        else:
            keys.append(SortKey(clause, descending=False))
    return keys


def checked_values(keys: list[SortKey], values: tuple) -> list:
    """A token's key values, checked against the keys' SQL types (client input)."""
    if len(values) != len(keys):
        raise InvalidQuery("page_token does not fit this search's ordering")
    return [_checked(key, value) for key, value in zip(keys, values, strict=True)]


def _checked(key: SortKey, value):
    if value is None:
        return None
    try:
        expected = key.expression.type.python_type
    except (AttributeError, NotImplementedError):
        return value
    if expected is float and isinstance(value, (int, float)):
        return float(value)
    if expected is int and isinstance(value, int):
        return value
    if expected is str and isinstance(value, str):
        return value
    raise InvalidQuery("page_token does not fit this search's ordering (a key's type)")


def after(keys: list[SortKey], values: list, dialect_name: str):
    """The WHERE clause selecting the rows that sort after ``values``.

    Each non-NULL value is the bound parameter ``after_parameter(i)``: the clause of one
    search compiles to the same SQL for every page (only which values are NULL changes
    its shape), so a page's statement can be compiled once and reused."""
    from sqlalchemy import and_, bindparam, false, or_

    nulls_high = dialect_name in NULLS_HIGH_DIALECTS
    branches = []
    equal_so_far = []
    for index, (key, value) in enumerate(zip(keys, values, strict=True)):
        expression = key.expression
        bound = None
        if value is not None:
            bound = bindparam(after_parameter(index), value, type_=expression.type)
        beyond = _beyond(key, bound, nulls_high)
        if beyond is not None:
            branches.append(and_(*equal_so_far, beyond))
        equal_so_far.append(expression.is_(None) if bound is None else expression == bound)
    if not branches:  # the last run sorts after everything: nothing follows it
        return false()
    return or_(*branches)


def after_parameter(index: int) -> str:
    return f"lt_after_{index}"


def _beyond(key: SortKey, value, nulls_high: bool):
    """Rows whose ``key`` sorts strictly after ``value`` (a bound parameter, or None for
    NULL); None when none can."""
    from sqlalchemy import or_

    expression = key.expression
    # Where NULLs sit in this direction: ascending puts them at the low end of the
    # engine's order; descending reverses it.
    nulls_first = nulls_high == key.descending
    if value is None:
        return expression.is_not(None) if nulls_first else None
    later = expression < value if key.descending else expression > value
    if nulls_first:
        return later  # NULLs come before every value, so none of them is after it
    return or_(later, expression.is_(None))


def direct_joins(order_joins, keys: list[SortKey], run_id_column):
    """MLflow joins each ordering param, metric or tag as a subquery
    (``SELECT * FROM latest_metrics WHERE key = 'loss'``). SQLite materialises such a
    subquery on the right of a LEFT JOIN and, without table statistics, scans it once per
    run: hours at 100k runs. The same rows joined as a plain aliased table (``ON run_uuid
    = runs.run_uuid AND key = 'loss'``) are found through the (key, run_uuid) primary key.
    Returns the (alias, on-clause) joins and the keys rewritten onto the aliases."""
    from sqlalchemy import and_
    from sqlalchemy.sql import visitors
    from sqlalchemy.sql.util import ClauseAdapter

    replacements: dict[int, object] = {}
    joins = []
    for index, subquery in enumerate(order_joins):
        select = getattr(subquery, "element", None)
        froms = select.get_final_froms() if select is not None else []
        if len(froms) != 1 or select.whereclause is None:
            raise NotImplementedError("unexpected shape of an MLflow ordering join")
        alias = froms[0].alias(f"lt_order_{index}")
        condition = ClauseAdapter(alias).traverse(select.whereclause)
        joins.append((alias, and_(alias.c.run_uuid == run_id_column, condition)))
        for column in subquery.c:
            replacements[id(column)] = alias.c[column.key]

    def replace(element):
        return replacements.get(id(element))

    rewritten = [
        SortKey(visitors.replacement_traverse(key.expression, {}, replace), key.descending)
        for key in keys
    ]
    return joins, rewritten


def without_redundant_null_keys(keys: list[SortKey], dialect_name: str) -> list[SortKey]:
    """MLflow sorts a run missing the ordering value last with a ``CASE WHEN value IS NULL
    THEN 1 ELSE 0 END`` key before the value. Where the engine already puts NULLs last in
    that direction (descending on SQLite, ascending on PostgreSQL) the CASE changes no
    order, and dropping it lets an index serve the order: the Runs panel's default
    ``start_time DESC`` page then reads 200 rows from the index instead of sorting 100k."""
    nulls_high = dialect_name in NULLS_HIGH_DIALECTS
    kept = []
    for index, key in enumerate(keys):
        following = keys[index + 1] if index + 1 < len(keys) else None
        if (
            following is not None
            and not key.descending
            and following.descending != nulls_high
            and _null_guard_of(key.expression, following.expression)
        ):
            continue
        kept.append(key)
    return kept


def _null_guard_of(case, value) -> bool:
    """True for ``CASE WHEN <value> IS NULL THEN 1 ELSE 0 END``."""
    from sqlalchemy.sql import operators
    from sqlalchemy.sql.elements import Case

    if not isinstance(case, Case) or len(case.whens) != 1:
        return False
    condition, result = case.whens[0]
    if getattr(condition, "operator", None) is not operators.is_:
        return False
    if not _literal_is(result, 1) or not _literal_is(case.else_, 0):
        return False
    return condition.left.compare(value)


def _literal_is(element, number: int) -> bool:
    return getattr(element, "value", None) == number and not isinstance(
        getattr(element, "value", None), bool
    )
