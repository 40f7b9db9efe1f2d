"""The Decap CMS configuration: made from sitegen's own front matter schema and sections."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from click.testing import CliRunner

from sitegen import cms, readers
from sitegen.cli import main
from sitegen.config import load_config
from tests.conftest import REPO, article, build_site, make_site


def collections(site: Path) -> dict[str, dict]:
    data = yaml.safe_load((site / cms.ADMIN_DIR / "config.yml").read_text("utf-8"))
    return {c["name"]: c for c in data["collections"]}


def test_the_sample_sites_admin_files_are_the_ones_sitegen_writes() -> None:
    expected = cms.admin_files(load_config(REPO))
    for relative, text in expected.items():
        assert (REPO / relative).read_text("utf-8") == text, \
            f"{relative} is stale: run `sitegen admin` in the repository"


def test_every_front_matter_key_has_a_field_with_the_right_widget() -> None:
    found = collections(REPO)
    assert list(found) == ["ekonomi", "nasional", "teknologi", "olahraga", "internasional",
                           "pages"]
    for name in ("ekonomi", "internasional"):
        collection = found[name]
        assert collection["folder"] == f"content/{name}" and collection["create"] is True
        fields = {f["name"]: f for f in collection["fields"]}
        read = {*readers.STRING_KEYS, *readers.LIST_KEYS, *readers.BOOL_KEYS,
                *readers.DATE_KEYS}
        assert read <= set(fields), read - set(fields)
        widgets = {key: fields[key]["widget"] for key in fields}
        for key in readers.DATE_KEYS:
            assert widgets[key] == "datetime" and fields[key]["format"].endswith("Z")
            assert "Asia/Jakarta" in fields[key]["hint"]
        for key in ("authors", "tags", "aliases"):
            assert widgets[key] == "list"
        assert widgets["draft"] == widgets["featured"] == "boolean"
        assert widgets["image"] == "image" and widgets["summary"] == "text"
        assert widgets["body"] == "markdown"
        assert {widgets[k] for k in ("image_alt", "image_caption", "image_credit")} == {"string"}
        assert fields["title"]["required"] and fields["date"]["required"]
        assert not fields["image"]["required"]
    page_fields = {f["name"] for f in found["pages"]["fields"]}
    assert {"title", "summary", "image", "image_alt", "body"} <= page_fields
    assert not page_fields & {"date", "tags", "authors"}


def test_uploads_go_to_the_static_images_folder() -> None:
    data = yaml.safe_load((REPO / cms.ADMIN_DIR / "config.yml").read_text("utf-8"))
    assert data["media_folder"] == "content/static/images"
    assert data["public_folder"] == "/images"
    assert data["backend"] == {"name": "github", "repo": "kabar-nusantara/situs",
                               "branch": "main"}


def test_a_date_the_cms_writes_is_the_moment_the_editor_picked(tmp_path: Path) -> None:
    # moment.js "YYYY-MM-DDTHH:mm:ssZ" in a browser on UTC+8 (WITA): the same instant.
    site = make_site(tmp_path, {"content/ekonomi/a.md": article("A",
                                                                date="2026-11-20T10:30:00+08:00")})
    report = build_site(site)
    assert not report.warnings
    page = (site / "output/ekonomi/a/index.html").read_text("utf-8")
    expected = dt.datetime(2026, 11, 20, 9, 30, tzinfo=ZoneInfo("Asia/Jakarta")).isoformat()
    assert f'datetime="{expected}"' in page or expected in page


def test_sections_come_from_the_config_then_the_folders(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"content/olahraga/a.md": article("A"),
                                "content/berita-daerah/b.md": article("B"),
                                "content/pages/tentang.md": "---\ntitle: T\n---\n"},
                     config='[sections.olahraga]\ntitle = "Olah Raga"\n'
                            '[sections.ekonomi]\ntitle = "Ekonomi"\n')
    assert cms.sections(load_config(site)) == [
        ("olahraga", "Olah Raga"), ("ekonomi", "Ekonomi"), ("berita-daerah", "berita-daerah")]


def test_sitegen_admin_writes_the_files_again_after_a_new_section(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"content/ekonomi/a.md": article("A")})
    result = CliRunner().invoke(main, ["admin", "--source", str(site)])
    assert result.exit_code == 0, result.output
    assert list(collections(site)) == ["ekonomi", "pages"]
    (site / "content/hukum").mkdir()
    CliRunner().invoke(main, ["admin", "--source", str(site)])
    assert list(collections(site)) == ["ekonomi", "hukum", "pages"]
    build_site(site)
    assert (site / "output/admin/index.html").is_file()
    assert (site / "output/admin/config.yml").is_file()


def test_the_admin_page_escapes_the_site_title(tmp_path: Path) -> None:
    site = make_site(tmp_path, {}, config='[site]\ntitle = "A & B </title><script>x</script>"\n')
    index = cms.admin_files(load_config(site))[f"{cms.ADMIN_DIR}/index.html"]
    assert "<script>x" not in index and "A &amp; B &lt;/title&gt;" in index
    assert f'src="{cms.DECAP_SCRIPT}" integrity="{cms.DECAP_INTEGRITY}"' in index
