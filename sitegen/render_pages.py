"""Layer 6.7. The render stage: render the planned pages whose render key changed, in the
workers, and keep the other pages' files as they are in the new tree."""

from __future__ import annotations

import functools
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sitegen import cache, deps, render, tree_files, write
from sitegen.errors import Problem
from sitegen.workers import Workers


@dataclass
class Rendered:
    renders: dict[str, int] = field(default_factory=dict)
    """Each planned file -> its render key."""
    blocked: list[Problem] = field(default_factory=list)
    """The files that another file or folder of the new tree was in the way of."""
    planned: list[str] = field(default_factory=list)
    owners: list[str] = field(default_factory=list)
    """Who claims each planned file, in the order of `planned`: a list beside it rather
    than a pair a file, which would cost 64 bytes a file at the render stage's peak."""
    kept: Iterable[tuple[str, str]] = ()
    """(file, who claims it) of the pages kept without planning."""
    rendered: list[str] = field(default_factory=list)
    failures: list[Problem] = field(default_factory=list)


def render_pages(jobs: Iterable[render.Job], stamp: str,
                 site_digest: str | Callable[[object], str],
                 store: cache.BuildCache, staging: write.Staging, workers: Workers,
                 shows: dict[str, deps.Shown], expected: int = 0,
                 kept: Iterable[tuple[str, str]] = ()) -> Rendered:
    """Render the jobs whose context or templates changed; keep the other files as they
    are. `shows` gets each planned page's shown bodies (deps.py); `expected` is how many
    pages the plan will likely hold (for the progress display)."""
    done = Rendered()
    # The names sent, in order: a worker's answer names its file with a copy of the
    # string, and the new tree's books keep the planned one (one string per file).
    sent: deque[str] = deque()

    def staged(action: Callable[[], object], relative: str) -> object:
        # The new tree is a real tree, so two claims on one path meet here first;
        # the claims check after rendering names both, and nothing has moved yet.
        try:
            return action()
        except (NotADirectoryError, IsADirectoryError, FileExistsError):
            done.blocked.append(Problem(relative, 0,
                                        "another output file or folder is in the way"))
            return False

    def needed() -> Iterator[render.Job]:
        for job in jobs:
            done.planned.append(job.output)
            done.owners.append(job.owner)
            if shown := deps.refs_shown(job.context):
                shows[job.output] = shown
            shared = site_digest if isinstance(site_digest, str) else site_digest(
                job.context.get("site"))  # each edition has a site view of its own
            key = cache.render_key(stamp, job.templates, job.context, shared)
            done.renders[job.output] = key
            if not (store.unchanged_render(job.output, key)
                    and staged(functools.partial(staging.keep_unchanged, job.output), job.output)):
                sent.append(job.output)
                yield job

    render_job = functools.partial(_render_handed, output=staging.output,
                                   handoff=staging.handoff)
    for _, handed, problems in workers.map("render", render_job, needed(),
                                                  expected=expected):
        relative = sent.popleft()
        done.failures.extend(problems)
        done.rendered.append(relative)
        if not done.failures:
            staged(functools.partial(staging.adopt, relative, handed), relative)
    # The pages planned from what they were last time (page_inputs.py), known once the
    # plan is done: each keeps its file and render key, and is claimed as before.
    done.kept = kept
    for output, _ in kept:
        done.renders[output] = store.renders[output]
        staged(functools.partial(staging.keep_unchanged, output), output)
    done.failures = render.once_each(done.failures)
    return done


def claimed(done: Rendered) -> Iterator[tuple[str, str]]:
    """(file, who claims it) of every file the render stage planned or kept."""
    yield from zip(done.planned, done.owners, strict=True)
    yield from done.kept


def _render_handed(job: render.Job, output: Path, handoff: Path) -> tuple[
        str, str | None, list[Problem]]:
    """Render a page and write its file in the process that rendered it (a worker), so
    neither its bytes nor the body in them pass through the main process."""
    relative, data, problems = render.render_job(job)
    if data is None:
        return relative, None, problems
    return relative, tree_files.hand_over(output, handoff, relative, data), problems
