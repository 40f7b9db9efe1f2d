"""The spare tree's manifest read as one text (tree_files.spare_inventory): its folders
are asked of the sorted names (ListedFolders), never made into a set a file, and the
folders a build leaves without files are still removed before the swap."""

from __future__ import annotations

import os
import random
from pathlib import Path

from sitegen import tree_files, write
from tests.conftest import read_tree

NAMES = ["a", "a/b", "a/b/c.html", "a/d.html", "e/f.html", "e/g/h.html", "e/g", "i.html",
         "a/b-c.html", "a-b/c.html", "e/g/h.html/x"]


def _folders(top: Path) -> set[str]:
    return {p.relative_to(top).as_posix() for p in top.rglob("*") if p.is_dir()}


def _parents(names: set[str]) -> set[str]:
    found = set()
    for name in names:
        folder = name.rpartition("/")[0]
        while folder:
            found.add(folder)
            folder = folder.rpartition("/")[0]
    return found


def test_random_trees_swapped_in_turn_keep_their_files_and_no_empty_folder(
        tmp_path: Path) -> None:
    chance = random.Random(23)
    output = tmp_path / "output"
    listed = 0
    for step in range(60):
        wanted: dict[str, bytes] = {}
        for name in chance.sample(NAMES, chance.randrange(1, len(NAMES))):
            # A name is a file or a folder of one tree, not both.
            if any(other.startswith(name + "/") or name.startswith(other + "/")
                   for other in wanted):
                continue
            wanted[name] = chance.choice([b"1", b"2", name.encode()])
        staging = write.Staging(output)
        listed += isinstance(staging._spare.folders, tree_files.ListedFolders)
        for name, data in wanted.items():
            staging.write(name, data)
        staging.commit()
        tree = {k: v for k, v in read_tree(output).items() if k != tree_files.MARKER}
        assert tree == wanted, step
        assert _folders(output) == _parents(set(wanted)), step
        spare = tmp_path / ".output.sitegen-spare"
        if spare.is_dir():  # what its manifest lists is what it holds
            text = (spare / tree_files.MANIFEST).read_text()
            names = set(text.partition("\n\n")[0].splitlines())
            held = {k for k in read_tree(spare) if k != tree_files.MANIFEST}
            assert names == held, step
    assert listed > 50  # the manifest was read, not the tree walked


def test_a_manifest_with_a_name_outside_the_tree_is_not_trusted(tmp_path: Path) -> None:
    output = tmp_path / "output"
    for data in (b"1", b"2"):
        staging = write.Staging(output)
        staging.write("a/b.html", data)
        staging.commit()
    spare = tmp_path / ".output.sitegen-spare"
    for bad in ("../x", "/etc/passwd", "a//b", "a/./b", "a\\b", "a/", "a/\x0cb", ".", "a/..",
                "./a", "a/.", "a\u2028b"):
        (spare / tree_files.MANIFEST).write_text(f"a/b.html\n{bad}\n\n")
        found = tree_files.spare_inventory(spare)
        assert not found.listed and found.files == {"a/b.html", tree_files.MARKER}, bad
    (spare / tree_files.MANIFEST).write_text("a/b.html\n\n")
    found = tree_files.spare_inventory(spare)
    assert found.listed and "a" in found.folders and "a/b.html" not in found.folders
    assert os.path.isfile(spare / "a/b.html")
