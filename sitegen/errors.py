"""Layer 0. Problems a user can cause, as data.

Every stage reports problems as `Problem` values instead of raising on the
first one, so a build can list all of them at once. `SitegenError` carries a
batch of problems up to the command line, which prints them compiler-style
(`path:line: message`) so editors can jump to them.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the user's input, located in a file."""

    path: str
    line: int
    message: str
    warning: bool = False
    kind: str = ""
    """What problems of one kind share, to print them once with a count (else the message)."""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        kind = "warning: " if self.warning else ""
        return f"{where}: {kind}{self.message}"


class SitegenError(Exception):
    """Raised with every problem that stops a build."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(sorted(set(problems)))
        super().__init__("\n".join(str(p) for p in self.problems))


def errors_only(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if not p.warning]


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ' (did you mean ...?)' suffix, or '' when nothing is close."""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
