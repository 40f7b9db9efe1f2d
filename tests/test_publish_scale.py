"""Publishing one story into a large archive writes a bounded number of files.

Lists are cut from their oldest end (sitegen/kinds/lists.py), so a new story changes
the front page of each list it joins, not every page after it. The count of files
rendered and written is the same, within a small constant, for an archive of 500
and of 2,000 stories; it is also below a bound made of what the story is in. So is
the count of pages planned (whose context is built): each page's inputs are recorded
(sitegen/page_inputs.py), and only those whose inputs the story changes are planned.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from sitegen.build import BuildReport
from sitegen.related import RELATED_COUNT
from tests.conftest import NOW, REPO, article, build_site, make_site

SECTIONS = ("ekonomi", "nasional", "olahraga", "teknologi", "budaya", "dunia", "sains", "opini")
TAGS = 300
AUTHORS = 40
CONFIG = """\
[site]
title = "Warta"
base_url = "https://example.org/"
timezone = "Asia/Jakarta"
[build]
search_shard_pages = 200
"""
NEW = "content/ekonomi/baru-terbit.md"
NEW_TAGS = ["topik-7", "topik-8", "topik-9"]


def archive(root: Path, count: int) -> Path:
    """`count` stories over five years, each in a section, with three of 300 tags and
    one of 40 authors; the same seed gives the same archive."""
    chance = random.Random(count)
    files = {}
    start = NOW - dt.timedelta(days=5 * 365)
    for i in range(count):
        when = start + dt.timedelta(minutes=chance.randrange(5 * 365 * 24 * 60 - 120))
        files[f"content/{SECTIONS[i % len(SECTIONS)]}/cerita-{i}.md"] = article(
            f"Cerita nomor {i}", date=when.strftime("%Y-%m-%d %H:%M"),
            tags=[f"topik-{t}" for t in chance.sample(range(TAGS), 3)],
            author=f"Penulis {chance.randrange(AUTHORS)}", body=f"Isi cerita {i}.")
    return make_site(root, files, config=CONFIG)


def publish(site: Path) -> BuildReport:
    """One new story, the newest, in tags and a section that already have stories."""
    build_site(site, jobs=2)
    when = (NOW - dt.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")
    (site / NEW).write_text(article("Baru terbit", date=when, tags=NEW_TAGS,
                                    author="Penulis 3", body="Isi baru."))
    return build_site(site, jobs=2)


# What one story is in: its section, three tags, one author, the home page, a month
# and a day. Each list renders its front page and, when the story completes a page, the
# new numbered page, the two before it (their pagers) and an old-numbering redirect.
LISTS = 1 + 1 + len(NEW_TAGS) + 1 + 1 + 1
PER_LIST = 5
# Its own page and its two section neighbours; the previous day (its "next day" link)
# and the archive page (counts per month); the site's and the section's three feeds,
# each tag's and the author's RSS; sitemap.xml and the news sitemap.
OTHERS = 3 + 2 + 3 + 3 + len(NEW_TAGS) + 1 + 2
# The related boxes it joins: those of the latest stories of its tags and section.
OTHERS += RELATED_COUNT * (len(NEW_TAGS) + 1)
BOUND = LISTS * PER_LIST + OTHERS
# Planned whatever changed: the archive index, 404, search, the sitemaps, host files
# and standalone pages; a page planned whose file comes out the same is not written.
ALWAYS_PLANNED = 10


# The small archive's publish, in a process of its own while this one publishes the large:
# what the test reads of its report, as JSON.
ELSEWHERE = """
import json, sys
from pathlib import Path
from tests.test_publish_scale import archive, publish
report = publish(archive(Path(sys.argv[1]), int(sys.argv[2])))
print(json.dumps({name: getattr(report, name)
                  for name in ("rendered", "written", "planned", "search_indexed")}))
"""


def publish_elsewhere(root: Path, count: int) -> subprocess.Popen[str]:
    """`publish(archive(root, count))` in a new process, started now: the two sizes' builds
    run at once (CI's budget is wall time; a cold build leaves a core idle part of the
    time). Each is the same build in a fresh process as in this one."""
    return subprocess.Popen([sys.executable, "-c", ELSEWHERE, str(root), str(count)],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def report_of(process: subprocess.Popen[str]) -> SimpleNamespace:
    out, err = process.communicate()
    assert process.returncode == 0, err
    return SimpleNamespace(**json.loads(out.splitlines()[-1]))


def pages(report: BuildReport | SimpleNamespace) -> tuple[set[str], set[str]]:
    """Files rendered, and written apart from the search index's."""
    written = {f for f in report.written if not f.startswith("pagefind/")}
    return set(report.rendered), written


@pytest.mark.slow
def test_publishing_one_story_writes_a_bounded_number_of_files(tmp_path: Path) -> None:
    elsewhere = publish_elsewhere(tmp_path / "small", 500)
    large = publish(archive(tmp_path / "large", 2_000))
    small = report_of(elsewhere)
    (small_rendered, small_written), (rendered, written) = pages(small), pages(large)
    # The same count at 500 and 2,000 stories, within what a list's page boundary adds.
    assert abs(len(rendered) - len(small_rendered)) <= 4
    assert abs(len(written) - len(small_written)) <= 4
    assert len(rendered) <= BOUND and len(written) <= BOUND
    # Planned: the pages whose inputs changed, and the few kinds always planned (feeds,
    # sitemaps, host files, the search page, 404), not every page of the archive.
    print("planned", len(small.planned), len(large.planned), "rendered", len(small_rendered),
          len(rendered))
    assert abs(len(large.planned) - len(small.planned)) <= 4
    assert len(large.planned) <= BOUND + ALWAYS_PLANNED
    assert "ekonomi/baru-terbit/index.html" in written
    assert {"index.html", "ekonomi/index.html", "tag/topik-7/index.html", "feed.xml",
            "sitemap.xml", "penulis/penulis-3/index.html"} <= written
    # No numbered page of the home page changes but at the newest end (of 199).
    home = sorted(int(f.split("/")[1]) for f in rendered if f.startswith("page/"))
    assert all(n >= 199 for n in home), home
    # Search: one shard of at most search_shard_pages pages is indexed again.
    assert len(large.search_indexed) == 1
    assert len(large.written) - len(written) <= 10
