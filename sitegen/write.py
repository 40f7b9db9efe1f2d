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
the journal forward first. The lock that keeps a second build out of a
folder while one writes it, and the recovery from a killed build, are
output_lock.py's; the checks of the destination, destinations.py's.
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import os
import shutil
import stat
from collections.abc import Iterable, Iterator
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import Any

from sitegen import staged_pictures
from sitegen.errors import Problem, SitegenError
from sitegen.output_places import beside, inside_mode
from sitegen.tree_files import (
    HANDOFF,
    MARKER,
    SEARCH_SCRATCH,
    STAGING,
    ListedFolders,
    SpareFiles,
    Trash,
    exchange,
    internal,
    inventory,
    remove,
    roll_forward,
    same_bytes,
    spare_inventory,
    unshare,
    write_journal,
    write_manifest,
)


def replacing(output: Path, relatives: list[str]) -> None:
    """Called before files of the output are replaced outside a build (serve's body
    edits): the spare tree's copies of them are not the output's any more."""
    spare = beside(output.resolve(), "spare")
    if relatives and spare.is_dir():
        unshare(spare, relatives)


def spare_file_gone(output: Path, exc: OSError) -> bool:
    """Whether `exc` is a file of the output's spare tree found missing.

    The spare tree's manifest says which of its files are the output's own (the same
    inode), and a build keeps those without a system call. A page deleted by hand from
    the output after a build kept it is still in the spare tree (its other link): the
    next build takes it from there, and its swap puts the output that lacks it aside as
    the spare, with a manifest naming it (a build's books, not a walk). A reader of the
    next build's tree (the search index's) then meets the file gone. That build removed
    the manifest before changing anything: built again, it checks every file of the
    spare tree, and takes the page from the output or renders it."""
    if exc.errno != errno.ENOENT or exc.filename is None:
        return False
    spare = os.path.join(beside(output.resolve(), "spare"), "")
    return os.fsdecode(exc.filename).startswith(spare)


# The folders made are remembered up to this many. Each article has one of its own, made
# once; what is worth remembering is the few that many files share (a section's, its
# parents'), and making one again costs two system calls.
FOLDERS_REMEMBERED = 512


class Staging:
    """The new output tree, made complete before it replaces the previous one in `commit`.

    Beside the output it is made in the spare tree: the tree the last swap put aside,
    the build before the previous one, kept because hard links make it cost almost no
    space. Bringing it up to date touches only what differs, so the swap costs in
    proportion to the change, not to the site. A file of the spare tree is the previous
    output's only when it is the same inode: checked file by file, unless the swap that
    put the spare aside listed which of its files are (`tree_files.SpareFiles`), and no
    build changed it since. Then a file kept as it is costs no system call, and a
    publish touches only what it writes.
    """

    def __init__(self, output: Path) -> None:
        self.output = output.resolve()
        self.inside = inside_mode(self.output)
        self.dir = self.output / STAGING if self.inside else beside(self.output, "spare")
        self.reused = not self.inside and self.dir.is_dir() and not self.dir.is_symlink()
        if not self.reused:
            remove(self.dir)
            self.dir.mkdir(parents=True)
        self._spare = spare_inventory(self.dir) if self.reused else SpareFiles()
        self._spare_files, self._spare_folders = self._spare.files, self._spare.folders
        self._listed = self._spare.listed
        self.handoff = self.dir.parent / f"{HANDOFF}{self.output.name}"
        self._trash = Trash(self.dir.parent / f"{SEARCH_SCRATCH}trash-{self.output.name}")
        # The new tree's files. A dict, not a set: a set of thousands of names is about 73
        # bytes a name (it grows fourfold), a dict's keys about 29, and this one holds
        # every output file of the archive while the planning process is at its peak.
        self.keep: dict[str, None] = {MARKER: None}
        self.written: list[str] = []
        self.unchanged: list[str] = []
        # The picture variants: apart, without their names (staged_pictures.py).
        self.pictures = staged_pictures.PictureNames()
        self._folders: set[str] = {""}
        self._fresh_marker = False

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
        if len(self._folders) >= FOLDERS_REMEMBERED:  # a memo: making one again is harmless
            self._folders.clear()
            self._folders.add("")
        self._folders.add(folder)

    def _place(self, relative: str, books: bool = True) -> str:
        """The path of `relative` in the new tree, its folder made (`books`: its name put
        in `keep`; a picture variant's goes to `pictures` once it is there)."""
        self._check(relative)
        folder = relative.rpartition("/")[0]
        if folder not in self._folders:
            self._folder(folder)
        if books:
            self.keep[relative] = None
        return f"{self.dir}/{relative}"

    def _fresh(self, relative: str, books: bool = True) -> str:
        """Where to write `relative` anew: never through a link that the output shares."""
        target = self._place(relative, books)
        if self._spare.stale is not None:  # no longer the output's file
            self._spare.stale.add(relative)
        if relative in self._spare_files or relative in self._spare_folders \
                or os.path.lexists(target):
            if relative in self._spare_folders or not self._trash.take(target):
                remove(Path(target))
            self._spare_folders.discard(relative)
        return target

    def _take(self, relative: str, books: bool = True) -> bool:
        """Make the new tree's `relative` the previous output's file (same inode, so the
        same bytes and time); False if the previous output has none."""
        if self._spare.same(relative):  # already: named by the manifest (so checked)
            if books:
                self.keep[relative] = None
            return True
        target = self._place(relative, books)
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
            target = self._fresh(relative, books)
        try:
            try:
                os.link(previous, target, follow_symlinks=False)
            except FileExistsError:  # a file of the spare tree its manifest did not name
                target = self._fresh(relative, books)
                os.link(previous, target, follow_symlinks=False)
        except OSError as exc:  # a file system without hard links, or a full link count
            if exc.errno not in (errno.EPERM, errno.EMLINK, errno.EXDEV, errno.ENOTSUP,
                                 errno.EOPNOTSUPP):
                raise
            shutil.copy2(previous, target)
        return True

    def holds(self, relative: str) -> bool:
        """Whether the previous output's `relative` is at hand to keep: the same file in
        the spare tree (known without a system call), or in the output."""
        return self._spare.same(relative) or os.path.isfile(f"{self.output}/{relative}")

    def _same_files(self) -> set[str]:
        """The spare tree's files its manifest names as the output's own, untouched."""
        spare = self._spare
        return set() if spare.stale is None else spare.files - spare.stale

    def holds_all(self, names: AbstractSet[str]) -> bool:
        """`holds` of every name: a set operation for those the manifest vouches for (most
        of a large site's), a system call only for the others."""
        return all(os.path.isfile(f"{self.output}/{name}") for name in names - self._same_files())

    def keep_all(self, names: AbstractSet[str]) -> list[str]:
        """`keep_unchanged` of every name (a body edit's other pages), without a call a
        name for those the manifest vouches for; the names not kept (not there)."""
        same = names & self._same_files()
        self.keep.update(dict.fromkeys(same))
        self.unchanged.extend(same)
        return [name for name in names - same if not self.keep_unchanged(name)]

    def current(self, relative: str) -> Path:
        """Where the new tree's bytes of `relative` are."""
        return self.dir / relative

    def keep_unchanged(self, relative: str) -> bool:
        """Keep the previous output's file as it is, if it is there."""
        if self._take(relative):
            self.unchanged.append(relative)
            return True
        self.keep.pop(relative, None)
        return False

    def write(self, relative: str, data: bytes) -> None:
        self._check(relative)
        if same_bytes(f"{self.output}/{relative}", data) and self._take(relative):
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

    def copy(self, relative: str, source: str | Path) -> None:
        """Copy a static file; an equal size and time (copy2 keeps it) means unchanged."""
        if self._copy(relative, source, books=True):
            self.written.append(relative)
        else:
            self.unchanged.append(relative)

    def has(self, relative: str) -> bool:
        """Whether the new tree has `relative` (a picture variant too)."""
        return relative in self.keep or relative in self.pictures

    def files(self) -> Iterator[str]:
        """Every file of the new tree: the books', then the picture variants'."""
        return itertools.chain(self.keep, self.pictures.names())

    def report(self) -> tuple[list[str], list[str]]:
        """(written, unchanged): every file of the new tree, picture variants too."""
        return ([*self.written, *self.pictures.names(staged_pictures.WRITTEN)],
                [*self.unchanged, *self.pictures.names(staged_pictures.KEPT)])

    def keep_picture(self, relative: str) -> bool:
        """`keep_unchanged` for a picture variant (its name in `pictures`)."""
        if not self._take(relative, books=False):
            return False
        self.pictures.add(relative, staged_pictures.KEPT)
        return True

    def copy_picture(self, relative: str, source: str) -> None:
        """`copy` for a picture variant (its name in `pictures`)."""
        written = self._copy(relative, source, books=False)
        self.pictures.add(relative, staged_pictures.WRITTEN if written
                          else staged_pictures.KEPT)

    def _copy(self, relative: str, source: str | Path, books: bool) -> bool:
        """Whether the file was copied (else the output's file of the same size and time
        is kept)."""
        self._check(relative)
        new = os.stat(source)
        try:
            old = os.lstat(f"{self.output}/{relative}")
            same = stat.S_ISREG(old.st_mode) and \
                (old.st_size, old.st_mtime_ns) == (new.st_size, new.st_mtime_ns)
        except OSError:
            same = False
        if same and self._take(relative, books):
            return False
        shutil.copy2(source, self._fresh(relative, books))
        return True

    def commit(self, previous: set[str] | None = None) -> list[str]:
        """Put the new tree in place of the previous one; return the files no longer there.

        `previous` lists the files of the last build into this folder, when known;
        otherwise the previous tree is walked to find them.
        """
        remove(self.handoff, strict=False)
        self._trash.empty()
        if not self._take(MARKER):
            Path(self._fresh(MARKER)).write_text("This folder is written by sitegen build.\n")
            self._fresh_marker = True
        removed = self._lacks(self._spare_files)
        for relative in sorted(removed, reverse=True):
            remove(Path(f"{self.dir}/{relative}"))
        folders = self._spare_folders
        unused = folders.unused(removed, TreeNames(self), self._spare_files) \
            if isinstance(folders, ListedFolders) else folders - self._made_folders()
        for folder in sorted(unused, reverse=True):
            remove(Path(f"{self.dir}/{folder}"))  # deepest first: what is left of it is gone
        if previous is None:
            previous = {f for f in inventory(self.output)[0] if not internal(f)} \
                if self.output.is_dir() else set()
        gone = self._lacks(previous)
        if self.inside:
            write_journal(self.output, "retire")
            roll_forward(self.output)
        elif not os.path.lexists(self.output):
            os.rename(self.dir, self.output)
        else:
            if not exchange(self.dir, self.output):
                old = beside(self.output, "old")
                os.rename(self.output, old)
                os.rename(self.dir, self.output)
                os.rename(old, self.dir)
            # The previous tree is the spare now; its files that are the new output's own
            # are those this build kept (taken from it, or already the same), none other.
            stale = {MARKER} if self._fresh_marker else set()
            write_manifest(self.dir, previous | {MARKER}, gone.union(
                self.written, self.pictures.names(staged_pictures.WRITTEN), stale))
        return sorted(gone)

    def _lacks(self, names: set[str]) -> set[str]:
        """The names the new tree lacks (not `has`): a set difference for its books, in
        place of a call a name (three passes over every file, 0.5 profiled s a build at
        100,000 stories); its picture variants asked one by one."""
        lacking = names.difference(self.keep)
        return {name for name in lacking if name not in self.pictures} \
            if len(self.pictures) else lacking

    def _made_folders(self) -> set[str]:
        """Every folder of the new tree: the folders of its files, and theirs."""
        made = {""}
        if not self._spare_folders:
            return made
        for relative in self.files():
            folder = relative.rpartition("/")[0]
            while folder not in made:
                made.add(folder)
                folder = folder.rpartition("/")[0]
        return made

    def discard(self) -> None:
        self.pictures.close()
        remove(self.handoff, strict=False)
        self._trash.empty()
        if not self.reused:  # a spare tree is still one: the next build brings it up to date
            remove(self.dir, strict=False)


class TreeNames(AbstractSet[str]):
    """The new tree's files as a set (`Staging.has`, `Staging.files`), made of its books
    and its picture variants without a copy of either."""

    def __init__(self, staging: Staging) -> None:
        self.staging = staging

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.staging.has(name)

    def __iter__(self) -> Iterator[str]:
        return self.staging.files()

    def __len__(self) -> int:
        return len(self.staging.keep) + len(self.staging.pictures)

    @classmethod
    def _from_iterable(cls, names: Iterable[Any]) -> AbstractSet[Any]:
        return set(names)  # what `-` and `&` make: a set of their names
