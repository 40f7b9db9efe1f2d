"""Layer 5.6. Where the trees of an output folder live: beside it (the spare tree, the
lock file, the previous tree while a swap without exchange moves it), or inside it
when the folder itself cannot be renamed.
"""

from __future__ import annotations

import os
from pathlib import Path


def inside_mode(output: Path) -> bool:
    """Whether the new tree has to be staged inside the output folder: it is a mount
    point (renaming it fails) or its parent is not writable."""
    if not output.is_dir():
        return False
    return _is_mount_point(output) or not os.access(output.parent, os.W_OK)


def _is_mount_point(path: Path) -> bool:
    if os.path.ismount(path):
        return True
    try:  # a bind mount from the same file system has the parent's device number
        with open("/proc/self/mountinfo", encoding="utf-8", errors="replace") as table:
            points = {line.split()[4] for line in table if len(line.split()) > 4}
    except OSError:
        return False
    escaped = str(path.resolve()).replace("\\", "\\134").replace(" ", "\\040") \
        .replace("\t", "\\011").replace("\n", "\\012")
    return escaped in points


def beside(output: Path, what: str) -> Path:
    """The path of sitegen's `what` ("spare", "lock", "old") beside the output folder."""
    return output.parent / f".{output.name}.sitegen-{what}"
