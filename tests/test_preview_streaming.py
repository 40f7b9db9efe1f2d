"""The preview streams files with `Range` support and bounded memory (issue 21): a 200 MB
video downloaded four times at once by a real `sitegen serve` process costs it a few
chunks of memory, not 800 MB; a player's seek gets 206 and exactly the bytes asked for."""

from __future__ import annotations

import http.client
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from sitegen import byte_ranges
from tests.conftest import article, make_site
from tests.test_serve import ServeProcess

SIZE = 200 * 1024 * 1024
MIDDLE = 100 * 1024 * 1024


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def _get(address: tuple[str, int], path: str, headers: dict[str, str] | None = None,
         ) -> tuple[int, dict[str, str], int, bytes]:
    """(status, headers, bytes received, the first 64 bytes), reading a chunk at a time."""
    connection = http.client.HTTPConnection(*address, timeout=60)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    received, first = 0, b""
    while chunk := response.read(1024 * 1024):
        first = first or chunk[:64]
        received += len(chunk)
    connection.close()
    return response.status, dict(response.getheaders()), received, first


@pytest.mark.slow
def test_a_200_mb_file_is_streamed_with_bounded_memory_and_ranges(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"content/ekonomi/a.md": article("A")})
    video = site / "content/static/video/banjir.mp4"
    video.parent.mkdir(parents=True)
    with open(video, "wb") as stream:  # sparse: no 200 MB written by the test itself
        stream.truncate(SIZE)
        stream.seek(MIDDLE)
        stream.write(b"TENGAH")
        stream.seek(SIZE - 5)
        stream.write(b"AKHIR")
    server = ServeProcess(site, "--jobs", "1")
    try:
        url = urlsplit(server.wait_for_line("sitegen: serving ").split()[2])
        address = (url.hostname or "", url.port or 80)
        pid = server.process.pid
        before = _rss_kib(pid)
        peak = [before]
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                peak[0] = max(peak[0], _rss_kib(pid))
                time.sleep(0.02)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        results: list[tuple[int, dict[str, str], int, bytes]] = []
        downloads = [threading.Thread(target=lambda: results.append(
            _get(address, "/video/banjir.mp4"))) for _ in range(4)]
        for download in downloads:
            download.start()
        for download in downloads:
            download.join(120)
        done.set()
        sampler.join()
        assert [(status, received) for status, _, received, _ in results] == [(200, SIZE)] * 4
        assert all(h["Accept-Ranges"] == "bytes" and h["Content-Length"] == str(SIZE)
                   for _, h, _, _ in results)
        grew = (peak[0] - before) / 1024
        assert grew < 40, f"the serve process grew by {grew:.0f} MB for 4 x 200 MB"
        status, headers, received, first = _get(
            address, "/video/banjir.mp4", {"Range": f"bytes={MIDDLE}-{MIDDLE + 5}"})
        assert (status, first, received) == (206, b"TENGAH", 6)
        assert headers["Content-Range"] == f"bytes {MIDDLE}-{MIDDLE + 5}/{SIZE}"
        assert _get(address, "/video/banjir.mp4", {"Range": "bytes=-5"})[::3] == (206, b"AKHIR")
        status, headers, _, _ = _get(address, "/video/banjir.mp4", {"Range": f"bytes={SIZE}-"})
        assert status == 416 and headers["Content-Range"] == f"bytes */{SIZE}"
        # Several ranges at once are answered with the whole file, as RFC 9110 allows.
        assert _get(address, "/video/banjir.mp4", {"Range": "bytes=0-1,5-6"})[0] == 200
    finally:
        server.kill()


@pytest.mark.parametrize(("header", "expected"), [
    ("bytes=0-99", (0, 99)), ("bytes=10-", (10, 999)), ("bytes=-100", (900, 999)),
    ("bytes=990-5000", (990, 999)), ("bytes=1000-", byte_ranges.UNSATISFIABLE),
    ("bytes=-0", byte_ranges.UNSATISFIABLE), ("bytes=5-1", None), ("items=0-1", None),
    ("bytes=0-1,3-4", None), ("bytes=-", None), (None, None)])
def test_byte_ranges(header: str | None, expected: object) -> None:
    assert byte_ranges.parse(header, 1000) == expected
