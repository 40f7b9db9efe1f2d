"""Layer 3. What a feed adds around an article's body (bodies.finish puts it there): its
kind's label, a live blog's entries and the corrections and right of reply, so a feed
reader, which has no page to look at, sees what the article page shows. Text is
escaped; entry bodies are already HTML rendered from Markdown.
"""

from __future__ import annotations

from markupsafe import escape

from sitegen import dates
from sitegen.model import Article


def label_html(article: Article, t: dict[str, str]) -> str:
    """The kind's label ("Opini", "Advertorial"), which a feed reader must show too."""
    if article.kind in {"news", "live"}:
        return ""
    label = t.get("kind_" + article.kind.replace("-", "_"), article.kind)
    return f"<p><strong>{escape(label)}</strong></p>"


def entries_html(article: Article, language: str) -> str:
    """Every live entry, newest first, each with its time."""
    parts = []
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
