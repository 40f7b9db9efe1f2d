"""Layer 1.2. The site's pictures plan: every variant its pages show, and which of them
are still to make.

pictures.py says which files one image gets; this module gathers them for the
whole site (each hero's and each body picture's widths and formats, each hero's
shared version and crops, a narrower stand-in for each too-wide original among
the static files) and compares them with the picture cache, so the build's
workers decode each source at most once and make only what is missing.
"""

from __future__ import annotations

import itertools
import os
import re
import tempfile
from collections.abc import Callable, Iterator, MutableMapping
from pathlib import Path
from typing import IO, Any, Protocol

from PIL import Image, UnidentifiedImageError

from sitegen import pictures, sealed
from sitegen.pictures import Settings, Variant
from sitegen.sitefiles import StaticFiles


class Picture(Protocol):
    """What planning needs of a model.Image (read-only: images are frozen)."""

    @property
    def src(self) -> str: ...
    @property
    def width(self) -> int: ...
    @property
    def height(self) -> int: ...
    @property
    def digest(self) -> int: ...
    @property
    def focus(self) -> tuple[float, float]: ...


class Plan:
    """Every variant the site shows, made from the pictures when asked for (`sources`,
    `variants`, `published`), not held: they are a pure function of each picture's
    digest, size and focus and the settings, and the variants of every photo of an
    archive held at once cost the planning process about 4 KB a story. The Memo (owned
    by the build: pictures.Memo) keeps making them cheap."""

    def __init__(self, heroes: list[Picture], bodies: list[Picture],
                 originals: dict[str, Variant], memo: pictures.Memo) -> None:
        self.heroes = heroes
        self.bodies = bodies
        self.originals = originals
        """Static file name (`images/x.jpg`) -> what is published under it instead (too wide)."""
        self.memo = memo
        self.work = bool(heroes or bodies or originals)
        """Whether the site shows a picture the build resizes."""
        self.sizes: Sizes | None = None
        """Once the variants are made (static_stage, or page_stage when they were made by
        an earlier build)."""
        self.held: Callable[[str], bool] | None = None
        """Whether the output publishes a variant already, by its name (None: trust nothing
        of it, as `--no-cache`): `missing` and the copy skip those."""
        self.spool: IO[bytes] | None = None
        """What `published` gives, written down by the walk that found the missing
        variants (`missing`'s `keys`), so that the copy need not walk the plan again:
        held in a file, not in memory, as the names of every variant of the archive are
        about 1 KB a photo."""

    def sources(self) -> Iterator[tuple[int, str, tuple[Variant, ...]]]:
        """(digest, site-relative source `/images/x.jpg`, every variant it needs, by name):
        the sources of the same bytes one after another."""
        stand_ins = dict(self.originals)
        for digest, group in self._groups():
            for src, variants in group:
                stand_in = stand_ins.pop(src[1:], None)
                if stand_in:  # (one of its variants already, when it has the same name)
                    variants.setdefault(stand_in.output, stand_in)
                yield digest, src, tuple(variants[k] for k in sorted(variants))
        for name, stand_in in sorted(stand_ins.items()):
            yield 0, "/" + name, (stand_in,)  # a stand-in is one of a kind (its key)

    def published(self) -> Iterator[tuple[str, str, bool]]:
        """(output name, cache key, whether the output publishes it already: `held`) of
        what pages link to, published under FOLDER (stand-ins only at their original's
        URL), each once."""
        if self.spool is not None:
            self.spool.seek(0)
            for line in self.spool:
                output, key, here = line.decode().rstrip("\n").split("\0")
                yield output, key, bool(here)
            return
        for _, group in self._groups():
            seen: set[str] = set()
            for _, variants in group:
                for output in sorted(variants.keys() - seen):
                    seen.add(output)
                    yield output, variants[output].key, self.published_before(output)

    def published_before(self, output: str) -> bool:
        """Whether the output publishes this variant already (`held`; never a stand-in,
        published under its original's name: the name does not say which bytes)."""
        return self.held is not None and output.startswith(f"{pictures.FOLDER}/") \
            and self.held(output)

    def variants(self) -> Iterator[Variant]:
        """Every variant of the plan, stand-ins too, each once."""
        seen: set[str] = set()  # of one digest's sources (the same bytes)
        last = -1
        for digest, _, variants in self.sources():
            if digest != last:
                seen.clear()
                last = digest
            for variant in variants:
                if variant.output not in seen:
                    seen.add(variant.output)
                    yield variant

    def _groups(self) -> Iterator[tuple[int, list[tuple[str, dict[str, Variant]]]]]:
        """Per digest (the same bytes), each of its sources' variants by name."""
        if self.memo.settings.service:  # the service resizes; originals published as they are
            return
        memo = self.memo
        shown = sorted([*((p, True) for p in self.heroes), *((p, False) for p in self.bodies)],
                       key=lambda item: (item[0].digest, item[0].src))
        for digest, same in itertools.groupby(shown, key=lambda item: item[0].digest):
            group: list[tuple[str, dict[str, Variant]]] = []
            for src, pictured in itertools.groupby(same, key=lambda item: item[0].src):
                variants: dict[str, Variant] = {}
                # A file photo shown by a thousand stories is one picture a way it is shown.
                seen: set[tuple[tuple[int, int], tuple[float, float], bool]] = set()
                for picture, hero in pictured:
                    shape = ((picture.width, picture.height), picture.focus, hero)
                    if shape in seen:
                        continue
                    seen.add(shape)
                    photo = memo.photo(picture.src, picture.digest,
                                       (picture.width, picture.height), picture.focus)
                    for found in photo.formats.values():
                        variants.update((v.output, v) for v in found)
                    if hero:
                        variants.update((v.output, v) for v in (
                            *([photo.share] if photo.share else []), *photo.crops))
                group.append((src, variants))
            yield digest, group


MEMO = ("pictures", "variants")
"""Where a kept build state (serve's, state.BuildState.memo) holds the pictures' Memo."""


def build_memo(memos: MutableMapping[Any, Any], settings: Settings) -> pictures.Memo:
    """The build's Memo of variants: the one a kept state holds (serve's: every picture,
    across builds, so a rebuild makes no name again), else one for this build alone that
    holds a bounded number (its process ends with it)."""
    found = memos.get(MEMO)
    if isinstance(found, pictures.Memo) and found.settings == settings:
        return found
    memo = pictures.Memo(settings, remembered=None)
    memos[MEMO] = memo
    return memo if MEMO in memos else pictures.Memo(settings)


def plan(heroes: list[Picture], bodies: list[Picture], statics: StaticFiles,
         settings: Settings, memo: pictures.Memo | None = None) -> Plan:
    """Every variant the site shows: all widths and formats of each picture, the shared
    version and the crops of each hero, and a narrower stand-in for each too-wide original
    among `statics` (static file name -> file). `memo`: the build's (pictures.Memo), for
    these settings."""
    if memo is None or memo.settings != settings:
        memo = pictures.Memo(settings)
    if settings.service:  # the service resizes; the originals are published as they are
        return Plan([], [], {}, memo)
    originals = {}
    # The pictures pages show were sized when their articles were read: opening each
    # again costs about 25 us a photo, every build.
    known = {p.src: (p.width, p.height) for p in (*heroes, *bodies) if p.digest}
    for name, path in statics.files():  # strings: a Path a photo would intern its parts
        if not pictures.resizable(name):
            continue
        size = known.get("/" + name) or _header_size(path)
        if size and size[0] > settings.max_original_width:
            stand_in = pictures.oversized("/" + name, pictures.source_digest(path), size, settings)
            if stand_in:
                originals[name] = stand_in
    return Plan([p for p in heroes if p.digest], [p for p in bodies if p.digest], originals,
                memo)


_PUBLISHED = re.compile(r"-(\d+x\d+)\.([0-9a-f]{10})\.([a-z]+)$")


class Sizes:
    """The size in bytes of each resized file, by its published name (feeds give their
    enclosure's length), read from the picture cache when asked, not held for every
    variant of the archive. No page's inputs hold the sizes: a variant's name is a hash
    of its photo's bytes and its recipe, so a name keeps its size (deps.site_inputs).
    The same name in the `output` folder is the same file: asked when the cache has
    none (a variant the output held was not made again: `missing`)."""

    def __init__(self, folder: Path | None = None, output: Path | None = None) -> None:
        self.folder = folder
        self.output = output

    def get(self, output: str, default: int | None = None) -> int | None:
        found = _PUBLISHED.search(output)
        if self.folder is None or found is None:
            return default
        width_height, short, extension = found.groups()
        places = [f"{self.folder}/{short}-{width_height}.{extension}"]
        if self.output is not None:
            places.append(f"{self.output}/{output}")
        for path in places:
            try:
                return os.stat(path).st_size
            except OSError:
                continue
        return default


def _spool(plan: Plan, digest: int, last: int, src: str, variants: tuple[Variant, ...],
           shown: set[str], here: set[str]) -> None:
    """Write down the published variants of one source, as `Plan.published` gives them:
    each output once per digest, and no stand-in (published at its original's URL);
    `here`: those the output publishes already."""
    assert plan.spool is not None
    if digest != last:
        shown.clear()
    stand_in = plan.originals.get(src[1:])
    for variant in variants:
        if variant.output not in shown and variant is not stand_in:
            shown.add(variant.output)
            held = "1" if variant.output in here else ""
            plan.spool.write(f"{variant.output}\0{variant.key}\0{held}\n".encode())


def _list_keys(digest: int, last: int, variants: tuple[Variant, ...], listed: set[str],
               keys: list[str]) -> int:
    """Add to `keys` those of `variants` not yet listed for this digest (the sources of the
    same bytes come one after another, and share their files); the digest, as `last`."""
    if digest != last:
        listed.clear()
    for variant in variants:
        if variant.key not in listed:
            listed.add(variant.key)
            keys.append(variant.key)
    return digest


def _header_size(path: str) -> tuple[int, int] | None:
    try:
        with Image.open(path) as picture:
            width, height = picture.size
            turned = picture.getexif().get(0x0112) in (5, 6, 7, 8)
            return (height, width) if turned else (width, height)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None


def missing(plan: Plan, static_dir: Path, folder: Path, dropped: list[str] | None = None,
            keys: list[str] | None = None, held: Callable[[str], bool] | None = None
            ) -> list[tuple[str, tuple[Variant, ...]]]:
    """(source file, its variants not yet in `folder`), one item per source to decode.
    The source is a string: a cold build's jobs name every photo of the archive at once,
    and a Path each would intern every name (sitefiles.StaticFiles).

    A variant is wanted once whatever name its source has: a file photo under a hundred
    names is one job (for its first name), and every name is published from the same
    cached file. A variant whose bytes no longer match the hash recorded when it was
    made (the cache was changed by someone else) is deleted, named in `dropped`, and
    made again. `keys`, when given, gets every variant's cache key, for the picture
    cache's record of those in use: the plan is walked once for both (a one-off build's
    Memo holds 512 pictures, so each walk over an archive works every photo's variants
    out again).

    A variant the output folder publishes already (`held`) is neither checked nor
    made: its name is a hash of its photo's bytes and recipe, so the output's file of
    that name is it, and the copy keeps it (static_stage.copy_files). A stat a variant,
    where checking its record cost a stat and a read, and copying it two stats, every
    build (110,000 variants at 10,000 photos); a cache file changed by hand is found
    when a build copies it into another folder."""
    plan.held = held
    here: set[str] = set()  # of one source's variants, those the output publishes

    def kept(variant: Variant) -> bool:
        if variant.output in here:
            return True
        state = sealed.intact(f"{folder}/{variant.key}")  # a string: see sealed.intact
        if state is False:
            sealed.drop(folder / variant.key)
            if dropped is not None:
                dropped.append(variant.key)
        return bool(state)

    jobs = []
    wanted: set[str] = set()  # of the sources of one digest, which are one after another
    last, listed, shown = -1, set[str](), set[str]()
    if keys is not None:
        # Deleted when closed, which the plan's end does (no name on disk to clean up).
        plan.spool = tempfile.TemporaryFile()  # noqa: SIM115
    for digest, src, variants in plan.sources():
        here = {v.output for v in variants if plan.published_before(v.output)}
        if keys is not None:
            _list_keys(digest, last, variants, listed, keys)
            _spool(plan, digest, last, src, variants, shown, here)
        if digest != last:
            wanted.clear()
            last = digest
        todo = tuple(v for v in variants if v.key not in wanted and not kept(v))
        wanted.update(v.key for v in todo)
        if todo:
            jobs.append((os.path.join(static_dir, src.lstrip("/")), todo))
    return jobs
