"""The layers of the package import only downward: the folder layout is the architecture.

terms, config, processes <- curation <- compile; terms <- store <- search <- sparql, web <- app <- cli.
A module may import its own package and the packages its layer is allowed; nothing upward or
sideways, and the protocol and page layers reach the data only through the Store interface.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "service" / "pnetkg"

BOTTOM = {"terms", "config", "processes"}
ALLOWED = {
    "terms": set(),
    "config": set(),
    "processes": set(),
    "curation": {"terms"},
    "compile": {"terms", "curation"},
    "store": {"terms", "config", "processes"},
    "search": {"terms", "store"},
    "sparql": {"terms", "config", "store"},
    "web": {"terms", "config", "store", "search"},
    "app": BOTTOM | {"store", "search", "sparql", "web"},
    "cli": BOTTOM | {"curation", "compile", "store", "app"},
}
# third-party libraries a layer must not use: it goes through the layer below instead
FORBIDDEN = {
    "sparql": {"pyoxigraph", "SPARQLWrapper"},
    "web": {"pyoxigraph", "SPARQLWrapper"},
    "search": {"pyoxigraph", "SPARQLWrapper"},
    "store": {"flask", "werkzeug"},
    "curation": {"flask", "pyoxigraph"},
    "compile": {"flask", "pyoxigraph"},
}


def _layer(path: Path, package: Path = PACKAGE) -> str:
    parts = path.relative_to(package).with_suffix("").parts
    return parts[0]


def _imports(path: Path, package: Path = PACKAGE) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in the file, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = ["pnetkg", *path.relative_to(package).with_suffix("").parts]
    if here[-1] == "__init__":
        here = here[:-1]
    else:
        here = here[:-1]  # the package the module is in
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
                found += [(node.lineno, f"{name}.{a.name}" if not node.module else name) for a in node.names]
            else:
                found.append((node.lineno, node.module or ""))
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_every_module_belongs_to_a_known_layer():
    assert {_layer(p) for p in MODULES} - {"__init__"} <= set(ALLOWED)


def violations(path: Path, package: Path = PACKAGE) -> list[str]:
    layer = _layer(path, package)
    if layer == "__init__":
        return []
    wrong = []
    for line, name in _imports(path, package):
        top = name.split(".")[0]
        if top == "pnetkg":
            target = name.split(".")[1] if "." in name else "__init__"
            if target != layer and target not in ALLOWED[layer]:
                wrong.append(f"line {line}: {layer} imports {name}")
        elif top in FORBIDDEN.get(layer, set()):
            wrong.append(f"line {line}: {layer} imports {top}; go through the layer below")
    return wrong


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_go_only_downward(path):
    wrong = violations(path)
    assert not wrong, f"{path.relative_to(PACKAGE)}:\n  " + "\n  ".join(wrong)


def test_an_upward_a_sideways_and_a_forbidden_import_are_each_found(tmp_path):
    (tmp_path / "store").mkdir()
    (tmp_path / "web").mkdir()
    upward = tmp_path / "store" / "pool.py"
    upward.write_text("from ..web.pages import bp\nfrom ..terms import iris\n")
    sideways = tmp_path / "web" / "pages.py"
    sideways.write_text("from ..sparql.endpoint import choose_format\nimport pyoxigraph\n")
    assert violations(upward, tmp_path) == ["line 1: store imports pnetkg.web.pages"]
    assert violations(sideways, tmp_path) == [
        "line 1: web imports pnetkg.sparql.endpoint",
        "line 2: web imports pyoxigraph; go through the layer below",
    ]
