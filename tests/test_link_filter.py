"""The link check after a publish: files gone that no page linked to (a search shard's
replaced index files) judge no page again; a linked file gone still judges every page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sitegen.check import check_site
from sitegen.config import load_config
from sitegen.link_index import Linked, LinkIndex
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
    # A file some page links to is gone: every page is judged, and the one linking it
    # (not written by this build) reports it.
    (out / "img/a.jpg").unlink()
    gone, problems = _check(site, out, [])
    assert len(gone.read) == PAGES
    assert problems == ["image /img/a.jpg is missing: the site has no such file (the site's "
                        "own images go in content/static/)"]


def test_the_linked_files_filter_holds_what_was_added_and_little_else() -> None:
    linked = Linked.sized(1000)
    names = [f"img/{i}.jpg" for i in range(1000)]
    for name in names:
        linked.add(name)
    again = Linked(bytearray(bytes(linked.bits)))  # as the state keeps it
    assert all(name in again for name in names)
    false = sum(f"pagefind/{i}.pf_index" in again for i in range(20000))
    assert false < 4  # about 1 in 90,000 at capacity
