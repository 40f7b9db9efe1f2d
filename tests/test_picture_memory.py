"""The pictures' plan and memos hold no variant per photo of the archive in a one-off build
(a newsroom's archive has a photo a story), and serve's build state keeps them across
builds so that a rebuild makes no name again."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import pytest

from sitegen import picture_plan, pictures, static_safety
from sitegen.config_schema import ImagesConfig
from sitegen.model import Image
from sitegen.sitefiles import StaticFiles
from sitegen.state import BuildState
from tests.conftest import article, build_site, make_image, make_site, read_tree

REMEMBERED = 16


def photos(count: int) -> list[Image]:
    return [Image(src=f"/images/{i:05d}/foto-{i}.jpg", alt=f"Foto {i}", width=480,
                  height=320, digest=i + 1) for i in range(count)]


def live_variants() -> int:
    return sum(1 for thing in gc.get_objects() if isinstance(thing, pictures.Variant))


def test_a_one_off_plan_holds_no_variant_per_photo() -> None:
    count, settings = 300, ImagesConfig()
    memo = pictures.Memo(settings, remembered=REMEMBERED)  # a one-off build's, smaller
    before = live_variants()
    plan = picture_plan.plan(photos(count), [], StaticFiles(), settings, memo)
    made = sum(len(variants) for _, _, variants in plan.sources())
    assert made >= 4 * count and sum(1 for _ in plan.published()) == made
    assert sum(1 for _ in plan.variants()) == made
    # Every variant held (the plan's own books, or a memo of the process) was about 4 KB a
    # photo of the archive; what is left is the variants of the memo's last pictures.
    assert len(memo) <= REMEMBERED
    assert live_variants() - before <= REMEMBERED * 8


def test_serve_keeps_one_memo_across_builds_and_a_one_off_build_a_bounded_one() -> None:
    settings = ImagesConfig()
    kept = BuildState()
    memo = picture_plan.build_memo(kept.memo, settings)
    assert memo.remembered is None and picture_plan.build_memo(kept.memo, settings) is memo
    other = ImagesConfig(quality=70)
    assert picture_plan.build_memo(kept.memo, other) is not memo  # new settings: new names
    one_off = picture_plan.build_memo(BuildState(kept=False).memo, settings)
    assert one_off.remembered == pictures.REMEMBERED
    for picture in photos(pictures.REMEMBERED + 10):
        one_off.photo(picture.src, picture.digest, (picture.width, picture.height))
    assert len(one_off) <= pictures.REMEMBERED


def test_the_memo_gives_what_the_functions_give() -> None:
    settings = ImagesConfig()
    memo = pictures.Memo(settings, remembered=2)
    for focus in ((0.5, 0.5), (0.1, 0.9)):
        for picture in photos(5):
            size = (picture.width, picture.height)
            photo = memo.photo(picture.src, picture.digest, size, focus)
            assert photo.formats == pictures.responsive(picture.src, picture.digest, size,
                                                        settings)
            assert photo.share == pictures.share(picture.src, picture.digest, size, settings)
            assert photo.crops == pictures.crops(picture.src, picture.digest, size, focus,
                                                 settings)


def photo_site(root: Path) -> Path:
    files = {f"content/berita/b-{i}.md": article(
        f"Berita {i}", date=f"2026-11-0{1 + i} 09:00", image=f"/images/{i}/foto.jpg",
        image_alt=f"Foto {i}") for i in range(3)}
    site = make_site(root, files)
    for i in range(3):
        make_image(site / f"content/static/images/{i}/foto.jpg", (640, 400))
    return site


@pytest.mark.slow
def test_a_serve_rebuild_makes_no_variant_name_again(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    site = photo_site(tmp_path / "site")
    kept = BuildState()
    build_site(site, state=kept)
    first = read_tree(site / "output")
    named: list[str] = []
    name = pictures._name
    monkeypatch.setattr(pictures, "_name", lambda *a: named.append(a[0]) or name(*a))
    bombs = 0
    bomb = static_safety._bomb

    def judge(path: str) -> str | None:
        nonlocal bombs
        bombs += 1
        return bomb(path)
    monkeypatch.setattr(static_safety, "_bomb", judge)
    source = site / "content/berita/b-1.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nKalimat baru.\n",
                      encoding="utf-8")
    build_site(site, state=kept)
    assert named == [] and bombs == 0  # every name and verdict from serve's state
    after = read_tree(site / "output")
    assert {k for k in after if k.startswith("_img/")} == {k for k in first
                                                          if k.startswith("_img/")}
    source.write_text(source.read_text(encoding="utf-8") + "\nLagi.\n", encoding="utf-8")
    build_site(site)  # a one-off build makes them again, with the same names
    assert named  # (the verdicts are kept in the state file: test_hostile_files)
    again = read_tree(site / "output")
    assert {k: v for k, v in again.items() if k.startswith("_img/")} == {
        k: v for k, v in after.items() if k.startswith("_img/")}


@pytest.mark.slow  # a site build: about a second
def test_a_build_interns_no_name_of_a_photo(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """pathlib interns each part of a Path's name, and the interpreter's table of interned
    names only grows: a Path made for every photo (claims, the copy, fingerprinting)
    resized it with the archive, which the planning process's peak counts (1.9 MB at
    2,000 photos, tests/test_memory.py)."""
    files: dict[str, str | bytes] = {}
    for i in range(4):
        files[f"content/ekonomi/b-{i}.md"] = article(
            f"Berita {i}", date=f"2026-01-0{i + 1} 09:00",
            image=f"/images/{i:05d}/foto-{i}.jpg", image_alt=f"Foto {i}")
    site = make_site(tmp_path, files)
    for i in range(4):  # the same bytes: one picture to encode
        make_image(site / f"content/static/images/{i:05d}/foto-{i}.jpg", (64, 48))
    interned: list[str] = []
    intern = sys.intern

    def counted(name: str) -> str:
        interned.append(name)
        return intern(name)

    monkeypatch.setattr(sys, "intern", counted)
    build_site(site, jobs=2)
    monkeypatch.setattr(sys, "intern", intern)
    assert (site / "output/images/00003/foto-3.jpg").is_file()
    # Only the one photo decoded (one job is not worth a worker: decoded here) was opened
    # by a Path; each of the four was before (claims, the copy, fingerprinting).
    assert {name for name in interned if "foto-" in name or name.startswith("0000")} <= {
        "foto-0.jpg", "00000"}
