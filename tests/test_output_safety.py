"""The output folder always holds one whole build: kill -9, concurrent builds, mount points,
full disks, read-only folders, names too long. Every build here is the real CLI in a
subprocess, killed for real."""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitegen import tree_files, write
from sitegen.errors import os_problem
from tests import conftest
from tests.conftest import article, build_site, read_tree

CONFIG = """\
[site]
title = "Warta Uji"
base_url = "https://example.org/"

[build]
search = false
"""
NOW = "2026-11-28T12:00+07:00"
SECTIONS = ("ekonomi", "nasional")
GENERATION = re.compile(rb"GEN-(\d+)-GEN")


def write_articles(site: Path, count: int, generation: int, missing: set[int] = frozenset()
                   ) -> None:
    """Articles whose bodies carry the generation: every page of one build shows the same."""
    for number in range(count):
        path = site / f"content/{SECTIONS[number % 2]}/a{number:05d}.md"
        if number in missing:
            path.unlink(missing_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\ntitle: Artikel {number}\n"
                        f"date: 2026-{1 + number % 11:02d}-{1 + number % 27:02d} 09:00\n---\n\n"
                        f"GEN-{generation}-GEN isi berita nomor {number}.\n")


def make_site(root: Path, count: int) -> Path:
    root.mkdir(parents=True)
    (root / "sitegen.toml").write_text(CONFIG)
    write_articles(root, count, 1)
    return root


def command(site: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "sitegen", "build", "-s", str(site), "--now", NOW, "-q",
            *extra]


def build(site: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command(site, *extra), capture_output=True, text=True, timeout=600,
                          check=False)


def one_build(output: Path, count: int, missing: dict[int, set[int]] | None = None,
              complete: bool = True) -> int | None:
    """The generation of the build the output holds; fails on pages of two builds, or
    (when `complete`) a page missing. `missing` names each generation's deleted articles."""
    found: set[int] = set()
    for path in output.rglob("*"):
        internal = path.relative_to(output).parts[0] in tree_files.INTERNAL
        if path.is_file() and not internal:
            found.update(int(g) for g in GENERATION.findall(path.read_bytes()))
    if not found and not complete:
        return None  # a mount-point output between the two phases of its swap: no pages
    assert len(found) == 1, f"pages of builds {sorted(found)} are mixed in {output}"
    generation = found.pop()
    if complete:
        gone = (missing or {}).get(generation, set())
        pages = {p.parent.name for p in output.glob("*/a*/index.html")}
        assert pages == {f"a{n:05d}" for n in range(count) if n not in gone}
    return generation


def children(pid: int) -> set[int]:
    found: set[int] = set()
    with contextlib.suppress(OSError):
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as listing:
                found.update(int(c) for c in listing.read().split())
    return found


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rpartition(")")[2].split()[0] != "Z"
    except OSError:
        return False


def assert_clean_build_equal(site: Path, tmp_path: Path) -> None:
    """The next build after whatever happened equals a clean --no-cache build."""
    again = build(site)
    assert again.returncode == 0, again.stderr
    clean = build(site, "--no-cache", "--output", str(tmp_path / "clean"))
    assert clean.returncode == 0, clean.stderr
    assert read_tree(site / "output") == read_tree(tmp_path / "clean")
    shutil.rmtree(tmp_path / "clean")


@contextlib.contextmanager
def mounted(folder: Path, options: str) -> Iterator[None]:
    """A tmpfs on `folder`; skipped where mounting is not allowed (we need root)."""
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip()}): needs root")
    try:
        yield
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


# --- kill -9 -----------------------------------------------------------------------------

KILL_COUNT = 1200
# Moments of the kill, as fractions of a cold build's time: from reading to the end. (The
# final moves, a small part of the time, are killed at each step in the next test.)
KILL_AT = (0.15, 0.35, 0.55, 0.75, 0.9, 1.0)


@pytest.mark.slow
def test_a_build_killed_at_any_moment_leaves_one_whole_build(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", KILL_COUNT)
    output = site / "output"
    started = time.monotonic()
    first = build(site, "-j2")
    cold = time.monotonic() - started
    assert first.returncode == 0, first.stderr
    assert one_build(output, KILL_COUNT) == 1
    current, workers_seen = 1, 0
    for generation, fraction in enumerate(KILL_AT, start=2):
        write_articles(site, KILL_COUNT, generation)
        process = subprocess.Popen(command(site, "-j2"), stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + fraction * cold
        workers: set[int] = set()
        while time.monotonic() < deadline and process.poll() is None:
            workers |= children(process.pid)
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
        process.wait()
        found = one_build(output, KILL_COUNT)
        assert found in (current, generation)
        current = found
        workers_seen += len(workers)
        end = time.monotonic() + 10
        while any(alive(w) for w in workers) and time.monotonic() < end:
            time.sleep(0.05)
        assert not any(alive(w) for w in workers), "worker processes outlived their build"
    assert workers_seen, "no kill landed while workers ran"
    assert_clean_build_equal(site, tmp_path)
    assert one_build(output, KILL_COUNT) == len(KILL_AT) + 1


# A build that kills itself with SIGKILL at its n-th change to the file system after the
# new tree is complete: the final moves, at every single step.
KILL_AT_STEP = """
import os, signal, sys
from sitegen import write
target, steps, armed = int(sys.argv[1]), [0], [False]
def counted(call):
    def step(*args, **kwargs):
        if armed[0]:
            steps[0] += 1
            if steps[0] == target:
                os.kill(os.getpid(), signal.SIGKILL)
        return call(*args, **kwargs)
    return step
for name in ("link", "unlink", "rename", "replace", "mkdir", "rmdir", "chmod"):
    setattr(os, name, counted(getattr(os, name)))
write.exchange = counted(write.exchange)
commit = write.Staging.commit
def arm(self, *args, **kwargs):
    armed[0] = True
    return commit(self, *args, **kwargs)
write.Staging.commit = arm
from sitegen.cli import main
try:
    main(["build", *sys.argv[2:]])
finally:
    print(f"STEPS {steps[0]}", file=sys.stderr)
"""


def killed_at_step(site: Path, step: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", KILL_AT_STEP, str(step), "-s", str(site),
                           "--now", NOW, "-q", "-j1"],
                          capture_output=True, text=True, timeout=600, check=False)


def final_moves(site: Path, count: int, current: int, complete: bool) -> None:
    """Kill a build at steps all over its final moves; every time the output is one build.
    `current`: the generation the output holds, with no article missing."""
    output, generation, step = site / "output", current, 1
    missing: dict[int, set[int]] = {}
    while True:
        generation += 1
        missing[generation] = {3} if generation % 2 else {4, 5}  # pages removed, restored
        write_articles(site, count, generation, missing[generation])
        run = killed_at_step(site, step)
        found = one_build(output, count, missing, complete)
        # A mount-point output may still show the build before an interrupted one: this
        # build's first act then completed the interrupted one.
        assert found in ((current, generation) if complete
                         else (None, current, generation - 1, generation)), run.stderr
        if run.returncode == 0:  # the build ran to its end: all its steps have been tried
            assert found == generation
            return
        assert run.returncode == -signal.SIGKILL, run.stderr
        current, step = found or current, (step + 1 if step < 4 else step * 2)


@pytest.mark.slow
def test_a_build_killed_at_each_step_of_its_final_moves_leaves_one_whole_build(
        tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", 30)
    assert build(site).returncode == 0
    write_articles(site, 30, 2)
    assert build(site).returncode == 0  # from now on the spare tree beside is reused
    final_moves(site, 30, 2, complete=True)
    assert_clean_build_equal(site, tmp_path)


@pytest.mark.slow
def test_a_killed_first_build_does_not_lock_the_user_out(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", 30)
    (site / "output").mkdir()
    for step in (1, 2, 3):
        run = killed_at_step(site, step)
        assert run.returncode == -signal.SIGKILL
        assert not any((site / "output").iterdir()) or one_build(site / "output", 30) == 1
    assert_clean_build_equal(site, tmp_path)


@pytest.mark.slow
def test_leftovers_of_killed_builds_are_cleaned_by_the_next_build(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", 30)
    for generation in (1, 2):
        write_articles(site, 30, generation)
        assert build(site).returncode == 0
    spare = site / ".output.sitegen-spare"
    assert one_build(spare, 30) == 1  # the previous build, put aside by the swap
    # What a build killed while it updated the spare tree leaves: it had removed the list
    # of the spare's files first, then written and removed files.
    (spare / tree_files.MANIFEST).unlink()
    (spare / "junk.html").write_text("GEN-0-GEN")
    (spare / "ekonomi/a00000/index.html").unlink()
    (spare / "ekonomi/a00002/index.html").write_text("GEN-0-GEN")
    for leftover in (site / ".output.sitegen-old/x", site / ".sitegen-search-k1ll/pages/x.html"):
        leftover.parent.mkdir(parents=True)
        leftover.write_text("GEN-0-GEN")
    (site / ".output.sitegen-lock").write_text("999999\n")
    write_articles(site, 30, 3)
    assert build(site).returncode == 0
    assert one_build(site / "output", 30) == 3
    assert one_build(spare, 30) == 2  # brought up to date, its junk gone
    assert sorted(p.name for p in site.iterdir() if p.name.startswith(".")) == [
        ".output.sitegen-spare", ".sitegen-cache"]
    assert_clean_build_equal(site, tmp_path)


# --- locks, mount points, read-only folders -------------------------------------------------

@pytest.mark.slow
def test_a_second_build_into_the_same_folder_stops_with_a_message(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", 30)
    assert build(site).returncode == 0
    before = read_tree(site / "output")
    write_articles(site, 30, 2)
    with open(site / ".output.sitegen-lock", "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        held.write("4242\n")
        held.flush()
        refused = build(site)
    assert refused.returncode == 1
    assert f"{site / 'output'}: another sitegen build (process 4242) is writing this folder" \
        in refused.stderr
    assert "internal error" not in refused.stderr
    assert read_tree(site / "output") == before
    assert build(site).returncode == 0  # the lock went with its holder
    assert one_build(site / "output", 30) == 2


@pytest.mark.slow
def test_two_concurrent_builds_never_mix_the_tree(tmp_path: Path) -> None:
    first, second = make_site(tmp_path / "one", 300), make_site(tmp_path / "two", 300)
    write_articles(second, 300, 2)
    output = tmp_path / "output"
    for _ in range(2):
        runs = [subprocess.Popen(command(site, "--output", str(output), "-j1"),
                                 stderr=subprocess.PIPE, text=True) for site in (first, second)]
        results = [(run.wait(timeout=600), run.stderr.read()) for run in runs]  # type: ignore
        for code, errors in results:
            assert code == 0 or "another sitegen build" in errors, errors
        assert any(code == 0 for code, _ in results)
        assert one_build(output, 300) in (1, 2)


@pytest.mark.slow
def test_an_output_folder_that_is_a_mount_point_builds(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", 30)
    with mounted(site / "output", "size=64m"):
        assert build(site).returncode == 0
        assert one_build(site / "output", 30) == 1
        page = site / "output/nasional/a00001/index.html"
        mtime = page.stat().st_mtime_ns
        write_articles(site, 30, 2, missing={2})
        (site / "content/nasional/a00001.md").write_text(
            (site / "content/nasional/a00001.md").read_text().replace("GEN-2-GEN", "GEN-1-GEN"))
        run = build(site)
        assert run.returncode == 0, run.stderr
        assert not (site / "output/ekonomi/a00002").exists()
        # Unchanged pages keep their file (and time); nothing of the swap is left inside.
        assert "GEN-1-GEN" in page.read_text() and page.stat().st_mtime_ns == mtime
        assert not {".sitegen-staging", ".sitegen-old", ".sitegen-journal"} \
            & set(os.listdir(site / "output"))
        write_articles(site, 30, 3)
        assert build(site).returncode == 0
        # Here a kill while the entries move may leave some pages missing, never mixed;
        # the next build's first act completes the interrupted one.
        final_moves(site, 30, 3, complete=False)
        assert_clean_build_equal(site, tmp_path)


@pytest.mark.slow
def test_a_read_only_subfolder_leaves_one_whole_build(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", 30)
    assert build(site).returncode == 0
    folder = site / "output/ekonomi"
    # Root ignores permission bits: a read-only bind mount is read-only even for root.
    if subprocess.run(["mount", "--bind", str(folder), str(folder)], check=False).returncode:
        pytest.skip("cannot bind-mount here: needs root")
    try:
        subprocess.run(["mount", "-o", "remount,ro,bind", str(folder)], check=True)
        for generation in (2, 3):
            write_articles(site, 30, generation)
            run = build(site)
            assert "internal error" not in run.stderr
            assert run.returncode == 0 or "read-only" in run.stderr, run.stderr
            one_build(site / "output", 30)
    finally:
        for point in (folder, site / ".output.sitegen-spare/ekonomi"):
            subprocess.run(["umount", "-l", str(point)], capture_output=True, check=False)
    assert_clean_build_equal(site, tmp_path)


# --- OS errors as problems ------------------------------------------------------------------

def test_a_full_disk_is_a_problem_naming_the_path_and_the_output_stays(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", 10)
    disk = tmp_path / "disk"
    with mounted(disk, "size=1m"):
        output = disk / "output"
        assert build(site, "--output", str(output)).returncode == 0
        before = read_tree(output)
        (site / "content/static").mkdir()
        (site / "content/static/video.bin").write_bytes(os.urandom(2_000_000))
        run = build(site, "--output", str(output))
        assert run.returncode == 1
        assert re.search(rf"^{re.escape(str(disk))}/\S+: no space left on the device: free "
                         "some space and build again$", run.stderr, re.MULTILINE), run.stderr
        assert "internal error" not in run.stderr and "Traceback" not in run.stderr
        assert read_tree(output) == before


def test_a_read_only_disk_is_a_problem_naming_the_path(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", 3)
    parent = tmp_path / "readonly"
    with mounted(parent, "ro,size=1m"):
        run = build(site, "--output", str(parent / "output"))
    assert run.returncode == 1
    assert re.search(rf"^{re.escape(str(parent))}\S*: the file system is read-only", run.stderr,
                     re.MULTILINE), run.stderr
    assert "internal error" not in run.stderr


def test_a_name_too_long_is_a_problem_naming_the_path(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", 3)
    (site / "content/ekonomi/panjang.md").write_text(
        f"---\ntitle: Panjang\ndate: 2026-11-01 09:00\nslug: {'a' * 300}\n---\n\nIsi.\n")
    run = build(site)
    assert run.returncode == 1
    assert re.search(r"^\S+a{200}\S*: the name is too long for the file system", run.stderr,
                     re.MULTILINE), run.stderr
    assert "internal error" not in run.stderr
    assert not (site / "output").exists()


def test_operation_not_permitted_is_a_problem_naming_the_path(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", 3)
    parent = tmp_path / "immutable"
    parent.mkdir()
    # Root ignores permission bits, not the immutable attribute: creating anything in it
    # fails with EPERM for everyone.
    if subprocess.run(["chattr", "+i", str(parent)], capture_output=True,
                      check=False).returncode:
        pytest.skip("chattr +i is not supported here")
    try:
        run = build(site, "--output", str(parent / "output"))
    finally:
        subprocess.run(["chattr", "-i", str(parent)], check=True)
    assert run.returncode == 1
    assert re.search(rf"^{re.escape(str(parent))}\S*: operation not permitted: make it "
                     "writable", run.stderr, re.MULTILINE), run.stderr
    assert "internal error" not in run.stderr


def test_permission_denied_says_what_to_do() -> None:
    problem = os_problem(PermissionError(13, "Permission denied", "/srv/site/output/ekonomi"))
    assert str(problem) == ("/srv/site/output/ekonomi: permission denied: make it readable "
                            "and writable for the user running sitegen, or choose another folder")


ORPHAN = """
import os, time
from concurrent.futures import ProcessPoolExecutor
from sitegen import lifeline
pool = ProcessPoolExecutor(2, initializer=lifeline.tie_to_parent)
print(*sorted({pool.submit(os.getpid).result() for _ in range(8)}), flush=True)
time.sleep(600)
"""


def test_worker_processes_end_when_their_build_is_killed() -> None:
    parent = subprocess.Popen([sys.executable, "-c", ORPHAN], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    workers = [int(pid) for pid in parent.stdout.readline().split()]
    assert workers and all(alive(pid) for pid in workers)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    end = time.monotonic() + 10
    while any(alive(pid) for pid in workers) and time.monotonic() < end:
        time.sleep(0.05)
    assert not any(alive(pid) for pid in workers)


def test_a_file_of_the_previous_output_where_a_folder_now_goes_builds(tmp_path: Path) -> None:
    # A static file /lama replaced by an article's alias /lama/: the previous output has a
    # file where the new tree needs a folder.
    site = conftest.make_site(tmp_path / "site", {"content/nasional/a.md": article("A"),
                                                  "content/static/lama": "berkas lama"})
    build_site(site)
    assert (site / "output/lama").is_file()
    (site / "content/static/lama").unlink()
    (site / "content/nasional/a.md").write_text(article("A", aliases=["/lama/"]))
    build_site(site)
    build_site(site, use_cache=False, output=tmp_path / "clean")
    assert read_tree(site / "output") == read_tree(tmp_path / "clean")
    assert (site / "output/lama/index.html").is_file()


# --- the spare tree listed by the swap that made it -----------------------------------------

def test_files_the_spare_tree_shares_with_the_output_are_kept_without_a_system_call(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    output = tmp_path / "output"
    builds = [{"a.html": b"A", "b/index.html": b"B1", "c.html": b"C"},
              {"a.html": b"A", "b/index.html": b"B2"}]  # the second swap: the first aside
    for files in builds:
        staging = write.Staging(output)
        for name, data in files.items():
            staging.write(name, data)
        staging.commit()
    staging = write.Staging(output)
    calls: list[str] = []
    for name in ("lstat", "stat", "link", "mkdir", "open", "unlink", "rename"):
        call = getattr(os, name)
        monkeypatch.setattr(os, name, lambda *a, _n=name, _c=call, **k: (calls.append(_n),
                                                                          _c(*a, **k))[1])
    assert staging.keep_unchanged("a.html")  # the spare's own a.html is the output's
    assert calls == []
    monkeypatch.undo()
    # The last build wrote b and removed c: the spare's copies are not the output's.
    assert staging.keep_unchanged("b/index.html")
    assert not staging.keep_unchanged("c.html")
    assert staging.commit() == []
    assert {k: v for k, v in read_tree(output).items() if k != tree_files.MARKER} == {
        "a.html": b"A", "b/index.html": b"B2"}
    spare = tmp_path / ".output.sitegen-spare"
    assert (spare / "a.html").stat().st_ino == (output / "a.html").stat().st_ino


def test_a_file_replaced_outside_a_build_is_not_taken_from_the_spare_tree(
        tmp_path: Path) -> None:
    # serve's body edits rename a page's new bytes over the output's (body_edits.py):
    # the spare tree's hard link keeps the old ones, so the manifest must stop vouching.
    output = tmp_path / "output"
    for data in (b"A1", b"A2"):
        staging = write.Staging(output)
        staging.write("a.html", data)
        staging.write("b.html", b"B")
        staging.commit()
    for edit in (b"A3", b"B2"):  # the second: a manifest already naming a stale file
        name = "a.html" if edit == b"A3" else "b.html"
        write.replacing(output, [name])
        (tmp_path / "new").write_bytes(edit)
        os.replace(tmp_path / "new", output / name)
        staging = write.Staging(output)
        assert staging.keep_unchanged("a.html") and staging.keep_unchanged("b.html")
        staging.commit()
        assert (output / name).read_bytes() == edit
    assert (output / "a.html").read_bytes() == b"A3"
