"""The build cache: exactly what changed is rendered again, and output equals a clean build."""

from __future__ import annotations

import contextlib
import datetime as dt
import marshal
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sitegen import cache, state
from sitegen.state import BuildState
from tests.conftest import NOW, article, build_site, make_site, read_tree

CONFIG = ('[site]\ntitle = "Warta"\nbase_url = "https://example.org/"\n'
          '[build]\nitems_per_page = 3\n')


def small_site(root: Path, config: str = CONFIG) -> Path:
    files = {}
    for i in range(7):
        section = ("ekonomi", "nasional")[i % 2]
        files[f"content/{section}/a{i}.md"] = article(
            f"Judul{i}", date=f"2026-11-{10 + i:02d} 09:00", tags=[f"t{i % 3}", "umum"],
            author=f"Penulis {i % 2}", body=f"Pembuka {i}.\n\nIsi kedua {i}.\n")
    files["content/pages/tentang.md"] = "---\ntitle: Tentang\n---\nKami.\n"
    return make_site(root, files, config=config)


def files_containing(folder: Path, text: str) -> set[str]:
    return {name for name, data in read_tree(folder).items() if text.encode() in data}


def test_nothing_changed_renders_nothing(tmp_path: Path) -> None:
    site = small_site(tmp_path)
    first = build_site(site)
    again = build_site(site)
    assert first.rendered and not again.rendered and not again.parsed
    assert again.written == [] and len(again.unchanged) == first.pages


def test_editing_a_body_renders_that_page_and_what_shows_the_text(tmp_path: Path) -> None:
    site = small_site(tmp_path)
    build_site(site)
    path = site / "content/nasional/a3.md"
    path.write_text(path.read_text().replace("Isi kedua 3.", "Isi kedua yang baru."))
    report = build_site(site)
    assert report.parsed == ["content/nasional/a3.md"]
    showing = files_containing(site / "output", "Isi kedua yang baru.")
    assert "nasional/a3/index.html" in showing
    assert set(report.rendered) == showing


def test_editing_a_title_renders_its_page_and_every_list_showing_it(tmp_path: Path) -> None:
    site = small_site(tmp_path)
    build_site(site)
    showing_before = files_containing(site / "output", "Judul2<")
    path = site / "content/ekonomi/a2.md"
    path.write_text(path.read_text().replace("Judul2", "JudulBaru"))
    report = build_site(site)
    showing = files_containing(site / "output", "JudulBaru")
    assert {"ekonomi/a2/index.html", "index.html", "ekonomi/index.html",
            "tag/t2/index.html"} <= showing
    assert {name for name in showing_before if name.endswith(".html")} <= showing
    assert set(report.rendered) == showing


def test_changing_a_template_renders_every_page_using_it(tmp_path: Path) -> None:
    site = small_site(tmp_path)
    with (site / "sitegen.toml").open("a") as config:
        config.write('theme = "lokal"\n')
    theme = site / "themes/lokal"
    (theme / "templates").mkdir(parents=True)
    (theme / "theme.toml").write_text('extends = "default"\n')
    (theme / "templates/article.html").write_text(
        '{% extends "default/article.html" %}{% block main %}<p>v1</p>{{ super() }}{% endblock %}')
    build_site(site)
    (theme / "templates/article.html").write_text(
        '{% extends "default/article.html" %}{% block main %}<p>v2</p>{{ super() }}{% endblock %}')
    report = build_site(site)
    articles = {f"{s}/a{i}/index.html" for i, s in enumerate(["ekonomi", "nasional"] * 4)
                if i < 7}
    assert articles <= set(report.rendered)
    assert all("<p>v2</p>" in (site / "output" / a).read_text() for a in articles)


def test_changing_a_config_value_renders_every_affected_page(tmp_path: Path) -> None:
    site = small_site(tmp_path)
    first = build_site(site)
    config = site / "sitegen.toml"
    config.write_text(config.read_text().replace('title = "Warta"', 'title = "Warta Baru"'))
    report = build_site(site)
    # The old numbering's last pages redirect to their list's front page (kinds/lists.py):
    # they get the site view like every page, so they render again, to the same bytes.
    redirects = files_containing(site / "output", 'http-equiv="refresh"')
    assert set(report.rendered) - redirects == files_containing(site / "output",
                                                               "Warta Baru") - redirects
    assert len(report.rendered) >= len(first.rendered) - 5
    config.write_text(config.read_text().replace("items_per_page = 3", "items_per_page = 2"))
    report = build_site(site)
    assert "page/2/index.html" in report.rendered  # a new page of the home page
    assert "ekonomi/a0/index.html" not in report.rendered


def test_a_new_cache_version_rebuilds_everything(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    site = small_site(tmp_path)
    first = build_site(site)
    monkeypatch.setattr(cache, "CACHE_VERSION", cache.CACHE_VERSION + 1)
    report = build_site(site)
    assert len(report.parsed) == 8
    assert sorted(report.rendered) == sorted(first.rendered)


@pytest.mark.parametrize("damage", ["truncated", "garbage", "wrong version", "damaged record"])
def test_a_damaged_cache_is_ignored_with_a_warning(tmp_path: Path, damage: str) -> None:
    site = small_site(tmp_path)
    build_site(site)
    stored = site / ".sitegen-cache" / state.FILE
    assert sorted(p.name for p in stored.parent.glob("*.sqlite*")) == [state.FILE]
    data = stored.read_bytes()
    assert data.startswith(b"SQLite format 3\0")
    if damage == "damaged record":  # a flipped byte inside an article's record
        at = data.index(b"Pembuka 3.")
        data = data[:at] + b"X" + data[at + 1:]
    if damage == "wrong version":  # as another version of sitegen wrote it
        with contextlib.closing(sqlite3.connect(stored)) as db, db:
            db.execute("UPDATE records SET crc=?, data=? WHERE kind='meta'",
                       (zlib.crc32(marshal.dumps("0|old")), marshal.dumps("0|old")))
    else:
        stored.write_bytes({"truncated": data[: len(data) // 2],
                            "garbage": b"\x00\xff{]" * 300, "damaged record": data}[damage])
    shutil.rmtree(site / "output")
    report = build_site(site)
    expected = {"truncated": "ignoring the build cache", "garbage": "ignoring the build cache",
                "wrong version": None, "damaged record": "1 damaged entry was dropped"}[damage]
    if expected:
        assert any(expected in w.message for w in report.warnings), report.warnings
    else:
        assert report.warnings == []
    assert len(report.parsed) == (1 if damage == "damaged record" else 8)
    clean = build_site(site, use_cache=False, output=tmp_path / "clean")
    assert clean.warnings == []
    assert read_tree(site / "output") == read_tree(tmp_path / "clean")
    again = build_site(site)  # the state made again is trusted again
    assert again.parsed == [] and again.warnings == []


def test_deleted_and_renamed_sources_remove_their_pages(tmp_path: Path) -> None:
    site = small_site(tmp_path)
    build_site(site)
    (site / "content/ekonomi/a0.md").unlink()
    (site / "content/nasional/a1.md").rename(site / "content/nasional/baru.md")
    report = build_site(site)
    out = site / "output"
    assert not (out / "ekonomi/a0").exists() and not (out / "nasional/a1").exists()
    assert (out / "nasional/baru/index.html").is_file()
    assert "ekonomi/a0/index.html" in report.removed


# --- after any sequence of edits, cached and in-memory builds equal a clean one ---

# Every kind of change a newsroom makes: an article's body and each of its fields, its
# file (deleted, renamed, new), and the site around it (config, theme, static files).
CHANGES = ["edit", "retitle", "redate", "section", "retag", "author", "draft", "schedule",
           "delete", "rename", "add", "config", "theme", "static"]
EDITS = st.lists(st.tuples(st.sampled_from(CHANGES), st.integers(min_value=0, max_value=30)),
                 min_size=1, max_size=4)
THEMED = CONFIG + 'theme = "lokal"\nsearch = true\nsearch_shard_pages = 4\n'


def themed_site(root: Path) -> Path:
    site = small_site(root, THEMED)
    theme = site / "themes/lokal"
    (theme / "templates").mkdir(parents=True)
    (theme / "theme.toml").write_text('extends = "default"\n')
    write_template(site, 0)
    return site


def write_template(site: Path, n: int) -> None:
    (site / "themes/lokal/templates/article.html").write_text(
        '{% extends "default/article.html" %}'
        f'{{% block main %}}<p>v{n}</p>{{{{ super() }}}}{{% endblock %}}')


def apply(site: Path, action: str, n: int) -> None:
    sources = sorted((site / "content").rglob("a*.md"))
    if action in ("config", "theme", "static"):
        apply_to_site(site, action, n)
        return
    if action == "add" or not sources:
        section = ("ekonomi", "nasional", "olahraga")[n % 3]
        target = site / f"content/{section}/a{100 + n}.md"
        target.parent.mkdir(exist_ok=True)
        target.write_text(article(
            f"Tambahan{n}", date=f"2026-11-{1 + n % 27:02d} 08:00", tags=[f"t{n % 4}"]))
        return
    path = sources[n % len(sources)]
    text = path.read_text()
    if action == "edit":
        path.write_text(text + f"\nParagraf baru {n}.\n")
    elif action == "retitle":
        path.write_text(text.replace('title: "', f'title: "Ubah{n} ', 1))
    elif action == "redate":
        path.write_text(re.sub(r"date: \S+", f"date: 2026-10-{1 + n % 27:02d}", text, count=1))
    elif action == "schedule":  # after the build's clock: held back until then
        path.write_text(re.sub(r"date: \S+", f"date: 2026-12-{1 + n % 27:02d}", text, count=1))
    elif action == "section":
        other = ("ekonomi", "nasional", "olahraga")[n % 3]
        if other == path.parent.name:
            other = "olahraga"
        (site / f"content/{other}").mkdir(exist_ok=True)
        path.rename(site / f"content/{other}/{path.name}")
    elif action == "author":
        path.write_text(re.sub(r"author: .*", f'author: "Wartawan {n % 2}"', text, count=1)
                        if "author: " in text else
                        text.replace("\n---\n", f'\nauthor: "Wartawan {n % 2}"\n---\n', 1))
    elif action == "rename":
        path.rename(path.with_name(f"a{200 + n}.md"))
    elif action == "delete":
        path.unlink()
    elif action == "draft":
        path.write_text(text.replace("\n---\n", "\ndraft: true\n---\n", 1))
    elif action == "retag":
        path.write_text(text.replace('tags: ["', f'tags: ["baru{n % 2}", "', 1))


def apply_to_site(site: Path, action: str, n: int) -> None:
    if action == "config":
        config = site / "sitegen.toml"
        config.write_text(re.sub(r'title = "Warta[^"]*"', f'title = "Warta {n}"',
                                 config.read_text(), count=1))
    elif action == "theme":
        write_template(site, n)
    else:
        static = site / "content/static" / f"berkas-{n % 3}.txt"
        static.parent.mkdir(parents=True, exist_ok=True)
        static.write_text(f"versi {n}\n")


@pytest.mark.slow  # about 23 s: seven sites built many times (test_equality.py covers serve too)
@settings(max_examples=6, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@example(edits=[(change, number) for number, change in enumerate(CHANGES)])
@given(edits=EDITS)
def test_cached_builds_equal_a_clean_build_after_any_edits(tmp_path_factory, edits) -> None:
    """A cached CLI build (the state on disk), a serve-style build (one state in memory)
    and a clean --no-cache build give the same bytes after each change, search on."""
    root = tmp_path_factory.mktemp("acak")
    # Search on, in several shards: a body edit re-indexes one shard, kept ones are reused.
    site = themed_site(root / "site")
    build_site(site)  # fills the build state on disk
    kept = BuildState()  # like `sitegen serve`: one state in memory across its builds
    build_site(site, output=root / "served", state=kept)
    for action, n in edits:
        apply(site, action, n)
        served = build_site(site, output=root / "served", state=kept)
        cached = build_cli(site)  # a new `sitegen build` process: the state on disk
        build_site(site, use_cache=False, output=root / "clean")
        clean_tree = read_tree(root / "clean")
        assert read_tree(site / "output") == clean_tree, (action, n, cached)
        assert read_tree(root / "served") == clean_tree, (action, n, served.rendered)
        assert any(name.startswith("pagefind") for name in clean_tree)
        if action == "edit":  # a body alone: only the pages that show it are planned
            assert len(served.planned) < len(clean_tree) / 4, served.planned


def build_cli(site: Path) -> str:
    done = subprocess.run([sys.executable, "-m", "sitegen", "build", "-s", str(site), "--now",
                           NOW.isoformat(), "-j1", "-q"], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_time_passing_publishes_scheduled_articles_without_any_edit(tmp_path: Path) -> None:
    site = make_site(tmp_path, {
        "content/ekonomi/kemarin.md": article("Kemarin", date="2026-11-27 12:00"),
        "content/ekonomi/nanti.md": article("Terjadwal", date="2026-11-28 14:00"),
    }, config=CONFIG)
    build_site(site)
    assert not (site / "output/ekonomi/nanti").exists()
    assert "kemarin" in (site / "output/sitemap-news.xml").read_text()
    later = NOW + dt.timedelta(hours=3)
    report = build_site(site, now=later)
    assert "ekonomi/nanti/index.html" in report.rendered
    assert "Terjadwal" in (site / "output/index.html").read_text()
    build_site(site, now=later + dt.timedelta(days=3))
    assert "kemarin" not in (site / "output/sitemap-news.xml").read_text()


def test_an_output_file_deleted_by_hand_is_written_again(tmp_path: Path) -> None:
    site = small_site(tmp_path)
    build_site(site)
    (site / "output/ekonomi/a0/index.html").unlink()
    # The full way (the early answer does not look below the output's top: nothing_changed).
    report = build_site(site, early=False)
    assert report.rendered == ["ekonomi/a0/index.html"]
    assert (site / "output/ekonomi/a0/index.html").is_file()


def test_sources_unchanged_since_hashed_are_not_read_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = small_site(tmp_path)
    hour_ago = NOW.timestamp() - 3600
    for path in (site / "content").rglob("*.md"):
        os.utime(path, (hour_ago, hour_ago))
    build_site(site)
    hashed: list[str] = []
    original = cache.read_key
    monkeypatch.setattr(cache, "read_key",
                        lambda source, relative, context: hashed.append(relative)
                        or original(source, relative, context))
    assert build_site(site).parsed == [] and hashed == []
    edited = site / "content/ekonomi/a0.md"
    edited.write_text(edited.read_text().replace("Isi kedua 0.", "Isi kedua berubah."))
    report = build_site(site)
    assert hashed == ["content/ekonomi/a0.md"] and report.parsed == ["content/ekonomi/a0.md"]
    assert "berubah" in (site / "output/ekonomi/a0/index.html").read_text()
    hashed.clear()
    # Modified just now: too recent to trust its time, so hashed again (by the full way:
    # the early answer kept from a racy walk hashes it itself).
    build_site(site, early=False)
    assert hashed == ["content/ekonomi/a0.md"]



def test_equal_contexts_have_equal_render_keys_however_their_parts_are_shared() -> None:
    """Articles read anew and read back from the cache hold equal strings, shared
    differently; pickle's memo wrote a shared one as a reference, so equal contexts
    hashed apart and a new process rendered half the site again."""
    place = "Jayapura"
    copy = "".join(["Jaya", "pura"])
    assert copy == place and copy is not place
    shared = {"articles": [{"location": place}, {"location": place}]}
    apart = {"articles": [{"location": place}, {"location": copy}]}
    assert cache.render_key("t", ("list.html",), shared, "s") == \
        cache.render_key("t", ("list.html",), apart, "s")


def test_an_output_file_deleted_by_hand_comes_back_from_the_spare_tree(tmp_path: Path) -> None:
    site = small_site(tmp_path)
    for edit in ("", "\nTambahan.\n"):  # two swaps: the spare tree is listed by the last
        (site / "content/nasional/a1.md").write_text(article(
            "Judul1", date="2026-11-11 09:00", body=f"Pembuka 1.{edit}"))
        build_site(site)
    before = read_tree(site / "output")
    (site / "output/ekonomi/a0/index.html").unlink()
    (site / "content/ekonomi/a9.md").write_text(article("Baru", date="2026-11-20 09:00"))
    report = build_site(site)
    # Its page was planned from what it was (page_inputs.py), its file kept: the spare
    # tree's, the same inode the output had.
    assert "ekonomi/a0/index.html" not in report.planned
    assert read_tree(site / "output")["ekonomi/a0/index.html"] == \
        before["ekonomi/a0/index.html"]


def test_the_state_is_read_a_batch_of_sources_at_a_time(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sitegen import sources
    monkeypatch.setattr(sources, "READ_AHEAD", 3)  # 8 sources: batches of 3, 3 and 2
    site = small_site(tmp_path)
    hour_ago = NOW.timestamp() - 3600  # older than the racy window: stamps are trusted
    for path in (site / "content").rglob("*.md"):
        os.utime(path, (hour_ago, hour_ago))
    build_site(site)
    queried: list[str] = []
    monkeypatch.setattr(BuildState, "get", lambda self, kind, *_: queried.append(kind))
    (site / "content/ekonomi/a0.md").write_text(article("Baru", date="2026-11-10 09:00"))
    report = build_site(site)
    assert report.parsed == ["content/ekonomi/a0.md"]  # every other one from the batches
    # One query alone: whether the edited source's new read key is known.
    assert "source" not in queried and queried.count("read") == 1


def test_a_publish_plans_the_front_page_of_a_list_it_joins_and_keeps_its_numbered_pages(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A numbered page of a list does not change when a story joins the list's front
    page: kept with its recorded inputs, not worked out; once the front page hands a
    page's worth to a new numbered page (the pager changes), they are worked out again."""
    from sitegen.page_inputs import PageInputs
    site = small_site(tmp_path, CONFIG.replace("items_per_page = 3", "items_per_page = 2"))
    build_site(site)
    asked: list[str] = []
    unchanged = PageInputs.unchanged
    monkeypatch.setattr(PageInputs, "unchanged", lambda self, output, *rest: (
        asked.append(output), unchanged(self, output, *rest))[1])
    for day, count in ((20, 8), (21, 9)):
        asked.clear()
        (site / f"content/ekonomi/baru-{day}.md").write_text(article(
            f"Baru {day}", date=f"2026-11-{day} 09:00", tags=["t0"]))
        report = build_site(site)
        assert "index.html" in asked and "index.html" in report.planned
        numbered = [f"page/{n}/index.html" for n in range(1, count // 2)]
        assert all((site / "output" / page).is_file() for page in numbered)
        if count == 8:  # 8 stories: a third numbered page, so each one's pager changed
            assert set(numbered) <= set(asked)
        else:  # 9: the same three numbered pages, kept
            assert not set(numbered) & set(asked) and not set(numbered) & set(report.planned)
        clean = build_site(site, use_cache=False, output=tmp_path / f"clean-{day}")
        assert read_tree(site / "output") == read_tree(tmp_path / f"clean-{day}")
        assert clean.pages == report.pages


def test_a_publish_keeps_the_lists_it_does_not_join_without_working_out_their_pages(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sitegen.page_inputs import PageInputs
    site = small_site(tmp_path)
    build_site(site)
    asked: list[str] = []
    unchanged = PageInputs.unchanged
    monkeypatch.setattr(PageInputs, "unchanged", lambda self, output, *rest: (
        asked.append(output), unchanged(self, output, *rest))[1])
    (site / "content/ekonomi/baru.md").write_text(article(
        "Baru", date="2026-11-20 09:00", tags=["t0"], author="Penulis 0"))
    report = build_site(site)
    # The lists it joins are worked out page by page; the others are kept whole.
    assert "tag/t0/index.html" in asked and "ekonomi/index.html" in asked
    for kept in ("tag/t1/index.html", "tag/t2/index.html", "nasional/index.html"):
        assert kept not in asked and kept not in report.planned
        assert (site / "output" / kept).is_file()
    clean = build_site(site, use_cache=False, output=tmp_path / "clean")
    assert clean.pages == report.pages
    assert read_tree(site / "output") == read_tree(tmp_path / "clean")
