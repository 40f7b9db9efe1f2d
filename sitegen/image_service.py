"""Layer 0.5. Pictures resized by an image service instead of the build
(`[images] service`), for archives too big to pre-render.

Each variant the build would make (a width, a format, a crop) becomes a URL of the
service, which resizes the site's original on the first request and caches it; the
build encodes nothing. The forms (README, "Pictures from an image service"):

- `netlify`: Netlify Image CDN, `/.netlify/images?url=...&w=...&fm=...`;
- `cloudflare`: Cloudflare Images transformations, `/cdn-cgi/image/width=...,format=.../path`;
- `imgproxy` and `thumbor`: the newsroom's own server at `service_url`, in their
  unsigned URL forms (`/insecure/...`, `/unsafe/...`);
- any other: a URL template with `{url}` or `{path}` and `{width}` (and optionally
  `{height}`, `{format}`, `{quality}`), e.g. `https://img.example.org/{width}/{format}/{path}`.
"""

from __future__ import annotations

import re
from urllib.parse import quote

SERVICES = ("netlify", "cloudflare", "imgproxy", "thumbor")
NEEDS_SERVER = ("imgproxy", "thumbor")
PLACEHOLDERS = ("url", "path", "width", "height", "format", "quality")
# Paths on the site's own host that the service answers (no file of the output).
_SERVED = {"netlify": "/.netlify/images", "cloudflare": "/cdn-cgi/image/"}
_NAMES = {"netlify": {"jpeg": "jpg"}, "imgproxy": {"jpeg": "jpg"}}

Box = tuple[int, int, int, int]


def is_template(service: str) -> bool:
    return "{" in service


def problems(service: str, server: str) -> list[tuple[str, str]]:
    """(key, message) for each thing wrong with `[images] service` and `service_url`."""
    found: list[tuple[str, str]] = []
    if not service:
        if server:
            found.append(("service_url", "images.service_url is set but images.service is "
                          "not: name the service (imgproxy or thumbor)"))
        return found
    if is_template(service):
        used = set(re.findall(r"\{([^{}]*)\}", service))
        unknown = sorted(used - set(PLACEHOLDERS))
        if unknown:
            found.append(("service", f"images.service has unknown placeholder(s) "
                          f"{', '.join('{' + u + '}' for u in unknown)}: use "
                          f"{', '.join('{' + p + '}' for p in PLACEHOLDERS)}"))
        if "width" not in used or not used & {"url", "path"}:
            found.append(("service", "images.service as a URL template needs {width} and "
                          "{url} (the original's address) or {path} (its path on the site), "
                          "such as \"https://img.example.org/{width}/{path}\""))
        if not re.match(r"^(https?://[^/\s{}]+)?/", service):
            found.append(("service", "images.service as a URL template must start with "
                          "https:// or / (a path on the site's own host)"))
        return found
    if service not in SERVICES:
        found.append(("service", f"images.service '{service}' is not one of "
                      f"{', '.join(SERVICES)}, nor a URL template with {{width}} and {{url}}"))
    elif service in NEEDS_SERVER and not re.match(r"^https?://[^/\s]+(/\S*)?$", server):
        found.append(("service_url", f"images.service = \"{service}\" needs images.service_url, "
                      f"the address of your {service} server, such as "
                      f"\"https://img.example.org\""))
    elif service not in NEEDS_SERVER and server:
        found.append(("service_url", f"images.service_url is only for imgproxy and thumbor: "
                      f"{service} answers on the site's own host"))
    return found


def served_prefix(service: str) -> str | None:
    """The path on the site's host that the service answers, if any (the link check
    does not look for files there)."""
    return _SERVED.get(service)


def url(service: str, server: str, site_url: str, src: str, size: tuple[int, int],
        format: str, width: int, height: int, box: Box | None, quality: int) -> str:
    """The service's URL for one variant of the original `src` (a site path, `/images/x.jpg`)
    of the site at `site_url` (`https://example.org/berita/`)."""
    origin = re.match(r"^https?://[^/]+", site_url)
    path = site_url[origin.end() if origin else 0:].rstrip("/") + src
    absolute = (origin.group(0) if origin else "") + path
    name = _NAMES.get(service, {}).get(format, format)
    server = server.rstrip("/")
    if is_template(service):
        values = {"url": quote(absolute, safe=":/"), "path": quote(path, safe="/"),
                  "width": width, "height": height, "format": name, "quality": quality}
        return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), service)
    if service == "netlify":
        crop = f"&h={height}&fit=cover&position={_side(box, size)}" if box else ""
        return (f"/.netlify/images?url={quote(path, safe='/')}&w={width}{crop}"
                f"&fm={name}&q={quality}")
    if service == "cloudflare":
        focus = _focus(box, size)
        crop = f",height={height},fit=crop,gravity={focus[0]:.3f}x{focus[1]:.3f}" if box else ""
        return (f"/cdn-cgi/image/width={width}{crop},format={name},quality={quality}"
                f"{quote(path, safe='/')}")
    if service == "imgproxy":
        crop = (f"/c:{box[2] - box[0]}:{box[3] - box[1]}:nowe:{box[0]}:{box[1]}"
                f"/rs:fill:{width}:{height}") if box else f"/rs:fit:{width}:0"
        return f"{server}/insecure{crop}/q:{quality}/plain/{quote(absolute, safe=':/')}@{name}"
    # thumbor
    crop = f"/{box[0]}x{box[1]}:{box[2]}x{box[3]}/{width}x{height}" if box else f"/{width}x0"
    return (f"{server}/unsafe{crop}/filters:format({name}):quality({quality})/"
            f"{quote(absolute, safe=':/')}")


def _focus(box: Box | None, size: tuple[int, int]) -> tuple[float, float]:
    if not box:
        return (0.5, 0.5)
    return ((box[0] + box[2]) / 2 / size[0], (box[1] + box[3]) / 2 / size[1])


def _side(box: Box | None, size: tuple[int, int]) -> str:
    """Netlify crops to a side or the centre only: the one nearest the crop's centre."""
    x, y = _focus(box, size)
    if abs(x - 0.5) >= abs(y - 0.5):
        return "left" if x < 0.35 else "right" if x > 0.65 else "center"
    return "top" if y < 0.35 else "bottom" if y > 0.65 else "center"
