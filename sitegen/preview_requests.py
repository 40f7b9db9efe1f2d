"""Layer 7.8. What a request to the preview may get: the file its path names, never
outside the served folder; an answer only when its Host is the preview's own; the
content type of each file."""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path
from urllib.parse import unquote

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")

# Fixed here rather than taken from `mimetypes`, which reads the machine's
# /etc/mime.types and so differs from one machine to the next.
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8", ".htm": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8", ".json": "application/json",
    ".map": "application/json", ".webmanifest": "application/manifest+json",
    ".xml": "application/xml", ".xsl": "application/xslt+xml", ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
    ".gif": "image/gif", ".webp": "image/webp", ".avif": "image/avif", ".ico": "image/x-icon",
    ".woff": "font/woff", ".woff2": "font/woff2", ".ttf": "font/ttf", ".otf": "font/otf",
    ".pdf": "application/pdf", ".wasm": "application/wasm", ".mp4": "video/mp4",
    ".webm": "video/webm", ".mp3": "audio/mpeg",
}
_FORBIDDEN_ESCAPES = re.compile(r"%(2f|5c|00)|%(?![0-9a-f]{2})", re.IGNORECASE)


def content_type(name: str) -> str:
    suffix = name[name.rfind("."):].lower() if "." in name else ""
    return CONTENT_TYPES.get(suffix, "application/octet-stream")


def safe_relative(url_path: str) -> str | None:
    """The file path a request names, relative to the served folder; None if it is not safe.

    Anything that could climb out or hide a separator is refused outright:
    `..` and `.` segments (also percent-encoded), encoded slashes and
    backslashes, backslashes, NUL bytes, malformed and undecodable escapes.
    """
    if not url_path.startswith("/") or "\\" in url_path or _FORBIDDEN_ESCAPES.search(url_path):
        return None
    try:
        decoded = unquote(url_path, errors="strict")
    except UnicodeDecodeError:
        return None
    parts = decoded.split("/")[1:]
    if any(part in {".", ".."} or "\x00" in part or "\\" in part for part in parts):
        return None
    return "/".join(parts)


def locate(folder: Path, relative: str) -> Path | None:
    """The file to send for `relative` (a folder means its index.html), never outside `folder`."""
    base = folder.resolve()
    target = (base / relative).resolve()  # follows symlinks, so one pointing outside is caught
    if not target.is_relative_to(base):
        return None
    if target.is_dir():
        target = target / "index.html"
    return target if target.is_file() else None


def host_allowed(header: str | None, listen: str, port: int) -> bool:
    """Whether a request's Host names this preview: its own address or a loopback name,
    with its port. Anything else is a page that resolved its own domain name to this
    machine (DNS rebinding) and must not read drafts."""
    if not header:
        return False
    name, _, given = header.strip().lower().rpartition(":")
    if not name or (":" in name and not name.endswith("]")):
        name, given = header.strip().lower(), ""  # no port, or a bare IPv6 address
    if given != str(port) and not (given == "" and port == 80):
        return False
    if name in LOOPBACK_NAMES or name == (f"[{listen}]" if ":" in listen else listen).lower():
        return True
    if listen in ("", "0.0.0.0", "::"):
        # Listening on every address: any address literal of this machine is its own;
        # a rebinding attack needs a domain name.
        try:
            ipaddress.ip_address(name.strip("[]"))
            return True
        except ValueError:
            return False
    return False
