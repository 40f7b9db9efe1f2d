"""The cold build's per-page shortcuts give what the long way gives (issue 18, item 8):
the same values, the same errors, the same bytes."""

from __future__ import annotations

import random
import re
import time
import tracemalloc
from pathlib import Path
from typing import Any

import jinja2
import jinja2.runtime
import markupsafe
import pytest
from markupsafe import Markup

from sitegen import (
    cards,
    collect,
    feeds,
    link_scan,
    pagefind_runs,
    plan_sweep,
    readers,
    search_cache,
    search_shards,
    template_environment,
    themes,
    views,
)
from sitegen.config import load_config
from tests.conftest import NOW, article, build_site, make_site, read_tree
from tests.test_search_shards import SHARDED, archive

TEMPLATES = {
    "plain": "{{ a.title }}|{{ a.items is callable }}|{{ a.values() | length }}|"
             "{{ a.get('title') }}|{{ a['keys'] }}",
    "nested": "{% for c in a.cards %}{{ c.url }}:{{ c.image.src }};{% endfor %}",
    "missing": "{{ a.nothing }}",
    "missing_nested": "{{ a.cards[0].nothing }}",
    "test": "{{ a.nothing is defined }}|{{ a.title is defined }}|{{ 'items' in a }}",
    "object": "{{ o.real }}|{{ o.nothing is defined }}",
    # Escaping: text, numbers, None, Markup, |safe, macros, blocks, calls, set blocks.
    "escaping": "{{ a.title }}{{ 3 }}{{ 2.5 }}{{ none }}{{ m }}{{ '<b>' | safe }}"
                "{{ a.title | upper }}{{ a.title ~ m }}{{ [a.title] }}",
    "macros": "{% macro card(x) %}<p>{{ x }}</p>{% endmacro %}{{ card(a.title) }}"
              "{% set box %}<i>{{ a.title }}</i>{% endset %}{{ box }}{{ box | length }}"
              "{% macro wrap() %}[{{ caller() }}]{% endmacro %}"
              "{% call wrap() %}{{ a.title }}{% endcall %}"
              "{{ card(a.title) | replace('<p>', '<div>') }}{{ a.title | replace('<', '[') }}",
}


def _render(environment: jinja2.Environment, name: str) -> str:
    context = {"a": {"title": "Harga <cabai>", "items": "a key named like a method",
                     "keys": "k", "cards": [{"url": "/x/", "image": {"src": "/i.jpg"}}]},
               "o": 3, "m": Markup("<em>kept</em> & 'quoted'")}
    try:
        return environment.from_string(TEMPLATES[name]).render(context)
    except jinja2.UndefinedError as exc:
        return f"UndefinedError: {exc}"


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_templates_render_as_stock_jinja_renders_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """The theme's environment reads `a.title` on a dict straight as the item (Jinja tries
    the attribute first) and escapes plain text without making a Markup of it: the same
    text, the same methods for method names, the same errors as stock Jinja."""
    site = make_site(tmp_path / "site", {"content/ekonomi/a.md": article("A")})
    ours = template_environment.make_environment(themes.resolve_chain(load_config(site)))
    assert type(ours) is not jinja2.Environment  # the shortcuts are in use
    assert jinja2.runtime.escape is not markupsafe.escape
    shown = _render(ours, name)
    monkeypatch.setattr(jinja2.runtime, "escape", markupsafe.escape)
    stock = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    assert shown == _render(stock, name)


@pytest.mark.slow
def test_search_shards_are_indexed_side_by_side_into_the_same_bytes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With two jobs, two Pagefind processes index shards at once (each is small and mostly
    single-threaded), starting while the next shards' pages are digested; the index is the
    one a single process writes, byte for byte."""
    log = tmp_path / "runs.log"
    wrapper = tmp_path / "pagefind"
    wrapper.write_text(f'#!/bin/sh\necho "$$ start $(date +%s%N)" >> {log}\nsleep 0.2\n'
                       f'"{pagefind_runs.pagefind_command()[0]}" "$@"\nstatus=$?\n'
                       f'echo "$$ end $(date +%s%N)" >> {log}\nexit $status\n')
    wrapper.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(wrapper))
    digested: list[int] = []
    page_digest = search_cache.SearchCache.page_digest

    def slow_digest(self: search_cache.SearchCache, *args: Any) -> str:
        time.sleep(0.02)
        digested.append(time.time_ns())
        return page_digest(self, *args)

    started: list[int] = []
    index_shard = pagefind_runs.index_shard

    def timed_index(*args: Any) -> Path:
        started.append(time.time_ns())
        return index_shard(*args)

    monkeypatch.setattr(search_cache.SearchCache, "page_digest", slow_digest)
    monkeypatch.setattr(pagefind_runs, "index_shard", timed_index)
    site = make_site(tmp_path / "site", archive(10), SHARDED)
    two = build_site(site, jobs=2, use_cache=False, output=tmp_path / "two")
    monkeypatch.setattr(search_cache.SearchCache, "page_digest", page_digest)
    events = sorted((int(when), kind) for _, kind, when in
                    (line.split() for line in log.read_text().splitlines()))
    running, most = 0, 0
    for _, kind in events:
        running += 1 if kind == "start" else -1
        most = max(most, running)
    assert len(two.search_indexed) >= 3 and most == 2
    # The first shard is indexed while the last ones' pages are still being digested.
    assert min(started) < digested[-1]
    log.unlink()
    one = build_site(site, jobs=1, use_cache=False, output=tmp_path / "one")
    assert len(log.read_text().splitlines()) == 2 * len(one.search_indexed)
    assert read_tree(tmp_path / "one") == read_tree(tmp_path / "two")


# The link check's id pattern before its lookahead: what it must still find.
_ID_BEFORE = re.compile(r"""<[a-zA-Z][^\s>]*\s[^>]*?(?<=\s)id\s*=\s*"""
                        r"""(?:"([^"]*)"|'([^']*)'|([^\s>"']+))""")


def test_the_link_checks_id_scan_finds_what_it_found_before() -> None:
    """The id pattern's lookahead rejects tags without "id" early; on pages and on random
    runs of the characters that matter (quotes, brackets, spaces, `id=` inside values), it
    finds the same ids at the same places."""
    pieces = ["<", ">", "a", "i", "d", "id", " ", "\n", "\t", "=", '"', "'", "x", "<a ",
              " id=", "id =", "<b\n", "/", "ID", 'data-id="y"', "<p id='z'>"]
    rng = random.Random(5)
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 60)))
             for _ in range(20_000)]
    texts.append('<h2 id="a">x</h2><a title="<b id=2" id="c">y</a><div data-id="d" id=e>')
    for text in texts:
        assert [m.span() + m.groups() for m in link_scan._ID.finditer(text)] == \
            [m.span() + m.groups() for m in _ID_BEFORE.finditer(text)], text
    assert link_scan.extract(texts[-1].encode())[1] == ["2", "a", "e"]


# The search digest's patterns before their lookaheads: what they must still find.
_BODY_BEFORE = re.compile(rb"<([a-zA-Z][\w-]*)\b[^>]*\bdata-pagefind-body\b[^>]*>")
_ATTRIBUTE_TAG_BEFORE = re.compile(rb"<[a-zA-Z][^>]*\bdata-pagefind-[^>]*>")


def test_the_search_digests_scan_finds_what_it_found_before() -> None:
    """The lookaheads reject tags without a `data-pagefind-` attribute early; on random
    runs of the characters that matter they find the same tags at the same places."""
    pieces = [b"<", b">", b"a", b" ", b"\n", b"data-pagefind-body", b"data-pagefind-", b"=",
              b'"', b"-", b"x", b"<div ", b"data-pagefind-bodyx", b"_", b"<meta "]
    rng = random.Random(7)
    texts = [b"".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
             for _ in range(20_000)]
    texts.append(b'<html lang="id"><meta data-pagefind-meta="date[content]" content="1">'
                 b'<article class="story" data-pagefind-body><h1>J</h1></article>')
    for text in texts:
        for new, old in ((search_shards._BODY, _BODY_BEFORE),
                         (search_shards._ATTRIBUTE_TAG, _ATTRIBUTE_TAG_BEFORE)):
            assert [m.span() + m.groups() for m in new.finditer(text)] == \
                [m.span() + m.groups() for m in old.finditer(text)], text
    assert len(list(search_shards._ATTRIBUTE_TAG.finditer(texts[-1]))) == 2


def _extract_before(data: bytes) -> tuple[list[str], list[str]]:
    """link_scan.extract as it was: a match object a tag and an id."""
    text = data.decode("utf-8", errors="replace")
    if "<!--" in text or "<script" in text or "<style" in text:
        text = link_scan._OPAQUE.sub(lambda m: f"<{m[1]}{m[2]}></{m[1]}>" if m[1] else "", text)
    ids = {link_scan._value(match, 1) for match in link_scan._ID.finditer(text)}
    refs: dict[str, None] = {}
    for match in link_scan._LINKING.finditer(text):
        urls_of_tag, name = link_scan._linking_tag(match.group(1).lower(), match.group(2))
        refs.update(urls_of_tag)
        if name is not None:
            ids.add(name)
    return list(refs), sorted(ids)


def test_a_pages_link_scan_finds_what_it_found_before(tmp_path: Path) -> None:
    """The scan takes tags and ids as strings (`findall`) and each distinct tag once: on
    random runs of the characters that matter and on a built site's pages, the same URLs
    in the same order and the same ids."""
    pieces = ["<", ">", "a", " ", "\n", "=", '"', "'", "&amp;", "x", "<a ", "<A ", "<area ",
              "<abbr ", " href=", " HREF=", " id=", " name=", "<img ", " src=", " srcset=",
              "/p 1x, /q 2x", "<link ", ' rel="preconnect"', "<!--", "-->", "<script>",
              "</script>", "#f", "/x/", "<form ", " action="]
    rng = random.Random(11)
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 50)))
             for _ in range(20_000)]
    site = build_site(make_site(tmp_path / "site", {
        f"content/ekonomi/a{i}.md": article(f"A{i}", f"2026-11-{i + 1:02d} 09:00",
                                            body=f"## Dampak {i}\n\n[x](/a/#f) [y](a{i}.md)")
        for i in range(4)})).output
    pages = [p.read_bytes() for p in sorted(site.rglob("*.html"))]
    assert len(pages) > 8
    for data in [t.encode() for t in texts] + pages:
        assert link_scan.extract(data) == _extract_before(data), data


WALKED = """\
[site]
title = "Warta Uji"
description = "Situs uji"
base_url = "https://example.org/"

[build]
items_per_page = 3
search = false
feed_items = 5
"""


def walked_archive(count: int) -> dict[str, str]:
    """Stories in three sections, each with two of eight tags and one of four authors,
    over a few months: every story is on about ten lists, feeds and pages."""
    files = {}
    for i in range(count):
        section = ("ekonomi", "nasional", "olahraga")[i % 3]
        files[f"content/{section}/berita-{i:03d}.md"] = article(
            f"Berita nomor {i}", date=f"2026-{1 + i * 10 // count:02d}-{1 + i % 27:02d} 09:00",
            tags=[f"topik {i % 8}", f"topik {(i * 3 + 1) % 8}"],
            author=f"Penulis {i % 4}")
    return files


def test_a_cold_build_builds_each_card_once_in_bounded_memory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every list, feed and article page is planned in one walk through the archive
    (plan_sweep.py), so a story's card is built once, although far fewer cards are kept
    at once than the archive has (kind after kind, it was built about ten times)."""
    count = 90
    site = make_site(tmp_path / "site", walked_archive(count), WALKED)
    built: list[tuple[int, int]] = []
    forget = views.Views.forget_cards

    def counted(self: views.Views) -> None:
        built.append((self.cards_built, self._cards.most))
        forget(self)

    monkeypatch.setattr(views.Views, "forget_cards", counted)
    monkeypatch.setattr(cards, "CARDS_REMEMBERED", 30)
    build_site(site)
    [(cards_built, most)] = built
    assert count <= cards_built <= count * 1.05, (cards_built, most)
    assert most <= 30


def test_a_kept_card_costs_its_values_not_a_dict() -> None:
    """The cards kept ahead of the walk (at its start, every list's front page: about
    1,700 at 4,000 stories with 150 tags and authors) are held as their values, not as
    dicts of fifteen keys (464 bytes each); a card asked for is equal to the one put."""
    shared = [f"value {k}" for k in range(15)]  # a card's URLs, dates, term views
    kept = cards.Cards()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for index in range(1000):
            kept.put(index, {f"key {k}": shared[k] for k in range(15)})
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert held < 300 * 1000, held
    card = kept.get(7)
    assert card == {f"key {k}": shared[k] for k in range(15)}
    assert list(card) == [f"key {k}" for k in range(15)]  # the same order, so the same pickle
    assert kept.get(1000) is None


def test_feeds_build_their_entries_without_cards(tmp_path: Path) -> None:
    """A feed lists the newest stories of its tag or author, far ahead of the plan's walk:
    its entries are made from the stories, so no card is built (and kept until the walk
    reaches its story) for a feed; the lists and article pages build each card once."""
    site = make_site(tmp_path / "site", walked_archive(30), WALKED)
    config = load_config(site)
    pages = [readers.read_source(p, config)[0] for p in readers.discover(config)]
    model, _ = collect.collect_site([p for p in pages if p], config, collect.Selection(NOW))
    seen = views.Views(model, config)
    site_view = seen.site_view({}, {}, {}, NOW)
    sweep = plan_sweep.Sweep(seen.behind, lambda _: True)
    jobs = [*sweep.run(feeds.plan_feeds(model, config, site_view, seen)), *sweep.finish()]
    assert len(jobs) == len(list(feeds.feed_claims(model))) > 10
    assert all(len(job.context["feed"]["entries"]) == 5 for job in jobs)
    assert seen.cards_built == 0
