"""Layer 3. What a feed adds to an article's body: its kind's label, a live blog's
entries and the corrections and right of reply, so a feed reader, which has no page
to look at, sees what the article page shows. Text is escaped; entry bodies are
already HTML rendered from Markdown.
"""

from __future__ import annotations

from markupsafe import escape

from sitegen import dates
from sitegen.model import Article


def full_html(article: Article, t: dict[str, str], language: str) -> str:
    """The body a full-content feed carries."""
    return newsroom_html(article, t, language) + article.body_html + notes_html(
        article, t, language)


def newsroom_html(article: Article, t: dict[str, str], language: str) -> str:
    """What a feed reader shows above a live blog's or a paid article's body: the kind's
    label, and every live entry, newest first (a reader has no page to go and look)."""
    parts = []
    if article.kind not in {"news", "live"}:
        label = t.get("kind_" + article.kind.replace("-", "_"), article.kind)
        parts.append(f"<p><strong>{escape(label)}</strong></p>")
    for entry in article.live:
        parts.append(f"<h2 id=\"{entry.anchor}\">{escape(dates.format_long(entry.date, language))}"
                     f" {escape(entry.headline)}</h2>{entry.body_html}")
    return "".join(parts)


def notes_html(article: Article, t: dict[str, str], language: str) -> str:
    """Corrections and the right of reply, as the article page shows them, so that a feed
    reader that has the story sees its corrections too."""
    parts = [f"<p><strong>{escape(t.get('correction', 'Correction'))}"
             f" ({escape(dates.format_long(c.date, language))}):</strong> {escape(c.text)}</p>"
             for c in article.corrections]
    if article.reply:
        parts.append(f"<p><strong>{escape(t.get('right_of_reply', 'Right of reply'))}"
                     f" ({escape(dates.format_long(article.reply.date, language))}):</strong> "
                     f"{escape(article.reply.text)}</p>")
    return "".join(parts)


def notes_text(article: Article, t: dict[str, str], language: str) -> str:
    """The corrections as plain text, for feeds that carry only summaries."""
    word = t.get("correction", "Correction")
    notes = [f"{word} ({dates.format_long(c.date, language)}): {c.text}"
             for c in article.corrections]
    if article.reply:
        notes.append(f"{t.get('right_of_reply', 'Right of reply')} "
                     f"({dates.format_long(article.reply.date, language)}): {article.reply.text}")
    return " ".join(notes)
