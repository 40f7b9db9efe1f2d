"""The preview answers only its own names, and many connections at once, over real HTTP."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitegen import livereload
from sitegen.preview_requests import host_allowed
from sitegen.serve import Preview, ServeOptions
from tests.conftest import NOW, article, make_site

TIMEOUT = 60.0


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[Preview]:
    site = make_site(tmp_path / "site", {
        "content/ekonomi/rahasia.md": article("Embargo Rahasia", draft=True,
                                              body="Isi yang belum boleh terbit."),
    })
    running = Preview(site, ServeOptions(port=0, now=NOW, jobs=1), echo=lambda *_: None)
    running.start()
    yield running
    running.stop()


def ask(preview: Preview, host: str | None, path: str = "/ekonomi/rahasia/") -> bytes:
    """The whole answer to one request with this Host header (None: no Host at all)."""
    address = preview.server.server_address[:2]
    with socket.create_connection(address, timeout=TIMEOUT) as connection:
        header = f"Host: {host}\r\n" if host is not None else ""
        connection.sendall(f"GET {path} HTTP/1.1\r\n{header}Connection: close\r\n\r\n".encode())
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_a_foreign_host_gets_403_and_no_page_bytes(preview: Preview) -> None:
    port = preview.server.server_address[1]
    for host in ("evil.example", f"evil.example:{port}", f"127.0.0.1.evil.example:{port}",
                 f"localhost:{port + 1}", "localhost"):
        answer = ask(preview, host)
        assert answer.startswith(b"HTTP/1.1 403"), (host, answer[:80])
        assert b"Embargo" not in answer and b"belum boleh" not in answer
        assert b"sitegen-reload" not in answer
    assert ask(preview, "evil.example", "/_sitegen/reload?epoch=x").startswith(b"HTTP/1.1 403")
    assert ask(preview, None).startswith(b"HTTP/1.1 400")
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LOCALHOST:{port}"):
        answer = ask(preview, host)
        assert answer.startswith(b"HTTP/1.1 200") and b"Embargo Rahasia" in answer, host


def test_the_hosts_a_preview_answers() -> None:
    assert host_allowed("[::1]:8000", "::1", 8000)
    assert host_allowed("192.168.1.20:8000", "192.168.1.20", 8000)
    assert host_allowed("10.0.0.5:8000", "0.0.0.0", 8000)  # listening everywhere: any address
    assert not host_allowed("rebind.example:8000", "0.0.0.0", 8000)
    assert not host_allowed("192.168.1.20:8000", "127.0.0.1", 8000)
    assert host_allowed("localhost", "127.0.0.1", 80)
    assert not host_allowed("localhost", "127.0.0.1", 8000)
    assert not host_allowed("", "127.0.0.1", 8000)


def test_200_concurrent_connections_are_all_answered(preview: Preview) -> None:
    address = preview.server.server_address[:2]
    port = address[1]
    # All open at once, each also holding its connection open afterwards (keep-alive),
    # as 200 browser tabs would, plus the long-polls of 20 of them.
    connections = [socket.create_connection(address, timeout=TIMEOUT) for _ in range(200)]
    polls = [socket.create_connection(address, timeout=TIMEOUT) for _ in range(20)]
    try:
        epoch = preview.state.epoch
        for poll in polls:
            poll.sendall(f"GET /_sitegen/reload?epoch={epoch} HTTP/1.1\r\n"
                         f"Host: 127.0.0.1:{port}\r\n\r\n".encode())
        for connection in connections:
            connection.sendall(f"GET /ekonomi/rahasia/ HTTP/1.1\r\nHost: 127.0.0.1:{port}"
                               "\r\n\r\n".encode())
        answered = 0
        for connection in connections:
            reader = connection.makefile("rb")
            assert reader.readline().startswith(b"HTTP/1.1 200")
            answered += 1
        assert answered == 200
    finally:
        for connection in connections + polls:
            connection.close()


def test_an_idle_connection_is_closed(preview: Preview, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(livereload.PreviewHandler, "timeout", 0.5)
    address = preview.server.server_address[:2]
    with socket.create_connection(address, timeout=TIMEOUT) as connection:
        started = time.monotonic()
        connection.sendall(b"GET / HTTP/1.1\r\n")  # a slow client that never finishes
        assert connection.recv(100) == b""  # the server hung up
        assert time.monotonic() - started < 10


def test_the_pool_never_runs_more_threads_than_its_limit() -> None:
    running, peak, lock = [0], [0], threading.Lock()
    done = threading.Semaphore(0)

    def work(_: object) -> None:
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.05)
        with lock:
            running[0] -= 1
        done.release()

    pool = livereload._Pool(4, work)
    for job in range(40):
        pool.submit(job)
    for _ in range(40):
        assert done.acquire(timeout=TIMEOUT)
    assert peak[0] == 4 and pool.threads == 4


def test_the_listen_backlog_is_raised() -> None:
    assert livereload.PreviewServer.request_queue_size >= 200
