"""A page deleted by hand from the output folder, then cached builds (README, "Build
cache"): a cached build trusts its record of the output and of its spare tree, so it may
keep the page missing; it must never crash, stop on the file gone, or leave half a site,
and `--no-cache` brings the page back."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sitegen.errors import os_problem
from tests.conftest import REPO, article, build_site, make_site, read_tree

NOW_OPTION = "2026-11-28T12:00+07:00"


def build(site: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sitegen", "build", "-q", "--now", NOW_OPTION,
                           *options], cwd=site, capture_output=True, text=True, check=False,
                          env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=300)


@pytest.mark.slow
def test_a_page_deleted_by_hand_never_stops_a_build_and_no_cache_brings_it_back(
        sample_site: Path) -> None:
    site = sample_site
    assert build(site).returncode == 0
    gone = site / "output/ekonomi/jack-ma-tawarkan-alibaba-bantu-pebisnis-as/index.html"
    edited = site / "content/nasional/pesisir-tenggelam-3-bertahan-atau-pindah.md"
    for turn in range(4):  # the spare tree and the output swap places each build
        if turn == 1:  # after a swap: the spare tree holds the page too, the same file
            assert gone.is_file()
            gone.unlink()
        edited.write_text(edited.read_text(encoding="utf-8") + f"\nTambahan {turn}.\n",
                          encoding="utf-8")
        done = build(site)
        assert "Traceback" not in done.stderr, done.stderr
        assert done.returncode == 0, done.stderr  # (it stopped: "no such file or directory")
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


def _story(i: int) -> str:
    return article(f"Cerita {i}", body=f"Isi {i}. [Berikutnya](/ekonomi/s{(i + 1) % 4}/)")


@pytest.mark.slow
def test_a_page_deleted_by_hand_after_a_swap_never_stops_a_build(tmp_path: Path) -> None:
    """The spare tree's manifest says which of its files are the output's own. A page
    deleted by hand from the output after a build that kept it leaves the spare's copy
    (the same file): the next build takes it from there, and its swap puts the output
    without the page aside as the spare, its manifest still naming the page. The build
    after it, and every later one, finds the page where it is (rendered if the output
    lacks it too), never stops on the file gone: each output is whole and a clean
    build's."""
    root = make_site(tmp_path / "site", {f"content/ekonomi/s{i}.md": _story(i)
                                         for i in range(4)})
    edited, page = root / "content/ekonomi/s0.md", "ekonomi/s3/index.html"
    output = root / "output"
    build_site(root)
    for turn in range(5):
        if turn in (1, 2):  # after a build that kept it; again, and both trees lack it
            (output / page).unlink()
        edited.write_text(edited.read_text() + f"\nTambahan {turn}.\n")
        build_site(root)  # no FileNotFoundError (the CLI's "build again" message)
        assert (output / page).is_file(), turn
    build_site(root, use_cache=False, output=tmp_path / "clean")
    assert read_tree(output) == read_tree(tmp_path / "clean")
