"""The link check after a publish or a removal: files gone that no page linked to (a search
shard's replaced index files) judge no page again; a file gone (a page, an image, a
photo's variants) judges again only the pages that linked to it (the state's link edges)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sitegen.check import check_site
from sitegen.config import load_config
from sitegen.link_index import LinkIndex
from sitegen.links import MdLinks
from sitegen.state import BuildState
from tests.conftest import make_site

PAGES = 20


class _Counted(LinkIndex):
    """A link index that remembers which pages' records were read."""

    def __init__(self, state: BuildState, output: Path) -> None:
        super().__init__(state, output)
        self.read: set[str] = set()

    def record(self, page: str) -> list[Any] | None:
        self.read.add(page)
        return super().record(page)


def _page(i: int, extra: str = "") -> str:
    picture = '<img alt="" src="/img/a.jpg">' if i == 1 else ""
    return (f'<!doctype html><html><head><link rel="stylesheet" href="/style.css"></head>'
            f'<body><a href="/p{(i + 1) % PAGES}.html">next</a>{picture}{extra}</body></html>')


def _check(site: Path, out: Path, written: list[str] | None) -> tuple[_Counted, list[str]]:
    """One build's check, as `build` runs it: a new process's index, then its facts saved."""
    state = BuildState(site / ".sitegen-cache", salt="test")
    index = _Counted(state, out)
    files = {p.relative_to(out).as_posix(): str(p) for p in out.rglob("*") if p.is_file()}
    problems = check_site(load_config(site), files, {}, MdLinks(), index, "output",
                          written=written)
    state.commit()
    state.close()
    return index, [p.message for p in problems]


def test_a_file_gone_that_no_page_linked_to_judges_only_the_pages_written(
        tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {})
    (site / ".sitegen-cache").mkdir()
    out = site / "output"
    for i in range(PAGES):
        make_site(out, {f"p{i}.html": _page(i)}, "")
    make_site(out, {"style.css": "body{}", "img/a.jpg": "jpeg", "search/old.pf": "x"}, "")
    first, problems = _check(site, out, None)
    assert problems == [] and len(first.read) == PAGES  # no facts yet: every page
    # A publish: one page written, the search shard's file replaced by another.
    (out / "search/old.pf").unlink()
    (out / "search/new.pf").write_text("y")
    (out / "p0.html").write_text(_page(0, "<p>baru</p>"))
    after, problems = _check(site, out, ["p0.html", "search/new.pf"])
    assert problems == [] and after.read == {"p0.html"}
    # A file a page links to is gone: that page (not written by this build) is judged,
    # and reports it; the pages linking only to the stylesheet are not.
    (out / "img/a.jpg").unlink()
    gone, problems = _check(site, out, [])
    assert gone.read == {"p1.html"}
    assert problems == ["image /img/a.jpg is missing: the site has no such file (the site's "
                        "own images go in content/static/)"]


def test_a_page_gone_judges_again_only_the_pages_that_linked_to_it(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {})
    (site / ".sitegen-cache").mkdir()
    out = site / "output"
    for i in range(PAGES):
        make_site(out, {f"p{i}.html": _page(i)}, "")
    make_site(out, {"style.css": "body{}", "img/a.jpg": "jpeg"}, "")
    first, problems = _check(site, out, None)
    assert problems == [] and len(first.read) == PAGES
    # A story removed: only p4, which linked to it and was not written again, is judged
    # (read), and it reports the link; the other 18 pages keep their findings (none).
    (out / "p5.html").unlink()
    gone, problems = _check(site, out, [])
    assert gone.read == {"p4.html"}
    assert problems == ["link /p5.html goes nowhere: the site has no such page or file"]
    # Nothing else changed: the finding stays, and nobody is judged.
    still, problems = _check(site, out, [])
    assert still.read == set()
    assert problems == ["link /p5.html goes nowhere: the site has no such page or file"]
    # The story back: the page with the finding is judged and loses it.
    (out / "p5.html").write_text(_page(5))
    back, problems = _check(site, out, ["p5.html"])
    assert back.read == {"p4.html", "p5.html"} and problems == []
    # p4 rewritten to link elsewhere, then p5 gone again: p4 is judged once more (its old
    # link is still on the books), and has nothing to report.
    (out / "p4.html").write_text(_page(4).replace("/p5.html", "/p6.html"))
    _check(site, out, ["p4.html"])
    (out / "p5.html").unlink()
    again, problems = _check(site, out, [])
    assert again.read == {"p4.html"} and problems == []


def test_a_photos_variants_gone_judge_again_only_the_pages_that_showed_the_photo(
        tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {})
    (site / ".sitegen-cache").mkdir()
    out = site / "output"
    variants = {name: f"_img/{name}" for name in (
        "foto-3-480x270.0a1b2c3d4e.webp", "foto-3-960x540.5f6a7b8c9d.webp",
        "foto-3-480x270.aa1b2c3d4e.jpg", "foto-4-480x270.0a1b2c3d4f.webp")}
    shows = {3: '<img alt="" src="/_img/foto-3-480x270.aa1b2c3d4e.jpg" srcset='
                '"/_img/foto-3-480x270.0a1b2c3d4e.webp 480w, '
                '/_img/foto-3-960x540.5f6a7b8c9d.webp 960w">',
             7: '<img alt="" src="/_img/foto-3-480x270.aa1b2c3d4e.jpg">',
             9: '<img alt="" src="/_img/foto-4-480x270.0a1b2c3d4f.webp">'}
    for i in range(PAGES):
        make_site(out, {f"p{i}.html": _page(i, shows.get(i, ""))}, "")
    make_site(out, {"style.css": "body{}", "img/a.jpg": "jpeg",
                    **{path: "x" for path in variants.values()}}, "")
    first, problems = _check(site, out, None)
    assert problems == [] and len(first.read) == PAGES
    # A story and its photo's variants removed: the pages that showed any variant of the
    # photo (p3, p7; p2 linked to the story's page) are judged, not p9 (another photo's).
    (out / "p3.html").unlink()
    for name in list(variants)[:3]:
        (out / variants[name]).unlink()
    gone, problems = _check(site, out, [])
    assert gone.read == {"p2.html", "p7.html"}
    assert problems == [
        "link /p3.html goes nowhere: the site has no such page or file",
        "image /_img/foto-3-480x270.aa1b2c3d4e.jpg is missing: the site has no such file "
        "(the site's own images go in content/static/)"]
