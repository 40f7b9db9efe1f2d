"""Issue 24's goal, judged on a generated 17-language archive imported from Hugo.

    python benchmarks/editions_check.py --posts 40 --work /tmp/editions-17

writes a Hugo site with 17 languages (a `contentDir` per language, Indonesian the
default, every story translated into each language and linked by `translationKey`),
imports it with `sitegen import hugo`, builds it with search on, and judges:

- every built page's `<html lang>` is its edition's language (redirect pages aside);
- no interface word in another language: the build reports no missing interface
  string, and each edition's pages carry that language's own "skip to content";
- feeds parse with feedparser (no bozo) in the edition's language; sitemaps parse
  with lxml and their hreflang alternates are reciprocal, with x-default;
- in Chromium, each edition's search page finds the word only that edition's stories
  carry, and only its own stories.

Prints one line per check with its counts, and exits 1 if any fails.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import re
import shutil
import subprocess
import sys
import threading
import time
import tomllib
from pathlib import Path

import feedparser
from lxml import etree

HERE = Path(__file__).resolve().parent
THEME = HERE.parent / "themes" / "default"
# The default (id) and 16 others; each has its own interface strings in the theme.
LANGUAGES = ["id", "en", "de", "fr", "es", "pt", "it", "nl", "ja", "zh", "ko", "vi", "th",
             "ms", "jv", "su", "tl"]
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def marker(language: str) -> str:
    """A word only this language's stories carry (letters only, so search keeps it)."""
    return "zorblat" + "".join(chr(ord("a") + (ord(c) - ord("a")) % 26) for c in language)


def write_hugo(old: Path, posts: int) -> None:
    lines = ['baseURL = "https://arsip.example.org/"', 'title = "Arsip"',
             'defaultContentLanguage = "id"', "", "[languages]"]
    for weight, language in enumerate(LANGUAGES, start=1):
        lines += [f"[languages.{language}]", f'contentDir = "content/{language}"',
                  f"weight = {weight}", f'languageName = "{language}"',
                  f'title = "Arsip ({language})"', ""]
    (old / "hugo.toml").parent.mkdir(parents=True, exist_ok=True)
    (old / "hugo.toml").write_text("\n".join(lines), "utf-8")
    for language in LANGUAGES:
        for n in range(posts):
            path = old / "content" / language / "posts" / f"story-{n:03d}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            day = 1 + n % 28
            path.write_text(
                f"---\ntitle: \"Story {n} ({language})\"\ndate: 2025-{1 + n % 12:02d}-{day:02d}"
                f"T08:00:00+07:00\ntags: [t{n % 7}]\ntranslationKey: story-{n:03d}\n---\n\n"
                f"{marker(language)} paragraph {n} of the {language} edition.\n", "utf-8")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sitegen", *args], capture_output=True,
                          text=True, check=False)


def edition_of(relative: str) -> str:
    first = relative.split("/", 1)[0]
    return first if first in LANGUAGES[1:] and "/" in relative else "id"


def check_pages(output: Path) -> list[str]:
    failures, pages = [], 0
    skip = {language: tomllib.loads((THEME / "i18n" / f"{language}.toml").read_text("utf-8"))
            ["skip_to_content"] for language in LANGUAGES}
    for path in output.rglob("*.html"):
        relative = path.relative_to(output).as_posix()
        if relative.startswith(("pagefind", "admin/")):
            continue
        text = path.read_text("utf-8")
        if 'http-equiv="refresh"' in text:
            continue  # a redirect page (an old URL)
        pages += 1
        language = edition_of(relative)
        found = re.search(r'<html lang="([^"]+)"', text)
        if not found or found.group(1).split("-")[0] != language:
            failures.append(f"{relative}: lang {found and found.group(1)} in the {language} "
                            "edition")
        elif skip[language] not in text:
            failures.append(f"{relative}: not this language's interface ({language})")
    print(f"pages: {pages} judged, {len(failures)} with another language's lang or words")
    return failures


def check_feeds(output: Path) -> list[str]:
    failures, feeds = [], 0
    for language in LANGUAGES:
        folder = output if language == "id" else output / language
        for name in ("feed.xml", "atom.xml", "rss.xml", "index.xml"):
            if (folder / name).is_file():
                feeds += 1
                parsed = feedparser.parse((folder / name).read_bytes())
                if parsed.bozo:
                    failures.append(f"{language}/{name}: {parsed.bozo_exception}")
                lang = parsed.feed.get("language", "") or parsed.feed.get("xml_lang", "")
                if lang and lang.split("-")[0] != language:
                    failures.append(f"{language}/{name}: language {lang}")
    if feeds < len(LANGUAGES):
        failures.append(f"only {feeds} feeds for {len(LANGUAGES)} editions")
    print(f"feeds: {feeds} parsed, {len(failures)} problems")
    return failures


def check_sitemaps(output: Path) -> list[str]:
    failures: list[str] = []
    alternates: dict[str, dict[str, str]] = {}
    files = [p for p in output.rglob("sitemap*.xml")]
    for path in files:
        root = etree.parse(str(path)).getroot()
        for url in root.iter(f"{SM}url"):
            loc = url.findtext(f"{SM}loc") or ""
            links = {link.get("hreflang"): link.get("href") for link in url.iter(f"{XHTML}link")}
            if links:
                alternates[loc] = links
    pairs = 0
    for loc, links in alternates.items():
        if "x-default" not in links:
            failures.append(f"{loc}: no x-default")
        for language, href in links.items():
            if language == "x-default":
                continue
            pairs += 1
            back = alternates.get(href, {})
            if loc not in back.values():
                failures.append(f"{loc} -> {href} ({language}) is not returned")
    print(f"sitemaps: {len(files)} files, {len(alternates)} pages with alternates, "
          f"{pairs} hreflang pairs, {len(failures)} problems")
    return failures


def check_search(output: Path) -> list[str]:
    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(output)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    failures: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run"])
        page = browser.new_page()
        for language in LANGUAGES:
            prefix = "" if language == "id" else f"/{language}"
            found = ""
            for folder in ("cari", "search", "suche", "recherche", "buscar", "pesquisa",
                           "cerca", "zoeken"):
                if (output / prefix.strip("/") / folder / "index.html").is_file():
                    found = f"{prefix}/{folder}/"
                    break
            if not found:
                candidates = [p for p in (output / prefix.strip("/")).glob("*/index.html")
                              if 'id="search-input"' in p.read_text("utf-8")]
                if not candidates:
                    failures.append(f"{language}: no search page")
                    continue
                found = "/" + candidates[0].parent.relative_to(output).as_posix() + "/"
            page.goto(f"{origin}{found}?q={marker(language)}")
            try:
                page.locator("#search-results a").first.wait_for(timeout=20_000)
            except Exception:  # a timeout is this check's failure
                failures.append(f"{language}: '{marker(language)}' found nothing at {found}")
                continue
            time.sleep(0.3)
            links = page.eval_on_selector_all("#search-results a", "l => l.map(a => a.href)")
            wrong = [link for link in links if edition_of(
                link.removeprefix(origin + "/")) != language]
            if wrong:
                failures.append(f"{language}: results from other editions: {wrong[:3]}")
        browser.close()
    server.shutdown()
    print(f"search: {len(LANGUAGES)} editions queried, {len(failures)} problems")
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=40, help="stories per language")
    parser.add_argument("--work", type=Path, default=Path("/tmp/editions-17"))
    args = parser.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    old, site = args.work / "old", args.work / "site"
    write_hugo(old, args.posts)
    site.mkdir(parents=True)
    (site / "sitegen.toml").write_text('[site]\ntitle = "Arsip"\nbase_url = '
                                       '"https://arsip.example.org/"\nlanguage = "id"\n', "utf-8")
    started = time.perf_counter()
    result = run("import", "hugo", str(old), "-s", str(site))
    print(f"import: exit {result.returncode} in {time.perf_counter() - started:.1f} s")
    if result.returncode:
        print(result.stdout, result.stderr)
        return 1
    started = time.perf_counter()
    result = run("build", "-s", str(site))
    print(f"build: exit {result.returncode} in {time.perf_counter() - started:.1f} s, "
          f"{len(LANGUAGES)} editions x {args.posts} stories")
    missing = [line for line in (result.stdout + result.stderr).splitlines()
               if "interface string" in line]
    print(f"missing interface strings: {len(missing)}")
    failures = missing + check_pages(site / "output") + check_feeds(site / "output") + \
        check_sitemaps(site / "output") + check_search(site / "output")
    for failure in failures[:40]:
        print("  FAIL", failure)
    print("all checks passed" if not failures else f"{len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
