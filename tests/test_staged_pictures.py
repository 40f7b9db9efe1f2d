"""The new tree's picture variants are held as 64-bit keys, their names in a file
(staged_pictures.py): no string a variant in the planning process's books."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen import pictures, staged_pictures, write
from tests.conftest import build_site, read_tree
from tests.test_memory import archive


def test_the_names_are_asked_and_listed_without_being_held() -> None:
    names = staged_pictures.PictureNames()
    made = [f"_img/foto-{i}-480x320.{i:010x}.webp" for i in range(5_000)]
    for i, name in enumerate(made):
        names.add(name, staged_pictures.WRITTEN if i % 3 else staged_pictures.KEPT)
    names.add(made[7], staged_pictures.KEPT)  # again: one name
    assert len(names) == 5_000
    assert all(name in names for name in made)
    assert "_img/foto-1-480x320.0000000002.webp" not in names and 3 not in names
    assert list(names) == made  # in the order they came, each once
    assert list(names.names(staged_pictures.KEPT)) == made[::3]
    assert staged_pictures.unpack(staged_pictures.pack(names)) == made
    assert staged_pictures.unpack(staged_pictures.pack([])) == []


def test_a_build_keeps_no_variants_name_in_its_books_and_its_output_is_as_before(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    booked: list[int] = []
    commit = write.Staging.commit

    def counted(self: write.Staging, previous: set[str] | None = None) -> list[str]:
        booked.append(sum(name.startswith(f"{pictures.FOLDER}/") for name in self.keep))
        return commit(self, previous)

    monkeypatch.setattr(write.Staging, "commit", counted)
    site = archive(tmp_path / "site", 12, photos=True)
    first = build_site(site)
    variants = {n for n in first.written if n.startswith(f"{pictures.FOLDER}/")}
    assert len(variants) >= 12 * 6 and booked == [0]
    assert variants <= set(read_tree(site / "output"))
    # The state's record of the tree knows them: a story gone takes its variants along.
    (site / "content/ekonomi/b-00004.md").unlink()
    second = build_site(site)
    gone = {n for n in second.removed if n.startswith(f"{pictures.FOLDER}/foto-4-")}
    assert len(gone) >= 6 and not any((site / "output" / n).exists() for n in gone)
    assert {n for n in second.unchanged if n.startswith(f"{pictures.FOLDER}/")} \
        == variants - gone
    fresh = archive(tmp_path / "fresh", 12, photos=True)
    (fresh / "content/ekonomi/b-00004.md").unlink()
    build_site(fresh, use_cache=False)
    assert read_tree(site / "output") == read_tree(fresh / "output")

