"""The pipelines `init` writes: one bad file never holds back the news, the left-out file
cannot be missed, pull requests are strict, and the supply chain is pinned and least-privileged.

The workflows' own shell steps are run here with bash against the real `sitegen`; the
workflows are linted with zizmor (pinned commits, permissions, injection, secrets) and
check-jsonschema (GitHub's, GitLab's, Dependabot's and Renovate's schemas), offline.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from sitegen import ci_report, hosts
from sitegen.cli import main
from tests.conftest import REPO, article, missing_tool
from tests.test_hosts import WORKFLOW, init, lint, steps

GITHUB_HOSTS = ("github", "netlify", "cloudflare", "s3")
# zizmor's own default lets actions/* be pinned by tag; the pipelines pin every action
# by commit, and this makes the lint hold them to it.
ZIZMOR_CONFIG = 'rules:\n  unpinned-uses:\n    config:\n      policies:\n        "*": hash-pin\n'


def zizmor(workflow: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    tool = shutil.which("zizmor")
    if tool is None:
        missing_tool("zizmor is missing: pip install -e '.[test]'")
    config = tmp_path / "zizmor.yml"
    config.write_text(ZIZMOR_CONFIG, "utf-8")
    return subprocess.run([str(tool), "--offline", "--no-progress", "--persona", "auditor",
                           "--config", str(config), str(workflow)],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("host", GITHUB_HOSTS)
def test_each_workflow_passes_zizmor_with_every_action_pinned_by_commit(
        tmp_path: Path, host: str) -> None:
    site = init(tmp_path, host)
    result = zizmor(site / WORKFLOW, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    text = (site / WORKFLOW).read_text("utf-8")
    pins = re.findall(r"uses: ([\w/-]+?)(/restore)?@(\S+) # (v[\d.]+)\n", text)
    assert len(pins) == text.count("uses:") >= 4
    for action, _, commit, tag in pins:
        assert re.fullmatch(r"[0-9a-f]{40}", commit) and hosts.ACTIONS[action] == (commit, tag)
    assert lint(site / ".github/dependabot.yml", "vendor.dependabot").returncode == 0
    dependabot = yaml.safe_load((site / ".github/dependabot.yml").read_text("utf-8"))
    assert {u["package-ecosystem"] for u in dependabot["updates"]} == {"github-actions", "pip"}


def test_zizmor_catches_an_action_pinned_by_tag(tmp_path: Path) -> None:
    site = init(tmp_path, "github")
    path = site / WORKFLOW
    commit, tag = hosts.ACTIONS["actions/checkout"]
    path.write_text(path.read_text("utf-8").replace(f"@{commit} # {tag}", "@v6"), "utf-8")
    result = zizmor(path, tmp_path)
    assert result.returncode != 0 and "unpinned-uses" in result.stdout


@pytest.mark.parametrize("host", GITHUB_HOSTS)
def test_pull_requests_get_no_secret_no_id_token_and_never_save_a_cache(
        tmp_path: Path, host: str) -> None:
    workflow = yaml.safe_load((init(tmp_path, host) / WORKFLOW).read_text("utf-8"))
    assert workflow["permissions"] == {}
    check = workflow["jobs"]["check"]
    assert check["if"] == "github.event_name == 'pull_request'"
    assert check["permissions"] == {"contents": "read"} and "environment" not in check
    check_text = yaml.safe_dump(check)
    assert "secrets." not in check_text and "id-token" not in check_text
    cache_steps = [s["uses"] for s in check["steps"] if "actions/cache" in s.get("uses", "")]
    assert cache_steps and all(u.startswith("actions/cache/restore@") for u in cache_steps)
    checkout = next(s for s in check["steps"] if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["persist-credentials"] is False
    build = workflow["jobs"]["build"]
    assert build["if"] == "github.event_name != 'pull_request'"
    cache = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/cache@"))
    assert "${{ github.ref_name }}" in cache["with"]["key"]
    for name, job in workflow["jobs"].items():
        if job.get("permissions", {}).get("id-token") == "write":
            assert name != "check" and job.get("if", "") != "github.event_name == 'pull_request'"
    if host in ("netlify", "cloudflare"):
        assert build["permissions"] == {"contents": "read"}
        assert build["environment"] == "production"
    if host == "s3":
        assert build["permissions"] == {"contents": "read", "id-token": "write"}


def test_gitlab_merge_requests_only_pull_the_default_branchs_cache(tmp_path: Path) -> None:
    site = init(tmp_path, "gitlab")
    pipeline = yaml.safe_load((site / ".gitlab-ci.yml").read_text("utf-8"))
    check, pages = pipeline["check"], pipeline["pages"]
    assert check["cache"]["policy"] == "pull"
    assert check["cache"]["key"] == "sitegen-$CI_DEFAULT_BRANCH"
    assert pages["cache"]["key"] == "sitegen-$CI_COMMIT_REF_SLUG"
    assert pages.get("cache", {}).get("policy", "pull-push") == "pull-push"
    assert "--strict" in " ".join(check["script"]) and "--keep-going" in " ".join(pages["script"])
    assert pages["artifacts"]["reports"]["codequality"] == ci_report.CODE_QUALITY_FILE
    assert lint(site / "renovate.json", "vendor.renovate").returncode == 0


def sitegen_on_path(tmp_path: Path) -> dict[str, str]:
    """An environment whose `sitegen` is this checkout's, as the CI's pip install makes it."""
    folder = tmp_path / "bin"
    folder.mkdir(exist_ok=True)
    (folder / "sitegen").write_text(f'#!/bin/sh\nexec {sys.executable} -m sitegen "$@"\n',
                                    "utf-8")
    (folder / "sitegen").chmod(0o755)
    return {"PATH": f"{folder}:/usr/bin:/bin", "PYTHONPATH": str(REPO),
            "HOME": os.environ.get("HOME", str(tmp_path)), "LANG": "C.UTF-8"}


BAD = "---\ntitle: Rusak\ndate: 31 Februari 2026\n---\n\nIsi.\n"


def test_the_github_build_step_publishes_the_good_story_and_names_the_bad_file(
        tmp_path: Path) -> None:
    site = init(tmp_path, "github")
    (site / "content/berita/rusak.md").write_text(BAD, "utf-8")
    (site / "content/berita/banjir.md").write_text(
        article("Banjir Rob di Pesisir Utara", date="2026-11-20 09:00"), "utf-8")
    workflow = yaml.safe_load((site / WORKFLOW).read_text("utf-8"))
    script = next(s["run"] for s in steps(workflow, "build") if s.get("name") == "Build")
    summary, outputs = tmp_path / "summary.md", tmp_path / "outputs"
    env = {**sitegen_on_path(tmp_path), "BASE_URL": "",
           "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_OUTPUT": str(outputs)}
    done = subprocess.run(["bash", "-e", "-c", script], cwd=site, env=env, capture_output=True,
                          text=True, timeout=300)
    # Documented: 0 when the site was published, also with files left out.
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Banjir Rob di Pesisir Utara" in (site / "output/berita/banjir/index.html").read_text()
    assert not (site / "output/berita/rusak").exists()
    assert re.search(r"^::error file=content/berita/rusak\.md,line=3,title=Left out of the "
                     r"published site::.*date", done.stdout, re.MULTILINE), done.stdout
    text = summary.read_text("utf-8")
    assert "1 file(s) left out of the published site" in text
    assert "- `content/berita/rusak.md`" in text
    assert outputs.read_text("utf-8") == "skipped=1\n"
    # The step after publishing fails the run, so the left-out file cannot be missed.
    left_out = next(s for s in steps(workflow, "deploy") if s.get("name") == "Files left out")
    assert left_out["if"] == "needs.build.outputs.skipped != '0'"
    failed = subprocess.run(["bash", "-e", "-c", left_out["run"]], env={
        "PATH": "/usr/bin:/bin", "SKIPPED": "1"}, capture_output=True, text=True, timeout=60)
    assert failed.returncode == 1 and failed.stdout.startswith("::error title=Files left out::")


def test_the_pull_request_check_is_strict_and_annotates_the_problem(tmp_path: Path) -> None:
    site = init(tmp_path, "netlify")
    (site / "content/berita/salah.md").write_text(
        article("Salah Ketik", autor="Budi"), "utf-8")
    workflow = yaml.safe_load((site / WORKFLOW).read_text("utf-8"))
    script = next(s["run"] for s in steps(workflow, "check") if s.get("name") ==
                  "Build (strict)")
    summary = tmp_path / "summary.md"
    done = subprocess.run(["bash", "-e", "-c", script], cwd=site, env={
        **sitegen_on_path(tmp_path), "GITHUB_STEP_SUMMARY": str(summary)},
        capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stdout + done.stderr
    assert re.search(r"^::error file=content/berita/salah\.md,line=\d+,title=Build failed::"
                     r".*autor", done.stdout, re.MULTILINE), done.stdout
    assert "## The site was not built" in summary.read_text("utf-8")


def test_gitlab_marks_the_pipeline_failed_after_publishing_when_files_were_left_out(
        tmp_path: Path) -> None:
    site = init(tmp_path, "gitlab")
    pipeline = yaml.safe_load((site / ".gitlab-ci.yml").read_text("utf-8"))
    script = pipeline["left-out"]["script"][0]
    assert pipeline["left-out"]["needs"] == ["pages"]
    for files, status in ((["content/berita/rusak.md"], 1), ([], 0)):
        (site / "build-report.json").write_text(json.dumps({"skipped_files": files}), "utf-8")
        done = subprocess.run(["bash", "-c", script.replace("python ", f"{sys.executable} ", 1)],
                              cwd=site, capture_output=True, text=True, timeout=60)
        assert done.returncode == status, done.stderr
        assert all(name in done.stdout for name in files)


def test_the_gitlab_report_is_code_quality_json(tmp_path: Path) -> None:
    report = {"skipped_files": ["content/a, b.md"], "errors": [], "warnings": [
        {"path": "content/c.md", "line": 4, "message": "no alt text", "warning": True}],
        "skipped": [{"path": "content/a, b.md", "line": 2, "message": "bad date: x",
                     "warning": False}]}
    lines = ci_report.write_gitlab(report, tmp_path)
    issues = json.loads((tmp_path / ci_report.CODE_QUALITY_FILE).read_text("utf-8"))
    assert [(i["location"]["path"], i["location"]["lines"]["begin"], i["severity"])
            for i in issues] == [("content/a, b.md", 2, "blocker"), ("content/c.md", 4, "minor")]
    assert "- `content/a, b.md`" in lines
    # GitHub's workflow commands: a comma or colon in a property would end it.
    assert ci_report.github_lines(report)[0].startswith(
        "::error file=content/a%2C b.md,line=2,title=Left out of the published site::bad date")


@pytest.mark.parametrize(("host", "expected"), [
    ("github", 'Settings > Pages, set Source to "GitHub Actions"'),
    ("gitlab", "Build > Pipeline schedules"),
    ("netlify", "NETLIFY_AUTH_TOKEN"),
    ("cloudflare", "CLOUDFLARE_API_TOKEN"),
    ("s3", "AWS_ROLE_ARN"),
])
def test_init_ends_with_the_next_steps_for_its_host(tmp_path: Path, host: str,
                                                     expected: str) -> None:
    result = CliRunner().invoke(main, ["init", str(tmp_path / host), "--host", host,
                                       "--repo", "redaksi/kabar"])
    assert result.exit_code == 0, result.output
    steps_shown = result.output.split(f"Next steps for {host}:\n", 1)[1]
    assert expected in steps_shown and "redaksi/kabar" in steps_shown
    assert "Sign In" in steps_shown
    unset = CliRunner().invoke(main, ["init", str(tmp_path / f"{host}-2"), "--host", host])
    assert "repo = \"OWNER/NAME\" under [cms]" in unset.output
    assert "sitegen: warning: the CMS has no repository yet" in unset.output
    assert "warning" not in result.output
