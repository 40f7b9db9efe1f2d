"""Imports go one way: a module may import only from layers below its own."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "sitegen"

# The documented dependency order (README, "Architecture"): lowest layer first.
LAYERS: dict[str, int] = {
    "__init__": 0, "errors": 0,
    "config": 1, "dates": 1, "images": 1,
    "urls": 2, "model": 2, "markup": 2,
    "readers": 3, "themes": 3,
    "collect": 4, "views": 4, "search_shards": 4,
    "feeds": 5, "sitemaps": 5, "search": 5,
    "render": 6, "write": 6, "cache": 6,
    "build": 7, "scaffold": 7,
    "watch": 8, "livereload": 8,
    "serve": 9,
    "cli": 10, "__main__": 11,
}


def sitegen_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "sitegen":
                found.update(alias.name for alias in node.names)
            elif node.module.startswith("sitegen."):
                found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("sitegen."))
    return found


def violations(modules: dict[str, set[str]]) -> list[str]:
    problems = []
    for module, imported in sorted(modules.items()):
        for target in sorted(imported):
            target = "__init__" if target == "__version__" else target
            if target not in LAYERS:
                problems.append(f"{module} imports {target}, which has no layer in LAYERS")
            elif LAYERS[target] >= LAYERS[module]:
                problems.append(f"{module} (layer {LAYERS[module]}) imports {target} "
                                f"(layer {LAYERS[target]})")
    return problems


def package_modules() -> dict[str, set[str]]:
    return {p.stem: sitegen_imports(p) for p in sorted(PACKAGE.glob("*.py"))}


def test_every_module_has_a_layer() -> None:
    missing = sorted(set(package_modules()) - set(LAYERS))
    assert not missing, f"add these modules to LAYERS (and the README): {missing}"


def test_imports_only_go_down() -> None:
    assert violations(package_modules()) == []


@pytest.mark.parametrize("module,imported", [("config", "build"), ("readers", "render"),
                                             ("model", "model"), ("errors", "config")])
def test_an_upward_or_sideways_import_is_caught(module: str, imported: str) -> None:
    modules = package_modules()
    modules[module] = modules[module] | {imported}
    assert violations(modules), f"{module} importing {imported} should be a violation"
