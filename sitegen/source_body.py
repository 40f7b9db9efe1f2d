"""Layer 2.7. A source's body converted: its Markdown under a time limit, the problems
located on the file's lines, a live blog's entries, template code left as text.

readers.read_source checks a source's front matter and hands the body here. A
body that cannot be converted (nested hundreds of levels deep, or so pathological
that conversion outlasts timelimit.SECONDS) is that file's problem, never the
build's: it is reported at the body's first line and the article is left out.
"""

from __future__ import annotations

import re

from sitegen import newsroom, sanitize, timelimit
from sitegen.config import Config
from sitegen.errors import Problem
from sitegen.markup import Rendered, render_markdown, reset_markdown
from sitegen.newsroom import LiveEntry
from sitegen.sitefiles import static_dir
from sitegen.source_pictures import body_picture_problems


def convert(body: str, config: Config, language: str, where: str, body_line: int,
            problems: list[Problem]) -> tuple[Rendered, str] | None:
    """(what Markdown made of the body, its HTML as published), or None when `problems`,
    to which this adds the body's own, holds an error. `body_line` is the body's first
    line in the file; `language` the article's own, if it names one."""
    mode = config.markdown.raw_html
    try:
        with timelimit.limit():
            rendered = render_markdown(body, config.base_path, str(static_dir(config)),
                                       language or config.site.language, config.images,
                                       escape_html=mode == "escape")
    except RecursionError:
        problems.append(Problem(where, body_line, "the text is nested too deeply (lists, "
                                "quotes or brackets inside each other hundreds of levels "
                                "deep) to be converted: flatten it"))
        return None
    except timelimit.TimeLimitExceeded:
        reset_markdown()
        problems.append(Problem(where, body_line, "the text took more than "
                                f"{timelimit.SECONDS:g} s to convert (thousands of repeated "
                                "'<', '[' or similar marks?): split or simplify it"))
        return None
    problems.extend(Problem(where, body_line + line - 1, message)
                    for line, message in rendered.problems)
    if rendered.problems:
        return None
    problems.extend(template_code(rendered.html, body, where, body_line))
    problems.extend(body_picture_problems(
        [p["src"] for p in rendered.pictures], rendered.html, body, body_line, config, where))
    if [p for p in problems if not p.warning]:
        return None
    return rendered, sanitize.body_html(rendered.html, mode)


def live_entries(found: list[tuple[int, str, str, str]], offset: int, to_date: newsroom.ToDate,
                 config: Config, where: str, problems: list[Problem]) -> list[LiveEntry]:
    """A live blog's entries, newest first, each rendered like a body."""
    entries: list[LiveEntry] = []
    for line, when, headline, text in found:
        moment = newsroom.entry_time(when, to_date)
        if moment is None or not headline:
            problems.append(Problem(where, offset + line, "a live blog entry starts with a "
                                    "line '## 2026-11-28 10:15 | Headline' (a real time and "
                                    "a headline)"))
            continue
        mode = config.markdown.raw_html
        rendered = render_markdown(text, config.base_path, str(static_dir(config)),
                                   config.site.language, config.images,
                                   escape_html=mode == "escape")
        anchor = f"update-{moment:%Y%m%d%H%M}"
        taken = sum(1 for e in entries if e.anchor.startswith(anchor))
        entries.append(LiveEntry(date=moment, headline=headline,
                                 body_html=sanitize.body_html(rendered.html, mode),
                                 anchor=f"{anchor}-{taken + 1}" if taken else anchor))
    return sorted(entries, key=lambda e: e.date, reverse=True)


# Template code of another generator (Liquid, Hugo shortcodes, Jinja) that reached
# the page as text: the reader would see it. Code blocks and spans are left alone.
_TEMPLATE_CODE = re.compile(r"\{%|\{\{")
_CODE_HTML = re.compile(r"<(pre|code)\b.*?</\1>", re.S)
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+).+?\1")


def template_code(body_html: str, body: str, where: str, first_line: int) -> list[Problem]:
    """A warning per body line where `{%`, `{{<` or `{{` is shown outside code."""
    if not _TEMPLATE_CODE.search(_CODE_HTML.sub("", body_html)):
        return []
    found, fence = [], ""
    for number, text in enumerate(body.split("\n"), start=first_line):
        opening = _FENCE.match(text)
        if opening and (not fence or opening.group(1).startswith(fence)):
            fence = "" if fence else opening.group(1)[0] * 3
            continue
        if fence:
            continue
        shown = _TEMPLATE_CODE.search(_CODE_SPAN.sub("", text))
        if shown:
            code = text[shown.start():].split()[0][:12]
            found.append(Problem(where, number, f"template code '{code}' is shown to readers "
                                 "as text: replace it with Markdown, or put it in a code block "
                                 "if it is meant to be shown", True, kind="template code"))
    return found
