"""Layer 1. The site's files, walked without ever leaving the site.

A site folder is a git checkout many people commit to, built by CI runners
that hold secrets, so what the build reads is decided here, by one rule:

- a symbolic link whose target lies inside the allowed folder (the site, or
  the folder of a theme shipped with sitegen) is followed, files and folders
  alike (a folder reached twice is walked once), unless it leads into a
  hidden folder (`.git/`, whose config can hold CI tokens; `.sitegen/`) or to
  a folder holding the link itself (which would publish the whole site);
- a link leading outside it is never read: it is skipped with a warning
  naming the link (an error with --strict, which CI builds use), so one bad
  commit does not stop a newsroom publishing, and nothing of the target is
  read or published; where skipping is not possible (a theme's templates),
  it is an error;
- a link to nothing is ignored with a warning, an editor's lock file
  (`.#x.md`, a dangling link Emacs makes) and other scratch files silently;
- FIFOs, sockets and devices are never opened (opening a FIFO blocks
  forever) and are ignored with a warning.
"""

from __future__ import annotations

import itertools
import os
import stat
from array import array
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from sitegen.errors import Problem
from sitegen.source_books import places

if TYPE_CHECKING:
    from sitegen.config_schema import Config

# Where a site's sources are: content/, with standalone pages in content/pages/ and the
# files published as they are in content/static/.
PAGES_DIR = "pages"
STATIC_DIR = "static"

# Emacs's lock files and autosaves; every other name is the user's.
_SCRATCH_PREFIXES = (".#",)


class StaticFiles(Mapping[str, Path]):
    """Published name -> the file it is copied from, held as strings and read as Paths.

    A newsroom's static files are a photo a story: a Path held for each would be about
    500 bytes of the planning process an article, with each part of its name interned
    by pathlib for as long as it lives (the interpreter's table of interned names grows
    with the archive and doubles at its powers of two). A Path is made when one is asked
    for, and dropped by whoever asked.

    The names are held packed, for the whole build (the render stage's peak included):
    one string of them all, where each starts, the folder each is under, and a small hash
    table to find one. A name as a string of its own in a dict was about 100 bytes a
    photo; packed, its characters and about 16 bytes. A name asked for or walked is made
    again (a slice)."""

    __slots__ = ("_folders", "_odd", "_slots", "_starts", "_text", "_under")

    def __init__(self, files: dict[str, str] | None = None) -> None:
        # Most files are their folder and their published name (`<folder>/images/x.jpg`):
        # those hold the folder's number, not their path (about 110 bytes a photo of the
        # planning process), and their path is made again when asked for. The others
        # (-1) are found in `_odd`.
        self._folders: list[str] = []
        self._odd: dict[str, str] = {}
        numbers: dict[str, int] = {}
        names: list[str] = []
        under = array("i")
        for name, path in (files or {}).items():
            tail = name if os.sep == "/" else name.replace("/", os.sep)
            folder = path[:-len(tail) - 1]
            names.append(name)
            if path.endswith(tail) and path[-len(tail) - 1:-len(tail)] == os.sep and folder:
                number = numbers.get(folder)
                if number is None:
                    number = numbers[folder] = len(self._folders)
                    self._folders.append(folder)
                under.append(number)
            else:
                under.append(-1)
                self._odd[name] = path
        self._under = under
        # No name holds a NUL (no file system allows one): the names joined by it.
        self._text = "\0".join(names)
        self._starts = array("I", itertools.accumulate(map((1).__add__, map(len, names)),
                                                       initial=0))
        self._slots = places(names)

    def _at(self, name: object) -> int:
        if not isinstance(name, str):
            return -1
        slots, text, starts = self._slots, self._text, self._starts
        mask = len(slots) - 1
        i = hash(name) & mask
        while at := slots[i]:
            start = starts[at - 1]
            if starts[at] - start == len(name) + 1 and text.startswith(name, start):
                return at - 1
            i = (i + 1) & mask
        return -1

    def __getitem__(self, name: str) -> Path:
        return Path(self.file(name))

    def __reduce__(self) -> tuple[type[StaticFiles], tuple[dict[str, str]]]:
        # Sent as its files: the table is of this process's string hashes, which another
        # process (spawned, or a cluster's) does not share.
        return StaticFiles, (dict(self.files()),)

    def __iter__(self) -> Iterator[str]:
        text, starts = self._text, self._starts
        return (text[start:end - 1] for start, end in itertools.pairwise(starts))

    def __len__(self) -> int:
        return len(self._under)

    def __contains__(self, name: object) -> bool:
        return self._at(name) >= 0

    def file(self, name: str) -> str:
        """Where `name` is copied from, as a string (no Path made)."""
        at = self._at(name)
        if at < 0:
            raise KeyError(name)
        return self._path(name, self._under[at])

    def files(self) -> Iterator[tuple[str, str]]:
        """(published name, file) pairs, as strings."""
        text, starts, folders = self._text, self._starts, self._folders
        for (start, end), where in zip(itertools.pairwise(starts), self._under, strict=True):
            name = text[start:end - 1]
            if where < 0:
                yield name, self._odd[name]
            elif os.sep == "/":
                yield name, f"{folders[where]}/{name}"
            else:
                yield name, self._path(name, where)

    def _path(self, name: str, where: int) -> str:
        if where < 0:
            return self._odd[name]
        tail = name if os.sep == "/" else name.replace("/", os.sep)
        return f"{self._folders[where]}{os.sep}{tail}"

    def ending(self, suffixes: Collection[str]) -> StaticFiles:
        """Those whose name ends in one of `suffixes` (`.css`), found without a Path: a
        Path made for every photo would grow the interpreter's table of names."""
        return StaticFiles({n: f for n, f in self.files() if os.path.splitext(n)[1] in suffixes})

    def under(self, folder: Path) -> StaticFiles:
        """Those copied from inside `folder`."""
        prefix = f"{folder}{os.sep}"
        return StaticFiles({n: f for n, f in self.files() if f.startswith(prefix)})


def content_dir(config: Config) -> Path:
    return config.root / "content"


def static_dir(config: Config) -> Path:
    return content_dir(config) / STATIC_DIR


def is_scratch(name: str) -> bool:
    return name.startswith(_SCRATCH_PREFIXES) or (name.startswith("#") and name.endswith("#"))


def inside(path: str | Path, allowed: Path) -> bool:
    return _leads(path, allowed) is None


def _leads(path: str | Path, allowed: Path) -> str | None:
    """Why what `path` leads to may not be read, or None when it may."""
    real = Path(os.path.realpath(path))
    if not real.is_relative_to(allowed):
        return "outside the site"
    # .git/config can hold the CI's token; .sitegen/ holds the preview's drafts.
    if any(part.startswith(".") for part in real.relative_to(allowed).parts):
        return "into a hidden folder of the site"
    if Path(os.path.realpath(os.path.dirname(path))).is_relative_to(real):
        return "to a folder that holds the link (the whole site would be published)"
    return None


def walk(top: Path, allowed: Path, shown_from: Path, suffix: str = "",
         skip: frozenset[str] = frozenset(),
         outside_is_error: bool = False) -> tuple[list[Path], list[Problem]]:
    """Every regular file below `top` (ending in `suffix`), sorted, and the problems.

    `allowed` is the real folder nothing may lead out of; messages show paths
    relative to `shown_from`. `skip` names folders directly under `top` to leave out.
    """
    found, problems = walk_names(top, allowed, shown_from, suffix, skip, outside_is_error)
    return [Path(path) for path in found], problems


def walk_names(top: Path, allowed: Path, shown_from: Path, suffix: str = "",
               skip: frozenset[str] = frozenset(),
               outside_is_error: bool = False) -> tuple[list[str], list[Problem]]:
    """`walk`'s files as strings: pathlib interns each part of a Path's name for as long
    as the Path lives, and the interpreter's table of interned names, which never
    shrinks, would grow by a name an article in the process that plans the build."""
    allowed = Path(os.path.realpath(allowed))
    found: list[str] = []
    problems: list[Problem] = []

    def show(path: str) -> str:
        try:
            return Path(path).relative_to(shown_from).as_posix()
        except ValueError:
            return path

    if not top.is_dir():
        return [], []
    if (reason := _leads(top, allowed)) is not None and reason.startswith("outside"):
        # A whole folder (content/, a static folder) cannot be skipped: the site would
        # lose every article or asset at once.
        return [], [_outside(show(str(top)), top, reason, error=True)]
    # os.scandir's entries know their type: a plain file costs no system call; links
    # and folders (few) cost one each.
    seen = {_identity(str(top))}
    stack = [str(top)]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError as exc:
            problems.append(Problem(show(folder), 0, f"cannot be read ({exc.strerror}): it "
                                    "is ignored", warning=True))
            continue
        for entry in entries:
            if folder == str(top) and entry.name in skip:
                continue
            if entry.is_file(follow_symlinks=False):
                if entry.name.endswith(suffix) and not is_scratch(entry.name):
                    found.append(entry.path)
                continue
            linked_folder = entry.is_symlink() and os.path.isdir(entry.path)
            if entry.is_dir(follow_symlinks=False) or linked_folder:
                if linked_folder and (reason := _leads(entry.path, allowed)) is not None:
                    problems.append(_outside(show(entry.path), Path(entry.path), reason,
                                             outside_is_error))
                elif (identity := _identity(entry.path)) not in seen:
                    seen.add(identity)
                    stack.append(entry.path)
                continue
            if not entry.name.endswith(suffix) or is_scratch(entry.name):
                continue
            problem = _check_file(entry.path, show(entry.path), allowed, outside_is_error)
            if problem is None:
                found.append(entry.path)
            else:
                problems.append(problem)
    # Sorted as strings: comparing Path objects is many times slower.
    return sorted(found), sorted(problems)


def _identity(folder: str) -> tuple[int, int]:
    """A folder reached twice (by a link) is walked once."""
    info = os.stat(folder)
    return info.st_dev, info.st_ino


def _check_file(path: str, shown: str, allowed: Path, outside_is_error: bool) -> Problem | None:
    """None for a regular file that may be read; else the problem (a warning or an error)."""
    try:
        mode = os.lstat(path).st_mode
        if stat.S_ISLNK(mode):
            if (reason := _leads(path, allowed)) is not None:
                return _outside(shown, Path(path), reason, outside_is_error)
            mode = os.stat(path).st_mode
    except FileNotFoundError:
        return Problem(shown, 0, "a link to a file that does not exist: it is ignored "
                       "(remove the link)", warning=True)
    except OSError as exc:
        return Problem(shown, 0, f"cannot be read ({exc.strerror}): it is ignored", warning=True)
    if not stat.S_ISREG(mode):
        kind = ("a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
                else "a folder" if stat.S_ISDIR(mode) else "a device")
        return Problem(shown, 0, f"is {kind}, not a regular file: it is ignored "
                       "(remove it)", warning=True)
    return None


def _outside(shown: str, path: Path, reason: str, error: bool) -> Problem:
    target = os.path.realpath(path)
    if error:
        return Problem(shown, 0, f"is a link to {target}, {reason}: sitegen never reads "
                       "anything outside the site folder; replace the link with a copy of the "
                       "file, or remove it")
    return Problem(shown, 0, f"is a link to {target}, {reason}: it is ignored (sitegen "
                   "never reads or publishes anything outside the site folder; replace the "
                   "link with a copy of the file, or remove it)", warning=True)
