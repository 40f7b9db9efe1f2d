"""Related stories brought up to date after a publish, or a removal of the newest stories,
equal those worked out afresh, and working them out again is bounded by the lists the new
(or removed) stories join, not the archive."""

from __future__ import annotations

import random

import pytest

from sitegen import related
from sitegen.related import RELATED_WINDOW, Shape

SECTIONS = ("ekonomi", "nasional", "olahraga")
TAGS = [f"Topik {i}" for i in range(6)]


def fresh(shape: Shape) -> related.Related:
    """Worked out from nothing."""
    return related._related(shape)


def archive(rng: random.Random, count: int) -> Shape:
    """Sections and tags from small pools, so that lists run past RELATED_WINDOW; a few
    stories that are never offered (drafts, paid content), some without tags, and a tag
    ("Khusus") that only those carry."""
    stories = []
    for _ in range(count):
        hidden = rng.random() < 0.06
        tags = tuple(rng.sample(TAGS, rng.randint(0, 4)))
        if hidden and rng.random() < 0.5:
            tags += ("Khusus",)
        stories.append((rng.choice(SECTIONS), tags, hidden))
    return tuple(stories)


def published(rng: random.Random, shape: Shape, count: int) -> Shape:
    """`count` new stories in front (the newest), sometimes with a tag new to the site,
    one only hidden stories had, or another spelling of one (same slug)."""
    new = []
    for _ in range(count):
        tags = tuple(rng.sample(TAGS, rng.randint(0, 3)))
        tags += tuple(rng.sample(["Baru sekali", "Khusus", "topik-3", "TOPIK 5"],
                                 rng.randint(0, 2)))
        new.append((rng.choice([*SECTIONS, "opini"]), tags, rng.random() < 0.2))
    return (*new, *shape)


@pytest.mark.parametrize("seed", range(6))
def test_a_publish_updates_the_last_answer_to_what_working_it_out_afresh_gives(
        seed: int) -> None:
    rng = random.Random(seed)
    old = archive(rng, rng.randint(400, 1200))
    last = (old, fresh(old))
    for count in (0, 1, 1, 3):
        shape = published(rng, old, count)
        assert related.related(shape, last) == fresh(shape)


def test_a_publish_works_out_only_the_stories_whose_nearest_newer_ones_change(
        monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(7)
    old = archive(rng, 3000)
    last = (old, fresh(old))
    worked: list[int] = []
    original = related._one
    monkeypatch.setattr(related, "_one", lambda index, *rest: worked.append(index)
                        or original(index, *rest))
    story = (("ekonomi", ("Topik 1", "Topik 2"), False),)
    shape = (*story, *old)
    updated = related.related(shape, last)
    # The story, and for each list it joins (a section, two tags) the stories it is among
    # the RELATED_WINDOW newest of; not the 3,000.
    assert 1 < len(worked) <= 1 + 3 * RELATED_WINDOW and worked[0] == 0, len(worked)
    monkeypatch.undo()
    assert updated == fresh(shape)


@pytest.mark.parametrize("seed", range(6))
def test_a_removal_of_the_newest_updates_the_last_answer_to_what_working_it_out_afresh_gives(
        seed: int) -> None:
    rng = random.Random(seed)
    old = archive(rng, rng.randint(400, 1200))
    for count in (1, 3, 64):
        # Stories just published (tags new to the site, one only hidden stories had),
        # then removed again; and the archive's own newest removed.
        shape = published(rng, old, count)
        assert related.related(old, (shape, fresh(shape))) == fresh(old)
        assert related.related(old[count:], (old, fresh(old))) == fresh(old[count:])
    # More than MOST_REMOVED at once: worked out afresh, the same answer.
    assert related.related(old[65:], (old, fresh(old))) == fresh(old[65:])


def test_a_removal_works_out_only_the_stories_whose_answer_held_a_removed_one(
        monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(7)
    old = archive(rng, 3000)
    story = (("ekonomi", ("Topik 1", "Topik 2"), False),)
    shape = (*story, *old)
    last = (shape, fresh(shape))
    worked: list[int] = []
    original = related._one
    monkeypatch.setattr(related, "_one", lambda index, *rest: worked.append(index)
                        or original(index, *rest))
    updated = related.related(old, last)
    # The stories whose related box held it (the nearest older ones of its section and
    # two tags: a box holds up to RELATED_NEWER newer stories, more when too few older
    # ones share a tag or the section); not the 3,000.
    held = [i for i in range(len(old)) if 0 in last[1][i + 1]]
    assert 0 < len(worked) == len(held) <= 3 * RELATED_WINDOW, len(worked)
    monkeypatch.undo()
    assert updated == fresh(old)


def test_what_is_not_an_earlier_answer_for_the_shape_is_not_used() -> None:
    rng = random.Random(3)
    old = archive(rng, 200)
    answer = fresh(old)
    edited = ((old[5][0], ("Lain",), False), *old[1:])
    for shape, last in [
            (edited, (old, answer)),  # a story changed: not a publish
            (old[1:], (old, answer)),  # the newest removed
            (old[:-1], (old, answer)),  # the oldest removed: not a removal of the newest
            (old, (old, answer[1:])),  # an answer of another length
            (old, (old, ((len(old) + 5,), *answer[1:]))),  # an index past the archive
            (old, (old, "rusak")),  # a damaged record
            (old, ("rusak",))]:
        assert related.related(shape, last) == fresh(shape)
