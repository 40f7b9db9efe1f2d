"""The newsroom's habits: `sitegen list`, the build's held-back summary, `sitegen new`'s
options, theme.toml's keys, `--debug` anywhere, one template error printed once."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import click
import pytest
import yaml
from click.testing import CliRunner

from sitegen import cli
from sitegen.errors import SitegenError
from tests.conftest import BASIC_CONFIG, REPO, article, build_site, make_site

NOW = "2026-11-28T12:00:00+07:00"


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    return subprocess.run([sys.executable, "-m", "sitegen", *args], capture_output=True,
                          text=True, env=environment, timeout=120)


def newsroom(root: Path, config: str = BASIC_CONFIG) -> Path:
    return make_site(root, {
        "content/ekonomi/terbit.md": article("Sudah Terbit", "2026-11-20 09:00"),
        "content/ekonomi/konsep.md": article("Masih Konsep", "2026-11-21 10:00", draft=True),
        "content/ekonomi/embargo-jauh.md": article("Embargo Jauh", "2026-12-24 18:30"),
        "content/nasional/embargo.md": article("Embargo Besok", "2026-11-29T02:00:00+00:00"),
        "content/nasional/kedaluwarsa.md": article("Promo Lama", "2026-10-01 08:00",
                                                   expires="2026-11-01 00:00"),
    }, config)


def front_matter(path: Path) -> dict[str, object]:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])


# --- sitegen list -------------------------------------------------------------------


def test_list_prints_each_held_back_article_with_its_time_in_the_site_zone(
        tmp_path: Path) -> None:
    site = newsroom(tmp_path)
    scheduled = run("list", "scheduled", "--source", str(site), "--now", NOW)
    assert scheduled.returncode == 0, scheduled.stderr
    assert scheduled.stdout.splitlines() == [  # the soonest first; 02:00 UTC is 09:00 WIB
        "2026-11-29 09:00 WIB  content/nasional/embargo.md      Embargo Besok",
        "2026-12-24 18:30 WIB  content/ekonomi/embargo-jauh.md  Embargo Jauh",
    ]
    (site / "content/pages").mkdir()
    (site / "content/pages/hak-jawab.md").write_text("---\ntitle: Hak Jawab\ndraft: true\n"
                                                     "---\n\nIsi.\n")
    drafts = run("list", "drafts", "--source", str(site), "--now", NOW)
    assert drafts.stdout.splitlines() == [  # a page has no date
        "2026-11-21 10:00 WIB  content/ekonomi/konsep.md   Masih Konsep",
        "-                     content/pages/hak-jawab.md  Hak Jawab"]
    expired = run("list", "expired", "--source", str(site), "--now", NOW)
    assert expired.stdout.splitlines() == [  # the time it expired
        "2026-11-01 00:00 WIB  content/nasional/kedaluwarsa.md  Promo Lama"]
    later = run("list", "scheduled", "--source", str(site), "--now", "2027-01-01")
    assert later.returncode == 0 and later.stdout == ""
    assert "no scheduled articles" in later.stderr


def test_list_uses_the_site_time_zone(tmp_path: Path) -> None:
    site = newsroom(tmp_path, BASIC_CONFIG + 'timezone = "Europe/Berlin"\n')
    result = run("list", "scheduled", "--source", str(site), "--now", NOW)
    assert result.stdout.splitlines()[0] == \
        "2026-11-29 03:00 CET  content/nasional/embargo.md      Embargo Besok"


def test_list_reports_a_bad_file_and_still_lists_the_rest(tmp_path: Path) -> None:
    site = newsroom(tmp_path)
    (site / "content/ekonomi/rusak.md").write_text("---\ntitle: Rusak\ndate: besok pagi\n"
                                                    "draft: true\n---\n")
    result = run("list", "drafts", "--source", str(site), "--now", NOW)
    assert result.returncode == 1
    assert "content/ekonomi/rusak.md:3: date 'besok pagi' is not a date" in result.stderr
    assert "content/ekonomi/konsep.md" in result.stdout


def test_the_build_summary_counts_what_it_held_back(tmp_path: Path) -> None:
    site = newsroom(tmp_path)
    result = run("build", "--source", str(site), "--now", NOW, "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip().endswith(
        "; held back 1 draft, 2 scheduled (the next goes live 2026-11-29 09:00 WIB), "
        "1 expired")
    with_drafts = run("build", "--source", str(site), "--now", NOW, "--drafts", "--future",
                      "--jobs", "1")
    assert with_drafts.stdout.rstrip().endswith("; held back 1 expired")
    everything = run("build", "--source", str(site), "--now", NOW, "--drafts", "--future",
                     "--expired", "--jobs", "1")
    assert "held back" not in everything.stdout


# --- sitegen new ------------------------------------------------------------------------


def test_new_takes_authors_and_tags(tmp_path: Path) -> None:
    site = make_site(tmp_path, {})
    one = run("new", "Harga Cabai Naik", "--section", "ekonomi", "--author", "Siti Rahmawati",
              "--tags", "Pangan, Harga: Cabai ,", "--source", str(site))
    assert one.returncode == 0, one.stderr
    front = front_matter(Path(one.stdout.strip()))
    assert front["author"] == "Siti Rahmawati"
    assert front["tags"] == ["Pangan", "Harga: Cabai"] and front["draft"] is True
    two = run("new", "Banjir Rob", "--section", "nasional", "--author", "Made Surya, Rini K",
              "--author", "Andreas", "--source", str(site))
    assert front_matter(Path(two.stdout.strip()))["authors"] == ["Made Surya", "Rini K",
                                                                 "Andreas"]
    build = run("build", "--source", str(site), "--drafts", "--jobs", "1")
    assert build.returncode == 0, build.stderr
    assert (site / "output/penulis/siti-rahmawati/index.html").is_file()
    assert (site / "output/tag/harga-cabai/index.html").is_file()


def test_new_page_writes_a_standalone_page(tmp_path: Path) -> None:
    site = make_site(tmp_path, {})
    result = run("new", "Pedoman Hak Jawab", "--page", "--source", str(site))
    assert result.returncode == 0, result.stderr
    path = Path(result.stdout.strip())
    assert path.resolve() == (site / "content/pages/pedoman-hak-jawab.md").resolve()
    front = front_matter(path)
    assert front["title"] == "Pedoman Hak Jawab" and "date" not in front
    run("build", "--source", str(site), "--drafts", "--jobs", "1")
    assert "Pedoman Hak Jawab" in (site / "output/pedoman-hak-jawab/index.html").read_text()
    both = run("new", "X", "--page", "--section", "ekonomi", "--source", str(site))
    assert both.returncode == 1 and "either --page or --section" in both.stderr
    neither = run("new", "X", "--source", str(site))
    assert neither.returncode == 1 and "--section ekonomi" in neither.stderr


def test_new_suggests_the_slug_of_a_section_given_by_its_name(tmp_path: Path) -> None:
    site = make_site(tmp_path, {})
    result = run("new", "Jalan Rusak", "--section", "Berita Daerah", "--source", str(site))
    assert result.returncode == 1
    assert "--section: 'Berita Daerah' is not a section folder name: did you mean --section " \
           "berita-daerah?" in result.stderr
    assert not (site / "content").exists()
    named = make_site(tmp_path / "named", {}, BASIC_CONFIG + '\n[sections.daerah]\n'
                      'title = "Berita Daerah"\n')
    # A section's title from sitegen.toml, in any case, is that section (issue 20).
    result = run("new", "Jalan Rusak", "--section", "berita daerah", "--source", str(named))
    assert result.returncode == 0, result.stderr
    assert "section 'berita daerah' is the folder content/daerah/" in result.stderr
    assert (named / "content/daerah/jalan-rusak.md").is_file()


def editor_script(tmp_path: Path, body: str) -> str:
    script = tmp_path / "editor.sh"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


def test_new_edit_opens_the_editor_on_the_new_file(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {})
    editor = editor_script(tmp_path, 'echo "Ditulis di editor." >> "$1"')
    result = run("new", "Dari Editor", "--section", "ekonomi", "--edit", "--source", str(site),
                 env={"EDITOR": editor, "VISUAL": editor})
    assert result.returncode == 0, result.stderr
    text = (site / "content/ekonomi/dari-editor.md").read_text()
    assert text.rstrip().endswith("Ditulis di editor.") and text.startswith("---\ntitle:")


def test_new_edit_reports_an_editor_that_fails(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {})
    editor = editor_script(tmp_path, "exit 3")
    result = run("new", "Gagal Edit", "--section", "ekonomi", "--edit", "--source", str(site),
                 env={"EDITOR": editor, "VISUAL": editor})
    assert result.returncode == 1
    assert "$EDITOR: " in result.stderr and "content/ekonomi/gagal-edit.md" in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert (site / "content/ekonomi/gagal-edit.md").is_file()


# --- theme.toml, --debug, template errors, README ---------------------------------------


def test_unknown_theme_keys_are_errors_with_suggestions_all_at_once(tmp_path: Path) -> None:
    site = make_site(tmp_path, {
        "content/ekonomi/a.md": article("A"),
        "themes/mine/theme.toml": '# my theme\nextendz = "default"\nparms = 1\n\n[params]\n'
                                  'x = 1\n',
        "themes/other/theme.toml": 'extends = 1\n',
    }, BASIC_CONFIG + '[build]\ntheme = "mine"\n')
    with pytest.raises(SitegenError) as raised:
        build_site(site)
    assert [str(p) for p in raised.value.problems] == [
        "themes/mine/theme.toml:2: unknown key 'extendz' in theme.toml (did you mean "
        "'extends'?)",
        "themes/mine/theme.toml:3: unknown key 'parms' in theme.toml (did you mean 'params'?)",
    ]
    (site / "sitegen.toml").write_text(BASIC_CONFIG + '[build]\ntheme = "other"\n')
    with pytest.raises(SitegenError) as raised:
        build_site(site)
    assert [str(p) for p in raised.value.problems] == [
        "themes/other/theme.toml:1: extends in theme.toml must be text, not 1"]


def test_debug_is_accepted_before_and_after_the_command(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site(tmp_path, {"content/ekonomi/a.md": article("A")})
    assert run("--debug", "build", "--source", str(site), "--jobs", "1").returncode == 0

    def broken(*args: object) -> None:
        raise RuntimeError("rusak di dalam")

    monkeypatch.setattr("sitegen.build.build", broken)
    for args in (["--debug", "build"], ["build", "--debug"], ["build"]):
        result = CliRunner().invoke(cli.main, [*args, "--source", str(site)])
        assert result.exit_code == 1
        assert "internal error: RuntimeError: rusak di dalam" in result.output
        assert ("Traceback" in result.output) == ("--debug" in args), args


def test_one_template_error_is_printed_once(tmp_path: Path) -> None:
    site = make_site(tmp_path, {
        **{f"content/ekonomi/a{i}.md": article(f"A{i}", f"2026-11-0{i} 09:00")
           for i in range(1, 5)},
        "themes/mine/theme.toml": 'extends = "default"\n',
        "themes/mine/templates/article.html":
            '{% extends "default/article.html" %}\n{% block main %}{{ article.nope.x }}'
            '{% endblock %}\n',
    }, BASIC_CONFIG + '[build]\ntheme = "mine"\n')
    result = run("build", "--source", str(site), "--jobs", "1")
    assert result.returncode == 1
    problems = [line for line in result.stderr.splitlines() if not line.startswith("sitegen:")]
    assert problems == [
        "themes/mine/templates/article.html:2: undefined in template: 'dict object' has no "
        "attribute 'nope' (while rendering content/ekonomi/a4.md and 3 other pages)"]


def test_readme_points_to_sitegen_serve_and_documents_every_option() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    assert "output/index.html" not in quick_start and "sitegen serve" in quick_start
    commands = readme.split("## Commands", 1)[1].split("\n## ", 1)[0]
    for name in ("check", "list", "new"):
        command = cli.main.get_command(click.Context(cli.main), name)
        assert re.search(rf"### `sitegen {name}\b", commands), name
        for param in command.params:
            for option in param.opts:
                if option.startswith("--"):
                    assert option in commands, f"sitegen {name} {option} is not documented"
    assert "--debug" in commands and "before or after" in commands
