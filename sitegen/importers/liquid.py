"""Jekyll's Liquid and kramdown in a body -> plain Markdown that sitegen builds.

Code is kept as written: `{% raw %}` blocks, `{% highlight %}` blocks (which
become fenced code), fenced code and code spans are set aside before
anything is evaluated. Then `link`, `post_url` and `include` tags are
resolved, and every other Liquid construct is evaluated with python-liquid
against the old site's `_config.yml`, `_data/` and the page's front matter,
one construct at a time (earlier `assign`s and `capture`s apply), so one
construct that cannot be evaluated (an unknown variable, a plugin's tag) is
left visible and reported with its line while the rest still converts.
Finally kramdown's attribute lists become Python-Markdown's `attr_list`.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from liquid import FalsyStrictUndefined

from sitegen import urls
from sitegen.importers.confine import read_regular, refusal
from sitegen.importers.limits import LimitedEnvironment
from sitegen.importers.report import Report

_RAW = re.compile(r"\{%-?\s*raw\s*-?%\}(.*?)\{%-?\s*endraw\s*-?%\}", re.S)
_HIGHLIGHT = re.compile(r"\{%-?\s*highlight\s+([\w+#.-]+)?[^%]*-?%\}[ \t]*\n?(.*?)\n?[ \t]*"
                        r"\{%-?\s*endhighlight\s*-?%\}", re.S)
_FENCE = re.compile(r"^([ \t]*)(`{3,}|~{3,})[^\n]*\n.*?^\1\2[ \t]*$", re.M | re.S)
_CODE_SPAN = re.compile(r"(`+)[^`\n]+?\1")
_LINK = re.compile(r"\{%-?\s*(link|post_url)\s+([^\s%]+)\s*-?%\}")
_INCLUDE = re.compile(r"\{%-?\s*include(_relative)?\s+([^\s%]+)(.*?)-?%\}", re.S)
_PARAM = re.compile(r"([\w-]+)\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s%]+)")
_TOKEN = re.compile(r"\{%-?\s*(\w+).*?-?%\}|\{\{.*?\}\}", re.S)
_BLOCKS = {"for", "if", "unless", "case", "capture", "tablerow", "comment"}
# A placeholder keeps as many line breaks as what it stands for, so lines stay countable.
_SLOT = "\x00{}{}\x00"
_SLOT_RE = re.compile(r"\x00(\d+)\n*\x00")


@dataclass
class Site:
    """What Liquid can see of the old site, and how old references map to new URLs."""

    variables: dict[str, Any]
    """`site` (the `_config.yml`, `data`, `posts`, `url` and `baseurl` emptied)."""
    includes: Path | None
    link_url: Callable[[str], str | None]
    """`{% link _posts/x.md %}` -> the new URL path, or None."""
    post_url: Callable[[str], str | None]
    """`{% post_url 2010-07-21-name %}` -> the new URL path, or None."""
    root: Path | None = None
    """The old site's folder: no include is read from outside it (`sitegen.importers.confine`)."""


def environment() -> LimitedEnvironment:
    # Undefined is an error when printed, but false in `if` (`{% if page.image %}`).
    env = LimitedEnvironment(undefined=FalsyStrictUndefined)
    # Jekyll's own filters, as far as they mean something in an imported body.
    env.filters["relative_url"] = lambda value: str(value)
    env.filters["absolute_url"] = lambda value: str(value)
    env.filters["markdownify"] = lambda value: str(value)
    env.filters["jsonify"] = lambda value: json.dumps(value, ensure_ascii=False, default=str)
    env.filters["xml_escape"] = lambda value: html.escape(str(value))
    env.filters["cgi_escape"] = lambda value: str(value).replace(" ", "+")
    env.filters["uri_escape"] = lambda value: str(value).replace(" ", "%20")
    env.filters["slugify"] = lambda value: urls.slugify(str(value))
    env.filters["number_of_words"] = lambda value: len(str(value).split())
    env.filters["date_to_xmlschema"] = lambda value: _date(value).isoformat()
    env.filters["date_to_string"] = lambda value: _date(value).strftime("%d %b %Y")
    env.filters["date_to_long_string"] = lambda value: _date(value).strftime("%d %B %Y")
    env.filters["array_to_sentence_string"] = lambda value: _sentence(list(value))
    return env


def _date(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    return dt.datetime.fromisoformat(str(value).strip().replace(" ", "T", 1))


def _sentence(items: list[Any]) -> str:
    words = [str(i) for i in items]
    return words[0] if len(words) < 2 else ", ".join(words[:-1]) + " and " + words[-1]


class Converter:
    """Converts the bodies of one old site."""

    def __init__(self, site: Site, report: Report) -> None:
        self.site, self.report, self.env = site, report, environment()

    def convert(self, body: str, source: str, first_line: int, page: dict[str, Any],
                source_dir: Path | None = None) -> str:
        slots: list[str] = []
        self.source, self.first_line, self.page = source, first_line, page
        self.text = body.replace("\r\n", "\n")

        def keep(text: str) -> str:
            slots.append(text)
            return _SLOT.format(len(slots) - 1, "\n" * text.count("\n"))

        def line(match: re.Match[str]) -> int:
            return first_line + self.text[:match.start()].count("\n")

        def raw(match: re.Match[str]) -> str:
            self.report.converted(source, line(match), "{% raw %} removed, its text kept")
            return keep(match.group(1))

        def highlight(match: re.Match[str]) -> str:
            self.report.converted(source, line(match), "{% highlight %} -> fenced code")
            fence = "~~~" if "```" in match.group(2) else "```"
            block = f"{fence}{match.group(1) or ''}\n{match.group(2)}\n{fence}"
            return "\n" + keep(block) + "\n"

        text = self.text
        for pattern, replace in ((_RAW, raw), (_HIGHLIGHT, highlight)):
            self.text = text
            text = pattern.sub(replace, text)
        text = _FENCE.sub(lambda m: keep(m.group(0)), text)
        text = _CODE_SPAN.sub(lambda m: keep(m.group(0)), text)
        self.text = text
        text = _LINK.sub(self._link, text)
        self.text = text
        text = _INCLUDE.sub(lambda m: self._include(m, source_dir, 0), text)
        self.text = text
        text = self._evaluate(text)
        text = kramdown_attributes(text, lambda n, message: self.report.converted(
            source, first_line + n, message))
        text = re.sub(r"\n{3,}", "\n\n", text)  # what evaluated tags leave behind
        while _SLOT_RE.search(text):
            text = _SLOT_RE.sub(lambda m: slots[int(m.group(1))], text)
        return text

    def _line(self, match: re.Match[str]) -> int:
        return self.first_line + self.text[:match.start()].count("\n")

    def _link(self, match: re.Match[str]) -> str:
        kind, target = match.group(1), match.group(2)
        found = (self.site.link_url if kind == "link" else self.site.post_url)(target)
        if found is None:
            self.report.needs_person(self.source, self._line(match),
                                     f"{{% {kind} {target} %}}: no imported file is {target}")
            return match.group(0)
        self.report.converted(self.source, self._line(match), f"{{% {kind} {target} %}} -> "
                              f"{found}")
        return found

    def _include(self, match: re.Match[str], source_dir: Path | None, depth: int) -> str:
        relative, name, params = match.group(1), match.group(2), match.group(3)
        folder = source_dir if relative else self.site.includes
        path = (folder / name).resolve() if folder and "{" not in name else None
        refused = refusal(path, self.site.root) if path and self.site.root else None
        if refused is not None:
            self.report.skipped(self.source, self._line(match), f"{{% include {name} %}} "
                                f"not read: it {refused}; left as it is")
            return match.group(0)
        if (path is None or folder is None or not path.is_relative_to(folder.resolve())
                or not path.is_file() or depth > 8):
            self.report.needs_person(self.source, self._line(match),
                                     f"{{% include {name} %}}: no such include to insert")
            return match.group(0)
        try:
            values = {key: self._value(value) for key, value in _PARAM.findall(params)}
            snippet = read_regular(path).decode("utf-8")
            snippet = _INCLUDE.sub(lambda m: self._include(m, path.parent, depth + 1), snippet)
            rendered = self.env.from_string(snippet).render(**self._globals(), include=values)
        except Exception as exc:  # python-liquid raises many kinds; each means "cannot"
            self.report.needs_person(self.source, self._line(match),
                                     f"{{% include {name} %}} could not be evaluated: {exc}")
            return match.group(0)
        self.report.converted(self.source, self._line(match), f"{{% include {name} %}} inserted")
        return rendered

    def _value(self, text: str) -> Any:
        if text[:1] in {'"', "'"}:
            return text[1:-1]
        return self.env.from_string("{{ " + text + " }}").render(**self._globals())

    def _globals(self) -> dict[str, Any]:
        return {"site": self.site.variables, "page": self.page}

    def _evaluate(self, text: str) -> str:
        """Each top-level Liquid construct evaluated on its own, after the assigns before it."""
        out: list[str] = []
        prefix = ""
        at = 0
        constructs, unclosed = _constructs(text)
        if unclosed is not None:
            self.report.needs_person(self.source, self.first_line + text[:unclosed].count("\n"),
                                     f"Liquid block {text[unclosed:unclosed + 40]!r} is never "
                                     "closed; it and what follows were left as they are")
        for start, end, kind in constructs:
            out.append(text[at:start])
            at = end
            construct = text[start:end]
            number = self.first_line + text[:start].count("\n")
            try:
                rendered = self.env.from_string(prefix + construct).render(**self._globals())
            except Exception as exc:  # an unknown tag, filter or variable: left visible
                reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                self.report.needs_person(self.source, number, f"Liquid left as it is, it "
                                         f"could not be evaluated: {construct[:60]!r} ({reason})")
                out.append(construct)
                continue
            if kind in {"assign", "capture"}:
                prefix += construct
            else:
                self.report.converted(self.source, number,
                                      f"Liquid {construct[:40]!r} evaluated")
            out.append(rendered)
        out.append(text[at:])
        return "".join(out)


def _constructs(text: str) -> tuple[list[tuple[int, int, str]], int | None]:
    """(start, end, first tag name) of each top-level tag, block or output; and where
    a block that is never closed starts, if one is."""
    found: list[tuple[int, int, str]] = []
    depth, start, kind = 0, 0, ""
    for match in _TOKEN.finditer(text):
        name = match.group(1) or ""
        if depth == 0:
            start, kind = match.start(), name
        if name in _BLOCKS:
            depth += 1
        elif name.startswith("end") and name[3:] in _BLOCKS and depth:
            depth -= 1
        if depth == 0:
            found.append((start, match.end(), kind))
    return found, (start if depth else None)


_IAL = re.compile(r"^\{:\s*(.*?)\s*\}\s*$")
_TOC_LINE = re.compile(r"^\s*[*-]\s+TOC\s*$|^\s*1\.\s+TOC\s*$")


def kramdown_attributes(text: str, converted: Callable[[int, str], None]) -> str:
    """kramdown block attribute lists (`{: #id }` on the line after a heading or
    paragraph) -> attr_list's `{: #id }` at the end of that line; the `{:toc}`
    markers go (sitegen makes its own table of contents)."""
    lines = text.split("\n")
    kept: list[str] = []
    for number, line in enumerate(lines):
        match = _IAL.match(line)
        if not match:
            kept.append(line)
            continue
        inner = match.group(1)
        if inner in {"toc", ".no_toc"} or inner.startswith(":"):
            if kept and _TOC_LINE.match(kept[-1]):
                kept.pop()
            converted(number, f"kramdown {line.strip()} removed")
            continue
        target = len(kept) - 1
        setext = target >= 0 and re.fullmatch(r"\s*[=-]{2,}\s*", kept[target]) is not None
        if setext:
            target -= 1  # a setext heading: the text line gets the attributes
        if target < 0 or not kept[target].strip():
            kept.append(line)
            continue
        if not setext and not kept[target].lstrip().startswith("#"):
            kept.append(line)  # after a paragraph, attr_list reads it on a line of its own
            converted(number, f"kramdown attribute list {line.strip()} kept for attr_list")
            continue
        kept[target] = kept[target].rstrip() + " {: " + inner + " }"
        converted(number, f"kramdown attribute list {line.strip()} -> attr_list")
    return "\n".join(kept)
