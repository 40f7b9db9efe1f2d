"""Layer 6. Safe output: the output folder always holds one whole build, the previous or the new.

The new tree is made complete beside the output, in the spare tree (the one
the last swap put aside): changed files are written there, unchanged ones are
hard links to the previous output's files (the same inode, so the same bytes
and modification time: deploy tools upload only what changed). Then one
system call, Linux's renameat2(RENAME_EXCHANGE), swaps it with the output
folder, and the previous tree stays beside as the next spare. A build killed
at any moment leaves one tree or the other whole; what it left beside the
output is removed or brought up to date by the next build.

An output folder that is a mount point (a Docker bind mount) cannot be
renamed. There the staging tree lives inside it, and the swap moves its
top-level entries under a journal: a build killed while they move leaves
pages of one build only, perhaps not all of them, and the next build rolls
the journal forward first. A lock (flock, released by the kernel when its
process dies) keeps a second build out of a folder while one writes it.
"""

from __future__ import annotations

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
from pathlib import Path
from types import TracebackType

from sitegen.errors import Problem, SitegenError

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; builds into one folder must not overlap
    fcntl = None  # type: ignore[assignment]

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


def check_destination(output: Path, root: Path, content: Path) -> list[Problem]:
    """Refuse destinations where replacing the output would destroy the user's work."""
    output, root, content = output.resolve(), root.resolve(), content.resolve()
    where = "sitegen.toml"
    if output in (root, content) or root.is_relative_to(output) or content.is_relative_to(output):
        return [Problem(where, 0, f"the output folder {output} holds the site itself: "
                        "choose another one, such as output/")]
    if output.is_relative_to(content):
        return [Problem(where, 0, f"the output folder {output} is inside content/: choose another")]
    if output.exists() and not output.is_dir():
        return [Problem(where, 0, f"the output path {output} is a file, not a folder")]
    if output.is_dir() and not (output / MARKER).exists() \
            and any(not internal(name) for name in os.listdir(output)):
        return [Problem(where, 0, f"the output folder {output} is not empty and was not written "
                        "by sitegen: empty it or choose another with --output")]
    return []


def check_cache_dir(cache: Path, output: Path, published: list[Path]) -> list[Problem]:
    """Refuse a cache folder whose files would be published (every draft's HTML is in it)."""
    cache = cache.resolve()
    for folder, what in [(output, "the output folder"), *((p, "a published folder")
                                                           for p in published)]:
        folder = folder.resolve()
        if cache.is_relative_to(folder):
            return [Problem("sitegen.toml", 0, f"[build] cache_dir {cache} is inside {what} "
                            f"({folder}), so it would be published: choose a folder outside it, "
                            "such as the default .sitegen-cache")]
    return []


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


def _beside(output: Path, what: str) -> Path:
    return output.parent / f".{output.name}.sitegen-{what}"


class OutputLock:
    """Held for a whole build: a second build into the same folder stops with a message.

    The lock file lies beside the output folder (which the swap replaces) while a
    build runs; in the mount-point case the folder itself, which never moves, is
    locked instead. Taking the lock also removes or completes what a killed build
    left behind.
    """

    def __init__(self, output: Path) -> None:
        self.output = output.resolve()
        self.fd: int | None = None
        self.path: Path | None = None

    def __enter__(self) -> OutputLock:
        if fcntl is not None:
            if inside_mode(self.output):
                self.path = None
                self.fd = os.open(self.output, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
                self._take()
            else:
                self.output.parent.mkdir(parents=True, exist_ok=True)
                self.path = _beside(self.output, "lock")
                while True:
                    self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
                    self._take()
                    # The holder before us removes the file when done: ours must still be it.
                    try:
                        if os.stat(self.path).st_ino == os.fstat(self.fd).st_ino:
                            break
                    except FileNotFoundError:
                        pass
                    os.close(self.fd)
                os.ftruncate(self.fd, 0)
                os.pwrite(self.fd, f"{os.getpid()}\n".encode(), 0)
        try:
            recover(self.output)
        except BaseException:
            self.__exit__(None, None, None)  # `with` calls it only once entered
            raise
        return self

    def _take(self) -> None:
        assert self.fd is not None and fcntl is not None
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_pid(self.fd)
            os.close(self.fd)
            self.fd = None
            raise SitegenError([Problem(str(self.output), 0, "another sitegen build"
                                        f"{f' (process {holder})' if holder else ''} is "
                                        "writing this folder: wait until it has finished, "
                                        "then build again")]) from None

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        if self.fd is not None:
            if self.path is not None:
                self.path.unlink(missing_ok=True)  # while still held, so no one else's goes
            os.close(self.fd)  # releases the lock
            self.fd = None


def _read_pid(fd: int) -> str:
    try:
        return os.pread(fd, 32, 0).decode("ascii", errors="replace").strip()
    except OSError:
        return ""


def recover(output: Path) -> None:
    """Finish or remove what a killed build left: the output is one whole tree again.
    (The spare tree beside it is not removed: the next build brings it up to date.)"""
    if (output / JOURNAL).is_file():
        _roll_forward(output)
    if output.is_dir():
        for name in os.listdir(output):
            if internal(name):
                _remove(output / name)
    if output.parent.is_dir():
        for name in os.listdir(output.parent):  # the search index's work, when killed
            if name.startswith(SEARCH_SCRATCH):
                _remove(output.parent / name, strict=False)
    old = _beside(output, "old")
    if not os.path.lexists(output) and old.is_dir():
        os.rename(old, output)  # killed between the renames of a swap without exchange
    _remove(old)


class Staging:
    """The new output tree, made complete before it replaces the previous one in `commit`.

    Beside the output it is made in the spare tree: the tree the last swap put aside,
    the build before the previous one, kept because hard links make it cost almost no
    space. Bringing it up to date touches only what differs, so the swap costs in
    proportion to the change, not to the site. Nothing in the spare tree is trusted:
    a file is the previous output's only when it is the same inode.
    """

    def __init__(self, output: Path) -> None:
        self.output = output.resolve()
        self.inside = inside_mode(self.output)
        self.dir = self.output / STAGING if self.inside else _beside(self.output, "spare")
        self.reused = not self.inside and self.dir.is_dir() and not self.dir.is_symlink()
        if not self.reused:
            _remove(self.dir)
            self.dir.mkdir(parents=True)
        self._spare_files, self._spare_folders, self._listed = _spare_inventory(self.dir) \
            if self.reused else (set(), set(), False)
        self.handoff = self.dir.parent / f"{HANDOFF}{self.output.name}"
        self._trash = _Trash(self.dir.parent / f"{SEARCH_SCRATCH}trash-{self.output.name}")
        self.keep: set[str] = {MARKER}
        self.written: list[str] = []
        self.unchanged: list[str] = []
        self._folders: set[str] = {""}

    @staticmethod
    def _check(relative: str) -> None:
        # URLs were validated when read; this is the last guard, kept cheap (no syscalls).
        parts = relative.split("/")
        if relative.startswith("/") or "\\" in relative or any(
                p in ("", ".", "..") for p in parts):
            raise ValueError(f"refusing to write outside the output folder: {relative}")

    def _folder(self, folder: str) -> None:
        """Make a folder of the new tree; the same folder of the previous tree must be
        a real one, or taking its files would publish whatever a link points at."""
        if folder in self._folders:
            return
        self._folder(folder.rpartition("/")[0])
        if os.path.islink(f"{self.output}/{folder}"):
            raise SitegenError([Problem(f"{self.output}/{folder}", 0, "this folder of the output "
                                        "is a link to elsewhere: remove it and build again")])
        path = f"{self.dir}/{folder}"
        if folder in self._spare_files:  # a file of the spare tree where a folder goes now
            os.unlink(path)
            self._spare_files.discard(folder)
        if folder not in self._spare_folders or self._listed:
            # A folder a manifest implies may have gone, one it does not name may be there.
            with contextlib.suppress(FileExistsError):
                os.mkdir(path)
        self._folders.add(folder)

    def _place(self, relative: str) -> str:
        """The path of `relative` in the new tree, its folder made."""
        self._check(relative)
        folder = relative.rpartition("/")[0]
        if folder not in self._folders:
            self._folder(folder)
        self.keep.add(relative)
        return f"{self.dir}/{relative}"

    def _fresh(self, relative: str) -> str:
        """Where to write `relative` anew: never through a link that the output shares."""
        target = self._place(relative)
        if relative in self._spare_files or relative in self._spare_folders \
                or os.path.lexists(target):
            if relative in self._spare_folders or not self._trash.take(target):
                _remove(Path(target))
            self._spare_folders.discard(relative)
        return target

    def _take(self, relative: str) -> bool:
        """Make the new tree's `relative` the previous output's file (same inode, so the
        same bytes and time); False if the previous output has none."""
        target = self._place(relative)
        previous = f"{self.output}/{relative}"
        try:
            old = os.lstat(previous)
        except OSError:
            return False
        if not stat.S_ISREG(old.st_mode):
            return False
        if relative in self._spare_files or relative in self._spare_folders:
            try:
                spare = os.lstat(target)
                if (spare.st_ino, spare.st_dev) == (old.st_ino, old.st_dev):
                    return True
            except OSError:
                pass
            target = self._fresh(relative)
        try:
            try:
                os.link(previous, target, follow_symlinks=False)
            except FileExistsError:  # a file of the spare tree its manifest did not name
                target = self._fresh(relative)
                os.link(previous, target, follow_symlinks=False)
        except OSError as exc:  # a file system without hard links, or a full link count
            if exc.errno not in (errno.EPERM, errno.EMLINK, errno.EXDEV, errno.ENOTSUP,
                                 errno.EOPNOTSUPP):
                raise
            shutil.copy2(previous, target)
        return True

    def current(self, relative: str) -> Path:
        """Where the new tree's bytes of `relative` are."""
        return self.dir / relative

    def keep_unchanged(self, relative: str) -> bool:
        """Keep the previous output's file as it is, if it is there."""
        if self._take(relative):
            self.unchanged.append(relative)
            return True
        self.keep.discard(relative)
        return False

    def write(self, relative: str, data: bytes) -> None:
        self._check(relative)
        if _same_bytes(f"{self.output}/{relative}", data) and self._take(relative):
            self.unchanged.append(relative)
            return
        with open(self._fresh(relative), "wb") as stream:
            stream.write(data)
        self.written.append(relative)

    def adopt(self, relative: str, handed: str | None) -> None:
        """Take a page that `hand_over` wrote (None: the output holds its bytes already)."""
        self._check(relative)
        if handed is None:
            if not self._take(relative):
                raise SitegenError([Problem(f"{self.output}/{relative}", 0, "the file went "
                                            "away while the site was built: build again")])
            self.unchanged.append(relative)
            return
        os.replace(handed, self._fresh(relative))
        self.written.append(relative)

    def copy(self, relative: str, source: Path) -> None:
        """Copy a static file; an equal size and time (copy2 keeps it) means unchanged."""
        self._check(relative)
        new = source.stat()
        try:
            old = os.lstat(f"{self.output}/{relative}")
            same = stat.S_ISREG(old.st_mode) and \
                (old.st_size, old.st_mtime_ns) == (new.st_size, new.st_mtime_ns)
        except OSError:
            same = False
        if same and self._take(relative):
            self.unchanged.append(relative)
            return
        shutil.copy2(source, self._fresh(relative))
        self.written.append(relative)

    def commit(self, previous: set[str] | None = None) -> list[str]:
        """Put the new tree in place of the previous one; return the files no longer there.

        `previous` lists the files of the last build into this folder, when known;
        otherwise the previous tree is walked to find them.
        """
        _remove(self.handoff, strict=False)
        self._trash.empty()
        if not self._take(MARKER):
            Path(self._fresh(MARKER)).write_text("This folder is written by sitegen build.\n")
        for relative in sorted(self._spare_files - self.keep, reverse=True):
            _remove(Path(f"{self.dir}/{relative}"))
        for folder in sorted(self._spare_folders - self._folders, reverse=True):
            _remove(Path(f"{self.dir}/{folder}"))  # deepest first: what is left of it is gone
        if previous is None:
            previous = {f for f in _inventory(self.output)[0] if not internal(f)} \
                if self.output.is_dir() else set()
        if self.inside:
            _write_journal(self.output, "retire")
            _roll_forward(self.output)
        elif not os.path.lexists(self.output):
            os.rename(self.dir, self.output)
        else:
            if not _exchange(self.dir, self.output):
                old = _beside(self.output, "old")
                os.rename(self.output, old)
                os.rename(self.dir, self.output)
                os.rename(old, self.dir)
            _write_manifest(self.dir, previous | {MARKER})  # the previous tree: the spare
        return sorted(previous - self.keep)

    def discard(self) -> None:
        _remove(self.handoff, strict=False)
        self._trash.empty()
        if not self.reused:  # a spare tree is still one: the next build brings it up to date
            _remove(self.dir, strict=False)


class _Trash:
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
        _remove(self.folder, strict=False)


_handed = itertools.count()


def hand_over(output: Path, handoff: Path, relative: str, data: bytes) -> str | None:
    """Write a rendered page from the process that rendered it (a worker), so that its
    bytes never travel to the main process; None if the output holds them already.
    The main process passes the result to `Staging.adopt`."""
    if _same_bytes(f"{output}/{relative}", data):
        return None
    handoff.mkdir(exist_ok=True)
    name = f"{handoff}/{os.getpid()}-{next(_handed)}"
    with open(name, "wb") as stream:
        stream.write(data)
    return name


MANIFEST = ".sitegen-spare-files"
"""In the spare tree, written by the swap that made it: its files, so that the next build
need not walk it. The next build removes it before changing anything, so a spare tree
that a killed build left half changed has none and is walked."""


def _write_manifest(spare: Path, files: set[str]) -> None:
    temporary = spare / f"{MANIFEST}.tmp"
    try:
        temporary.write_text("".join(f"{name}\n" for name in sorted(files)), encoding="utf-8")
        os.replace(temporary, spare / MANIFEST)
    except OSError:
        pass  # a full disk: the next build walks the spare tree instead


def _spare_inventory(spare: Path) -> tuple[set[str], set[str], bool]:
    """The files and folders of the spare tree, and whether they come from its manifest
    (else the tree was walked). The manifest goes first, before anything changes."""
    try:
        files = set((spare / MANIFEST).read_text(encoding="utf-8").splitlines())
        os.unlink(spare / MANIFEST)
    except (OSError, UnicodeDecodeError):
        return (*_inventory(spare), False)
    folders = set()
    for name in files:
        parts = name.split("/")
        if name.startswith("/") or "\\" in name or any(p in ("", ".", "..") for p in parts):
            return (*_inventory(spare), False)
        folders.update("/".join(parts[:end]) for end in range(1, len(parts)))
    return files, folders, True


def _inventory(top: Path) -> tuple[set[str], set[str]]:
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


def _exchange(first: Path, second: Path) -> bool:
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


def _write_journal(output: Path, phase: str) -> None:
    temporary = output / f"{JOURNAL}.tmp"
    temporary.write_text(phase + "\n")
    os.replace(temporary, output / JOURNAL)


def _roll_forward(output: Path) -> None:
    """Move a complete staged tree into a mount-point output folder, in two phases that a
    later build can finish: first every previous entry out of the way, then the new ones in."""
    staging, retired, journal = output / STAGING, output / RETIRED, output / JOURNAL
    if journal.read_text().strip() == "retire":
        retired.mkdir(exist_ok=True)
        for name in os.listdir(output):
            if not internal(name):
                os.rename(output / name, retired / name)
        _write_journal(output, "install")
    for name in os.listdir(staging):
        os.rename(staging / name, output / name)
    journal.unlink()
    _remove(retired, strict=False)
    _remove(staging, strict=False)


def _remove(path: Path, strict: bool = True) -> None:
    """Remove a tree sitegen made, also one whose folders were made read-only since."""
    try:
        if path.is_symlink() or path.is_file():
            path.unlink()
        elif path.is_dir():
            try:
                shutil.rmtree(path)
            except PermissionError:
                _open_up(path)
                shutil.rmtree(path)
    except FileNotFoundError:
        pass
    except OSError:
        if strict:
            raise
        # Otherwise the output is already complete; the next build removes the rest.


def _open_up(folder: Path) -> None:
    os.chmod(folder, 0o700)
    for entry in os.scandir(folder):
        if entry.is_dir(follow_symlinks=False):
            _open_up(Path(entry.path))


def _same_bytes(path: str, data: bytes) -> bool:
    try:
        found = os.lstat(path)
        if not stat.S_ISREG(found.st_mode) or found.st_size != len(data):
            return False
        with open(path, "rb") as stream:
            return stream.read() == data
    except OSError:
        return False
