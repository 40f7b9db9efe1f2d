"""Layer 6. The editors' app at /admin/: Sveltia CMS, served from the site itself.

Sveltia CMS reads Decap CMS's `config.yml` and, unlike Decap, signs editors in
with no server of ours: with a GitHub or GitLab personal access token, with
GitLab's own OAuth PKCE flow, or through the host's OAuth service (Netlify's).
The app is one JavaScript file from the npm package `@sveltia/cms`; `sitegen
fetch-cms` (a step of every deploy pipeline) downloads that exact package,
checks its SHA-512 against the one pinned here, and puts the file beside
`index.html`, so the page loads nothing from another host. `index.html` also
pins the file's SHA-384 (subresource integrity) and shows a message, in the
site's language and English, when the app is missing or does not load.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import tarfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from sitegen import themes
from sitegen.config import Config
from sitegen.errors import Problem, SitegenError

SVELTIA_VERSION = "0.221.1"
_NPM = "https://registry.npmjs.org"


@dataclass(frozen=True)
class Package:
    """One npm package the app is taken from, and the file used from it."""

    name: str
    version: str
    integrity: str
    """The registry's `dist.integrity`: the tarball's SHA-512."""
    member: str
    """The file used, inside the tarball."""
    replaces: str = ""
    """For a font: the CDN address the app would load it from instead."""

    @property
    def tarball(self) -> str:
        """What `npm pack NAME@VERSION` names it (and the registry's file name)."""
        return f"{self.name.lstrip('@').replace('/', '-')}-{self.version}.tgz"

    @property
    def url(self) -> str:
        return f"{_NPM}/{self.name}/-/{self.name.rsplit('/', 1)[-1]}-{self.version}.tgz"


SVELTIA = Package("@sveltia/cms", SVELTIA_VERSION,
                  "sha512-J+Qoik9kGMk2L7vNpOQrnDmFRi+NB6vwJ0f657YtsxWH0P8WYSYRRSRC2pQ/jGGbVlM//"
                  "Pg/WIgmkpswqoo3gQ==", "package/dist/sveltia-cms.js")
_FONTS_CDN = "https://cdn.jsdelivr.net/fontsource/fonts/"
# The app's three fonts, which it would load from a CDN: from their npm packages instead.
FONTS = (
    Package("@fontsource-variable/source-sans-3", "5.3.0",
            "sha512-dpi0GZk7EQe2tYpg6Q0Fx0OmUgnuGu+0rHPgtXqtKhglYmJuP7jZ12Mu1uN+NfRaJRY1Emn8AQJE"
            "WzmoZ4wa9g==",
            "package/files/source-sans-3-latin-wght-normal.woff2",
            f"{_FONTS_CDN}source-sans-3:vf@5.3.0/latin-wght-normal.woff2"),
    Package("@fontsource/noto-mono", "5.3.0",
            "sha512-QZieY3OyKEImCXg3HRiF6p6/H0GXX94uEb53ayLyQgCTB20LdkvsyJIgigo6lAGmVw3WEs40DdG5"
            "KTqpxfwgGg==", "package/files/noto-mono-latin-400-normal.woff2",
            f"{_FONTS_CDN}noto-mono@5.3.0/latin-400-normal.woff2"),
    Package("@fontsource-variable/material-symbols-outlined", "5.3.7",
            "sha512-d6kLamaMdad40AYoyJEBgCH63fRLklC7GW7bgb7WWbPh/UzuW483Dlyfmn3vxpiNsHLIMBOcYYkZ"
            "DtOC9Y3MUA==", "package/files/material-symbols-outlined-latin-wght-normal.woff2",
            f"{_FONTS_CDN}material-symbols-outlined:vf@5.3.7/latin-wght-normal.woff2"),
)
FONTS_DIR = "fonts"
# What else the app would ask other hosts for before anyone signs in: whether a newer
# Sveltia is out (unpkg) and GitHub's or GitLab's status page. Pointed at this folder, where
# nothing answers (404), which the app takes as "no news".
_UNASKED = {"https://unpkg.com/@sveltia/cms": "./sveltia-cms-not-here",
            "https://www.githubstatus.com/api/v2/status.json": "./github-status-not-here.json",
            "https://status-api.hostedstatus.com/1.0/status/5b36dc6502d06804c08349f7":
                "./gitlab-status-not-here.json"}
# package/dist/sveltia-cms.js as published (its SHA-384), and as served once the
# addresses above point into this folder: its SHA-384 (subresource integrity, checked
# by the browser) and SHA-256, which also names it in the output (the build
# fingerprints every JS file, and index.html is static, so it names the output file).
SVELTIA_PUBLISHED_INTEGRITY = ("sha384-JQ+XsKx/UzwdTiNnFStza3XtqqQoVtyNPApkfvwlzZDfhe7giE9Cn"
                               "fQrpHqgv3k6")
SVELTIA_SCRIPT_INTEGRITY = ("sha384-5opbVG3JXqe8G2r96EVDNXYJUdPZo24HTKUZBhBmjrrRMueMR7VN3"
                            "OglQNv2Xb6x")
SVELTIA_SCRIPT_SHA256 = "75538ba2db8262c885d55bed77d5d748dfc79eef92baae1a14619b28c1c6c07e"
APP_FILE = "sveltia-cms.js"
CHECK_FILE = "cms-check.js"
_LIMIT = 64 * 1024 * 1024

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
<!-- Sveltia CMS {version}, served from this folder (`sitegen fetch-cms` puts it here);
     it reads config.yml beside this page. Written by sitegen. -->
{unset}<div id="sitegen-cms-missing" role="alert" hidden>
<h1>{missing_title}</h1>
<p>{missing_text}</p>
</div>
<script src="{app}" integrity="{integrity}"></script>
<script src="{check}"></script>
</body>
</html>
"""

_CHECK = """\
// Written by sitegen: a visible message when sveltia-cms.js is missing, blocked or
// altered (its integrity hash did not match), instead of a blank page.
if (!window.CMS) {
  document.getElementById("sitegen-cms-missing").hidden = false;
}
"""

_MISSING = {
    "id": ("Aplikasi redaksi tidak termuat",
           "Berkas sveltia-cms.js tidak ada di folder ini atau isinya berubah. Pipeline "
           "deploy menaruhnya dengan <code>sitegen fetch-cms</code>; di komputer Anda, "
           "jalankan <code>sitegen fetch-cms</code> sekali lalu muat ulang halaman ini."),
    "en": ("The editors' app did not load",
           "sveltia-cms.js is missing from this folder or was altered. The deploy pipeline "
           "puts it here with <code>sitegen fetch-cms</code>; on your computer, run "
           "<code>sitegen fetch-cms</code> once and reload this page."),
}
_UNSET = {
    "id": "Repositori untuk CMS belum diisi: tulis [cms] repo di sitegen.toml, lalu "
          "jalankan <code>sitegen admin</code>.",
    "en": "The CMS's repository is not set: add [cms] repo to sitegen.toml and run "
          "<code>sitegen admin</code>.",
}


def _both(table: dict[str, str], language: str) -> list[str]:
    """The site's language first (when sitegen has it), then English."""
    first = language.split("-")[0].lower()
    return [table[first], table["en"]] if first in table and first != "en" else [table["en"]]


def page_files(config: Config, repo_set: bool) -> dict[str, str]:
    """`index.html` and the check script, relative to the admin folder."""
    titles = [_MISSING[k][0] for k in ("id", "en")] if config.site.language.startswith("id") \
        else [_MISSING["en"][0]]
    texts = _both({k: v[1] for k, v in _MISSING.items()}, config.site.language)
    unset = "" if repo_set else "".join(
        f'<p role="alert">{line}</p>\n' for line in _both(_UNSET, config.site.language))
    index = _INDEX.format(lang=html.escape(config.site.language),
                          title=html.escape(f"Redaksi · {config.site.title}"),
                          version=SVELTIA_VERSION,
                          app=f"sveltia-cms.{SVELTIA_SCRIPT_SHA256[:10]}.js",
                          check=themes.fingerprinted_name(CHECK_FILE, _CHECK.encode()),
                          integrity=SVELTIA_SCRIPT_INTEGRITY, unset=unset,
                          missing_title=" / ".join(titles),
                          missing_text="</p>\n<p>".join(texts))
    return {"index.html": index, CHECK_FILE: _CHECK}


def _integrity(data: bytes, algorithm: str) -> str:
    return f"{algorithm}-" + base64.b64encode(hashlib.new(algorithm, data).digest()).decode()


def _read(package: Package, folder: Path | None, timeout: float) -> bytes:
    """The package's tarball from `folder` (`npm pack` files) or the registry, checked."""
    where = str(folder / package.tarball) if folder else package.url
    try:
        if folder:
            data = (folder / package.tarball).read_bytes()
        else:
            with urllib.request.urlopen(package.url, timeout=timeout) as answer:
                data = answer.read(_LIMIT + 1)
    except OSError as exc:
        raise SitegenError([Problem(where, 0, f"cannot read {package.name}: {exc}")]) from None
    if len(data) > _LIMIT or _integrity(data, "sha512") != package.integrity:
        raise SitegenError([Problem(where, 0, f"this is not {package.name} {package.version} "
                                    "as published (its SHA-512 differs): nothing was written")])
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
            member = archive.extractfile(package.member)
            return member.read() if member else b""
    except (tarfile.TarError, KeyError, OSError) as exc:
        raise SitegenError([Problem(where, 0, f"cannot read {package.member}: {exc}")]) from None


def fetch(target: Path, folder: Path | None = None, timeout: float = 120) -> Path:
    """Put sveltia-cms.js and its fonts into the folder `target`, from the npm registry or
    from `folder` (`npm pack` tarballs of the same versions), every hash checked; return
    the app's path."""
    script = _read(SVELTIA, folder, timeout)
    if _integrity(script, "sha384") != SVELTIA_PUBLISHED_INTEGRITY:
        raise SitegenError([Problem(SVELTIA.url, 0, f"{SVELTIA.member} differs from the "
                                    "pinned one: nothing was written")])
    fonts = {package: _read(package, folder, timeout) for package in FONTS}
    text = script.decode("utf-8")
    for package in FONTS:
        text = text.replace(package.replaces, f"{FONTS_DIR}/{Path(package.member).name}")
    for address, local in _UNASKED.items():
        text = text.replace(address, local)
    served = text.encode("utf-8")
    if (_integrity(served, "sha384") != SVELTIA_SCRIPT_INTEGRITY
            or hashlib.sha256(served).hexdigest() != SVELTIA_SCRIPT_SHA256):
        raise SitegenError([Problem(SVELTIA.url, 0, "the app's addresses did not change as "
                                    "expected: nothing was written")])
    (target / FONTS_DIR).mkdir(parents=True, exist_ok=True)
    for package, data in fonts.items():
        (target / FONTS_DIR / Path(package.member).name).write_bytes(data)
    path = target / APP_FILE
    path.write_bytes(served)
    return path
