"""Imports go one way: a module may import only from layers below its own."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "sitegen"

# The documented dependency order (docs/developers.md, "Architecture"): lowest layer first.
LAYERS: dict[str, int] = {
    "messages": -1, "__init__": 0, "errors": 0, "ads": 0.5, "lifeline": 0, "state": 0.5,
    "state_file": 0.2,
    "byte_ranges": 1,
    "outside_requests": 1,
    "sealed": 0, "source_books": 0,
    "config_schema": 0.9, "config_checks": 0.95,
    "config": 1, "edition_config": 1.5, "translations": 3.8, "editions": 6.9,
    "ci_report": 1, "dates": 1, "images": 1, "sitefiles": 1, "sanitize": 1,
    "brackets": 1, "timelimit": 1, "newsroom": 1, "problem_groups": 1,
    "picture_encoding": 0.5, "pictures": 1, "picture_plan": 1.2, "embeds": 1, "code_highlight": 1,
    "image_service": 0.5, "picture_cache": 0.5, "picture_reuse": 1.5,
    "progress": 0,
    "urls": 2, "index_lists": 1.9, "packed_values": 1.95, "model": 2, "markup": 2, "claims": 2,
    "front_matter": 2.6, "source_pictures": 2.6, "source_body": 2.7,
    "readers": 3, "themes": 3, "template_environment": 3.2, "interface_strings": 3.2,
    "feed_notes": 3, "bodies": 3.5,
    "static_safety": 3.5, "portable_names": 1, "staged_pictures": 1,
    "related": 3.9, "value_views": 3.95, "site_views": 3.96, "cards": 3.97,
    "collect": 4, "views": 4, "plan_sweep": 4.6, "links": 4, "search_shards": 4,
    "pagefind_runs": 4.8, "search_books": 4.7, "search_cache": 4.8, "sitemap_entries": 4.8,
    "feeds": 5, "sitemaps": 5, "search": 5, "deps": 6.2, "hostfiles": 5, "listing": 5,
    "tree_files": 5.5, "output_places": 5.6, "destinations": 5.6,
    "output_lock": 5.7, "hosts_gitlab": 5.8, "hosts_publish": 5.8,
    "hosts_shards": 5.8, "cms_app": 5.8, "link_index": 5.9, "link_edges": 5.85, "link_scan": 5.9,
    "link_targets": 5.9,
    "link_locations": 5.9, "pinning": 6,
    "next_steps": 6, "page_inputs": 4.5,
    # The table of page kinds: what a kind is, the lists, one module per kind (or
    # family), then the registry that lists them.
    "kinds.shift": 5.55, "kinds.base": 5.6, "kinds.list_pages": 5.65,
    "kinds.lists": 5.7, "kinds.articles": 5.8,
    "kinds.home": 5.8,
    "kinds.terms": 5.8, "kinds.archive": 5.8, "kinds.newsroom": 5.8, "kinds.special": 5.8,
    "kinds.files": 5.8, "kinds": 5.9, "claim_book": 5.95,
    "render": 6, "write": 6, "cache": 6, "hosts": 6, "cms": 6, "check": 6,
    "static_stamps": 6.4, "static_stage": 6.8,
    "cluster_tasks": 6.3, "cluster_payloads": 6.35, "cluster": 6.45,
    "workers": 6.5, "sources": 6.7, "render_pages": 6.7,
    "article_records": 2.4,
    "shard_manifest": 2.5, "shards": 6.9, "merge": 6.95,
    # The pipeline: what a build is asked and tells, one build's surroundings and books,
    # serve's memory of the last build, the stages build() calls in order, then build().
    "build_options": 6.96, "build_run": 6.97, "last_build": 6.975, "nothing_changed": 6.976,
    "site_stage": 6.98,
    "output_stage": 6.98, "link_stage": 6.98, "page_stage": 6.985,
    "build": 7, "scaffold": 7, "external": 7,
    "preview_reload": 7.8, "preview_requests": 7.8,
    "watch": 8, "livereload": 8, "body_edits": 8.5, "preview_options": 8.6,
    "serve": 9,
    # The importers sit above readers and below cli; inside the package, the shared
    # pieces come first, then one module per source, then the run that ties them up.
    "importers": 9.1, "importers.report": 9.1, "importers.confine": 9.12, "importers.limits": 9.12,
    "importers.names": 9.15, "importers.write": 9.2, "importers.front": 9.3,
    "importers.liquid": 9.3, "importers.shortcodes": 9.3,
    "importers.html": 9.3, "importers.jekyll_urls": 9.32, "importers.jekyll_convert": 9.35,
    "importers.jekyll": 9.4,
    "importers.hugo": 9.4, "importers.wordpress": 9.5, "importers.run": 9.6,
    "importers.permalinks": 9.3, "importers.wp_blocks": 9.25, "importers.wxr": 9.25,
    "importers.wp_body": 9.35, "importers.collisions": 9.3,
    "importers.dialect": 9.3, "importers.leftovers": 9.25, "importers.files": 9.3,
    "importers.hugo_site": 9.3, "importers.anchors": 9.3, "importers.hugo_urls": 9.32,
    "importers.hugo_convert": 9.35,
    "importers.identity": 9.35, "importers.authors": 9.15,
    "importers.jekyll_data": 9.2, "importers.editions": 9.25, "importers.jekyll_languages": 9.3,
    # The command line: the options and the way of running a command that every family
    # shares, one module per family of commands, then the group that loads them.
    "cli.options": 9.7, "cli.running": 9.7,
    "cli.build": 9.8, "cli.check": 9.8, "cli.serve": 9.8, "cli.create": 9.8,
    "cli.drafts": 9.8, "cli.migrate": 9.8, "cli.cache": 9.8, "cli.cms": 9.8,
    "cli": 10, "__main__": 11,
}
PACKAGES = ("importers", "kinds", "cli")


def sitegen_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "sitegen":
                found.update(alias.name for alias in node.names)
            elif (package := node.module.removeprefix("sitegen.")) in PACKAGES:
                # `from sitegen.cli import main` takes a name from the package itself,
                # `from sitegen.kinds import base` one of its modules.
                found.update(f"{package}.{alias.name}"
                             if (PACKAGE / package / f"{alias.name}.py").is_file() else package
                             for alias in node.names)
            elif node.module.startswith("sitegen."):
                found.add(_module(node.module))
        elif isinstance(node, ast.Import):
            found.update(_module(a.name) for a in node.names if a.name.startswith("sitegen."))
    return found


def _module(dotted: str) -> str:
    """`sitegen.readers` -> `readers`; `sitegen.importers.liquid` -> `importers.liquid`."""
    parts = dotted.split(".")[1:]
    return ".".join(parts[:2]) if parts[0] in PACKAGES else parts[0]


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
    modules = {p.stem: sitegen_imports(p) for p in sorted(PACKAGE.glob("*.py"))}
    for package in PACKAGES:
        for path in sorted((PACKAGE / package).glob("*.py")):
            name = package if path.stem == "__init__" else f"{package}.{path.stem}"
            modules[name] = sitegen_imports(path)
    return modules


def test_every_module_has_a_layer() -> None:
    missing = sorted(set(package_modules()) - set(LAYERS))
    assert not missing, f"add these modules to LAYERS (and docs/developers.md): {missing}"


def test_imports_only_go_down() -> None:
    assert violations(package_modules()) == []


@pytest.mark.parametrize("module,imported", [("config", "build"), ("readers", "render"),
                                             ("model", "model"), ("errors", "config"),
                                             ("importers.jekyll", "importers.run"),
                                             ("importers.write", "cli"),
                                             ("readers", "importers.liquid")])
def test_an_upward_or_sideways_import_is_caught(module: str, imported: str) -> None:
    modules = package_modules()
    modules[module] = modules[module] | {imported}
    assert violations(modules), f"{module} importing {imported} should be a violation"
