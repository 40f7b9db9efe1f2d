"""Layer 5.9. What a built page links to and the ids it has: each HTML page scanned for
the URLs it uses (`href`, `src`, `srcset`, `poster`, `action`) and its ids, by regular
expressions, in the worker processes of the link check.
"""

from __future__ import annotations

import html
import re

# Attributes whose value is one URL, and the tags they mean one on.
URL_ATTRS = {
    "href": {"a", "area", "link"},
    "src": {"img", "script", "iframe", "source", "audio", "video", "track", "embed", "input"},
    "poster": {"video"},
    "action": {"form"},
}
SRCSET_TAGS = {"img", "source"}
# <link rel> values that name a host, not a resource to fetch.
HINT_RELS = {"preconnect", "dns-prefetch"}


# A page is scanned with regular expressions rather than html.parser: several
# times faster (and equal on every page of the benchmark corpus), which matters
# because every page a build writes is scanned. Only tags that can link are
# taken apart; ids are picked from every tag in one pass.
_LINKING = re.compile(r"<(a|area|link|img|script|iframe|source|audio|video|track|embed|input"
                      r"|form)(\s[^>]*)>", re.I)
# The same tags, whole, as strings: what a page's scan looks up.
_LINKING_TAG = re.compile(r"<(?:a|area|link|img|script|iframe|source|audio|video|track|embed"
                          r"|input|form)\s[^>]*>", re.I)
_WANTED = re.compile(r"""\s(href|src|srcset|poster|action|name|rel)\s*=\s*"""
                     r"""(?:"([^"]*)"|'([^']*)'|([^\s>"']+))""", re.I)
# The lookahead only says what a match needs anyway ("id" before the tag's end), so it
# finds what the pattern without it finds; it rejects a tag without one in a tight scan,
# which halves the time of this, the dearest pattern of a page's scan.
_ID = re.compile(r"""<(?=[^>]*id)[a-zA-Z][^\s>]*\s[^>]*?(?<=\s)id\s*=\s*"""
                 r"""(?:"([^"]*)"|'([^']*)'|([^\s>"']+))""")
_CANDIDATE = re.compile(r"([^\s,]\S*)(?:\s+[^,]*)?")
# Comments and the text of scripts and styles hold no links (a script's src stays).
_OPAQUE = re.compile(r"<(?:!--.*?-->|(script|style)\b([^>]*)>.*?</\1\s*>)", re.S | re.I)


def _value(match: re.Match[str], first: int) -> str:
    """The attribute value of whichever quoting matched, with character references read."""
    value = next(v for v in match.groups()[first - 1:] if v is not None)
    return html.unescape(value) if "&" in value else value


def extract(data: bytes) -> tuple[list[str], list[str]]:
    """The URLs a page uses and the ids it has, each once, in order."""
    text = data.decode("utf-8", errors="replace")
    if "<!--" in text or "<script" in text or "<style" in text:
        text = _OPAQUE.sub(lambda m: f"<{m[1]}{m[2]}></{m[1]}>" if m[1] else "", text)
    # `findall` hands over strings without a match object each; of an id's three
    # quotings only the one that matched can be non-empty.
    ids = set()
    for quoted, single, bare in _ID.findall(text):
        value = quoted or single or bare
        ids.add(html.unescape(value) if "&" in value else value)
    refs: dict[str, None] = {}
    seen = _TAGS_SEEN
    for whole in dict.fromkeys(_LINKING_TAG.findall(text)):  # a tag repeated adds nothing
        found = seen.get(whole)
        if found is None:
            match = _LINKING.fullmatch(whole)  # the same pattern, its parts captured
            if match is None:
                continue
            found = seen[whole] = _linking_tag(match.group(1).lower(), match.group(2))
            if len(seen) > TAGS_REMEMBERED:
                seen.clear()
        urls_of_tag, name = found
        refs.update(urls_of_tag)
        if name is not None:
            ids.add(name)
    return list(refs), sorted(ids)


# The same tags (menu, footer, section links, cards) are on page after page: each
# distinct one is taken apart once per process.
_TAGS_SEEN: dict[str, tuple[dict[str, None], str | None]] = {}
TAGS_REMEMBERED = 200_000


def _linking_tag(tag: str, attributes: str) -> tuple[dict[str, None], str | None]:
    """The URLs one tag uses, and the name it gives (`<a name>`), if any."""
    values: dict[str, str] = {}
    for attr in _WANTED.finditer(attributes):
        values.setdefault(attr.group(1).lower(), _value(attr, 2))
    name = values.get("name") if tag == "a" else None
    refs: dict[str, None] = {}
    if tag == "link" and HINT_RELS & set(values.get("rel", "").lower().split()):
        return refs, name
    for url_attr, tags in URL_ATTRS.items():
        if tag in tags and values.get(url_attr, "").strip():
            refs[values[url_attr].strip()] = None
    if tag in SRCSET_TAGS and values.get("srcset"):
        # As the HTML standard reads it: a URL is a run without spaces (an image
        # service's may hold commas), then descriptors up to the next comma.
        for candidate in _CANDIDATE.finditer(values["srcset"]):
            refs[candidate.group(1).rstrip(",")] = None
    return refs, name


def scan_file(path: str) -> tuple[list[str], list[str]]:
    """`extract` of one file; module-level, so that worker processes can run it."""
    with open(path, "rb") as file:
        return extract(file.read())
