"""Layer 1.5. Taking already published variants from a previous output instead of
encoding them again (`sitegen build --reuse-output DIR`).

A CI cache is lost, or too small for an archive's variants (GitHub keeps 10 GB per
repository); the deployed site still has every variant, so a build given a copy of it
(a synced bucket, a downloaded artifact, last run's output) fills its picture cache
from there. Nothing is taken on trust: a file counts only when its name carries the
hash of this source's bytes and this recipe (pictures._name), and it decodes, whole,
as the format and size that recipe makes. Anything else is encoded as usual.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterable
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from sitegen import sealed
from sitegen.picture_plan import Plan
from sitegen.pictures import FOLDER, Variant

_PUBLISHED = re.compile(r"^.+-(\d+)x(\d+)\.([0-9a-f]{10})\.(avif|webp|jpg|png)$")
_FORMATS = {"avif": "AVIF", "webp": "WEBP", "jpeg": "JPEG", "png": "PNG"}


def published(previous: Path, plan: Plan) -> dict[str, Path]:
    """Cache key -> a file of the previous output that claims to hold it: every
    variant under `_img/` (whatever its source was called then), and each stand-in
    at its original's URL."""
    found: dict[str, Path] = {}
    try:
        entries = list(os.scandir(previous / FOLDER))
    except OSError:
        entries = []
    for entry in entries:
        match = _PUBLISHED.match(entry.name)
        if match and entry.is_file(follow_symlinks=False):
            width, height, short, extension = match.groups()
            found.setdefault(f"{short}-{width}x{height}.{extension}", Path(entry.path))
    for name, stand_in in plan.originals.items():
        candidate = previous / name
        if candidate.is_file() and not candidate.is_symlink():
            found.setdefault(stand_in.key, candidate)
    return found


def sound(path: Path, variant: Variant) -> bool:
    """True when the file decodes whole as the variant's format at the variant's size."""
    try:
        with Image.open(path) as picture:
            if picture.format != _FORMATS[variant.format] or picture.size != (
                    variant.width, variant.height):
                return False
            picture.load()
            return True
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError,
            Image.DecompressionBombError):
        return False


def take(job: tuple[str, tuple[Variant, ...]], found: dict[str, Path],
         folder: Path) -> tuple[str, tuple[Variant, ...]]:
    """Copy into the cache every variant of the job that the previous output holds
    soundly; the job that is left (its variants still to encode)."""
    source, variants = job
    left = []
    for variant in variants:
        candidate = found.get(variant.key)
        if candidate is None or not sound(candidate, variant):
            left.append(variant)
            continue
        target = folder / variant.key
        temporary = target.with_name(f".{target.name}.{os.getpid()}.reused")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(candidate, temporary)
            os.replace(temporary, target)
            sealed.record(target)
        except OSError:
            temporary.unlink(missing_ok=True)
            left.append(variant)
    return source, tuple(left)


def reused(before: Iterable[tuple[str, tuple[Variant, ...]]],
           after: Iterable[tuple[str, tuple[Variant, ...]]]) -> int:
    """How many variants the previous output gave."""
    return sum(len(b[1]) - len(a[1]) for b, a in zip(before, after, strict=True))
