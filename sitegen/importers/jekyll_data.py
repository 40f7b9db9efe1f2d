"""A Jekyll site's settings beside its posts: `_data/` and `_config.yml` defaults."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import yaml

from sitegen.importers.confine import Confined
from sitegen.importers.report import Report


def load_yaml(path: Path, report: Report, shown: str) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except yaml.YAMLError as exc:
        line, reason = yaml_problem(exc)
        report.needs_person(shown, line, f"could not be read: invalid YAML ({reason})")
    except (UnicodeDecodeError, OSError) as exc:
        report.needs_person(shown, 0, f"could not be read: {exc}")
    return None

def yaml_problem(exc: yaml.YAMLError) -> tuple[int, str]:
    """(line, counted from 1, where the YAML went wrong; what went wrong), on one line."""
    mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
    reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return (mark.line + 1 if mark else 1), " ".join(str(reason).split())


def data_folder(folder: Path | None, report: Report, confined: Confined) -> dict[str, Any]:
    """`_data/` as Jekyll's `site.data`: folders nest, one key per file."""
    data: dict[str, Any] = {}
    if folder is None:
        return data
    for path in confined.files(folder):
        if path.is_symlink():
            continue
        shown = "_data/" + path.relative_to(folder).as_posix()
        suffix = path.suffix.lower()
        if suffix in {".yml", ".yaml"}:
            value = load_yaml(path, report, shown)
        elif suffix == ".json":
            try:
                value = json.loads(path.read_text(encoding="utf-8"))
            except (ValueError, OSError) as exc:
                report.needs_person(shown, 0, f"could not be read: {exc}")
                continue
        elif suffix in {".csv", ".tsv"}:
            with path.open(encoding="utf-8", newline="") as rows:
                value = list(csv.DictReader(rows, delimiter="\t" if suffix == ".tsv" else ","))
        else:
            continue
        target = data
        for part in path.relative_to(folder).parts[:-1]:
            target = target.setdefault(part, {})
        target[path.stem] = value
    return data


def defaults(settings: dict[str, Any], shown: str, is_post: bool) -> dict[str, Any]:
    """`defaults:` of _config.yml whose scope covers this file."""
    values: dict[str, Any] = {}
    for entry in settings.get("defaults") or []:
        if not isinstance(entry, dict) or not isinstance(entry.get("values"), dict):
            continue
        scope = entry.get("scope") or {}
        path = str(scope.get("path") or "")
        kind = scope.get("type")
        if (not path or shown.startswith(path.strip("/"))) and (
                not kind or kind == ("posts" if is_post else "pages") or
                (kind == "drafts" and "_drafts/" in shown)):
            values.update(entry["values"])
    return values
