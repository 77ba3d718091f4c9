"""Every document the project points to exists: Markdown links between the docs, and the
`*.md` files that code, scripts and tests name in their messages and comments."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINK = re.compile(r"\]\(([^)\s]+)\)")
NAMED_DOC = re.compile(r"(?<![\w./-])((?:[\w-]+/)*[\w.-]+\.md)\b")
SKIPPED_DIRS = {"node_modules", ".venv", ".git", "lib", "labextension", "artifacts"}


def _files(*patterns: str) -> list[Path]:
    found = []
    for pattern in patterns:
        for path in ROOT.glob(pattern):
            if not SKIPPED_DIRS.intersection(path.relative_to(ROOT).parts):
                found.append(path)
    return sorted(found)


def _broken_links(document: Path) -> list[str]:
    broken = []
    for target in LINK.findall(document.read_text(encoding="utf-8")):
        if re.match(r"^[a-z]+:", target) or target.startswith("#"):
            continue  # a web address or an anchor in the same page
        path = target.split("#", 1)[0]
        if path and not (document.parent / path).exists():
            broken.append(target)
    return broken


def test_markdown_links_between_the_projects_documents_resolve():
    documents = _files("*.md", "docs/**/*.md", "benchmarks/*.md", "examples/**/*.md")
    assert len(documents) >= 5, documents
    broken = {str(d.relative_to(ROOT)): _broken_links(d) for d in documents}
    assert {name: links for name, links in broken.items() if links} == {}


def test_documents_named_in_code_scripts_and_tests_exist():
    sources = _files("src/**/*.py", "scripts/*", "tests/**/*.py", "js/**/*.ts", "js/**/*.tsx")
    sources = [path for path in sources if path.is_file()]
    assert len(sources) > 100, len(sources)
    missing = set()
    for source in sources:
        for name in NAMED_DOC.findall(source.read_text(encoding="utf-8", errors="replace")):
            if name.startswith("../"):
                continue  # outside the repository
            # A bare name ("see rest-api.md") is one of the docs or beside the source.
            bases = (ROOT, ROOT / "docs", source.parent)
            if not any((base / name).exists() for base in bases):
                missing.add(f"{source.relative_to(ROOT)}: {name}")
    assert sorted(missing) == []
