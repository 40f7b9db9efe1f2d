"""Template code that nothing converted never reaches a published page.

After the Liquid and shortcode converters, what is left (a plugin's Liquid
tag or filter, a theme's shortcode) is taken out of the body: a paired
construct leaves its inner text, a single one leaves nothing (`text`, the
default) or a visible `[…]` placeholder naming it (`placeholder`), so an
editor finds the spot. Each one is in the report with its file and line,
and the report counts them per name. Code blocks and code spans keep their
text as written.
"""

from __future__ import annotations

import re

from sitegen.importers.report import Report

MODES = ("text", "placeholder")
MODE = "text"
"""This import's choice (`--unknown-template`); set once by run.py before converting."""

_FENCE = re.compile(r"^([ \t]*)(`{3,}|~{3,})[^\n]*\n.*?^\1\2[ \t]*$", re.M | re.S)
_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
_HUGO_PAIRED = re.compile(r"\{\{([<%])\s*([\w/.-]+)([^}]*?)[>%]\}\}(.*?)"
                          r"\{\{[<%]\s*/\s*\2\s*[>%]\}\}", re.S)
_HUGO = re.compile(r"\{\{[<%]\s*/?\s*([\w/.-]+)[^}]*?[>%]\}\}")
_LIQUID_BLOCK = re.compile(r"\{%-?\s*(\w+)[^%]*?-?%\}(.*?)\{%-?\s*end\1\s*-?%\}", re.S)
_LIQUID_TAG = re.compile(r"\{%-?\s*(\w+)[^%]*?-?%\}")
_LIQUID_OUTPUT = re.compile(r"\{\{-?\s*([^}|]*?)\s*(?:\|\s*([\w-]+)[^}]*)?-?\}\}")
_SLOT = re.compile(r"\x00(\d+)\x00")


def remove(body: str, kind: str, source: str, first_line: int, report: Report,
           mode: str = "", original: str = "") -> str:
    """`kind`: "hugo" (shortcodes) or "liquid" (tags, blocks, output with filters);
    `original`: the body as the old file had it, where lines are counted."""
    slots: list[str] = []

    def keep(match: re.Match[str]) -> str:
        slots.append(match.group(0))
        return f"\x00{len(slots) - 1}\x00"

    text = _SPAN.sub(keep, _FENCE.sub(keep, body))

    def found(match: re.Match[str], name: str, inner: str = "") -> str:
        at = original.find(match.group(0)) if original else -1
        line = first_line + (original[:at].count("\n") if at >= 0 else
                             text[:match.start()].count("\n"))
        report.template_left(source, line, name, match.group(0)[:60])
        if (mode or MODE) == "placeholder":
            return f"[{name}]" + (f" {inner}" if inner else "")
        return inner

    if kind == "hugo":
        for _ in range(8):  # nested pairs, from the inside out
            new = _HUGO_PAIRED.sub(lambda m: found(m, m.group(2), m.group(4)), text)
            if new == text:
                break
            text = new
        text = _HUGO.sub(lambda m: found(m, m.group(1)), text)
    else:
        for _ in range(8):
            new = _LIQUID_BLOCK.sub(lambda m: found(m, m.group(1), m.group(2)), text)
            if new == text:
                break
            text = new
        text = _LIQUID_TAG.sub(lambda m: found(m, m.group(1)), text)
        text = _LIQUID_OUTPUT.sub(lambda m: found(m, m.group(2) or m.group(1).split(".")[0]),
                                  text)
    while _SLOT.search(text):
        text = _SLOT.sub(lambda m: slots[int(m.group(1))], text)
    return text
