"""HTML bodies (WordPress posts, Jekyll's `.html` posts) -> Markdown, with markdownify."""

from __future__ import annotations

import re
from typing import Any

from markdownify import markdownify


def to_markdown(html: str) -> str:
    text = markdownify(html, heading_style="ATX", bullets="-", strip=["script", "style"],
                       code_language_callback=_language)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def _language(element: Any) -> str | None:
    """The language of `<pre><code class="language-x">`, for the fence."""
    code = element.find("code") if element is not None else None
    for value in (code.get("class") if code is not None else None) or element.get("class") or []:
        if value.startswith(("language-", "lang-")):
            return value.split("-", 1)[1]
    return None
