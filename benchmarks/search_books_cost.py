"""The search stage's bookkeeping at a large archive, without a site or Pagefind: what a
body edit costs before any Pagefind run, the books' way (search_books.py) against the
way before them (the shard plan worked out whole, every shard's digest, a key file read
and a bundle listed a shard, every page's digest in one JSON file read and written).

    python benchmarks/search_books_cost.py --pages 100000

Synthetic: `--pages` article paths, shards of `--shard-pages`, each bundle with a
fragment a page and 12 index chunks plus the 14 files of the first bundle, as Pagefind
writes them; the build state and the cache's key files on disk in a temporary folder.
Prints CPU seconds (process time, so a loaded machine inflates them less) a step.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sitegen import search_shards, urls
from sitegen.search_books import SearchBooks, index_files
from sitegen.search_cache import KEY_FILE
from sitegen.state import BuildState

_FIRST = ["pagefind-entry.json", "pagefind.js", "pagefind-ui.js", "pagefind-ui.css",
          "pagefind-worker.js", "pagefind-highlight.js", "pagefind-modular-ui.js",
          "pagefind-modular-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css",
          "pagefind.id_86627bf244.pf_meta", "wasm.id.pagefind", "wasm.unknown.pagefind"]


def bundle(members: list[str]) -> list[str]:
    fragments = [f"fragment/id_{hashlib.sha1(m.encode()).hexdigest()[:7]}.pf_fragment"
                 for m in members]
    return sorted([*_FIRST, *fragments, *(f"index/id_{i:07x}.pf_index" for i in range(12))],
                  key=lambda r: r.split("/"))


def timed(label: str, step, *args):  # type: ignore[no-untyped-def]
    started = time.process_time()
    result = step(*args)
    print(f"  {label:<58} {time.process_time() - started:7.3f} CPU s", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=100_000)
    parser.add_argument("--shard-pages", type=int, default=300)
    args = parser.parse_args()
    paths = [f"/berita/{i % 7}/{2000 + i % 26}/judul-berita-nomor-{i}/" for i in range(args.pages)]
    outputs = [urls.output_file(p) for p in paths]
    renders = {o: i * 7919 for i, o in enumerate(outputs)}
    renders.update({f"tag/t{i}/index.html": i for i in range(args.pages * 86 // 100)})
    shards = search_shards.plan(outputs, args.shard_pages)
    digests = {o: hashlib.sha256(o.encode()).hexdigest() for o in outputs}
    files = {name: bundle(members) for name, members in shards.items()}
    print(f"{args.pages} pages, {len(shards)} shards, "
          f"{sum(map(len, files.values()))} bundle files")
    with tempfile.TemporaryDirectory() as folder:
        cache = Path(folder)
        state = BuildState(cache, "salt")
        books = SearchBooks(state, "search", "ctx", args.shard_pages)
        for name, members in shards.items():
            key = search_shards.shard_digest("ctx", {o: digests[o] for o in members})
            books.remember(name, key, members, renders,
                           {o: [renders[o], digests[o]] for o in members}, files[name])
            (cache / "search" / name).mkdir(parents=True)
            (cache / "search" / name / KEY_FILE).write_text("\n".join([key, *files[name]]))
        state.commit()
        (cache / "search/state.json").write_text(json.dumps(
            {"context": "ctx", "pages": {o: [renders[o], digests[o]] for o in outputs}}))
        edited = outputs[len(outputs) // 2]
        renders[edited] += 1

        print("before the books (main at f648ced):")
        started = time.process_time()
        pages = timed("state.json read", lambda: json.loads(
            (cache / "search/state.json").read_text())["pages"])
        planned = timed("shard plan (a sha256 a page)", search_shards.plan, outputs,
                        args.shard_pages)

        def page_digest(output: str, render_key: int) -> str:  # SearchCache.page_digest's
            known = pages.get(output)
            if known and render_key is not None and render_key >= 0 and known[0] == render_key:
                return str(known[1])
            return digests[output]

        def digests_and_keys() -> dict[str, str]:
            return {name: search_shards.shard_digest("ctx", {
                o: page_digest(o, renders[o]) for o in members})
                for name, members in planned.items()}
        timed("each page's digest looked up, each shard's key", digests_and_keys)

        def key_files() -> int:
            return sum(len((cache / "search" / name / KEY_FILE).read_text().split("\n"))
                       for name in planned)
        timed("each bundle's key file read (its file list)", key_files)

        spare = {f"pagefind/shards/{n}/{r}" for n in planned for r in files[n]} | {
            f"pagefind/{r}" for r in files[next(iter(planned))]}
        stale: set[str] = set()
        keep: dict[str, None] = {}
        unchanged: list[str] = []

        def keep_unchanged(relative: str) -> bool:  # Staging.keep_unchanged's, all in the spare
            if relative in spare and relative not in stale:
                keep[relative] = None
                unchanged.append(relative)
                return True
            return False

        def kept() -> int:
            for number, name in enumerate(planned):
                location = "pagefind" if number == 0 else f"pagefind/shards/{name}"
                for r in files[name]:
                    if number == 0 or r == "pagefind-entry.json" or r.endswith(".pf_meta") \
                            or r.split("/")[0] in {"index", "fragment", "filter"}:
                        keep_unchanged(f"{location}/{r}")
            return len(keep)
        timed("each kept file's name, filter and keep (a call each)", kept)
        timed("state.json written", lambda: json.dumps(
            {"context": "ctx", "pages": dict(sorted(pages.items()))}))
        print(f"  {'together':<58} {time.process_time() - started:7.3f} CPU s")

        print("with the books:")
        started = time.process_time()
        books = timed("books read (a record a shard)", SearchBooks, BuildState(cache, "salt"),
                      "search", "ctx", args.shard_pages)
        derived = timed("shard plan derived (no page hashed)", search_shards.derive,
                        books.previous(), iter(outputs), args.shard_pages)
        changed = timed("shards told unchanged by render keys", lambda: [
            name for name, members in derived.items()
            if books.unchanged(name, members, renders) is None])
        timed("the changed shard's digests loaded", lambda: [books.digests(n) for n in changed])

        keep.clear()
        unchanged.clear()

        def kept_names() -> int:  # and Staging.keep_all's set operations
            targets: list[str] = []
            for number, name in enumerate(derived):
                if name in changed:
                    continue
                location = "pagefind" if number == 0 else f"pagefind/shards/{name}"
                targets += [f"{location}/{r}" for r in books.shipped(name, number == 0)]
            same = set(targets) & (spare - stale)
            keep.update(dict.fromkeys(same))
            unchanged.extend(same)
            return len(same)
        timed("the kept files' names, kept in one call", kept_names)
        print(f"  {'together':<58} {time.process_time() - started:7.3f} CPU s")
        assert changed == [n for n, m in derived.items() if edited in m] and derived == planned
        assert index_files(files[changed[0]])
        os.sync()


if __name__ == "__main__":
    main()
