"""Layer 6. Safe output: a new tree is written beside the destination and swapped in.

A failed build never touches the previous output. A file whose bytes did not
change is hard-linked from the previous output instead of rewritten, so it
keeps its modification time and deploy tools upload only what changed.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from sitegen.errors import Problem

MARKER = ".sitegen-build"


def check_destination(output: Path, root: Path, content: Path) -> list[Problem]:
    """Refuse destinations where swapping in a new tree would destroy the user's work."""
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
    """The new output tree, written beside the destination until `commit`."""

    def __init__(self, output: Path) -> None:
        self.output = output.resolve()
        self.dir = self.output.parent / f".{self.output.name}.sitegen-new"
        if self.dir.exists():  # left over from a build that was killed
            shutil.rmtree(self.dir)
        self.dir.mkdir(parents=True)
        self.written: list[str] = []
        self.unchanged: list[str] = []

    def _target(self, relative: str) -> Path:
        target = (self.dir / relative).resolve()
        if not target.is_relative_to(self.dir):
            raise ValueError(f"refusing to write outside the output folder: {relative}")
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def write(self, relative: str, data: bytes) -> None:
        target = self._target(relative)
        previous = self.output / relative
        if _same_bytes(previous, data):
            _link_or_copy(previous, target)
            self.unchanged.append(relative)
        else:
            target.write_bytes(data)
            self.written.append(relative)

    def copy(self, relative: str, source: Path) -> None:
        self.write(relative, source.read_bytes())

    def commit(self) -> None:
        (self.dir / MARKER).write_text("This folder is written by sitegen build.\n")
        old = self.output.parent / f".{self.output.name}.sitegen-old"
        if old.exists():
            shutil.rmtree(old)
        if self.output.exists():
            os.rename(self.output, old)
        os.rename(self.dir, self.output)
        if old.exists():
            shutil.rmtree(old)

    def discard(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
