"""A cache that cannot lie: nothing in the build cache runs, and nothing in it is
published unless it still hashes to what was stored (issue 21, "a cache that cannot lie")."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest

from sitegen import bodies, sealed, sources, template_environment, themes
from sitegen.config import load_config
from tests.conftest import REPO, article, build_site, make_image, make_site, read_tree

CONFIG = '[site]\ntitle = "Warta Uji"\nbase_url = "https://example.org/"\n'


class _Runs:
    """A pickle that, when loaded, creates a file: proof that cached bytes ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return open, (str(self.marker), "w")


def _buckets(site: Path) -> list[str]:
    """The cache key Jinja gives each template of the site's theme."""
    environment = template_environment.make_environment(themes.resolve_chain(load_config(site)))
    keys = []
    for name in environment.list_templates():
        _, filename, _ = environment.loader.get_source(environment, name)  # type: ignore[union-attr]
        keys.append(jinja2.BytecodeCache().get_cache_key(name, filename))
    return keys


def _cli_build(site: Path, user_cache: Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(REPO), "XDG_CACHE_HOME": str(user_cache)}
    return subprocess.run([sys.executable, "-m", "sitegen", "build", "--source", str(site),
                           "--jobs", "1", "--now", "2026-11-28T12:00:00+07:00"],
                          capture_output=True, text=True, env=environment, timeout=120)


@pytest.mark.slow
def test_a_poisoned_bytecode_file_neither_runs_nor_matters(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"content/ekonomi/a.md": article("Harga")}, CONFIG)
    user_cache = tmp_path / "user-cache"
    marker = tmp_path / "ran"
    poison = jinja2.bccache.bc_magic + pickle.dumps(_Runs(marker), 2)
    planted = site / ".sitegen-cache/templates"
    planted.mkdir(parents=True)
    sealed_dir = user_cache / "sitegen/templates"
    sealed_dir.mkdir(parents=True)
    for key in _buckets(site):
        # Jinja's own on-disk format, where sitegen used to keep compiled templates...
        (planted / f"__jinja2_{key}.cache").write_bytes(poison)
        # ...and the sealed cache's, with a seal made without the user's key.
        (sealed_dir / f"{key}.sealed").write_bytes(b"\0" * 32 + poison)
    result = _cli_build(site, user_cache)
    assert result.returncode == 0, result.stderr
    assert not marker.exists(), "a cached file ran during the build"
    clean = tmp_path / "clean"
    shutil.copytree(site, clean, ignore=shutil.ignore_patterns(".sitegen-cache", "output"))
    assert _cli_build(clean, tmp_path / "other-user").returncode == 0
    assert read_tree(site / "output") == read_tree(clean / "output")
    # Compiled templates are kept, sealed, in the user's own cache; none in the site's.
    assert oct((user_cache / "sitegen" / sealed.KEY_NAME).stat().st_mode & 0o777) == "0o600"
    fresh = sorted(p for p in sealed_dir.iterdir() if p.read_bytes()[32:] != poison)
    assert fresh, "the rejected files were compiled again and sealed with the user's key"
    assert sorted(p.name for p in planted.iterdir()) == sorted(
        f"__jinja2_{key}.cache" for key in _buckets(site)), "nothing new in the build cache"


def test_a_sealed_template_is_loaded_and_a_reseal_with_another_key_is_not(
        tmp_path: Path) -> None:
    compiled = sealed.SealedBytecodeCache(tmp_path, b"k" * 32)
    environment = jinja2.Environment(loader=jinja2.DictLoader({"t": "{{ 1 + 1 }}"}),
                                     bytecode_cache=compiled)
    environment.get_template("t")
    [stored] = list(tmp_path.glob("*.sealed"))
    checksum = compiled.get_source_checksum("{{ 1 + 1 }}")
    bucket = jinja2.bccache.Bucket(environment, stored.stem, checksum)
    compiled.load_bytecode(bucket)
    assert bucket.code is not None
    stranger = sealed.SealedBytecodeCache(tmp_path, b"x" * 32)
    other = jinja2.bccache.Bucket(environment, stored.stem, checksum)
    stranger.load_bytecode(other)
    assert other.code is None


def test_the_sealed_template_cache_is_used_with_a_key_made_before_and_one_made_now(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A later constant of the same name once set the key's size to a short key's (15
    # bytes): a user cache whose key an earlier build made was refused, and every
    # process of every build compiled every template again.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    site_cache = tmp_path / "site" / ".sitegen-cache"
    made_now = sealed.template_cache(site_cache)
    assert isinstance(made_now, sealed.SealedBytecodeCache)
    assert len(made_now.key) == 32
    kept = tmp_path / "kept"
    monkeypatch.setenv("XDG_CACHE_HOME", str(kept))
    (kept / "sitegen").mkdir(parents=True)
    (kept / "sitegen" / sealed.KEY_NAME).write_bytes(b"k" * 32)  # an earlier build's
    made_before = sealed.template_cache(site_cache)
    assert isinstance(made_before, sealed.SealedBytecodeCache)
    assert made_before.key == b"k" * 32
    (kept / "sitegen" / sealed.KEY_NAME).write_bytes(b"s" * 15)  # the short one's size
    replaced = sealed.template_cache(site_cache)
    assert isinstance(replaced, sealed.SealedBytecodeCache)
    assert len(replaced.key) == 32 and replaced.key == (kept / "sitegen/seal.key").read_bytes()


def _body_files(site: Path) -> list[Path]:
    return sorted((site / ".sitegen-cache" / bodies.FOLDER).rglob("*.html"))


def test_a_swapped_body_is_not_published_and_the_article_is_converted_again(
        tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {
        "content/ekonomi/harga.md": article("Harga", body="Harga cabai naik tajam."),
    }, CONFIG)
    build_site(site)
    [stored] = _body_files(site)
    stored.write_text("<p>Harga cabai naik tajam.</p><script>alert(1)</script>", "utf-8")
    # A new build: a new process, whose build state comes from the disk.
    shutil.rmtree(site / "output")  # so every page is written again
    report = build_site(site)
    assert [(w.path, w.message) for w in report.warnings] == [
        ("content/ekonomi/harga.md", bodies.CHANGED)]
    assert report.parsed == ["content/ekonomi/harga.md"]
    published = b"".join(read_tree(site / "output").values())
    assert b"alert(1)" not in published and b"Harga cabai naik tajam." in published
    assert "<script>" not in stored.read_text("utf-8"), "the body was stored again"
    assert not build_site(site).warnings


def test_a_publish_reads_no_stored_body_unchanged_since_the_last_check(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The build that checked every stored body records when it began; a later build takes
    a body whose change time (ctime, which moves on any write and cannot be set back) is
    older as intact without reading it, and still reads and hashes one changed since."""
    monkeypatch.setattr(sources, "RACY_NS", 0)  # these builds are milliseconds apart
    site = make_site(tmp_path / "site", {
        f"content/ekonomi/b{i}.md": article(f"Berita {i}", body=f"Isi berita {i}.")
        for i in range(4)}, CONFIG)
    build_site(site)
    build_site(site, early=False)  # reads every stored body, and records when it began
    checked: list[str] = []
    original = bodies.intact
    monkeypatch.setattr(bodies, "intact", lambda folder, ref: checked.append(ref)
                        or original(folder, ref))
    (site / "content/ekonomi/baru.md").write_text(article("Baru", body="Isi baru."), "utf-8")
    report = build_site(site)
    assert report.parsed == ["content/ekonomi/baru.md"]
    new = {p.stem for p in _body_files(site) if b"Isi baru." in p.read_bytes()}
    assert set(checked) <= new, "only the new story's body, as it was stored"
    [stored] = [p for p in _body_files(site) if b"Isi berita 2." in p.read_bytes()]
    stored.write_text("<p>Isi berita 2.</p><script>alert(1)</script>", "utf-8")
    checked.clear()
    report = build_site(site, early=False)  # the early answer does not look at the cache
    assert stored.stem in checked and report.parsed == ["content/ekonomi/b2.md"]
    assert [(w.path, w.message) for w in report.warnings] == [
        ("content/ekonomi/b2.md", bodies.CHANGED)]
    assert b"alert(1)" not in b"".join(read_tree(site / "output").values())


def test_after_a_build_that_did_not_finish_every_stored_body_is_read_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The record of the last full check is gone while a build runs: one that stops (here
    --strict on a warning, after the read stage) leaves the next build to check them all."""
    from sitegen.errors import SitegenError
    monkeypatch.setattr(sources, "RACY_NS", 0)
    site = make_site(tmp_path / "site", {
        f"content/ekonomi/b{i}.md": article(f"Berita {i}", body=f"Isi berita {i}.")
        for i in range(3)}, CONFIG)
    build_site(site)
    build_site(site)
    (site / "content/ekonomi/lain.md").write_text(article(
        "Lain", see_also=["ekonomi/tidak-ada.md"]), "utf-8")  # a warning
    with pytest.raises(SitegenError):
        build_site(site, strict=True)
    checked: list[str] = []
    original = bodies.intact
    monkeypatch.setattr(bodies, "intact", lambda folder, ref: checked.append(ref)
                        or original(folder, ref))
    build_site(site)
    assert {p.stem for p in _body_files(site)} <= set(checked)
    checked.clear()
    build_site(site)
    assert checked == [], "that build checked them all"


def test_a_body_changed_after_the_read_stage_is_never_rendered(tmp_path: Path) -> None:
    folder = tmp_path / "bodies"
    ref = bodies.save(folder, "<p>Isi</p>")
    path = next(folder.rglob("*.html"))
    path.write_text("<p>Isi</p><script>alert(1)</script>", "utf-8")
    recipe = {"ref": ref, "html": "", "links": {}, "sponsored": None, "feed": None}
    with pytest.raises(bodies.Tampered, match="was changed after it was stored"):
        bodies.finish(recipe, folder)
    assert bodies.save(folder, "<p>Isi</p>") == ref
    assert bodies.finish(recipe, folder) == "<p>Isi</p>", "saving again repaired it"


def test_a_body_is_taken_from_another_output_of_the_cache_only(tmp_path: Path) -> None:
    """Builds into two folders share their bodies (hard links within the cache's bodies
    folder); a build's own folder (`--no-cache`, in the temporary folder) looks at nothing
    beside it."""
    cache_bodies = tmp_path / ".sitegen-cache" / bodies.FOLDER
    first = bodies.save(cache_bodies / "output-a", "<p>Isi</p>")
    assert bodies.save(cache_bodies / "output-b", "<p>Isi</p>") == first
    a, b = (next((cache_bodies / name).rglob("*.html")) for name in ("output-a", "output-b"))
    assert a.stat().st_ino == b.stat().st_ino
    temporary = tmp_path / "tmp"
    bodies.save(temporary / "sitegen-bodies-x", "<p>Isi</p>")
    bodies.save(temporary / "sitegen-bodies-y", "<p>Isi</p>")
    x, y = (next((temporary / name).rglob("*.html")) for name in ("sitegen-bodies-x",
                                                                    "sitegen-bodies-y"))
    assert x.stat().st_ino != y.stat().st_ino and y.read_text() == "<p>Isi</p>"


def test_a_swapped_picture_variant_is_made_again(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {
        "content/ekonomi/a.md": article("A", image="/images/foto.jpg", image_alt="Pasar"),
    }, CONFIG)
    make_image(site / "content/static/images/foto.jpg", (1300, 731))
    build_site(site)
    variants = sorted(p for p in (site / ".sitegen-cache/pictures").rglob("*")
                      if p.is_file() and not p.name.endswith(sealed.SUM_SUFFIX))
    assert variants
    swapped = variants[0]
    swapped.write_bytes(b"GIF89a" + b"\0" * 64)
    report = build_site(site, output=tmp_path / "fresh")
    assert [w.message for w in report.warnings] == ["this resized picture in the build cache "
                                                    "was changed after it was made: dropped "
                                                    "and made again (if you did not change "
                                                    "it, the cache was tampered with)"]
    assert report.warnings[0].path.endswith(swapped.name)
    assert swapped.read_bytes()[:6] != b"GIF89a" and len(swapped.read_bytes()) > 64
    assert read_tree(tmp_path / "fresh") == read_tree(site / "output")
