"""The build cache is never trusted blindly and never published."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from sitegen import state
from sitegen.errors import SitegenError
from tests.conftest import article, build_site, make_site, read_tree

CONFIG = '[site]\ntitle = "Warta Uji"\nbase_url = "https://example.org/"\n'


def small_site(root: Path, config: str = CONFIG) -> Path:
    return make_site(root, {
        "content/ekonomi/harga.md": article("Harga", body="Harga cabai naik tajam pekan ini."),
        "content/nasional/banjir.md": article("Banjir", body="Banjir rob melanda pesisir."),
    }, config=config)


def test_a_flipped_byte_in_a_cached_article_is_never_published(tmp_path: Path) -> None:
    site = small_site(tmp_path / "site")
    build_site(site)
    reads = site / ".sitegen-cache" / state.FILE
    data = bytearray(reads.read_bytes())
    at = data.index(b"cabai naik")
    data[at] ^= 0x01  # "cabai" -> "babai": still valid marshal, still a plausible page
    reads.write_bytes(bytes(data))
    report = build_site(site, output=tmp_path / "fresh")
    assert any("1 damaged entry was dropped" in w.message and w.path == str(reads)
               for w in report.warnings)
    assert "content/ekonomi/harga.md" in report.parsed  # made again from the source
    assert "content/nasional/banjir.md" not in report.parsed  # the rest is still used
    assert b"babai" not in b"".join(read_tree(tmp_path / "fresh").values())
    build_site(site, use_cache=False, output=tmp_path / "clean")
    assert read_tree(tmp_path / "fresh") == read_tree(tmp_path / "clean")
    again = build_site(site, output=tmp_path / "fresh")  # the repaired table is trusted again
    assert again.parsed == [] and not again.warnings


@pytest.mark.parametrize("cache_dir", ["output/c", "output", "content/static/c",
                                       "themes/mine/static/cache"])
def test_a_cache_folder_that_would_be_published_is_refused(tmp_path: Path,
                                                            cache_dir: str) -> None:
    config = CONFIG + f'[build]\ntheme = "mine"\ncache_dir = "{cache_dir}"\n'
    site = small_site(tmp_path / "site", config)
    (site / "themes/mine").mkdir(parents=True)
    (site / "themes/mine/theme.toml").write_text('extends = "default"\n')
    with pytest.raises(SitegenError, match=r"cache_dir .* would be published") as raised:
        build_site(site)
    assert raised.value.problems[0].path == "sitegen.toml"
    assert not (site / cache_dir).exists()


def test_a_cache_folder_under_another_output_is_refused(tmp_path: Path) -> None:
    site = small_site(tmp_path / "site", CONFIG + '[build]\ncache_dir = "public/.cache"\n')
    with pytest.raises(SitegenError, match="inside the output folder"):
        build_site(site, output=site / "public")


def test_a_cache_folder_that_is_a_file_is_a_warning_and_a_build_without_it(
        tmp_path: Path) -> None:
    site = small_site(tmp_path / "site")
    (site / ".sitegen-cache").write_text("not a folder")
    report = build_site(site)
    assert [w.message for w in report.warnings] == [
        "the build cache cannot be used (it is not a folder); building without it: fix or "
        "remove it, or set [build] cache_dir"]
    build_site(site, use_cache=False, output=tmp_path / "clean")
    assert read_tree(site / "output") == read_tree(tmp_path / "clean")
    assert (site / ".sitegen-cache").read_text() == "not a folder"


def test_an_unwritable_cache_folder_is_a_warning_and_a_build_without_it(tmp_path: Path) -> None:
    site = small_site(tmp_path / "site")
    folder = site / ".sitegen-cache"
    folder.mkdir()
    # Root ignores permission bits; a read-only mount is read-only for everyone.
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(folder)],
                             capture_output=True, text=True, check=False)
    if mounted.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        report = build_site(site)
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)
    assert [w.path for w in report.warnings] == [str(folder)]
    assert "cannot be used (Read-only file system)" in report.warnings[0].message
    assert (site / "output/ekonomi/harga/index.html").is_file()
