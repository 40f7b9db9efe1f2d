"""Layer 0. What a build keeps between runs, checked before it is trusted.

The build cache (`.sitegen-cache/`) is restored by CI from a cache that other
branches' jobs can write, so nothing in it may run or be published on its word:

- Compiled templates are Python code objects (marshal), executed on load. They
  are never kept in the build cache: they live in the user's own cache folder
  (`$XDG_CACHE_HOME/sitegen/templates/`, which no CI cache restores), each file
  sealed with an HMAC whose key is a file of that folder (mode 0600). A file
  without the right seal is ignored and compiled again, so a planted one neither
  runs nor matters. Without a writable user cache folder, templates are compiled
  in memory only (about 0.1 s of CPU per process).
- Cached files named or recorded by their content's SHA-256 (article bodies,
  picture variants) are checked against it before use (`matches`, `intact`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from pathlib import Path
from typing import Any

import jinja2

KEY_NAME = "seal.key"
SEAL_KEY_BYTES = 32
"""The sealing key's bytes (not a `short_key`'s, `KEY_BYTES` below)."""
_MAC = hashlib.sha256
_MAC_SIZE = _MAC().digest_size
SUM_SUFFIX = ".sha256"
"""A cached file's record of its content hash, beside it: `<sha256> <size> <mtime_ns>`."""


def user_cache_dir() -> Path:
    """The user's own cache folder for sitegen (never inside a site, never in a CI cache)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sitegen"


def template_cache(site_cache: Path | None) -> jinja2.BytecodeCache | None:
    """The sealed bytecode cache, or None (compile in memory) when the user's cache
    folder cannot be used or lies inside the site's build cache."""
    try:
        folder = user_cache_dir()
    except (RuntimeError, KeyError):  # no home folder (some containers): compile in memory
        return None
    try:
        if site_cache is not None and folder.resolve().is_relative_to(site_cache.resolve()):
            return None
        (folder / "templates").mkdir(parents=True, exist_ok=True, mode=0o700)
        return SealedBytecodeCache(folder / "templates", _key(folder))
    except OSError:
        return None


def _key(folder: Path) -> bytes:
    """The sealing key, made once per user; readable by the user alone."""
    path = folder / KEY_NAME
    try:
        key = path.read_bytes()
        if len(key) == SEAL_KEY_BYTES:
            return key
        # Not a key this version makes (one build line made 15-byte keys): a new one
        # replaces it, else no template would be kept again. What it sealed is compiled
        # again, as after any change of key.
        path.unlink(missing_ok=True)
    except FileNotFoundError:
        pass
    temporary = folder / f"{KEY_NAME}.{os.getpid()}.tmp"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as stream:
        stream.write(secrets.token_bytes(SEAL_KEY_BYTES))
    try:
        os.link(temporary, path)  # the first process to make a key wins; the others read it
    except FileExistsError:
        pass
    finally:
        temporary.unlink(missing_ok=True)
    key = path.read_bytes()
    if len(key) != SEAL_KEY_BYTES:
        raise OSError(f"{path} is not a key of {SEAL_KEY_BYTES} bytes")
    return key


class SealedBytecodeCache(jinja2.BytecodeCache):
    """Jinja's bytecode on disk, each file `HMAC(key, bucket key + payload) + payload`."""

    def __init__(self, directory: Path, key: bytes) -> None:
        self.directory, self.key = directory, key

    def _path(self, bucket: jinja2.bccache.Bucket) -> Path:
        return self.directory / f"{bucket.key}.sealed"

    def _seal(self, bucket: jinja2.bccache.Bucket, payload: bytes) -> bytes:
        return hmac.new(self.key, bucket.key.encode() + b"\0" + payload, _MAC).digest()

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            data = self._path(bucket).read_bytes()
        except OSError:
            return
        seal, payload = data[:_MAC_SIZE], data[_MAC_SIZE:]
        if len(seal) == _MAC_SIZE and hmac.compare_digest(seal, self._seal(bucket, payload)):
            bucket.bytecode_from_string(payload)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        payload = bucket.bytecode_to_string()
        path = self._path(bucket)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        try:
            temporary.write_bytes(self._seal(bucket, payload) + payload)
            os.replace(temporary, path)
        except OSError:
            temporary.unlink(missing_ok=True)  # the cache only saves time

    def clear(self) -> None:
        for path in self.directory.glob("*.sealed"):
            path.unlink(missing_ok=True)


# --- cached files and their content hash ----------------------------------------------

def matches(data: bytes, digest: str) -> bool:
    return hashlib.sha256(data).hexdigest() == digest


def record(path: Path) -> None:
    """Write the content hash of a cached file beside it (after the file is in place)."""
    data = path.read_bytes()
    stat = path.stat()
    sums = path.with_name(path.name + SUM_SUFFIX)
    temporary = sums.with_name(f".{sums.name}.{os.getpid()}.tmp")
    temporary.write_text(f"{hashlib.sha256(data).hexdigest()} {stat.st_size} "
                         f"{stat.st_mtime_ns}\n", "ascii")
    os.replace(temporary, sums)


def intact(path: str | Path) -> bool | None:
    """Whether a cached file still holds what its hash record says: True, False (it was
    changed: drop it), or None (no such file). The bytes are hashed again only when the
    file's size or time differ from the record's, so an untouched cache costs a stat and
    a read of the record. A file without a record (made by an older sitegen) counts as
    missing: made again. Names as strings and the record read as bytes: a build checks
    every variant of every photo of the archive (110,000 at 10,000 photos), and Paths and
    text decoding took 16 us a file where this takes 10."""
    name = os.fspath(path)
    try:
        stat = os.stat(name)
        with open(name + SUM_SUFFIX, "rb") as stream:
            digest, size, mtime = stream.read().split()
        same = (stat.st_size, stat.st_mtime_ns) == (int(size), int(mtime))
        digest_text = digest.decode("ascii")
    except FileNotFoundError:
        return None
    except (OSError, ValueError):  # UnicodeDecodeError is a ValueError
        return False
    if same:
        return True
    try:
        with open(name, "rb") as stream:
            if not matches(stream.read(), digest_text):
                return False
    except OSError:
        return False
    record(Path(name))  # the same bytes with a new time (a restored cache): remember it
    return True


def drop(path: Path) -> None:
    path.unlink(missing_ok=True)
    path.with_name(path.name + SUM_SUFFIX).unlink(missing_ok=True)


KEY_BITS = 60
KEY_BYTES = 8
"""The bytes that hold a `short_key`."""


def short_key(digest: Any) -> int:
    """A key kept per article or per output file and only compared (render key, page
    inputs, metadata and card digests): the first 60 bits of a SHA-256 as an int. The
    planning process holds several per article: a 64-character hex digest is a 113-byte
    string, 22 characters of base64 are 71 bytes, an int below 2**120 is 40 and one below
    2**60 is 32. Each key is only ever compared with the same page's or source's key of
    the last build, never looked up among all of them, so what matters is the chance
    that a change leaves its key equal: 2**-60 a changed page, which a newsroom
    publishing a million pages a day would meet once in three billion years."""
    return int.from_bytes(digest.digest()[:KEY_BYTES], "big") >> (8 * KEY_BYTES - KEY_BITS)


def short_name(digest: Any) -> str:
    """A key that names a record (a read key): the first 128 bits of a SHA-256 in
    URL-safe base64, 22 characters; never used as a file name (base64 has both cases)."""
    return base64.urlsafe_b64encode(digest.digest()[:16]).rstrip(b"=").decode("ascii")
