"""A page deleted by hand from the output folder, then cached builds (README, "Build
cache"): a cached build trusts its record of the output and of its spare tree, so it may
keep the page missing or stop on it; it must never crash or leave half a site, its
message says what to do, and `--no-cache` brings the page back."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sitegen.errors import os_problem
from tests.conftest import REPO

NOW_OPTION = "2026-11-28T12:00+07:00"


def build(site: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sitegen", "build", "-q", "--now", NOW_OPTION,
                           *options], cwd=site, capture_output=True, text=True, check=False,
                          env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=300)


@pytest.mark.slow
def test_a_page_deleted_by_hand_is_a_clear_answer_and_no_cache_brings_it_back(
        sample_site: Path) -> None:
    site = sample_site
    assert build(site).returncode == 0
    gone = site / "output/ekonomi/jack-ma-tawarkan-alibaba-bantu-pebisnis-as/index.html"
    assert gone.is_file()
    gone.unlink()
    edited = site / "content/nasional/pesisir-tenggelam-3-bertahan-atau-pindah.md"
    for turn in range(3):  # the spare tree and the output swap places each build
        edited.write_text(edited.read_text(encoding="utf-8") + f"\nTambahan {turn}.\n",
                          encoding="utf-8")
        done = build(site)
        assert "Traceback" not in done.stderr, done.stderr
        if done.returncode != 0:
            assert "--no-cache" in done.stderr, done.stderr
            assert "jack-ma-tawarkan" in done.stderr, done.stderr
        # Never half a site: the front page and the edited story are always there.
        assert (site / "output/index.html").is_file()
        assert (site / "output/nasional/pesisir-tenggelam-3-bertahan-atau-pindah/"
                       "index.html").is_file()
    assert build(site, "--no-cache").returncode == 0
    assert gone.is_file()


def test_a_file_gone_missing_says_what_to_do() -> None:
    problem = os_problem(FileNotFoundError(2, "No such file or directory",
                                           "/srv/site/.output.sitegen-spare/a/index.html"))
    assert problem.path == "/srv/site/.output.sitegen-spare/a/index.html"
    assert "sitegen build --no-cache" in problem.message
