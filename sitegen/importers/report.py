"""What an import converted and what needs a person, per file and line.

The report is written beside the site (`import-report.txt`) and summarised
on the terminal. Each line is `source:line: converted|needs a person: what`,
the source being the file of the old site, so an editor can open both.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

CONVERTED = "converted"
NEEDS_PERSON = "needs a person"
SKIPPED = "not imported"


@dataclass(frozen=True, order=True)
class Entry:
    source: str
    line: int
    status: str
    message: str

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        return f"{where}: {self.status}: {self.message}"


@dataclass
class Report:
    kind: str
    entries: list[Entry] = field(default_factory=list)
    written: list[tuple[str, str]] = field(default_factory=list)
    """(file written in the site, where it came from)."""
    moved: list[tuple[str, str, str]] = field(default_factory=list)
    """(source, old URL, new URL) of every item that is no longer at an old URL."""
    template: Counter[str] = field(default_factory=Counter)
    """Template code nothing converted, taken out of the bodies: count per name."""
    already: list[tuple[str, str]] = field(default_factory=list)
    """(file of the site, where it came from) that an earlier import wrote: left alone."""
    notes: list[str] = field(default_factory=list)
    """Lines to add to sitegen.toml (it is never changed by an import)."""

    def converted(self, source: str, line: int, message: str) -> None:
        self.entries.append(Entry(source, line, CONVERTED, message))

    def needs_person(self, source: str, line: int, message: str) -> None:
        self.entries.append(Entry(source, line, NEEDS_PERSON, message))

    def skipped(self, source: str, line: int, message: str) -> None:
        self.entries.append(Entry(source, line, SKIPPED, message))

    def template_left(self, source: str, line: int, name: str, text: str) -> None:
        self.template[name] += 1
        self.needs_person(source, line, f"template code {text!r} ({name}) could not be "
                          "converted; it was taken out of the page")

    def url_changed(self, source: str, old: str, new: str) -> None:
        self.moved.append((source, old, new))

    def counts(self) -> Counter[str]:
        return Counter(entry.status for entry in self.entries)

    def summary(self) -> str:
        counts = self.counts()
        return (f"files written: {len(self.written)}, conversions: {counts[CONVERTED]}, "
                f"places that need a person: {counts[NEEDS_PERSON]}, "
                f"not imported: {counts[SKIPPED]}"
                + (f", already imported before: {len(self.already)}" if self.already else ""))

    def text(self) -> str:
        lines = [f"sitegen import {self.kind}: {self.summary()}", ""]
        attention = [e for e in self.entries if e.status != CONVERTED]
        if attention:
            lines += ["Needs a person, or not imported:", *map(str, sorted(attention)), ""]
        if self.template:
            lines += ["Template code taken out of pages, per name (shortcode, Liquid tag or "
                      "filter):", *(f"{name}: {count}" for name, count in
                                    sorted(self.template.items(), key=lambda c: (-c[1], c[0]))),
                      ""]
        if self.moved:
            lines += [f"URLs that changed ({len(self.moved)}; each old URL redirects to the "
                      "new one, sitegen's own URLs follow [permalinks]):",
                      *(f"{source}: {old} -> {new}" for source, old, new in sorted(self.moved)),
                      ""]
        if self.notes:
            lines += ["Section names of the old site (add to sitegen.toml):", *self.notes, ""]
        lines += ["Written:", *(f"{target} <- {source}" for target, source in self.written), ""]
        if self.already:
            lines += ["Imported before (left as they are):",
                      *(f"{target} <- {source}" for target, source in self.already), ""]
        done = [e for e in self.entries if e.status == CONVERTED]
        if done:
            lines += ["Converted:", *map(str, sorted(done)), ""]
        return "\n".join(lines)
