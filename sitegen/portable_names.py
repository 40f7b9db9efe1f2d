"""Layer 1. Output names every reader's system and every host can hold, and show honestly.

A site is written on Linux, checked out on editors' Macs and Windows laptops,
and uploaded to hosts with case-insensitive storage. A name that one of them
cannot hold, or that shows as something it is not, is a problem of its file:

- bidirectional controls (U+202E RIGHT-TO-LEFT OVERRIDE and its kin) make
  `gpj.exe` show as `exe.jpg`; other control and invisible format characters hide
  in a name;
- look-alike slashes (full-width `／`, division `∕`, fraction `⁄`) show a folder
  that is not there;
- `CON`, `PRN`, `AUX`, `NUL`, `COM1`…`COM9`, `LPT1`…`LPT9` (with any extension),
  a trailing dot or space, and `< > : " | ? *` are not files on Windows;
- two names that differ only in case or Unicode normalization (NFC/NFD) are one
  file on macOS, Windows and many hosts: one of them silently replaces the other.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
_SLASHES = set("\uff0f\u2215\u2044\u29f8\u29f9\u2571\u2572\uff3c\u2216")
# Zero-width (non-)joiners are part of how Persian, Hindi and emoji are written.
_JOINERS = set("\u200c\u200d")
_WINDOWS = re.compile(r"(?i)^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$")
_NOT_ON_WINDOWS = set('<>:"|?*\\')


def problem(name: str) -> str | None:
    """Why one path component is not portable, or None."""
    if any(c in _BIDI for c in name):
        return ("holds a right-to-left or other direction control character, which makes "
                "a name show as another (such as 'gpj.exe' as 'exe.jpg')")
    if any(c in _SLASHES for c in name):
        return "holds a character that looks like a slash but is none"
    if any(unicodedata.category(c) in ("Cc", "Cf", "Co", "Cs") and c not in _JOINERS
           for c in name):
        return "holds an invisible or control character"
    if _WINDOWS.match(name):
        return "is a name Windows reserves for a device"
    if name.endswith((".", " ")):
        return "ends with a dot or a space, which Windows drops"
    if found := sorted(set(name) & _NOT_ON_WINDOWS):
        return f"holds {' '.join(found)}, which Windows does not allow in names"
    return None


def path_problem(path: str) -> str | None:
    """Why a `/`-separated relative path is not portable, naming the bad part; or None."""
    for part in path.split("/"):
        if part and (why := problem(part)) is not None:
            return f"the name {part!r} {why}: rename it"
    return None


def folded(path: str) -> str:
    """What a case-insensitive, normalization-insensitive system makes of a path (the
    path itself when it is one already: a site's names are mostly lower-case ASCII)."""
    if path.isascii():
        lowered = path.lower()
        return path if lowered == path else lowered
    return unicodedata.normalize("NFC", path).casefold()


def twins(paths: Iterable[str]) -> list[tuple[str, str]]:
    """(first, other) for each path that is one file with an earlier one on such systems."""
    seen: dict[str, str] = {}
    found = []
    for path in paths:
        first = seen.setdefault(folded(path), path)
        if first != path:
            found.append((first, path))
    return found
