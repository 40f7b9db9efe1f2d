"""The command line through click's runner: new, init, --version, build's summary."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from click.testing import CliRunner

from sitegen import __version__
from sitegen.cli import main
from tests.conftest import article, make_site


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
