"""The command line through click's runner: new, init, --version, build's summary, and
what each command loads."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import click
import yaml
from click.testing import CliRunner

from sitegen import __version__
from sitegen.cli import COMMANDS, main
from tests.conftest import REPO, article, make_site

# `sitegen ARGS` in a new process, which then writes the names of the modules it loaded.
PROBE = """import atexit, json, sys
from sitegen.cli import main
listing = sys.argv.pop(1)
atexit.register(lambda: open(listing, "w").write(json.dumps(sorted(sys.modules))))
main(prog_name="sitegen")
"""


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def test_version() -> None:
    result = invoke("--version")
    assert result.exit_code == 0 and __version__ in result.output


def test_new_writes_a_draft_in_the_site_time_zone(tmp_path: Path) -> None:
    site = make_site(tmp_path, {})
    before = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)
    result = invoke("new", 'Harga "Cabai" Naik Lagi', "--section", "ekonomi", "--source", str(site))
    assert result.exit_code == 0, result.output
    path = Path(result.output.strip())
    assert path.resolve() == (site / "content/ekonomi/harga-cabai-naik-lagi.md").resolve()
    front = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
    assert front["title"] == 'Harga "Cabai" Naik Lagi'
    assert front["slug"] == "harga-cabai-naik-lagi" and front["draft"] is True
    written = dt.datetime.fromisoformat(str(front["date"])).replace(
        tzinfo=dt.timezone(dt.timedelta(hours=7)))  # Asia/Jakarta, the default
    assert before - dt.timedelta(minutes=1) <= written <= dt.datetime.now(dt.UTC)
    again = invoke("new", 'Harga "Cabai" Naik Lagi', "--section", "ekonomi", "--source", str(site))
    assert again.exit_code == 1 and "exists already" in again.output


def test_new_article_builds_with_drafts(tmp_path: Path) -> None:
    site = make_site(tmp_path, {})
    invoke("new", "Berita Baru", "--section", "nasional", "--source", str(site))
    result = invoke("build", "--source", str(site), "--drafts", "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert (site / "output/nasional/berita-baru/index.html").is_file()


def test_init_creates_a_site_that_builds(tmp_path: Path) -> None:
    target = tmp_path / "situs"
    result = invoke("init", str(target))
    assert result.exit_code == 0, result.output
    workflow = (target / ".github/workflows/deploy.yml").read_text()
    assert "sitegen build" in workflow and "--base-url" in workflow
    assert "actions/deploy-pages" in workflow
    result = invoke("build", "--source", str(target), "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert "Selamat Datang" in (target / "output/index.html").read_text()
    assert invoke("init", str(target)).exit_code == 1


def test_build_summary_and_verbose_timings(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"content/ekonomi/a.md": article("A")})
    result = invoke("build", "--source", str(site), "--jobs", "1", "--verbose")
    assert result.exit_code == 0
    assert "written, 0 unchanged" in result.output
    assert "render" in result.output and " ms" in result.output
    quiet = invoke("build", "--source", str(site), "--jobs", "1", "--quiet")
    assert quiet.exit_code == 0 and quiet.output == ""


def test_base_url_flag_overrides_config(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"content/ekonomi/a.md": article("A")})
    result = invoke("build", "--source", str(site), "--base-url", "https://u.github.io/repo")
    assert result.exit_code == 0, result.output
    page = (site / "output/ekonomi/a/index.html").read_text()
    assert 'href="https://u.github.io/repo/ekonomi/a/"' in page
    assert 'href="/repo/ekonomi/"' in page


def test_missing_config_says_what_to_do(tmp_path: Path) -> None:
    result = invoke("build", "--source", str(tmp_path))
    assert result.exit_code == 1
    assert "no sitegen.toml here: run `sitegen init DIR`" in result.output


def loaded(tmp_path: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    listing = tmp_path / "modules.json"
    result = subprocess.run([sys.executable, "-c", PROBE, str(listing), *args],
                            capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    return result, set(json.loads(listing.read_text()))


def test_build_help_loads_no_stage_of_the_pipeline(tmp_path: Path) -> None:
    result, modules = loaded(tmp_path, "build", "--help")
    assert result.returncode == 0 and "--keep-going" in result.stdout
    assert {m for m in modules if m.startswith("sitegen")} == {
        "sitegen", "sitegen.cli", "sitegen.cli.build", "sitegen.cli.options",
        "sitegen.cli.running", "sitegen.errors", "sitegen.messages", "sitegen.problem_groups"}
    assert not modules & {"jinja2", "markdown", "yaml", "PIL", "babel", "pagefind"}


def test_build_loads_no_other_command(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"content/ekonomi/a.md": article("Satu", "2026-11-20")})
    result, modules = loaded(tmp_path, "build", "--source", str(site), "--jobs", "1", "-q")
    assert result.returncode == 0, result.stderr
    assert (site / "output/ekonomi/a/index.html").is_file()
    others = {"sitegen.serve", "sitegen.livereload", "sitegen.watch", "sitegen.cms",
              "sitegen.cms_app", "sitegen.scaffold", "sitegen.hosts", "sitegen.external",
              "sitegen.importers", "sitegen.ci_report", "sitegen.cli.serve", "sitegen.cli.cms",
              "sitegen.cli.create", "sitegen.cli.migrate", "sitegen.cli.check"}
    assert not modules & others, modules & others


def test_every_command_is_listed_and_loads_when_asked_for() -> None:
    listed = invoke("--help")
    assert listed.exit_code == 0
    for name in COMMANDS:
        assert f"\n  {name} " in listed.output, name
        command = main.get_command(click.Context(main), name)
        assert command is not None and command.name == name
        assert invoke(name, "--help").exit_code == 0, name


def test_a_mistyped_command_gets_a_suggestion() -> None:
    result = invoke("buil")
    assert result.exit_code == 2
    assert "No such command 'buil'. Did you mean 'build'?" in result.output
