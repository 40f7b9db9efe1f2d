"""Lighthouse (the npm package, run by Node with Debian's Chromium) over the served
sample site: the home page and the seed article score 0.95 or more in every category.

.ci/run installs Lighthouse into .ci/cache/; SITEGEN_LIGHTHOUSE points at another
`lighthouse` executable. Without one the test fails under CI and is skipped elsewhere.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO, missing_tool
from tests.test_theme_browser import SEED, served_sample

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = ("--headless --no-sandbox --disable-gpu --disable-background-networking "
                "--disable-component-update --no-first-run")


def lighthouse() -> str:
    found = os.environ.get("SITEGEN_LIGHTHOUSE") or next(
        (str(p) for p in sorted((REPO / ".ci" / "cache").glob(
            "lighthouse-*/node_modules/.bin/lighthouse"))), None) or shutil.which("lighthouse")
    chromium = os.environ.get("SITEGEN_CHROMIUM", "/usr/bin/chromium")
    if not found or not Path(chromium).exists():
        missing_tool("Lighthouse or Chromium is missing: .ci/run installs both")
    return str(found)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from served_sample(tmp_path_factory, "lighthouse")


@pytest.mark.parametrize("path", ["/", SEED])
def test_lighthouse_scores_at_least_095_in_every_category(site: str, path: str,
                                                          tmp_path: Path) -> None:
    command = lighthouse()
    report = tmp_path / "report.json"
    done = subprocess.run(
        [command, site + path, "--quiet", "--output=json", f"--output-path={report}",
         f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}"],
        capture_output=True, text=True, timeout=240, check=False,
        env={**os.environ, "CHROME_PATH": os.environ.get("SITEGEN_CHROMIUM", "/usr/bin/chromium")})
    assert done.returncode == 0, done.stderr[-2000:]
    categories = json.loads(report.read_text("utf-8"))["categories"]
    scores = {name: categories[name]["score"] for name in CATEGORIES}
    assert all(score is not None and score >= 0.95 for score in scores.values()), scores
