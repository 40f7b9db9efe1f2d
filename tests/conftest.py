"""Shared test helpers: small sites written inline, built with a fixed clock."""

from __future__ import annotations

import atexit
import datetime as dt
import os
import shutil
import tempfile
import textwrap
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from sitegen.build import BuildOptions, BuildReport, build
from sitegen.config import load_config

REPO = Path(__file__).resolve().parent.parent
# Every test builds "as of" this moment, never the machine's clock.
NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=ZoneInfo("Asia/Jakarta"))

BASIC_CONFIG = """\
[site]
title = "Warta Uji"
description = "Situs uji"
base_url = "https://example.org/"
"""

# Lists of four stories a page and no search: small sites whose lists have many pages.
PAGED_CONFIG = """\
[site]
title = "Warta"
base_url = "https://example.org/"
timezone = "Asia/Jakarta"
[build]
items_per_page = 4
search = false
"""

def article(title: str, date: str = "2026-11-20 09:00", body: str = "Isi berita.",
            **extra: object) -> str:
    """A Markdown article with front matter; extra keys are written as YAML."""
    lines = [f"title: {_yaml(title)}", f"date: {date}"]
    lines += [f"{key}: {_yaml(value)}" for key, value in extra.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + textwrap.dedent(body) + "\n"


def _yaml(value: object) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def make_site(root: Path, files: dict[str, str | bytes], config: str = BASIC_CONFIG) -> Path:
    """Write a site: sitegen.toml plus the given files (paths relative to the site)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "sitegen.toml").write_text(config, encoding="utf-8")
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def make_image(path: Path, size: tuple[int, int] = (1200, 675)) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, (180, 20, 30)).save(path, "JPEG", quality=60)


def build_site(root: Path, **options: object) -> BuildReport:
    config = load_config(root)
    options.setdefault("now", NOW)
    options.setdefault("jobs", 1)
    return build(config, BuildOptions(**options))  # type: ignore[arg-type]


def read_tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def sample_site(tmp_path: Path) -> Path:
    """A copy of the repository's own sample site (sitegen.toml + content/)."""
    site = tmp_path / "sample"
    site.mkdir()
    shutil.copy(REPO / "sitegen.toml", site / "sitegen.toml")
    shutil.copytree(REPO / "content", site / "content")
    share_pictures(site)
    return site


_PICTURES: list[Path] = []


def share_pictures(site: Path, back: bool = False) -> None:
    """Hard-link the resized pictures that earlier builds of this test run made into
    this site's build cache (`back`: from it, after its build). Their names hash their
    source and settings, so sharing them is what the cache does between builds anyway;
    it spares each copy of the sample site from encoding every picture again."""
    if not _PICTURES:
        _PICTURES.append(Path(tempfile.mkdtemp(prefix="sitegen-test-pictures-")))
        atexit.register(shutil.rmtree, _PICTURES[0], True)
    store, cache = _PICTURES[0], load_config(site).cache_dir / "pictures"
    source, target = (cache, store) if back else (store, cache)
    if source.is_dir():
        shutil.copytree(source, target, copy_function=_link, dirs_exist_ok=True)


def _link(source: str, target: str) -> None:
    if not os.path.exists(target):
        os.link(source, target)


def chromium_path() -> str | None:
    path = os.environ.get("SITEGEN_CHROMIUM", "/usr/bin/chromium")
    return path if Path(path).exists() else None


CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


@pytest.fixture(scope="session")
def browser():
    """Playwright driving Debian's Chromium. Under CI=true a missing browser is a failure."""
    executable = chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    if executable is None or sync_playwright is None:
        missing_tool("browser tests need Chromium and Playwright: "
                     "apt-get install -y chromium && pip install -e '.[test]'")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def missing_tool(message: str) -> None:
    """A test tool is not installed: a failure under CI (CI=true), a skip elsewhere."""
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def build_copy(source: Path, destination: Path) -> Path:
    """Build a copy of a site (its sitegen.toml and content/) and return its output."""
    def build_it(site: Path) -> None:
        shutil.copytree(source / "content", site / "content")
        shutil.copy(source / "sitegen.toml", site / "sitegen.toml")
        share_pictures(site)
        build_site(site)
        share_pictures(site, back=True)

    return built_once(("copy", str(source)), destination, build_it) / "output"


_BUILT: dict[tuple[str, ...], Path] = {}


def built_once(key: tuple[str, ...], destination: Path, build_it: Callable[[Path], None]
               ) -> Path:
    """The site `build_it` writes and builds into an empty folder, at `destination`:
    built the first time a test run asks for `key`, copied whole (sources, output, build
    state) from that build every time after. The build is deterministic (tests/test_build.py,
    tests/test_equality.py), so a copy holds the bytes a build of its own would; each
    module still gets a site of its own to read or build again. Several modules read the
    same sample site: this spares each but the first a cold build of it."""
    if key not in _BUILT:
        _BUILT[key] = Path(tempfile.mkdtemp(prefix="sitegen-test-built-")) / "site"
        atexit.register(shutil.rmtree, _BUILT[key].parent, True)
        _BUILT[key].mkdir()
        build_it(_BUILT[key])
    shutil.copytree(_BUILT[key], destination, symlinks=True, dirs_exist_ok=True)
    return destination


def published_from(src: str, original: str) -> bool:
    """An <img> src is the original itself or one of the image pipeline's versions of it
    (`/_img/NAME-WxH.DIGEST.EXT`, sitegen/pictures.py)."""
    import re
    from pathlib import PurePosixPath

    stem = re.escape(PurePosixPath(original).stem)
    version = re.fullmatch(rf"/_img/{stem}-\d+x\d+\.[0-9a-f]+\.\w+", src)
    return src == original or version is not None
