"""CommonMark, GFM and kramdown bodies -> Markdown that Python-Markdown reads the same way.

sitegen renders with Python-Markdown, which differs from the generators the
archives come from (kramdown with GFM input for Jekyll, goldmark for Hugo):

- a list may start right after a line of text (it needs a blank line here);
- a list item's content is indented to its text's column there, by 4 here,
  so code under an item became a paragraph: items are re-indented by 4;
- `> a`, a blank line, `> b` are two quotes there and one here: a comment
  now keeps them apart;
- reference links whose label has brackets or code (`[[Feature #1]]`) are
  left literal here: every reference that resolves becomes an inline link;
- GitHub's `> [!NOTE]` alerts become the `<div class="markdown-alert">` that
  GitHub makes (a `markdown="1"` block, which sitegen reads).

Heading ids and emoji are in `anchors.py`. Code (fenced, indented, spans)
is never changed, except that fences and code inside list items move with
their item.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_ITEM = re.compile(r"^( *)([-*+]|\d{1,9}[.)])(?: +(.*)|$)")
_RULE = re.compile(r"^ {0,3}([-*_])(?: *\1){2,} *$")
_FENCE = re.compile(r"^( *)(`{3,}|~{3,})")
_QUOTE = re.compile(r"^ {0,3}>")
_ALERT = re.compile(r"^ {0,3}> ?\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\] *$", re.I)
_DEFINITION = re.compile(r"^ {0,3}\[((?:[^\[\]\\]|\\.|\[[^\[\]]*\])+)\]:\s*<?(\S+?)>?"
                         r"(?:\s+(\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*$", re.M)
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
_SLOT = re.compile(r"\x00(\d+)\x00")

Note = Callable[[str], None]


def convert(text: str, note: Note) -> str:
    """All the block and link rewrites, in the order they depend on each other."""
    text = alerts(text, note)
    text = lists(text, note)
    text = blockquotes(text, note)
    return references(text, note)


def _fenced(lines: list[str]) -> list[bool]:
    """For each line: is it part of a fenced code block (its fences included)?"""
    inside: list[bool] = []
    fence: tuple[str, int] | None = None
    for line in lines:
        match = _FENCE.match(line)
        if fence is None and match:
            fence = (match.group(2), len(match.group(1)))
            inside.append(True)
            continue
        inside.append(fence is not None)
        if fence and match and match.group(2).startswith(fence[0]) and \
                not line[match.end():].strip():
            fence = None
    return inside


def _text_line(line: str) -> bool:
    """A line of paragraph text (which a list may interrupt)."""
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith(("#", ">", "|", "<", "```", "~~~")) \
        and not _RULE.match(line) and not line.startswith("    ")


def lists(text: str, note: Note) -> str:
    """Every list item's content indented by 4 per level (code and fences with it), and
    a blank line before a list that follows a line of text."""
    out: list[str] = []
    stack: list[tuple[int, int]] = []  # (the item's content column there, here)
    fence: tuple[str, int] | None = None  # inside a fence: its marker, how far it moved
    previous_blank, previous_text, changed = True, False, False
    for raw in text.split("\n"):
        line = raw.expandtabs(4)
        indent = len(line) - len(line.lstrip(" "))
        opening = _FENCE.match(line)
        if fence is not None:
            new = " " * max(0, indent + fence[1]) + line.lstrip(" ") if line.strip() else ""
            changed |= new != raw
            out.append(new)
            if opening and opening.group(2).startswith(fence[0]) and \
                    not line[opening.end():].strip():
                if fence[1] and stack:
                    out.append("")  # what follows the fence in a list needs a blank line
                fence = None
            previous_blank = previous_text = False
            continue
        if not line.strip():
            out.append("")
            previous_blank, previous_text = True, False
            continue
        item = None if _RULE.match(line) else _ITEM.match(line)
        if item and (indent >= (stack[-1][0] + 4 if stack else 4)):
            item = None  # four more than the content column: code, not a list
        if item:
            starts = not stack
            while stack and indent < stack[-1][0]:
                stack.pop()
            marker, content = item.group(2), item.group(3) or ""
            if starts and previous_text and not previous_blank and (
                    marker[0] in "-*+" or marker[:-1] == "1"):
                out.append("")  # a list right after a line of text
                changed = True
            spaces = len(line) - indent - len(marker) - len(content) if content else 1
            there = indent + len(marker) + (spaces if 1 <= spaces <= 4 else 1)
            here = stack[-1][1] if stack else 0
            stack.append((there, here + 4))
            new = " " * here + marker + (" " + content if content else "")
            changed |= new != raw
            out.append(new)
            previous_blank, previous_text = False, True
            continue
        if stack:
            level = next((i for i in range(len(stack) - 1, -1, -1) if indent >= stack[i][0]),
                         None)
            if level is None and not previous_blank:
                level, indent = len(stack) - 1, stack[-1][0]  # a lazy continuation line
            if level is None:
                stack.clear()
            else:
                del stack[level + 1:]
                new_indent = stack[level][1] + indent - stack[level][0]
                if opening:
                    fence = (opening.group(2), new_indent - indent)
                    if out and out[-1].strip():
                        out.append("")  # a fence in an item needs a blank line before it
                new = " " * new_indent + line.lstrip(" ")
                changed |= new != raw
                out.append(new)
                previous_blank, previous_text = False, _text_line(line)
                continue
        if opening and indent < 4:
            fence = (opening.group(2), 0)
        out.append(raw)
        previous_blank, previous_text = False, _text_line(raw) and not opening
    if changed:
        note("lists: items re-indented for Python-Markdown (code under an item stays code)")
    return "\n".join(out)


def blockquotes(text: str, note: Note) -> str:
    """Two quotes with a blank line between stay two quotes."""
    lines = text.split("\n")
    fenced = _fenced(lines)
    out: list[str] = []
    last_quote = -2
    for number, line in enumerate(lines):
        if _QUOTE.match(line) and not fenced[number]:
            between = lines[last_quote + 1:number]
            if last_quote >= 0 and between and all(not b.strip() for b in between):
                out[len(out) - len(between):] = ["", "<!-- -->", ""]
                note("two blockquotes kept apart")
            last_quote = number
        elif line.strip():
            last_quote = -2
        out.append(line)
    return "\n".join(out)


def alerts(text: str, note: Note) -> str:
    """`> [!NOTE]` quotes -> GitHub's alert markup, its text still Markdown."""
    lines = text.split("\n")
    fenced = _fenced(lines)
    out: list[str] = []
    number = 0
    while number < len(lines):
        match = _ALERT.match(lines[number]) if not fenced[number] else None
        if not match:
            out.append(lines[number])
            number += 1
            continue
        kind = match.group(1).lower()
        body = []
        number += 1
        while number < len(lines) and _QUOTE.match(lines[number]):
            body.append(re.sub(r"^ {0,3}> ?", "", lines[number]))
            number += 1
        out += ["", f'<div class="markdown-alert markdown-alert-{kind}" markdown="1">',
                f'<p class="markdown-alert-title">{kind.capitalize()}</p>', "", *body, "",
                "</div>", ""]
        note(f"GitHub alert [!{kind.upper()}] -> its box")
    return "\n".join(out)


def _normal(label: str) -> str:
    return " ".join(label.casefold().split())


def references(text: str, note: Note) -> str:
    """Reference links and images whose definition is in the body -> inline ones."""
    slots: list[str] = []

    def keep(match: re.Match[str]) -> str:
        slots.append(match.group(0))
        return f"\x00{len(slots) - 1}\x00"

    def unmask(value: str) -> str:
        return _SLOT.sub(lambda m: slots[int(m.group(1))], value)

    lines = text.split("\n")
    fenced = _fenced(lines)
    masked = "\n".join(keep_line(line, fenced[n], slots) for n, line in enumerate(lines))
    masked = _CODE_SPAN.sub(keep, masked)
    definitions: dict[str, str] = {}
    odd: list[str] = []
    for match in _DEFINITION.finditer(masked):
        label = unmask(match.group(1))
        title = match.group(3) or ""
        url = match.group(2)
        url = f"<{url}>" if re.search(r"[\s()]", url) else url
        definitions.setdefault(_normal(label), url + (f" {title}" if title else ""))
        if re.search(r"[\[\]`]", label):
            odd.append(match.group(0))
    count = 0
    out: list[str] = []
    at = 0
    position = 0
    while position < len(masked):
        start = masked.find("[", position)
        if start < 0:
            break
        if start and masked[start - 1] == "\\":
            position = start + 1
            continue
        end = _closing(masked, start)
        if end is None:
            position = start + 1
            continue
        after = masked[end + 1:]
        line_start = masked.rfind("\n", 0, start) + 1
        if after.startswith(("(", ":")) and (after.startswith("(") or
                                             not masked[line_start:start].strip()):
            position = start + 1  # an inline link, or a definition
            continue
        label = masked[start + 1:end]
        full = re.match(r"\[((?:[^\[\]\\]|\\.)*)\]", after)
        key = (full.group(1) if full and full.group(1) else label)
        target = definitions.get(_normal(unmask(key)))
        if target is None:
            position = start + 1
            continue
        stop = end + 1 + (full.end() if full else 0)
        out.append(masked[at:start] + f"[{label}]({target})")
        at = position = stop
        count += 1
    out.append(masked[at:])
    result = "".join(out)
    for line in odd:  # Python-Markdown cannot read these: they would show as text
        result = result.replace(line + "\n", "").replace(line, "")
    if count:
        note(f"{count} reference links -> inline links")
    return unmask(result)


def keep_line(line: str, fenced: bool, slots: list[str]) -> str:
    if not fenced:
        return line
    slots.append(line)
    return f"\x00{len(slots) - 1}\x00"


def _closing(text: str, start: int) -> int | None:
    """The `]` that closes the `[` at `start` (nested pairs and escapes counted)."""
    depth = 0
    index = start
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == "\n" and text[index + 1:index + 2] == "\n":
            return None  # a link never spans paragraphs
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    return None
