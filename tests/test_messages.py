"""What the tool says: in the user's language (gettext catalogs), and saying what to do."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from click.testing import CliRunner

from sitegen import messages
from sitegen.cli import main
from sitegen.errors import SitegenError
from tests.conftest import REPO, article, build_site, make_site

CATALOG = REPO / "sitegen" / "locale" / "id" / "LC_MESSAGES"


def sitegen(site: Path, *args: str, lang: str) -> subprocess.CompletedProcess[str]:
    """The real command in a process of its own, with only LANG saying the language."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    env["LANG"] = lang
    return subprocess.run([sys.executable, "-m", "sitegen", *args, "--source", str(site)],
                          capture_output=True, text=True, timeout=120, env=env)


def test_a_bad_date_is_told_in_indonesian_or_english_by_lang(tmp_path: Path) -> None:
    # id_ID.UTF-8 needs no system locale: gettext reads the variable's text.
    site = make_site(tmp_path / "site", {
        "content/nasional/a.md": article("A", date="kemarin sore"),
        "content/nasional/b.md": article("B"),
    })
    indonesian = sitegen(site, "build", lang="id_ID.UTF-8")
    assert indonesian.returncode == 1
    assert "content/nasional/a.md:3: date 'kemarin sore' bukan tanggal: tulis sebagai" \
        in indonesian.stderr
    assert "sitegen: berhenti karena 1 masalah; tidak ada yang ditulis" in indonesian.stderr
    english = sitegen(site, "build", lang="C")
    assert english.returncode == 1
    assert "content/nasional/a.md:3: date 'kemarin sore' is not a date: write it as" \
        in english.stderr
    assert "sitegen: stopped with 1 problem(s); nothing was written" in english.stderr
    # A good build's summary and a warning, in Indonesian.
    (site / "content/nasional/a.md").write_text(article("A", tags="Pangan, Harga"), "utf-8")
    built = sitegen(site, "build", "--no-cache", lang="id_ID.UTF-8")
    assert built.returncode == 0, built.stderr
    assert "peringatan: tags ditulis sebagai satu teks berkoma" in built.stderr
    assert "berkas di" in built.stdout and "ditulis" in built.stdout


def test_the_language_follows_gettext_s_order_of_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "id_ID.UTF-8")
    assert messages.tr("warning: ") == "peringatan: " and messages.language() == "id"
    monkeypatch.setenv("LC_ALL", "C")  # LC_ALL comes before LANG
    assert messages.tr("warning: ") == "warning: " and messages.language() == "en"
    monkeypatch.setenv("LANGUAGE", "id")  # and LANGUAGE before everything
    assert messages.tr("warning: ") == "peringatan: "


def test_every_message_has_an_indonesian_translation_and_the_mo_is_compiled() -> None:
    """A new tr("...") without a translation, or a .po edited without compiling, fails here
    (README, "Translating sitegen", says how to update both)."""
    said = {message[2] if isinstance(message[2], str) else message[2][0]
            for message in extract_from_dir(str(REPO / "sitegen"),
                                            method_map=[("**.py", "python")],
                                            keywords={"tr": None, "ntr": (1, 2)})}
    with open(CATALOG / "sitegen.po", "rb") as source:
        catalog = read_po(source)
    translated = {(m.id if isinstance(m.id, str) else m.id[0]): m.string for m in catalog
                  if m.id}
    assert said - set(translated) == set(), "run the pybabel commands in README"
    assert all(translated[m] for m in said), "untranslated messages"
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    assert (CATALOG / "sitegen.mo").read_bytes() == compiled.getvalue(), "compile the .po"


def test_a_tab_in_front_matter_is_called_a_tab_on_its_line(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {
        "content/nasional/a.md": "---\ntitle: A\ndate: 2026-11-20\ntags:\n\t- Pangan\n---\nIsi.\n",
    })
    with pytest.raises(SitegenError) as raised:
        build_site(site)
    (problem,) = raised.value.problems
    assert (problem.path, problem.line) == ("content/nasional/a.md", 5)
    assert "tab" in problem.message and "replace the tab with spaces" in problem.message


def test_tags_written_with_commas_are_several_tags_with_a_warning(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {
        "content/nasional/a.md": article("A", tags="Pangan, Harga"),
    })
    report = build_site(site)
    assert (site / "output/tag/pangan/index.html").is_file()
    assert (site / "output/tag/harga/index.html").is_file()
    (warning,) = [w for w in report.warnings if "commas" in w.message]
    assert warning.line == 4 and "[Pangan, Harga]" in warning.message


def test_an_empty_article_is_published_with_a_warning(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {
        "content/nasional/a.md": article("A", body=""),
        "content/nasional/b.md": article("B"),
    })
    report = build_site(site)
    empty = [w for w in report.warnings if "no text" in w.message]
    assert [(w.path, w.warning) for w in empty] == [("content/nasional/a.md", True)]


@pytest.mark.parametrize("given", ["Ekonomi", "EKONOMI", "Ekonomi & Bisnis"])
def test_new_takes_a_section_by_its_title_in_any_case(tmp_path: Path, given: str) -> None:
    site = make_site(tmp_path / "site", {"content/ekonomi/a.md": article("A")},
                     config='[site]\ntitle = "T"\nbase_url = "https://example.org/"\n'
                            '[sections.ekonomi]\ntitle = "Ekonomi & Bisnis"\n')
    result = CliRunner().invoke(main, ["new", "Harga Cabai", "--section", given,
                                       "--source", str(site)])
    assert result.exit_code == 0, result.output
    assert (site / "content/ekonomi/harga-cabai.md").is_file()
    assert sorted(p.name for p in (site / "content").iterdir()) == ["ekonomi"]


def test_the_preview_overlay_speaks_the_user_s_language(monkeypatch: pytest.MonkeyPatch) -> None:
    from sitegen.errors import Problem
    from sitegen.preview_reload import overlay

    monkeypatch.setenv("LANGUAGE", "id")
    shown = overlay((Problem("content/a.md", 3, "x"),))
    assert "pembangunan gagal" in shown and 'aria-label="Tutup"' in shown
    monkeypatch.setenv("LANGUAGE", "en")
    assert "the build failed" in overlay((Problem("content/a.md", 3, "x"),))


@pytest.mark.slow
def test_the_wheel_carries_the_compiled_catalogs(tmp_path: Path) -> None:
    import zipfile

    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                    "-w", str(tmp_path), str(REPO)], check=True, capture_output=True,
                   timeout=300)
    wheel = next(tmp_path.glob("sitegen_news-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "sitegen/locale/id/LC_MESSAGES/sitegen.mo" in names
