"""Layer 1. Problems of one kind printed once, with a count and a few examples.

An archive of thousands of files repeats the same problem (one unknown key,
one kind of bad date) in many of them; a line per file buries everything
else. Problems group by their `kind` (else their message): the first one is
printed as `path:line: message`, so an editor can still jump to it, followed
by how many places share it and where a few of them are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sitegen.errors import Problem
from sitegen.messages import ntr, tr

EXAMPLES = 3


@dataclass(frozen=True)
class Group:
    problems: tuple[Problem, ...]

    @property
    def first(self) -> Problem:
        return self.problems[0]

    @property
    def files(self) -> list[str]:
        return list(dict.fromkeys(p.path for p in self.problems))


def group(problems: Iterable[Problem]) -> list[Group]:
    """Groups in the order their first problem comes, errors before warnings."""
    groups: dict[tuple[bool, str], list[Problem]] = {}
    for problem in sorted(set(problems), key=lambda p: (p.warning, p.path, p.line, p.message)):
        groups.setdefault((problem.warning, problem.kind or problem.message), []).append(problem)
    return [Group(tuple(found)) for found in groups.values()]


def lines(problems: Iterable[Problem], verbose: bool = False) -> list[str]:
    """What the terminal shows: one line a group, or (verbose) one line a problem."""
    if verbose:
        return [str(p) for g in group(problems) for p in g.problems]
    shown = []
    for found in group(problems):
        count = len(found.problems)
        if count == 1:
            shown.append(str(found.first))
            continue
        files = found.files
        where = (tr("{count} files").format(count=count) if count == len(files) else
                 ntr("{count} times in {files} file", "{count} times in {files} files",
                     len(files)).format(count=count, files=len(files)))
        examples = ", ".join(_place(p) for p in found.problems[1:EXAMPLES + 1])
        more = ", …" if count > EXAMPLES + 1 else ""
        shown.append(tr("{first} [{where}; also {examples}; --verbose lists all]").format(
            first=found.first, where=where, examples=examples + more))
    return shown


def _place(problem: Problem) -> str:
    return f"{problem.path}:{problem.line}" if problem.line else problem.path


def as_json(skipped: Iterable[Problem], warnings: Iterable[Problem],
            errors: Iterable[Problem] = ()) -> dict[str, Any]:
    """The `--report FILE` document: every problem, and the same grouped by kind."""
    def entries(problems: Iterable[Problem]) -> list[dict[str, Any]]:
        return [{"path": p.path, "line": p.line, "message": p.message, "warning": p.warning}
                for g in group(problems) for p in g.problems]

    def groups(problems: Iterable[Problem]) -> list[dict[str, Any]]:
        return [{"message": g.first.message, "warning": g.first.warning,
                 "count": len(g.problems), "files": g.files} for g in group(problems)]

    skipped, warnings, errors = list(skipped), list(warnings), list(errors)
    return {
        "skipped_files": sorted({p.path for p in skipped}),
        "skipped": entries(skipped), "skipped_groups": groups(skipped),
        "errors": entries(errors), "warnings": entries(warnings),
        "warning_groups": groups(warnings),
    }
