"""Layer 6. The sitegen a new site's CI installs: the very one that ran `init`.

pip records where it installed a distribution from (PEP 610's
`direct_url.json` in the distribution's metadata), so `init` can pin the
sitegen that runs it in a form the site's CI can install:

- installed from a package index (no `direct_url.json`): `sitegen-news==X.Y.Z`;
- installed from version control: the repository's URL at the exact commit;
- installed from a wheel, a folder or a checkout (editable): the wheel itself,
  copied (or built) into the site's `.sitegen/wheels/`, named by a `file:` URL
  with its SHA-256 (which pip checks), because no index has that build. The user
  commits the folder.

Beside it, `.sitegen/requirements.txt` pins sitegen's own dependencies at the
versions `init` ran with (a constraints file: `pip install -r requirements.txt -c
.sitegen/requirements.txt`), for Dependabot or Renovate to move.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sitegen.errors import Problem, SitegenError

WHEELS_DIR = ".sitegen/wheels"
DEPENDENCIES = ".sitegen/requirements.txt"


@dataclass(frozen=True)
class Pin:
    requirement: str
    """The line of requirements.txt, hash included where there is one."""
    why: str
    """The comment above it: where this sitegen comes from and why so."""
    wheel: Path | None = None
    """A wheel to copy into the site's WHEELS_DIR."""


def distribution() -> importlib.metadata.Distribution:
    """The installed distribution that provides the `sitegen` command."""
    for entry in importlib.metadata.entry_points(group="console_scripts", name="sitegen"):
        if entry.value.startswith("sitegen.") and entry.dist is not None:
            return entry.dist
    raise SitegenError([Problem("requirements.txt", 0, "sitegen is not installed as a package, "
                                "so its name and version are unknown: install it with pip "
                                "(README, \"Installing sitegen\") and run init again")])


def pin(dist: importlib.metadata.Distribution) -> Pin:
    """How the site's CI installs exactly `dist`."""
    name, version = dist.metadata["Name"], dist.version
    text = dist.read_text("direct_url.json")
    if not text:
        return Pin(f"{name}=={version}", f"sitegen {version}, the release that wrote this site, "
                   "from the package index it was installed from.")
    direct = json.loads(text)
    url = direct.get("url", "")
    subdirectory = direct.get("subdirectory")
    vcs = direct.get("vcs_info")
    if vcs and vcs.get("commit_id"):
        fragment = f"#subdirectory={subdirectory}" if subdirectory else ""
        return Pin(f"{name} @ {vcs['vcs']}+{url}@{vcs['commit_id']}{fragment}",
                   f"sitegen {version} from its {vcs['vcs']} repository at the commit that "
                   "wrote this site (no package index has it); the commit ID fixes its content.")
    path = Path(unquote(urlsplit(url).path)) if url.startswith("file:") else None
    if path and path.is_file() and path.suffix == ".whl":
        return _wheel_pin(name, version, path, "the wheel it was installed from")
    if path and path.is_dir():
        return _wheel_pin(name, version, _built_wheel(str(path / (subdirectory or ""))),
                          "a wheel built from the folder it was installed from "
                          f"({path})")
    raise SitegenError([Problem("requirements.txt", 0, f"sitegen {version} was installed from "
                                f"{url or 'an unknown place'}, which the site's CI cannot "
                                "reach: install sitegen from its wheel or its git URL "
                                "(README, \"Installing sitegen\") and run init again")])


def _wheel_pin(name: str, version: str, wheel: Path, source: str) -> Pin:
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    # The hash in the URL is checked by pip without turning on its hash-checking mode,
    # which would demand a hash for every dependency too; ${PWD} is the folder pip runs
    # in (pip expands it), the site's.
    return Pin(f"{name} @ file://${{PWD}}/{WHEELS_DIR}/{wheel.name}#sha256={digest}",
               f"sitegen {version} ({name}): {source}, kept in {WHEELS_DIR}/ because no package "
               "index has this build. Commit that folder; pip checks the wheel against the hash. "
               "Run pip in the site's folder.", wheel)


@functools.lru_cache(maxsize=4)
def _built_wheel(folder: str) -> Path:
    """A wheel of the source folder (a checkout installed with `pip install -e`), built
    once per process: every init from one checkout pins the same bytes."""
    target = Path(tempfile.mkdtemp(prefix="sitegen-wheel-"))
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet",
                           "--disable-pip-version-check", "-w", str(target), folder],
                          capture_output=True, text=True, timeout=600)
    wheels = sorted(target.glob("*.whl"))
    if done.returncode != 0 or not wheels:
        last = (done.stderr.strip().splitlines() or ["no wheel was made"])[-1]
        raise SitegenError([Problem(folder, 0, f"cannot build a wheel of this sitegen for the "
                                    f"new site ({last}): install sitegen from a wheel or its "
                                    "git URL and run init again")])
    return wheels[0]


def dependency_lines(dist: importlib.metadata.Distribution) -> list[str]:
    """`name==version` of each dependency sitegen needs (no extras), as installed now."""
    lines = []
    for requirement in dist.requires or []:
        spec, _, marker = requirement.partition(";")
        if "extra" in marker:
            continue
        # A marker (python_version < "3.12") stays, so pip decides as it would have.
        suffix = f"; {marker.strip()}" if marker.strip() else ""
        match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?", spec)
        if not match:
            continue
        try:
            installed = importlib.metadata.version(match[1])
        except importlib.metadata.PackageNotFoundError:
            lines.append(spec.strip() + suffix)
            continue
        # (No extras: this is a constraints file, and pip refuses extras there.)
        lines.append(f"{match[1]}=={installed}{suffix}")
    return sorted(lines, key=str.lower)


def requirements_text(found: Pin) -> str:
    why = "\n".join(f"# {line}" for line in _wrap(found.why))
    return (f"{why}\n# The CI adds `-c {DEPENDENCIES}`: sitegen's dependencies at the versions "
            f"init ran with.\n{found.requirement}\n")


def _wrap(text: str, width: int = 86) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line]


def site_files(root: Path) -> dict[str, str]:
    """Write the wheel (if any) into `root` and return the text files that pin sitegen."""
    dist = distribution()
    found = pin(dist)
    if found.wheel is not None:
        (root / WHEELS_DIR).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(found.wheel, root / WHEELS_DIR / found.wheel.name)
    dependencies = ("# sitegen's dependencies at the versions `sitegen init` ran with.\n"
                    + "".join(f"{line}\n" for line in dependency_lines(dist)))
    return {"requirements.txt": requirements_text(found), DEPENDENCIES: dependencies}
