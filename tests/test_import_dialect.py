"""Fidelity: each converted fixture, rendered by sitegen, has the element structure of
the source dialect's own rendering: markdown-it-py for CommonMark/GFM, and kramdown's
output written down for kramdown's own syntax (definition lists, attribute lists,
`markdown="1"` blocks, its heading ids)."""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from markdown_it import MarkdownIt

from sitegen.config_schema import ImagesConfig
from sitegen.importers import anchors, dialect, liquid
from sitegen.markup import render_markdown

COMMONMARK = {
    "a list right after a line of text": "Steps:\n- one\n- two\n\nDone.\n",
    "code indented under list items": "1. Download:\n\n   ```sh\n   curl x | sh\n   ```\n"
                                      "2. Check the sum:\n\n       sha256sum -c x\n\n3. Run.\n",
    "a fence right under an item": "- item\n  ```\n  code\n  ```\n- next\n",
    "nested lists at two spaces": "- a\n  - b\n    - c\n- d\n",
    "a lazy continuation line": "- a long\nline goes on\n- b\n",
    "reference links with brackets and code": (
        "See [[Feature #18481]] and [`foo`][bar] and [Ruby][].\n\n"
        "[Feature #18481]: https://bugs.example.org/18481\n"
        "[bar]: https://foo.example.org\n[ruby]: https://ruby.example.org \"Ruby\"\n"),
    "consecutive blockquotes": "> one\n\n> two\n",
    "an ordered list that cannot interrupt a paragraph": "In 2019.\n2. was a year\n",
    "a list inside a blockquote stays": "> quoted\n>\n> - a\n> - b\n",
    "code blocks are left alone": "```\n- not a list\n[x]: not a link\n```\n\n    > not\n",
}

# (Markdown in kramdown's syntax, the HTML kramdown 2 writes for it)
KRAMDOWN = {
    "definition lists": ("Term\n: The definition.\n\nOther\n: One.\n",
                         "<dl><dt>Term</dt><dd>The definition.</dd><dt>Other</dt><dd>One.</dd>"
                         "</dl>"),
    "block attribute lists": ("A note.\n{: .note}\n\n## Setup\n{: #setup-id}\n",
                              '<p class="note">A note.</p><h2 id="setup-id">Setup</h2>'),
    "markdown=1 blocks": ('<div class="box" markdown="1">\nSome *emphasis*.\n</div>\n',
                          '<div class="box"><p>Some <em>emphasis</em>.</p></div>'),
    "kramdown heading ids": ("## 1. Getting Started!\n\n## Usage\n\n## Usage\n",
                             '<h2 id="getting-started">1. Getting Started!</h2>'
                             '<h2 id="usage">Usage</h2><h2 id="usage-1">Usage</h2>'),
}

# (GFM, the HTML GitHub writes for it: heading ids, alerts, emoji)
GITHUB = {
    "gfm heading ids": ("# Hello, World!\n\n## 1. Intro -- Part\n\n## Intro -- Part\n",
                        '<h1 id="hello-world">Hello, World!</h1>'
                        '<h2 id="1-intro----part">1. Intro -- Part</h2>'
                        '<h2 id="intro----part">Intro -- Part</h2>'),
    "alerts": ("> [!WARNING]\n> Back up *first*.\n",
               '<div class="markdown-alert markdown-alert-warning"><p class="markdown-alert-'
               'title">Warning</p><p>Back up <em>first</em>.</p></div>'),
    "emoji": ("Ship it :rocket: but not `:rocket:`\n",
              "<p>Ship it \U0001f680 but not <code>:rocket:</code></p>"),
}


def sitegen_html(markdown: str) -> str:
    return render_markdown(markdown, "/", "/nonexistent", "en", ImagesConfig()).html


def shape(html: str) -> list[Any]:
    """Elements, their text and the attributes that matter (a link's target, a heading's
    id, a block's class). Code highlighting's wrappers, comments and the paragraphs of
    loose and tight list items (spacing only) are not compared."""
    def walk(node: Tag) -> list[Any]:
        out: list[Any] = []
        for child in node.children:
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                text = " ".join(str(child).split())
                if text:
                    out.append(text)
                continue
            assert isinstance(child, Tag)
            if child.name == "span" or (child.name == "div" and "highlight" in
                                        (child.get("class") or [])):
                out += walk(child)
                continue
            if child.name == "p" and node.name == "li":
                out += walk(child)
                continue
            keep = {k: " ".join(v) if isinstance(v, list) else v for k, v in child.attrs.items()
                    if k == "href" or (k == "id" and child.name[0] == "h")
                    or (k == "class" and child.name in {"p", "div", "dl", "blockquote"})}
            out.append((child.name, keep, walk(child)))
        merged: list[Any] = []
        for item in out:
            if isinstance(item, str) and merged and isinstance(merged[-1], str):
                merged[-1] += " " + item
            else:
                merged.append(item)
        return merged
    return walk(BeautifulSoup(html, "html.parser"))


def converted(markdown: str, scheme: str | None = None) -> str:
    text = dialect.convert(markdown, lambda message: None)
    if scheme == "kramdown":  # the Jekyll importer's step for `{: ...}` on their own line
        text = liquid.kramdown_attributes(text, lambda line, message: None)
    if scheme:
        text = anchors.heading_ids(text, scheme, lambda message: None)
    return anchors.emoji(text, lambda message: None)


@pytest.mark.parametrize("name", sorted(COMMONMARK))
def test_commonmark_renders_like_markdown_it(name: str) -> None:
    source = COMMONMARK[name]
    reference = MarkdownIt("commonmark").render(source)
    assert shape(sitegen_html(converted(source))) == shape(reference)


@pytest.mark.parametrize("name", sorted(KRAMDOWN))
def test_kramdown_renders_like_kramdown(name: str) -> None:
    source, kramdown = KRAMDOWN[name]
    assert shape(sitegen_html(converted(source, "kramdown"))) == shape(kramdown)


@pytest.mark.parametrize("name", sorted(GITHUB))
def test_gfm_renders_like_github(name: str) -> None:
    source, github = GITHUB[name]
    assert shape(sitegen_html(converted(source, "gfm"))) == shape(github)


def test_without_conversion_the_fixtures_differ() -> None:
    """The fixtures test something: Python-Markdown alone reads them differently."""
    differ = [name for name, source in COMMONMARK.items()
              if shape(sitegen_html(source)) != shape(MarkdownIt("commonmark").render(source))]
    assert len(differ) >= 5, differ
