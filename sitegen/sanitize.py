"""Layer 1. What an author's text may put into pages and feeds.

Two policies live here. Control characters are stripped from every text
field and body (XML 1.0 forbids most of them, so one in a title would make
every feed that carries it unreadable). Raw HTML in bodies follows
`[markdown] raw_html`: "allow" passes it through, "sanitize" (the default)
keeps what news bodies need and removes what runs code, "escape" shows it as
text. Feeds are sanitized whatever the setting: a feed reader is nobody's
place for `<script>`.

Sanitizing is done by nh3 (the Rust `ammonia` sanitizer: an HTML5 parser and
an allow-list), never by regular expressions over HTML.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import nh3

# C0 controls but tab and newline (and carriage return), DEL, C1 controls, and the two
# non-characters XML forbids.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def strip_controls(text: str) -> tuple[str, int | None]:
    """`text` without control characters, and where the first one was (None: nowhere)."""
    found = _CONTROL.search(text)
    return (_CONTROL.sub("", text), found.start()) if found else (text, None)


# Hosts whose players may be embedded with <iframe>: video, maps and the charting
# tools newsrooms use. Anything else (and anything not https) is removed.
EMBED_HOSTS = {
    "www.youtube-nocookie.com": "/embed/", "youtube-nocookie.com": "/embed/",
    "www.youtube.com": "/embed/", "youtube.com": "/embed/",
    "player.vimeo.com": "/video/",
    "www.google.com": "/maps/embed", "maps.google.com": "/maps",
    "www.openstreetmap.org": "/export/embed.html",
    "datawrapper.dwcdn.net": "/", "flo.uri.sh": "/",
}

_TAGS = {
    *nh3.ALLOWED_TAGS, "figure", "figcaption", "picture", "source", "iframe", "video",
    "audio", "track", "tfoot", "section", "address", "button",
} - {"acronym", "center", "strike", "tt"}
# tabindex: a gallery strip scrolls sideways, and the keyboard must reach it.
_GLOBAL = {"class", "id", "title", "lang", "dir", "role", "hidden", "tabindex"}
_ATTRIBUTES = {
    "*": _GLOBAL,
    "a": {"href", "hreflang", "rel", "target", "download", "type"},
    "img": {"src", "srcset", "sizes", "alt", "width", "height", "loading", "decoding",
            "fetchpriority"},
    "source": {"src", "srcset", "sizes", "type", "media", "width", "height"},
    "iframe": {"src", "width", "height", "allow", "allowfullscreen", "loading",
               "referrerpolicy", "sandbox"},
    "video": {"src", "poster", "controls", "width", "height", "preload", "muted", "loop",
              "playsinline"},
    "audio": {"src", "controls", "preload", "muted", "loop"},
    "track": {"src", "kind", "srclang", "label", "default"},
    "td": {"colspan", "rowspan", "headers", "style"},
    "th": {"colspan", "rowspan", "headers", "scope", "style", "abbr"},
    "col": {"span"}, "colgroup": {"span"},
    "ol": {"start", "reversed", "type"}, "li": {"value"},
    "time": {"datetime"}, "data": {"value"},
    "blockquote": {"cite"}, "q": {"cite"}, "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"}, "button": {"type"}, "details": {"open"},
}
_CLEANER = nh3.Cleaner(
    tags=_TAGS, attributes=_ATTRIBUTES, generic_attribute_prefixes={"data-", "aria-"},
    # "sitegen-md" marks a link to another .md file (markup.MD_LINK) until the build
    # replaces it with that page's URL, or reports it: it never reaches a page.
    clean_content_tags={"script", "style"},
    url_schemes={"http", "https", "mailto", "tel", "sitegen-md"},
    # Python-Markdown writes table alignment as style="text-align: ..."; nothing else.
    filter_style_properties={"text-align"}, link_rel=None, strip_comments=True,
)
_IFRAME = re.compile(r"<iframe\b([^>]*)>.*?</iframe>", re.S | re.I)
_SRC = re.compile(r'\ssrc="([^"]*)"')


def clean_html(fragment: str) -> str:
    """The fragment without scripts, event handlers, `javascript:` URLs, forms, styles,
    or iframes from hosts outside `EMBED_HOSTS`; figures, tables, pictures and
    allowed embeds are kept."""
    if "<" not in fragment:
        return fragment
    # The serializer writes a no-break space as &nbsp;: the same character, kept as written.
    cleaned = _CLEANER.clean(fragment).replace("&nbsp;", "\u00a0")
    return _IFRAME.sub(_allowed_iframe, cleaned) if "<iframe" in cleaned else cleaned


def _allowed_iframe(match: re.Match[str]) -> str:
    src = _SRC.search(match.group(1))
    if src is None:
        return ""
    url = urlsplit(src.group(1).replace("&amp;", "&"))
    prefix = EMBED_HOSTS.get(url.hostname or "")
    allowed = url.scheme == "https" and prefix is not None and url.path.startswith(prefix)
    return match.group(0) if allowed else ""


def body_html(fragment: str, mode: str) -> str:
    """A page's body as `[markdown] raw_html` says. Under "escape" the Markdown converter
    already showed raw HTML as text; cleaning still removes `javascript:` links that
    Markdown's own link syntax can make."""
    return fragment if mode == "allow" else clean_html(fragment)
