"""The package layout of docs/architecture.md holds: no import cycles, small modules.

The layers themselves are import-linter's contracts (``pyproject.toml``, run by
``scripts/test`` as ``lint-imports``); this checks what import-linter does not: that no
two modules import each other, directly or round a longer loop, counting imports made
inside functions (grimp reads every import statement, wherever it stands).
"""

from __future__ import annotations

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
