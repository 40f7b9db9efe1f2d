"""Small pure pieces: slugs, site paths, dates, config lines, the progress bar."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sitegen import progress, urls
from sitegen.config import parse_config
from sitegen.dates import format_long, to_aware
from sitegen.errors import SitegenError


@pytest.mark.parametrize("text,slug", [
    ("Jack Ma Tawarkan Alibaba, Trump", "jack-ma-tawarkan-alibaba-trump"),
    ("Kunjungan ke Köln", "kunjungan-ke-koln"),
    ("Harga naik 5% & BBM", "harga-naik-5-bbm"),
    ("Берлин сегодня", "берлин-сегодня"),
    ("北京 新闻", "北京-新闻"),
    ("  --- ", ""),
])
def test_slugify(text: str, slug: str) -> None:
    assert urls.slugify(text) == slug


@pytest.mark.parametrize("path,expected", [
    ("/lama/berita/", "/lama/berita/"),
    ("/2017/01/lama.html", "/2017/01/lama.html"),
    ("/a/../../etc/passwd", None),
    ("lama/", None),
    ("/a\\..\\b", None),
    ("//evil.example/x", None),
    ("/a/./b", None),
])
def test_clean_site_path(path: str, expected: str | None) -> None:
    assert urls.clean_site_path(path) == expected


def test_output_file_for_urls() -> None:
    assert urls.output_file("/") == "index.html"
    assert urls.output_file("/ekonomi/judul/") == "ekonomi/judul/index.html"
    assert urls.output_file("/2017/lama.html") == "2017/lama.html"
    assert urls.paginated("/ekonomi/", 3) == "/ekonomi/page/3/"


def test_dates_without_offset_are_in_the_site_zone_never_utc() -> None:
    jakarta = ZoneInfo("Asia/Jakarta")
    assert to_aware(dt.date(2017, 1, 10), jakarta).isoformat() == "2017-01-10T00:00:00+07:00"
    assert to_aware("2017-01-10 09:00", jakarta).isoformat() == "2017-01-10T09:00:00+07:00"
    moved = to_aware("2017-01-10T02:00:00+00:00", jakarta)
    assert moved.isoformat() == "2017-01-10T09:00:00+07:00"
    assert to_aware("besok", jakarta) is None
    assert format_long(moved, "id") == "Selasa, 10 Januari 2017 09.00 WIB"
    assert format_long(moved, "en") == "Tuesday, 10 January 2017 09:00 UTC+7"


def test_config_base_path_and_defaults(tmp_path: Path) -> None:
    config = parse_config('[site]\nbase_url = "https://example.org/berita"\n', tmp_path)
    assert config.site.base_url == "https://example.org/berita/"
    assert config.base_path == "/berita/" and config.origin == "https://example.org"
    assert config.site.language == "id" and config.site.timezone == "Asia/Jakarta"
    with pytest.raises(AttributeError):
        config.site.title = "x"  # type: ignore[misc]


def test_unknown_table_and_menu_problems_have_lines(tmp_path: Path) -> None:
    text = '[site]\ntitle = "x"\n\n[[menu]]\nname = "A"\n\n[[menu]]\nurl = "/b/"\n[sitee]\n'
    with pytest.raises(SitegenError) as caught:
        parse_config(text, tmp_path)
    shown = str(caught.value)
    assert "sitegen.toml:7: each [[menu]] entry needs a name and a url" in shown
    assert "sitegen.toml:9: unknown table or key 'sitee' (did you mean 'site'?)" in shown


def test_progress_bar_waits_two_seconds() -> None:
    clock = [100.0]
    stream = io.StringIO()
    bar = progress.Display(stream, terminal=True, clock=lambda: clock[0])
    bar.delay = progress.DELAY
    bar("render", 50, 100)
    assert stream.getvalue() == ""
    clock[0] = 102.5
    bar("render", 100, 100)
    bar.clear()
    shown = stream.getvalue()
    assert "render" in shown and "100/100" in shown and "#" * 24 in shown
