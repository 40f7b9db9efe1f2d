"""Layer 1.95. The values of a story that are read only now and then, held as one bytes
object and read back when asked for (model.Article's text, model.Image).

The planning process holds an Article and its photo for every story of the archive. A
str is 49 bytes before its first character, an int of 256 bits (a photo's digest) 60
bytes, a slot 8 bytes and an object of slots 32 before its first: a story's title,
summary and photo (source, alt text, digest, sizes) were about 480 bytes, more of it in
headers than in what they say. Packed in one `bytes` (33 bytes before its first), the
same values are about 230. Each is read back exactly as it was given: a value this
packing cannot give back exactly (a text with a NUL, a lone surrogate, a number of
another type or out of range) makes the whole record a pickle of the values instead,
which gives anything back.

A record is a flags byte, fixed-size numbers, then the texts in UTF-8 separated by NUL.
"""

from __future__ import annotations

import io
import pickle
import struct
from collections.abc import Sequence
from typing import Any, Generic, TypeVar, cast, overload

T = TypeVar("T")

PICKLED = 0x80
"""A record's flag: the rest is a pickle of the values."""

# --- an Article's text (model.Article.text) -----------------------------------------

TEXT_NAMES = ("title", "summary", "slug", "location", "word_count", "reading_time",
              "summary_written")
"""What an Article's text holds, in order."""
_UNWRITTEN = 0x01  # summary_written is False


def article_text(title: str, summary: str, slug: str, location: str, word_count: int,
                 reading_time: int, summary_written: bool) -> bytes:
    if type(word_count) is int and type(reading_time) is int and \
            type(summary_written) is bool:
        packed = _joined((title, summary, slug, location, str(word_count), str(reading_time)))
        if packed is not None:
            return (b"\x00" if summary_written else b"\x01") + packed
    return _pickled((title, summary, slug, location, word_count, reading_time, summary_written))


def text_values(text: bytes) -> tuple[Any, ...]:
    """The values `article_text` was given, in TEXT_NAMES' order."""
    if text[0] & PICKLED:
        return tuple(pickle.loads(text[1:]))
    title, summary, slug, location, words, minutes = text[1:].decode().split("\0")
    return (title, summary, slug, location, int(words), int(minutes),
            not text[0] & _UNWRITTEN)


def text_field(text: bytes, at: int) -> Any:
    """One of its values (TEXT_NAMES' `at`) without making the others."""
    if text[0] & PICKLED:
        return text_values(text)[at]
    if at == 6:
        return not text[0] & _UNWRITTEN
    field = text[1:].split(b"\0", at + 1)[at]
    return int(field) if at >= 4 else field.decode()


class TextValue(Generic[T]):
    """One of an Article's text's values (TEXT_NAMES' `at`), read as its own attribute."""

    def __init__(self, at: int) -> None:
        self.at = at

    @overload
    def __get__(self, article: None, owner: type) -> TextValue[T]: ...
    @overload
    def __get__(self, article: object, owner: type) -> T: ...

    def __get__(self, article: object | None, owner: type) -> T | TextValue[T]:
        if article is None:
            return self
        text: bytes = article.text  # type: ignore[attr-defined]
        return cast(T, text_field(text, self.at))


# --- a picture (model.Image) ---------------------------------------------------------

IMAGE_FIELDS = ("src", "alt", "caption", "credit", "width", "height", "digest", "focus",
               "copyright")
"""The names of an Image's values (what `Image` takes), in order: its fields' before it
was packed, as the state's records hold them."""
CENTRE = (0.5, 0.5)
SIZES = struct.Struct("<BII")
"""Flags, width, height: the head of an image's record."""
DIGEST = 0x01  # a digest (32 bytes, big-endian) follows the sizes
FOCUS = 0x02  # a focus other than the centre (two doubles) follows
_FOCUS = struct.Struct("<dd")
_WIDTH = struct.Struct("<I")
_BITS = 256
_LIMIT = 1 << _BITS


def image_bytes(src: str, alt: str, caption: str, credit: str, width: int, height: int,
                digest: int, focus: tuple[float, float], copyright: str) -> bytes:
    if isinstance(focus, list):  # as a record or JSON gives it back: the model's tuple
        focus = tuple(focus)
    values = (src, alt, caption, credit, width, height, digest, focus, copyright)
    packed = None
    if type(width) is int and type(height) is int and type(digest) is int \
            and 0 <= width < 2 ** 32 and 0 <= height < 2 ** 32 and 0 <= digest < _LIMIT \
            and type(focus) is tuple and len(focus) == 2 \
            and type(focus[0]) is float and type(focus[1]) is float:
        packed = _joined((src, alt, caption, credit, copyright))
    if packed is None:
        return _pickled(values)
    flags = (DIGEST if digest else 0) | (0 if focus == CENTRE else FOCUS)
    head = SIZES.pack(flags, width, height)
    if digest:
        head += digest.to_bytes(_BITS // 8, "big")
    if flags & FOCUS:
        head += _FOCUS.pack(*focus)
    return head + packed


# By the flags byte: fields are read in loops over the archive (the pictures' plan).
_STARTS = tuple(-1 if flags & PICKLED else SIZES.size + (_BITS // 8 if flags & DIGEST else 0)
                + (_FOCUS.size if flags & FOCUS else 0) for flags in range(256))


def _image_values(packed: bytes) -> tuple[Any, ...]:
    """The values `image_bytes` was given, in IMAGE_FIELDS' order."""
    flags = packed[0]
    if flags & PICKLED:
        return tuple(pickle.loads(packed[1:]))
    src, alt, caption, credit, copyright = \
        packed[_STARTS[flags]:].decode().split("\0")
    _, width, height = SIZES.unpack_from(packed)
    return (src, alt, caption, credit, width, height, image_digest(packed),
            image_focus(packed), copyright)


def image_digest(packed: bytes) -> int:
    flags = packed[0]
    if not flags & (DIGEST | PICKLED):
        return 0
    if flags & PICKLED:
        return int(_image_values(packed)[6])
    return int.from_bytes(packed[_DIGEST_AT:_DIGEST_END], "big")


_DIGEST_AT, _DIGEST_END = SIZES.size, SIZES.size + _BITS // 8


def image_focus(packed: bytes) -> tuple[float, float]:
    flags = packed[0]
    if flags & PICKLED:
        return _image_values(packed)[7]
    if not flags & FOCUS:
        return CENTRE
    return _FOCUS.unpack_from(packed, _STARTS[flags] - _FOCUS.size)


def image_text(packed: bytes, at: int) -> str:
    """The `at`-th of an image's texts (src, alt, caption, credit, copyright)."""
    start = _STARTS[packed[0]]
    if start < 0:
        return _image_values(packed)[(0, 1, 2, 3, 8)[at]]
    return packed[start:].split(b"\0", at + 1)[at].decode()


class _ImageText:
    """One of an Image's texts (`image_text`'s `at`), read as an attribute."""

    def __init__(self, at: int) -> None:
        self.at = at

    @overload
    def __get__(self, image: None, owner: type) -> _ImageText: ...
    @overload
    def __get__(self, image: bytes, owner: type) -> str: ...

    def __get__(self, image: bytes | None, owner: type) -> str | _ImageText:
        return self if image is None else image_text(image, self.at)


class Image(bytes):
    """A picture: a story's photo (its hero), or one of its body's.

    Held as one bytes object (its sizes, digest and focus, then its texts), each field
    read back when asked for: every story's photo is one in the planning
    process, and a dataclass of its fields, with a string and a 256-bit int of their own,
    was about 300 bytes a story where this is about 110. A bytes subclass without slots
    of its own has no instance dict and is not tracked by the garbage collector. Equal
    fields make equal bytes, so images compare and hash by their fields as before."""

    __slots__ = ()

    def __new__(cls, src: str, alt: str = "", caption: str = "", credit: str = "",
                width: int = 0, height: int = 0, digest: int = 0,
                focus: tuple[float, float] = (0.5, 0.5), copyright: str = "") -> Image:
        return bytes.__new__(cls, image_bytes(
            src, alt, caption, credit, width, height, digest, focus, copyright))

    @property
    def src(self) -> str:
        """Site-relative path as written in front matter, e.g. `/images/x.jpg`."""
        start = _STARTS[self[0]]  # (image_text's, inline: read for every photo a build)
        return self[start:].split(b"\0", 1)[0].decode() if start >= 0 else image_text(self, 0)

    alt = _ImageText(1)
    caption = _ImageText(2)
    credit = _ImageText(3)
    copyright = _ImageText(4)

    @property
    def width(self) -> int:
        return self.values()[4] if self[0] & PICKLED else _WIDTH.unpack_from(self, 1)[0]

    @property
    def height(self) -> int:
        return self.values()[5] if self[0] & PICKLED else _WIDTH.unpack_from(self, 5)[0]

    @property
    def digest(self) -> int:
        """A hash of the file's bytes (SHA-256, as an int: 0 for none): the resized versions
        are named by it (pictures.py)."""
        return image_digest(self)

    @property
    def focus(self) -> tuple[float, float]:
        """The point crops keep in view, as fractions of the width and height."""
        return image_focus(self)

    def values(self) -> tuple[Any, ...]:
        """Every field's value, in IMAGE_FIELDS' order."""
        return _image_values(self)

    def __reduce__(self) -> tuple[Any, ...]:  # bytes' own would make one of its src
        return (_image_of, (bytes(self),))

    def __repr__(self) -> str:
        return f"Image({named(IMAGE_FIELDS, self.values())})"

    __str__ = __repr__  # not bytes' own


def _image_of(packed: bytes) -> Image:
    return bytes.__new__(Image, packed)


def image_values(image: Image) -> dict[str, Any]:
    """Every field's value by name (what `Image` takes)."""
    return dict(zip(IMAGE_FIELDS, image.values(), strict=True))


def named(names: Sequence[str], values: Sequence[Any]) -> str:
    return ", ".join(f"{name}={value!r}" for name, value in zip(names, values, strict=True))


# --- shared ---------------------------------------------------------------------------

def _joined(texts: tuple[str, ...]) -> bytes | None:
    """The texts in UTF-8 between NULs; None when one is no str, holds a NUL or cannot be
    UTF-8 (a lone surrogate). (A str subclass's value is read back as a str.)"""
    try:
        joined = "\0".join(texts)
        if joined.count("\0") != len(texts) - 1:
            return None
        return joined.encode()
    except (TypeError, UnicodeEncodeError):
        return None


def _pickled(values: tuple[Any, ...]) -> bytes:
    # Without its memo, equal values give equal bytes however their objects are shared
    # (a title that is its slug's object, or not): records compare by their bytes.
    stream = io.BytesIO()
    stream.write(bytes((PICKLED,)))
    pickler = pickle.Pickler(stream, protocol=5)
    pickler.fast = True
    pickler.dump(values)
    return stream.getvalue()
