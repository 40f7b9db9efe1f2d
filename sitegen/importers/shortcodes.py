"""Hugo's shortcodes (`{{< name ... >}}`, `{{% name ... %}}`) -> plain Markdown.

The built-in ones are converted: `figure` (image with its caption; the
credit, `attr`, joins the caption), `youtube`, `vimeo`, `tweet`/`x` and
`instagram` (sitegen's `!embed[...](...)`), `gist` (a link on its own line:
sitegen does not embed gists), `ref`/`relref` (the new URL), `highlight`
(fenced code), `param` and `details` (a `<details>` block). So are the
commonest theme ones (Docsy's): `alert` (the box GitHub's alerts make),
`imgproc` (the bundle image with its caption), `code-toggle` (the config as
TOML code), `tab`/`tabpane` (each tab under its header) and `include` /
`readfile` (the file's text). Any other shortcode is left for
`leftovers.py`, which takes it out of the page and reports it.
Code blocks and code spans are left alone, except that Hugo's escaped form
`{{</* x */>}}` becomes the `{{< x >}}` it always displayed.
"""
from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from typing import Any

from sitegen.importers.report import Report
from sitegen.importers.wp_blocks import embed_line

_CODE = re.compile(r"^([ \t]*)(`{3,}|~{3,})[^\n]*\n.*?^\1\2[ \t]*$|(`+)[^`\n]+?\3", re.M | re.S)
_ESCAPED = re.compile(r"\{\{([<%])/\*\s*(.*?)\s*\*/([>%])\}\}", re.S)
_PAIRED = re.compile(r"\{\{([<%])\s*(highlight|details|alert|code-toggle|imgproc|tab|tabpane)"
                     r"\b(.*?)[>%]\}\}\n?((?:(?!\{\{[<%]\s*\2\b).)*?)\n?"
                     r"\{\{[<%]\s*/\s*\2\s*[>%]\}\}", re.S)
_SINGLE = re.compile(r"\{\{([<%])\s*([\w/.-]+)(.*?)\s*/?\s*[>%]\}\}", re.S)
_SLOT = re.compile(r"\x00(\d+)\x00")

EMBEDS = {
    "youtube": lambda a: f"https://www.youtube.com/watch?v={a.get('id') or a.get(0, '')}",
    "vimeo": lambda a: f"https://vimeo.com/{a.get('id') or a.get(0, '')}",
    "instagram": lambda a: f"https://www.instagram.com/p/{a.get('id') or a.get(0, '')}/",
    "gist": lambda a: f"https://gist.github.com/{a.get('user') or a.get(0, '')}/"
                      f"{a.get('id') or a.get(1, '')}",
}


def arguments(text: str) -> dict[Any, str]:
    """`src="a b" title=x` and positional `"a" b` -> {"src": "a b", "title": "x", 0: "a"}."""
    try:
        parts = shlex.split(text.strip(), posix=True)
    except ValueError:
        parts = text.split()
    found: dict[Any, str] = {}
    position = 0
    for part in parts:
        key, equals, value = part.partition("=")
        if equals and re.fullmatch(r"[\w-]+", key):
            found[key] = value
        else:
            found[position] = part
            position += 1
    return found


def convert(body: str, source: str, first_line: int, report: Report,
            ref: Callable[[str], str | None], params: dict[str, Any],
            include: Callable[[str], str | None] = lambda name: None) -> str:
    """`include`: the text of a file an `include` shortcode names, or None."""
    slots: list[str] = []

    def keep(text: str) -> str:
        slots.append(text)
        return f"\x00{len(slots) - 1}\x00"

    def line(text: str, at: int) -> int:
        return first_line + text[:at].count("\n")

    text = _CODE.sub(lambda m: keep(_ESCAPED.sub(r"{{\1 \2 \3}}", m.group(0))), body)
    text = _ESCAPED.sub(lambda m: keep(f"`{{{{{m.group(1)} {m.group(2)} {m.group(3)}}}}}`"), text)

    def paired(match: re.Match[str]) -> str:
        name, args, inner = match.group(2), arguments(match.group(3)), match.group(4)
        report.converted(source, line(text, match.start()), f"{{{{< {name} >}}}} -> Markdown")
        if name in {"highlight", "code-toggle"}:
            language = args.get(0, "") if name == "highlight" else "toml"
            fence = "~~~" if "```" in inner else "```"
            return "\n\n" + keep(f"{fence}{language}\n{inner.strip(chr(10))}\n{fence}") + "\n\n"
        if name == "details":
            summary = args.get("summary") or args.get(0) or "Details"
            return (f'\n\n<details markdown="1">\n<summary>{_escape(summary)}</summary>\n\n'
                    f"{inner.strip()}\n\n</details>\n\n")
        if name == "alert":  # Docsy: a box with an optional title, like GitHub's alerts
            color = re.sub(r"[^\w-]", "", args.get("color", "note")) or "note"
            title = args.get("title", "")
            heading = f'<p class="markdown-alert-title">{_escape(title)}</p>\n' if title else ""
            return (f'\n\n<div class="markdown-alert markdown-alert-{color}" markdown="1">\n'
                    f"{heading}\n{inner.strip()}\n\n</div>\n\n")
        if name == "imgproc":  # Docsy: a processed bundle image with its caption
            caption = " ".join(re.sub(r"<[^>]+>", "", inner).split())
            title = ' "' + caption.replace('"', "&quot;") + '"' if caption else ""
            return f"\n\n![{caption.replace(']', '')}]({args.get(0, '')}{title})\n\n"
        if name == "tab":
            header = args.get("header") or args.get(0) or ""
            return f"\n\n**{header}**\n\n{inner.strip()}\n\n" if header else inner
        return inner  # tabpane: its tabs, one after the other

    for _ in range(8):  # nested pairs (a tab in a tabpane), from the inside out
        new = _PAIRED.sub(paired, text)
        if new == text:
            break
        text = new

    def single(match: re.Match[str]) -> str:
        name, args = match.group(2).lower(), arguments(match.group(3))
        number = line(text, match.start())
        if name in {"include", "readfile"}:
            found = include(args.get("file") or args.get(0, ""))
            if found is not None:
                report.converted(source, number, f"shortcode {name} -> the file's text")
                return found
        converted = _one(name, args, ref, params)
        if converted is None:
            return match.group(0)  # leftovers.py takes it out and reports it
        report.converted(source, number, f"shortcode {name} -> Markdown")
        return converted

    text = _SINGLE.sub(single, text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    while _SLOT.search(text):
        text = _SLOT.sub(lambda m: slots[int(m.group(1))], text)
    return text


def _one(name: str, args: dict[Any, str], ref: Callable[[str], str | None],
         params: dict[str, Any]) -> str | None:
    if name == "figure":
        src = args.get("src", "")
        if not src:
            return None
        caption = args.get("caption") or args.get("title") or ""
        credit = args.get("attr", "")
        caption = " — ".join(c for c in (re.sub(r"<[^>]+>", "", caption), credit) if c)
        alt = args.get("alt") or re.sub(r"<[^>]+>", "", args.get("title") or caption)
        title = ' "' + caption.replace('"', "&quot;") + '"' if caption else ""
        image = f"![{alt.replace(']', '')}]({src}{title})"
        link = args.get("link")
        return "\n\n" + (f"[{image}]({link})" if link else image) + "\n\n"
    if name in EMBEDS:
        return "\n\n" + embed_line(EMBEDS[name](args), args.get("title", "")) + "\n\n"
    if name in {"tweet", "x"}:
        user, tweet = args.get("user", ""), args.get("id") or args.get(0, "")
        url = f"https://x.com/{user or 'i'}/status/{tweet}"
        return f"\n\n{embed_line(url)}\n\n" if tweet else None
    if name in {"ref", "relref"}:
        target = args.get("path") or args.get(0, "")
        path, _, fragment = target.partition("#")
        found = ref(path)
        return None if found is None else found + (f"#{fragment}" if fragment else "")
    if name == "param":
        value = params.get(args.get(0, ""))
        return None if value is None else str(value)
    return None


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
