"""Every hostile file is one file's problem (issue 21): an image bomb, an SVG with script,
names that are not portable and twins on one URL are each a `path: message` problem that
`--keep-going` skips; and the security headers written for hosts that read `_headers`."""

from __future__ import annotations

import json
import os
import re
import struct
import zlib
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from sitegen import embeds, hostfiles, static_safety
from sitegen.errors import SitegenError
from tests.conftest import BASIC_CONFIG, NOW, article, build_site, make_site
from tests.test_check import cli


def png_header(width: int, height: int) -> bytes:
    """A PNG of a few bytes whose header promises width x height pixels: an image bomb."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0,
                                                             0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))


SCRIPT_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" '
              'xmlns:xlink="http://www.w3.org/1999/xlink">\n<circle r="5"/>\n'
              '<script>fetch("/admin/")</script>\n'
              '<a xlink:href="javascript:alert(1)"><rect onclick="alert(2)" width="3"/></a>\n'
              '<foreignObject><iframe src="https://evil.example/"/></foreignObject>\n'
              '<set attributeName="href" to="javascript:alert(3)"/></svg>\n')
HOSTILE = {
    "content/static/unused/bom.png": png_header(30_000, 30_000),  # Pillow's own limit
    "content/static/bom-kecil.png": png_header(12_000, 9_000),  # ours
    "content/static/gambar/logo.svg": SCRIPT_SVG,
    "content/static/gpj\u202eexe.jpg": b"jpeg?",
    "content/static/laporan\uff0fbulan.pdf": b"%PDF",
    "content/static/CON.txt": b"con",
    "content/static/aux": b"aux",
    "content/static/titik.": b"dot",
    "content/static/Foto.txt": b"upper",
    "content/static/foto.txt": b"lower",
    "content/static/caf\u00e9.txt": b"nfc",
    "content/static/cafe\u0301.txt": b"nfd",
}


def hostile_site(root: Path, config: str = BASIC_CONFIG) -> Path:
    return make_site(root, {"content/ekonomi/a.md": article("A"),
                            "content/static/baik.txt": b"fine", **HOSTILE}, config)


def test_each_hostile_static_file_is_its_own_problem_and_keep_going_skips_it(
        tmp_path: Path) -> None:
    site = hostile_site(tmp_path / "site")
    result = cli("build", "--source", str(site), "--jobs", "1")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "internal error" not in result.stderr
    assert not (site / "output").exists()
    expected = [
        "content/static/unused/bom.png: this picture is an image bomb",
        "content/static/bom-kecil.png: this picture is 12000 x 9000 pixels, more than "
        "80,000,000",
        "content/static/gpj\u202eexe.jpg: the name 'gpj\\u202eexe.jpg' holds a right-to-left",
        "content/static/laporan\uff0fbulan.pdf: the name 'laporan\uff0fbulan.pdf' holds a "
        "character that looks like a slash but is none: rename it",
        "content/static/CON.txt: the name 'CON.txt' is a name Windows reserves for a device",
        "content/static/aux: the name 'aux' is a name Windows reserves for a device",
        "content/static/titik.: the name 'titik.' ends with a dot or a space",
        "content/static/foto.txt: 'foto.txt' and 'Foto.txt' differ only in case or Unicode "
        "normalization, and are one file on Windows, macOS and many hosts: rename one",
        "content/static/gambar/logo.svg:3: warning: this SVG holds script: it is published "
        "without it",
    ]
    for line in expected:
        assert line in result.stderr, (line, result.stderr)
    assert "'cafe\\u0301.txt' and 'caf\\xe9.txt' differ only in case or Unicode " \
        "normalization" in result.stderr or "'caf\\xe9.txt' and 'cafe\\u0301.txt' differ" \
        in result.stderr, result.stderr
    assert "Warning" not in result.stderr, result.stderr
    report = tmp_path / "report.json"
    kept = cli("build", "--source", str(site), "--jobs", "1", "--keep-going",
               "--report", str(report))
    assert kept.returncode != 1, kept.stderr
    out = site / "output"
    published = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert "baik.txt" in published and "Foto.txt" in published
    assert sum(name in published for name in ("caf\u00e9.txt", "cafe\u0301.txt")) == 1
    for name in ("unused/bom.png", "bom-kecil.png", "gpj\u202eexe.jpg", "CON.txt", "aux",
                 "titik.", "foto.txt", "laporan\uff0fbulan.pdf"):
        assert name not in published, name
    skipped = {entry["path"] for entry in json.loads(report.read_text())["skipped"]}
    assert len(skipped) == 9, skipped
    svg = (out / "gambar/logo.svg").read_text()
    for hostile in ("<script", "javascript:", "onclick", "foreignObject", "evil.example",
                    "<set"):
        assert hostile not in svg, hostile
    assert '<circle r="5"' in svg and 'width="3"' in svg


def test_svg_refuse_and_allow(tmp_path: Path) -> None:
    files = {"content/ekonomi/a.md": article("A"), "content/static/logo.svg": SCRIPT_SVG,
             "content/static/bersih.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>'}
    refused = make_site(tmp_path / "refuse", files, BASIC_CONFIG + '[static]\nsvg = "refuse"\n')
    with pytest.raises(SitegenError) as raised:
        build_site(refused)
    assert [str(p) for p in raised.value.problems] == [
        "content/static/logo.svg:3: this SVG holds script, which runs with the site's address "
        "when the file is opened: remove it, or set [static] svg = \"sanitize\" to publish it "
        "without"]
    build_site(refused, keep_going=True)
    assert not (refused / "output/logo.svg").exists()
    assert (refused / "output/bersih.svg").read_bytes() == \
        b'<svg xmlns="http://www.w3.org/2000/svg"/>', "a clean SVG is published as it is"
    allowed = make_site(tmp_path / "allow", files, BASIC_CONFIG + '[static]\nsvg = "allow"\n')
    build_site(allowed)
    assert (allowed / "output/logo.svg").read_text() == SCRIPT_SVG
    bad = make_site(tmp_path / "bad", files, BASIC_CONFIG + '[static]\nsvg = "maybe"\n')
    with pytest.raises(SitegenError, match=r"static\.svg must be one of"):
        build_site(bad)


def test_an_svg_declaring_entities_is_never_expanded() -> None:
    laughs = (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">'
              b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
              b'<svg xmlns="http://www.w3.org/2000/svg"><script/>&b;</svg>')
    assert static_safety.sanitized(laughs) is None


@pytest.mark.parametrize(("name", "why"), [
    ("CON.md", "'con' is a name Windows reserves"), ("lpt1.md", "'lpt1' is a name Windows"),
])
def test_a_content_url_that_is_not_portable_is_its_files_problem(
        tmp_path: Path, name: str, why: str) -> None:
    site = make_site(tmp_path, {f"content/ekonomi/{name}": article("X"),
                                "content/ekonomi/baik.md": article("Baik")})
    with pytest.raises(SitegenError) as raised:
        build_site(site)
    assert [p.path for p in raised.value.problems] == [f"content/ekonomi/{name}"]
    assert why in raised.value.problems[0].message
    report = build_site(site, keep_going=True)
    assert [p.path for p in report.skipped] == [f"content/ekonomi/{name}"]
    assert (site / "output/ekonomi/baik/index.html").is_file()


def test_urls_that_differ_only_in_case_are_one_file(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"content/ekonomi/a.md": article("A", aliases=["/Lama/"]),
                                "content/ekonomi/b.md": article("B", aliases=["/lama/"])})
    with pytest.raises(SitegenError, match=r"lama/index.html of an alias in content/ekonomi/"
                                           r"b.md and Lama/index.html of an alias in "
                                           r"content/ekonomi/a.md differ only in case"):
        build_site(site)


def test_security_headers_for_hosts_that_read_header_files(tmp_path: Path) -> None:
    for host in ("netlify", "cloudflare"):
        site = make_site(tmp_path / host, {
            "content/ekonomi/a.md": article("A", tags=["Pasar"], author="Sari"),
            "content/pages/tentang.md": "---\ntitle: Tentang\n---\nIsi\n",
            "content/static/admin/index.html": "<!doctype html><title>CMS</title>",
            "content/static/promo.html": "<!doctype html><title>Promo</title>",
        }, BASIC_CONFIG + f'\n[deploy]\nhost = "{host}"\n')
        build_site(site)
        rules = _rules((site / "output/_headers").read_text())
        assert rules["/*"] == {"X-Content-Type-Options": "nosniff",
                               "Referrer-Policy": "strict-origin-when-cross-origin"}
        policy = hostfiles.CONTENT_SECURITY_POLICY
        covered = {path for path, headers in rules.items()
                   if headers.get("Content-Security-Policy") == policy}
        assert covered == {"/", "/index.html", "/404.html", "/page/*", "/ekonomi/*", "/tag/*",
                           "/penulis/*", "/arsip/*", "/cari/*", "/indeks/*", "/tentang/*",
                           "/promo.html"}
        assert not any(path.startswith("/admin") or path == "/*" for path in covered), \
            "the CMS, which loads its app from unpkg.com, gets no policy of the pages"
    assert "script-src 'self' 'wasm-unsafe-eval'" in policy and "'unsafe-inline'" not in \
        policy.replace("style-src-attr 'unsafe-inline'", "")
    github = make_site(tmp_path / "github", {"content/ekonomi/a.md": article("A")},
                       BASIC_CONFIG + '\n[deploy]\nhost = "github"\n')
    build_site(github)
    assert not (github / "output/_headers").exists()


def test_the_theme_needs_nothing_the_policy_forbids(tmp_path: Path) -> None:
    """No inline script that runs (only JSON data blocks), no <style>, no inline handler,
    and every embed's player is among the frame sources."""
    site = make_site(tmp_path, {
        "content/ekonomi/a.md": article("A", body="!embed[Video](https://www.youtube.com/"
                                        "watch?v=dQw4w9WgXcQ)\n\n| a | b |\n|--:|--:|\n| 1 | 2 |"),
    }, BASIC_CONFIG)
    build_site(site)
    for page in (site / "output").rglob("*.html"):
        html = page.read_text()
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or 'type="application/ld+json"' in tag or \
                'type="application/json"' in tag, (page, tag)
        assert "<style" not in html and not re.search(r"\son[a-z]+=", html), page
    for url in ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://vimeo.com/123456",
                "https://x.com/a/status/1", "https://www.instagram.com/p/abc/",
                "https://www.tiktok.com/@a/video/1", "https://www.facebook.com/a/videos/1/",
                "https://www.google.com/maps/@-6.2,106.8,12z",
                "https://www.google.com/maps/embed?pb=x"):
        found = embeds.identify(url)
        assert found is not None, url
        player = urlsplit(found.player)
        assert f"{player.scheme}://{player.netloc}" in embeds.PLAYER_ORIGINS, url


def _rules(text: str) -> dict[str, dict[str, str]]:
    rules: dict[str, dict[str, str]] = {}
    current = ""
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        if line.startswith(" "):
            name, _, value = line.strip().partition(": ")
            rules[current][name] = value
        else:
            current = line
            rules.setdefault(current, {})
    return rules


def test_an_image_bomb_a_page_shows_is_never_decoded(tmp_path: Path) -> None:
    site = make_site(tmp_path, {
        "content/ekonomi/a.md": article("A", image="/bom.png", image_alt="Bom"),
        "content/ekonomi/b.md": article("B", body="![Bom](/bom-lain.png)"),
        "content/ekonomi/c.md": article("C"),
        "content/static/bom.png": png_header(12_000, 9_000),
        "content/static/bom-lain.png": png_header(30_000, 30_000),
    })
    with pytest.raises(SitegenError) as raised:
        build_site(site)
    assert "internal error" not in str(raised.value.problems)
    report = build_site(site, keep_going=True)
    skipped = {p.path for p in report.skipped}
    assert {"content/static/bom.png", "content/static/bom-lain.png"} <= skipped
    assert report.processed_images == [], "no picture was decoded"
    assert (site / "output/ekonomi/c/index.html").is_file()
    assert not (site / "output/bom.png").exists() and not (site / "output/_img").exists()


def test_a_picture_is_judged_again_only_when_it_changed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The verdicts on the static folders' pictures are kept in the build state: a
    one-off build opens no picture that did not change (a photo a story: 10,000 headers
    read every build), but one replaced, or modified too recently to trust its time."""
    site = make_site(tmp_path, {
        "content/ekonomi/a.md": article("A"),
        "content/static/foto.png": png_header(800, 600),
        "content/static/peta.png": png_header(640, 480),
    })
    hour_ago = NOW.timestamp() - 3600
    for name in ("foto.png", "peta.png"):
        os.utime(site / "content/static" / name, (hour_ago, hour_ago))
    build_site(site)
    opened: list[str] = []
    judge = static_safety._bomb
    monkeypatch.setattr(static_safety, "_bomb",
                        lambda path: opened.append(Path(path).name) or judge(path))
    (site / "content/ekonomi/a.md").write_text(article("A", body="Diperbarui."))
    build_site(site)
    assert opened == []
    (site / "content/static/peta.png").write_bytes(png_header(30_000, 30_000))
    with pytest.raises(SitegenError) as raised:
        build_site(site)
    assert opened == ["peta.png"]
    assert "image bomb" in str(raised.value.problems)
    # Just written: its time is not trusted yet, so the next build opens it again.
    with pytest.raises(SitegenError):
        build_site(site)
    assert opened == ["peta.png", "peta.png"]


def test_a_static_file_and_a_page_that_differ_only_in_case_are_one_file(
        tmp_path: Path) -> None:
    site = make_site(tmp_path, {"content/pages/tentang.md": "---\ntitle: Tentang\n---\nIsi\n",
                                "content/static/Tentang/index.html": "<p>lama</p>"})
    with pytest.raises(SitegenError) as raised:
        build_site(site)
    assert [str(p) for p in raised.value.problems] == [
        "content/pages/tentang.md:1: tentang/index.html of content/pages/tentang.md and "
        "Tentang/index.html of the static file content/static/Tentang/index.html differ only "
        "in case or Unicode normalization, and are one file on Windows, macOS and many hosts: "
        "give one of them another name or URL"]
