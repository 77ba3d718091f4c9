"""Running a cell magic's body as IPython would run a cell.

Nested ``run_cell`` would print a clean traceback but report the outer cell as a
success, so "Run All" would carry on past a failed training cell. Executing the
body here keeps the outer cell's success or failure truthful, keeps IPython's
input transforms (``!cmd``, ``%magic`` lines), shows the value of a trailing
expression as the cell's output, and points tracebacks at the notebook's own
line numbers.
"""

from __future__ import annotations

import ast
from typing import Any


def run_body(shell, magic_line: str, body: str) -> Any:
    """Execute ``body`` in the user's namespace; return the last expression's value."""
    __tracebackhide__ = True  # noqa: F841 -- IPython hides this frame in tracebacks
    raw_cell = f"%%{magic_line}\n{body}"
    transformed = shell.transform_cell(body)
    # One blank line stands for the ``%%track`` line so line numbers match the cell.
    filename = shell.compile.cache(raw_cell, shell.execution_count, raw_code=raw_cell)
    tree = shell.compile.ast_parse("\n" + transformed, filename=filename)
    tree = shell.transform_ast(tree)
    statements, last_expression = _split_last_expression(tree)
    global_ns, local_ns = shell.user_global_ns, shell.user_ns
    if statements:
        module = ast.Module(body=statements, type_ignores=[])
        exec(shell.compile(module, filename, "exec"), global_ns, local_ns)
    if last_expression is None:
        return None
    if shell.displayhook.semicolon_at_end_of_expression(transformed):
        # IPython checks the outer cell (the magic call) for the trailing ';'.
        exec(
            shell.compile(ast.Module(body=[last_expression], type_ignores=[]), filename, "exec"),
            global_ns,
            local_ns,
        )
        return None
    expression = ast.Expression(body=last_expression.value)
    return eval(shell.compile(expression, filename, "eval"), global_ns, local_ns)


def _split_last_expression(tree: ast.Module) -> tuple[list[ast.stmt], ast.Expr | None]:
    body = list(tree.body)
    if body and isinstance(body[-1], ast.Expr):
        return body[:-1], body[-1]
    return body, None
