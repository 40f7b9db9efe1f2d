"""Layer 5.95. URL clashes that follow the change: two things on one URL are looked for
among the claims a build changed, against a claim book the build state keeps, not
among every page of the archive (issue 18: a body edit at 100,000 stories folded and
compared 186,000 names, 1.8 of its profiled seconds).

The book holds the claims (output file, owner: kinds/__init__.py) of the last
selection found free of clashes, in three kinds of records of the output folder:

- `claims` `digests`: each page kind's digest of its claims, and of each of its
  buckets (the claims of the owners that hash alike: a story's, a list's);
- `claims` `<kind>:<bucket>`: the claims of one bucket;
- `claimed` `<folded name>\\x01<output>\\x01<owner>\\x01<kind>`, nothing else: one a claim,
  its folded name first, so that what is claimed at one name, or inside one folder, is
  a range of the table's key (state_file.names_from), read per query.

A build makes every kind's claims (the site model's pages, cheap beside checking
them) and digests them. A kind whose digest is the book's changed none of its claims:
a body edit changes no kind. In a kind that changed, only the buckets whose digests
changed are read and compared: the claims added are checked against the book (a
name claimed by another owner, a folder another owner writes as a file, files another
owner writes inside it). The book holds no clash, so a clash of the new claims has one
of them in it. Anything found, or too many claims added to ask one by one, and the
whole check runs as before (claims.clashes), which names the problems as it always
did. No book (a first build, --no-cache, another version's state): the whole check.
The book is written with the build's state, once the selection is final.
"""

from __future__ import annotations

import hashlib
import itertools
import zlib
from collections import defaultdict
from collections.abc import Iterable

from sitegen import claims as file_claims
from sitegen import kinds, portable_names
from sitegen.config import Config
from sitegen.errors import Problem
from sitegen.kinds.base import Claim
from sitegen.model import Site
from sitegen.state import BuildState

BOOK, INDEX = "claims", "claimed"
DIGESTS = "digests"
SEP = "\x01"
"""Between the parts of an index record's name (no output name or owner holds it)."""
BUCKETS = 256
MOST_ADDED = 2000
"""More claims added than this (a config or permalink change): the whole check, which
costs less than asking the book about each."""
_ASKED = 64
"""Names read of one range at most; more than this are taken as a clash (the whole
check then says whether it is one)."""
_MARKER: Claim = (".sitegen-build", file_claims.MARKER_OWNER)

Digests = dict[str, tuple[str, dict[int, str]]]
"""Kind -> (digest of its claims, bucket -> digest of the bucket's claims)."""
Tagged = tuple[str, str, str]
"""(output, owner, kind): one claim of one kind."""


class ClaimBook:
    """A build's URL clash check (a `collect.Clashes`) against the book of the output
    folder `folder`; `keep` puts what the last clean check changed into the state."""

    def __init__(self, state: BuildState, folder: str) -> None:
        self.state, self.folder = state, folder
        self.asked = 0
        """Claims checked against the book or one by one (the whole check: every claim),
        by the last call: what a test counts."""
        self._kept: tuple[Digests, list[tuple[str, list[Claim]]], list[str],
                          Iterable[str], list[str]] | None = None

    def __call__(self, site: Site, config: Config) -> list[Problem]:
        self._kept = None
        made = [("", [_MARKER]), *kinds.claims_by_kind(site, config)]
        digests: Digests = {key: (_digest(claims), {}) for key, claims in made}
        last = self.state.get(BOOK, self.folder, DIGESTS)
        if not _sound(last):
            return self._whole(made, digests)
        old: Digests = last
        changed = [(key, claims) for key, claims in made if old.get(key, ("",))[0]
                   != digests[key][0]]
        changed += [(key, []) for key in old if key not in digests]  # a kind gone
        if not changed:
            self.asked = 0
            return []
        added, removed, buckets, dropped = self._compare(changed, old, digests)
        moved = {key for key, _ in changed}
        for key, _ in made:  # the unchanged kinds' bucket digests stay the book's
            if key not in moved:
                digests[key] = (digests[key][0], old[key][1])
        self.asked = len(added)
        if len(added) > MOST_ADDED or self._suspect(added, set(removed)):
            found = self._whole_check(made)
            if found:
                return found
        self._kept = (digests, buckets, dropped, [_index_name(c) for c in added], removed)
        return []

    def keep(self) -> None:
        """Write the book of the last clean check into the state, now (a check that found
        clashes leaves the book as it was). Its digests go first and come back last: a
        build killed between leaves no digests, and the next build checks every claim
        and writes the book again. Now, not with the build's state at its end: a build
        that fails later leaves `serve` no write pending that would mix two books."""
        if self._kept is None:
            return
        digests, buckets, dropped, added, removed = self._kept
        self._kept = None
        state, folder = self.state, self.folder
        state.drop_now(BOOK, folder, [DIGESTS, *dropped])
        state.drop_now(INDEX, folder, removed)
        for name in added:
            state.write_now(INDEX, folder, name, None)
        for name, claims in buckets:
            state.write_now(BOOK, folder, name, claims)
        state.write_now(BOOK, folder, DIGESTS, digests)
        state.flush()

    def _whole_check(self, made: list[tuple[str, list[Claim]]]) -> list[Problem]:
        self.asked = sum(len(claims) for _, claims in made)
        return file_claims.clashes(itertools.chain.from_iterable(
            claims for key, claims in made if key), {}, None)

    def _whole(self, made: list[tuple[str, list[Claim]]], digests: Digests) -> list[Problem]:
        """No book: the whole check, and a book of every claim when it found none."""
        found = self._whole_check(made)
        if found:
            return found
        buckets = []
        for key, claims in made:
            for bucket, members in _buckets(claims).items():
                digests[key][1][bucket] = _digest(members)
                buckets.append((f"{key}:{bucket}", members))
        # Made as they are written, not held (a name a page, at the largest archive).
        added = (_index_name((output, owner, key)) for key, claims in made
                 for output, owner in dict.fromkeys(claims))
        # Whatever an interrupted or damaged book left is not the book's.
        stale = self.state.names(INDEX, self.folder)
        if stale:
            stale -= {_index_name((o, w, key)) for key, claims in made for o, w in claims}
        self._kept = (digests, buckets, [], added, sorted(stale))
        return []

    def _compare(self, changed: list[tuple[str, list[Claim]]], old: Digests, digests: Digests
                 ) -> tuple[list[Tagged], list[str], list[tuple[str, list[Claim]]], list[str]]:
        """The claims the changed kinds added and the index names of those they removed,
        from the buckets whose digests changed; those buckets' new records, and the names
        of the buckets emptied."""
        wanted: dict[str, tuple[str, int, list[Claim]]] = {}
        for key, claims in changed:
            was = old.get(key, ("", {}))[1]
            now = _buckets(claims)
            if key in digests:
                digests[key] = (digests[key][0], {b: _digest(m) for b, m in now.items()})
            for bucket in set(was) | set(now):
                members = now.get(bucket, [])
                if was.get(bucket) != (digests[key][1].get(bucket) if key in digests else None):
                    wanted[f"{key}:{bucket}"] = (key, bucket, members)
        stored: dict[str, object] = {}
        names = list(wanted)
        for start in range(0, len(names), 400):
            stored.update(self.state.get_many(BOOK, self.folder, names[start:start + 400]))
        added: list[Tagged] = []
        removed: list[str] = []
        buckets: list[tuple[str, list[Claim]]] = []
        dropped: list[str] = []
        for name, (key, bucket, members) in wanted.items():
            # A bucket the digests do not name is not the book's (one left by a book
            # written again from scratch): none of its claims are in the index.
            kept = stored.get(name) if bucket in old.get(key, ("", {}))[1] else None
            before = {tuple(c) for c in kept or ()  # type: ignore[attr-defined]
                      if isinstance(c, list | tuple) and len(c) == 2}
            after = dict.fromkeys(members)
            added += [(output, owner, key) for output, owner in after if (output, owner)
                      not in before]
            removed += [_index_name((output, owner, key)) for output, owner in before
                        if (output, owner) not in after]
            if members:
                buckets.append((name, members))
            else:
                dropped.append(name)
        return added, removed, buckets, dropped

    def _suspect(self, added: list[Tagged], removed: set[str]) -> bool:
        """Whether an added claim may clash with another claim, added or in the book (and
        not removed): another owner at its folded name, at a folder it is inside, or
        inside it. Erring towards yes: the whole check decides."""
        mine: dict[str, set[str]] = defaultdict(set)
        for output, owner, _ in added:
            mine[portable_names.folded(output)].add(owner)
        for output, owner, _ in added:
            name = portable_names.folded(output)
            if len(mine[name]) > 1 or self._others(name + SEP, owner, removed) or \
                    self._others(name + "/", owner, removed):
                return True
            slash = output.find("/")
            while slash > 0:  # each folder it is inside
                folder = portable_names.folded(output[:slash])
                if mine.get(folder, {owner}) != {owner} or \
                        self._others(folder + SEP, owner, removed):
                    return True
                slash = output.find("/", slash + 1)
        return False

    def _others(self, prefix: str, owner: str, removed: set[str]) -> bool:
        """Whether the book holds, under `prefix`, a claim of another owner not removed."""
        names = self.state.names_from(INDEX, self.folder, prefix, _ASKED)
        if len(names) >= _ASKED:
            return True
        return any(name not in removed and name.split(SEP)[2] != owner for name in names)


def _sound(value: object) -> bool:
    return isinstance(value, dict) and all(
        isinstance(v, tuple | list) and len(v) == 2 and isinstance(v[1], dict)
        for v in value.values())


def _digest(claims: Iterable[Claim]) -> str:
    joined = "\0".join(itertools.chain.from_iterable(claims))
    return hashlib.blake2b(joined.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _buckets(claims: list[Claim]) -> dict[int, list[Claim]]:
    """The claims by the bucket of their owner (an owner's claims in one bucket)."""
    found: dict[int, list[Claim]] = defaultdict(list)
    of: dict[str, int] = {}
    for claim in claims:
        owner = claim[1]
        bucket = of.get(owner)
        if bucket is None:
            bucket = of[owner] = zlib.crc32(owner.encode("utf-8", "surrogatepass")) % BUCKETS
        found[bucket].append(claim)
    return found


def _index_name(tagged: Tagged) -> str:
    output, owner, key = tagged
    return SEP.join((portable_names.folded(output), output, owner, key))
