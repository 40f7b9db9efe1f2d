"""`sitegen check` and the link checks of every build: internal links, images, fragments,
menu URLs, `.md` links rewritten to their pages, and `--external` against a real server."""

from __future__ import annotations

import http.server
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitegen.errors import SitegenError
from tests.conftest import REPO, article, build_site, make_image, make_site, read_tree
from tests.test_cms import npm_packs

CONFIG = """\
[site]
title = "Warta Uji"
base_url = "https://example.org/berita/"

[[menu]]
name = "Ekonomi"
url = "/ekonomi/"

[[menu]]
name = "Nasional"
url = "/nasionall/"
"""

BROKEN_BODY = """\
Lihat juga [banjir](../nasional/banjir.md#dampak) dan [cabai](harga-cabai.md).

Tautan [rusak](/nasional/tidak-ada/) dan [bagian](#tidak-ada).

![Foto pasar](/images/hilang.jpg)

<img alt="Pasar" src="/berita/images/ada.jpg"
  srcset="/berita/images/ada.jpg 1x, /berita/images/besar.jpg 2x">

## Dampak

Teks.
"""


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    return subprocess.run([sys.executable, "-m", "sitegen", *args], capture_output=True,
                          text=True, env=environment, timeout=120)


def broken_site(root: Path) -> Path:
    site = make_site(root, {
        "content/ekonomi/pasar.md": article("Pasar", body=BROKEN_BODY),
        "content/nasional/banjir.md": article("Banjir", slug="banjir-rob"),
        "content/ekonomi/harga-cabai.md": article("Harga cabai", "2026-11-19 09:00"),
    }, CONFIG)
    make_image(site / "content/static/images/ada.jpg", (40, 30))
    return site


def test_check_fails_on_each_broken_reference_naming_file_and_line(tmp_path: Path) -> None:
    site = broken_site(tmp_path / "site")
    result = cli("check", "--source", str(site), "--jobs", "1")
    assert result.returncode == 1, result.stdout + result.stderr
    err = result.stderr
    assert "sitegen.toml:11: warning: menu entry 'Nasional': /nasionall/ is not a page of the " \
           "site (did you mean '/nasional/'?)" in err
    assert "content/ekonomi/pasar.md:8: warning: link #tidak-ada: this page has no heading " \
           "or element with id 'tidak-ada'" in err
    assert "content/ekonomi/pasar.md:8: warning: link /berita/nasional/tidak-ada/ goes " \
           "nowhere" in err
    assert "content/ekonomi/pasar.md:6: warning: link /berita/nasional/banjir-rob/#dampak: " \
           "that page has no heading or element with id 'dampak'" in err
    assert "content/ekonomi/pasar.md:10: warning: image /berita/images/hilang.jpg is " \
           "missing" in err
    assert "content/ekonomi/pasar.md:13: warning: image /berita/images/besar.jpg is " \
           "missing" in err
    # The menu's bad URL is on every page: reported once, at the menu entry.
    assert err.count("nasionall") == 1
    # The working references are no problems: the .md link, the image, #dampak here.
    assert "harga-cabai" not in err and "ada.jpg" not in err
    assert "check found 6 problem(s)" in err
    assert not (site / "output").exists(), "check builds beside the site, not into output/"


@pytest.mark.slow
def test_check_passes_on_the_sample_site(sample_site: Path) -> None:
    # The editors' app is not in the repository: the pipelines put it beside the admin page
    # with `sitegen fetch-cms` before they build, and so does this test.
    fetched = cli("fetch-cms", "--source", str(sample_site), "--from", str(npm_packs()))
    assert fetched.returncode == 0, fetched.stdout + fetched.stderr
    result = cli("check", "--source", str(sample_site))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "check found no problems" in result.stdout
    assert result.stderr == ""


def test_check_drafts_checks_what_is_not_out_yet(tmp_path: Path) -> None:
    site = make_site(tmp_path, {
        "content/ekonomi/a.md": article("A"),
        "content/ekonomi/konsep.md": article("Konsep", draft=True, body="[x](/tidak-ada/)"),
    }, CONFIG.replace("/nasionall/", "/ekonomi/"))
    assert cli("check", "--source", str(site)).returncode == 0
    drafts = cli("check", "--source", str(site), "--drafts")
    assert drafts.returncode == 1
    assert "content/ekonomi/konsep.md:7: warning: link /berita/tidak-ada/ goes nowhere" \
        in drafts.stderr


def test_md_links_become_the_linked_pages_urls(tmp_path: Path) -> None:
    site = make_site(tmp_path, {
        "content/ekonomi/harga-cabai.md": article("Harga cabai", body="""\
            Dari file ini: [banjir](../nasional/banjir.md#dampak),
            dari content/: [lagi](/nasional/banjir.md), [juga](/content/nasional/banjir.md),
            [halaman](../pages/tentang.md) dan [hilang](../nasional/tidak-ada.md).
            """),
        "content/nasional/banjir.md": article("Banjir", "2026-01-02 10:00", slug="banjir-rob",
                                              body="## Dampak\n\nAir naik."),
        "content/pages/tentang.md": "---\ntitle: Tentang\n---\n\nKami.\n",
    }, CONFIG.replace("/nasionall/", "/nasional/"))
    report = build_site(site)
    page = (site / "output/ekonomi/harga-cabai/index.html").read_text()
    assert 'href="/berita/nasional/banjir-rob/#dampak"' in page
    body = page.split('<div class="story-body">', 1)[1].split("</div>", 1)[0]
    assert body.count('href="/berita/nasional/banjir-rob/"') == 2
    assert 'href="/berita/tentang/"' in page
    assert ".md" not in page.replace("../nasional/tidak-ada.md", "")
    feed = (site / "output/feed.xml").read_text()
    assert "https://example.org/berita/nasional/banjir-rob/#dampak" in feed
    assert [str(p) for p in report.warnings] == [
        "content/ekonomi/harga-cabai.md:8: warning: link to ../nasional/tidak-ada.md: there is "
        "no content/nasional/tidak-ada.md (name the article's file relative to this one, or to "
        "content/ as /ekonomi/judul.md)"]


def test_a_slug_change_moves_every_md_link_with_it(tmp_path: Path) -> None:
    site = make_site(tmp_path, {
        "content/ekonomi/a.md": article("A", body="[b](../nasional/b.md)"),
        "content/nasional/b.md": article("B", slug="lama"),
    }, CONFIG.replace("/nasionall/", "/nasional/"))
    build_site(site)
    assert 'href="/berita/nasional/lama/"' in (site / "output/ekonomi/a/index.html").read_text()
    (site / "content/nasional/b.md").write_text(article("B", slug="baru"))
    report = build_site(site)
    assert 'href="/berita/nasional/baru/"' in (site / "output/ekonomi/a/index.html").read_text()
    assert report.warnings == []


def test_build_warns_and_strict_fails_leaving_the_output_as_it_was(tmp_path: Path) -> None:
    site = broken_site(tmp_path / "site")
    report = build_site(site)
    assert len(report.warnings) == 6
    before = read_tree(site / "output")
    with pytest.raises(SitegenError) as raised:
        build_site(site, strict=True)
    assert {p.path for p in raised.value.problems} == {"content/ekonomi/pasar.md", "sitegen.toml"}
    assert read_tree(site / "output") == before


def test_a_rebuild_with_nothing_changed_repeats_the_findings_without_checking_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sitegen import link_stage
    site = broken_site(tmp_path / "site")
    first = [str(p) for p in build_site(site).warnings]
    checks: list[int] = []
    original = link_stage.check_site
    monkeypatch.setattr(link_stage, "check_site", lambda *a: checks.append(1) or original(*a))
    # A new build (a new process): the findings come from the build state on disk.
    assert [str(p) for p in build_site(site).warnings] == first and checks == []
    with pytest.raises(SitegenError):
        build_site(site, strict=True)


def test_a_page_that_is_not_rendered_again_still_reports_its_broken_link(tmp_path: Path) -> None:
    # A standalone page: it shows no list of other articles, so B's new URL does not
    # render it again (an article's side column of latest headlines would).
    site = make_site(tmp_path, {
        "content/pages/a.md": article("A", body="Baca [B](/nasional/b/)."),
        "content/nasional/b.md": article("B", "2026-11-19 09:00"),
        "content/ekonomi/c.md": article("C", "2026-11-18 09:00"),
    }, CONFIG.replace("/nasionall/", "/nasional/"))
    assert build_site(site).warnings == []
    (site / "content/nasional/b.md").write_text(article("B", "2026-11-19 09:00", slug="b2"))
    report = build_site(site)
    assert "a/index.html" not in report.rendered
    assert [str(p) for p in report.warnings] == [
        "content/pages/a.md:6: warning: link /berita/nasional/b/ goes nowhere: the site has "
        "no such page or file"]
    again = build_site(site)  # nothing changed at all: the build's shortcut
    assert again.written == [] and [str(p) for p in again.warnings] == \
        [str(p) for p in report.warnings]


def test_a_story_removed_judges_again_only_the_pages_that_showed_or_linked_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sitegen.link_edges import LinkEdges
    judged: list[str] = []
    original = LinkEdges.add
    monkeypatch.setattr(LinkEdges, "add", lambda self, page, targets: (
        judged.append(page), original(self, page, targets))[-1])
    stories = {f"content/ekonomi/s{i}.md": article(f"S{i}", f"2026-11-{i + 1:02d} 09:00")
               for i in range(12)}
    site = make_site(tmp_path, {
        **stories,
        "content/pages/a.md": article("A", body="Baca [B](/nasional/b/)."),
        "content/nasional/b.md": article("B", "2026-10-01 09:00"),
        "content/nasional/c.md": article("C", "2026-10-02 09:00"),
    }, CONFIG.replace("/nasionall/", "/nasional/"))
    cold = build_site(site)
    assert cold.warnings == [] and len(judged) == len(list((site / "output").rglob("*.html")))
    judged.clear()
    (site / "content/nasional/b.md").unlink()
    removed = build_site(site)
    # A's page, not rendered again, still linked to B: it is judged and reports the link;
    # so are the pages written (B's lists, its neighbours); the other stories' pages not.
    assert "a/index.html" not in removed.rendered
    written = {page for page in removed.written if page.endswith(".html")}
    assert sorted(judged) == sorted(written | {"a/index.html"})
    assert not any(f"ekonomi/s{i}/index.html" in judged for i in range(6, 12))
    assert [str(p) for p in removed.warnings] == [
        "content/pages/a.md:6: warning: link /berita/nasional/b/ goes nowhere: the site has "
        "no such page or file"]
    judged.clear()
    (site / "content/nasional/b.md").write_text(article("B", "2026-10-01 09:00"))
    back = build_site(site)
    assert "a/index.html" in judged and back.warnings == []


def test_a_story_removed_with_its_photo_judges_again_only_the_pages_that_showed_or_linked_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sitegen.link_edges import LinkEdges
    judged: list[str] = []
    original = LinkEdges.add
    monkeypatch.setattr(LinkEdges, "add", lambda self, page, targets: (
        judged.append(page), original(self, page, targets))[-1])
    # A photo a story, as a newsroom's archive has: removing B takes its variants too.
    def story(title: str, date: str, photo: str) -> str:
        return article(title, date, image=f"/images/{photo}.jpg", image_alt="Foto")

    stories = {f"content/ekonomi/s{i}.md": story(f"S{i}", f"2026-11-{i + 1:02d} 09:00", f"s{i}")
               for i in range(12)}
    site = make_site(tmp_path, {
        **stories,
        "content/pages/a.md": article("A", body="Baca [B](/nasional/b/)."),
        "content/nasional/b.md": story("B", "2026-10-01 09:00", "b"),
        "content/nasional/c.md": story("C", "2026-10-02 09:00", "c"),
    }, CONFIG.replace("/nasionall/", "/nasional/"))
    for name in [*(f"s{i}" for i in range(12)), "b", "c"]:
        make_image(site / f"content/static/images/{name}.jpg")
    assert build_site(site).warnings == []
    variants = sorted(p.name for p in (site / "output/_img").glob("b-*"))
    assert len(variants) > 2, "B's photo is shown in several sizes"
    # V links to one of B's photo's variants (a download link), not to B's page.
    (site / "content/pages/v.md").write_text(article("V", body=f"[Unduh](/_img/{variants[0]})."))
    assert build_site(site).warnings == []
    judged.clear()
    (site / "content/nasional/b.md").unlink()
    removed = build_site(site)
    assert not list((site / "output/_img").glob("b-*")), "B's photo's variants are gone"
    # A and V, not rendered again, are judged and report their links; so are the pages
    # written (B's lists, its neighbours); the other stories' pages are not.
    assert "a/index.html" not in removed.rendered and "v/index.html" not in removed.rendered
    written = {page for page in removed.written if page.endswith(".html")}
    assert sorted(judged) == sorted(written | {"a/index.html", "v/index.html"})
    assert not any(f"ekonomi/s{i}/index.html" in judged for i in range(6, 12))
    assert sorted(str(p) for p in removed.warnings) == [
        "content/pages/a.md:6: warning: link /berita/nasional/b/ goes nowhere: the site has "
        "no such page or file",
        f"content/pages/v.md:6: warning: image /berita/_img/{variants[0]} is missing: the "
        "site has no such file (the site's own images go in content/static/)"]
    judged.clear()
    (site / "content/nasional/b.md").write_text(story("B", "2026-10-01 09:00", "b"))
    back = build_site(site)
    assert {"a/index.html", "v/index.html"} <= set(judged) and back.warnings == []


def test_a_new_page_mends_and_a_renamed_heading_breaks_links_of_pages_not_rendered_again(
        tmp_path: Path) -> None:
    site = make_site(tmp_path, {
        "content/ekonomi/a.md": article("A", body="[B](/nasional/b/) dan [C](/nasional/c/#dampak)"),
        "content/nasional/c.md": article("C", "2026-11-18 09:00", body="## Dampak\n\nAir."),
    }, CONFIG.replace("/nasionall/", "/nasional/"))
    assert [p.message.split(":")[0] for p in build_site(site).warnings] == [
        "link /berita/nasional/b/ goes nowhere"]
    # An alias adds a page (a redirect) and changes nothing that A's page shows.
    (site / "content/nasional/c.md").write_text(article(
        "C", "2026-11-18 09:00", body="## Dampak\n\nAir.", aliases=["/nasional/b/"]))
    added = build_site(site)
    assert "ekonomi/a/index.html" not in added.rendered and added.warnings == []
    (site / "content/nasional/c.md").write_text(article(
        "C", "2026-11-18 09:00", body="## Akibat\n\nAir.", aliases=["/nasional/b/"]))
    renamed = build_site(site)
    assert "ekonomi/a/index.html" not in renamed.rendered
    assert [str(p) for p in renamed.warnings] == [
        "content/ekonomi/a.md:6: warning: link /berita/nasional/c/#dampak: that page has no "
        "heading or element with id 'dampak'"]


def test_worker_processes_scan_the_pages_as_one_process_does(tmp_path: Path) -> None:
    files = {f"content/ekonomi/a{i}.md": article(f"A{i}", f"2026-11-{i + 1:02d} 09:00",
                                                 body=f"[x](/hilang-{i}/)")
             for i in range(20)}
    one = build_site(make_site(tmp_path / "one", files, CONFIG), jobs=1)
    two = build_site(make_site(tmp_path / "two", files, CONFIG), jobs=2, use_cache=False)
    assert len(one.written) > 40, "enough pages for the workers to take part"
    assert len(one.warnings) == 21  # each article's link and the menu entry
    assert [str(p) for p in two.warnings] == [str(p) for p in one.warnings]


def test_a_template_link_is_reported_once_at_the_output_file(tmp_path: Path) -> None:
    site = make_site(tmp_path, {
        "content/ekonomi/a.md": article("A"),
        "themes/mine/theme.toml": 'extends = "default"\n',
        "themes/mine/templates/partials/site-footer.html":
            '<footer><a href="{{ site.url }}kontak/">Kontak</a></footer>\n',
    }, CONFIG.replace("/nasionall/", "/ekonomi/") + '\n[build]\ntheme = "mine"\n'.replace(
        "[build]", "[build]", 1))
    report = build_site(site)
    messages = [str(p) for p in report.warnings]
    assert len(messages) == 1, messages
    assert messages[0].startswith("output/")
    assert "link /berita/kontak/ goes nowhere" in messages[0]
    assert "other pages)" in messages[0]


def test_a_link_outside_the_base_path_is_a_problem(tmp_path: Path) -> None:
    site = make_site(tmp_path, {
        "content/ekonomi/a.md": article("A", body='Lihat <a href="/lain/">situs lain</a>.'),
    }, CONFIG.replace("/nasionall/", "/ekonomi/"))
    report = build_site(site)
    assert [str(p) for p in report.warnings] == [
        "content/ekonomi/a.md:6: warning: link /lain/ leads outside the site, whose pages are "
        "all under /berita/"]


# --- --external, against a real server ------------------------------------------------


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    asked: Counter[str]


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Server

    def _answer(self) -> None:
        self.server.asked[f"{self.command} {self.path}"] += 1
        if self.path == "/lambat":
            time.sleep(3)
        status = {"/ada": 200, "/hilang": 404, "/tanpa-head": 405 if self.command == "HEAD"
                  else 200}.get(self.path, 200 if self.path.startswith("/berita/") else 404)
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_HEAD = do_GET = _answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[_Server]:
    httpd = _Server(("127.0.0.1", 0), _Handler)
    httpd.asked = Counter()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.slow
def test_external_links_are_asked_once_with_a_timeout_and_remembered(
        tmp_path: Path, server: _Server) -> None:
    there = f"http://127.0.0.1:{server.server_address[1]}"
    site = make_site(tmp_path, {
        "content/ekonomi/a.md": article("A", body=f"""\
            [ada]({there}/ada) [ada lagi]({there}/ada#bagian) [hilang]({there}/hilang)

            [tanpa HEAD]({there}/tanpa-head) [lambat]({there}/lambat)
            """),
    }, CONFIG.replace("/nasionall/", "/ekonomi/")
        + f'\n[[menu]]\nname = "Mitra"\nurl = "{there}/mitra-hilang"\n')
    # The test server is on loopback, which --external asks only when allowed.
    allow = ("--allow-private", f"127.0.0.1:{server.server_address[1]}")
    result = cli("check", "--source", str(site), "--external", "--timeout", "0.5", *allow)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"content/ekonomi/a.md:6: warning: outside link {there}/hilang: the server " \
           "answered 404 Not Found" in result.stderr
    assert f"content/ekonomi/a.md:8: warning: outside link {there}/lambat: no answer within " \
           "0.5 s" in result.stderr
    assert f"sitegen.toml:15: warning: outside link {there}/mitra-hilang: the server " \
           "answered 404 Not Found" in result.stderr
    assert "/ada" not in result.stderr and "tanpa-head" not in result.stderr
    assert server.asked["HEAD /ada"] == 1  # once, though linked twice
    assert server.asked["GET /tanpa-head"] == 1
    again = cli("check", "--source", str(site), "--external", "--timeout", "0.5", *allow)
    assert again.returncode == 1
    assert server.asked["HEAD /ada"] == 1, "a good answer is remembered"
    assert server.asked["HEAD /hilang"] == 2, "a failure is asked again"
    without = cli("check", "--source", str(site))
    assert without.returncode == 0 and server.asked["HEAD /hilang"] == 2


def test_base_url_decides_what_is_internal(tmp_path: Path, server: _Server) -> None:
    here = f"http://127.0.0.1:{server.server_address[1]}/berita/"
    site = make_site(tmp_path, {
        "content/ekonomi/a.md": article("A", body=f"[sini]({here}ekonomi/) [hilang]({here}x/)"),
    }, CONFIG.replace("https://example.org/berita/", here).replace("/nasionall/", "/ekonomi/"))
    result = cli("check", "--source", str(site), "--external")
    assert result.returncode == 1
    assert f"content/ekonomi/a.md:6: warning: link {here}x/ goes nowhere" in result.stderr
    assert not [asked for asked in server.asked if "/berita/" in asked], \
        "links to the site itself are checked in the output, never fetched"
