"""Safe with whatever is in the site folder: links out of the site, special files,
editors' lock files, theme and logo paths."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sitegen.errors import SitegenError
from tests.conftest import BASIC_CONFIG, article, build_site, built_once, make_site, read_tree
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
    done = sitegen(linked_site, "--verbose")  # every link named, not one line per problem
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


def test_links_into_git_or_to_the_whole_site_are_skipped(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {
        "content/nasional/berita.md": article("Berita Biasa"),
        ".git/config": '[http]\n\textraheader = "AUTHORIZATION: basic c2VjcmV0"\n',
        "content/nasional/draf.md": article("Draf Rahasia", draft=True),
    })
    (site / "content/static").mkdir()
    (site / "content/static/git").symlink_to(site / ".git", target_is_directory=True)
    (site / "content/static/config.txt").symlink_to(site / ".git/config")
    (site / "content/static/semua").symlink_to(site, target_is_directory=True)
    report = build_site(site)
    assert sorted(str(p).split(",")[1].split(":")[0] for p in report.warnings) == [
        " into a hidden folder of the site", " into a hidden folder of the site",
        " to a folder that holds the link (the whole site would be published)"]
    output = read_tree(site / "output")
    assert not any(b"c2VjcmV0" in data or b"Draf Rahasia" in data for data in output.values())


def test_strict_makes_a_link_out_of_the_site_an_error(linked_site: Path) -> None:
    done = sitegen(linked_site, "--strict")
    assert done.returncode == 1
    assert "content/nasional/bocor.md: warning: is a link to" in done.stderr
    assert not (linked_site / "output").exists()


def test_a_content_folder_linked_from_outside_is_refused_not_emptied(tmp_path: Path) -> None:
    elsewhere = make_site(tmp_path / "elsewhere", {"content/nasional/a.md": article("A")})
    site = make_site(tmp_path / "site", {})
    (site / "content").symlink_to(elsewhere / "content", target_is_directory=True)
    with pytest.raises(SitegenError) as raised:
        build_site(site)
    [problem] = raised.value.problems
    assert problem.path == "content" and "outside the site" in problem.message


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
    # A FIFO that were opened would block here until the timeout; --verbose names every
    # file rather than one line per problem.
    done = sitegen(site, "--verbose")
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

def built_by_the_cli(site: Path) -> None:
    """Two stories, built with `sitegen build`: each case below starts from a copy of this
    one build (conftest.built_once) and adds its clashing section."""
    make_site(site, {
        "content/nasional/berita.md": article("Berita Nasional"),
        "content/ekonomi/pasar.md": article("Pasar Naik", date="2026-11-21 09:00"),
    })
    assert sitegen(site).returncode == 0


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
    site = built_once(("two stories built by the CLI",), tmp_path / "site", built_by_the_cli)
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


# --- bad files are problems of their file ------------------------------------------

def nested_list(depth: int) -> str:
    return "\n".join("    " * level + "- butir" for level in range(depth))


def test_a_list_nested_300_deep_is_a_problem_of_its_file(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {
        "content/nasional/baik.md": article("Baik"),
        "content/nasional/dalam.md": article("Dalam", body=nested_list(300)),
    })
    done = sitegen(site)
    assert done.returncode == 1
    assert "content/nasional/dalam.md:5: the text is nested too deeply" in done.stderr
    assert "internal error" not in done.stderr and "Recursion" not in done.stderr


def test_after_a_too_deep_body_the_next_file_converts_as_usual(tmp_path: Path) -> None:
    from sitegen.config import load_config
    from sitegen.readers import read_source

    site = make_site(tmp_path / "site", {
        "content/nasional/dalam.md": article("Dalam", body=nested_list(300)),
        "content/nasional/baik.md": article("Baik", body="- satu\n    - dua\n\n[tautan](/x)"),
    })
    config = load_config(site)
    assert read_source(site / "content/nasional/dalam.md", config)[0] is None
    good, _ = read_source(site / "content/nasional/baik.md", config)
    assert good is not None
    assert "<li>satu<ul>\n<li>dua</li>" in good.body_html and '<a href="/x">' in good.body_html


@pytest.mark.parametrize(("name", "body", "shown"), [
    ("brackets", "Awal " + "[" * 20_000, "[[[[[[[["),
    ("unclosed links", "[a](" * 5_000, "[a]([a]("),
    ("brackets closed at the end", "[" * 20_000 + "x" + "]" * 3, "[[[[x]]]"),
])
def test_runaway_brackets_build(tmp_path: Path, name: str, body: str, shown: str) -> None:
    site = make_site(tmp_path / "site",
                     {"content/nasional/kurung.md": article("Kurung", body=body)})
    done = sitegen(site)  # a minute of one core before the bound; the timeout is 120 s
    assert done.returncode == 0, done.stderr
    assert shown in (site / "output/nasional/kurung/index.html").read_text()


def test_bounded_brackets_give_python_markdowns_own_output() -> None:
    import random

    import markdown

    from sitegen.brackets import BoundedBrackets

    pieces = ["[", "]", "(", ")", "a", " ", "!", '"', "<b>", "x]", "[y]", "(/u)", "\n\n", "`"]
    shuffle = random.Random(9)
    for _ in range(2_000):
        text = "".join(shuffle.choice(pieces) for _ in range(shuffle.randint(1, 30)))
        text += "\n\n[y]: /ref"
        plain = markdown.markdown(text)
        assert markdown.markdown(text, extensions=[BoundedBrackets()]) == plain, text


def feeds_of(site: Path) -> dict[str, bytes]:
    return {name: (site / "output" / name).read_bytes() for name in ("feed.xml", "atom.xml")}


def test_control_characters_are_stripped_and_the_feeds_stay_well_formed(tmp_path: Path) -> None:
    import feedparser
    from lxml import etree

    site = make_site(tmp_path / "site", {
        "content/nasional/a.md": (
            '---\ntitle: "Banjir\\x07 di\\x1b Jakarta\\x0c"\ndate: 2026-11-20 09:00\n'
            'summary: "Ringkas\\x00an"\ntags: ["Cua\\x08ca"]\nauthor: "Andi\\x7f\\x85"\n---\n\n'
            "Isi\x01 berita\x1f dengan\x0b kendali.\n"),
    })
    done = sitegen(site)
    assert done.returncode == 0, done.stderr
    for key, line in (("title", 2), ("summary", 4), ("tags", 5), ("author", 6)):
        assert f"content/nasional/a.md:{line}: warning: {key} holds control characters" in (
            done.stderr)
    assert "content/nasional/a.md:9: warning: the text holds control characters" in done.stderr
    for name, data in feeds_of(site).items():
        etree.fromstring(data)  # raises on a character XML forbids
        parsed = feedparser.parse(data)
        assert not parsed.bozo, (name, parsed.bozo_exception)
        [entry] = parsed.entries
        assert entry.title == "Banjir di Jakarta"
        assert "Isi berita dengan kendali." in (entry.get("content") or [entry])[0]["value"]
    page = (site / "output/nasional/a/index.html").read_text()
    assert "Andi" in page and "\x7f" not in page and "Cuaca" in page


def test_very_many_tags_and_keys_warn_and_stay_linear(tmp_path: Path) -> None:
    from sitegen.collect import Selection, collect_site
    from sitegen.config import load_config
    from sitegen.model import replaced
    from sitegen.readers import read_source
    from tests.conftest import NOW

    keys = "".join(f"kunci{n}: {n}\n" for n in range(5_000))
    tags = [f"Topik {n}" for n in range(3_000)]
    site = make_site(tmp_path / "site", {
        "content/nasional/a.md": article("A", tags=tags).replace("---\n\n", keys + "---\n\n"),
    })
    config = load_config(site)
    found, problems = read_source(site / "content/nasional/a.md", config)
    assert found is not None and len(found.tags) == 3_000
    unknown = [p for p in problems if "unknown front matter key '" in p.message]
    assert len(unknown) == 20 and unknown[0].line == 5  # each at its own line
    printed = "\n".join(map(str, problems))
    assert "content/nasional/a.md:2: warning: 4980 more unknown front matter keys" in printed
    assert "content/nasional/a.md:4: warning: 3000 tags: more than 50" in printed
    # Related articles of articles with thousands of shared tags: pairs are bounded.
    others = [read_source(site / "content/nasional/a.md", config)[0] for _ in range(3)]
    copies = [replaced(o, source=f"content/nasional/{n}.md", slug=f"s{n}",
                       path=f"/nasional/s{n}/") for n, o in enumerate(others) if o]
    site_model, _ = collect_site([found, *copies], config, Selection(NOW))
    assert len(site_model.tags) == 3_000 and site_model.related[0] == (1, 2, 3)


def test_a_body_that_converts_too_slowly_is_a_problem_of_its_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sitegen import timelimit
    from sitegen.config import load_config
    from sitegen.readers import read_source

    # Thousands of "<a " cost Python-Markdown seconds (quadratic); the limit stops it.
    monkeypatch.setattr(timelimit, "SECONDS", 0.25)
    site = make_site(tmp_path / "site", {
        "content/nasional/lambat.md": article("Lambat", body="<a " * 5_000),
        "content/nasional/cepat.md": article("Cepat", body="Biasa saja, [tautan](/x)."),
    })
    config = load_config(site)
    slow, problems = read_source(site / "content/nasional/lambat.md", config)
    assert slow is None
    assert [str(p) for p in problems] == [
        "content/nasional/lambat.md:5: the text took more than 0.25 s to convert (thousands of "
        "repeated '<', '[' or similar marks?): split or simplify it"]
    fast, _ = read_source(site / "content/nasional/cepat.md", config)
    assert fast is not None and '<a href="/x">tautan</a>' in fast.body_html
