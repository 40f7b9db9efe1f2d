"""Issue 19: what a distinct photo costs sitegen's picture pipeline, against Hugo's.

    python benchmarks/photos.py --photos 12 --articles 500 --names 100 --work /tmp/photos

Every story has its own generated 2,400 x 1,600 photo (gradients, shapes and noise, so
the encoders do real work; nothing is downloaded). Four parts, all in one run:

1. `choices`: each encoder setting on a few photos: CPU for the four widths, bytes, and
   SSIM of the decoded file against the original resized with Lanczos at that width
   (a small numpy SSIM: 7x7 windows, grey levels, Wang et al.'s constants).
2. `per_photo`: a cold build of N articles with photos minus the same articles without
   photos, per photo, for sitegen's default build (AVIF + WebP srcsets, share image,
   three crops) and for Hugo making a WebP srcset at four widths (its defaults).
3. `archive`: a cold default build of `--articles` articles, each with its own photo.
4. `names`: one photo under `--names` names: how many times it is decoded and encoded.

Figures are CPU seconds (user + system of the process tree, from wait4), as the shared
machine's load moves wall time much more. The results go to stdout as JSON.
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import timed
from run import hugo_binary

WIDTHS = (480, 800, 1200, 1600)
SIZE = (2400, 1600)


def photo(seed: int, size: tuple[int, int] = SIZE) -> Image.Image:
    """A photo-like picture of its own: soft gradients, a dozen solid shapes, grain."""
    rng = np.random.default_rng(seed)
    w, h = size
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    img = np.zeros((h, w, 3), np.float32)
    for c in range(3):
        a, b, p = rng.uniform(0.5, 6, 3)
        img[..., c] = 128 + 90 * np.sin(x / w * a * 3.1 + p) * np.cos(y / h * b * 3.1)
    for _ in range(12):
        cx, cy, r = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(40, 300)
        img[((x - cx) ** 2 + (y - cy) ** 2) < r * r] = rng.uniform(0, 255, 3)
    coarse = rng.normal(0, 1, (h // 4, w // 4, 3)) * 40 + 128
    texture = np.asarray(Image.fromarray(coarse.clip(0, 255).astype(np.uint8)).resize(
        (w, h), Image.Resampling.BICUBIC), np.float32) - 128
    img += texture * 0.6 + rng.normal(0, 4, (h, w, 3))
    return Image.fromarray(img.clip(0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.7))


def ssim(a: Image.Image, b: Image.Image) -> float:
    x = np.asarray(a.convert("L"), np.float64)
    z = np.asarray(b.convert("L"), np.float64)

    def mean(v: np.ndarray) -> np.ndarray:
        c = np.pad(v.cumsum(0).cumsum(1), ((1, 0), (1, 0)))
        k = 7
        return (c[k:, k:] - c[:-k, k:] - c[k:, :-k] + c[:-k, :-k]) / (k * k)

    mx, mz = mean(x), mean(z)
    vx, vz, cov = mean(x * x) - mx * mx, mean(z * z) - mz * mz, mean(x * z) - mx * mz
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    return float((((2 * mx * mz + c1) * (2 * cov + c2)) /
                  ((mx * mx + mz * mz + c1) * (vx + vz + c2))).mean())


def choices(sources: list[Path]) -> list[dict[str, object]]:
    rows = []
    settings = [("AVIF", {"quality": 60}, "Pillow default speed (6), threads"),
                ("AVIF", {"quality": 60, "speed": 8, "max_threads": 1}, ""),
                ("AVIF", {"quality": 60, "speed": 9, "max_threads": 1}, "chosen"),
                ("WEBP", {"quality": 80, "method": 2}, ""),
                ("WEBP", {"quality": 80, "method": 4}, "chosen"),
                ("WEBP", {"quality": 80, "method": 6}, ""),
                ("JPEG", {"quality": 80}, ""),
                ("JPEG", {"quality": 80, "optimize": True}, "chosen"),
                ("JPEG", {"quality": 80, "optimize": True, "progressive": True}, "before")]
    originals = []
    for path in sources:
        with Image.open(path) as opened:
            opened.load()
            originals.append({w: opened.resize((w, w * SIZE[1] // SIZE[0]),
                                               Image.Resampling.LANCZOS) for w in WIDTHS})
    for format, options, note in settings:
        cpu, size, scores = 0.0, 0, {w: [] for w in WIDTHS}
        for resized in originals:
            for w, pixels in resized.items():
                buffer = io.BytesIO()
                started = time.process_time()
                pixels.save(buffer, format, **options)
                cpu += time.process_time() - started
                size += buffer.tell()
                buffer.seek(0)
                scores[w].append(ssim(pixels, Image.open(buffer)))
        rows.append({"format": format, "options": options, "note": note,
                     "cpu_ms_per_photo": round(cpu / len(originals) * 1000),
                     "kib_per_photo": round(size / len(originals) / 1024),
                     "ssim": {w: round(sum(s) / len(s), 4) for w, s in scores.items()}})
    rows += decode_and_resize(sources)
    return rows


def decode_and_resize(sources: list[Path]) -> list[dict[str, object]]:
    """Decoding whole or reduced (draft), resizing each width from the original or from
    the next wider one (the cascade), with SSIM of the cascade against the direct."""
    rows = []
    for label, need in (("decode whole", SIZE), ("decode draft 1/2", (1200, 800))):
        started = time.process_time()
        for path in sources:
            with Image.open(path) as opened:
                opened.draft("RGB", need)
                opened.load()
        rows.append({"format": "decode", "options": label,
                     "cpu_ms_per_photo": round((time.process_time() - started) /
                                               len(sources) * 1000)})
    direct_cpu = cascade_cpu = 0.0
    scores = {w: [] for w in WIDTHS}
    for path in sources:
        with Image.open(path) as opened:
            opened.load()
            started = time.process_time()
            direct = {w: opened.resize((w, w * 2 // 3), Image.Resampling.LANCZOS)
                      for w in WIDTHS}
            direct_cpu += time.process_time() - started
            started, previous, cascade = time.process_time(), opened, {}
            for w in sorted(WIDTHS, reverse=True):
                previous = cascade[w] = previous.resize((w, w * 2 // 3),
                                                        Image.Resampling.LANCZOS)
            cascade_cpu += time.process_time() - started
            for w in WIDTHS:
                scores[w].append(ssim(direct[w], cascade[w]))
    rows.append({"format": "resize", "options": "each width from the original",
                 "cpu_ms_per_photo": round(direct_cpu / len(sources) * 1000)})
    rows.append({"format": "resize", "options": "cascade (chosen)",
                 "cpu_ms_per_photo": round(cascade_cpu / len(sources) * 1000),
                 "ssim_vs_direct": {w: round(sum(s) / len(s), 4) for w, s in scores.items()}})
    return rows


def write_photos(folder: Path, count: int, first_seed: int = 1) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        path = folder / f"foto-{index:04d}.jpg"
        if not path.exists():
            photo(first_seed + index).save(path, "JPEG", quality=90)
        paths.append(path)
    return paths


def _front(title: str, image: str | None) -> str:
    lines = [f'title: "{title}"', "date: 2026-11-20T09:00:00+07:00"]
    if image:
        lines += [f'image: "{image}"', 'image_alt: "Foto"']
    return "---\n" + "\n".join(lines) + "\n---\n\nIsi berita tentang " + title + ".\n"


def sitegen_site(root: Path, photos: list[Path] | None, count: int,
                 names: bool = False) -> Path:
    """`count` articles; with `photos`, article i shows photo i (`names`: the same photo,
    each article under a name of its own)."""
    shutil.rmtree(root, ignore_errors=True)
    (root / "content/berita").mkdir(parents=True)
    (root / "sitegen.toml").write_text('[site]\ntitle = "Foto"\nbase_url = '
                                       '"https://example.org/"\n[build]\nsearch = false\n')
    for index in range(count):
        image = None
        if photos:
            name = f"dok-{index:04d}.jpg" if names else photos[index].name
            target = root / "content/static/images" / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.exists():
                target.hardlink_to(photos[0] if names else photos[index])
            image = f"/images/{name}"
        (root / f"content/berita/berita-{index:04d}.md").write_text(
            _front(f"Berita {index}", image))
    return root


def hugo_site(root: Path, photos: list[Path] | None, count: int) -> Path:
    shutil.rmtree(root, ignore_errors=True)
    (root / "content/berita").mkdir(parents=True)
    (root / "layouts").mkdir()
    (root / "hugo.toml").write_text('baseURL = "https://example.org/"\ntitle = "Foto"\n'
                                    'disableKinds = ["sitemap", "robotsTXT", "rss", "taxonomy",'
                                    ' "term"]\n')
    srcset = ('{{ range $i, $w := slice ' + " ".join(map(str, WIDTHS)) + ' }}{{ if $i }}, '
              '{{ end }}{{ ($img.Resize (printf "%dx webp" $w)).RelPermalink }} {{ $w }}w'
              '{{ end }}')
    (root / "layouts/page.html").write_text(
        '<!doctype html><title>{{ .Title }}</title>{{ with .Params.image }}'
        '{{ with resources.Get . }}{{ $img := . }}<picture><source type="image/webp" srcset="'
        + srcset + '"><img src="{{ .RelPermalink }}" alt=""></picture>{{ end }}{{ end }}'
        '{{ .Content }}')
    (root / "layouts/home.html").write_text("<!doctype html><title>{{ .Title }}</title>")
    (root / "layouts/list.html").write_text("<!doctype html><title>{{ .Title }}</title>")
    for index in range(count):
        image = None
        if photos:
            target = root / "assets/photos" / photos[index].name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.hardlink_to(photos[index])
            image = f"photos/{photos[index].name}"
        (root / f"content/berita/berita-{index:04d}.md").write_text(
            _front(f"Berita {index}", image))
    return root


def sitegen_cold(site: Path, jobs: int) -> tuple[float, float]:
    shutil.rmtree(site / "output", ignore_errors=True)
    shutil.rmtree(site / ".sitegen-cache", ignore_errors=True)
    run = timed([sys.executable, "-m", "sitegen", "build", "--quiet", "--jobs", str(jobs),
                 "--now", "2026-11-28T12:00+07:00", "--source", str(site.resolve())])
    return run.seconds, run.cpu_seconds


def hugo_cold(site: Path, hugo: Path) -> tuple[float, float]:
    for folder in ("public", "resources", "cache"):
        shutil.rmtree(site / folder, ignore_errors=True)
    run = timed([str(hugo), "--quiet", "--source", str(site.resolve()),
                 "--cacheDir", str((site / "cache").resolve())])
    return run.seconds, run.cpu_seconds


def per_photo(work: Path, photos: list[Path], jobs: int) -> dict[str, object]:
    count = len(photos)
    hugo = hugo_binary()
    found: dict[str, object] = {"photos": count}
    with_s = sitegen_cold(sitegen_site(work / "s-with", photos, count), jobs)
    without_s = sitegen_cold(sitegen_site(work / "s-without", None, count), jobs)
    with_h = hugo_cold(hugo_site(work / "h-with", photos, count), hugo)
    without_h = hugo_cold(hugo_site(work / "h-without", None, count), hugo)
    found["sitegen_cpu_per_photo"] = round((with_s[1] - without_s[1]) / count, 3)
    found["hugo_cpu_per_photo"] = round((with_h[1] - without_h[1]) / count, 3)
    found["ratio"] = round(found["sitegen_cpu_per_photo"] / found["hugo_cpu_per_photo"], 2)
    found["runs"] = {"sitegen with photos": with_s, "sitegen without": without_s,
                     "hugo with photos": with_h, "hugo without": without_h}
    found["sitegen_files"] = len(list((work / "s-with/output/_img").iterdir()))
    found["hugo_files"] = len([p for p in (work / "h-with/public").rglob("*.webp")])
    return found


def archive(work: Path, photos: list[Path], jobs: int) -> dict[str, object]:
    seconds, cpu = sitegen_cold(sitegen_site(work / "archive", photos, len(photos)), jobs)
    return {"articles": len(photos), "seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1)}


def names(work: Path, photos: list[Path], count: int) -> dict[str, object]:
    from sitegen.build import BuildOptions, build
    from sitegen.config import load_config

    site = sitegen_site(work / "names", photos[:1], count, names=True)
    started = time.process_time()
    report = build(load_config(site), BuildOptions(jobs=1))
    return {"names": count, "decoded": len(report.processed_images),
            "cpu_seconds": round(time.process_time() - started, 2),
            "files_published": len(list((site / "output/_img").iterdir()))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--photos", type=int, default=12)
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--names", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--work", type=Path, default=Path("/tmp/sitegen-photos"))
    parser.add_argument("--parts", default="choices,per_photo,archive,names")
    args = parser.parse_args()
    parts = args.parts.split(",")
    photos = write_photos(args.work / "photos", max(args.photos, args.articles
                                                     if "archive" in parts else 0))
    results: dict[str, object] = {}
    if "choices" in parts:
        results["choices"] = choices(photos[:2])
    if "per_photo" in parts:
        results["per_photo"] = per_photo(args.work, photos[:args.photos], args.jobs)
    if "names" in parts:
        results["names"] = names(args.work, photos, args.names)
    if "archive" in parts:
        results["archive"] = archive(args.work, photos[:args.articles], args.jobs)
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
