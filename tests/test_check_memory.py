"""The link check's own memory in the planning process (issue 18: its peak, with a photo a
story, is the main process's peak): what it makes while it runs grows little per file."""

from __future__ import annotations

import tracemalloc

from sitegen import staged_pictures


def _variants(count: int) -> list[str]:
    """Names as a photo-a-story tree has them: six variants a photo, then its page."""
    return [name for i in range(count // 7) for name in (
        *(f"_img/{i:05d}/foto-{i}-{w}x{w * 2 // 3}.{i * 7919 % 65536:04x}{w:x}.webp"
          for w in (320, 480, 640, 960, 1200, 1600)), f"berita/b-{i:05d}/index.html")]


def _peak_packing(names: list[str]) -> int:
    tracemalloc.start()
    try:
        staged_pictures.pack(iter(names))
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_packing_the_trees_names_costs_little_per_name() -> None:
    """The folder's facts pack every file's name of the tree (link_index.save, at the
    check's end; the cache's picture list): 35,000 names at 4,000 stories with a photo
    each. The packed bytes are about 6 bytes a name; a part kept for every name (most
    of them empty) cost `bytes.join` an 80-byte buffer each: 2.8 MB at 4,000 stories."""
    small, large = _variants(7_000), _variants(35_000)
    growth = (_peak_packing(large) - _peak_packing(small)) / (len(large) - len(small))
    assert growth < 30, growth
    assert staged_pictures.unpack(staged_pictures.pack(iter(large))) == large
