"""Running a cell magic's body as IPython would run a cell.

Nested ``run_cell`` would print a clean traceback but report the outer cell as a
success, so "Run All" would carry on past a failed training cell. Executing the
body here keeps the outer cell's success or failure truthful, keeps IPython's
input transforms (``!cmd``, ``%magic`` lines), shows the value of a trailing
expression as the cell's output (unless it ends in ``;``), and points tracebacks
at the notebook's own line numbers.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CompiledCell:
    filename: str
    statements: Any  # code object for everything but a trailing expression
    last_expression: Any  # code object evaluating the trailing expression, or None
    quiet: bool  # the cell ends in ';': run the expression, show nothing


def compile_body(shell, magic_line: str, body: str) -> CompiledCell:
    """Transform and compile ``body``; raises SyntaxError before anything runs."""
    raw_cell = f"%%{magic_line}\n{body}"
    transformed = shell.transform_cell(body)
    filename = shell.compile.cache(raw_cell, shell.execution_count, raw_code=raw_cell)
    # One blank line stands for the ``%%track`` line so line numbers match the cell.
    tree = shell.compile.ast_parse("\n" + transformed, filename=filename)
    tree = shell.transform_ast(tree)
    nodes = list(tree.body)
    trailing = nodes.pop() if nodes and isinstance(nodes[-1], ast.Expr) else None
    statements = shell.compile(ast.Module(body=nodes, type_ignores=[]), filename, "exec")
    quiet = trailing is not None and shell.displayhook.semicolon_at_end_of_expression(transformed)
    last = None
    if trailing is not None:
        last = (
            shell.compile(ast.Module(body=[trailing], type_ignores=[]), filename, "exec")
            if quiet
            else shell.compile(ast.Expression(body=trailing.value), filename, "eval")
        )
    return CompiledCell(filename, statements, last, quiet)


def run_compiled(shell, cell: CompiledCell) -> Any:
    """Execute in the user's namespace; return the trailing expression's value."""
    __tracebackhide__ = True  # noqa: F841 -- IPython hides this frame in tracebacks
    global_ns, local_ns = shell.user_global_ns, shell.user_ns
    exec(cell.statements, global_ns, local_ns)
    if cell.last_expression is None:
        return None
    if cell.quiet:
        exec(cell.last_expression, global_ns, local_ns)
        return None
    return eval(cell.last_expression, global_ns, local_ns)
