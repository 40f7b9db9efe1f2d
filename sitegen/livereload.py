"""Layer 8. The preview's HTTP side: serve the built folder, reload tabs, show problems.

It knows nothing about building: the preview publishes each build's outcome to
a `PreviewState`, and every HTML response gets, at serve time only, a small
script that long-polls `RELOAD_PATH` (MkDocs' epoch scheme: stdlib only, no
WebSocket) plus, while the last build failed, an overlay naming each problem.
Nothing of this is ever written to disk, so the built files stay what
`sitegen build` would write.
"""

from __future__ import annotations

import html
import ipaddress
import json
import os
import re
import secrets
import socket
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import parse_qs, unquote

from sitegen import byte_ranges
from sitegen.errors import Problem
from sitegen.messages import tr

RELOAD_PATH = "/_sitegen/reload"
POLL_SECONDS = 20.0
"""How long one long-poll waits before answering 'nothing new' (proxies drop idle requests)."""
THREADS = 256
"""Connections served at once. Each open tab holds one in its reload long-poll and a
browser keeps a few idle ones open per host, so this is sized for 200 at once and more."""
BACKLOG = 256
IDLE_SECONDS = 15.0
"""A connection that sends nothing (idle keep-alive, or a slow client) for this long is closed."""
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")

# Fixed here rather than taken from `mimetypes`, which reads the machine's
# /etc/mime.types and so differs from one machine to the next.
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8", ".htm": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8", ".json": "application/json",
    ".map": "application/json", ".webmanifest": "application/manifest+json",
    ".xml": "application/xml", ".xsl": "application/xslt+xml", ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
    ".gif": "image/gif", ".webp": "image/webp", ".avif": "image/avif", ".ico": "image/x-icon",
    ".woff": "font/woff", ".woff2": "font/woff2", ".ttf": "font/ttf", ".otf": "font/otf",
    ".pdf": "application/pdf", ".wasm": "application/wasm", ".mp4": "video/mp4",
    ".webm": "video/webm", ".mp3": "audio/mpeg",
}
_FORBIDDEN_ESCAPES = re.compile(r"%(2f|5c|00)|%(?![0-9a-f]{2})", re.IGNORECASE)
_BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)
_NOT_FOUND_PAGE = (b"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>404</title></head>"
                   b"<body><h1>404</h1><p>Not built (yet).</p></body></html>")


INJECT_MAX = 16 * 1024 * 1024
"""HTML files up to this size get the reload script (read whole); bigger ones are streamed."""
def content_type(name: str) -> str:
    suffix = name[name.rfind("."):].lower() if "." in name else ""
    return CONTENT_TYPES.get(suffix, "application/octet-stream")


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


def safe_relative(url_path: str) -> str | None:
    """The file path a request names, relative to the served folder; None if it is not safe.

    Anything that could climb out or hide a separator is refused outright:
    `..` and `.` segments (also percent-encoded), encoded slashes and
    backslashes, backslashes, NUL bytes, malformed and undecodable escapes.
    """
    if not url_path.startswith("/") or "\\" in url_path or _FORBIDDEN_ESCAPES.search(url_path):
        return None
    try:
        decoded = unquote(url_path, errors="strict")
    except UnicodeDecodeError:
        return None
    parts = decoded.split("/")[1:]
    if any(part in {".", ".."} or "\x00" in part or "\\" in part for part in parts):
        return None
    return "/".join(parts)


def locate(folder: Path, relative: str) -> Path | None:
    """The file to send for `relative` (a folder means its index.html), never outside `folder`."""
    base = folder.resolve()
    target = (base / relative).resolve()  # follows symlinks, so one pointing outside is caught
    if not target.is_relative_to(base):
        return None
    if target.is_dir():
        target = target / "index.html"
    return target if target.is_file() else None


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


def host_allowed(header: str | None, listen: str, port: int) -> bool:
    """Whether a request's Host names this preview: its own address or a loopback name,
    with its port. Anything else is a page that resolved its own domain name to this
    machine (DNS rebinding) and must not read drafts."""
    if not header:
        return False
    name, _, given = header.strip().lower().rpartition(":")
    if not name or (":" in name and not name.endswith("]")):
        name, given = header.strip().lower(), ""  # no port, or a bare IPv6 address
    if given != str(port) and not (given == "" and port == 80):
        return False
    if name in LOOPBACK_NAMES or name == (f"[{listen}]" if ":" in listen else listen).lower():
        return True
    if listen in ("", "0.0.0.0", "::"):
        # Listening on every address: any address literal of this machine is its own;
        # a rebinding attack needs a domain name.
        try:
            ipaddress.ip_address(name.strip("[]"))
            return True
        except ValueError:
            return False
    return False


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"
    timeout = IDLE_SECONDS
    # Garbage is answered with a status line, not HTTP/0.9's bare body.
    default_request_version = "HTTP/1.0"
    server_version = "sitegen-preview"

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the terminal is for build results and problems."""

    def _answer(self, send_body: bool) -> None:
        try:
            self._route(send_body)
        except ConnectionError:
            raise  # the client went away; PreviewServer.handle_error stays quiet
        except Exception as exc:  # one bad request must not stop the preview
            print(f"sitegen: error answering {self.path!r}: {type(exc).__name__}: {exc}",
                  file=sys.stderr)
            self.send_error(HTTPStatus.INTERNAL_SERVER_ERROR)

    def _route(self, send_body: bool) -> None:
        host = self.headers.get("Host")
        if not host:
            self.send_error(HTTPStatus.BAD_REQUEST, "A Host header is required")
            return
        if not host_allowed(host, self.server.listen, self.server.server_address[1]):
            self.send_error(HTTPStatus.FORBIDDEN, "This preview answers only its own address")
            return
        path, _, query = self.path.partition("?")
        path = path.partition("#")[0]
        if path == RELOAD_PATH:
            epoch = parse_qs(query).get("epoch", [""])[0]
            current, css = self.server.state.wait(epoch, POLL_SECONDS)
            body = json.dumps({"epoch": current, "css": css}).encode()
            self._send(HTTPStatus.OK, "application/json", body, send_body)
            return
        relative = safe_relative(path)
        if relative is None:
            self.send_error(HTTPStatus.BAD_REQUEST, "Bad path")
            return
        folder = self.server.folder
        target = locate(folder, relative)
        if target is not None and relative and not relative.endswith("/") \
                and (folder / relative).is_dir():
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", path + "/" + (f"?{query}" if query else ""))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        status = HTTPStatus.OK
        if target is None:
            status, target = HTTPStatus.NOT_FOUND, locate(folder, "404.html")
        if target is None:
            self._send(status, content_type("404.html"), inject(
                _NOT_FOUND_PAGE, *self.server.state.snapshot()), send_body)
            return
        kind = content_type(target.name)
        with open(target, "rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            if kind.startswith("text/html") and size <= INJECT_MAX:
                body = inject(stream.read(), *self.server.state.snapshot())
                self._send(status, kind, body, send_body)
            else:
                self._stream(status, kind, stream, size, send_body)

    def _stream(self, status: HTTPStatus, kind: str, stream: BinaryIO, size: int,
                send_body: bool) -> None:
        """A file sent as it is read, a chunk at a time (a 200 MB video costs CHUNK of
        memory, not 200 MB per download), or the one byte range a `Range` header asks for
        (video players seek with it)."""
        start, end = 0, size - 1
        wanted = byte_ranges.parse(self.headers.get("Range"), size) if status == HTTPStatus.OK \
            and not self.headers.get("If-Range") else None
        if wanted == byte_ranges.UNSATISFIABLE:
            self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
            self.send_header("Content-Range", f"bytes */{size}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if isinstance(wanted, tuple):
            status, (start, end) = HTTPStatus.PARTIAL_CONTENT, wanted
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(end - start + 1))
        self.send_header("Accept-Ranges", "bytes")
        if status == HTTPStatus.PARTIAL_CONTENT:
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not send_body:
            return
        byte_ranges.copy(stream, self.wfile, start, end)

    def _send(self, status: HTTPStatus, kind: str, body: bytes, send_body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")  # a preview must never show a stale page
        self.end_headers()
        if send_body:
            self.wfile.write(body)


class PreviewServer(HTTPServer):
    """Serves `folder` with the live reload, from a bounded pool of threads."""

    request_queue_size = BACKLOG

    def __init__(self, host: str, port: int, folder: Path, state: PreviewState) -> None:
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.folder = folder
        self.state = state
        self.listen = host
        self.pool = _Pool(THREADS, self._serve_connection)
        super().__init__((host, port), PreviewHandler)

    def process_request(self, request: Any, client_address: Any) -> None:
        self.pool.submit((request, client_address))

    def _serve_connection(self, job: tuple[Any, Any]) -> None:
        request, client_address = job
        try:
            self.finish_request(request, client_address)
        except Exception:
            self.handle_error(request, client_address)
        finally:
            self.shutdown_request(request)

    def handle_error(self, request: object, client_address: object) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError | TimeoutError):
            return  # a tab closed mid-response: nothing is wrong with the preview
        print(f"sitegen: error answering {client_address}: {type(error).__name__}: {error}",
              file=sys.stderr)


class _Pool:
    """At most `limit` daemon threads, started as connections need them; further
    connections wait their turn. (ThreadPoolExecutor's threads are joined at exit, so an
    idle keep-alive connection would hold up Ctrl-C.)"""

    def __init__(self, limit: int, work: Callable[[Any], None]) -> None:
        self.limit, self.work = limit, work
        self.jobs: deque[Any] = deque()
        self.ready = threading.Condition()
        self.threads = self.idle = 0

    def submit(self, job: Any) -> None:
        with self.ready:
            self.jobs.append(job)
            if self.idle < len(self.jobs) and self.threads < self.limit:
                self.threads += 1
                threading.Thread(target=self._run, name="sitegen-http-worker",
                                 daemon=True).start()
            else:
                self.ready.notify()

    def _run(self) -> None:
        while True:
            with self.ready:
                self.idle += 1
                while not self.jobs:
                    self.ready.wait()
                self.idle -= 1
                job = self.jobs.popleft()
            self.work(job)
