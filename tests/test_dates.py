"""Date notations in front matter: each one means one moment, or is a problem of its file."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sitegen.dates import DateError, parse_date
from sitegen.errors import SitegenError
from tests.conftest import article, build_site, make_site

JAKARTA = ZoneInfo("Asia/Jakarta")
WIB = dt.timezone(dt.timedelta(hours=7))


@pytest.mark.parametrize(("written", "meant"), [
    ("2017-01-10 21.30", dt.datetime(2017, 1, 10, 21, 30, tzinfo=WIB)),
    ("2017-01-10 21:30", dt.datetime(2017, 1, 10, 21, 30, tzinfo=WIB)),
    ("2017-01-10 21.30.15", dt.datetime(2017, 1, 10, 21, 30, 15, tzinfo=WIB)),
    ("2017-01-10 21:30:00", dt.datetime(2017, 1, 10, 21, 30, tzinfo=WIB)),
    ("2017-01-10T21:30:00+07:00", dt.datetime(2017, 1, 10, 21, 30, tzinfo=WIB)),
    ("2017-01-10", dt.datetime(2017, 1, 10, tzinfo=WIB)),
    # Jekyll writes one-digit hours and a space before the offset.
    ("2013-11-22 5:00:00 +0000", dt.datetime(2013, 11, 22, 12, 0, tzinfo=WIB)),
    ("2013-11-22 5:00 +0700", dt.datetime(2013, 11, 22, 5, 0, tzinfo=WIB)),
    ("2017-01-10T02:00:00Z", dt.datetime(2017, 1, 10, 9, 0, tzinfo=WIB)),
    ("2017-01-10 21.30 WIB", dt.datetime(2017, 1, 10, 21, 30, tzinfo=WIB)),
    # Go's exports (Hugo) carry nanoseconds; Python keeps microseconds.
    ("2019-03-04T10:00:00.123456789+07:00",
     dt.datetime(2019, 3, 4, 10, 0, 0, 123456, tzinfo=WIB)),
    ("2017-01-10 21.30 WITA", dt.datetime(2017, 1, 10, 20, 30, tzinfo=WIB)),
    ("2017-01-10 21:30 WIT", dt.datetime(2017, 1, 10, 19, 30, tzinfo=WIB)),
    # As Indonesian newsrooms write a date in words (the weekday is not checked).
    ("4 Desember 2026 21.30 WIB", dt.datetime(2026, 12, 4, 21, 30, tzinfo=WIB)),
    ("Sabtu, 4 Desember 2026", dt.datetime(2026, 12, 4, tzinfo=WIB)),
    ("Jumat, 4 Des 2026 pukul 09.15", dt.datetime(2026, 12, 4, 9, 15, tzinfo=WIB)),
    ("17 Agt 2026 08.00 WITA", dt.datetime(2026, 8, 17, 7, 0, tzinfo=WIB)),
    ("1 Mei 2026", dt.datetime(2026, 5, 1, tzinfo=WIB)),
    ("12 December 2026, 10:00 +08:00", dt.datetime(2026, 12, 12, 9, 0, tzinfo=WIB)),
])
def test_each_notation_means_one_moment_in_the_site_zone(written: str, meant: dt.datetime) -> None:
    moment = parse_date(written, JAKARTA)
    assert moment == meant
    assert moment.utcoffset() == dt.timedelta(hours=7)


@pytest.mark.parametrize(("written", "reason"), [
    ("2017-02-30", "not a real date"),
    ("2017-01-10 24:00", "not a real date"),
    ("9999-12-31T23:59-12:00", "out of range"),
    ("10/01/2017", "ambiguous"),
    ("2017-01-10 21:30.15", "not a date"),  # seconds or a fraction? never guessed
    ("2017-01-10 21", "not a date"),
    ("besok pagi", "not a date"),
    ("4 Dezember 2026", "not a month name"),
    ("31 Februari 2026", "not a real date"),
])
def test_impossible_ambiguous_and_out_of_range_dates_are_refused(written: str,
                                                                 reason: str) -> None:
    with pytest.raises(DateError, match=reason):
        parse_date(written, JAKARTA)


def test_21_30_is_published_at_21_30_wib(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {
        "content/nasional/malam.md": article("Berita malam", date="2017-01-10 21.30"),
    })
    build_site(site)
    page = (site / "output/nasional/malam/index.html").read_text()
    assert "2017-01-10T21:30:00+07:00" in page
    assert "21.30 WIB" in page


def test_a_one_digit_jekyll_hour_builds(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {
        "content/nasional/lama.md": article("Arsip lama", date="2013-11-22 5:00:00 +0000"),
    })
    build_site(site)
    assert "2013-11-22T12:00:00+07:00" in (site / "output/nasional/lama/index.html").read_text()


def test_a_bad_date_is_a_problem_of_its_file_and_line(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {
        "content/nasional/a.md": article("A", date="2017-02-30"),
        "content/nasional/b.md": article("B", updated="2017-13-01"),
    })
    with pytest.raises(SitegenError) as raised:
        build_site(site)
    found = {(p.path, p.line, p.message.split(" ")[0]) for p in raised.value.problems}
    assert found == {("content/nasional/a.md", 3, "date"), ("content/nasional/b.md", 4, "updated")}


@pytest.mark.parametrize("date", ["2017-02-30", "9999-12-31T23:59-12:00"])
def test_the_cli_names_the_file_and_line_of_a_bad_date(tmp_path: Path, date: str) -> None:
    site = make_site(tmp_path / "site", {
        "content/nasional/a.md": article("A", date=date),
    })
    done = subprocess.run([sys.executable, "-m", "sitegen", "build", "--source", str(site)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert f"content/nasional/a.md:3: date '{date}'" in done.stderr
    assert "internal error" not in done.stderr + done.stdout


def test_a_yaml_timestamp_is_not_read_by_yaml_itself() -> None:
    # Every date reaches sitegen.dates as the text that was written.
    from sitegen.front_matter import split_front_matter

    front, _ = split_front_matter(b"---\ndate: 2017-01-10 21:30:00\nx: 2017-02-30\n---\n", "a.md")
    assert front is not None
    assert json.dumps(front.data) == '{"date": "2017-01-10 21:30:00", "x": "2017-02-30"}'


def test_an_indonesian_date_in_words_builds(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {
        "content/nasional/a.md": article("A", date="4 November 2026 21.30 WIB"),
    })
    build_site(site)
    page = (site / "output/nasional/a/index.html").read_text(encoding="utf-8")
    assert "2026-11-04T21:30:00+07:00" in page


@pytest.mark.parametrize("language", ["id", "en", "ja", "pt-BR"])
def test_a_date_view_says_what_the_formatting_functions_say(language: str) -> None:
    """Date views come from what is remembered by the day and the clock time; they say
    what formatting each moment afresh says, in every zone: the same instant in two zones
    is two days and two times (a memo keyed by the moment mixed them up)."""
    from sitegen import dates
    from sitegen.value_views import date_view
    instant = dt.datetime(2026, 3, 28, 23, 30, tzinfo=ZoneInfo("UTC"))
    moments = [instant.astimezone(ZoneInfo(zone)) for zone in
               ("Asia/Jakarta", "Asia/Makassar", "America/New_York", "Europe/Berlin")]
    moments += [dt.datetime(2026, 3, 29, h, m, tzinfo=ZoneInfo("Europe/Berlin"))
                for h, m in ((1, 59), (3, 1), (9, 0))]  # either side of a clock change
    for style in ("", "medium"):
        for moment in moments * 2:  # the second time from what is remembered
            view = date_view(moment, language, style)
            assert view == {
                "iso": dates.iso(moment),
                "long": dates.format_styled(moment, language, style) if style
                else dates.format_long(moment, language),
                "short": dates.format_short(moment, language),
                "time": dates.format_time(moment, language)}, (moment, style)
