"""Layer 6.976. The early answer: before any record of the build state is read, whether
this build would be the last one into the output folder again, and if so, that build's
report told again with nothing written.

After every build into a folder (with the cache, not serve's, not a shard's or a
merge's), the state keeps under the folder's records (kind `folder`, so that the build
which next changes the output forgets it first, with the folder's facts):

- a digest of what the build saw before it read anything: every file below content/
  (the static folder is in it) and below each theme of the chain, by name and stat
  (size, modification and change times, inode and device), the config, the options,
  sitegen's and its libraries' versions, the language of the messages;
- the time from which and until which what the build time decides stays as it was
  (`holds_until`: when a scheduled story goes live, an expiry, the news sitemap's
  window, a live blog's coverage, the breaking banner, the year of the footer);
- the output's own marker: the stat of the output folder and of its `.sitegen-build`
  file, which every swap of a new tree changes (the folder is another one, or in the
  mount-point case its entries moved);
- the report to tell again: the files, the warnings, the held-back stories, the skipped.

When all of it matches, the build reads no record, stats no output page and writes
nothing (but the answer again, once, when files racy in its walk have settled, below):
at 100,000 articles a walk and a stat a source instead of reading 386,000 records.
Anything that does not match (an edit, a file added, removed or renamed, an edit that
kept size and modification time, a cache brought from another machine, a clock past the
window, another output folder, the output replaced or its marker or top touched) goes
the full way, which knows by content.

What the early answer does not see: a file changed or deleted by hand below the top of
the output folder (the full check sees a deleted one, never a changed one). `sitegen
build --no-cache`, or removing the output's `.sitegen-build`, makes the next build look
at every file.

A file changed within `RACY_NS` of the walk may change again without its stat changing
(coarse file system clocks, "racy git"). As git does with its racy entries, the answer
is kept all the same, with the sha256 of each such file's contents as the walk found
them; the next look hashes those files again and takes the answer only if every one
still holds what it held. A look that finds them settled (changed before its own walk's
window) and as they were keeps the answer again without them, so that the looks after it
trust their stat and read nothing. A file gone while walked keeps no answer, and so
does a walk with more than `RACY_MOST` racy files (a checkout, an import, an archive
written just before its build): hashing them would read every photo's bytes again and
hold a name and a hash a file through the build, for an answer the next build rarely
needs (an editor saves a few files, not thousands); that next build goes the full way
once and keeps its answer.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from sitegen import cache, messages, pictures, readers, sitefiles, staged_pictures, themes
from sitegen.build_options import BuildOptions, BuildReport
from sitegen.build_run import Guarded, Run
from sitegen.config import Config
from sitegen.dates import to_aware
from sitegen.errors import Problem
from sitegen.listing import HeldBack
from sitegen.model import Article
from sitegen.sitemaps import NEWS_WINDOW
from sitegen.state import BuildState
from sitegen.tree_files import MARKER

ANSWER = ("folder", "nothing changed")
"""Where the answer lies among the folder's records (`BuildState.forget_folder` drops it
with them, before the output changes)."""
VERSION = 3  # 2: the files' names packed one a line, in the tree's order; 3: racy files
RACY_NS = 2_000_000_000
RACY_MOST = 64
"""More files racy in one walk than this keep no answer (module docstring)."""
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_FAR = 2**62
_SLACK = dt.timedelta(days=4)
"""More than two offset changes of a zone (holds_until's rough filter)."""


@dataclass(frozen=True)
class Look:
    """What a build saw before reading anything, and the answer it found."""

    digest: str
    racy: dict[str, str] | None
    """The files changed within RACY_NS of the walk (their stat vouches for nothing
    later), by name, with the sha256 of their contents as the walk found them; None when
    a file went while walked (no answer is kept)."""
    told: BuildReport | None = None
    """The last build's report, told again: nothing changed."""
    stats: dict[str, cache.Stat] = dataclasses.field(default_factory=dict, compare=False,
                                                     repr=False)
    """The stat of each Markdown file below content/, by its name as walked: when
    something changed, the read takes them (sources.read_all) instead of a stat each
    again, one stat a source a build. Emptied by the read."""


def look(config: Config, options: BuildOptions, output: Path, state: BuildState,
         guarded: Guarded) -> Look | None:
    """The early answer, or None where none is kept (no cache, serve, a shard, a merge,
    a check that needs every page's source)."""
    if guarded.cache_dir is None or options.state is not None or options.shard \
            or options.merge or not options.early:
        return None
    started = time.perf_counter()
    digest, racy, stats = _seen(config, options, output, guarded.chain, time.time_ns())
    seen = Look(digest, racy, stats=stats)
    kept = state.get(*_where(output))
    if not (isinstance(kept, list) and len(kept) == 11 and kept[0] == VERSION
            and kept[1] == digest and kept[2] <= _micros(options.now) < kept[3]
            and kept[4] == _marker(output) and racy is not None
            and _as_they_were(dict(kept[10]), racy)):
        return seen
    if len(racy) < len(kept[10]):  # some settled: the next looks trust their stat
        state.put(*_where(output), [*kept[:10], sorted(map(list, racy.items()))])
        state.commit()
    _, _, _, _, _, names, count, warnings, skipped, held, _ = kept
    files = sorted(staged_pictures.unpack(names)) if count else []  # as `recheck` has them
    report = BuildReport(output, [], files, [Problem(*p) for p in warnings],
                         {"early": time.perf_counter() - started},
                         held=HeldBack(held[0], held[1], held[2],
                                       dt.datetime.fromisoformat(held[3]) if held[3] else None),
                         skipped=[Problem(*p) for p in skipped])
    return Look(digest, racy, told=report)


def _as_they_were(kept: dict[str, str], racy: dict[str, str]) -> bool:
    """Whether the files racy in the kept answer's walk hold what they held then.

    A file racy now but not then had its stat trusted then although it is newer: the
    clock went back, and nothing is vouched for."""
    if not racy.keys() <= kept.keys():
        return False
    for name, was in kept.items():
        now = racy[name] if name in racy else _contents(name)
        if now != was:
            return False
    return True


def _contents(name: str) -> str | None:
    """The sha256 of a file's contents, None if it cannot be read."""
    try:
        with open(name, "rb") as file:
            return hashlib.file_digest(file, "sha256").hexdigest()
    except OSError:
        return None


def until(run: Run, seen: Look | None, articles: Sequence[Article]) -> int:
    """`holds_until` of this build's articles and editions, worked out before the build
    lets its Articles go (before the link check, its largest peak); 0 where `record`
    keeps no answer."""
    if seen is None:
        return 0
    return holds_until(articles, [e.config for e in run.editions] or [run.config],
                       run.options.now)


def record(run: Run, seen: Look | None, files: Iterable[str], holds: int,
           one_off: Sequence[Problem]) -> None:
    """Keep this build's answer for the next (after its output and books are in place).
    `holds`: until when it holds (`until`, worked out while the Articles were at hand).
    `one_off`: warnings of this build alone (a stored body found changed), not told again."""
    if seen is None or seen.racy is None or run.state.path is None:
        return
    report, state = run.report, run.state
    if any(p.path == str(state.path) for p in report.warnings):
        return  # the state was damaged or not saved: what it keeps is not this build's
    marker = _marker(run.output)
    if not marker:
        return
    once = {id(p) for p in one_off}  # and a picture variant found changed, made again
    once.update(id(p) for p in report.warnings if p.message == pictures.CHANGED)
    # Packed as they come: the tree's names (a photo's variants each) are never a list.
    count = 0

    def counted() -> Iterator[str]:
        nonlocal count
        for name in files:
            if name != MARKER:
                count += 1
                yield name
    packed = staged_pictures.pack(counted())
    held = report.held
    state.put(*_where(run.output), [
        VERSION, seen.digest, _micros(run.options.now),
        holds,
        marker, packed, count,
        [list(dataclasses.astuple(p)) for p in report.warnings if id(p) not in once],
        [list(dataclasses.astuple(p)) for p in report.skipped],
        [held.drafts, held.scheduled, held.expired,
         held.next_live.isoformat() if held.next_live else ""],
        sorted(map(list, seen.racy.items()))])
    state.commit()


def holds_until(articles: Sequence[Article], configs: Sequence[Config], now: dt.datetime) -> int:
    """Until when (microseconds since 1970) what the build time decides stays as at `now`.

    Each moment below is one where a reader of the clock may answer otherwise:
    collect.Selection.admits (a story's date, its expiry), sitemaps.news_window (a story
    enters at its date and leaves two days after), newsroom.is_open through views and
    site_views.clock_state (a live blog's coverage start and end), site_views.breaking_view
    (the banner's end, each edition's), and the footer's `now.year`. A moment equal to
    `now` ends it at once (the news window leaves just after it)."""
    at = _micros(now)
    moments: list[dt.datetime] = [dt.datetime(now.year + 1, 1, 1, tzinfo=now.tzinfo)]
    # Only moments at or after `now` count, and nearly every story's are long past: a
    # datetime comparison leaves those out before any is converted (converting each was
    # a second at 100,000). Between datetimes of one zone Python compares wall times,
    # which a zone's offset change (a day at most) can put either side of the instant:
    # `floor` is _SLACK earlier still, and what passes is converted exactly.
    floor = now - NEWS_WINDOW - _SLACK
    for article in articles:
        date = article.date
        if date is not None and date >= floor:
            moments += (date, date + NEWS_WINDOW)
        extras = article.extras  # most stories have none: no field read through it
        if extras is not None:
            found = (extras.expires, extras.coverage_start, extras.coverage_end)
            moments.extend(m for m in found if m is not None and m >= floor)
    for config in configs:
        if config.breaking.until:
            end = to_aware(config.breaking.until, ZoneInfo(config.site.timezone))
            if end is not None:
                moments.append(end)
    return min((m for m in map(_micros, moments) if m >= at), default=_FAR)


def _micros(moment: dt.datetime) -> int:
    return (moment - _EPOCH) // dt.timedelta(microseconds=1)


def _where(output: Path) -> tuple[str, str, str]:
    return ANSWER[0], str(output), ANSWER[1]


def _marker(output: Path) -> list[int]:
    """The output's own marker: the folder (another one after each swap; its entries
    moved in the mount-point case) and its `.sitegen-build` file."""
    try:
        folder, marker = os.stat(output), os.stat(output / MARKER)
    except OSError:
        return []
    return [folder.st_dev, folder.st_ino, folder.st_mtime_ns, folder.st_ctime_ns,
            marker.st_ino, marker.st_size, marker.st_mtime_ns, marker.st_ctime_ns]


def _seen(config: Config, options: BuildOptions, output: Path,
          chain: Sequence[themes.Theme],
          walked: int) -> tuple[str, dict[str, str] | None, dict[str, cache.Stat]]:
    """The digest of every file a build reads (name and stat) and of what else decides
    its output; the files changed within RACY_NS of `walked` (when the walk began) with
    their contents' sha256 (Look.racy); and the stats of the Markdown files below
    content/ (Look.stats)."""
    digest = hashlib.sha256("\0".join([
        cache.salt(), messages.language(), repr(config), str(output),
        repr((options.drafts, options.future, options.expired, options.strict,
              options.keep_going or config.build.keep_going, options.preview,
              str(options.now.tzinfo), options.now.utcoffset()))]).encode())
    racy: dict[str, str] | None = {}
    settled = walked - RACY_NS
    content = readers.content_dir(config)
    stats: dict[str, cache.Stat] = {}
    folders = [(content, config.root)]
    folders += [(t.path, themes.BUILTIN_THEMES if t.path.is_relative_to(themes.BUILTIN_THEMES)
                 else config.root) for t in chain]
    for top, allowed in folders:
        names, problems = sitefiles.walk_names(top, allowed, config.root)
        digest.update(f"{top}\0{problems!r}\n".encode())
        lines = []
        kept = stats if top == content else None
        for name in names:
            try:
                s = os.stat(name)
            except OSError:
                lines.append(f"{name}\0gone\n")
                racy = None
                continue
            if racy is not None and (s.st_mtime_ns >= settled or s.st_ctime_ns >= settled):
                # Hashed after its stat, before the build reads it: a change after the
                # hash leaves the next look contents other than those kept (the full way).
                found = _contents(name) if len(racy) < RACY_MOST else None
                if found is None:
                    racy = None
                else:
                    racy[name] = found
            if kept is not None and name.endswith(".md"):
                kept[name] = s.st_mtime_ns, s.st_size, s.st_ino
            lines.append(f"{name}\0{s.st_size}\0{s.st_mtime_ns}\0{s.st_ctime_ns}\0"
                         f"{s.st_ino}\0{s.st_dev}\n")
        digest.update("".join(lines).encode())
    return digest.hexdigest(), racy, stats
