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
from pathlib import Path

from sitegen.config import Config
from sitegen.errors import Problem, SitegenError

SVELTIA_VERSION = "0.221.1"
SVELTIA_TARBALL = f"https://registry.npmjs.org/@sveltia/cms/-/cms-{SVELTIA_VERSION}.tgz"
# The npm registry's `dist.integrity` of the package: the tarball's SHA-512.
SVELTIA_TARBALL_INTEGRITY = ("sha512-J+Qoik9kGMk2L7vNpOQrnDmFRi+NB6vwJ0f657YtsxWH0P8WYSYRRSRC"
                             "2pQ/jGGbVlM//Pg/WIgmkpswqoo3gQ==")
# Subresource integrity of package/dist/sveltia-cms.js, checked again by the browser.
SVELTIA_SCRIPT_INTEGRITY = ("sha384-JQ+XsKx/UzwdTiNnFStza3XtqqQoVtyNPApkfvwlzZDfhe7giE9CnfQrpHq"
                            "gv3k6")
APP_FILE = "sveltia-cms.js"
CHECK_FILE = "cms-check.js"
_MEMBER = f"package/dist/{APP_FILE}"
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
                          version=SVELTIA_VERSION, app=APP_FILE, check=CHECK_FILE,
                          integrity=SVELTIA_SCRIPT_INTEGRITY, unset=unset,
                          missing_title=" / ".join(titles),
                          missing_text="</p>\n<p>".join(texts))
    return {"index.html": index, CHECK_FILE: _CHECK}


def _integrity(data: bytes, algorithm: str) -> str:
    return f"{algorithm}-" + base64.b64encode(hashlib.new(algorithm, data).digest()).decode()


def fetch(target: Path, tarball: Path | None = None, timeout: float = 60) -> Path:
    """Put sveltia-cms.js into the folder `target`, from the npm registry or `tarball` (an
    `npm pack` of the same version), after checking both hashes; return its path."""
    where = str(tarball) if tarball else SVELTIA_TARBALL
    try:
        if tarball:
            data = tarball.read_bytes()
        else:
            with urllib.request.urlopen(SVELTIA_TARBALL, timeout=timeout) as answer:
                data = answer.read(_LIMIT + 1)
    except OSError as exc:
        raise SitegenError([Problem(where, 0, f"cannot read the CMS app: {exc}")]) from None
    if len(data) > _LIMIT or _integrity(data, "sha512") != SVELTIA_TARBALL_INTEGRITY:
        raise SitegenError([Problem(where, 0, f"this is not @sveltia/cms {SVELTIA_VERSION} "
                                    "as published (its SHA-512 differs): nothing was written")])
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
            member = archive.extractfile(_MEMBER)
            script = member.read() if member else b""
    except (tarfile.TarError, KeyError, OSError) as exc:
        raise SitegenError([Problem(where, 0, f"cannot read {_MEMBER}: {exc}")]) from None
    if _integrity(script, "sha384") != SVELTIA_SCRIPT_INTEGRITY:
        raise SitegenError([Problem(where, 0, f"{_MEMBER} differs from the pinned one: "
                                    "nothing was written")])
    target.mkdir(parents=True, exist_ok=True)
    path = target / APP_FILE
    path.write_bytes(script)
    return path
