"""The randomized equality test: after every kind of change, in a random order, the
cached CLI build and `serve` (its early pages for body edits, then its build) make
byte for byte what a clean `--no-cache` build of the same sources makes, search on."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable
from pathlib import Path

import pytest

from sitegen import nothing_changed
from sitegen.build import BuildOptions, BuildReport, build
from sitegen.config import Config
from sitegen.serve import Preview, ServeOptions
from tests.conftest import NOW, article, build_site, make_image, make_site, read_tree

CONFIG = """\
[site]
title = "Warta Acak"
base_url = "https://example.org/"

[build]
theme = "mine"
items_per_page = 2
search_shard_pages = 3
"""
SECTIONS = ("ekonomi", "nasional")
TAGS = ("pangan", "banjir", "pemilu")
AUTHORS = ("Siti Rahma", "Budi Santoso")


@dataclasses.dataclass
class Story:
    title: str
    date: str
    tags: list[str]
    authors: list[str]
    body: list[str]
    draft: bool = False

    def text(self) -> str:
        extra: dict[str, object] = {"tags": self.tags, "authors": self.authors}
        if self.draft:
            extra["draft"] = True
        return article(self.title, date=self.date, body="\n\n".join(self.body), **extra)


class Site:
    """A small site and the model its files are written from."""

    def __init__(self, root: Path, chance: random.Random) -> None:
        self.chance = chance
        self.stories: dict[str, Story] = {}
        self.count = 0
        self.root = make_site(root, {
            "themes/mine/theme.toml": 'extends = "default"\n',
            "themes/mine/static/css/extra.css": "body { color: black; }\n"}, CONFIG)
        make_image(root / "content/static/images/foto.jpg", (40, 20))
        for _ in range(6):
            self.new()

    def path(self, name: str) -> Path:
        return self.root / "content" / name

    def write(self, name: str) -> Path:
        path = self.path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.stories[name].text(), encoding="utf-8")
        return path

    def pick(self) -> str:
        return self.chance.choice(sorted(self.stories))

    def new(self) -> set[Path]:
        self.count += 1
        name = f"{self.chance.choice(SECTIONS)}/berita-{self.count}.md"
        self.stories[name] = Story(
            f"Berita {self.count}", f"2026-11-{1 + self.chance.randrange(20):02d} 09:00",
            self.chance.sample(TAGS, 1), [self.chance.choice(AUTHORS)],
            [f"Pembuka berita {self.count}.", f"Isi berita {self.count}."])
        return {self.write(name)}

    # --- the kinds of change ----------------------------------------------------------

    def body(self) -> set[Path]:
        name = self.pick()
        self.stories[name].body.append(f"Paragraf tambahan {self.chance.randrange(1000)}.")
        return {self.write(name)}

    def title(self) -> set[Path]:
        name = self.pick()
        self.stories[name].title += " (diperbarui)"
        return {self.write(name)}

    def date(self) -> set[Path]:
        name = self.pick()
        self.stories[name].date = f"2026-11-{1 + self.chance.randrange(25):02d} 10:00"
        return {self.write(name)}

    def schedule(self) -> set[Path]:
        name = self.pick()
        self.stories[name].date = "2026-12-24 09:00"  # after NOW: scheduled
        return {self.write(name)}

    def tags(self) -> set[Path]:
        name = self.pick()
        self.stories[name].tags = self.chance.sample(TAGS, 2)
        return {self.write(name)}

    def author(self) -> set[Path]:
        name = self.pick()
        self.stories[name].authors = [a for a in AUTHORS if a not in self.stories[name].authors]
        return {self.write(name)}

    def draft(self) -> set[Path]:
        name = self.pick()
        self.stories[name].draft = not self.stories[name].draft
        return {self.write(name)}

    def section(self) -> set[Path]:
        name = self.pick()
        folder, file = name.split("/")
        moved = f"{SECTIONS[1 - SECTIONS.index(folder)]}/{file}"
        return self._move(name, moved)

    def rename(self) -> set[Path]:
        name = self.pick()
        return self._move(name, name.replace(".md", "-baru.md"))

    def _move(self, name: str, moved: str) -> set[Path]:
        self.stories[moved] = self.stories.pop(name)
        self.path(moved).parent.mkdir(parents=True, exist_ok=True)
        self.path(name).rename(self.path(moved))
        return {self.path(name), self.path(moved)}

    def delete(self) -> set[Path]:
        name = self.pick()
        del self.stories[name]
        self.path(name).unlink()
        return {self.path(name)}

    def config(self) -> set[Path]:
        path = self.root / "sitegen.toml"
        path.write_text(path.read_text().replace('title = "Warta Acak', 'title = "Warta Acak+'))
        return {path}

    def theme(self) -> set[Path]:
        path = self.root / "themes/mine/static/css/extra.css"
        path.write_text(path.read_text() + f"p {{ margin: {self.chance.randrange(9)}px; }}\n")
        return {path}

    def static(self) -> set[Path]:
        path = self.root / "content/static/images/foto.jpg"
        make_image(path, (40 + self.chance.randrange(1, 20), 20))
        return {path}


CHANGES: list[Callable[[Site], set[Path]]] = [
    Site.body, Site.title, Site.date, Site.section, Site.tags, Site.author, Site.draft,
    Site.schedule, Site.delete, Site.rename, Site.new, Site.config, Site.theme, Site.static]


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[Config, BuildOptions]] = []

    def __call__(self, config: Config, options: BuildOptions) -> BuildReport:
        self.calls.append((config, options))
        return build(config, options)


SEED = 1
"""One order of the changes per run of the suite (each seed passed when written: 1, 2)."""


def assert_serve_equals_clean(preview: Preview, recorder: Recorder, clean: Path,
                              what: str) -> None:
    """The preview's folder equals a clean build with its last build's settings."""
    config, options = recorder.calls[-1]
    build(config, dataclasses.replace(options, output=clean, use_cache=False, state=None))
    assert read_tree(preview.folder) == read_tree(clean), what


@pytest.mark.slow
def test_after_every_kind_of_change_cached_serve_and_clean_builds_are_equal(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The early answer (nothing_changed.py) trusts these fresh files by their stat: the
    # test's file system stamps each write to the nanosecond, and no edit races a walk.
    monkeypatch.setattr(nothing_changed, "RACY_NS", 0)
    chance = random.Random(SEED)
    site = Site(tmp_path / "site", chance)
    recorder = Recorder()
    preview = Preview(site.root, ServeOptions(port=0, now=NOW, jobs=1, search=True),
                      echo=lambda message, problem: None, builder=recorder)
    try:
        preview.rebuild(set())
        build_site(site.root)
        changes = [*CHANGES, *chance.choices([Site.body, Site.title, Site.new], k=4)]
        chance.shuffle(changes)
        early = 0
        for step, change in enumerate(changes):
            changed = change(site)
            # As the watching preview does: body edits shown at once, their build owed
            # until a change of another kind (or the end) comes.
            preview.rebuild(changed, defer=True)
            early += preview.early is not None and change is Site.body
            if preview.idle():
                assert_serve_equals_clean(preview, recorder, tmp_path / f"serve-{step}",
                                          f"serve after {change.__name__} (step {step})")
            # The change defeats the early answer; the build after it, with nothing
            # changed, takes it and writes nothing.
            assert "early" not in build_site(site.root).timings, change.__name__
            again = build_site(site.root)
            assert "early" in again.timings and not again.written, change.__name__
            build_site(site.root, use_cache=False, output=tmp_path / f"clean-{step}")
            assert read_tree(site.root / "output") == read_tree(tmp_path / f"clean-{step}"), \
                f"the cached build after {change.__name__} (step {step})"
        preview.rebuild(set())  # the build still owed, if any
        assert_serve_equals_clean(preview, recorder, tmp_path / "serve-end", "serve at the end")
        assert early >= 1  # body edits took serve's early path
    finally:
        preview.server.server_close()
        preview.build_state.close()
