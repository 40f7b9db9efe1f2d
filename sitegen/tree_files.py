"""Layer 5.5. The file operations under the output swap (write.py): the names sitegen
keeps beside and inside an output, moving and deleting trees it made, the spare
tree's inventory, the atomic exchange of two folders, the mount-point journal,
pages handed over by the workers that rendered them, and the trash that frees old
files while the build goes on.
"""

from __future__ import annotations

import bisect
import contextlib
import ctypes
import errno
import itertools
import os
import queue
import shutil
import stat
import sys
import threading
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path

MARKER = ".sitegen-build"
STAGING = ".sitegen-staging"
"""Inside an output folder that is a mount point: the new tree, while it is being built."""
RETIRED = ".sitegen-old"
JOURNAL = ".sitegen-journal"
INTERNAL = frozenset({STAGING, RETIRED, JOURNAL, f"{JOURNAL}.tmp"})
"""Names inside the output folder that belong to no build (only in the mount-point case)."""
SEARCH_SCRATCH = ".sitegen-search-"
"""The prefix of search.py's temporary folders, made beside the staging tree."""
HANDOFF = f"{SEARCH_SCRATCH}handoff-"
"""With the output folder's name, beside the staging tree (the same file system): pages
written by the workers that rendered them, until the main process renames each into the
new tree. The search prefix makes `recover` remove what a killed build left there."""


def internal(name: str) -> bool:
    return name in INTERNAL or name.startswith(SEARCH_SCRATCH)


class Trash:
    """Old files of the spare tree, renamed out of the way and deleted by a thread of
    their own while the build goes on: on a slow disk, freeing a file costs about
    a millisecond, and a build that rewrites every page frees one per page."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.queue: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        self.thread: threading.Thread | None = None
        self.count = itertools.count()

    def take(self, path: str) -> bool:
        """Move a file out of the way (False: it is not a plain file, or cannot be moved)."""
        try:
            if not stat.S_ISREG(os.lstat(path).st_mode):
                return False
            if self.thread is None:
                self.folder.mkdir(exist_ok=True)
                self.thread = threading.Thread(target=self._delete, daemon=True,
                                               name="sitegen-trash")
                self.thread.start()
            moved = f"{self.folder}/{next(self.count)}"
            os.rename(path, moved)
        except OSError:
            return False
        self.queue.put(moved)
        return True

    def _delete(self) -> None:
        while (path := self.queue.get()) is not None:
            with contextlib.suppress(OSError):  # what is left, the next build removes
                os.unlink(path)

    def empty(self) -> None:
        """Wait for the deletions, then remove the folder."""
        if self.thread is not None:
            self.queue.put(None)
            self.thread.join()
            self.thread = None
        remove(self.folder, strict=False)


_handed = itertools.count()


def hand_over(output: Path, handoff: Path, relative: str, data: bytes) -> str | None:
    """Write a rendered page from the process that rendered it (a worker), so that its
    bytes never travel to the main process; None if the output holds them already.
    The main process passes the result to `Staging.adopt`."""
    if same_bytes(f"{output}/{relative}", data):
        return None
    handoff.mkdir(exist_ok=True)
    name = f"{handoff}/{os.getpid()}-{next(_handed)}"
    with open(name, "wb") as stream:
        stream.write(data)
    return name


MANIFEST = ".sitegen-spare-files"
"""In the spare tree, written by the swap that made it: its files, so that the next build
need not walk it, and after an empty line those of them that are NOT the output's own
file (the same inode): what that swap's build wrote, and what it removed. The next build
removes it before changing anything, so a spare tree that a killed build left half
changed has none and is walked, every file checked."""


class ListedFolders:
    """The spare tree's folders as its manifest implies them (each one holds a listed
    file), asked of the manifest's names in order by bisection: a set of every file's
    parents, made at each build's start, was a loop a file (1.6 profiled s a build at
    100,000 stories, for the few folders a build asks about)."""

    def __init__(self, ordered: list[str]) -> None:
        self.ordered = ordered
        self.gone: set[str] = set()
        """Folders removed since (a file goes where one was)."""

    def __contains__(self, folder: object) -> bool:
        if not isinstance(folder, str) or not folder or folder in self.gone:
            return False
        prefix = folder + "/"
        at = bisect.bisect_left(self.ordered, prefix)
        return at < len(self.ordered) and self.ordered[at].startswith(prefix)

    def discard(self, folder: str) -> None:
        self.gone.add(folder)

    def __bool__(self) -> bool:
        return bool(self.ordered)

    def unused(self, removed: set[str], kept: AbstractSet[str], listed: set[str]) -> set[str]:
        """The folders below which no file of `kept` (the new tree's) lies, `removed` being
        the `listed` files not kept: only their parents can be such a folder (every other
        one holds a listed file, kept)."""
        candidates: set[str] = set()
        for name in removed:
            folder = name.rpartition("/")[0]
            while folder and folder not in candidates:
                candidates.add(folder)
                folder = folder.rpartition("/")[0]
        candidates -= self.gone
        if not candidates:
            return set()
        fresh: set[str] = set()  # the parents of the new tree's files not listed
        for name in kept - listed:
            folder = name.rpartition("/")[0]
            while folder and folder not in fresh:
                fresh.add(folder)
                folder = folder.rpartition("/")[0]
        unused = set()
        for folder in candidates - fresh:
            prefix = folder + "/"
            at = bisect.bisect_left(self.ordered, prefix)
            while at < len(self.ordered) and self.ordered[at].startswith(prefix):
                if self.ordered[at] in kept:
                    break
                at += 1
            else:
                unused.add(folder)
        return unused


@dataclass
class SpareFiles:
    """What the spare tree holds, as far as a build knows before changing it."""

    files: set[str] = field(default_factory=set)
    folders: set[str] | ListedFolders = field(default_factory=set)
    listed: bool = False
    """From its manifest (else walked, or there is no spare tree)."""
    stale: set[str] | None = None
    """With a manifest: its files that are not the output's own; every other file of
    `files` is (the same inode), so keeping it as it is costs no system call. None: no
    file is known to be the output's."""

    def same(self, relative: str) -> bool:
        """Whether the spare's `relative` is known to be the output's file, untouched."""
        return self.stale is not None and relative in self.files and relative not in self.stale


def write_manifest(spare: Path, files: set[str], stale: set[str] | None = None,
                   strict: bool = False) -> None:
    """`stale`: the files of `files` that are not the output's own (None: none known to be)."""
    temporary = spare / f"{MANIFEST}.tmp"
    listed = "\n".join(sorted(files)) + "\n" if files else ""
    if stale is not None:
        listed += "\n" + "".join(f"{name}\n" for name in sorted(stale & files))
    try:
        temporary.write_text(listed, encoding="utf-8")
        os.replace(temporary, spare / MANIFEST)
    except OSError:
        if strict:
            raise
        # A full disk: the next build walks the spare tree instead


def unshare(spare: Path, names: Iterable[str]) -> None:
    """The output's `names` are about to be replaced outside a build (serve's body edits,
    renamed over the old files): the manifest says the spare tree's copies are no longer
    the output's. Replaced whole, so a kill leaves the old manifest (while the output is
    still as it said) or the new; if it cannot be written, it goes (every file checked)."""
    path = spare / MANIFEST
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return  # none: the next build checks every file anyway
    listed, separated, rest = ("", "\n", text[1:]) if text.startswith("\n") \
        else text.partition("\n\n")
    if not separated:
        return
    files = set(listed.splitlines())
    temporary = spare / f"{MANIFEST}.tmp"
    try:
        write_manifest(spare, files, set(rest.splitlines()) | set(names), strict=True)
    except OSError:
        temporary.unlink(missing_ok=True)
        path.unlink(missing_ok=True)


def spare_inventory(spare: Path) -> SpareFiles:
    """The files and folders of the spare tree, from its manifest when there is one (else
    the tree is walked). The manifest goes first, before anything changes."""
    try:
        text = (spare / MANIFEST).read_text(encoding="utf-8")
        os.unlink(spare / MANIFEST)
    except (OSError, UnicodeDecodeError):
        return SpareFiles(*inventory(spare))
    if text.startswith("\n"):  # no files, then the stale ones (none)
        listed, separated, rest = "", "\n", text[1:]
    else:
        listed, separated, rest = text.partition("\n\n")
    # Checked as one text, not name by name (a loop a file): no name outside the tree,
    # and no line break but "\n" (the names are its lines).
    if _unsafe(listed):
        return SpareFiles(*inventory(spare))
    ordered = listed.splitlines()
    if "" in ordered:
        return SpareFiles(*inventory(spare))
    ordered.sort()  # written sorted: a check in one pass
    stale = set(rest.splitlines()) if separated else None  # a manifest of an older sitegen
    return SpareFiles(set(ordered), ListedFolders(ordered), True, stale)


_UNSAFE = ("\n/", "\\", "//", "/\n", "/./", "/.\n", "\n./", "\n.\n", "/../", "/..\n", "\n../",
           "\n..\n", *"\r\x0b\x0c\x1c\x1d\x1e")
"""What no safe name of a manifest holds, its lines seen each between two newlines: an
absolute name, a backslash, an empty, "." or ".." part, a line break but a newline (one
regular expression took 40 times as long: 0.4 profiled s a build at 10,000 stories)."""
_UNSAFE_WIDE = "\x85\u2028\u2029"
"""The line breaks `str.splitlines` knows beyond ASCII (looked for in a name that is not)."""


def _unsafe(listed: str) -> bool:
    lines = f"\n{listed}\n"
    return any(part in lines for part in _UNSAFE) or (not lines.isascii() and any(
        part in lines for part in _UNSAFE_WIDE))


def inventory(top: Path) -> tuple[set[str], set[str]]:
    """Every file (anything not a folder) and folder under `top`, relative to it. A folder
    sitegen cannot write (made read-only since) is opened up: the tree is sitegen's own."""
    files: set[str] = set()
    folders: set[str] = set()

    def walk(path: str, prefix: str) -> None:
        for entry in os.scandir(path):
            relative = prefix + entry.name
            if prefix == "" and internal(entry.name):
                continue
            if entry.is_dir(follow_symlinks=False):
                if entry.stat(follow_symlinks=False).st_mode & 0o700 != 0o700:
                    os.chmod(entry.path, 0o700)
                folders.add(relative)
                walk(entry.path, relative + "/")
            else:
                files.add(relative)

    walk(str(top), "")
    return files, folders


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def exchange(first: Path, second: Path) -> bool:
    """Swap two folders atomically; False where the system cannot (then the caller renames)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # a C library older than glibc 2.28
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                          ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second),
                 _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def write_journal(output: Path, phase: str) -> None:
    temporary = output / f"{JOURNAL}.tmp"
    temporary.write_text(phase + "\n")
    os.replace(temporary, output / JOURNAL)


def roll_forward(output: Path) -> None:
    """Move a complete staged tree into a mount-point output folder, in two phases that a
    later build can finish: first every previous entry out of the way, then the new ones in."""
    staging, retired, journal = output / STAGING, output / RETIRED, output / JOURNAL
    if journal.read_text().strip() == "retire":
        retired.mkdir(exist_ok=True)
        for name in os.listdir(output):
            if not internal(name):
                os.rename(output / name, retired / name)
        write_journal(output, "install")
    for name in os.listdir(staging):
        os.rename(staging / name, output / name)
    journal.unlink()
    remove(retired, strict=False)
    remove(staging, strict=False)


def remove(path: Path, strict: bool = True) -> None:
    """Remove a tree sitegen made, also one whose folders were made read-only since."""
    try:
        if path.is_symlink() or path.is_file():
            path.unlink()
        elif path.is_dir():
            try:
                shutil.rmtree(path)
            except PermissionError:
                open_up(path)
                shutil.rmtree(path)
    except FileNotFoundError:
        pass
    except OSError:
        if strict:
            raise
        # Otherwise the output is already complete; the next build removes the rest.


def open_up(folder: Path) -> None:
    os.chmod(folder, 0o700)
    for entry in os.scandir(folder):
        if entry.is_dir(follow_symlinks=False):
            open_up(Path(entry.path))


def same_bytes(path: str, data: bytes) -> bool:
    try:
        found = os.lstat(path)
        if not stat.S_ISREG(found.st_mode) or found.st_size != len(data):
            return False
        with open(path, "rb") as stream:
            return stream.read() == data
    except OSError:
        return False
