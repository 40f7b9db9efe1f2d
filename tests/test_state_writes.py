"""The build state's last transaction is written as its records are put (so a large build
never holds them all), and is still one transaction: all of it or none."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from sitegen import state_file
from sitegen.state import BuildState

ROOT = Path(__file__).resolve().parent.parent
RECORDS = 1_200  # more than one batch of writes


def put_many(state: BuildState, count: int) -> None:
    for i in range(count):
        state.put("output", "/out", f"page-{i}/index.html", [i, ("ref",)])


def names(directory: Path) -> set[str]:
    state = BuildState(directory, salt="s")
    try:
        return state.names("output", "/out")
    finally:
        state.close()


def test_what_is_put_between_begin_and_commit_is_all_written(tmp_path: Path) -> None:
    state = BuildState(tmp_path, salt="s")
    state.begin()
    put_many(state, RECORDS)
    state.write_now("source", "", "a.md", [1, 2])  # joins the open transaction
    state.commit()
    state.close()
    assert len(names(tmp_path)) == RECORDS
    again = BuildState(tmp_path, salt="s")
    assert again.get("output", "/out", "page-7/index.html") == [7, ("ref",)]
    assert again.get("source", "", "a.md") == [1, 2]
    assert not again.warnings


def test_an_abandoned_transaction_leaves_none_of_it_and_the_state_usable(
        tmp_path: Path) -> None:
    state = BuildState(tmp_path, salt="s")
    state.begin()
    put_many(state, RECORDS)  # two batches already went to the database
    state.abandon()
    state.write_now("source", "", "a.md", [1])
    state.commit()
    state.close()
    assert names(tmp_path) == set()
    assert BuildState(tmp_path, salt="s").get("source", "", "a.md") == [1]


def test_a_build_killed_before_commit_leaves_none_of_it(tmp_path: Path) -> None:
    killed = subprocess.run([sys.executable, "-c", (
        "import os\nfrom pathlib import Path\nfrom sitegen.state import BuildState\n"
        f"state = BuildState(Path({str(tmp_path)!r}), salt='s')\nstate.begin()\n"
        f"for i in range({RECORDS}):\n"
        "    state.put('output', '/out', f'page-{i}/index.html', [i, ()])\n"
        "os._exit(9)\n")], cwd=ROOT, check=False)
    assert killed.returncode == 9
    assert names(tmp_path) == set()


def test_records_of_a_kilobyte_and_more_sit_in_the_state_files_own_pages(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An article's record (about 1,100 bytes at 10,000 stories) took an overflow page of
    4 KiB of its own in SQLite's default pages; in 16 KiB pages it sits in the tree. A
    file made with the old pages is rewritten in the new ones, its records kept."""
    big = [{"alt": "x" * 900, "src": "/images/a.jpg"}, "y" * 300]
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    monkeypatch.setattr(state_file, "PAGE_SIZE", 4096)  # a file made before the change
    old = BuildState(tmp_path / "old", salt="s")
    for i in range(200):
        old.put("read", "", f"key-{i}", big)
    old.commit()
    old.close()
    monkeypatch.undo()
    again = BuildState(tmp_path / "old", salt="s")
    assert again.get("read", "", "key-7") == big
    assert len(list(again.items("read", ""))) == 200
    db = sqlite3.connect(tmp_path / "old" / state_file.FILE)
    assert db.execute("PRAGMA page_size").fetchone()[0] == state_file.PAGE_SIZE == 16384
    # 200 records of 1.2 KB: a tree of them, not a 4 KiB page each (800 KiB).
    assert db.execute("PRAGMA page_count").fetchone()[0] * 16384 < 400_000
    db.close()
    again.close()
    new = BuildState(tmp_path / "new", salt="s")
    new.put("read", "", "key", big)
    new.commit()
    new.close()
    db = sqlite3.connect(tmp_path / "new" / state_file.FILE)
    assert db.execute("PRAGMA page_size").fetchone()[0] == 16384
    db.close()
