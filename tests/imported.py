"""Checks shared by the import tests: import with the real CLI, build, read the pages."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup

from tests.conftest import REPO, make_site
from tests.test_html_validation import vnu_command

NEW_SITE = """\
[site]
title = "Warta Impor"
base_url = "https://example.org/"
language = "id"

[build]
search = false
"""


def sitegen(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "sitegen", *args], capture_output=True,
                          text=True, env=env, timeout=600, cwd=cwd)


def new_site(root: Path) -> Path:
    return make_site(root, {})


def import_and_build(kind: str, old: Path, site: Path, *extra: str,
                     keep_settings: bool = True) -> str:
    """Import, then build with the fixed clock; returns the build's stderr. The new site
    keeps its language and zone unless `keep_settings` is False (then a fresh site takes
    the old site's)."""
    make_site(site, {}, NEW_SITE)
    more = ("--keep-settings",) if keep_settings else ()
    imported = sitegen("import", kind, str(old), "--source", str(site), *extra, *more)
    assert imported.returncode == 0, imported.stdout + imported.stderr
    built = sitegen("build", "--source", str(site), "--now", "2026-11-28T12:00+07:00")
    assert built.returncode == 0, built.stdout + built.stderr
    return built.stderr


def page(site: Path, url: str) -> BeautifulSoup:
    path = site / "output" / url.lstrip("/")
    if url.endswith("/"):
        path = path / "index.html"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def redirect_target(site: Path, old_url: str) -> str:
    """Where the redirect page written for an old URL sends the reader."""
    refresh = page(site, old_url).find("meta", attrs={"http-equiv": "refresh"})
    assert refresh is not None, f"{old_url} is not a redirect page"
    return refresh["content"].split("url=", 1)[1]


_TEMPLATE = re.compile(r"\{%|\{\{|\[/?(?:caption|embed|gallery)\b")


def template_code_outside_code(site: Path) -> list[str]:
    """Pages that show template code or shortcodes as text (code blocks excepted)."""
    shown = []
    for path in sorted((site / "output").rglob("*.html")):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for code in soup.find_all(["pre", "code", "script"]):
            code.decompose()
        if _TEMPLATE.search(soup.get_text()):
            shown.append(path.relative_to(site / "output").as_posix())
    return shown


def validator_errors(pages: list[Path]) -> list[str]:
    result = subprocess.run([*vnu_command(), "--errors-only", "--format", "json",
                             *map(str, pages)], capture_output=True, text=True, timeout=300)
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    return [f"{m.get('url')}:{m.get('lastLine')}: {m.get('message')}" for m in messages
            if m.get("type") in {"error", "non-document-error"}]
