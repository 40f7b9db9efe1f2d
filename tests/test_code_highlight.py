"""Cold-build costs of converting bodies: one converter per worker, reset between articles,
and Pygments output kept per code block (sitegen/code_highlight.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sitegen import code_highlight, markup
from sitegen.config_schema import ImagesConfig

FENCE = '```python\ndef total(a, b):\n    return a < b & 2  # "quoted"\n```\n'
INDENTED = "    indented <code> & more\n    line 2\n"


def render(text: str) -> str:
    return markup.render_markdown(text, "/", "/nonexistent", "id", ImagesConfig()).html


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    code_highlight.CACHE.clear()
    yield
    code_highlight.CACHE.clear()


def test_a_repeated_block_is_highlighted_once_with_the_same_html() -> None:
    first = render(f"Satu.\n\n{FENCE}\n{INDENTED}")
    assert (code_highlight.CACHE.hits, code_highlight.CACHE.misses) == (0, 2)
    second = render(f"Dua, artikel lain.\n\n{FENCE}\n{INDENTED}")
    assert (code_highlight.CACHE.hits, code_highlight.CACHE.misses) == (2, 2)
    assert second.replace("Dua, artikel lain.", "Satu.") == first
    # What Pygments makes of it, with nothing cached: the same bytes.
    code_highlight.CACHE.clear()
    assert render(f"Satu.\n\n{FENCE}\n{INDENTED}") == first
    assert '<span class="k">def</span>' in first and "&lt;code&gt; &amp; more" in first


def test_the_language_and_the_options_are_part_of_the_key() -> None:
    python = render(FENCE)
    plain = render(FENCE.replace("```python", "```text"))
    numbered = render(FENCE.replace("```python", '```python linenums="1"'))
    assert code_highlight.CACHE.hits == 0 and code_highlight.CACHE.misses == 3
    assert len({python, plain, numbered}) == 3
    assert '<span class="k">def</span>' not in plain and "linenos" in numbered


def test_the_cache_is_bounded_and_skips_long_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(code_highlight.CACHE, "size", 3)
    for i in range(5):
        render(f"```python\nx = {i}\n```\n")
    assert len(code_highlight.CACHE.entries) == 3
    render("```python\nx = 0\n```\n")  # the oldest was dropped
    assert code_highlight.CACHE.hits == 0
    render("```python\nx = 4\n```\n")
    assert code_highlight.CACHE.hits == 1
    long = "```python\n" + "y = 1\n" * (code_highlight.MAX_TEXT // 6 + 1) + "```\n"
    render(long)
    render(long)
    assert code_highlight.CACHE.hits == 1 and len(code_highlight.CACHE.entries) == 3


def test_one_converter_per_worker_reset_between_articles() -> None:
    markup.reset_markdown()
    render("Catatan[^1].\n\n[^1]: Sumber pertama.\n\n*[BPS]: Badan Pusat Statistik\n\n## Bab\n")
    later = render("Artikel kedua tentang BPS.\n\n## Bab\n")
    info = markup._converter.cache_info()
    assert (info.misses, info.hits) == (1, 1)  # one Markdown instance for both
    # Nothing of the first article is left in the second: footnotes, abbreviations,
    # heading ids (the second "Bab" is not "bab_1").
    assert "Sumber pertama" not in later and "<abbr" not in later
    assert '<h2 id="bab">' in later
