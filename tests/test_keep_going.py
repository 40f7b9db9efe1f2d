"""`sitegen build --keep-going` publishes what is good; problems repeated in many
files are printed once with a count; `--report FILE` writes them as JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, article, make_site

BROKEN = {
    "content/berita/rusak-1.md": "---\ntitle: Rusak\ndate: kemarin sore\n---\n",
    "content/berita/rusak-2.md": "---\ntitle: Rusak dua\ndate: besok pagi\n---\n",
    "content/berita/rusak-3.md": "---\ntitle: [tidak ditutup\n---\n",
}


def sitegen(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "sitegen", *args, "--source", str(site)],
                          capture_output=True, text=True, env=env, timeout=600)


def good_and_broken(root: Path, good: int = 100) -> Path:
    files: dict[str, str | bytes] = {
        f"content/berita/baik-{n:03d}.md": article(f"Berita baik {n}", date="2026-11-20 09:00")
        for n in range(good)}
    files.update(BROKEN)
    return make_site(root, files, '[site]\nbase_url = "https://example.org/"\n'
                     '[build]\nsearch = false\n')


def test_keep_going_publishes_the_good_articles_and_reports_the_broken(tmp_path: Path) -> None:
    site = good_and_broken(tmp_path / "s")
    report = tmp_path / "report.json"
    result = sitegen(site, "build", "--now", "2026-11-28T12:00+07:00", "--keep-going",
                     "--report", str(report))
    assert result.returncode == 2, result.stderr
    articles = sorted(p.parent.name for p in (site / "output/berita").glob("*/index.html"))
    assert len(articles) == 100 and all(name.startswith("baik-") for name in articles)
    # The two bad dates are one kind of problem: one line, with the count.
    lines = result.stderr.splitlines()
    dates = [line for line in lines if "is not a date" in line]
    assert len(dates) == 1 and "[2 files; also content/berita/rusak-2.md:3;" in dates[0]
    assert sum("invalid YAML" in line for line in lines) == 1
    assert "skipped 3 file(s) with problems" in result.stderr
    document = json.loads(report.read_text(encoding="utf-8"))
    assert document["skipped_files"] == sorted(BROKEN)
    groups = {g["count"]: g["files"] for g in document["skipped_groups"]}
    assert groups == {2: ["content/berita/rusak-1.md", "content/berita/rusak-2.md"],
                      1: ["content/berita/rusak-3.md"]}


def test_without_keep_going_nothing_is_written(tmp_path: Path) -> None:
    site = good_and_broken(tmp_path / "s", good=5)
    report = tmp_path / "report.json"
    result = sitegen(site, "build", "--report", str(report))
    assert result.returncode == 1
    assert not (site / "output").exists()
    assert "nothing was written" in result.stderr
    document = json.loads(report.read_text(encoding="utf-8"))
    assert {e["path"] for e in document["errors"]} == set(BROKEN)


def test_keep_going_from_the_config_and_verbose_lists_every_file(tmp_path: Path) -> None:
    site = good_and_broken(tmp_path / "s", good=3)
    toml = site / "sitegen.toml"
    toml.write_text(toml.read_text().replace("search = false", "search = false\nkeep_going = true"))
    result = sitegen(site, "build", "--verbose")
    assert result.returncode == 2
    assert sum("is not a date" in line for line in result.stderr.splitlines()) == 2
    assert len(list((site / "output/berita").glob("*/index.html"))) == 3


def test_strict_keep_going_skips_files_with_warnings_too(tmp_path: Path) -> None:
    site = make_site(tmp_path / "s", {
        "content/a/baik.md": article("Baik"),
        "content/a/kunci.md": article("Kunci", layout="post"),
    }, '[site]\nbase_url = "https://example.org/"\n[build]\nsearch = false\n')
    result = sitegen(site, "build", "--strict", "--keep-going", "--now", "2026-11-28T12:00")
    assert result.returncode == 2
    assert (site / "output/a/baik/index.html").is_file()
    assert not (site / "output/a/kunci").exists()


@pytest.mark.slow
def test_a_thousand_files_with_one_unknown_key_print_one_line(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        f"content/lama/lama-{n:04d}.md": article(f"Lama {n}", layout="post")
        for n in range(1000)}
    site = make_site(tmp_path / "s", files, '[site]\nbase_url = "https://example.org/"\n'
                     '[build]\nsearch = false\n')
    result = sitegen(site, "build", "--now", "2026-11-28T12:00", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "warning:" in line]
    assert len(warnings) == 1
    assert warnings[0].startswith("content/lama/lama-0000.md:4: warning: unknown front matter "
                                  "key 'layout'")
    assert "[1000 files; also content/lama/lama-0001.md:4, content/lama/lama-0002.md:4, " \
           "content/lama/lama-0003.md:4, …; --verbose lists all]" in warnings[0]


def test_the_preview_prints_a_repeated_warning_once(tmp_path: Path) -> None:
    from tests.test_serve import start_preview

    site = make_site(tmp_path / "s", {f"content/a/x{n}.md": article(f"X {n}", layout="post")
                                      for n in range(3)})
    printed: list[str] = []
    running = start_preview(site, echo=lambda message, problem: printed.append(message))
    try:
        warnings = [line for line in printed if "warning:" in line]
        assert len(warnings) == 1
        assert warnings[0].startswith("content/a/x0.md:4: warning: unknown front matter key")
        assert "[3 files; also content/a/x1.md:4, content/a/x2.md:4;" in warnings[0]
    finally:
        running.stop()
