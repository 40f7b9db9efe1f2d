"""The CMS configuration (Decap's format, read by Sveltia CMS): made from sitegen's own
front matter schema and sections, and from `[cms]` of sitegen.toml."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from click.testing import CliRunner

from sitegen import cms, cms_app, front_matter
from sitegen.cli import main
from sitegen.config import load_config
from tests.conftest import BASIC_CONFIG, REPO, article, build_site, make_site, missing_tool


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
                           "pages", "en-economy", "en-technology", "en-international",
                           "en-pages"]
    assert found["en-economy"]["folder"] == "content/en/economy"
    for name in ("ekonomi", "internasional"):
        collection = found[name]
        assert collection["folder"] == f"content/{name}" and collection["create"] is True
        fields = {f["name"]: f for f in collection["fields"]}
        read = {*front_matter.STRING_KEYS, *front_matter.LIST_KEYS, *front_matter.BOOL_KEYS,
                *front_matter.DATE_KEYS}
        assert read <= set(fields), read - set(fields)
        widgets = {key: fields[key]["widget"] for key in fields}
        for key in front_matter.DATE_KEYS:
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
    app = f"sveltia-cms.{cms_app.SVELTIA_SCRIPT_SHA256[:10]}.js"
    assert f'<script src="{app}" integrity="{cms_app.SVELTIA_SCRIPT_INTEGRITY}">' in index


# --- [cms]: where the CMS commits and how editors sign in ---------------------------

def backend_of(site: Path) -> dict:
    return yaml.safe_load((site / cms.ADMIN_DIR / "config.yml").read_text("utf-8"))["backend"]


def test_cms_keys_are_checked_with_their_line_and_what_to_write(tmp_path: Path) -> None:
    site = make_site(tmp_path, {}, config=BASIC_CONFIG + '[cms]\nrepo = "kabar"\n'
                     'auth_type = "pcke"\nbackend = "bitbucket"\nbase_url = "http://x"\n')
    result = CliRunner().invoke(main, ["admin", "--source", str(site)])
    assert result.exit_code == 1
    shown = result.output
    assert f"{site / 'sitegen.toml'}:6: cms.repo 'kabar' must be the repository as " \
           "owner/name" in shown
    assert ":7: cms.auth_type must be one of token, pkce, oauth (did you mean 'pkce'?)" in shown
    assert ":8: cms.backend must be one of github, gitlab" in shown
    assert ":9: cms.base_url must be an https:// URL" in shown
    pkce = make_site(tmp_path / "b", {}, config=BASIC_CONFIG + '[cms]\nauth_type = "pkce"\n')
    assert "needs cms.app_id" in CliRunner().invoke(main, ["admin", "--source",
                                                          str(pkce)]).output


def test_the_backend_follows_the_host_and_the_cms_table(tmp_path: Path) -> None:
    gitlab = make_site(tmp_path / "gl", {}, config=BASIC_CONFIG + '[deploy]\nhost = "gitlab"\n'
                       '[cms]\nrepo = "redaksi/web/situs"\nauth_type = "pkce"\n'
                       'app_id = "abc123"\neditorial_workflow = true\n')
    data = cms.cms_config(load_config(gitlab))
    assert data["backend"] == {"name": "gitlab", "repo": "redaksi/web/situs", "branch": "main",
                               "auth_type": "pkce", "app_id": "abc123"}
    assert data["publish_mode"] == "editorial_workflow"
    assert "local_backend" not in data  # no probe of a server on the editor's machine
    github = make_site(tmp_path / "gh", {}, config=BASIC_CONFIG + '[cms]\nrepo = "a/b"\n'
                       'branch = "terbit"\nbase_url = "https://auth.example.org"\n')
    data = cms.cms_config(load_config(github))
    assert data["backend"] == {"name": "github", "repo": "a/b", "branch": "terbit",
                               "base_url": "https://auth.example.org"}
    assert "publish_mode" not in data


def test_admin_warns_while_the_repository_is_unset_and_the_page_says_so(tmp_path: Path) -> None:
    site = make_site(tmp_path, {})
    result = CliRunner().invoke(main, ["admin", "--source", str(site)])
    assert result.exit_code == 0
    assert "warning: the CMS has no repository yet" in result.output
    assert '[cms] repo = "OWNER/NAME"' in result.output
    index = (site / cms.ADMIN_DIR / "index.html").read_text("utf-8")
    assert "Repositori untuk CMS belum diisi" in index and "is not set" in index
    (site / "sitegen.toml").write_text(BASIC_CONFIG + '[cms]\nrepo = "a/b"\n', "utf-8")
    result = CliRunner().invoke(main, ["admin", "--source", str(site)])
    assert "warning" not in result.output
    assert "belum diisi" not in (site / cms.ADMIN_DIR / "index.html").read_text("utf-8")


def test_admin_keeps_a_hand_added_backend_key_and_refuses_one_sitegen_toml_decides(
        tmp_path: Path) -> None:
    site = make_site(tmp_path, {}, config=BASIC_CONFIG + '[cms]\nrepo = "a/b"\n')
    assert CliRunner().invoke(main, ["admin", "--source", str(site)]).exit_code == 0
    path = site / cms.ADMIN_DIR / "config.yml"
    # A key sitegen does not manage (Sveltia's commit message option) is the user's own.
    path.write_text(path.read_text("utf-8").replace(
        "  branch: main\n", "  branch: main\n  squash_merges: true\n"), "utf-8")
    kept = CliRunner().invoke(main, ["admin", "--source", str(site)])
    assert kept.exit_code == 0, kept.output
    assert "kept backend.squash_merges" in kept.output
    assert backend_of(site)["squash_merges"] is True
    # base_url is [cms] base_url's: refused with where to write it, nothing written.
    text = path.read_text("utf-8").replace(
        "  branch: main\n", "  branch: main\n  base_url: https://oauth.example.org\n")
    path.write_text(text, "utf-8")
    line = text.splitlines().index("  base_url: https://oauth.example.org") + 1
    refused = CliRunner().invoke(main, ["admin", "--source", str(site)])
    assert refused.exit_code == 1
    assert (f"{path}:{line}: backend.base_url was added by hand, but sitegen.toml decides it: "
            'write [cms] base_url = "https://oauth.example.org" in sitegen.toml') in refused.output
    assert path.read_text("utf-8") == text
    (site / "sitegen.toml").write_text(BASIC_CONFIG + '[cms]\nrepo = "a/b"\n'
                                       'base_url = "https://oauth.example.org"\n', "utf-8")
    assert CliRunner().invoke(main, ["admin", "--source", str(site)]).exit_code == 0
    assert backend_of(site)["base_url"] == "https://oauth.example.org"
    assert backend_of(site)["squash_merges"] is True


def npm_packs() -> Path:
    """The `npm pack` tarballs .ci/run fetches: Sveltia CMS and its fonts."""
    folder = REPO / ".ci/cache" / f"sveltia-cms-{cms_app.SVELTIA_VERSION}"
    for package in (cms_app.SVELTIA, *cms_app.FONTS):
        if not (folder / package.tarball).is_file():
            missing_tool(f"{package.tarball} is not in {folder}: run the npm step of .ci/run "
                         f"(npm pack {package.name}@{package.version})")
    return folder


def test_fetch_cms_puts_the_checked_app_beside_the_page_and_refuses_another(
        tmp_path: Path) -> None:
    site = make_site(tmp_path, {})
    packs = npm_packs()
    result = CliRunner().invoke(main, ["fetch-cms", "--source", str(site), "--from", str(packs)])
    assert result.exit_code == 0, result.output
    app = site / cms.ADMIN_DIR / cms_app.APP_FILE
    digest = "sha384-" + base64.b64encode(hashlib.sha384(app.read_bytes()).digest()).decode()
    assert digest == cms_app.SVELTIA_SCRIPT_INTEGRITY
    script = app.read_text("utf-8")
    # Nothing the app loads before sign-in comes from another host.
    assert "cdn.jsdelivr.net" not in script and "githubstatus.com/api" not in script
    assert "unpkg.com/@sveltia/cms" not in script
    for package in cms_app.FONTS:
        assert (site / cms.ADMIN_DIR / "fonts" / Path(package.member).name).stat().st_size > 1000
    app.unlink()
    tampered = tmp_path / "tampered"
    shutil.copytree(packs, tampered, ignore=shutil.ignore_patterns("package"))
    data = bytearray((tampered / cms_app.SVELTIA.tarball).read_bytes())
    data[-100] ^= 1
    (tampered / cms_app.SVELTIA.tarball).write_bytes(bytes(data))
    refused = CliRunner().invoke(main, ["fetch-cms", "--source", str(site),
                                        "--from", str(tampered)])
    assert refused.exit_code == 1 and "its SHA-512 differs" in refused.output
    assert not app.exists()


def test_the_editors_read_labels_and_hints_in_the_sites_language(tmp_path: Path) -> None:
    # The machine that writes the configuration speaks English; the newsroom does not.
    english_site = make_site(tmp_path / "en", {"content/news/a.md": article("A")},
                             BASIC_CONFIG + 'language = "en"\n')
    indonesian_site = make_site(tmp_path / "id", {"content/berita/a.md": article("A")})
    for site in (english_site, indonesian_site):
        cms.write_admin(load_config(site))

    def fields(site: Path, section: str) -> dict[str, dict[str, object]]:
        collection = collections(site)[section]
        return {f["name"]: f for f in collection["fields"]}

    indonesian = fields(indonesian_site, "berita")
    assert indonesian["title"]["label"] == "Judul"
    assert indonesian["draft"]["label"] == "Draf"
    assert indonesian["body"]["label"] == "Isi"
    assert indonesian["summary"]["hint"] == "Dek: satu atau dua kalimat"
    assert "zona waktu situs (Asia/Jakarta)" in str(indonesian["date"]["hint"])
    assert collections(indonesian_site)["pages"]["label"] == "Halaman"
    english = fields(english_site, "news")
    assert english["title"]["label"] == "Title" and english["body"]["label"] == "Body"
    assert "the site's time zone" in str(english["date"]["hint"])
