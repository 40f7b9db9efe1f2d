"""Layer 4. Which search shard each indexed page belongs to, and when a shard is unchanged.

Pagefind holds a whole index in memory while it writes it (about 270 KB per
700-word page), and it cannot update an index: so the index is split into
shards that Pagefind builds one at a time and the search page merges in the
browser (Pagefind's `mergeIndex`). A site of at most `limit` pages is one
shard. A larger one is split by a hash of each page's output path into 2^b
shards, b the smallest number of bits that keeps every shard within `limit`.

Why by hash and not by date: every shard ranks its results with its own
statistics (BM25's idf and average page length). Shards that are random
samples of the archive have nearly the archive's statistics, so the merged
ranking is nearly one index's; shards by period do not (a word common in the
month of an event is rare in the other years, which would rank a passing
mention in another year above the event's own reports). A page's shard still
depends on nothing but its own path: an edit or a new article changes one
shard; only when the archive outgrows 2^b shards (it doubled) are all of them
split and indexed again.

A shard is re-indexed only when what Pagefind reads of its pages changed:
each page's digest covers its indexed part (the `data-pagefind-body`
elements, every tag with a `data-pagefind-*` attribute, the first heading
and image, the language), not the boxes around it that change when other
articles are published.
"""

from __future__ import annotations

import collections
import hashlib
import re
from collections.abc import Iterable

ALL = "all"
"""The one shard of a site with at most `limit` pages."""


def plan(outputs: Iterable[str], limit: int) -> dict[str, list[str]]:
    """Shard name -> its output files (sorted); the first shard is the primary."""
    pages = sorted(set(outputs))
    if len(pages) <= limit:
        return {ALL: pages} if pages else {}
    hashes = [int.from_bytes(hashlib.sha256(page.encode()).digest()[:8], "big")
              for page in pages]
    bits = max(1, (len(pages) - 1).bit_length() - limit.bit_length())
    # The sizes counted by prefix first, the pages grouped once (every build plans the
    # shards of every page: 10,000 at 10,000 stories).
    while max(collections.Counter(h >> (64 - bits) for h in hashes).values()) > limit:
        bits += 1
    shards: dict[int, list[str]] = {}
    for page, hashed in zip(pages, hashes, strict=True):
        shards.setdefault(hashed >> (64 - bits), []).append(page)
    # A name's hex digits have one width: names in order are prefixes in order.
    return {_name(prefix, bits): shards[prefix] for prefix in sorted(shards)}


def _name(prefix: int, bits: int) -> str:
    return f"{bits}-{prefix:0{(bits + 3) // 4}x}"


def _prefix(page: str, bits: int) -> int:
    return int.from_bytes(hashlib.sha256(page.encode()).digest()[:8], "big") >> (64 - bits)


def derive(previous: dict[str, list[str]], outputs: Iterable[str],
           limit: int) -> dict[str, list[str]]:
    """`plan(outputs, limit)`, worked out from `previous`, the plan of the last build with
    the same `limit`: the pages that came or went are hashed, not every page (a body edit
    at 100,000 stories re-planned 100,000 pages, a sha256 each). When the number of bits
    would change (the archive doubled or halved), planned again whole."""
    pages = set(outputs)
    if not previous:
        return plan(pages, limit)
    kept = sum(len(members) for members in previous.values())
    if kept == len(pages) and all(pages.issuperset(members) for members in previous.values()):
        return previous  # the same pages: the same plan (a body edit)
    known = set().union(*previous.values())
    added, gone = pages - known, known - pages
    if len(pages) <= limit or ALL in previous:
        return plan(pages, limit)  # at most one shard, then or now: sorting it is all
    bits = int(next(iter(previous)).partition("-")[0])
    counts = {int(name.partition("-")[2], 16): len(members) for name, members in previous.items()}
    moved: dict[int, tuple[list[str], list[str]]] = {}
    for page in added:
        prefix = _prefix(page, bits)
        counts[prefix] = counts.get(prefix, 0) + 1
        moved.setdefault(prefix, ([], []))[0].append(page)
    for page in gone:
        prefix = _prefix(page, bits)
        counts[prefix] -= 1
        moved.setdefault(prefix, ([], []))[1].append(page)
    # plan's choice: the fewest bits, from the size's own, that keep every shard in limit.
    first = max(1, (len(pages) - 1).bit_length() - limit.bit_length())
    fits = next((b for b in range(first, bits + 1)
                 if max(_summed(counts, bits - b).values()) <= limit), None)
    if fits != bits:
        return plan(pages, limit)
    shards = dict(previous)
    for prefix, (came, went) in moved.items():
        name = _name(prefix, bits)
        members = set(shards.get(name, ()))
        members.difference_update(went)
        members.update(came)
        if members:
            shards[name] = sorted(members)
        else:
            shards.pop(name, None)
    return {name: shards[name] for name in sorted(shards)}


def _summed(counts: dict[int, int], shift: int) -> collections.Counter[int]:
    summed: collections.Counter[int] = collections.Counter()
    for prefix, count in counts.items():
        summed[prefix >> shift] += count
    return summed


# --- what Pagefind reads of a page --------------------------------------------------

# Each lookahead says what a match needs anyway (the attribute before the tag's end), so
# the patterns find what they found without it; a tag without it fails in a tight scan,
# which made a page's digest three times cheaper (every page is digested on a cold build).
_BODY = re.compile(rb"<(?=[^>]*data-pagefind-body)([a-zA-Z][\w-]*)\b[^>]*\bdata-pagefind-body\b"
                   rb"[^>]*>")
_ATTRIBUTE_TAG = re.compile(rb"<(?=[^>]*data-pagefind-)[a-zA-Z][^>]*\bdata-pagefind-[^>]*>")
_HTML_TAG = re.compile(rb"<html\b[^>]*>", re.IGNORECASE)
_FIRST_H1 = re.compile(rb"<h1\b.*?</h1>", re.IGNORECASE | re.DOTALL)
_FIRST_IMG = re.compile(rb"<img\b[^>]*>", re.IGNORECASE)


def indexed_digest(html: bytes) -> str:
    """A digest of everything on the page that Pagefind can put into the index.

    Conservative: an element marked `data-pagefind-body` counts whole, markup and
    all, up to its matching end tag (or the end of the page, if that is not
    found); a page without one counts whole, since Pagefind then reads its body.
    """
    digest = hashlib.sha256()
    bodies = list(_BODY.finditer(html))
    if not bodies:
        digest.update(html)
        return digest.hexdigest()
    for pattern in (_HTML_TAG, _FIRST_H1, _FIRST_IMG):
        if found := pattern.search(html):
            digest.update(found.group(0) + b"\0")
    for tag in _ATTRIBUTE_TAG.finditer(html):
        digest.update(tag.group(0) + b"\0")
    for body in bodies:
        digest.update(html[body.start():_element_end(html, body.group(1), body.end())] + b"\0")
    return digest.hexdigest()


def _element_end(html: bytes, name: bytes, start: int) -> int:
    """Where the element opened just before `start` ends (same-name tags nest)."""
    tags = re.compile(rb"<(/?)" + re.escape(name) + rb"\b", re.IGNORECASE)
    depth = 1
    for tag in tags.finditer(html, start):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return html.index(b">", tag.end()) + 1 if b">" in html[tag.end():] else len(html)
    return len(html)


def shard_digest(context: str, pages: dict[str, str]) -> str:
    """A shard's input: what all shards share (Pagefind's version, the language) and
    each of its pages' output file and indexed digest."""
    digest = hashlib.sha256(context.encode() + b"\0")
    for output in sorted(pages):
        digest.update(f"{output}\0{pages[output]}\0".encode())
    return digest.hexdigest()
