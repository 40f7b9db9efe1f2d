"""`sitegen serve` and CLI builds on one site at once, and the preview's per-file time
limit (issue 21, "serve and CLI builds side by side")."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from sitegen import timelimit
from tests.conftest import REPO, article, make_site
from tests.test_serve import ServeProcess, fetch, settled, start_preview

BUILDS = 10


@pytest.mark.slow
def test_serve_and_ten_cli_builds_while_an_editor_saves_every_0_3_s(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {
        f"content/ekonomi/berita-{n}.md": article(f"Berita {n}", body=f"Isi berita {n}.")
        for n in range(40)})
    edited = site / "content/ekonomi/berita-0.md"
    server = ServeProcess(site, "--jobs", "1")
    stop = threading.Event()
    saves = [0]

    def editor() -> None:
        while not stop.is_set():
            saves[0] += 1
            # Saved as most editors save (a new file renamed over the old), so no build
            # reads half a file: what is tested is the builds, not a torn write.
            fresh = edited.with_name(".berita-0.md.tmp")
            fresh.write_text(article("Berita 0", body=f"Versi {saves[0]} dari berita ini."))
            os.replace(fresh, edited)
            time.sleep(0.3)

    try:
        server.wait_for_line("sitegen: serving ")
        writer = threading.Thread(target=editor, daemon=True)
        writer.start()
        environment = {**os.environ, "PYTHONPATH": str(REPO)}
        failed = []
        for _ in range(BUILDS):
            result = subprocess.run(
                [sys.executable, "-m", "sitegen", "build", "--source", str(site), "--jobs", "1"],
                capture_output=True, text=True, env=environment, timeout=120)
            if result.returncode != 0:
                failed.append(result.stderr)
        stop.set()
        writer.join()
        assert not failed, f"{len(failed)} of {BUILDS} CLI builds failed:\n{failed[0]}"
        assert saves[0] >= BUILDS
        # The preview rebuilt all along; none of its builds failed either.
        server.wait_for_line("sitegen: changed: content/ekonomi/berita-0.md")
    finally:
        server.kill()
    _, errors = server.process.communicate()
    assert "the build stopped" not in errors and "Traceback" not in errors, errors


def test_the_preview_stops_a_body_that_converts_too_slowly(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Thousands of "<a " cost Python-Markdown seconds (quadratic); the preview's rebuild
    # thread cannot use SIGALRM, and has the same limit as the CLI all the same.
    monkeypatch.setattr(timelimit, "SECONDS", 0.25)
    site = make_site(tmp_path / "site", {
        "content/nasional/cepat.md": article("Cepat", body="Biasa saja."),
    })
    lines: list[str] = []
    preview = start_preview(site, echo=lambda message, problem: lines.append(message))
    try:
        started = time.monotonic()
        (site / "content/nasional/lambat.md").write_text(article("Lambat", body="<a " * 5_000))
        settled(preview, lambda: any("took more than" in line for line in lines),
                "the slow body is reported")
        assert time.monotonic() - started < 10
        assert "content/nasional/lambat.md:5: the text took more than 0.25 s to convert " \
               "(thousands of repeated '<', '[' or similar marks?): split or simplify it" in lines
        assert fetch(preview.url + "nasional/lambat/")[0] == 404, "not published"
        assert fetch(preview.url + "nasional/cepat/")[0] == 200
    finally:
        preview.stop()
