"""Layer 6. Editors in a browser: a CMS configuration made from sitegen's own schema.

The editors' app at /admin/ is Sveltia CMS (`cms_app.py`), which reads Decap
CMS's configuration format: one YAML file. This module writes that file and the
page that loads the app, under `content/static/admin/`, so the built site serves
the editor at `/admin/`:

- the backend from `[cms]` of sitegen.toml: the repository, branch and how
  editors sign in (a personal access token, GitLab's PKCE sign-in, or an OAuth
  service such as Netlify's), and the editorial workflow (stories as pull
  requests) when asked for;
- one collection per section (the `[sections]` of sitegen.toml, then every other
  folder under `content/`), and one for the standalone pages;
- a field for every front matter key sitegen reads (`front_matter.py`), each with the
  widget its type needs: dates as date-and-time pickers that store the offset, so
  a time means the same moment in any browser; lists for authors, tags and
  aliases; an image picker for the hero, with its alt text, caption and credit;
- uploads into `content/static/images/`, which the site serves at `/images/`.

`sitegen admin` writes the files again; a key added by hand to config.yml's
`backend` is kept, and one that contradicts sitegen.toml is refused with a message.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from sitegen import cms_app, front_matter, messages, readers
from sitegen.config import Config
from sitegen.errors import Problem, SitegenError
from sitegen.messages import mark as N_

ADMIN_DIR = "content/static/admin"
MEDIA_FOLDER = "content/static/images"
DATE_FORMAT = "YYYY-MM-DDTHH:mm:ssZ"
"""moment.js notation: 2026-11-28T12:00:00+07:00, which sitegen reads with its offset."""

# key -> (label, widget options), in English; the labels and hints are translated into the
# site's language when the configuration is written (`_field`). Keys sitegen reads but this
# table does not name get a widget from their type (front_matter.STRING_KEYS, LIST_KEYS, ...).
_FIELDS: dict[str, tuple[str, dict[str, Any]]] = {
    "title": (N_("Title"), {"widget": "string"}),
    "date": (N_("Published"), {"widget": "datetime"}),
    "updated": (N_("Updated"), {"widget": "datetime"}),
    "expires": (N_("Expires"), {"widget": "datetime"}),
    "author": (N_("Author"), {"widget": "string",
                              "hint": N_("One name; for several, use Authors")}),
    "authors": (N_("Authors"), {"widget": "list", "hint": N_("Several names (instead of Author)")}),
    "tags": (N_("Tags"), {"widget": "list"}),
    "summary": (N_("Summary"), {"widget": "text", "hint": N_("The dek: one or two sentences")}),
    "image": (N_("Hero image"), {"widget": "image", "choose_url": False}),
    "image_alt": (N_("Hero image: alt text"), {
        "widget": "string", "hint": N_("What the image shows, for readers who cannot see it")}),
    "image_caption": (N_("Hero image: caption"), {"widget": "string"}),
    "image_credit": (N_("Hero image: credit"), {"widget": "string",
                                                "hint": N_("The photographer or agency")}),
    "image_copyright": (N_("Hero image: copyright holder"), {"widget": "string",
                                                             "hint": N_("e.g. the agency")}),
    "image_focus": (N_("Hero image: focal point"), {
        "widget": "string", "hint": N_("Where crops centre, e.g. 0.3,0.4")}),
    "location": (N_("Dateline"), {"widget": "string", "hint": N_("e.g. JAKARTA")}),
    "lang": (N_("Language"), {"widget": "string", "hint": N_(
        "Only when the article is not in the site's language, e.g. en")}),
    "featured": (N_("Editors' pick"), {"widget": "boolean", "default": False}),
    "draft": (N_("Draft"), {"widget": "boolean", "default": False,
                            "hint": N_("A draft stays off the published site")}),
    "slug": (N_("Slug"), {"widget": "string",
                          "hint": N_("The URL's last part; default: from the file name")}),
    "aliases": (N_("Old URLs"), {"widget": "list",
                                 "hint": N_("Each gets a redirect, e.g. /2017/01/lama.html")}),
    "translation_of": (N_("Translation of"), {"widget": "string", "hint": N_(
        "The original's file under content/, e.g. ekonomi/harga-cabai.md")}),
    "translation_key": (N_("Translation key"), {"widget": "string", "hint": N_(
        "The same key in each translation links them (instead of Translation of)")}),
    "edition": (N_("Edition"), {"widget": "string", "hint": N_(
        "Only for a file outside its edition's folder, e.g. en")}),
}
_BY_TYPE = ((front_matter.STRING_KEYS, "string"), (front_matter.LIST_KEYS, "list"),
            (front_matter.BOOL_KEYS, "boolean"), (front_matter.DATE_KEYS, "datetime"))
_REQUIRED = {"title", "date"}
# Pages are not news: no dates, bylines, tags, dateline or picks.
_NOT_ON_PAGES = {"date", "updated", "expires", "author", "authors", "tags", "location",
                 "featured"}


def sections(config: Config, edition: str = "") -> list[tuple[str, str]]:
    """(folder, display name) of every section of an edition (the default one: ''):
    sitegen.toml's first, then the folders under content/ (or content/<edition>/)."""
    edition_config = config.editions.get(edition)
    configured = edition_config.sections if edition_config else config.sections
    found = {slug: section.title or slug for slug, section in configured.items()}
    top = readers.content_dir(config) / edition
    # The default edition's folders are not its sections where they hold an edition.
    others = set() if edition else set(config.editions)
    if top.is_dir():
        for entry in sorted(top.iterdir()):
            if (entry.is_dir() and not entry.is_symlink() and not entry.name.startswith(".")
                    and entry.name not in (readers.PAGES_DIR, readers.STATIC_DIR, *others)):
                found.setdefault(entry.name, entry.name)
    return list(found.items())


def field_keys() -> list[str]:
    """Every front matter key the CMS edits, in the order editors see them."""
    typed = [key for keys, _ in _BY_TYPE for key in keys]
    return [*_FIELDS, *(key for key in typed if key not in _FIELDS)]


def _field(key: str, timezone: str, say: Callable[[str], str]) -> dict[str, Any]:
    label, options = _FIELDS.get(key, (key.replace("_", " ").capitalize(), {}))
    if not options:
        options = {"widget": next(w for keys, w in _BY_TYPE if key in keys)}
    field: dict[str, Any] = {"label": say(label), "name": key, **options}
    if "hint" in field:
        field["hint"] = say(field["hint"])
    if field["widget"] == "datetime":
        field.update(format=DATE_FORMAT, hint=say(N_(
            "In the site's time zone ({timezone}) when your computer uses it; the file keeps "
            "the offset, so the moment is exact")).format(timezone=timezone))
        if key == "date":
            field["default"] = "{{now}}"
    field["required"] = key in _REQUIRED
    return field


def cms_config(config: Config, backend: dict[str, Any] | None = None) -> dict[str, Any]:
    """The Decap CMS configuration of the site, as data (config.yml is its YAML)."""
    zone = config.site.timezone
    # Editors read the CMS in the site's language, whatever the language of the machine
    # that runs `sitegen admin`.
    say = messages.in_language(config.site.language).gettext

    def fields(page: bool) -> list[dict[str, Any]]:
        keys = [k for k in field_keys() if not (page and k in _NOT_ON_PAGES)]
        return [*(_field(k, zone, say) for k in keys),
                {"label": say(N_("Body")), "name": "body", "widget": "markdown"}]

    def collection(name: str, label: str, folder: str, page: bool) -> dict[str, Any]:
        return {"name": name, "label": label, "folder": f"content/{folder}", "create": True,
                "extension": "md", "format": "yaml-frontmatter", "slug": "{{slug}}",
                "summary": "{{title}}", "fields": fields(page)}

    data: dict[str, Any] = {"backend": backend or backend_config(config)}
    if config.cms.editorial_workflow:
        # Each story is a pull request (draft, in review, ready) until an editor
        # publishes it; the pipelines check every pull request with --strict.
        data["publish_mode"] = "editorial_workflow"
    return {
        **data,
        "site_url": config.site.base_url,
        "display_url": config.site.base_url,
        "media_folder": MEDIA_FOLDER,
        "public_folder": "/images",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [
            *(collection(slug, name, slug, False) for slug, name in sections(config)),
            collection(readers.PAGES_DIR, say(N_("Pages")), readers.PAGES_DIR, True),
            # Each other edition's sections and pages, in its folder (content/en/...).
            *(collection(f"{key}-{slug}", f"{name} ({edition.title or key})", f"{key}/{slug}",
                         False)
              for key, edition in config.editions.items()
              for slug, name in sections(config, key)),
            *(collection(f"{key}-{readers.PAGES_DIR}",
                         f"{say(N_('Pages'))} ({edition.title or key})",
                         f"{key}/{readers.PAGES_DIR}", True)
              for key, edition in config.editions.items()),
        ],
    }


def repository(config: Config) -> str:
    """`[cms] repo`, or the older `[deploy] repo`; empty while unset."""
    return config.cms.repo or config.deploy.repo


def backend_name(config: Config) -> str:
    return config.cms.backend or ("gitlab" if config.deploy.host == "gitlab" else "github")


def backend_config(config: Config) -> dict[str, Any]:
    """The `backend` table: where the CMS commits and how editors sign in."""
    cms = config.cms
    backend: dict[str, Any] = {"name": backend_name(config),
                               "repo": repository(config) or "OWNER/REPO",
                               "branch": cms.branch}
    if cms.auth_type == "pkce":
        backend.update(auth_type="pkce", app_id=cms.app_id)
    for key in ("base_url", "auth_endpoint", "api_root"):
        if getattr(cms, key):
            backend[key] = getattr(cms, key)
    return backend


def config_yaml(data: dict[str, Any]) -> str:
    header = ("# The editors' CMS at /admin/ (Sveltia CMS; Decap's format). Written by sitegen\n"
              "# from sitegen.toml and the section folders; `sitegen admin` writes it again\n"
              "# after a change, keeping keys added by hand to `backend`.\n")
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


# Backend keys that sitegen.toml's [cms] decides; any other key is the user's own.
_MANAGED = {"name", "repo", "branch", "auth_type", "app_id", "base_url", "auth_endpoint",
            "api_root"}


def _hand_edits(config: Config, backend: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The backend with keys added by hand to the existing config.yml kept. A hand-added
    key that [cms] decides is refused: sitegen.toml is where it must be written."""
    path = config.root / ADMIN_DIR / "config.yml"
    try:
        text = path.read_text(encoding="utf-8")
        loaded = yaml.safe_load(text)
    except (OSError, yaml.YAMLError):
        return backend, []
    old = loaded.get("backend") if isinstance(loaded, dict) else None
    if not isinstance(old, dict):
        return backend, []
    merged, notes, problems = dict(backend), [], []
    lines = text.splitlines()
    for key, value in old.items():
        if key in backend:
            continue  # sitegen.toml decides
        if key in _MANAGED:
            line = next((i for i, s in enumerate(lines, 1)
                         if s.strip().startswith(f"{key}:")), 0)
            problems.append(Problem(str(path), line, f"backend.{key} was added by hand, but "
                                    f"sitegen.toml decides it: write [cms] {key} = "
                                    f"{json.dumps(value)} in sitegen.toml (or delete this line) "
                                    "and run `sitegen admin` again; nothing was written"))
        else:
            merged[key] = value
            notes.append(f"kept backend.{key} of {ADMIN_DIR}/config.yml, added by hand")
    if problems:
        raise SitegenError(problems)
    return merged, notes


def admin_files(config: Config, backend: dict[str, Any] | None = None) -> dict[str, str]:
    """Path relative to the site -> text of the editors' page and its configuration."""
    files = {f"{ADMIN_DIR}/{name}": text
             for name, text in cms_app.page_files(config, bool(repository(config))).items()}
    files[f"{ADMIN_DIR}/config.yml"] = config_yaml(cms_config(config, backend))
    return files


def write_admin(config: Config) -> tuple[list[Path], list[str]]:
    """Write the admin files; return their paths and what to tell the user."""
    backend, notes = _hand_edits(config, backend_config(config))
    if not repository(config):
        notes.append("warning: the CMS has no repository yet, so editors cannot sign in: "
                     "add [cms] repo = \"OWNER/NAME\" to sitegen.toml and run `sitegen admin`")
    written = []
    for relative, text in admin_files(config, backend).items():
        path = config.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written, notes
