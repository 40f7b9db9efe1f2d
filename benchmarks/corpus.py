"""A deterministic synthetic news corpus, written as a sitegen site and as a Hugo site.

    python benchmarks/corpus.py 1000 --seed 1 --out benchmarks/.work/corpus-1000-1

writes three sites holding the same articles, byte for byte the same Markdown
bodies: `sitegen/` (the trimmed comparison: the tiny `bench` theme from
benchmarks/sitegen-trimmed/, search off), `sitegen-full/` (sitegen's default
theme and settings) and `hugo/` (benchmarks/hugo/'s config and layouts).

Every article draws from its own random generator seeded with (seed, index),
so article i is the same whatever N is, and nothing depends on the clock, the
locale or the network. Every story has a photo of its own, as in a newsroom's
archive: a 1,600 x 900 JPEG of about 85 KB drawn with Pillow from the story's own
generator (soft colour, a few shapes, grain), under a folder a month
(`/images/2019/03/foto-000042.jpg`), so the picture pipeline really resizes each one.
Hugo's site gets the same files (under assets/). A benchmark that shares a few photos
across 10,000 stories hides what each photo costs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import json
import os
import random
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parent))
import words

HERE = Path(__file__).resolve().parent
JAKARTA = ZoneInfo("Asia/Jakarta")
SITE_TITLE = "Warta Bench"
BASE_URL = "https://bench.example/"
FIRST_DAY = dt.datetime(2015, 1, 1, tzinfo=JAKARTA)
LAST_DAY = dt.datetime(2025, 12, 31, 23, 0, tzinfo=JAKARTA)
SECTIONS = {  # slug -> (title, relative weight)
    "nasional": ("Nasional", 5), "ekonomi": ("Ekonomi", 4), "internasional": ("Internasional", 2),
    "olahraga": ("Olahraga", 3), "teknologi": ("Teknologi", 2), "gaya-hidup": ("Gaya Hidup", 1),
    "hiburan": ("Hiburan", 1),
}
TAG_POOL = 200
AUTHOR_POOL = 30
IMAGE_COUNT = 6
"""Kept as the range of a draw in each story's generator, so the stories' words stay what
they were when six photos were shared."""
PHOTO_SIZE = (1600, 900)
"""A news photo's shape, wider than 1200 px (heroes narrower than that are warned about),
so every configured width below it is a resize."""
MONTHS_ID = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
             "September", "Oktober", "November", "Desember")


@dataclass(frozen=True)
class Story:
    section: str
    slug: str
    title: str
    date: dt.datetime
    updated: dt.datetime | None
    authors: tuple[str, ...]
    tags: tuple[str, ...]
    summary: str
    image: int
    """The story's own photo: its number (its index in the corpus), drawn by `photo_bytes`;
    with `shared` one of IMAGE_COUNT photos."""
    image_alt: str
    image_caption: str
    image_credit: str
    location: str
    featured: bool
    body: str
    shared: bool = False
    """Whether the story shows one of IMAGE_COUNT shared photos (as before corpus21, for
    runs that cannot afford a photo a story: 100,000 photos are 8.5 GB on disk)."""


@dataclass(frozen=True)
class Corpus:
    seed: int
    stories: tuple[Story, ...]
    authors: tuple[tuple[str, str], ...]
    """(name, bio) of every author in the pool."""
    tags: tuple[str, ...]
    photo_size: tuple[int, int] = PHOTO_SIZE
    """Every story's photo's width and height (tests take smaller ones: cheaper to encode)."""
    shared_photos: bool = False
    """The stories share IMAGE_COUNT photos (Story.shared)."""


def slugify(text: str) -> str:
    """ASCII slugs, the same as sitegen's and Hugo's for the ASCII words used here."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _pools(seed: int) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    rng = random.Random(f"pools-{seed}")
    names: list[str] = []
    while len(names) < AUTHOR_POOL:
        name = f"{rng.choice(words.FIRST_NAMES)} {rng.choice(words.LAST_NAMES)}"
        if name not in names:
            names.append(name)
    authors = tuple((n, f"{n} meliput {rng.choice(words.NOUNS)} dan {rng.choice(words.NOUNS)} "
                        f"dari {rng.choice(words.PLACES)} sejak {rng.randint(2005, 2020)}.")
                    for n in names)
    tags = list(dict.fromkeys(words.TAG_BASES))
    while len(tags) < TAG_POOL:
        tag = f"{rng.choice(words.TAG_BASES)} {rng.choice(words.PLACES)}"
        if tag not in tags:
            tags.append(tag)
    return authors, tuple(tags)


def _sentence(rng: random.Random, low: int = 8, high: int = 18) -> str:
    out: list[str] = []
    for _ in range(rng.randint(low, high)):
        roll = rng.random()
        if roll < 0.30:
            out.append(rng.choice(words.FUNCTION))
        elif roll < 0.68:
            out.append(rng.choice(words.NOUNS))
        elif roll < 0.82:
            out.append(rng.choice(words.VERBS))
        elif roll < 0.95:
            out.append(rng.choice(words.ADJECTIVES))
        elif roll < 0.98:
            out.append(rng.choice(words.PLACES))
        else:
            out.append(rng.choice((f"{rng.randint(2, 95)} persen",
                                   f"Rp {rng.randint(1, 900)} miliar",
                                   f"{rng.randint(2, 9)}.{rng.randint(100, 999)} orang")))
    if len(out) > 6 and rng.random() < 0.4:
        out[len(out) // 2] += ","
    text = " ".join(out).replace("-", " ")
    return text[0].upper() + text[1:] + "."


def _title_case(text: str) -> str:
    return " ".join(w[0].upper() + w[1:] for w in text.split())


def _title(rng: random.Random) -> str:
    shape = rng.randrange(3)
    noun, noun2 = rng.choice(words.NOUNS), rng.choice(words.NOUNS)
    if shape == 0:
        text = (f"{noun} {rng.choice(words.ADJECTIVES)} di {rng.choice(words.PLACES)} "
                f"{rng.choice(words.VERBS)} {noun2}")
    elif shape == 1:
        text = (f"{rng.choice(words.NOUNS)} {rng.choice(words.VERBS)} {noun} {noun2} "
                f"{rng.choice(words.ADJECTIVES)} {rng.choice(words.FUNCTION)} "
                f"{rng.choice(words.NOUNS)}")
    else:
        text = (f"{rng.choice(words.PLACES)} {rng.choice(words.VERBS)} {noun} "
                f"{rng.choice(words.ADJECTIVES)} untuk {noun2}")
    return _title_case(text.replace("-", " "))


def _paragraph(rng: random.Random) -> str:
    text = " ".join(_sentence(rng) for _ in range(rng.randint(2, 5)))
    if rng.random() < 0.25:
        place = rng.choice(words.PLACES)
        text = text.replace(f" {place} ", f" **{place}** ", 1)
    if rng.random() < 0.2:
        link = f"{rng.choice(words.NOUNS)} {rng.choice(words.ADJECTIVES)}"
        text += f" Baca juga laporan [{link}](https://data.example.org/{slugify(link)})."
    return text


def _body(rng: random.Random, names: list[str]) -> str:
    target = rng.randint(600, 900)
    plan = ["p", "p", "h2", "p", "quote", "p", "list", "h2", "p"]
    blocks: list[str] = []
    count = 0
    while plan or count < target:
        kind = plan.pop(0) if plan else "p"
        if kind == "h2":
            block = "## " + _title_case(" ".join(_sentence(rng, 3, 5).rstrip(".").split()[:5]))
        elif kind == "quote":
            speaker = rng.choice(names)
            block = f"> “{_sentence(rng, 12, 22)[:-1]},” kata {speaker}."
        elif kind == "list":
            items = [f"- {_sentence(rng, 5, 10)}" for _ in range(rng.randint(3, 5))]
            block = f"{_sentence(rng, 6, 10)[:-1]}:\n\n" + "\n".join(items)
        else:
            block = _paragraph(rng)
        blocks.append(block)
        count += len(block.split())
    return "\n\n".join(blocks) + "\n"


def _story(seed: int, index: int, authors: tuple[tuple[str, str], ...],
           tags: tuple[str, ...], shared: bool = False) -> Story:
    rng = random.Random(f"story-{seed}-{index}")
    span = int((LAST_DAY - FIRST_DAY).total_seconds() // 60)
    date = FIRST_DAY + dt.timedelta(minutes=rng.randrange(span))
    updated = date + dt.timedelta(hours=rng.randint(1, 30)) if rng.random() < 0.1 else None
    section = rng.choices(list(SECTIONS), weights=[w for _, w in SECTIONS.values()])[0]
    names = [n for n, _ in authors]
    by = tuple(rng.sample(names, 2 if rng.random() < 0.1 else 1))
    # Tag popularity falls off with rank, so some tags span many pages, as on real sites.
    weights = [1 / (1 + rank / 15) for rank in range(len(tags))]
    chosen: list[str] = []
    while len(chosen) < rng.randint(2, 4):
        tag = rng.choices(tags, weights=weights)[0]
        if tag not in chosen:
            chosen.append(tag)
    place = rng.choice(words.PLACES)
    one_of = rng.randrange(IMAGE_COUNT)  # drawn whether shared or not: the words stay
    return Story(
        section=section, slug="", title=_title(rng), date=date, updated=updated, authors=by,
        tags=tuple(chosen), summary=_sentence(rng, 18, 28), image=one_of if shared else index,
        image_alt=_sentence(rng, 6, 10)[:-1], image_caption=_sentence(rng, 8, 14),
        image_credit=f"{rng.choice(names)}/Warta Bench", location=place.upper(),
        featured=rng.random() < 0.02, body=_body(rng, names), shared=shared,
    )


def _with_slug(story: Story, taken: set[str]) -> Story:
    base = slugify(story.title)
    slug, n = base, 2
    while f"{story.section}/{slug}" in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(f"{story.section}/{slug}")
    return Story(**{**story.__dict__, "slug": slug})


def generate(count: int, seed: int = 1, photo_size: tuple[int, int] = PHOTO_SIZE,
             shared_photos: bool = False) -> Corpus:
    authors, tags = _pools(seed)
    taken: set[str] = set()
    stories = tuple(_with_slug(_story(seed, i, authors, tags, shared_photos), taken)
                    for i in range(count))
    return Corpus(seed, stories, authors, tags, photo_size, shared_photos)


def added_story(corpus: Corpus) -> Story:
    """The article the "add one article" benchmark writes: the newest, as breaking news is."""
    story = _story(corpus.seed, len(corpus.stories), corpus.authors, corpus.tags,
                   corpus.shared_photos)
    newest = max(s.date for s in corpus.stories)
    taken = {f"{s.section}/{s.slug}" for s in corpus.stories}
    fresh = Story(**{**story.__dict__, "date": newest + dt.timedelta(minutes=1), "updated": None})
    return _with_slug(fresh, taken)


def edit_body(text: str, marker: str) -> str:
    """The same file with one sentence holding `marker` added to its body's first paragraph."""
    head, sep, body = text.partition("\n---\n\n")
    first, rest = body.split("\n\n", 1)
    return f"{head}{sep}{first} Pembaruan {marker}.\n\n{rest}"


# --- the two layouts ------------------------------------------------------------------


def _q(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _image_path(story: Story) -> str:
    """The photo's site path: a folder a month, as a newsroom's uploads are kept."""
    if story.shared:
        return f"/images/bench-{story.image + 1}.jpg"
    return f"/images/{story.date:%Y/%m}/foto-{story.image + 1:06d}.jpg"


def photo_paths(story: Story) -> dict[str, str]:
    """Where each site keeps the story's photo: site name -> path in it. Hugo's is under
    assets/, so that resources.Get reads each photo's size once, as sitegen does
    (imageConfig on static/ files opens the file again for every page)."""
    static = f"content/static{_image_path(story)}"
    return {"sitegen": static, "sitegen-full": static, "hugo": f"assets{_image_path(story)}"}


def write_photo(story: Story, corpus: Corpus, site: Path, name: str) -> Path:
    """Write the story's photo into `site` (a sitegen or a Hugo site: `name`), as a newsroom
    uploads it with the story; its path. A shared photo is there already: left as it is."""
    path = site / photo_paths(story)[name]
    if story.shared and path.is_file():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(photo_bytes(corpus.seed, story.image, corpus.photo_size))
    return path


def sitegen_file(story: Story) -> tuple[str, str]:
    lines = [f"title: {_q(story.title)}", f"date: {story.date:%Y-%m-%d %H:%M}"]
    if story.updated:
        lines.append(f"updated: {story.updated:%Y-%m-%d %H:%M}")
    if len(story.authors) == 1:
        lines.append(f"author: {_q(story.authors[0])}")
    else:
        lines.append(f"authors: [{', '.join(_q(a) for a in story.authors)}]")
    lines += [f"tags: [{', '.join(_q(t) for t in story.tags)}]",
              f"summary: {_q(story.summary)}", f"image: {_image_path(story)}",
              f"image_alt: {_q(story.image_alt)}", f"image_caption: {_q(story.image_caption)}",
              f"image_credit: {_q(story.image_credit)}", f"location: {story.location}"]
    if story.featured:
        lines.append("featured: true")
    text = "---\n" + "\n".join(lines) + "\n---\n\n" + story.body
    return f"content/{story.section}/{story.slug}.md", text


def _month(moment: dt.datetime) -> str:
    return f"{moment:%Y-%m}"


def hugo_file(story: Story) -> tuple[str, str]:
    lines = [f"title: {_q(story.title)}", f"date: {story.date.isoformat()}"]
    if story.updated:
        lines.append(f"lastmod: {story.updated.isoformat()}")
    lines += [f"authors: [{', '.join(_q(a) for a in story.authors)}]",
              f"tags: [{', '.join(_q(t) for t in story.tags)}]",
              f"arsip: [{_q(_month(story.date))}]",
              f"summary: {_q(story.summary)}", f"description: {_q(story.summary)}",
              "params:", f"  image: {_image_path(story)}",
              f"  image_alt: {_q(story.image_alt)}", f"  image_caption: {_q(story.image_caption)}",
              f"  image_credit: {_q(story.image_credit)}", f"  location: {story.location}"]
    if story.featured:
        lines.append("  featured: true")
    text = "---\n" + "\n".join(lines) + "\n---\n\n" + story.body
    return f"content/{story.section}/{story.slug}.md", text


def _sitegen_config(corpus: Corpus, trimmed: bool, trim_options: tuple[str, ...] = ()) -> str:
    out = ["# Generated by benchmarks/corpus.py.", "[site]", f"title = {_q(SITE_TITLE)}",
           'description = "Portal berita sintetis untuk mengukur kecepatan build."',
           f"base_url = {_q(BASE_URL)}", 'language = "id"', 'timezone = "Asia/Jakarta"', "",
           "[build]", f"theme = {_q('bench' if trimmed else 'default')}", "items_per_page = 10"]
    if trimmed:
        out += ["search = false", *trim_options]
    for slug, (title, _) in SECTIONS.items():
        out += ["", f"[sections.{slug}]", f"title = {_q(title)}",
                f"description = {_q(f'Berita {title.lower()} terkini.')}"]
    for name, bio in corpus.authors:
        out += ["", f"[authors.{slugify(name)}]", f"name = {_q(name)}", f"bio = {_q(bio)}"]
    return "\n".join(out) + "\n"


def _hugo_menu() -> str:
    """sitegen's default menu (the sections, in config order) as a Hugo menu: ranging over
    site.Sections on every page instead costs Hugo 0.168 about 0.6 ms a page."""
    entries = [f"\n[[menus.main]]\nname = {_q(title)}\nurl = \"/{slug}/\"\nweight = {n}\n"
               for n, (slug, (title, _)) in enumerate(SECTIONS.items(), 1)]
    return "\n# Written by benchmarks/corpus.py from its sections." + "".join(entries)


def _front(**values: str) -> str:
    return "---\n" + "".join(f"{k}: {_q(v)}\n" for k, v in values.items()) + "---\n"


def _hugo_lists(corpus: Corpus) -> dict[str, str]:
    """Section, author and archive-month list pages, titled as sitegen titles them."""
    files = {f"content/{slug}/_index.md": _front(title=title,
                                                 description=f"Berita {title.lower()} terkini.")
             for slug, (title, _) in SECTIONS.items()}
    # Only authors with articles: Hugo would give an _index.md of its own a page.
    writing = {name for story in corpus.stories for name in story.authors}
    for name, bio in corpus.authors:
        if name in writing:
            files[f"content/authors/{slugify(name)}/_index.md"] = _front(title=name,
                                                                         description=bio)
    for month in sorted({_month(s.date) for s in corpus.stories}):
        year, number = month.split("-")
        files[f"content/arsip/{month}/_index.md"] = _front(
            title=f"{MONTHS_ID[int(number) - 1]} {year}", url=f"/arsip/{year}/{number}/")
    files["content/arsip/_index.md"] = _front(title="Arsip")
    # sitegen has no page listing every tag or every author: neither does the Hugo side.
    for taxonomy in ("tags", "authors"):
        files[f"content/{taxonomy}/_index.md"] = "---\nbuild:\n  render: never\n---\n"
    return files


def photo_bytes(seed: int, number: int, size: tuple[int, int] = PHOTO_SIZE) -> bytes:
    """Photo `number`'s JPEG: its own colours, shapes and grain, from its own generator
    (the same bytes on every machine: no clock, no C library's random numbers)."""
    rng = random.Random(f"photo-{seed}-{number}")
    # A coarse grid of colours scaled up smoothly: soft light and colour, as in a photo.
    grid = Image.new("RGB", (8, 5))
    grid.putdata([(rng.randrange(256), rng.randrange(256), rng.randrange(256))
                  for _ in range(40)])
    picture = grid.resize(size, Image.Resampling.BICUBIC)
    draw = ImageDraw.Draw(picture)
    for _ in range(8):
        x, y = rng.randrange(size[0]), rng.randrange(size[1])
        right, bottom = x + rng.randint(60, 400), y + rng.randint(60, 400)
        fill = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)((x, y, right, bottom),
                                                                 fill=fill)
    # Grain, so that the encoders see texture, as in a photo.
    small = (size[0] // 4, size[1] // 4)
    grain = Image.frombytes("L", small, rng.randbytes(small[0] * small[1]))
    picture = Image.blend(picture, grain.resize(size).convert("RGB"), 0.04)
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=72)
    return out.getvalue()


def site_files(corpus: Corpus,
               trim_options: tuple[str, ...] = ()) -> dict[str, dict[str, str | bytes]]:
    """Every file of the three sites but the photos: site name -> relative path -> content
    (the photos, 10,000 of them about 0.7 GB, are written one at a time: `write_sites`).

    `trim_options` are extra lines for the trimmed site's [build] table, for
    switches (feeds, sitemaps, ...) that a later sitegen may offer.
    """
    trimmed: dict[str, str | bytes] = {
        "sitegen.toml": _sitegen_config(corpus, True, trim_options)}
    full: dict[str, str | bytes] = {"sitegen.toml": _sitegen_config(corpus, False)}
    hugo: dict[str, str | bytes] = dict(_hugo_lists(corpus))
    for story in corpus.stories:
        path, text = sitegen_file(story)
        trimmed[path] = full[path] = text
        hugo.__setitem__(*hugo_file(story))
    for folder, site in ((HERE / "sitegen-trimmed", trimmed), (HERE / "hugo", hugo)):
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                site[path.relative_to(folder).as_posix()] = path.read_bytes()
    hugo["hugo.toml"] = bytes(hugo["hugo.toml"]) + _hugo_menu().encode()
    return {"sitegen": trimmed, "sitegen-full": full, "hugo": hugo}


def write_sites(corpus: Corpus, out: Path, trim_options: tuple[str, ...] = ()) -> dict[str, Path]:
    """Write the three sites under `out`, replacing whatever was there."""
    roots = {}
    for name, files in site_files(corpus, trim_options).items():
        root = out / name
        if root.exists():
            shutil.rmtree(root)
        for relative, content in files.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        roots[name] = root
    # Each photo drawn once and hard-linked into the other two sites (the same bytes;
    # nothing writes into a source file in place), a copy where links are refused.
    drawn: set[int] = set()
    for story in corpus.stories:
        if story.image in drawn:  # a shared photo
            continue
        drawn.add(story.image)
        first = write_photo(story, corpus, roots["sitegen"], "sitegen")
        for name in ("sitegen-full", "hugo"):
            path = roots[name] / photo_paths(story)[name]
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(first, path)
            except OSError:
                shutil.copyfile(first, path)
    return roots


def cached_sites(corpus: Corpus, work: Path, trim_options: list[str] | tuple[str, ...] = ()
                 ) -> dict[str, Path]:
    """The three sites under `work`, written again only when the generator or its inputs changed.

    The stamp covers this script, the word pools, the Hugo and trimmed-theme
    files, N, the seed and the trim options; builds' outputs are not inputs.
    """
    digest = hashlib.sha256(repr((len(corpus.stories), corpus.seed, tuple(trim_options),
                                  corpus.shared_photos)).encode())
    for path in sorted([HERE / "corpus.py", HERE / "words.py",
                        *(HERE / "hugo").rglob("*"), *(HERE / "sitegen-trimmed").rglob("*")]):
        if path.is_file():
            digest.update(path.relative_to(HERE).as_posix().encode() + path.read_bytes())
    out = work / (f"corpus-{len(corpus.stories)}-seed{corpus.seed}"
                  + ("-shared" if corpus.shared_photos else ""))
    stamp = out / "corpus.stamp"
    names = ("sitegen", "sitegen-full", "hugo")
    if stamp.is_file() and stamp.read_text() == digest.hexdigest():
        return {name: out / name for name in names}
    stamp.unlink(missing_ok=True)
    roots = write_sites(corpus, out, tuple(trim_options))
    stamp.write_text(digest.hexdigest())
    return roots


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("articles", type=int)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--shared-photos", action="store_true",
                        help=f"the stories share {IMAGE_COUNT} photos (no photo a story)")
    args = parser.parse_args(argv)
    roots = write_sites(generate(args.articles, args.seed, shared_photos=args.shared_photos),
                        args.out)
    for name, root in roots.items():
        print(f"{name}: {root}")


if __name__ == "__main__":
    main()
