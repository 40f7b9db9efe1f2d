"""`check --external` cannot be turned against the network it runs in: only public
http(s) addresses unless allowed, no redirect to another scheme or to a private address,
one deadline per URL however slowly a server answers (issue 21), against real servers."""

from __future__ import annotations

import http.server
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitegen.outside_requests import Allowed, Asker
from tests.conftest import article, make_site
from tests.test_check import cli

TRICKLE_SECONDS = 30


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    asked: Counter[str]
    elsewhere: str


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Server

    def _answer(self) -> None:
        self.server.asked[self.path] += 1
        if self.path == "/netes":  # one byte of the status line every 0.2 s
            try:
                for _ in range(TRICKLE_SECONDS * 5):
                    self.wfile.write(b"H")
                    self.wfile.flush()
                    time.sleep(0.2)
            except OSError:
                pass  # the checker gave up, as it should
            return
        location = {"/ke-loopback": f"{self.server.elsewhere}/rahasia",
                    "/ke-ftp": "ftp://127.0.0.1/berkas",
                    "/ke-metadata": "http://169.254.169.254/latest/meta-data/",
                    "/ke-ada": "/ada"}.get(self.path)
        self.send_response(302 if location else 200 if self.path == "/ada" else 404)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_HEAD = do_GET = _answer

    def log_message(self, *args: object) -> None:
        pass


def _start() -> _Server:
    httpd = _Server(("127.0.0.1", 0), _Handler)
    httpd.asked, httpd.elsewhere = Counter(), ""
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


@pytest.fixture
def servers() -> Iterator[tuple[_Server, _Server]]:
    """The server the links name, and another loopback service it redirects to."""
    linked, private = _start(), _start()
    linked.elsewhere = f"http://localhost:{private.server_address[1]}"
    yield linked, private
    for httpd in (linked, private):
        httpd.shutdown()
        httpd.server_close()


@pytest.mark.slow
def test_redirects_to_loopback_and_ftp_are_refused_and_a_trickle_ends_on_time(
        tmp_path: Path, servers: tuple[_Server, _Server]) -> None:
    linked, private = servers
    there = f"http://127.0.0.1:{linked.server_address[1]}"
    site = make_site(tmp_path, {"content/ekonomi/a.md": article("A", body=f"""\
        [a]({there}/ke-loopback) [b]({there}/ke-ftp) [c]({there}/ke-metadata)

        [d]({there}/netes) [e]({there}/ke-ada)
        """)})
    started = time.monotonic()
    result = cli("check", "--source", str(site), "--external", "--timeout", "1",
                 "--allow-private", f"127.0.0.1:{linked.server_address[1]}")
    took = time.monotonic() - started
    assert result.returncode == 1, result.stderr
    lines = sorted(line for line in result.stderr.splitlines() if "outside link" in line)
    at = "content/ekonomi/a.md:6: warning: outside link"
    assert lines == sorted([
        f"{at} {there}/ke-loopback: localhost is a loopback, private or link-local address "
        "(127.0.0.1): not asked; to check links to your own network, allow it with "
        "--allow-private",
        f"{at} {there}/ke-ftp: redirects to ftp://127.0.0.1/berkas, which is not http or "
        "https: not followed",
        f"{at} {there}/ke-metadata: 169.254.169.254 is a loopback, private or link-local "
        "address (169.254.169.254): not asked; to check links to your own network, allow "
        "it with --allow-private",
        f"content/ekonomi/a.md:8: warning: outside link {there}/netes: no answer within 1 s",
    ]), result.stderr
    assert not private.asked, "the redirect to another loopback service was not followed"
    assert linked.asked["/ada"] == 1, "an allowed redirect within the allowed host is followed"
    # The build and four URLs at once, with a trickle that would last 30 s.
    assert took < TRICKLE_SECONDS / 2, took


@pytest.mark.slow  # three checks of a site through the CLI
def test_loopback_is_not_asked_unless_allowed(tmp_path: Path,
                                              servers: tuple[_Server, _Server]) -> None:
    linked, _ = servers
    there = f"http://127.0.0.1:{linked.server_address[1]}"
    site = make_site(tmp_path, {"content/ekonomi/a.md": article("A", body=f"[a]({there}/ada)")})
    result = cli("check", "--source", str(site), "--external")
    assert f"outside link {there}/ada: 127.0.0.1 is a loopback, private or link-local " \
           "address (127.0.0.1): not asked" in result.stderr
    assert not linked.asked
    assert cli("check", "--source", str(site), "--external",
               "--allow-private", "127.0.0.0/8").returncode == 0
    assert linked.asked["/ada"] == 1
    bad = cli("check", "--source", str(site), "--external", "--allow-private", "10.0.0.0/99")
    assert bad.returncode == 2 and "--allow-private" in bad.stderr


def test_one_deadline_covers_a_whole_url_however_slowly_it_answers(
        servers: tuple[_Server, _Server]) -> None:
    linked, _ = servers
    asker = Asker(0.8, Allowed.parse(["127.0.0.1"]), "test")
    started = time.monotonic()
    assert asker.ask(f"http://127.0.0.1:{linked.server_address[1]}/netes") == \
        "no answer within 0.8 s"
    assert time.monotonic() - started < 1.5


@pytest.mark.parametrize("url", ["http://10.1.2.3/", "http://[::1]:9/", "http://0.0.0.0:9/",
                                 "https://192.168.1.1/", "http://[fe80::1]/",
                                 "http://[::ffff:127.0.0.1]/", "http://224.0.0.1/"])
def test_private_addresses_are_refused_without_a_connection(url: str) -> None:
    answer = Asker(5, Allowed(), "test").ask(url)
    assert answer is not None and "not asked" in answer, answer


def test_only_http_and_https_are_asked() -> None:
    assert Asker(5, Allowed(), "test").ask("ftp://example.org/x") == \
        "ftp://example.org/x is not http or https: not asked"
