"""Layer 9. The live preview: build, serve, watch, rebuild on every burst of changes.

One rebuild thread runs every build, so builds never overlap, and changes
that arrive during a build are batched by the watcher and cause exactly one
more build when it ends. Every build goes through `sitegen.build.build`
(whose cache makes a rebuild after one edit cheap) into a folder of the
preview's own, `.sitegen/serve/`, so drafts never reach `output/`. A failed
build leaves that folder as it was: the last good site keeps being served,
with the problems shown over every page until a build succeeds. What the
preview changes about the site it builds (its address, no host files, search
only when asked) and its options are in preview_options.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from sitegen import body_edits, livereload, preview_reload, problem_groups, search
from sitegen.build import BuildOptions, BuildReport, build
from sitegen.config import CONFIG_NAME, Config, load_config
from sitegen.errors import Problem, SitegenError, os_problem
from sitegen.messages import tr
from sitegen.preview_options import (
    OWED_AT_MOST,
    SERVE_DIR,
    ServeOptions,
    preview_config,
    preview_url,
)
from sitegen.state import BuildState
from sitegen.watch import ChangeBatcher, Watcher

Builder = Callable[[Config, BuildOptions], BuildReport]
Echo = Callable[[str, bool], None]
"""Prints a line; the flag says it is a problem (the CLI sends those to stderr)."""


def _echo(message: str, problem: bool) -> None:
    print(message, file=sys.stderr if problem else sys.stdout)


class Preview:
    """A running preview of the site in `root`: `start`, then `stop` (or use `with`)."""

    def __init__(self, root: Path, options: ServeOptions, echo: Echo = _echo,
                 builder: Builder = build) -> None:
        self.root = root.resolve()
        if not (self.root / CONFIG_NAME).is_file():
            load_config(self.root)  # raises the usual "no sitegen.toml here" problem
        self.options = options
        self.now = options.now or dt.datetime.now(dt.UTC)
        self.folder = self.root / SERVE_DIR
        self.echo = echo
        self.builder = builder
        self.build_state = BuildState()
        """Kept across rebuilds: the articles, and what each page showed, stay in memory."""
        self.state = preview_reload.PreviewState()
        try:
            self.server = livereload.PreviewServer(options.host, options.port, self.folder,
                                                   self.state)
        except OSError as exc:
            raise SitegenError([Problem(f"--host {options.host} --port {options.port}", 0,
                                        f"cannot listen there: {exc.strerror or exc}; "
                                        "choose another port with --port")]) from None
        self.url = preview_url(options.host, self.server.server_address[1])
        self.batcher = ChangeBatcher(options.quiet)
        self.watcher = Watcher(self.root, self.batcher, self._ignored(None), poll=options.poll)
        self._building = False
        self.early: body_edits.Rendered | None = None
        """What the last batch of changes wrote before a build, if it was body edits."""
        self._owed = False
        """Body edits were shown (their pages written) and the build is still to run."""
        self._owed_since = 0.0
        self._early_pages: set[str] = set()
        self._files: set[str] = set()
        self._first_build = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        """Build once, then serve and watch; returns when the site is being served."""
        self.watcher.start()  # before the first build, so no save during it is missed
        self._spawn(self._rebuild_loop, "sitegen-rebuild")
        self._first_build.wait()
        self._spawn(self.server.serve_forever, "sitegen-http")

    def stop(self) -> None:
        """Stop watching and serving; the build in progress, if any, finishes first."""
        self.batcher.close()
        if self.watcher.observer.is_alive():
            self.watcher.stop()
        self.state.close()
        if any(t.name == "sitegen-http" for t in self._threads):
            self.server.shutdown()
        self.server.server_close()
        for thread in self._threads:
            thread.join()
        self.build_state.close()

    def __enter__(self) -> Preview:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def idle(self) -> bool:
        """No build running, owed, or waiting for changes (for tests and measurements)."""
        return not self._building and not self.batcher.pending and not self._owed

    def run(self, ready: Callable[[], None]) -> None:
        """Start, call `ready` once serving, and serve until Ctrl-C (or SIGTERM); stop cleanly."""
        def interrupt(signum: int, frame: object) -> None:
            raise KeyboardInterrupt

        previous = {sig: signal.signal(sig, interrupt)
                    for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            self.start()
            ready()
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            self.echo(tr("sitegen: stopping (after the build in progress, if any)"), False)
        finally:
            # A second Ctrl-C must not cut the stop short: the workers of a build in
            # progress would be left behind, waiting for work that never comes.
            for sig in previous:
                signal.signal(sig, signal.SIG_IGN)
            self.stop()
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _spawn(self, target: Callable[[], object], name: str) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        self._threads.append(thread)
        thread.start()

    def _rebuild_loop(self) -> None:
        # Worker processes are forked from this thread and inherit its signal mask:
        # Ctrl-C in a terminal signals the whole process group, and only the main
        # process may react to it, so the pool is shut down in order, not killed.
        if hasattr(signal, "pthread_sigmask"):  # not on Windows, whose Ctrl-C works otherwise
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        try:
            self.rebuild(set())
        finally:
            self._first_build.set()
        body_edits.prepare(self.build_state)
        while True:
            changed = self.batcher.wait(self.options.follow if self._owed else None)
            if changed is None and (self.batcher.closed or not self._owed):
                return  # stopping: a build owed is made by the next start, from the state
            self._building = True
            try:
                overdue = self._owed and time.monotonic() - self._owed_since > OWED_AT_MOST
                self.rebuild(changed or set(), defer=not overdue)
            finally:
                self._building = False

    def rebuild(self, changed: set[Path], defer: bool = False) -> None:
        """One build for a batch of changed paths; publishes the outcome to the open tabs.
        With `defer`, a batch of body edits only gets its pages written and shown, and the
        build is owed: the loop makes it once no save came for `follow` seconds (or,
        at the latest, after OWED_AT_MOST), so that a writer saving again and again
        sees each save at once instead of after the build of the one before."""
        started = time.perf_counter()
        if changed:
            names = sorted(self._shown(p) for p in changed)
            more = tr(" and {n} more").format(n=len(names) - 3) if len(names) > 3 else ""
            self.echo(tr("sitegen: changed: {names}").format(names=", ".join(names[:3]) + more),
                      False)
        try:
            config = load_config(self.root)
            self.watcher.ignored = self._ignored(config)
            config = preview_config(config, self.url, self.options.search)
            early = self._body_edits(config, changed)
            if defer and changed and self.early is not None:
                self._owed_since = self._owed_since if self._owed else time.monotonic()
                self._owed, self._early_pages = True, self._early_pages | early
                return
            early |= self._early_pages
            followed = bool(changed) or self._owed  # a build owed to earlier changes
            self._owed, self._early_pages = False, set()
            report = self.builder(config, BuildOptions(
                now=self.now, drafts=self.options.drafts, future=self.options.drafts,
                expired=self.options.drafts, jobs=self.options.jobs, output=self.folder,
                preview=True, state=self.build_state))
        except SitegenError as exc:
            self._failed(exc.problems)
            return
        except OSError as exc:  # disk full, permission denied: the user's to fix
            self._failed([os_problem(exc)])
            return
        except Exception as exc:  # a bug in one build must not end the preview
            self._failed([Problem("sitegen", 0, f"internal error: {type(exc).__name__}: {exc} "
                                  "(please report it)")])
            return
        for line in problem_groups.lines([self._relative(w) for w in report.warnings]):
            self.echo(line, True)
        seconds = time.perf_counter() - started
        self.echo(tr("sitegen: built {pages} files ({written} written) in {seconds} s").format(
            pages=report.pages, written=len(report.written), seconds=f"{seconds:.2f}"), False)
        files = {*report.written, *report.unchanged}
        css_only = bool(changed) and all(p.suffix == ".css" for p in changed)
        # Tabs reload only when what they could show changed (a file written or removed);
        # after a body edit's early pages, not again for the search index alone.
        written = [f for f in report.written if f not in early and not (
            early and search.BUNDLE_DIR in f.split("/")[:2])]
        if written or files != self._files or self.state.problems or not followed:
            self._files = files
            self.state.publish((), css_only=css_only and not self.state.problems)

    def _body_edits(self, config: Config, changed: set[Path]) -> set[str]:
        """When only bodies changed: their pages, written and shown before the full build
        (body_edits.py), which then finds them done. Returns the pages written."""
        if not changed:
            return set()
        self.early = None
        if self.state.problems:
            return set()
        try:
            done = body_edits.render_body_edits(self.build_state, config, changed, self.now)
        except (SitegenError, OSError):
            return set()  # the full build, next, meets it again and says what it is
        except Exception as exc:  # a bug here must not keep the build from running
            self.echo(f"sitegen: internal error in showing the edit early: "
                      f"{type(exc).__name__}: {exc} (please report it)", True)
            return set()
        self.early = done
        if done is None:
            return set()
        self.echo(tr("sitegen: {pages} page(s) showing the edited text written in {seconds} s; "
                     "the rest of the build follows").format(
                         pages=len(done.written), seconds=f"{done.seconds:.2f}"), False)
        if done.written:
            self.state.publish(())
        return set(done.written)

    def _failed(self, problems: Iterable[Problem]) -> None:
        self._owed, self._early_pages = False, set()  # the next change builds again
        shown = tuple(self._relative(p) for p in problems)
        for line in problem_groups.lines(shown):
            self.echo(line, True)
        errors = [p for p in shown if not p.warning]
        count = len(errors) or len(shown)
        self.echo(tr("sitegen: the build stopped with {n} problem(s); still serving the last "
                     "good build").format(n=count), True)
        if shown != self.state.problems:
            self.state.publish(shown)

    def _ignored(self, config: Config | None) -> tuple[Path, ...]:
        if config is None:
            return (self.root / "output", self.root / ".sitegen-cache", self.folder)
        return (config.output_dir, config.cache_dir, self.folder)

    def _relative(self, problem: Problem) -> Problem:
        return dataclasses.replace(problem, path=self._shown(Path(problem.path)))

    def _shown(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)
