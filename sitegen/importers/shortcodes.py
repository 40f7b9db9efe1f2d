"""Hugo's shortcodes (`{{< name ... >}}`, `{{% name ... %}}`) -> plain Markdown.

The built-in ones a newsroom uses are converted: `figure` (image with its
caption; the credit, `attr`, joins the caption), `youtube`, `vimeo`,
`tweet`/`x`, `instagram`, `gist` (a link on a line of its own, which works
today; once sitegen has embed syntax the importer should write that
instead), `ref`/`relref` (the new URL), `highlight` (fenced code) and
`param`. Any other shortcode is left as it is and reported with its line.
Code blocks and code spans are left alone, except that Hugo's escaped form
`{{</* x */>}}` becomes the `{{< x >}}` it always displayed.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from typing import Any

from sitegen.importers.report import Report

_CODE = re.compile(r"^([ \t]*)(`{3,}|~{3,})[^\n]*\n.*?^\1\2[ \t]*$|(`+)[^`\n]+?\3", re.M | re.S)
_ESCAPED = re.compile(r"\{\{([<%])/\*\s*(.*?)\s*\*/([>%])\}\}", re.S)
_PAIRED = re.compile(r"\{\{([<%])\s*(highlight)\b(.*?)[>%]\}\}\n?(.*?)\n?"
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
            ref: Callable[[str], str | None], params: dict[str, Any]) -> str:
    slots: list[str] = []

    def keep(text: str) -> str:
        slots.append(text)
        return f"\x00{len(slots) - 1}\x00"

    def line(text: str, at: int) -> int:
        return first_line + text[:at].count("\n")

    text = _CODE.sub(lambda m: keep(_ESCAPED.sub(r"{{\1 \2 \3}}", m.group(0))), body)
    text = _ESCAPED.sub(lambda m: keep(f"`{{{{{m.group(1)} {m.group(2)} {m.group(3)}}}}}`"), text)

    def paired(match: re.Match[str]) -> str:
        args = arguments(match.group(3))
        report.converted(source, line(text, match.start()), "{{< highlight >}} -> fenced code")
        return "\n" + keep(f"```{args.get(0, '')}\n{match.group(4)}\n```") + "\n"

    text = _PAIRED.sub(paired, text)

    def single(match: re.Match[str]) -> str:
        name, args = match.group(2).lower(), arguments(match.group(3))
        number = line(text, match.start())
        converted = _one(name, args, ref, params)
        if converted is None:
            report.needs_person(source, number, f"shortcode {match.group(0)[:60]!r} has no "
                                "Markdown equivalent; it was left as it is")
            return match.group(0)
        report.converted(source, number, f"shortcode {name} -> Markdown")
        if name in (*EMBEDS, "tweet", "x"):
            report.needs_person(source, number, f"{name} became a link on its own line; "
                                "switch to sitegen's embed syntax once it has one")
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
        return "\n\n<" + EMBEDS[name](args) + ">\n\n"
    if name in {"tweet", "x"}:
        user, tweet = args.get("user", ""), args.get("id") or args.get(0, "")
        return f"\n\n<https://x.com/{user or 'i'}/status/{tweet}>\n\n" if tweet else None
    if name in {"ref", "relref"}:
        target = args.get("path") or args.get(0, "")
        path, _, fragment = target.partition("#")
        found = ref(path)
        return None if found is None else found + (f"#{fragment}" if fragment else "")
    if name == "param":
        value = params.get(args.get(0, ""))
        return None if value is None else str(value)
    return None
