"""Issue 19: one encode per photo whatever its names, decoding at the size needed,
variants taken back from a previous output, the picture cache kept under a size, and
pictures an editor must fix reported at their article's line."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from sitegen import model, picture_encoding, picture_plan, pictures
from sitegen.config_schema import ImagesConfig
from sitegen.errors import SitegenError
from tests.conftest import REPO, article, build_site, make_site, read_tree

CONFIG = '[site]\nbase_url = "https://example.org/"\n[build]\nsearch = false\n'


def photo(path: Path, size: tuple[int, int] = (1600, 1000), seed: int = 1) -> bytes:
    """A photo with detail (a gradient and a pattern), so its files differ by size."""
    path.parent.mkdir(parents=True, exist_ok=True)
    picture = Image.linear_gradient("L").resize(size).convert("RGB")
    for x in range(0, size[0], 37):
        for y in range(0, size[1], 41):
            picture.putpixel((x, y), ((x * seed) % 256, (y * 7) % 256, 90))
    picture.save(path, "JPEG", quality=90)
    return path.read_bytes()


def counting_encoder(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every file the encoder writes, by cache key (the build runs in this process)."""
    written: list[str] = []
    real = picture_encoding.make

    def make(source: Path, wanted: list[picture_encoding.Wanted], folder: Path,
             settings: picture_encoding.Qualities) -> tuple[list[str], str]:
        made, error = real(source, wanted, folder, settings)
        written.extend(made)
        return made, error

    monkeypatch.setattr(picture_encoding, "make", make)
    return written


def counting_walks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times the build walks the pictures' plan (its photos' variants)."""
    walks = [0]
    real = picture_plan.Plan._groups

    def groups(plan: picture_plan.Plan) -> Iterator[tuple[int, list[tuple[str, dict[
            str, pictures.Variant]]]]]:
        walks[0] += 1
        return real(plan)

    monkeypatch.setattr(picture_plan.Plan, "_groups", groups)
    return walks


def test_the_copy_and_the_stock_are_written_down_in_the_walk_for_the_missing_files(
        tmp_path: Path) -> None:
    """What `missing` writes down for the copy and the stock is what walking the plan
    again gives: the same bytes under two names, each name's files once, and a stand-in
    for a too-wide original (published at the original's URL, not under _img/)."""
    settings = ImagesConfig()
    memo = pictures.Memo(settings, remembered=1)
    shown = [hero(f"/images/{name}.jpg", digest) for name, digest in
             (("a", 7), ("b", 7), ("c", 9), ("lebar", 11))]
    stand_in = pictures.oversized("/images/lebar.jpg", 11, (4000, 2000), settings)
    assert stand_in is not None
    plan = picture_plan.Plan(shown, [], {"images/lebar.jpg": stand_in}, memo)
    walked = list(plan.published())
    every_key = [v.key for v in plan.variants()]
    keys: list[str] = []
    jobs = picture_plan.missing(plan, tmp_path / "static", tmp_path / "cache", keys=keys)
    assert list(plan.published()) == walked and len(walked) == len(set(walked))
    assert stand_in.output not in {output for output, _, _ in walked}
    assert {output.split("/")[1].split("-")[0] for output, _, _ in walked} == {"a", "b", "c",
                                                                          "lebar"}
    # Every file once per bytes: the two names of digest 7 share theirs.
    assert sorted(keys) == sorted(set(every_key)) and stand_in.key in keys
    assert sorted(k for _, todo in jobs for k in (v.key for v in todo)) == sorted(keys)


def hero(src: str, digest: int) -> picture_plan.Picture:
    return model.Image(src=src, alt="Foto", width=4000 if "lebar" in src else 1600,
                      height=2000 if "lebar" in src else 900, digest=digest)


def test_one_photo_under_several_names_is_encoded_once_and_every_page_shows_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = photo(tmp_path / "dok.jpg")
    files: dict[str, str | bytes] = {}
    for number, name in enumerate(["ilustrasi", "foto-dok", "arsip-2019", "dok"]):
        files[f"content/static/images/{name}.jpg"] = data
        files[f"content/berita/b{number}.md"] = article(
            f"Berita {number}", image=f"/images/{name}.jpg", image_alt="Foto dok.")
    site = make_site(tmp_path / "site", files, CONFIG)
    written = counting_encoder(monkeypatch)
    walks = counting_walks(monkeypatch)
    opened: list[str] = []
    header_size = picture_plan._header_size
    monkeypatch.setattr(picture_plan, "_header_size",
                        lambda path: opened.append(path) or header_size(path))
    report = build_site(site)
    assert opened == []  # every static picture is a hero, sized when its article was read
    # The plan is walked once for the stock check, the missing files and the copy: a
    # one-off build's Memo holds 512 photos, so each walk of an archive works out every
    # photo's variants again (three walks: +1.5 CPU s at 10,000 photos).
    assert walks == [1]
    assert len(report.processed_images) == 1
    # One set of files: 4 widths in AVIF and WebP, the share JPEG, three crops.
    assert len(written) == len(set(written)) == 12
    output = site / "output"
    for number, name in enumerate(["ilustrasi", "foto-dok", "arsip-2019", "dok"]):
        page = (output / f"berita/b{number}/index.html").read_text("utf-8")
        shown = set(re.findall(rf"/_img/{name}-[^\s\",]+", page))
        # Every width of both modern formats, the share JPEG and the three crops.
        assert len(shown) == 12, (name, shown)
        for url in shown:
            with Image.open(output / url.lstrip("/")) as published:
                assert published.width > 0
    names = [p.name for p in (output / "_img").iterdir()]
    assert len(names) == 4 * 12


def test_a_big_jpeg_is_decoded_at_the_smallest_scale_that_covers_its_files(
        tmp_path: Path) -> None:
    photo(tmp_path / "besar.jpg", (4800, 3200))
    wanted: list[picture_encoding.Wanted] = [("a", 1600, 1067, "webp", None),
                                             ("b", 480, 320, "webp", None)]
    picture, scale = picture_encoding.decode(tmp_path / "besar.jpg", wanted)
    assert scale == 0.5 and picture.size == (2400, 1600)
    # A crop of a quarter of the width at 1200 px needs the whole resolution.
    whole, scale = picture_encoding.decode(tmp_path / "besar.jpg",
                                           [("c", 1200, 1200, "jpeg", (0, 0, 1200, 1200))])
    assert scale == 1.0 and whole.size == (4800, 3200)
    made, error = picture_encoding.make(tmp_path / "besar.jpg", wanted, tmp_path / "out",
                                        _Qualities())
    assert error == "" and sorted(made) == ["a", "b"]
    with Image.open(tmp_path / "out/a") as first:
        assert first.size == (1600, 1067) and first.format == "WEBP"


class _Qualities:
    quality = 80
    avif_quality = 60


def _reuse_site(tmp_path: Path) -> Path:
    files: dict[str, str | bytes] = {}
    for number in range(3):
        photo(tmp_path / f"p{number}.jpg", seed=number + 2)
        files[f"content/static/images/p{number}.jpg"] = (tmp_path / f"p{number}.jpg").read_bytes()
        files[f"content/berita/b{number}.md"] = article(
            f"Berita {number}", image=f"/images/p{number}.jpg", image_alt="Foto",
            body=f"![Isi](/images/p{number}.jpg)")
    return make_site(tmp_path / "site", files, CONFIG)


def test_a_build_with_its_picture_cache_lost_takes_the_previous_output_and_encodes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = _reuse_site(tmp_path)
    first = build_site(site)
    assert len(first.processed_images) == 3
    before = read_tree(site / "output")
    previous = tmp_path / "deployed"
    shutil.copytree(site / "output", previous)
    # One published file was damaged on its way: it is not taken, but made again.
    damaged = sorted((previous / "_img").glob("*.webp"))[0]
    damaged.write_bytes(damaged.read_bytes()[:200])
    shutil.rmtree(site / ".sitegen-cache")
    shutil.rmtree(site / "output")
    written = counting_encoder(monkeypatch)
    second = build_site(site, reuse_output=previous)
    assert second.reused_images == 12 * 3 - 1
    assert len(written) == 1 and written[0].endswith(".webp")
    assert read_tree(site / "output") == before
    # Undamaged, nothing at all is encoded.
    shutil.copytree(site / "output", previous, dirs_exist_ok=True)
    shutil.rmtree(site / ".sitegen-cache")
    shutil.rmtree(site / "output")
    written.clear()
    third = build_site(site, reuse_output=previous)
    assert written == [] and third.processed_images == [] and third.reused_images == 36
    assert read_tree(site / "output") == before


def test_a_file_that_only_claims_a_variants_name_is_not_taken(tmp_path: Path) -> None:
    site = _reuse_site(tmp_path)
    build_site(site)
    previous = tmp_path / "deployed"
    shutil.copytree(site / "output", previous)
    # Right name, wrong picture (another size): refused, and the real one is encoded.
    victim = sorted((previous / "_img").glob("*.avif"))[0]
    with Image.open(victim) as real:
        Image.new("RGB", (real.width // 2, real.height // 2)).save(victim, "AVIF")
    shutil.rmtree(site / ".sitegen-cache")
    shutil.rmtree(site / "output")
    report = build_site(site, reuse_output=previous)
    assert report.reused_images == 35 and len(report.processed_images) == 1
    assert (site / "output/_img" / victim.name).read_bytes() != victim.read_bytes()


def test_the_picture_cache_is_kept_under_its_limit_unused_files_first(tmp_path: Path) -> None:
    site = _reuse_site(tmp_path)
    build_site(site)
    cache = site / ".sitegen-cache/pictures"
    stale = cache / "0123456789-480x320.webp"
    stale.write_bytes(b"x" * 50_000)
    used = sum(p.stat().st_size for p in cache.iterdir() if p.name != "in-use.txt") - 50_000
    done = subprocess.run([sys.executable, "-m", "sitegen", "cache", "prune", "--max-size",
                           str(used + 10), "--source", str(site)], capture_output=True,
                          text=True, cwd=REPO, check=True)
    assert not stale.exists() and "1 file(s) evicted" in done.stdout
    # A tighter [images] cache_limit trims the cache after the build, which stays whole.
    config = (site / "sitegen.toml").read_text() + '[images]\ncache_limit = "100kB"\n'
    (site / "sitegen.toml").write_text(config)
    report = build_site(site)
    assert report.picture_cache and report.picture_cache.after <= 100_000
    assert report.picture_cache.evicted > 0
    assert len(list((site / "output/_img").iterdir())) == 36
    bad = config.replace('"100kB"', '"lots"')
    (site / "sitegen.toml").write_text(bad)
    with pytest.raises(SitegenError) as caught:
        build_site(site)
    assert "images.cache_limit 'lots' is not a size" in str(caught.value.problems[0])


def _hostile(folder: Path) -> dict[str, bytes]:
    folder.mkdir(parents=True, exist_ok=True)
    whole = photo(folder / "whole.jpg", (1600, 1000))
    # A PNG header claiming 20,000 x 20,000 (400 megapixels) in a tiny file.
    Image.new("1", (20_000, 20_000)).save(folder / "bomb.png", optimize=True)
    frames = [Image.new("P", (8, 8), 0) for _ in range(10_000)]
    for number, frame in enumerate(frames):
        frame.putpixel((number % 8, (number // 8) % 8), number % 255 + 1)
    frames[0].save(folder / "anim.gif", save_all=True, append_images=frames[1:], duration=20)
    return {"truncated.jpg": whole[: len(whole) // 2],
            "script.svg": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script>'
                          b'</svg>',
            "bomb.png": (folder / "bomb.png").read_bytes(),
            "anim.gif": (folder / "anim.gif").read_bytes(),
            "noise.jpg": b"not a picture at all" * 10}


@pytest.mark.slow
def test_hostile_pictures_are_problems_at_their_article_lines_in_time(tmp_path: Path) -> None:
    hostile = _hostile(tmp_path / "made")
    files: dict[str, str | bytes] = {f"content/static/images/{n}": d for n, d in hostile.items()}
    for number, name in enumerate(hostile):
        files[f"content/berita/hero{number}.md"] = article(
            f"Hero {number}", image=f"/images/{name}", image_alt="Foto")
        files[f"content/berita/body{number}.md"] = article(
            f"Isi {number}", body=f"Paragraf satu.\n\n![Foto](/images/{name})\n")
    site = make_site(tmp_path / "site", files, CONFIG)
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "sitegen", "build", "--jobs", "1",
                           "--verbose", "--source", str(site)], capture_output=True, text=True,
                          cwd=REPO)
    assert time.monotonic() - started < 60
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    expected = {"truncated.jpg": "cannot be read as a picture",
                "script.svg": "SVG with a script", "bomb.png": "decompression bomb",
                "anim.gif": "animation of more than 1,000 frames",
                "noise.jpg": "cannot be read as a picture"}
    lines = done.stderr.splitlines()
    for number, (name, words) in enumerate(expected.items()):
        # The hero: the front matter's image line; the body: the line naming it.
        for where in (f"content/berita/hero{number}.md:4:", f"content/berita/body{number}.md:8:"):
            assert any(line.startswith(where) and words in line and name in line
                       for line in lines), (where, words, done.stderr)


def test_a_photo_larger_than_needed_is_a_warning_with_its_cost(tmp_path: Path) -> None:
    photo(tmp_path / "besar.jpg", (3000, 2000))
    site = make_site(tmp_path / "site", {
        "content/static/images/besar.jpg": (tmp_path / "besar.jpg").read_bytes(),
        "content/berita/a.md": article("A", image="/images/besar.jpg", image_alt="Foto")},
        CONFIG + "[images]\nlarge_megapixels = 5\n")
    report = build_site(site)
    warning = next(str(w) for w in report.warnings if "megapixels" in str(w))
    assert warning.startswith("content/berita/a.md:4:")
    assert "3000x2000 (6.0 megapixels" in warning and "save it 2400 px wide" in warning


def test_netlify_and_cloudflare_cache_the_resized_pictures_for_a_year(tmp_path: Path) -> None:
    site = _reuse_site(tmp_path)
    config = (site / "sitegen.toml").read_text().replace(
        'base_url = "https://example.org/"', 'base_url = "https://example.org/berita/"')
    (site / "sitegen.toml").write_text(config + '[deploy]\nhost = "netlify"\n')
    build_site(site)
    headers = (site / "output/_headers").read_text().split("\n")
    rule = headers.index("/berita/_img/*")
    assert headers[rule + 1] == "  Cache-Control: public, max-age=31536000, immutable"
    assert all(p.name.count(".") == 2 for p in (site / "output/_img").iterdir())


def test_a_build_checks_and_copies_only_the_variants_its_output_does_not_publish_yet(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Publishing a story with its photo into an archive of photos: the variants the
    output publishes already (named by their photo's bytes) are neither checked against
    their cache record nor copied again; a variant deleted from the output by hand is
    put back; the output equals a clean build's."""
    files: dict[str, str | bytes] = {}
    for i in range(3):
        files[f"content/static/images/foto-{i}.jpg"] = photo(tmp_path / f"p{i}.jpg", (400, 250),
                                                              seed=i + 2)
        files[f"content/berita/a{i}.md"] = article(f"Berita {i}", image=f"/images/foto-{i}.jpg",
                                                    date=f"2026-11-1{i} 09:00")
    site = make_site(tmp_path / "site", files, CONFIG)
    build_site(site)
    checked: list[str] = []
    intact = picture_plan.sealed.intact
    monkeypatch.setattr(picture_plan.sealed, "intact",
                        lambda path: checked.append(str(path)) or intact(path))
    photo(site / "content/static/images/baru.jpg", (400, 250), seed=9)
    (site / "content/berita/baru.md").write_text(article(
        "Berita baru", image="/images/baru.jpg", date="2026-11-20 09:00"))
    report = build_site(site)
    made = {name for name in report.written if name.startswith(f"{pictures.FOLDER}/")}
    assert made and all(name.split("/")[1].startswith("baru-") for name in made), made
    assert len(checked) == len(made)  # the new photo's variants, none of the archive's
    assert not any(f"{pictures.FOLDER}/foto-" in name for name in report.written)
    gone = next((site / "output" / pictures.FOLDER).glob("foto-1-*"))
    gone.unlink()
    (site / "content/berita/baru.md").write_text(article(  # a build, not the early answer
        "Berita baru", image="/images/baru.jpg", date="2026-11-20 09:00", body="Diperbarui."))
    build_site(site)
    assert gone.is_file()
    # The picture cache emptied (pruned, or not restored on CI): what the output holds
    # is kept, and the feeds give the lengths of its files.
    shutil.rmtree(site / ".sitegen-cache/pictures")
    (site / "content/berita/baru.md").write_text(article(
        "Berita baru", image="/images/baru.jpg", date="2026-11-20 09:00", body="Lagi."))
    assert build_site(site).processed_images == []
    build_site(site, use_cache=False, output=tmp_path / "clean")
    assert read_tree(site / "output") == read_tree(tmp_path / "clean")


def test_a_file_photo_shown_by_many_stories_is_worked_out_once_a_build(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A newsroom's file photo (a minister's portrait) heads hundreds of stories: the
    plan works its variants out once for all of them, not once a story."""
    settings = ImagesConfig()
    memo = pictures.Memo(settings)
    asked: list[str] = []
    photo_of = memo.photo
    monkeypatch.setattr(memo, "photo", lambda *a: asked.append(a[0]) or photo_of(*a))
    shown = [hero("/images/menteri.jpg", 7) for _ in range(200)]
    plan = picture_plan.Plan(shown, [hero("/images/menteri.jpg", 7)], {}, memo)
    assert len(list(plan.published())) == len(list(picture_plan.Plan(
        shown[:1], [], {}, pictures.Memo(settings)).published()))
    assert asked == ["/images/menteri.jpg"] * 2  # once a way it is shown: hero, in a body
