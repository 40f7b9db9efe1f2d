"""The live preview over real HTTP on 127.0.0.1: serving, safety, rebuilds, the overlay."""

from __future__ import annotations

import contextlib
import http.client
import os
import queue
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitegen import preview_reload, preview_requests
from sitegen.build import BuildOptions, BuildReport, build
from sitegen.cli import main
from sitegen.config import Config
from sitegen.errors import Problem
from sitegen.preview_options import exposure_warning
from sitegen.serve import Preview, ServeOptions
from tests.conftest import BASIC_CONFIG, NOW, article, make_image, make_site

TIMEOUT = 60.0  # generous: the suite shares a loaded 2-core machine; conditions end it early


def wait_until(condition: Callable[[], object], what: str, timeout: float = TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        time.sleep(0.05)


def settled(preview: Preview, condition: Callable[[], object], what: str) -> None:
    """Wait until `condition` holds and the build that made it so has finished.

    A build replaces files one by one: the first changed file can be served
    before the last one is written.
    """
    wait_until(lambda: condition() and preview.idle(), what)


def fetch(url: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def raw_get(preview: Preview, path: str) -> tuple[int, bytes]:
    """A request with the path sent exactly as written (urllib would normalise it)."""
    host, port = preview.server.server_address[:2]
    connection = http.client.HTTPConnection(host, port, timeout=TIMEOUT)
    connection.putrequest("GET", path, skip_accept_encoding=True)
    connection.endheaders()
    response = connection.getresponse()
    status, body = response.status, response.read()
    connection.close()
    return status, body


class CountingBuilder:
    def __init__(self) -> None:
        self.calls = 0
        self.reports: list[BuildReport] = []
        self.options: list[BuildOptions] = []

    def __call__(self, config: Config, options: BuildOptions) -> BuildReport:
        self.calls += 1
        self.options.append(options)
        self.reports.append(build(config, options))
        return self.reports[-1]


def start_preview(site: Path, builder: Callable[[Config, BuildOptions], BuildReport] = build,
                  echo: Callable[[str, bool], None] = lambda message, problem: None,
                  **options: object) -> Preview:
    options = {"port": 0, "now": NOW, "jobs": 1, **options}
    preview = Preview(site, ServeOptions(**options),  # type: ignore[arg-type]
                      echo=echo, builder=builder)
    preview.start()
    return preview


THEME = {"themes/mine/theme.toml": 'extends = "default"\n',
         "themes/mine/static/css/extra.css": "body { color: black; }\n"}
CONFIG = """\
[site]
title = "Warta Uji"
base_url = "https://example.org/"

[build]
theme = "mine"
"""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = make_site(tmp_path / "site", {
        "content/ekonomi/harga-cabai.md": article("Harga Cabai Naik", tags=["Pangan"]),
        "content/ekonomi/rancangan.md": article("Rancangan Rahasia", draft=True),
        "content/nasional/banjir.md": article("Banjir Rob", date="2026-11-21 09:00"),
        **THEME,
    }, config=CONFIG)
    make_image(root / "content/static/images/foto.jpg", (40, 20))
    return root


@pytest.fixture
def preview(site: Path) -> Iterator[Preview]:
    running = start_preview(site)
    yield running
    running.stop()


def page(preview: Preview, path: str) -> str:
    return fetch(preview.url + path.lstrip("/"))[2].decode("utf-8")


def test_pages_get_the_reload_script_and_the_built_files_do_not(preview: Preview) -> None:
    status, headers, body = fetch(preview.url)
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert b'<script id="sitegen-reload">' in body and preview_reload.RELOAD_PATH.encode() in body
    assert body.index(b"sitegen-reload") < body.rindex(b"</body>")
    assert b"Harga Cabai Naik" in body and b"Rancangan Rahasia" in body  # drafts by default
    built = [p for p in preview.folder.rglob("*") if p.is_file()]
    assert len(built) > 10
    for path in built:
        assert b"sitegen-reload" not in path.read_bytes(), path
        assert b"/_sitegen/" not in path.read_bytes(), path


def test_the_preview_links_to_itself_and_never_touches_output(preview: Preview, site: Path) -> None:
    body = page(preview, "/ekonomi/harga-cabai/")
    assert f'href="{preview.url}ekonomi/harga-cabai/"' in body  # the canonical link
    assert "example.org" not in body
    assert not (site / "output").exists()
    assert preview.folder == site.resolve() / ".sitegen/serve"


def test_no_drafts_leaves_drafts_out(site: Path) -> None:
    running = start_preview(site, drafts=False)
    try:
        body = page(running, "/")
        assert "Harga Cabai Naik" in body and "Rancangan Rahasia" not in body
    finally:
        running.stop()


@pytest.mark.parametrize("search", [True, False])
def test_the_search_index_is_built_only_when_asked_for(site: Path, search: bool) -> None:
    running = start_preview(site, **({"search": True} if search else {}))
    try:
        assert (running.folder / "pagefind/pagefind.js").is_file() == search
        assert ('class="search-link" href="/cari/"' in page(running, "/")) == search
    finally:
        running.stop()


def test_content_types(preview: Preview) -> None:
    samples = {"x.svg": b"<svg xmlns='http://www.w3.org/2000/svg'/>", "x.webp": b"RIFF",
               "x.avif": b"avif", "x.woff": b"wOFF", "x.woff2": b"wOF2", "x.json": b"{}",
               "x.xml": b"<a/>", "x.png": b"png", "x.unknown": b"?"}
    for name, data in samples.items():
        (preview.folder / name).write_bytes(data)
    css = next(p for p in preview.folder.rglob("*.css")).relative_to(preview.folder).as_posix()
    expected = {"/": "text/html; charset=utf-8", "/images/foto.jpg": "image/jpeg",
                f"/{css}": "text/css; charset=utf-8", "/x.svg": "image/svg+xml",
                "/x.webp": "image/webp", "/x.avif": "image/avif", "/x.woff": "font/woff",
                "/x.woff2": "font/woff2", "/x.json": "application/json",
                "/x.xml": "application/xml", "/x.png": "image/png",
                "/x.unknown": "application/octet-stream"}
    for path, kind in expected.items():
        status, headers, body = fetch(preview.url + path.lstrip("/"))
        assert (status, headers["Content-Type"]) == (200, kind), path
        if not kind.startswith("text/html"):  # only HTML gets the script
            assert body == (preview.folder / path.lstrip("/")).read_bytes(), path
    assert preview_requests.content_type("app.JS") == "text/javascript; charset=utf-8"


def test_a_folder_is_served_by_its_index_and_redirected_to_its_slash(preview: Preview) -> None:
    status, _, body = fetch(preview.url + "ekonomi/")
    assert status == 200 and b"Harga Cabai Naik" in body
    host, port = preview.server.server_address[:2]
    connection = http.client.HTTPConnection(host, port, timeout=TIMEOUT)
    connection.request("GET", "/ekonomi?halaman=2")
    response = connection.getresponse()
    assert response.status == 302 and response.getheader("Location") == "/ekonomi/?halaman=2"
    connection.close()


def test_a_missing_page_gets_the_sites_404_page_with_status_404(preview: Preview) -> None:
    status, headers, body = fetch(preview.url + "tidak/ada/")
    assert status == 404 and headers["Content-Type"] == "text/html; charset=utf-8"
    on_disk = (preview.folder / "404.html").read_bytes()
    assert body == preview_reload.inject(on_disk, preview.state.epoch, ())
    assert b'class="not-found"' in body


def test_head_sends_the_headers_of_get_without_a_body(preview: Preview) -> None:
    for path in ("", "images/foto.jpg", "tidak-ada/"):
        got = fetch(preview.url + path)
        head = fetch(preview.url + path, method="HEAD")
        assert head[0] == got[0] and head[2] == b""
        assert head[1]["Content-Length"] == got[1]["Content-Length"] == str(len(got[2]))
        assert head[1]["Content-Type"] == got[1]["Content-Type"]


TRAVERSALS = [
    "/../secret.txt", "/../../secret.txt", "/ekonomi/../../../secret.txt",
    "/%2e%2e/secret.txt", "/%2E%2E/%2e%2e/secret.txt", "/.%2e/.%2E/secret.txt",
    "/%2e%2e%2fsecret.txt", "/ekonomi/..%2f..%2f..%2fsecret.txt", "/%2F..%2F..%2Fsecret.txt",
    "/..%5c..%5csecret.txt", "/..\\..\\secret.txt", "/ekonomi\\..\\..\\..\\secret.txt",
    "/%252e%252e/secret.txt", "/link-out/secret.txt", "/secret-link.txt",
    "/ekonomi/%00/../../secret.txt", "/%ff%fe/secret.txt", "secret.txt",
    "http://127.0.0.1/../secret.txt",
]


def test_nothing_outside_the_served_folder_is_ever_sent(preview: Preview, site: Path) -> None:
    secret = b"kata sandi redaksi"
    # The served folder is site/.sitegen/serve: put the secret two and three levels up.
    for folder in (site / ".sitegen", site, site.parent):
        (folder / "secret.txt").write_bytes(secret)
    (preview.folder / "link-out").symlink_to(site.parent, target_is_directory=True)
    (preview.folder / "secret-link.txt").symlink_to(site.parent / "secret.txt")
    for path in TRAVERSALS:
        status, body = raw_get(preview, path)
        assert status in (400, 403, 404), path
        assert secret not in body, path


def test_bad_requests_get_400_and_no_traceback(preview: Preview,
                                               capfd: pytest.CaptureFixture[str]) -> None:
    host, port = preview.server.server_address[:2]
    for request in (b"NONSENSE\r\n\r\n", b"GET\r\n\r\n", b"GET /%zz HTTP/1.1\r\n\r\n",
                    b"GET / HTTP/1.1 extra\r\n\r\n", b"GET / HTTP/x.y\r\n\r\n"):
        with socket.create_connection((host, port), timeout=TIMEOUT) as connection:
            connection.sendall(request)
            answer = connection.makefile("rb").readline()
        assert answer.split()[1] == b"400", (request, answer)
    assert fetch(preview.url)[0] == 200
    assert "Traceback" not in capfd.readouterr().err


def test_a_client_that_disconnects_mid_response_does_not_disturb_the_server(
        preview: Preview, capfd: pytest.CaptureFixture[str]) -> None:
    (preview.folder / "besar.bin").write_bytes(b"x" * 20_000_000)
    host, port = preview.server.server_address[:2]
    for _ in range(3):
        connection = socket.create_connection((host, port), timeout=TIMEOUT)
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        connection.sendall(f"GET /besar.bin HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode())
        connection.recv(100)
        # Close with a reset, as a browser tab that is closed mid-download does.
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        connection.close()
    assert fetch(preview.url)[0] == 200
    assert "Traceback" not in capfd.readouterr().err


def test_the_reload_endpoint_answers_when_a_build_finishes(preview: Preview, site: Path) -> None:
    before = preview.state.epoch
    url = f"{preview.url}_sitegen/reload?epoch={before}"
    answers: list[bytes] = []
    waiting = threading.Thread(target=lambda: answers.append(fetch(url)[2]))
    waiting.start()
    (site / "content/ekonomi/harga-cabai.md").write_text(article("Harga Cabai Turun"))
    waiting.join(TIMEOUT)
    assert answers and f'"epoch": "{before}"'.encode() not in answers[0]
    assert "Harga Cabai Turun" in page(preview, "/ekonomi/harga-cabai/")
    # A tab holding an old epoch is told at once.
    assert fetch(url)[2].startswith(b'{"epoch": "' + preview.state.epoch.encode())


def test_a_burst_of_200_writes_causes_at_most_2_rebuilds(site: Path) -> None:
    builder = CountingBuilder()
    running = start_preview(site, builder)
    try:
        assert builder.calls == 1
        for number in range(200):
            path = site / f"content/nasional/berita-{number:03d}.md"
            path.write_text(article(f"Berita {number:03d}", tags=["Ledakan"]))
        written = [running.folder / f"nasional/berita-{n:03d}/index.html" for n in range(200)]
        wait_until(lambda: all(p.exists() for p in written), "every new article is built")
        wait_until(running.idle, "the preview is idle")
        assert 2 <= builder.calls <= 3, builder.calls
    finally:
        running.stop()


def test_a_rebuild_after_one_edit_renders_only_what_changed(site: Path) -> None:
    source = site / "content/ekonomi/harga-cabai.md"
    source.write_text(article("Harga Cabai Naik", body="Ringkasan.\n\nParagraf kedua."))
    builder = CountingBuilder()
    # The real clock: the preview must hold it still, or every page would change.
    running = start_preview(site, builder, now=None)
    try:
        source.write_text(article("Harga Cabai Naik", body="Ringkasan.\n\nParagraf diubah."))
        wait_until(lambda: "Paragraf diubah" in page(running, "/ekonomi/harga-cabai/"), "rebuilt")
        wait_until(lambda: len(builder.reports) == 2, "the rebuild's report")
        first, last = builder.reports
        assert builder.options[0].now == builder.options[1].now
        # One build state, kept in memory across the preview's builds.
        assert builder.options[0].state is builder.options[1].state is not None
        assert "index.html" in first.rendered and len(first.planned) > 20
        # Its own page, of all the HTML pages (feeds carry the body, so they change too),
        # read, planned and rendered before the build (body_edits.py), from one source.
        early = running.early
        assert early is not None and early.sources == ["content/ekonomi/harga-cabai.md"]
        assert [p for p in early.planned if p.endswith(".html")] == [
            "ekonomi/harga-cabai/index.html"]
        assert set(early.planned) - {"ekonomi/harga-cabai/index.html"} <= {
            f"{folder}{name}" for folder in ("", "ekonomi/")
            for name in ("feed.xml", "atom.xml", "feed.json")}
        # The build after it had nothing left to plan (deps.py): no other page's context.
        assert last.planned == [] and last.rendered == []
    finally:
        running.stop()


def test_structural_changes(preview: Preview, site: Path) -> None:
    new = site / "content/ekonomi/ekspor-rotan.md"
    new.write_text(article("Ekspor Rotan Melonjak", tags=["Pangan"]))
    for path in ("/", "/ekonomi/", "/tag/pangan/"):
        settled(preview, lambda p=path: "Ekspor Rotan Melonjak" in page(preview, p),
                f"the new article is listed on {path}")
    assert fetch(preview.url + "ekonomi/ekspor-rotan/")[0] == 200

    new.rename(site / "content/nasional/ekspor-rotan.md")  # moved to another section
    settled(preview, lambda: fetch(preview.url + "nasional/ekspor-rotan/")[0] == 200, "it moved")
    assert fetch(preview.url + "ekonomi/ekspor-rotan/")[0] == 404
    assert "Ekspor Rotan Melonjak" not in page(preview, "/ekonomi/")

    (site / "content/nasional/ekspor-rotan.md").unlink()
    settled(preview, lambda: fetch(preview.url + "nasional/ekspor-rotan/")[0] == 404, "it is gone")
    for path in ("/", "/nasional/", "/tag/pangan/"):
        assert "Ekspor Rotan Melonjak" not in page(preview, path), path


def test_a_changed_template_re_renders_the_pages_that_use_it(preview: Preview, site: Path) -> None:
    template = site / "themes/mine/templates/article.html"
    template.parent.mkdir(parents=True)
    template.write_text('{% extends "default/article.html" %}'
                        '{% block main %}<p class="tanda">Versi Uji</p>{{ super() }}{% endblock %}')
    settled(preview, lambda: "Versi Uji" in page(preview, "/ekonomi/harga-cabai/"), "re-rendered")
    assert "Versi Uji" not in page(preview, "/")


def test_a_css_only_change_is_announced_as_such(preview: Preview, site: Path) -> None:
    before = preview.state.epoch
    (site / "themes/mine/static/css/extra.css").write_text("body { color: navy; }\n")
    wait_until(lambda: preview.state.epoch != before, "a build was published")
    assert preview.state.css_only
    before = preview.state.epoch
    (site / "content/ekonomi/harga-cabai.md").write_text(article("Harga Cabai Stabil"))
    wait_until(lambda: preview.state.epoch != before, "a build was published")
    assert not preview.state.css_only


def test_broken_front_matter_shows_an_escaped_overlay_until_fixed(
        preview: Preview, site: Path) -> None:
    good = (site / "content/ekonomi/harga-cabai.md").read_text()
    broken = site / "content/ekonomi/a<i>b.md"
    broken.write_text("---\ntitle: Judul\ndate: [2026\n---\nIsi\n")
    wait_until(lambda: "sitegen-overlay" in page(preview, "/ekonomi/harga-cabai/"), "overlay")
    body = page(preview, "/ekonomi/harga-cabai/")
    assert "content/ekonomi/a&lt;i&gt;b.md:4: invalid YAML" in body
    assert "<i>" not in body
    assert "Harga Cabai Naik" in body  # still the last good page
    assert "sitegen-overlay" in page(preview, "/tidak-ada/")  # on every HTML page, 404 too
    assert not any(b"sitegen-overlay" in p.read_bytes()
                   for p in preview.folder.rglob("*.html"))
    broken.write_text("---\ntitle: Judul Baru\ndate: 2026-11-22\n---\nIsi\n")
    wait_until(lambda: "sitegen-overlay" not in page(preview, "/"), "the overlay is gone")
    assert "Judul Baru" in page(preview, "/") and good


def test_the_terminal_shows_the_same_problems(site: Path) -> None:
    printed: list[tuple[str, bool]] = []
    running = start_preview(site, echo=lambda message, problem: printed.append((message, problem)))
    try:
        (site / "content/ekonomi/harga-cabai.md").write_text("---\ntitle: A: B\n---\n")
        wait_until(lambda: running.state.problems, "the build failed")
        problem = str(running.state.problems[0])
        assert problem.startswith("content/ekonomi/harga-cabai.md:2: invalid YAML")
        assert (problem, True) in printed
    finally:
        running.stop()


def test_a_crashing_build_is_shown_and_the_preview_goes_on(site: Path) -> None:
    def crash_once_edited(config: Config, options: BuildOptions) -> BuildReport:
        if "Meledak" in (site / "content/ekonomi/harga-cabai.md").read_text():
            raise RuntimeError("bug in a stage")
        return build(config, options)

    running = start_preview(site, crash_once_edited)
    try:
        (site / "content/ekonomi/harga-cabai.md").write_text(article("Meledak"))
        wait_until(lambda: "sitegen-overlay" in page(running, "/"), "the overlay")
        assert "internal error: RuntimeError: bug in a stage" in page(running, "/")
        (site / "content/ekonomi/harga-cabai.md").write_text(article("Pulih"))
        wait_until(lambda: "Pulih" in page(running, "/") and running.idle(), "recovered")
        assert "sitegen-overlay" not in page(running, "/")
    finally:
        running.stop()


def test_overlay_escapes_messages() -> None:
    problems = (Problem("content/a.md", 3, "bad <script>alert(1)</script> & more"),)
    html = preview_reload.overlay(problems)
    assert "content/a.md:3: bad &lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html
    assert "<script>" not in html


def test_a_changed_config_is_re_read_and_an_invalid_one_keeps_the_last_good(
        preview: Preview, site: Path) -> None:
    config = site / "sitegen.toml"
    config.write_text(CONFIG.replace("Warta Uji", "Warta Baru"))
    wait_until(lambda: "Warta Baru" in page(preview, "/"), "the new title shows")
    config.write_text(CONFIG.replace("Warta Uji", "Warta Baru") + "\n[build]\ntheme = 3\n")
    wait_until(lambda: "sitegen-overlay" in page(preview, "/"), "the overlay shows")
    body = page(preview, "/")
    assert "sitegen.toml:8: invalid TOML" in body and "Warta Baru" in body
    config.write_text(CONFIG.replace("Warta Uji", "Warta Lagi"))
    wait_until(lambda: "Warta Lagi" in page(preview, "/"), "the fixed config is used")
    wait_until(lambda: "sitegen-overlay" not in page(preview, "/"), "the overlay is gone")


def test_a_site_that_never_built_serves_the_overlay(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"content/ekonomi/a.md": "---\ntitle: [\n---\n"})
    running = start_preview(site)
    try:
        status, _, body = fetch(running.url)
        assert status == 404 and b"content/ekonomi/a.md:3: invalid YAML" in body
        (site / "content/ekonomi/a.md").write_text(article("Sudah Benar"))
        wait_until(lambda: "Sudah Benar" in page(running, "/"), "the first good build")
    finally:
        running.stop()


def test_only_loopback_addresses_are_private() -> None:
    for host in ("127.0.0.1", "localhost", "::1", "127.0.0.2"):
        assert exposure_warning(host) is None
    for host in ("0.0.0.0", "::", "192.168.1.20", "example.org"):
        warning = exposure_warning(host)
        assert warning and "visible to other machines on the network" in warning


def child_processes(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:  # the parent's pid
                found.append(int(stat.parent.name))
    return found


class ServeProcess:
    """`sitegen serve` in a session of its own, as a terminal would run it."""

    def __init__(self, site: Path, *args: str, env: dict[str, str] | None = None) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "sitegen", "serve", "--source", str(site), "--port", "0",
             "--jobs", "2", *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
            env={**os.environ, **(env or {})})
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:  # type: ignore[union-attr]
            self.lines.put(line)

    def wait_for_line(self, start: str) -> str:
        while not (line := self.lines.get(timeout=TIMEOUT)).startswith(start):
            pass
        return line

    def wait_for_workers_or_line(self, start: str) -> None:
        """Until the build has worker processes (or, on a fast machine, finished)."""
        deadline = time.monotonic() + TIMEOUT
        while not child_processes(self.process.pid) and time.monotonic() < deadline:
            with contextlib.suppress(queue.Empty):
                if self.lines.get(timeout=0.001).startswith(start):
                    return

    def ctrl_c_stops_it_cleanly(self) -> None:
        os.killpg(self.process.pid, signal.SIGINT)  # what a terminal's Ctrl-C does
        _, errors = self.process.communicate(timeout=TIMEOUT)
        assert self.process.returncode == 0, errors
        assert "Traceback" not in errors and "KeyboardInterrupt" not in errors
        with pytest.raises(ProcessLookupError):
            os.killpg(self.process.pid, 0)  # nothing of the group is left

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()


@pytest.fixture
def big_site(tmp_path: Path) -> Path:
    """Enough pages that a full build uses the worker processes Ctrl-C must not orphan
    (about 160: workers.START_MIN is 128)."""
    return make_site(tmp_path / "site", {f"content/ekonomi/berita-{n}.md": article(f"Berita {n}")
                                         for n in range(100)})


def test_cli_serves_until_ctrl_c_and_leaves_no_process_behind(big_site: Path,
                                                              tmp_path: Path) -> None:
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser.py"
    browser.write_text(f"import sys, pathlib\n"
                       f"pathlib.Path({str(opened)!r}).write_text(sys.argv[1])\n")
    server = ServeProcess(big_site, "--open", env={"BROWSER": f"{sys.executable} {browser} %s"})
    try:
        url = server.wait_for_line("sitegen: serving ").split()[2]
        assert url.startswith("http://127.0.0.1:") and fetch(url)[0] == 200
        wait_until(lambda: opened.exists() and opened.read_text() == url, "--open opened the URL")
        before = fetch(url)[2]
        (big_site / "content/ekonomi/berita-0.md").write_text(article("Berita Nol"))
        wait_until(lambda: fetch(url)[2] != before, "the rebuild")
        # A new site title changes every page: Ctrl-C comes during that rebuild.
        (big_site / "sitegen.toml").write_text(BASIC_CONFIG.replace("Warta Uji", "Warta Baru"))
        server.wait_for_line("sitegen: changed: sitegen.toml")
        server.wait_for_workers_or_line("sitegen: built")
        server.ctrl_c_stops_it_cleanly()
    finally:
        server.kill()


def test_cli_ctrl_c_during_the_first_build_stops_cleanly(big_site: Path) -> None:
    server = ServeProcess(big_site)
    try:
        server.wait_for_workers_or_line("sitegen: serving ")
        server.ctrl_c_stops_it_cleanly()
    finally:
        server.kill()


def test_cli_reports_a_taken_port_and_warns_about_a_public_address(site: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        result = CliRunner().invoke(main, ["serve", "--source", str(site), "--port", port])
        assert result.exit_code == 1
        assert f"--host 127.0.0.1 --port {port}: cannot listen there" in result.output
        assert "Traceback" not in result.output
        # Binding every address fails too while the loopback one is taken: the warning
        # comes first, and nothing is ever exposed.
        result = CliRunner().invoke(main, ["serve", "--source", str(site), "--port", port,
                                           "--host", "0.0.0.0"])
        assert result.exit_code == 1
        assert "visible to other machines on the network" in result.output


def test_cli_serve_help_lists_every_option() -> None:
    result = CliRunner().invoke(main, ["serve", "--help"])
    for option in ("--source", "--host", "--port", "--open", "--poll", "--no-drafts",
                   "--search", "--jobs"):
        assert option in result.output
