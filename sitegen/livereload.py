"""Layer 8. The preview's HTTP server: serve the built folder from a bounded pool of
threads, answer the reload long-poll, add the reload script (and the overlay of
problems) to every HTML page as it is sent.

It knows nothing about building: the preview publishes each build's outcome to
a `preview_reload.PreviewState`; which file a request may read, and from which
Host, is `preview_requests`' answer.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import threading
from collections import deque
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import parse_qs

from sitegen import byte_ranges
from sitegen.preview_reload import POLL_SECONDS, RELOAD_PATH, PreviewState, inject
from sitegen.preview_requests import content_type, host_allowed, locate, safe_relative

THREADS = 256
"""Connections served at once. Each open tab holds one in its reload long-poll and a
browser keeps a few idle ones open per host, so this is sized for 200 at once and more."""
BACKLOG = 256
IDLE_SECONDS = 15.0
"""A connection that sends nothing (idle keep-alive, or a slow client) for this long is closed."""

_NOT_FOUND_PAGE = (b"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>404</title></head>"
                   b"<body><h1>404</h1><p>Not built (yet).</p></body></html>")
INJECT_MAX = 16 * 1024 * 1024
"""HTML files up to this size get the reload script (read whole); bigger ones are streamed."""


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
