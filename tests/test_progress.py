"""Issue 19: the progress display of `sitegen build`, through the real command: a bar on
a terminal (a pty), a line now and then in a CI log (a pipe), nothing with --quiet."""

from __future__ import annotations

import io
import os
import pty
import re
import select
import subprocess
import sys
from pathlib import Path

import pytest

from sitegen import progress
from tests.conftest import REPO, article, make_image, make_site


@pytest.fixture
def site(tmp_path: Path) -> Path:
    files: dict[str, str | bytes] = {
        f"content/berita/b{n}.md": article(f"Berita {n}", image=f"/images/p{n}.jpg",
                                           image_alt="Foto") for n in range(6)}
    root = make_site(tmp_path / "site", files, '[site]\nbase_url = "https://example.org/"\n')
    for number in range(6):
        make_image(root / f"content/static/images/p{number}.jpg", (1300 + number, 800))
    return root


def _command(site: Path, *flags: str) -> list[str]:
    return [sys.executable, "-m", "sitegen", "build", "--jobs", "1", "--source", str(site),
            "--now", "2026-11-28T12:00+07:00", *flags]


def _env(seconds: str | None) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("SITEGEN_PROGRESS_SECONDS", None)
    if seconds is not None:
        env["SITEGEN_PROGRESS_SECONDS"] = seconds
    return env


def _on_terminal(command: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run with stdout and stderr on a pseudo-terminal; (status, everything it showed)."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(command, stdin=follower, stdout=follower, stderr=follower,
                               env=env, cwd=REPO)
    os.close(follower)
    shown = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 120)
        if not ready:
            process.kill()
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the build is over
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    return process.wait(timeout=60), shown.decode("utf-8", errors="replace")


@pytest.mark.slow
def test_a_terminal_shows_a_bar_with_counts_and_an_estimate_then_clears_it(site: Path) -> None:
    status, shown = _on_terminal(_command(site), _env("0"))
    assert status == 0, shown
    for stage in ("reading", "pictures", "rendering", "search"):
        assert f"\r{stage}" in shown, (stage, shown)
    assert "[########################] 6/6 100%" in shown
    assert "about 0:0" in shown  # an estimate of the time left, before a stage ends
    # The bar is wiped before the summary, which starts a clean line.
    assert re.search(r"\r {20,}\rsitegen: \d+ files in ", shown), shown[-300:]


@pytest.mark.slow
def test_quiet_shows_nothing_even_on_a_terminal(site: Path) -> None:
    status, shown = _on_terminal(_command(site, "--quiet"), _env("0"))
    assert status == 0 and shown == ""


@pytest.mark.slow
def test_a_ci_log_gets_whole_lines_and_a_short_build_none(site: Path) -> None:
    done = subprocess.run(_command(site), capture_output=True, text=True, env=_env("0"),
                          cwd=REPO)
    lines = done.stderr.splitlines()
    assert done.returncode == 0 and "\r" not in done.stderr
    assert "sitegen: reading 6/6 100%" in lines and "sitegen: pictures 6/6 100%" in lines
    assert any(line.startswith("sitegen: rendering ") for line in lines)
    # With the real interval a quick build (the same site again, from its cache) writes
    # no progress line at all.
    quick = subprocess.run(_command(site), capture_output=True, text=True, env=_env(None),
                           cwd=REPO)
    assert quick.returncode == 0 and quick.stderr == ""
    assert quick.stdout.startswith("sitegen: ")


def test_a_log_line_comes_at_most_every_interval() -> None:
    now = [0.0]
    stream = io.StringIO()
    display = progress.Display(stream, terminal=False, clock=lambda: now[0])
    display.delay, display.interval = progress.DELAY, progress.INTERVAL
    for step in range(1, 601):  # a minute of work, one item every 0.1 s
        now[0] = step / 10
        display("render", step, 600)
    lines = stream.getvalue().splitlines()
    assert 5 <= len(lines) <= 6, lines
    assert lines[0] == "sitegen: rendering 100/600  16% about 0:50 left"
