"""Layer 5. Which pages show which article's body, kept between builds, so that a body
edit re-plans only those pages.

Bodies never reach the main process (bodies.py): a page shows a body only
through the recipe in its context (value_views.body_recipe: an article page's
`body_html`, a full-content feed entry's `content_html`), and the values derived
from a body (word count, reading time, table of contents, whether it embeds)
are shown only beside it, on the article's page.
So when nothing about any article changed but its body (its metadata digest,
and everything the site key covers apart from the sources' bytes, are as in
the last build into the folder), the pages to plan again are exactly those
whose context held the old reference of an edited body. Every other page
keeps its file and its render key. Anything else falls back to planning
every page, which is always right.

The state lives in the build state (state.py): each source's metadata digest
and body reference as a `meta` record of the output folder, which bodies each
page showed beside its render key. It is written with the folder's facts,
after the output changed, and is not used when those are missing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sitegen import bodies, cache, source_books
from sitegen.cache import BuildCache
from sitegen.model import Article, article_values
from sitegen.page_inputs import PageInputs
from sitegen.sealed import KEY_BYTES, short_key
from sitegen.state import BuildState
from sitegen.value_views import View
from sitegen.views import Views

if TYPE_CHECKING:
    from hashlib import _Hash as Hash

# Fields that only the body decides; they are shown only beside the body itself.
_BODY_FIELDS = ("body_html", "body_ref", "word_count", "reading_time", "toc_html", "has_embeds")


Shown = str | tuple[str, ...]
"""The stored bodies a page shows: the one reference itself (an article's page, most of
them: a tuple of one would be 48 bytes more of the planning process's per article), or
a tuple of them (a full-content feed), () for none."""


def refs_of(shown: Shown) -> tuple[str, ...]:
    return (shown,) if isinstance(shown, str) else shown


def compact(refs: tuple[str, ...]) -> Shown:
    return refs[0] if len(refs) == 1 else refs


@dataclass
class State:
    meta_key: str = ""
    metas: Mapping[str, int] = field(default_factory=dict)
    """Source -> the digest of its metadata (packed: source_books.Book)."""
    refs: dict[str, str] = field(default_factory=dict)
    """Source -> its body's reference."""
    shows: dict[str, Shown] = field(default_factory=dict)
    """Output file -> the body references its context held."""
    keys: Mapping[str, str] = field(default_factory=dict)
    """Source -> the read key its digest was made from (the build's own `Sources.keys`:
    a pair an article beside the digests would cost 56 bytes an article)."""


def load(store: BuildCache) -> State:
    """What the last build into the store's folder kept (empty when it is not known)."""
    previous = store.previous
    if previous.static is None or not previous.meta_key:
        return State()
    remembered = store.state.memo.get(("meta", store.key))
    if remembered is None:
        metas, refs, keys = {}, {}, {}
        for source, value in store.state.items("meta", store.key):
            if isinstance(value, list) and len(value) == 3 and isinstance(value[1], int):
                keys[source], metas[source] = str(value[0]), value[1]
                if value[2]:
                    refs[source] = str(value[2])
    else:
        metas, refs, keys = remembered
    return State(previous.meta_key, metas, refs, dict(previous.shows), keys)


def save(store: BuildCache, previous: State, state: State) -> None:
    """Put the sources' records that changed (the folder's facts carry the rest)."""
    for source, digest in state.metas.items():
        key = state.keys.get(source, "")
        if previous.metas.get(source) != digest or previous.keys.get(source) != key or \
                previous.refs.get(source) != state.refs.get(source):
            store.state.put("meta", store.key, source, [key, digest, state.refs.get(source, "")])
    stale = set(previous.metas) if previous.meta_key else store.state.names("meta", store.key)
    store.state.drop("meta", store.key, stale - set(state.metas))
    store.state.memo[("meta", store.key)] = (state.metas, state.refs, state.keys)


def metas(articles: Iterable[Article], keys: Mapping[str, str],
          previous: State) -> Mapping[str, int]:
    """Each source's metadata digest; a source whose read key is unchanged keeps its own.
    Packed (held to the end of the build, through the render stage's peak)."""
    found: dict[str, int] = {}
    for article in articles:
        known = previous.metas.get(article.source)
        if known is not None and previous.keys.get(article.source) == keys.get(article.source):
            found[article.source] = known
            continue
        plain = {name: value for name, value in article_values(article).items()
                 if name not in _BODY_FIELDS}
        found[article.source] = short_key(hashlib.sha256(repr(plain).encode()))
    return source_books.digests(found)


def seeded(joined: str) -> Hash:
    """`meta_key`'s hash fed with the site's parts joined (site_stage.site_key): the
    build holds this, not the parts, whose list of static files and of sources is about
    90 bytes an article of the planning process's for the whole build."""
    return hashlib.sha256(joined.encode())


def meta_key(site: Hash, found: Mapping[str, int]) -> str:
    """`site`: the site's parts, `seeded`."""
    digest = site.copy()
    for source, value in sorted(found.items()):  # (a Book's items: no look-up each)
        digest.update(f"\0{source}\0{value}".encode())
    return digest.hexdigest()


def to_replan(previous: State, key: str, refs: dict[str, str]) -> set[str] | None:
    """The outputs that show an edited body, when only bodies changed; else None."""
    if not previous.meta_key or previous.meta_key != key or previous.refs.keys() != refs.keys():
        return None
    old = {previous.refs[s] for s, ref in refs.items() if ref != previous.refs[s]}
    # Most pages show one body or none (a str, or ()): asked without a tuple made a page.
    return {output for output, shown in previous.shows.items()
            if (shown in old if isinstance(shown, str) else not old.isdisjoint(shown))}


def refs_shown(context: dict[str, Any]) -> Shown:
    """The stored bodies a page's context shows (what render._with_bodies reads), as kept
    for every page."""
    found = []
    article, feed = context.get("article"), context.get("feed")
    if isinstance(article, dict) and (ref := bodies.shown(article.get("body_html"))):
        found.append(ref)
    if isinstance(feed, dict):
        found += [ref for entry in feed.get("entries", ())
                  if (ref := bodies.shown(entry.get("content_html")))]
    return compact(tuple(found))


@dataclass
class Decision:
    state: State
    """What to keep for the next build."""
    replan: set[str] | None
    """The only outputs to plan (a body edit), or None for all."""
    others: set[str] = field(default_factory=set)
    """With `replan`: the last build's other pages, each kept as it is."""
    inputs: PageInputs = field(default_factory=PageInputs)
    """What each page is planned from (page_stage.decide fills it in)."""


def decide(previous: State, articles: Iterable[Article], keys: Mapping[str, str],
           renders: dict[str, int], held: Callable[[AbstractSet[str]], bool],
           site: Hash) -> Decision:
    """Whether only bodies changed since the last build into the output, and if so which
    pages show them; the state to keep for the next build either way. `renders` are the
    last build's files; each one not planned again must still be at hand (`held`: the
    new tree's Staging.holds_all, which knows most without a system call; a page deleted
    from the output by hand that the spare tree still holds comes back from there)."""
    articles = list(articles)
    found = metas(articles, keys, previous)
    key = meta_key(site, found)
    refs = {a.source: a.body_ref for a in articles if a.body_ref}
    replan = to_replan(previous, key, refs) if renders else None
    others = set() if replan is None else renders.keys() - replan
    if replan is not None and not held(others):
        replan, others = None, set()
    kept = {}
    if replan is not None:
        kept = dict(previous.shows)
        for name in replan:
            kept.pop(name, None)
    return Decision(State(key, found, refs, kept, keys), replan, others)


# --- what each page was planned from (page_inputs.py) -----------------------------

def site_inputs(parts: list[str], site_view: View, views: Views) -> str:
    """The facts of the whole site every page's inputs include: `parts` (site_stage.site_parts
    without the static files' stats, the list of sources and the news window: page_stage.
    decide), the site view, and what the clock says of each article (serve's status).
    The terms a card names are part of each article's digest instead (`card_digests`), so
    a new tag does not plan every page. Nor are the resized pictures' byte sizes (a feed's
    enclosure length): a variant is named by its photo's bytes and recipe, and a photo's
    digest is in its article's metadata digest."""
    status = [(a.source, views.status(a)) for a in views.site.articles
              if a.expires is not None or views.preview]
    return hashlib.sha256(repr((parts, views.preview, cache.digest(site_view),
                                status)).encode()).hexdigest()


def card_digests(views: Views, metas: Mapping[str, int]
                 ) -> Callable[[int, str], int | None]:
    """(index, source) of an article of the site -> what decides its card: its metadata
    digest and the views of its terms (None when the index is not that source's)."""
    articles = views.site.articles
    # One digest an article for the planning, made once: each is asked for by about 20
    # pages (its own, its lists', its neighbours'), kind after kind. Kept as bytes in
    # one array by the article's index (an int and a dict entry an article would be
    # five times as large); `made` marks those made so far.
    found = bytearray(KEY_BYTES * len(articles))
    made = bytearray(len(articles))

    def digest(at: int, source: str) -> int | None:
        if not 0 <= at < len(articles) or articles[at].source != source:
            return None
        start = at * KEY_BYTES
        if not made[at]:
            # The metadata digest looked up once an article (`metas` is packed: a look-up
            # is a few steps of Python, where a made digest is two slices).
            meta = metas.get(source)
            if meta is None:
                return None
            made[at] = 1
            found[start:start + KEY_BYTES] = short_key(hashlib.sha256(
                repr((meta, views.card_terms(articles[at]))).encode())).to_bytes(KEY_BYTES)
        return int.from_bytes(found[start:start + KEY_BYTES])
    return digest


def load_inputs(store: BuildCache) -> dict[str, int]:
    """Each page's inputs digest from the last build into the store's folder, when its
    facts are known (else none: every page is planned)."""
    if store.previous.static is None:
        return {}
    remembered = store.state.memo.get(("inputs", store.key))
    if remembered is not None:
        return dict(remembered)
    return {name: value for name, value in store.state.items("inputs", store.key)
            if isinstance(value, int)}


def forget_inputs(state: BuildState, folder: str, pages: Iterable[str]) -> None:
    """Now: no build may keep these pages by their recorded inputs (a body edit wrote
    them outside a build; undone in a build that also publishes a story, their inputs
    would match the last full build's again, kinds/shift.py, while their files do not)."""
    pages = list(pages)
    state.drop_now("inputs", folder, pages)
    remembered = state.memo.get(("inputs", folder))
    if isinstance(remembered, dict):
        for page in pages:
            remembered.pop(page, None)


def save_inputs(store: BuildCache, inputs: PageInputs) -> None:
    """Put the pages' inputs that changed; drop those of pages that are gone. A body edit's
    (`inputs.partial`): put those of the pages it planned, drop those it popped, nothing
    else read or written."""
    previous, found = inputs.previous, inputs.found
    if inputs.partial:
        for output, digest in found.items():
            store.state.put("inputs", store.key, output, digest)
        gone = found.gone - found.keys()
        store.state.drop("inputs", store.key, gone)
        remembered = store.state.memo.get(("inputs", store.key))
        if isinstance(remembered, dict):  # serve's memory of them
            remembered.update(found)
            for name in gone:
                remembered.pop(name, None)
        return
    for output, digest in found.items():
        if previous.get(output) != digest:
            store.state.put("inputs", store.key, output, digest)
    stale = set(previous) if previous else store.state.names("inputs", store.key)
    store.state.drop("inputs", store.key, stale - set(found))
    store.state.memo[("inputs", store.key)] = dict(found)
