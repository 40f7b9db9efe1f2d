"""Layer 3.5. Every file of the static folders is screened before it is published, and a
hostile one is a problem of that file alone (`--keep-going` leaves it out):

- a name that is not portable, or a twin of another's (portable_names.py);
- an image bomb: a picture whose header promises more than MAX_PIXELS pixels
  (a few KB that decode to gigabytes), refused whether or not a page uses it;
- an SVG with script (`<script>`, `on…=` handlers, `javascript:` links,
  `<foreignObject>`, entity declarations): an SVG opened at its own URL runs its
  scripts with the site's origin. `[static] svg` decides: "sanitize" (default: the
  file is published without them, with a warning), "refuse" (an error), "allow".

Files of the themes shipped with sitegen are the project's own and not screened.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import re
import shutil
import tempfile
import warnings
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from xml.parsers import expat

from PIL import Image, UnidentifiedImageError

from sitegen import portable_names, themes
from sitegen.config import Config
from sitegen.errors import Problem
from sitegen.sitefiles import StaticFiles

MAX_PIXELS = 80_000_000
"""A picture of more pixels (10,000 x 8,000) is refused: no page needs it, and a reader's
browser (or the build, resizing it) would need gigabytes to decode it. Below Pillow's own
limit, so nothing Pillow warns about is ever decoded."""
PICTURES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".tif", ".tiff", ".avif",
            ".ico", ".psd", ".tga"}
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
_DROPPED = {"script", "foreignobject", "iframe", "embed", "object", "handler", "listener"}
_ANIMATIONS = {"set", "animate", "animatetransform", "animatemotion"}
_SAFE_DATA = re.compile(r"data:image/(png|jpeg|gif|webp|avif);", re.IGNORECASE)
_SCRIPTED = re.compile(r"<script|<foreignobject|\son[a-z]+\s*=|javascript:|<!entity",
                       re.IGNORECASE)


JUDGED = ("static", "pictures judged")
"""Where a kept build state (serve's, state.BuildState.memo) holds what `screen` found of
each picture, so that a rebuild opens none that did not change."""
Judged = dict[tuple[str, int, int, int], "str | None"]
"""(file, size, time, inode) -> why the picture is refused, or None."""


def screen(static: StaticFiles, config: Config, problems: list[Problem],
           judged: Judged | None = None) -> StaticFiles:
    """The static files to publish (a sanitized SVG by its clean copy), with a problem for
    each hostile one added to `problems` (an error unless it was made safe). `judged`:
    the last build's verdicts (serve's), replaced by this build's (not a memory of the
    process: a one-off build holds a verdict a photo only while it screens)."""
    screened: dict[str, str] = {}
    before = judged if judged is not None else {}
    now: Judged = {}
    for name, twin in portable_names.twins(static):
        shown = _shown(static.file(twin), config)
        if name.casefold() != twin.casefold():  # NFC and NFD look alike: show the difference
            name, twin = ascii(name)[1:-1], ascii(twin)[1:-1]
        problems.append(Problem(shown, 0, f"'{twin}' and '{name}' "
                                "differ only in case or Unicode normalization, and are one "
                                "file on Windows, macOS and many hosts: rename one"))
    shipped = f"{themes.BUILTIN_THEMES}{os.sep}"
    for name, path in static.files():  # strings: a Path a photo would stay in the process
        if path.startswith(shipped):
            screened[name] = path
            continue
        why = portable_names.path_problem(name)
        suffix = os.path.splitext(path)[1].lower()
        if why is None and suffix in PICTURES:
            stat = os.stat(path)
            key = (path, stat.st_size, stat.st_mtime_ns, stat.st_ino)
            why = now[key] = before[key] if key in before else _bomb(path)
        if why is not None:  # named only then: resolving each file's name is a Path each
            problems.append(Problem(_shown(path, config), 0, why))
        elif suffix == ".svg" and config.static.svg != "allow":
            screened[name] = str(_svg(Path(path), _shown(path, config), config.static.svg,
                                      problems))
            continue
        screened[name] = path
    if judged is not None:
        judged.clear()
        judged.update(now)
    return StaticFiles(screened)


def _shown(path: str, config: Config) -> str:
    return themes.display_path(str(path), config.root)


def _bomb(path: str) -> str | None:
    """Why the picture at `path` is refused."""
    try:
        with warnings.catch_warnings():  # the problem says it, not a Python warning
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as picture:
                width, height = picture.size
    except Image.DecompressionBombError as exc:
        return f"this picture is an image bomb ({exc}): resize it or remove it"
    except (UnidentifiedImageError, OSError, ValueError):
        return None  # not a picture Pillow reads: published as any other file
    if width * height <= MAX_PIXELS:
        return None
    return (f"this picture is {width} x {height} pixels, more than {MAX_PIXELS:,} "
            "(a reader's browser would need gigabytes to show it): resize it or remove it")


def _svg(path: Path, shown: str, mode: str, problems: list[Problem]) -> Path:
    """The SVG to publish: the file itself when it holds no script, else a copy without
    it ("sanitize", a warning) or the file with an error ("refuse")."""
    data = path.read_bytes()
    found = _SCRIPTED.search(data.decode("utf-8", "replace"))
    if found is None:
        return path
    line = data.count(b"\n", 0, found.start()) + 1 if found.start() < len(data) else 1
    if mode == "refuse":
        problems.append(Problem(shown, line, "this SVG holds script, which runs with the "
                                "site's address when the file is opened: remove it, or set "
                                '[static] svg = "sanitize" to publish it without'))
        return path
    clean = sanitized(data)
    if clean is None:
        problems.append(Problem(shown, line, "this SVG holds script and cannot be read as "
                                "XML without entities to remove it: save it again without "
                                "script (or as PNG)"))
        return path
    problems.append(Problem(shown, line, "this SVG holds script: it is published without "
                            "it", warning=True))
    return _clean_copy(path, clean)


def sanitized(data: bytes) -> bytes | None:
    """An SVG without script, handlers, script links and foreign content; None when it
    declares entities or DTDs (which could expand to anything) or is not XML."""
    def refuse(*_: object) -> None:
        raise ValueError("an SVG may not declare entities")

    scan = expat.ParserCreate()  # first, whether it declares anything (in any encoding)
    scan.StartDoctypeDeclHandler = refuse
    scan.EntityDeclHandler = refuse
    try:
        scan.Parse(data, True)
        root = ElementTree.fromstring(data)
    except (expat.ExpatError, ElementTree.ParseError, ValueError):
        return None
    ElementTree.register_namespace("", SVG_NS)
    ElementTree.register_namespace("xlink", XLINK_NS)
    _clean(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, "utf-8",
                                                                             xml_declaration=False)


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].lower()


def _clean(element: ElementTree.Element) -> None:
    for child in list(element):
        kind = _local(child.tag) if isinstance(child.tag, str) else ""
        target = _local(child.get("attributeName", ""))
        if kind in _DROPPED or (kind in _ANIMATIONS and (target.startswith("on") or
                                                         target == "href")):
            element.remove(child)
        else:
            _clean(child)
    for attribute, value in list(element.attrib.items()):
        local = _local(attribute)
        plain = re.sub(r"[\s\x00-\x1f]", "", value).lower()
        if local.startswith("on") or (local in ("href", "src", "action", "formaction") and (
                plain.startswith(("javascript:", "vbscript:")) or
                (plain.startswith("data:") and not _SAFE_DATA.match(plain)))):
            del element.attrib[attribute]


_CLEAN_DIR: list[Path] = []


def _clean_copy(path: Path, clean: bytes) -> Path:
    """The clean SVG on disk, named by its content, with the original's time, so an
    unchanged file stays unchanged in the output (write.py compares size and time)."""
    if not _CLEAN_DIR:
        _CLEAN_DIR.append(Path(tempfile.mkdtemp(prefix="sitegen-svg-")))
        atexit.register(shutil.rmtree, _CLEAN_DIR[0], True)
    stat = path.stat()
    target = _CLEAN_DIR[0] / f"{hashlib.sha256(clean).hexdigest()[:20]}-{stat.st_mtime_ns}.svg"
    if not target.is_file():
        target.write_bytes(clean)
        os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    return target
