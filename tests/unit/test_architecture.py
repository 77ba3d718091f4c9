"""The package layout of docs/architecture.md holds: no import cycles, small modules.

The layers themselves are import-linter's contracts (``pyproject.toml``, run by
``scripts/test`` as ``lint-imports``); this checks what import-linter does not: that no
two modules import each other, directly or round a longer loop, counting imports made
inside functions (grimp reads every import statement, wherever it stands).
"""

from __future__ import annotations

import ast
from pathlib import Path

import grimp

SOURCE = Path(__file__).resolve().parents[2] / "src" / "labtrack"
SCRIPTS = Path(__file__).resolve().parents[2] / "js"
# Written by json-schema-to-typescript from the Python contract, never by hand.
GENERATED = SCRIPTS / "lab" / "generated"
MAX_LINES = 400


def _cycles(graph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            module, targets = work[-1]
            advanced = False
            for target in targets:
                if target not in index:
                    index[target] = low[target] = counter
                    counter += 1
                    stack.append(target)
                    on_stack.add(target)
                    imported = sorted(graph.find_modules_directly_imported_by(target))
                    work.append((target, iter(imported)))
                    advanced = True
                    break
                if target in on_stack:
                    low[module] = min(low[module], index[target])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[module])
            if low[module] == index[module]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == module:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_cycle_finder_finds_a_loop_through_a_function_level_import(tmp_path, monkeypatch):
    package = tmp_path / "loopy"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from . import b\n")
    (package / "b.py").write_text("def later():\n    from . import c\n")
    (package / "c.py").write_text("from .a import b\n")
    (package / "d.py").write_text("from . import a\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    graph = grimp.build_graph("loopy", cache_dir=None)
    assert _cycles(graph) == [["loopy.a", "loopy.b", "loopy.c"]]


def test_no_module_of_labtrack_imports_itself_round_a_loop():
    graph = grimp.build_graph("labtrack", cache_dir=None)
    assert _cycles(graph) == []


def test_no_python_module_is_longer_than_the_style_guide_allows():
    long = {
        str(path.relative_to(SOURCE)): lines
        for path in SOURCE.rglob("*.py")
        if (lines := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}


def test_no_typescript_module_is_longer_than_the_style_guide_allows():
    long = {
        str(path.relative_to(SCRIPTS)): lines
        for pattern in ("*.ts", "*.tsx")
        for path in SCRIPTS.rglob(pattern)
        if GENERATED not in path.parents
        and (lines := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}


BROWSER_TESTS = Path(__file__).resolve().parents[1] / "browser"
# Polling helpers of the browser tests, by file and function: each checks its condition
# every turn, has a deadline and says what never happened; the pause between turns is the
# only fixed wait allowed, and only there.
POLLING_HELPERS = {
    ("conftest.py", "_wait_until_ready"): (
        "polls jupyter lab's /api/status (no page yet) until it answers, its process exits "
        "or LAB_START_TIMEOUT_S passes"
    ),
    ("test_run_management.py", "wait_for"): (
        "polls the store, not the page: requests the page sent may still be landing"
    ),
    ("test_watch_static.py", "_saved_watch_output"): (
        "polls the notebook file on disk until a save has written labtrack's static form"
    ),
    ("test_widget_bundle.py", "wait_until_saved_with_widgets"): (
        "polls the notebook file on disk until JupyterLab has written the widget outputs"
    ),
}


def _fixed_waits(source: str) -> list[tuple[int, str | None, str]]:
    """(line, innermost enclosing function, what) of each fixed wait called in `source`:
    ``….wait_for_timeout(…)`` and ``time.sleep(…)`` (``sleep`` imported from time too).
    Code inside string literals (a notebook cell's source) is not parsed, so not counted."""
    tree = ast.parse(source)
    time_modules = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
        if alias.name == "time"
    }
    sleeps = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "time"
        for alias in node.names
        if alias.name == "sleep"
    }
    found: list[tuple[int, str | None, str]] = []

    def visit(node: ast.AST, function: str | None) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Call):
                func = child.func
                if isinstance(func, ast.Attribute) and func.attr == "wait_for_timeout":
                    found.append((child.lineno, function, "wait_for_timeout"))
                elif (
                    isinstance(func, ast.Attribute)
                    and func.attr == "sleep"
                    and isinstance(func.value, ast.Name)
                    and func.value.id in time_modules
                ) or (isinstance(func, ast.Name) and func.id in sleeps):
                    found.append((child.lineno, function, "time.sleep"))
            inner = (
                child.name
                if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
                else function
            )
            visit(child, inner)

    visit(tree, None)
    return found


def test_the_fixed_wait_finder_finds_calls_but_not_cell_sources():
    source = """
import time
from time import sleep as nap

CELL = "import time\\ntime.sleep(0.1)"


def test_something(page):
    page.wait_for_timeout(500)
    page.locator("x").click()


def poll():
    def turn():
        nap(0.1)
    time.sleep(0.2)
"""
    assert _fixed_waits(source) == [
        (9, "test_something", "wait_for_timeout"),
        (15, "turn", "time.sleep"),
        (16, "poll", "time.sleep"),
    ]


def test_browser_tests_wait_on_conditions_not_for_fixed_times():
    waits = {
        (str(path.relative_to(BROWSER_TESTS)), line, function, what)
        for path in sorted(BROWSER_TESTS.rglob("*.py"))
        for line, function, what in _fixed_waits(path.read_text())
    }
    unexplained = {wait for wait in waits if (wait[0], wait[2]) not in POLLING_HELPERS}
    assert unexplained == set(), "wait on a condition (expect, wait_for_function) instead"
    # A helper that no longer sleeps comes off the list, so the list stays what it says.
    assert {(file, function) for file, _, function, _ in waits} == set(POLLING_HELPERS)
