"""An import never makes two things claim one URL (the build would refuse the site).

Two clashes came from the importer itself on real archives: a page whose
new URL is a section's front (a Jekyll `news/index.md` beside the posts of
category "news", a Hugo section's `_index.md`), and an old URL that is the
new URL spelled another way (`/about/index.html` for `/about/`). A page in
a section's way gets the next free slug, and every link already rewritten
to its URL follows; an old URL is compared by the file it is written to,
so it is dropped when it is the item's own URL or another's.
"""

from __future__ import annotations

from sitegen import urls
from sitegen.config import Config
from sitegen.importers.report import Report
from sitegen.importers.write import Imported, Result, article_file, rewrite_links


def avoid(result: Result, config: Config, report: Report) -> None:
    """Rename what is in a section front's way, then keep each old URL for one owner."""
    _pages_out_of_sections(result, config, report)
    _one_owner_per_url(result, config, report)


def _pages_out_of_sections(result: Result, config: Config, report: Report) -> None:
    sitegen_own = {urls.output_file(item.prefix + config.permalinks.section.format(
        section=item.section)) for item in result.items if item.section}
    sitegen_own |= {urls.output_file(p) for p in _own_pages(result, config)}
    files = {article_file(config, item) for item in result.items}
    moved: dict[str, str] = {}
    for item in result.items:
        if item.section or urls.output_file(item.path(config)) not in sitegen_own:
            continue
        before, base, number = item.path(config), item.slug, 1
        while urls.output_file(item.path(config)) in sitegen_own or \
                article_file(config, item) in files or article_file(config, item).exists():
            number += 1
            item.slug = f"{base}-{number}"
        files.add(article_file(config, item))
        moved[before] = item.path(config)
        report.needs_person(item.source, 1, f"page URL {before} is the front page of a "
                            f"section (or another page sitegen makes); imported as "
                            f"{item.path(config)}")
    if moved:
        for item in result.items:
            item.body = rewrite_links(item.body, moved)


def _one_owner_per_url(result: Result, config: Config, report: Report) -> None:
    """An old URL that another item (or a section front, the home, the archive) now has,
    or that two items had, is left out of `aliases`: the build would refuse it. URLs are
    compared by the file they are written to (`/a/` and `/a/index.html` are one)."""
    taken = {urls.output_file(item.path(config)): item.source for item in result.items}
    for path in _own_pages(result, config):
        taken[urls.output_file(path)] = "sitegen"
    for item in result.items:
        if item.section:
            taken[urls.output_file(item.prefix + config.permalinks.section.format(
                section=item.section))] = "sitegen (the section's front page)"
    for item in result.items:
        kept = []
        own = urls.output_file(item.path(config))
        for alias in item.front.get("aliases", []):
            file = urls.output_file(alias)
            if file == own:
                continue  # the new URL, spelled another way: nothing to redirect
            owner = taken.setdefault(file, item.source)
            if owner == item.source:
                kept.append(alias)
            else:
                report.needs_person(item.source, 1, f"old URL {alias} now belongs to "
                                    f"{owner}; no redirect was made for it")
        item.front["aliases"] = kept


def _own_pages(result: Result, config: Config) -> list[str]:
    """The home, archive and search page of every edition the items are in."""
    return [prefix + path for prefix in sorted({"", *(i.prefix for i in result.items)})
            for path in ("/", config.permalinks.archive, config.permalinks.search)]


def changed_urls(items: list[Imported], config: Config, report: Report) -> None:
    """The report lists every item whose URL changed, with the old URLs and why."""
    for item in items:
        new = item.path(config)
        pattern = (f"[permalinks] article = '{config.permalinks.article}'" if item.section
                   else f"[permalinks] page = '{config.permalinks.page}'")
        for alias in item.front.get("aliases", []):
            report.url_changed(item.source, alias, f"{new} ({pattern})")
