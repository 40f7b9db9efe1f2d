"""Layer 6. Safe output: nothing in the output folder changes until the build has succeeded.

New and changed files are written to a staging folder beside the output;
only when every page rendered do they move into place (one rename each), and
files that no longer belong to the site are removed. A failed build discards
the staging folder and leaves the previous output untouched, byte for byte.
A file whose bytes did not change is not rewritten, so it keeps its
modification time and deploy tools upload only what changed.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from sitegen.errors import Problem, SitegenError

MARKER = ".sitegen-build"


def check_destination(output: Path, root: Path, content: Path) -> list[Problem]:
    """Refuse destinations where pruning the output would destroy the user's work."""
    output, root, content = output.resolve(), root.resolve(), content.resolve()
    where = "sitegen.toml"
    if output in (root, content) or root.is_relative_to(output) or content.is_relative_to(output):
        return [Problem(where, 0, f"the output folder {output} holds the site itself: "
                        "choose another one, such as output/")]
    if output.is_relative_to(content):
        return [Problem(where, 0, f"the output folder {output} is inside content/: choose another")]
    if output.exists() and not output.is_dir():
        return [Problem(where, 0, f"the output path {output} is a file, not a folder")]
    if output.is_dir() and any(output.iterdir()) and not (output / MARKER).exists():
        return [Problem(where, 0, f"the output folder {output} is not empty and was not written "
                        "by sitegen: empty it or choose another with --output")]
    return []


class Staging:
    """The changes to the output folder, held beside it until `commit`.

    Staged files are stored flat (numbered), not in a copy of the site's folder
    tree: on a cold build of a large archive that saves a folder creation and
    removal per page.
    """

    def __init__(self, output: Path) -> None:
        self.output = output.resolve()
        self.dir = self.output.parent / f".{self.output.name}.sitegen-new"
        if self.dir.exists():  # left over from a build that was killed
            shutil.rmtree(self.dir)
        self.dir.mkdir(parents=True)
        self.keep: set[str] = {MARKER}
        self.written: list[str] = []
        self.unchanged: list[str] = []
        self._staged: dict[str, Path] = {}

    @staticmethod
    def _check(relative: str) -> None:
        # URLs were validated when read; this is the last guard, kept cheap (no syscalls).
        parts = relative.split("/")
        if relative.startswith("/") or "\\" in relative or any(
                p in ("", ".", "..") for p in parts):
            raise ValueError(f"refusing to write outside the output folder: {relative}")

    def current(self, relative: str) -> Path:
        """Where the new tree's bytes of `relative` are now (staged, or kept in the output)."""
        return self._staged.get(relative, self.output / relative)

    def keep_unchanged(self, relative: str) -> bool:
        """Keep the previous output's file as it is, if it is there."""
        if os.path.isfile(f"{self.output}/{relative}"):
            self.keep.add(relative)
            self.unchanged.append(relative)
            return True
        return False

    def _stage(self, relative: str) -> Path:
        self._check(relative)
        self.keep.add(relative)
        staged = self._staged[relative] = self.dir / str(len(self._staged))
        self.written.append(relative)
        return staged

    def write(self, relative: str, data: bytes) -> None:
        if _same_bytes(self.output / relative, data):
            self._check(relative)
            self.keep.add(relative)
            self.unchanged.append(relative)
            return
        self._stage(relative).write_bytes(data)

    def copy(self, relative: str, source: Path) -> None:
        """Copy a static file; an equal size and time (copy2 keeps it) means unchanged."""
        stat = source.stat()
        try:
            old = (self.output / relative).stat()
            if (old.st_size, old.st_mtime_ns) == (stat.st_size, stat.st_mtime_ns):
                self._check(relative)
                self.keep.add(relative)
                self.unchanged.append(relative)
                return
        except OSError:
            pass
        shutil.copy2(source, self._stage(relative))

    def commit(self, previous: set[str] | None = None) -> list[str]:
        """Move the changes into the output folder; return the files removed as stale.

        `previous` lists the files of the last build into this folder, when known;
        then only those are candidates for removal, instead of walking the folder.
        """
        self.output.mkdir(parents=True, exist_ok=True)
        folders = {(self.output / relative).parent for relative in self._staged}
        # Checked before anything moves: a symlinked folder inside the output must not
        # lead a write elsewhere, and a refusal must leave the output as it was.
        for folder in sorted(folders):
            if not Path(os.path.realpath(folder)).is_relative_to(self.output):
                raise SitegenError([Problem(str(folder), 0, "this folder of the output is a "
                                            "link to elsewhere: remove it and build again")])
        for folder in sorted(folders - {self.output}):
            folder.mkdir(parents=True, exist_ok=True)
        for relative, staged in self._staged.items():
            destination = self.output / relative
            if destination.is_dir():  # a page now stands where a folder was
                shutil.rmtree(destination)
            os.replace(staged, destination)
        if previous is None:
            removed = _prune(self.output, self.keep)
        else:
            removed = sorted(previous - self.keep)
            for relative in removed:
                (self.output / relative).unlink(missing_ok=True)
                _remove_empty_parents(self.output / relative, self.output)
        (self.output / MARKER).write_text("This folder is written by sitegen build.\n")
        shutil.rmtree(self.dir, ignore_errors=True)
        return removed

    def discard(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


def _prune(output: Path, keep: set[str]) -> list[str]:
    removed = []
    for folder, dirs, files in os.walk(output, topdown=False):
        for name in files:
            path = Path(folder) / name
            relative = path.relative_to(output).as_posix()
            if relative not in keep:
                path.unlink()
                removed.append(relative)
        for name in dirs:
            path = Path(folder) / name
            if not path.is_symlink() and not any(path.iterdir()):
                path.rmdir()
    return sorted(removed)


def _remove_empty_parents(path: Path, top: Path) -> None:
    folder = path.parent
    while folder != top and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False
