"""Layer 1. Making a picture's resized files: decode once, at the size needed, and encode
each with settings chosen by measurement (docs/benchmarks.md, "Issue 19").

Where a photo's CPU goes is the encoders, then resizing, then decoding, so:

- a JPEG is decoded at the smallest 1/2, 1/4 or 1/8 scale that still covers the widest
  file wanted (`Image.draft`): a phone's 6,000 px photo for 1,600 px files is decoded
  at 3,000 px, for a quarter of the work;
- each size is resized once and encoded in every format from the same pixels, and the
  widths of the whole picture are made from the next wider one (a cascade: each
  resize reads fewer pixels; SSIM 0.999 against resizing from the original);
- AVIF at speed 9 (libaom; a tenth of the CPU of Pillow's default speed for files 5%
  larger at the same SSIM), one thread (the build already runs a worker per core),
  WebP at method 4 and JPEG optimised but not progressive (progressive cost 2.5x for
  3% fewer bytes).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

from PIL import Image, ImageOps, UnidentifiedImageError

from sitegen import sealed

RECIPE = "avif-s9-t1.webp-m4.jpeg-opt.cascade"
"""Part of every variant's name (pictures._name): a change here renames every file."""
AVIF_SPEED = 9
WEBP_METHOD = 4

Box = tuple[int, int, int, int]
Wanted = tuple[str, int, int, str, Box | None]
"""(cache key, width, height, format, box of the source it shows or None)."""


class Qualities(Protocol):
    @property
    def quality(self) -> int: ...
    @property
    def avif_quality(self) -> int: ...


def options(format: str, settings: Qualities) -> dict[str, object]:
    if format == "jpeg":
        return {"quality": settings.quality, "optimize": True}
    if format == "webp":
        return {"quality": settings.quality, "method": WEBP_METHOD}
    if format == "avif":
        return {"quality": settings.avif_quality, "speed": AVIF_SPEED, "max_threads": 1}
    return {"optimize": True}


def decode(source: Path, wanted: list[Wanted]) -> tuple[Image.Image, float]:
    """The source's pixels, upright, at the smallest size that covers every wanted file,
    and the scale they were decoded at (1.0, or 1/2, 1/4, 1/8 for a JPEG)."""
    with Image.open(source) as opened:
        turned = opened.getexif().get(0x0112) in (5, 6, 7, 8)
        width, height = opened.size[::-1] if turned else opened.size
        scale = max(_scale_needed(w, h, box, (width, height)) for _, w, h, _, box in wanted)
        if opened.format == "JPEG" and scale < 0.5:
            need = (max(1, round(width * scale + 0.5)), max(1, round(height * scale + 0.5)))
            opened.draft("RGB", need[::-1] if turned else need)
        # Phones record the camera's orientation instead of turning the pixels.
        picture = ImageOps.exif_transpose(opened)
        picture.load()
    if picture.mode not in ("RGB", "RGBA"):
        picture = picture.convert("RGBA" if "A" in picture.getbands() or
                                  "transparency" in picture.info else "RGB")
    return picture, picture.width / width


def _scale_needed(width: int, height: int, box: Box | None, size: tuple[int, int]) -> float:
    region_w, region_h = (box[2] - box[0], box[3] - box[1]) if box else size
    return max(width / region_w, height / region_h)


def make(source: Path, wanted: list[Wanted], folder: Path,
         settings: Qualities) -> tuple[list[str], str]:
    """Write each wanted file into `folder` under its key: (the keys written, and why the
    source could not be made, or "").

    Each file is written under a temporary name and renamed, so a killed build never
    leaves half a picture under a real name."""
    try:
        picture, scale = decode(source, wanted)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        return [], f"cannot be read as a picture ({exc}): save it again as JPEG, PNG or WebP"
    made: list[str] = []
    resized: dict[tuple[Box | None, int, int], Image.Image] = {}
    # Widest first, so each whole-picture size is resized from the one before it.
    previous = picture
    for key, width, height, format, box in sorted(wanted, key=lambda w: (w[4] is not None,
                                                                          -w[1], w[0])):
        pixels = resized.get((box, width, height))
        if pixels is None:
            if box is None:
                pixels = previous.resize((width, height), Image.Resampling.LANCZOS)
                previous = pixels
            else:
                left, top, right, bottom = (edge * scale for edge in box)
                pixels = picture.resize((width, height), Image.Resampling.LANCZOS,
                                        box=(left, top, right, bottom))
            resized[(box, width, height)] = pixels
        if format == "jpeg" and pixels.mode != "RGB":
            pixels = pixels.convert("RGB")
        target = folder / key
        temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            pixels.save(temporary, format.upper(), **options(format, settings))
            os.replace(temporary, target)
            sealed.record(target)  # checked before the next build uses it (picture_plan.missing)
        except OSError as exc:
            temporary.unlink(missing_ok=True)
            return made, f"its resized version {target} cannot be written: {exc.strerror or exc}"
        made.append(key)
    return made, ""
