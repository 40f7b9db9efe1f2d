"""Layer 6.35. What a `build --cluster` task carries, and what this process does with what
comes back (cluster.py sends the tasks).

Nothing assumes a disk shared with the workers, so a task carries what a local
worker would read from disk, and a result is stored here as a local worker
would have stored it:
- out: a render job with every stored body it shows put into it, checked against
  its name as rendering here would check it;
- back: an Article's body saved into bodies.py's folder (the Article keeps its
  reference, as sources.py's read off the main process does); a page's bytes handed
  over into the new tree; a picture's files put into the picture cache, each under a
  temporary name and renamed, so a build killed midway leaves no half file.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Any

from sitegen import bodies, sealed, tree_files
from sitegen.errors import Problem
from sitegen.model import Job, replaced


def inline_bodies(job: Job, folder: Path) -> Job:
    """The job with each stored body it shows put into its recipe (checked against its
    name, as rendering here would): the worker finishes it as it would one read from disk."""
    def inline(recipe: bodies.Recipe) -> bodies.Recipe:
        if not recipe["ref"]:
            return recipe
        return {**recipe, "ref": "", "html": bodies.load(folder, recipe["ref"])}

    from sitegen import render
    context = render.each_body(job.context, inline)
    return job if context is job.context else dataclasses.replace(job, context=context)


def store_body(result: tuple[Any, list[Problem], tuple[str, ...]], folder: Path
               ) -> tuple[Any, list[Problem], tuple[str, ...]]:
    """As sources._read_off_main: the body into bodies.py's folder, the Article keeps its
    reference."""
    article, problems, asked = result
    if article is not None and article.body_html:
        article = replaced(article, body_html="", body_ref=bodies.save(folder, article.body_html))
    return article, problems, tuple(asked)


def hand_over(result: tuple[str, bytes | None, list[Problem]], output: Path,
               handoff: Path) -> tuple[str, str | None, list[Problem]]:
    """As render_pages._render_handed, with the bytes the worker sent."""
    relative, data, problems = result
    if data is None:
        return relative, None, problems
    return relative, tree_files.hand_over(output, handoff, relative, data), problems


def store_pictures(result: tuple[list[str], str, dict[str, bytes]],
                    folder: Path) -> tuple[list[str], str]:
    """As picture_encoding.make: each file under a temporary name, renamed, its hash kept."""
    made, error, files = result
    for key, data in files.items():
        target = folder / key
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, target)
        sealed.record(target)
    return made, error
