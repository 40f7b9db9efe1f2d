"""Fill a corpus site's picture cache without encoding, so that builds of an archive with
a photo a story can be measured in minutes: every other part of the build as it is.

    python benchmarks/picture_fill.py benchmarks/.work/corpus-10000-seed1/sitegen-full \
        --count 10000 --seed 1

Encoding is the one per-photo cost that does not depend on the archive (about 0.3 CPU s
for the corpus's 1,600 x 900 photo, eleven files; docs/benchmarks.md, corpus21): 10,000
photos are about 50 CPU minutes, more than a benchmark on the shared machine can spend
each cold build. This writes each variant the plan names (pictures.Memo, from each
photo's SHA-256, size and the site's `[images]`) into `.sitegen-cache/pictures/` as a
hard link to one small image of the variant's format and size (solid grey, one per
shape), with its sealed record (sealed.record), as a CI run whose cache was restored has
them. A build then finds every variant in place and encodes none. What differs from
real variants: their bytes (about 1 KB where a real one is 20-60 KB), so the copy into
the output moves less; say so with any figure taken this way.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus

from sitegen import pictures, sealed
from sitegen.config import load_config

FORMATS = {"avif": "AVIF", "webp": "WEBP", "jpeg": "JPEG", "png": "PNG"}


def fill(site: Path, data: corpus.Corpus) -> int:
    """Link every variant of the corpus's photos into the site's picture cache (the story
    a benchmark publishes is not among them: its photo is encoded as a newsroom's is);
    how many were linked."""
    config = load_config(site)
    folder = config.cache_dir / "pictures"
    folder.mkdir(parents=True, exist_ok=True)
    shapes = site.resolve().parent / "picture-shapes"  # beside the site: the same file system
    shapes.mkdir(exist_ok=True)
    templates: dict[tuple[str, int, int], Path] = {}
    memo = pictures.Memo(config.images, remembered=1)
    linked = 0
    for story in data.stories:
        path = corpus.photo_paths(story)["sitegen-full"]
        digest = int.from_bytes(hashlib.sha256((site / path).read_bytes()).digest(), "big")
        src = path.removeprefix("content/static")
        photo = memo.photo(src, digest, data.photo_size)
        wanted = [v for found in photo.formats.values() for v in found]
        wanted += [*([photo.share] if photo.share else []), *photo.crops]
        for variant in wanted:
            target = folder / variant.key
            if target.exists():
                continue
            template = templates.get((variant.format, variant.width, variant.height))
            if template is None:
                template = shapes / f"{variant.format}-{variant.width}x{variant.height}"
                template.unlink(missing_ok=True)
                Image.new("RGB", (variant.width, variant.height), (128, 128, 128)).save(
                    template, FORMATS[variant.format])
                sealed.record(template)
                templates[(variant.format, variant.width, variant.height)] = template
            # The record names the file's size and time, which a hard link shares.
            os.link(template, target)
            os.link(f"{template}{sealed.SUM_SUFFIX}", f"{target}{sealed.SUM_SUFFIX}")
            linked += 1
    return linked


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="a corpus's sitegen or sitegen-full folder")
    parser.add_argument("--count", type=int, required=True, help="the corpus's article count")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(f"{fill(args.site, corpus.generate(args.count, args.seed))} variants linked")


if __name__ == "__main__":
    main()
