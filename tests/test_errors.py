"""Bad input: exit status 1, `path:line: message`, no traceback, previous output untouched."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitegen.cli import main
from tests.conftest import article, make_site

GOOD = {
    "content/ekonomi/harga-naik.md": article("Harga Naik", tags=["Pasar"], author="Budi"),
    "content/ekonomi/ekspor.md": article("Ekspor Tumbuh", date="2026-11-21 10:00"),
}


def run_build(site: Path, *extra: str) -> tuple[int, str, BaseException | None]:
    result = CliRunner().invoke(main, ["build", "--source", str(site), "--jobs", "1",
                                       "--now", "2026-11-28T12:00:00+07:00", *extra])
    return result.exit_code, result.output, result.exception


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def break_file(relative: str, content: str | bytes):
    def apply(site: Path) -> None:
        path = site / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return apply


BAD_INPUTS = {
    # name: (change to the good site, expected path, expected line, words in the message)
    "front matter never closed": (
        break_file("content/ekonomi/x.md", "---\ntitle: X\ndate: 2026-11-20\n\nIsi.\n"),
        "content/ekonomi/x.md", 1, "never closed"),
    "invalid YAML": (
        break_file("content/ekonomi/x.md", "---\ntitle: X\ndate: 2026-11-20\ntags: [a, b\n"
                   "summary: y\n---\nIsi.\n"),
        "content/ekonomi/x.md", None, "invalid YAML"),
    "front matter not a mapping": (
        break_file("content/ekonomi/x.md", "---\n- satu\n- dua\n---\nIsi.\n"),
        "content/ekonomi/x.md", 2, "mapping"),
    "missing title": (
        break_file("content/ekonomi/x.md", "---\ndate: 2026-11-20\nauthor: Budi\n---\nIsi.\n"),
        "content/ekonomi/x.md", 2, "missing title"),
    "missing date": (
        break_file("content/ekonomi/x.md", "---\ntitle: X\n---\nIsi.\n"),
        "content/ekonomi/x.md", 2, "missing date"),
    "unparseable date": (
        break_file("content/ekonomi/x.md", "---\ntitle: X\nauthor: Budi\ndate: kemarin sore\n"
                   "---\nIsi.\n"),
        "content/ekonomi/x.md", 4, "not a date"),
    "YAML tag constructing a Python object": (
        break_file("content/ekonomi/x.md", "---\ntitle: X\ndate: 2026-11-20\n"
                   "summary: !!python/object/apply:os.system ['echo pwned']\n---\nIsi.\n"),
        "content/ekonomi/x.md", 4, "!!python"),
    "bytes that are not UTF-8": (
        break_file("content/ekonomi/x.md", b"---\ntitle: X\ndate: 2026-11-20\n---\n\nIsi \xff.\n"),
        "content/ekonomi/x.md", 6, "UTF-8"),
    "two articles on one URL": (
        break_file("content/ekonomi/kembar.md", article("Kembar", slug="harga-naik")),
        "content/ekonomi/kembar.md", None, "content/ekonomi/harga-naik.md"),
    "slug that tries to leave the output folder": (
        break_file("content/ekonomi/x.md", article("X", slug="../../../etc/passwd")),
        "content/ekonomi/x.md", 4, "slug"),
    "alias that tries to leave the output folder": (
        break_file("content/ekonomi/x.md", article("X", aliases=["/../../outside.html"])),
        "content/ekonomi/x.md", 4, "alias"),
    "template syntax error": (
        break_file("themes/rusak/templates/article.html", "{% extends 'default/article.html' %}\n"
                   "{% block main %}\n{% if %}\n{% endblock %}\n"),
        "themes/rusak/templates/article.html", 3, "template syntax error"),
    "undefined variable in a template": (
        break_file("themes/rusak/templates/article.html", "{% extends 'default/article.html' %}\n"
                   "{% block main %}\n<p>{{ article.no_such_key }}</p>\n{% endblock %}\n"),
        "themes/rusak/templates/article.html", 3, "no_such_key"),
    "invalid TOML": (
        break_file("sitegen.toml", "[site]\ntitle = \"Warta\"\nbase_url = https://x.org/\n"),
        "sitegen.toml", 3, "invalid TOML"),
    "unknown config key": (
        break_file("sitegen.toml", "[site]\ntitle = \"Warta\"\nbase_url = \"https://x.org/\"\n"
                   "languge = \"id\"\n"),
        "sitegen.toml", 4, "did you mean 'language'"),
}

THEME_OVERRIDE = "[build]\ntheme = \"rusak\"\n"


@pytest.mark.parametrize("name", list(BAD_INPUTS))
def test_bad_input_is_reported_and_previous_output_kept(tmp_path: Path, name: str) -> None:
    change, path, line, words = BAD_INPUTS[name]
    site = make_site(tmp_path / "site", GOOD)
    if "template" in name:
        with (site / "sitegen.toml").open("a") as config:
            config.write(THEME_OVERRIDE)
        (site / "themes/rusak").mkdir(parents=True)
        (site / "themes/rusak/theme.toml").write_text('extends = "default"\n')
    code, output, _ = run_build(site)
    assert code == 0, output
    before = snapshot(site / "output")

    change(site)
    code, output, exception = run_build(site)

    assert code == 1
    assert isinstance(exception, SystemExit)
    assert "Traceback" not in output
    location = re.escape(path) + (f":{line}:" if line else r":\d+:")
    assert re.search(location, output), output
    assert words in output, output
    assert snapshot(site / "output") == before
    leftovers = [p.name for p in site.iterdir() if p.name.startswith(".output")]
    assert leftovers == [], "the half-built tree must be removed"


def test_yaml_error_line_counts_from_the_top_of_the_file(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"content/ekonomi/x.md": "---\ntitle: X\ndate: 2026-11-20\n"
                                "summary: satu: dua\n---\nIsi.\n"})
    code, output, _ = run_build(site)
    assert code == 1
    assert "content/ekonomi/x.md:4: invalid YAML" in output


def test_all_problems_of_a_build_are_reported_together(tmp_path: Path) -> None:
    site = make_site(tmp_path, {
        "content/ekonomi/a.md": "---\ndate: 2026-11-20\n---\nIsi.\n",
        "content/nasional/b.md": "---\ntitle: B\n---\nIsi.\n",
        "content/teknologi/c.md": "no front matter\n",
    })
    code, output, _ = run_build(site)
    assert code == 1
    for expected in ("content/ekonomi/a.md:2: missing title",
                     "content/nasional/b.md:2: missing date",
                     "content/teknologi/c.md:1: no front matter"):
        assert expected in output


def test_unknown_front_matter_key_warns_and_fails_with_strict(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"content/ekonomi/a.md": article("A", sumary="typo")})
    code, output, _ = run_build(site)
    assert code == 0
    assert "content/ekonomi/a.md:4: warning: unknown front matter key 'sumary' " \
           "(did you mean 'summary'?)" in output
    code, output, _ = run_build(site, "--strict")
    assert code == 1
    assert "sumary" in output


def test_config_problems_are_all_reported_at_once_with_lines(tmp_path: Path) -> None:
    site = make_site(tmp_path, {}, config=(
        "[site]\ntitle = \"W\"\nbase_url = \"ftp://x\"\ntimezone = \"Mars/Olympus\"\n"
        "[build]\nitems_per_page = \"sepuluh\"\nthem = \"default\"\n[permalinks]\n"
        "article = \"/{section}/{judul}/\"\n"))
    code, output, _ = run_build(site)
    assert code == 1
    for expected in ("sitegen.toml:3: site.base_url", "sitegen.toml:4: site.timezone",
                     "sitegen.toml:6: build.items_per_page must be int",
                     "sitegen.toml:7: unknown key 'them' in [build] (did you mean 'theme'?)",
                     "sitegen.toml:9: permalinks.article may use only"):
        assert expected in output


def test_debug_shows_a_traceback_for_internal_errors(tmp_path: Path, monkeypatch) -> None:
    site = make_site(tmp_path, GOOD)

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("sitegen.build.build", explode)
    code, output, _ = run_build(site)
    assert code == 1 and "internal error: RuntimeError: boom" in output
    assert "Traceback" not in output
    code, output, _ = run_build(site, "--debug")
    assert code == 1 and "Traceback" in output


@pytest.mark.parametrize("where", [".", "content", ".."])
def test_output_folder_that_holds_the_site_is_refused(tmp_path: Path, where: str) -> None:
    site = make_site(tmp_path / "site", GOOD)
    before = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    code, output, _ = run_build(site, "--output", str(site / where))
    assert code == 1
    assert "holds the site itself" in output
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == before


def test_foreign_non_empty_output_folder_is_refused(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", GOOD)
    foreign = tmp_path / "dokumen"
    foreign.mkdir()
    (foreign / "skripsi.docx").write_bytes(b"penting")
    code, output, _ = run_build(site, "--output", str(foreign))
    assert code == 1
    assert "not written by sitegen" in output
    assert os.listdir(foreign) == ["skripsi.docx"]


@pytest.mark.parametrize("files,blamed,words", [
    ({"content/pages/cari.md": "---\ntitle: Cari\n---\nHalaman.\n"},
     "content/pages/cari.md:1:", "cari/index.html would be written for both"),
    ({"content/static/feed.xml": "<rss/>"}, "content/static/feed.xml:",
     "feed.xml would be written for both"),
    ({"content/ekonomi/x.md": article("X", tags=["<!--"])}, "content/ekonomi/x.md:4:",
     "tags '<!--' needs at least one letter or digit"),
])
def test_generated_files_cannot_be_overwritten_silently(tmp_path: Path, files: dict[str, str],
                                                        blamed: str, words: str) -> None:
    site = make_site(tmp_path, {**GOOD, **files})
    code, output, _ = run_build(site)
    assert code == 1, output
    assert blamed in output and words in output, output
    assert "Traceback" not in output


def test_a_site_without_articles_builds(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"content/pages/tentang.md": "---\ntitle: Tentang\n---\nKami.\n"})
    code, output, _ = run_build(site)
    assert code == 0, output
    assert (site / "output/index.html").is_file()
