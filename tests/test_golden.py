"""The whole output of a small site, byte for byte, against tests/golden/basic/.

After an intended change of output, update the golden tree with one command:

    SITEGEN_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py

and review the change with `git diff tests/golden`.
"""

from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

from tests.conftest import build_site, read_tree

HERE = Path(__file__).resolve().parent
SITE = HERE / "sites" / "basic"
GOLDEN = HERE / "golden" / "basic"


def test_basic_site_matches_the_golden_tree(tmp_path: Path) -> None:
    site = tmp_path / "basic"
    shutil.copytree(SITE, site)
    build_site(site, use_cache=False)
    built = read_tree(site / "output")
    if os.environ.get("SITEGEN_UPDATE_GOLDEN") == "1":
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(site / "output", GOLDEN)
    expected = read_tree(GOLDEN)
    missing, extra = sorted(set(expected) - set(built)), sorted(set(built) - set(expected))
    changed = sorted(n for n in set(built) & set(expected) if built[n] != expected[n])
    report = [f"missing: {name}" for name in missing] + [f"extra: {name}" for name in extra]
    for name in changed[:3]:
        report.extend(difflib.unified_diff(
            expected[name].decode("utf-8", "replace").splitlines(),
            built[name].decode("utf-8", "replace").splitlines(),
            f"golden/{name}", f"built/{name}", lineterm="", n=1))
    assert not (missing or extra or changed), (
        f"{len(changed)} changed file(s): {changed}\n" + "\n".join(report[:200])
        + "\n(intended? SITEGEN_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py)")
