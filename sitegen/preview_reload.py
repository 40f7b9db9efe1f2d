"""Layer 7.8. Reloading the preview's open tabs: the build they show (an epoch they
long-poll `RELOAD_PATH` for, MkDocs' scheme: stdlib only, no WebSocket), the script
every served HTML page gets and, while the last build failed, the overlay naming each
problem. Added at serve time only, never written to disk, so the built files stay
what `sitegen build` would write.
"""

from __future__ import annotations

import html
import json
import re
import secrets
import threading
from collections.abc import Iterable

from sitegen.errors import Problem
from sitegen.messages import tr

RELOAD_PATH = "/_sitegen/reload"
POLL_SECONDS = 20.0
"""How long one long-poll waits before answering 'nothing new' (proxies drop idle requests)."""

_BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)


class PreviewState:
    """What the open tabs should show: which build (the epoch) and its problems."""

    def __init__(self) -> None:
        # A new id per server, so tabs left open across a restart reload too.
        self._session = secrets.token_hex(4)
        self._count = 0
        self.problems: tuple[Problem, ...] = ()
        self.css_only = False
        self._closed = False
        self._changed = threading.Condition()

    @property
    def epoch(self) -> str:
        return f"{self._session}-{self._count}"

    def publish(self, problems: Iterable[Problem], css_only: bool = False) -> None:
        """A build finished: tabs reload (or only restyle) and show these problems."""
        with self._changed:
            self._count += 1
            self.problems = tuple(problems)
            self.css_only = css_only
            self._changed.notify_all()

    def wait(self, epoch: str, timeout: float) -> tuple[str, bool]:
        """The epoch once it differs from `epoch` (or `timeout` passed), and whether only CSS."""
        with self._changed:
            self._changed.wait_for(lambda: self.epoch != epoch or self._closed, timeout)
            return self.epoch, self.css_only

    def snapshot(self) -> tuple[str, tuple[Problem, ...]]:
        with self._changed:
            return self.epoch, self.problems

    def close(self) -> None:
        with self._changed:
            self._closed = True
            self._changed.notify_all()


def inject(page: bytes, epoch: str, problems: tuple[Problem, ...]) -> bytes:
    """The page with the reload script (and the overlay, if any) before its last </body>."""
    snippet = (overlay(problems) + reload_script(epoch)).encode("utf-8")
    ends = list(_BODY_END.finditer(page))
    at = ends[-1].start() if ends else len(page)
    return page[:at] + snippet + page[at:]


def overlay(problems: tuple[Problem, ...]) -> str:
    if not problems:
        return ""
    items = "".join(f"<li>{html.escape(str(p))}</li>" for p in problems)
    close = html.escape(tr("Close"))
    return (
        '<div id="sitegen-overlay" role="alert" style="position:fixed;inset:0 0 auto 0;'
        "z-index:2147483647;max-height:70vh;overflow:auto;margin:0;padding:1rem 1.25rem;"
        "background:#1b1b1f;color:#ffd7d5;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;"
        'border-bottom:4px solid #e5484d;text-align:left;white-space:pre-wrap">'
        f'<button type="button" onclick="this.parentNode.remove()" '
        f'aria-label="{close}" '
        'style="float:right;border:0;background:none;color:#fff;font-size:20px;cursor:pointer">'
        "&times;</button>"
        '<strong style="color:#fff">'
        + html.escape(tr("sitegen: the build failed, so this page is not up to date. Fix "
                         "these problems and it reloads by itself:")) + "</strong>"
        f'<ol style="margin:.5rem 0 0;padding-left:1.5rem">{items}</ol></div>'
    )


def reload_script(epoch: str) -> str:
    # A CSS-only build swaps the stylesheet links (their names carry a content hash)
    # for those of the freshly built page, so the reader keeps the scroll position.
    return f"""<script id="sitegen-reload">(() => {{
  let epoch = {json.dumps(epoch)};
  const pause = ms => new Promise(done => setTimeout(done, ms));
  const sheets = doc => [...doc.querySelectorAll('link[rel="stylesheet"]')];
  async function restyle() {{
    const text = await (await fetch(location.href, {{cache: "no-store"}})).text();
    const fresh = sheets(new DOMParser().parseFromString(text, "text/html"));
    const old = sheets(document);
    if (fresh.length !== old.length) return false;
    old.forEach((link, i) => link.setAttribute("href", fresh[i].getAttribute("href")));
    return true;
  }}
  (async () => {{
    for (;;) {{
      try {{
        const answer = await fetch("{RELOAD_PATH}?epoch=" + encodeURIComponent(epoch),
                                   {{cache: "no-store"}});
        const news = await answer.json();
        if (news.epoch === epoch) continue;
        if (news.css && await restyle()) {{ epoch = news.epoch; continue; }}
        location.reload();
        return;
      }} catch (error) {{
        await pause(1000);  // the server is restarting or busy: try again
      }}
    }}
  }})();
}})();</script>"""
