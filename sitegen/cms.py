"""Layer 6. Editors in a browser: a Decap CMS configuration made from sitegen's own schema.

Decap CMS (https://decapcms.org) is a single-page app that edits the Markdown
files in the site's git repository; it is configured by one YAML file. This
module writes that file and the page that loads the app, under
`content/static/admin/`, so the built site serves the editor at `/admin/`:

- one collection per section (the `[sections]` of sitegen.toml, then every other
  folder under `content/`), and one for the standalone pages;
- a field for every front matter key sitegen reads (`readers.py`), each with the
  widget its type needs: dates as date-and-time pickers that store the offset, so
  a time means the same moment in any browser; lists for authors, tags and
  aliases; an image picker for the hero, with its alt text, caption and credit;
- uploads into `content/static/images/`, which the site serves at `/images/`.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import yaml

from sitegen import readers
from sitegen.config import Config

DECAP_VERSION = "3.16.3"
# Subresource integrity of dist/decap-cms.js in the npm package decap-cms@DECAP_VERSION.
DECAP_INTEGRITY = "sha384-A/Gdn928CNLufmnGWGs9RM4Q9o8bSNLeJERqBFrBjwzL7FRpoLT3MPF8Tl0+Wd2p"
DECAP_SCRIPT = f"https://unpkg.com/decap-cms@{DECAP_VERSION}/dist/decap-cms.js"
ADMIN_DIR = "content/static/admin"
MEDIA_FOLDER = "content/static/images"
DATE_FORMAT = "YYYY-MM-DDTHH:mm:ssZ"
"""moment.js notation: 2026-11-28T12:00:00+07:00, which sitegen reads with its offset."""

_INDEX = """\
<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{title}</title>
</head>
<body>
<!-- Decap CMS {version}; it reads config.yml beside this page. Written by sitegen. -->
<script src="{script}" integrity="{integrity}" crossorigin="anonymous"></script>
</body>
</html>
"""

# key -> (label, widget options). Keys sitegen reads but this table does not name
# get a widget from their type (readers.STRING_KEYS, LIST_KEYS, ...).
_FIELDS: dict[str, tuple[str, dict[str, Any]]] = {
    "title": ("Title", {"widget": "string"}),
    "date": ("Published", {"widget": "datetime"}),
    "updated": ("Updated", {"widget": "datetime"}),
    "expires": ("Expires", {"widget": "datetime"}),
    "author": ("Author", {"widget": "string", "hint": "One name; for several, use Authors"}),
    "authors": ("Authors", {"widget": "list", "hint": "Several names (instead of Author)"}),
    "tags": ("Tags", {"widget": "list"}),
    "summary": ("Summary", {"widget": "text", "hint": "The dek: one or two sentences"}),
    "image": ("Hero image", {"widget": "image", "choose_url": False}),
    "image_alt": ("Hero image: alt text",
                  {"widget": "string", "hint": "What the image shows, for readers who "
                                               "cannot see it"}),
    "image_caption": ("Hero image: caption", {"widget": "string"}),
    "image_credit": ("Hero image: credit", {"widget": "string",
                                            "hint": "The photographer or agency"}),
    "image_copyright": ("Hero image: copyright holder", {"widget": "string",
                                                         "hint": "e.g. the agency"}),
    "image_focus": ("Hero image: focal point", {"widget": "string",
                                                "hint": "Where crops centre, e.g. 0.3,0.4"}),
    "location": ("Dateline", {"widget": "string", "hint": "e.g. JAKARTA"}),
    "lang": ("Language", {"widget": "string", "hint": "Only when the article is not in "
                                                      "the site's language, e.g. en"}),
    "featured": ("Editors' pick", {"widget": "boolean", "default": False}),
    "draft": ("Draft", {"widget": "boolean", "default": False,
                        "hint": "A draft stays off the published site"}),
    "slug": ("Slug", {"widget": "string", "hint": "The URL's last part; default: from the "
                                                  "file name"}),
    "aliases": ("Old URLs", {"widget": "list", "hint": "Each gets a redirect, e.g. "
                                                       "/2017/01/lama.html"}),
}
_BY_TYPE = ((readers.STRING_KEYS, "string"), (readers.LIST_KEYS, "list"),
            (readers.BOOL_KEYS, "boolean"), (readers.DATE_KEYS, "datetime"))
_REQUIRED = {"title", "date"}
# Pages are not news: no dates, bylines, tags, dateline or picks.
_NOT_ON_PAGES = {"date", "updated", "expires", "author", "authors", "tags", "location",
                 "featured"}


def sections(config: Config) -> list[tuple[str, str]]:
    """(folder, display name) of every section: sitegen.toml's first, then the folders."""
    found = {slug: section.title or slug for slug, section in config.sections.items()}
    top = readers.content_dir(config)
    if top.is_dir():
        for entry in sorted(top.iterdir()):
            if (entry.is_dir() and not entry.is_symlink() and not entry.name.startswith(".")
                    and entry.name not in (readers.PAGES_DIR, readers.STATIC_DIR)):
                found.setdefault(entry.name, entry.name)
    return list(found.items())


def field_keys() -> list[str]:
    """Every front matter key the CMS edits, in the order editors see them."""
    typed = [key for keys, _ in _BY_TYPE for key in keys]
    return [*_FIELDS, *(key for key in typed if key not in _FIELDS)]


def _field(key: str, timezone: str) -> dict[str, Any]:
    label, options = _FIELDS.get(key, (key.replace("_", " ").capitalize(), {}))
    if not options:
        options = {"widget": next(w for keys, w in _BY_TYPE if key in keys)}
    field: dict[str, Any] = {"label": label, "name": key, **options}
    if field["widget"] == "datetime":
        field.update(format=DATE_FORMAT, hint=f"In the site's time zone ({timezone}) when "
                     "your computer uses it; the file keeps the offset, so the moment is exact")
        if key == "date":
            field["default"] = "{{now}}"
    if field["widget"] == "list":
        field["allow_add"] = True
    field["required"] = key in _REQUIRED
    return field


def cms_config(config: Config, backend: dict[str, Any] | None = None) -> dict[str, Any]:
    """The Decap CMS configuration of the site, as data (config.yml is its YAML)."""
    zone = config.site.timezone

    def fields(page: bool) -> list[dict[str, Any]]:
        keys = [k for k in field_keys() if not (page and k in _NOT_ON_PAGES)]
        return [*(_field(k, zone) for k in keys),
                {"label": "Body", "name": "body", "widget": "markdown"}]

    def collection(name: str, label: str, folder: str, page: bool) -> dict[str, Any]:
        return {"name": name, "label": label, "folder": f"content/{folder}", "create": True,
                "extension": "md", "format": "yaml-frontmatter", "slug": "{{slug}}",
                "summary": "{{title}}", "fields": fields(page)}

    repo = config.deploy.repo or "OWNER/REPO"
    host_backend = "gitlab" if config.deploy.host == "gitlab" else "github"
    return {
        "backend": backend or {"name": host_backend, "repo": repo, "branch": "main"},
        # `npx decap-server` in the site's folder lets an editor try it on their machine.
        "local_backend": True,
        "site_url": config.site.base_url,
        "display_url": config.site.base_url,
        "media_folder": MEDIA_FOLDER,
        "public_folder": "/images",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [
            *(collection(slug, name, slug, False) for slug, name in sections(config)),
            collection(readers.PAGES_DIR, "Pages", readers.PAGES_DIR, True),
        ],
    }


def config_yaml(data: dict[str, Any]) -> str:
    header = ("# Decap CMS: the editors' app at /admin/. Written by sitegen from sitegen.toml\n"
              "# and the section folders; `sitegen admin` writes it again after a change.\n")
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def admin_files(config: Config) -> dict[str, str]:
    """Path relative to the site -> text of the editors' page and its configuration."""
    index = _INDEX.format(lang=html.escape(config.site.language),
                          title=html.escape(f"Redaksi · {config.site.title}"),
                          version=DECAP_VERSION, script=DECAP_SCRIPT, integrity=DECAP_INTEGRITY)
    return {f"{ADMIN_DIR}/index.html": index,
            f"{ADMIN_DIR}/config.yml": config_yaml(cms_config(config))}


def write_admin(config: Config) -> list[Path]:
    written = []
    for relative, text in admin_files(config).items():
        path = config.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
