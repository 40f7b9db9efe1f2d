"""Layer 2.6. The pictures of a source: its hero image checked and described (size,
alt text, focus, the digest its resized versions are named by), and the problems of
the site's own pictures its body shows, each read within a time limit.
"""

from __future__ import annotations

import re
from typing import Any

from sitegen import pictures, timelimit
from sitegen.config import Config
from sitegen.errors import Problem
from sitegen.images import image_size, picture_problems, static_file
from sitegen.messages import tr
from sitegen.model import Image
from sitegen.sitefiles import static_dir


def hero_image(values: dict[str, Any], config: Config, problem: Any) -> Image | None:
    src = values.get("image")
    if not src:
        return None
    trouble = _picture_problems(config, src)
    for message, warning in trouble:
        problem("image", message, warning=warning)
    if any(not warning for _, warning in trouble):
        return None
    size = image_size(str(static_dir(config)), src)
    if size is None:
        problem("image", tr("image '{src}' is not an image file under content/static/ "
                            "(write it as /images/name.jpg for content/static/images/name.jpg)"
                            ).format(src=src), kind="missing image")
        return None
    if not values.get("image_alt", "").strip():
        problem("image", tr("the hero image has no image_alt: describe it for readers who "
                            "cannot see it"), warning=True)
    if size[0] < pictures.SHARE_WIDTH:
        problem("image", f"the hero image '{src}' is {size[0]} px wide: Google Discover and "
                f"social networks show large previews only for images at least "
                f"{pictures.SHARE_WIDTH} px wide; use a larger original", warning=True)
    focus = _focus(values.get("image_focus", "0.5,0.5"))
    if focus is None:
        problem("image_focus", f"image_focus '{values['image_focus']}' must be two fractions "
                "of the width and the height, such as \"0.3,0.4\" (0,0 is the top left)")
    path = static_file(str(static_dir(config)), src)
    digest = pictures.source_digest(path) if path and pictures.resizable(src) else 0
    return Image(src=src, alt=values.get("image_alt", "").strip(),
                 caption=values.get("image_caption", "").strip(),
                 credit=values.get("image_credit", "").strip(), width=size[0], height=size[1],
                 digest=digest, focus=focus or (0.5, 0.5),
                 copyright=values.get("image_copyright", "").strip())


PICTURE_SECONDS = 5.0
"""The time a picture's checks may take (a hostile file cannot stall the build)."""


def _picture_problems(config: Config, src: str) -> list[tuple[str, bool]]:
    """What is wrong with a picture of the static folder, read within a time limit."""
    try:
        with timelimit.limit(PICTURE_SECONDS):
            return picture_problems(str(static_dir(config)), src, config.images.large_megapixels,
                                    config.images.large_megabytes)
    except timelimit.TimeLimitExceeded:
        return [(f"{src} took more than {PICTURE_SECONDS:g} s to read: save it again as a "
                 "plain JPEG, PNG or WebP", False)]


_BODY_IMG = re.compile(r"<img\b[^>]*?\ssrc=\"([^\"]+)\"")


def body_picture_problems(pictures_shown: list[str], html: str, body: str, body_line: int,
                           config: Config, where: str) -> list[Problem]:
    """The problems of the site's own pictures a body shows (the resized ones, and the
    others: an SVG, a GIF), each at the line naming it."""
    found: list[Problem] = []
    others = ["/" + src[len(config.base_path):] for src in _BODY_IMG.findall(html)
              if src.startswith(config.base_path)]
    for site_src in dict.fromkeys([*pictures_shown, *others]):
        if site_src.startswith(f"/{pictures.FOLDER}/"):
            continue
        at = body.find(site_src)
        line = body_line + (body.count("\n", 0, at) if at >= 0 else 0)
        found.extend(Problem(where, line, message, warning)
                     for message, warning in _picture_problems(config, site_src))
    return found


def _focus(text: str) -> tuple[float, float] | None:
    """`"0.3,0.4"` -> (0.3, 0.4): where the crops keep their centre."""
    try:
        x, y = (float(part) for part in text.split(","))
    except ValueError:
        return None
    return (x, y) if 0 <= x <= 1 and 0 <= y <= 1 else None
