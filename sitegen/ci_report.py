"""Layer 1. A build's `--report` JSON, shown where a CI run's readers look.

On the main branch the pipelines `init` writes build with `--keep-going`: every
good story is published and a file with a problem is left out. That must be
impossible to miss, so this turns the report into what each CI shows on the
run's own page, not deep in a log:

- GitHub Actions: one `::error file=…,line=…::` annotation per problem (shown on
  the run, the commit and the pull request, at the file's line) and a Markdown
  table in the job summary (`$GITHUB_STEP_SUMMARY`); `skipped=N` in
  `$GITHUB_OUTPUT`, so a later step or job can fail the run after publishing.
- GitLab CI: a Code Quality report (`gl-code-quality-report.json`, shown in
  the merge request and the pipeline) and the same table in the job log.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from sitegen.errors import Problem, SitegenError

CODE_QUALITY_FILE = "gl-code-quality-report.json"


def read_report(path: Path, status: int = 0) -> dict[str, Any]:
    """The report `sitegen build --report` wrote, with the build's exit `status`; a build
    that crashed wrote none."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SitegenError([Problem(str(path), 0, "no build report here: the build stopped "
                                    "before writing it (see the messages above)")]) from None
    except (OSError, ValueError) as exc:
        raise SitegenError([Problem(str(path), 0, f"cannot read the build report: {exc}")]) \
            from None
    if not isinstance(data, dict):
        raise SitegenError([Problem(str(path), 0, "not a sitegen build report")])
    return {**data, "status": status}


def _failed(report: dict[str, Any]) -> bool:
    """Nothing was built: the build stopped (with --strict, a warning stops it too)."""
    return bool(report.get("errors")) or report.get("status") == 1


def _entries(report: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(kind, entry) for every problem: 'left out', 'error' (nothing built) or 'warning'."""
    found = [("left out", e) for e in report.get("skipped", [])]
    found += [("error", e) for e in report.get("errors", [])]
    warning = "error" if _failed(report) else "warning"
    found += [(warning, e) for e in report.get("warnings", [])]
    return [(kind, e) for kind, e in found if isinstance(e, dict)]


def _data(text: str) -> str:
    """GitHub's escaping of a workflow command's message."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    """GitHub's escaping of a workflow command's property value (file=, title=)."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def github_lines(report: dict[str, Any]) -> list[str]:
    """The annotations: an error for a file left out or a failed build, else a warning."""
    lines = []
    for kind, entry in _entries(report):
        command = "warning" if kind == "warning" else "error"
        where = f"file={_property(str(entry.get('path', '')))}"
        if entry.get("line"):
            where += f",line={int(entry['line'])}"
        title = {"left out": "Left out of the published site", "error": "Build failed",
                 "warning": "Published with a warning"}[kind]
        lines.append(f"::{command} {where},title={_property(title)}::"
                     f"{_data(str(entry.get('message', '')))}")
    return lines


def summary_markdown(report: dict[str, Any]) -> str:
    """The job summary: what was left out first, in words an editor reads."""
    entries = _entries(report)
    left_out = report.get("skipped_files", [])
    if _failed(report):
        head = "## The site was not built\n\nFix the problems below; nothing was published.\n"
    elif left_out:
        head = (f"## {len(left_out)} file(s) left out of the published site\n\n"
                "Every other story was published. Fix these files and push again:\n\n"
                + "".join(f"- `{name}`\n" for name in left_out))
    else:
        head = "## Every file was published\n"
    if not entries:
        return head
    rows = "".join(f"| {kind} | `{_cell(str(e.get('path', '')))}` | {e.get('line') or ''} | "
                   f"{_cell(str(e.get('message', '')))} |\n" for kind, e in entries)
    return head + "\n| | file | line | problem |\n|---|---|---|---|\n" + rows


def write_github(report: dict[str, Any], environ: dict[str, str] | None = None) -> list[str]:
    """Append the summary and the output `skipped`; return the annotation lines to print."""
    environ = dict(os.environ) if environ is None else environ
    if environ.get("GITHUB_STEP_SUMMARY"):
        with open(environ["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as summary:
            summary.write(summary_markdown(report) + "\n")
    if environ.get("GITHUB_OUTPUT"):
        with open(environ["GITHUB_OUTPUT"], "a", encoding="utf-8") as output:
            output.write(f"skipped={len(report.get('skipped_files', []))}\n")
    return github_lines(report)


def code_quality(report: dict[str, Any]) -> list[dict[str, Any]]:
    """GitLab's Code Quality format (a subset of Code Climate's), one issue per problem."""
    issues = []
    for kind, entry in _entries(report):
        path, line = str(entry.get("path", "")), int(entry.get("line") or 1)
        message = f"{kind}: {entry.get('message', '')}"
        issues.append({
            "description": message, "check_name": f"sitegen {kind}",
            "fingerprint": hashlib.sha256(f"{path}:{line}:{message}".encode()).hexdigest(),
            "severity": "minor" if kind == "warning" else "blocker",
            "location": {"path": path, "lines": {"begin": line}},
        })
    return issues


def write_gitlab(report: dict[str, Any], folder: Path) -> list[str]:
    """Write the Code Quality report into `folder`; return the job log's lines."""
    (folder / CODE_QUALITY_FILE).write_text(json.dumps(code_quality(report), indent=1) + "\n",
                                            encoding="utf-8")
    return summary_markdown(report).splitlines()
