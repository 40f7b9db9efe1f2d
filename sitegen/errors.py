"""Layer 0. Problems a user can cause, as data.

Every stage reports problems as `Problem` values instead of raising on the
first one, so a build can list all of them at once. `SitegenError` carries a
batch of problems up to the command line, which prints them compiler-style
(`path:line: message`) so editors can jump to them.
"""

from __future__ import annotations

import dataclasses
import difflib
import errno
import os
from collections.abc import Iterable
from dataclasses import dataclass

from sitegen.messages import tr


@dataclass(frozen=True, order=True, slots=True)
class Problem:
    """One thing wrong with the user's input, located in a file.

    Slots: a build holds a warning for each story of an archive that has one (a photo
    too narrow for previews: every story of a newsroom's older years), and an instance
    dict's values were 48 bytes more a problem."""

    path: str
    line: int
    message: str
    warning: bool = False
    kind: str = ""
    """What problems of one kind share, to print them once with a count (else the message)."""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        kind = tr("warning: ") if self.warning else ""
        return f"{where}: {kind}{self.message}"


class SitegenError(Exception):
    """Raised with every problem that stops a build."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(sorted(set(problems)))
        super().__init__("\n".join(str(p) for p in self.problems))


def named_as(problems: list[Problem], path: str) -> list[Problem]:
    """`problems`, those of the file `path` names holding that very string: a source's
    problems arrive from a worker or the build state with a copy of its name each (73
    bytes a story's warning of the planning process's, held the whole build)."""
    if all(p.path is path or p.path != path for p in problems):
        return problems
    return [dataclasses.replace(p, path=path) if p.path == path else p for p in problems]


def errors_only(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if not p.warning]


def stop_on(problems: Iterable[Problem], strict: bool = False) -> None:
    """Raise with all problems if any is an error (with --strict, a warning is one too)."""
    problems = list(problems)
    if problems and (strict or errors_only(problems)):
        raise SitegenError(problems)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ' (did you mean ...?)' suffix, or '' when nothing is close."""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


_ADVICE = {
    errno.ENOSPC: "no space left on the device: free some space and build again",
    errno.EDQUOT: "the disk quota is used up: free some space and build again",
    errno.EACCES: "permission denied: make it readable and writable for the user running "
                  "sitegen, or choose another folder",
    errno.EPERM: "operation not permitted: make it writable for the user running sitegen, "
                 "or choose another folder",
    errno.EROFS: "the file system is read-only: choose a folder on a writable one",
    errno.ENAMETOOLONG: "the name is too long for the file system: shorten the file's slug "
                        "or the folder names",
    errno.EMFILE: "too many open files: raise the limit (ulimit -n) and build again",
    errno.EIO: "input/output error: check the disk",
    # A cached build trusts its record of the output folder's files (README, "Build
    # cache"): one deleted there by hand is found missing only when it is needed.
    errno.ENOENT: "no such file or directory (deleted while sitegen was building, or by "
                  "hand from the output folder?): build again, or run `sitegen build "
                  "--no-cache` to build the output folder anew",
}


def os_problem(exc: OSError) -> Problem:
    """An operating-system error as a problem of the path it names, with what to do."""
    path = exc.filename if exc.filename is not None else "sitegen"
    if exc.filename2 is not None:
        # A copy or a move: a full or read-only disk is the destination's problem.
        full = exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS)
        path = exc.filename2 if full else f"{path} -> {exc.filename2}"
    message = _ADVICE.get(exc.errno or 0) or (exc.strerror or str(exc)).lower()
    return Problem(os.fsdecode(path) if isinstance(path, bytes) else str(path), 0, message)
