"""Safe with whatever is in the site folder: links out of the site, special files,
editors' lock files, theme and logo paths."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sitegen.errors import SitegenError
from tests.conftest import BASIC_CONFIG, article, build_site, make_site, read_tree
from tests.test_serve import ServeProcess, fetch, wait_until

SECRET = b"AWS_SECRET_ACCESS_KEY=hunter2-do-not-publish"
THEMED = BASIC_CONFIG + '\n[build]\ntheme = "mine"\n'


def sitegen(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sitegen", "build", "--source", str(site),
                           *args], capture_output=True, text=True, timeout=120)


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file outside the site, as /proc/self/environ or ~/.ssh would be."""
    path = tmp_path / "outside" / "secret.md"
    path.parent.mkdir()
    path.write_bytes(b"---\ntitle: Rahasia\ndate: 2026-11-20\n---\n" + SECRET + b"\n")
    return path


@pytest.fixture
def linked_site(tmp_path: Path, secret: Path) -> Path:
    site = make_site(tmp_path / "site", {
        "content/nasional/berita.md": article("Berita Biasa"),
        "content/static/images/asli.txt": "milik situs",
        "themes/mine/theme.toml": 'extends = "default"\n',
        "themes/mine/static/css/extra.css": "body { color: black; }\n",
    }, config=THEMED)
    (site / "content/static/env.txt").symlink_to(secret)
    (site / "content/static/luar").symlink_to(secret.parent, target_is_directory=True)
    (site / "themes/mine/static/bocor.txt").symlink_to(secret)
    (site / "content/nasional/bocor.md").symlink_to(secret)
    # A link that stays inside the site is followed.
    (site / "content/static/salinan.txt").symlink_to(site / "content/static/images/asli.txt")
    return site


def test_links_out_of_the_site_are_skipped_and_nothing_of_their_target_is_published(
        linked_site: Path) -> None:
    done = sitegen(linked_site)
    assert done.returncode == 0, done.stderr
    for link in ("content/static/env.txt", "content/static/luar", "themes/mine/static/bocor.txt",
                 "content/nasional/bocor.md"):
        assert f"{link}: warning: is a link to " in done.stderr, link
    output = read_tree(linked_site / "output")
    assert not any(SECRET in data or b"Rahasia" in data for data in output.values())
    assert not {"env.txt", "bocor.txt", "nasional/bocor/index.html"} & set(output)
    assert not any(name.startswith("luar") for name in output)
    assert output["salinan.txt"] == b"milik situs"  # inside the site: followed
    assert "nasional/berita/index.html" in output


def test_strict_makes_a_link_out_of_the_site_an_error(linked_site: Path) -> None:
    done = sitegen(linked_site, "--strict")
    assert done.returncode == 1
    assert "content/nasional/bocor.md: warning: is a link to" in done.stderr
    assert not (linked_site / "output").exists()


def test_a_theme_outside_the_site_is_refused(tmp_path: Path) -> None:
    elsewhere = make_site(tmp_path / "elsewhere",
                          {"themes/mine/theme.toml": 'extends = "default"\n'})
    site = make_site(tmp_path / "site", {"content/nasional/a.md": article("A")}, config=THEMED)
    (site / "themes").mkdir()
    (site / "themes/mine").symlink_to(elsewhere / "themes/mine", target_is_directory=True)
    with pytest.raises(SitegenError, match=r"themes/mine: the theme is a link to .*outside"):
        build_site(site)


def test_a_template_linked_from_outside_the_site_is_an_error(tmp_path: Path,
                                                             secret: Path) -> None:
    site = make_site(tmp_path / "site", {
        "content/nasional/a.md": article("A"),
        "themes/mine/theme.toml": 'extends = "default"\n',
    }, config=THEMED)
    (site / "themes/mine/templates").mkdir()
    (site / "themes/mine/templates/article.html").symlink_to(secret)
    with pytest.raises(SitegenError) as raised:
        build_site(site)
    [problem] = raised.value.problems
    assert problem.path == "themes/mine/templates/article.html" and not problem.warning


@pytest.mark.parametrize(("name", "logo"), [
    ("traversal", "/../../secret.png"), ("absolute file", "/etc/../secret.png"),
    ("not site-relative", "images/logo.png"), ("another host", "//evil.example/logo.png"),
])
def test_a_logo_path_outside_the_site_is_refused(tmp_path: Path, name: str, logo: str) -> None:
    site = make_site(tmp_path / "site", {"content/nasional/a.md": article("A")},
                     config=BASIC_CONFIG + f'logo = "{logo}"\n')
    with pytest.raises(SitegenError, match=r"sitegen\.toml:5: site\.logo"):
        build_site(site)


def test_a_logo_linked_from_outside_is_never_read(tmp_path: Path) -> None:
    from tests.conftest import make_image

    make_image(tmp_path / "outside/logo.jpg", (321, 123))
    site = make_site(tmp_path / "site", {"content/nasional/a.md": article("A")},
                     config=BASIC_CONFIG + 'logo = "/logo.jpg"\n')
    (site / "content/static").mkdir(parents=True)
    (site / "content/static/logo.jpg").symlink_to(tmp_path / "outside/logo.jpg")
    report = build_site(site)
    assert any(p.path == "content/static/logo.jpg" for p in report.warnings)
    page = (site / "output/index.html").read_text()
    assert 'width="321"' not in page  # not even the file's header was read
    assert not (site / "output/logo.jpg").exists()


@pytest.mark.parametrize("bad_name", ["../..", "a/../../b", "/tmp/theme"])
def test_a_theme_name_is_a_folder_name_not_a_path(tmp_path: Path, bad_name: str) -> None:
    site = make_site(tmp_path / "site", {"content/nasional/a.md": article("A")},
                     config=BASIC_CONFIG + f'\n[build]\ntheme = "{bad_name}"\n')
    with pytest.raises(SitegenError, match="must be the name of a folder in themes/"):
        build_site(site)


def special_files(site: Path) -> None:
    """What an editor and a hostile commit leave in the folder."""
    os.mkfifo(site / "content/nasional/x.md")
    os.mkfifo(site / "content/static/pipa.txt")
    # Emacs's lock file: a dangling link to "user@host.pid:time".
    (site / "content/nasional/.#berita.md").symlink_to("root@newsroom.4242:1764300000")
    (site / "content/nasional/hilang.md").symlink_to(site / "content/nasional/tidak-ada.md")


def test_fifos_lock_files_and_dangling_links_do_not_stop_the_build(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"content/nasional/berita.md": article("Berita"),
                                         "content/static/a.txt": "a"})
    special_files(site)
    done = sitegen(site)  # a FIFO that were opened would block here until the timeout
    assert done.returncode == 0, done.stderr
    assert "content/nasional/x.md: warning: is a FIFO, not a regular file" in done.stderr
    assert "content/static/pipa.txt: warning: is a FIFO" in done.stderr
    assert ("content/nasional/hilang.md: warning: a link to a file that does not exist"
            in done.stderr)
    assert ".#berita.md" not in done.stderr  # an editor's lock file is nobody's problem
    assert "internal error" not in done.stderr
    assert (site / "output/nasional/berita/index.html").is_file()
    assert not (site / "output/pipa.txt").exists()


def test_serve_keeps_building_with_fifos_and_lock_files(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"content/nasional/berita.md": article("Berita"),
                                         "content/static/a.txt": "a"})
    server = ServeProcess(site)
    try:
        url = server.wait_for_line("sitegen: serving ").split()[2]
        special_files(site)
        server.wait_for_line("sitegen: built")
        (site / "content/nasional/baru.md").write_text(article("Kabar Baru Sekali"))
        wait_until(lambda: b"Kabar Baru Sekali" in fetch(url)[2], "the next rebuild")
        assert b"sitegen-overlay" not in fetch(url)[2]
    finally:
        server.kill()


# --- every output name belongs to one thing ----------------------------------------

@pytest.mark.parametrize(("section", "other"), [
    ("cari", "the search page /cari/"),
    ("sitemap.xml", "the sitemap"),
    ("feed.xml", "the RSS feed /feed.xml"),
    ("404.html", "the 404 page"),
    ("robots.txt", "robots.txt"),
    ("pagefind", "the search index"),
])
def test_a_section_named_like_a_generated_file_stops_the_build_and_keeps_the_output(
        tmp_path: Path, section: str, other: str) -> None:
    site = make_site(tmp_path / "site", {
        "content/nasional/berita.md": article("Berita Nasional"),
        "content/ekonomi/pasar.md": article("Pasar Naik", date="2026-11-21 09:00"),
    })
    assert sitegen(site).returncode == 0
    before = read_tree(site / "output")
    times = {p: p.stat().st_mtime_ns for p in (site / "output").rglob("*")}
    (site / f"content/{section}").mkdir()
    (site / f"content/{section}/tulisan.md").write_text(article("Tulisan Baru"))
    done = sitegen(site)
    assert done.returncode == 1, done.stderr
    [line] = [line for line in done.stderr.splitlines() if "would be" in line]
    assert line.startswith(f"content/{section}/: ")
    assert f"the section content/{section}/" in line and other in line
    assert "internal error" not in done.stderr
    assert read_tree(site / "output") == before
    assert {p: p.stat().st_mtime_ns for p in (site / "output").rglob("*")} == times


def test_a_static_folder_where_a_page_is_written_as_a_file_is_an_error(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {
        "content/nasional/berita.md": article("Berita", aliases=["/lama.html"]),
        "content/static/lama.html/gambar.txt": "x",
    })
    with pytest.raises(SitegenError) as raised:
        build_site(site)
    [problem] = raised.value.problems
    assert problem.path == "content/static/lama.html/gambar.txt"
    assert "which an alias in content/nasional/berita.md writes as a file" in problem.message


def test_tags_whose_names_differ_but_whose_slugs_are_equal_are_reported(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {
        "content/teknologi/a.md": article("A", tags=["C++", "Jakarta"]),
        "content/teknologi/b.md": article("B", tags=["C#", "jakarta"], author="Joko Widodo"),
        "content/teknologi/c.md": article("C", tags=["C"], author="joko-widodo"),
    })
    with pytest.raises(SitegenError) as raised:
        build_site(site)
    messages = sorted(str(p) for p in raised.value.problems)
    assert messages == [
        "content/teknologi/b.md:1: tags 'C#' and 'C++' (in content/teknologi/a.md) have the "
        "same slug 'c' and would share one page: spell them alike if they are one, or make "
        "them differ in letters or digits (such as 'C Sharp' for 'C#')",
        "content/teknologi/c.md:1: tags 'C' and 'C++' (in content/teknologi/a.md) have the "
        "same slug 'c' and would share one page: spell them alike if they are one, or make "
        "them differ in letters or digits (such as 'C Sharp' for 'C#')",
    ]  # case, accents and separators do not count: Jakarta/jakarta, Joko Widodo/joko-widodo


def test_a_section_folder_name_is_checked_like_a_slug(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {
        "content/Berita Utama/a.md": article("A"),
    })
    report = build_site(site)
    assert [str(p) for p in report.warnings] == [
        "content/Berita Utama/: warning: the section folder name 'Berita Utama' is not a slug "
        "(letters, digits and hyphens), and it is the section's URL: rename the folder, "
        "such as 'berita-utama'"]
    with pytest.raises(SitegenError):
        build_site(site, strict=True)
