"""What an importer may read: the folder it was given, and nothing that leads out of it.

An old site is someone else's folder, and its settings name paths
(`includes_dir: /proc/self`, `contentDir = "../../private"`) and its files
can be symbolic links (`static/link.png -> /etc/passwd`). Whatever an
importer reads goes through here:

- a path is resolved (every link followed) and refused when what it leads to
  is outside the old site's folder, or inside one of its hidden folders
  (`.git/config` can hold a token);
- only regular files are read: FIFOs (opening one blocks for ever), sockets
  and devices never are, and a file is opened without following a link and
  without blocking, then checked again, so nothing swapped in between is read;
- each refusal is an entry of the import report naming the path and why.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

from sitegen.importers.report import Report


def _real(path: Path | str) -> Path:
    return Path(os.path.realpath(path))


def refusal(path: Path | str, root: Path) -> str | None:
    """Why `path` may not be read as part of the old site at `root`, or None."""
    real = _real(path)
    if not real.is_relative_to(root):
        return f"leads outside the old site (to {real})"
    if any(part.startswith(".") for part in real.relative_to(root).parts):
        return "leads into a hidden folder of the old site"
    try:
        mode = os.stat(real).st_mode
    except OSError:
        return None  # missing: the caller's "not found" says it better
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        return "is not a regular file (a FIFO, socket or device is never opened)"
    return None


class Confined:
    """The folder of one old site (or one `--uploads` folder); refusals go to the report."""

    def __init__(self, root: Path, report: Report, shown_prefix: str = "") -> None:
        self.root = _real(root)
        self.report = report
        self.shown_prefix = shown_prefix
        self.refused: set[Path] = set()

    def shown(self, path: Path | str) -> str:
        text = os.path.abspath(path)
        try:
            return self.shown_prefix + Path(text).relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def refuse(self, shown: str, reason: str, line: int = 0) -> None:
        self.report.skipped(shown, line, f"not read: it {reason}; an import reads nothing "
                            "outside the folder it imports")

    def check(self, path: Path, shown: str | None = None, line: int = 0) -> Path | None:
        """The resolved path when it may be read (it may not exist); None, reported, if not."""
        reason = refusal(path, self.root)
        if reason is None:
            return _real(path)
        if _real(path) not in self.refused:
            self.refused.add(_real(path))
            self.refuse(shown or self.shown(path), reason, line)
        return None

    def folder(self, setting: object, default: str, name: str) -> Path | None:
        """A folder a setting names (`includes_dir`, `contentDir`), relative to the root;
        None (reported with the setting's name) when it leads out."""
        value = str(setting or default)
        path = self.root / value
        reason = refusal(path, self.root)
        if reason is not None:
            self.refused.add(_real(path))  # not reported again by `files`
            self.report.skipped(name, 0, f"{value!r} {reason}: not read; an import reads "
                                "nothing outside the folder it imports")
            return None
        return _real(path) if _real(path).is_dir() else None

    def file(self, path: Path, shown: str | None = None, line: int = 0) -> Path | None:
        """The resolved path of a regular file that may be read; None otherwise (only a
        refusal is reported: a missing file is the caller's to report)."""
        found = self.check(path, shown, line)
        return found if found is not None and found.is_file() else None

    def files(self, top: Path, skip: Callable[[str], bool] = lambda name: False) -> list[Path]:
        """Every regular file below `top`, sorted, as paths under `top` (a link inside the
        site is followed, a folder reached twice is walked once); folders whose name
        `skip` accepts are left out; links leading out and special files are reported."""
        found: list[str] = []
        if self.check(top) is None or not top.is_dir():
            return []
        seen = {_identity(str(top))}
        stack = [str(top)]
        while stack:
            folder = stack.pop()
            try:
                entries = list(os.scandir(folder))
            except OSError as exc:
                self.report.skipped(self.shown(folder), 0, f"cannot be read ({exc.strerror})")
                continue
            for entry in entries:
                if skip(entry.name):
                    continue
                if entry.is_file(follow_symlinks=False):
                    found.append(entry.path)
                    continue
                if entry.is_symlink() or not entry.is_dir(follow_symlinks=False):
                    if self.check(Path(entry.path)) is None:
                        continue
                    if os.path.isfile(entry.path):
                        found.append(entry.path)
                        continue
                    if not os.path.isdir(entry.path):
                        continue  # a link to nothing
                if (identity := _identity(entry.path)) not in seen:
                    seen.add(identity)
                    stack.append(entry.path)
        return [Path(p) for p in sorted(found)]

    def read_bytes(self, path: Path, shown: str | None = None) -> bytes | None:
        """The bytes of a regular file inside the root; None (reported) when refused."""
        found = self.check(path, shown)
        if found is None:
            return None
        return read_regular(found)

    def read_text(self, path: Path, shown: str | None = None) -> str | None:
        data = self.read_bytes(path, shown)
        return None if data is None else data.decode("utf-8-sig", errors="replace")


def _identity(folder: str) -> tuple[int, int]:
    info = os.stat(folder)
    return info.st_dev, info.st_ino


def read_regular(path: Path) -> bytes:
    """The bytes of `path`, which must be a regular file reached without a link: it is
    opened without blocking (a FIFO swapped in would otherwise block) and checked again
    once open; raises OSError otherwise."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    descriptor = os.open(path, flags)
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise OSError(f"{path} is not a regular file")
        with os.fdopen(descriptor, "rb", closefd=False) as data:
            return data.read()
    finally:
        os.close(descriptor)
