"""`sitegen init --host`: each host's pipeline, linted offline, and the host files built."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from sitegen import hosts, scaffold
from sitegen.cli import main
from sitegen.errors import SitegenError
from tests.conftest import BASIC_CONFIG, REPO, article, build_site, make_site, missing_tool
from tests.test_serve import page, start_preview

WORKFLOW = ".github/workflows/deploy.yml"
EXPECTED_FILES = {
    "github": [WORKFLOW],
    "gitlab": [".gitlab-ci.yml"],
    "netlify": [WORKFLOW, "netlify.toml"],
    "cloudflare": [WORKFLOW, "wrangler.toml"],
    "s3": [WORKFLOW],
}


def init(tmp_path: Path, host: str) -> Path:
    target = tmp_path / host
    result = CliRunner().invoke(main, ["init", str(target), "--host", host])
    assert result.exit_code == 0, result.output
    return target


def lint(path: Path, schema: str) -> subprocess.CompletedProcess[str]:
    """check-jsonschema with the schema it carries (GitHub's and GitLab's), offline."""
    tool = shutil.which("check-jsonschema")
    if tool is None:
        missing_tool("check-jsonschema is missing: pip install -e '.[test]'")
    return subprocess.run([tool, "--builtin-schema", schema, str(path)], capture_output=True,
                          text=True, timeout=120)


def steps(workflow: dict, job: str) -> list[dict]:
    return workflow["jobs"][job]["steps"]


@pytest.mark.parametrize("host", hosts.HOSTS)
def test_each_host_gets_a_pipeline_that_parses_and_lints(tmp_path: Path, host: str) -> None:
    site = init(tmp_path, host)
    for relative in EXPECTED_FILES[host]:
        path = site / relative
        if path.suffix == ".toml":
            tomllib.loads(path.read_text("utf-8"))
            continue
        pipeline = yaml.safe_load(path.read_text("utf-8"))
        schema = "vendor.gitlab-ci" if host == "gitlab" else "vendor.github-workflows"
        result = lint(path, schema)
        assert result.returncode == 0, result.stdout + result.stderr
        text = path.read_text("utf-8")
        assert "--strict" in text and "--keep-going" in text
        if host == "gitlab":
            assert pipeline["default"]["timeout"] == f"{hosts.TIME_LIMIT_MINUTES} minutes"
            assert {".cache/pip", ".sitegen-cache", "public"} <= set(
                pipeline["pages"]["cache"]["paths"])
            assert pipeline["check"]["rules"] == [
                {"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
        else:
            assert all(job["timeout-minutes"] <= 30 for job in pipeline["jobs"].values())
    config = (site / "sitegen.toml").read_text("utf-8")
    assert f'host = "{host}"' in config
    assert CliRunner().invoke(main, ["build", "--source", str(site), "--jobs", "1"]).exit_code == 0


def test_the_lint_catches_a_broken_workflow(tmp_path: Path) -> None:
    site = init(tmp_path, "github")
    path = site / WORKFLOW
    path.write_text(path.read_text("utf-8").replace("runs-on:", "runs_on:"), "utf-8")
    assert lint(path, "vendor.github-workflows").returncode == 1


def test_the_github_workflow_keeps_the_caches_checks_pull_requests_and_runs_every_30_minutes(
        tmp_path: Path) -> None:
    workflow = yaml.safe_load((init(tmp_path, "github") / WORKFLOW).read_text("utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["schedule"] == [{"cron": "*/30 * * * *"}]
    assert "pull_request" in triggers and triggers["push"] == {"branches": ["main"]}
    build = steps(workflow, "build")
    uses = [s["uses"].split("@")[0] for s in build if "uses" in s]
    assert uses == ["actions/checkout", "actions/setup-python", "actions/cache",
                    "actions/configure-pages", "actions/upload-pages-artifact"]
    python = next(s for s in build if s.get("uses", "").startswith("actions/setup-python"))
    assert python["with"]["cache"] == "pip"
    cache = next(s for s in build if s.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["path"].split() == [".sitegen-cache", "output"]
    assert cache["with"]["restore-keys"] in cache["with"]["key"]
    names = [s.get("run", "") for s in build]
    assert names.index(hosts.INSTALL) < build.index(cache) < next(
        i for i, s in enumerate(build) if "sitegen build" in s.get("run", ""))
    # Pull requests are checked by their own job and never publish.
    assert workflow["jobs"]["build"]["if"] == "github.event_name != 'pull_request'"
    assert workflow["jobs"]["check"]["if"] == "github.event_name == 'pull_request'"
    assert workflow["jobs"]["deploy"]["needs"] == "build"
    assert steps(workflow, "deploy")[0]["uses"].startswith("actions/deploy-pages@")


def test_init_refuses_an_unknown_host(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["init", str(tmp_path / "x"), "--host", "vercel"])
    assert result.exit_code == 2 and "vercel" in result.output
    with pytest.raises(SitegenError, match="not one of github"):
        scaffold.init_site(tmp_path / "y", "vercel")


# --- the host files a build writes ---------------------------------------------------

ALIASED = {"content/ekonomi/harga.md": article("Harga", aliases=["/2017/01/harga-lama.html",
                                                                 "/lama/harga/"]),
           "content/pages/tentang.md": "---\ntitle: Tentang\naliases: [/about/]\n---\nIsi\n"}


def build_for(tmp_path: Path, host: str) -> Path:
    site = make_site(tmp_path / host, ALIASED, BASIC_CONFIG + f'\n[deploy]\nhost = "{host}"\n')
    build_site(site)
    return site / "output"


def test_netlify_gets_forced_301s_for_aliases_and_a_years_cache_for_fingerprinted_files(
        tmp_path: Path) -> None:
    out = build_for(tmp_path, "netlify")
    lines = [line for line in (out / "_redirects").read_text().splitlines()
             if not line.startswith("#")]
    assert lines == ["/2017/01/harga-lama.html /ekonomi/harga/ 301!",
                     "/lama/harga/ /ekonomi/harga/ 301!", "/about/ /tentang/ 301!"]
    assert not (out / "2017/01/harga-lama.html").exists(), "the 301 replaces the HTML page"
    css = next((out / "css").glob("style.*.css")).name
    assert (out / "_headers").read_text().split("\n")[1:3] == [
        f"/css/{css}", "  Cache-Control: public, max-age=31536000, immutable"]


def test_cloudflare_gitlab_s3_and_github_get_what_each_reads(tmp_path: Path) -> None:
    cloudflare = build_for(tmp_path, "cloudflare")
    assert "/lama/harga/ /ekonomi/harga/ 301\n" in (cloudflare / "_redirects").read_text()
    assert (cloudflare / "_headers").is_file()
    gitlab = build_for(tmp_path, "gitlab")
    assert "/about/ /tentang/ 301\n" in (gitlab / "_redirects").read_text()
    assert not (gitlab / "_headers").exists() and not (gitlab / "about/index.html").exists()
    # The S3 workflow sets each redirect on the HTML page's object, so the page stays.
    s3 = build_for(tmp_path, "s3")
    assert (s3 / "_redirects").is_file() and (s3 / "about/index.html").is_file()
    github = build_for(tmp_path, "github")
    assert not (github / "_redirects").exists() and not (github / "_headers").exists()
    assert 'http-equiv="refresh"' in (github / "lama/harga/index.html").read_text()


def test_a_path_with_spaces_or_other_scripts_is_encoded(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"content/ekonomi/a.md": article("A", aliases=["/köln lama/"])},
                     BASIC_CONFIG + '\n[deploy]\nhost = "cloudflare"\n')
    build_site(site)
    assert "/k%C3%B6ln%20lama/ /ekonomi/a/ 301" in (site / "output/_redirects").read_text()


def test_an_unknown_host_in_the_config_is_an_error_with_a_suggestion(tmp_path: Path) -> None:
    site = make_site(tmp_path, {}, BASIC_CONFIG + '\n[deploy]\nhost = "netlfy"\n')
    with pytest.raises(SitegenError) as caught:
        build_site(site)
    assert str(caught.value.problems[0]) == str(site / "sitegen.toml") + (
        ":7: deploy.host 'netlfy' is not one of github, gitlab, netlify, "
        "cloudflare, s3 (did you mean 'netlify'?)")


def test_a_restored_cache_makes_the_scheduled_build_incremental(tmp_path: Path) -> None:
    """What the pipelines rely on: a fresh checkout (new file times and inodes) with the
    saved `.sitegen-cache/` and `output/` parses only what changed, and with nothing
    changed renders and writes nothing."""
    files = {f"content/ekonomi/a{i}.md": article(f"Artikel {i}", date=f"2026-11-{i + 1:02d} 09:00")
             for i in range(12)}
    # A runner checks the repository out at the same path on every run.
    build_site(make_site(tmp_path / "site", files))
    saved = (tmp_path / "site").rename(tmp_path / "saved")
    second = make_site(tmp_path / "site", files)  # the next checkout: new files, same bytes
    for kept in (".sitegen-cache", "output"):  # what actions/cache restores
        shutil.copytree(saved / kept, second / kept)
    unchanged = build_site(second)
    assert unchanged.parsed == [] and unchanged.rendered == [] and unchanged.written == []
    (second / "content/ekonomi/baru.md").write_text(article("Baru", date="2026-11-27 09:00"))
    published = build_site(second)
    assert published.parsed == ["content/ekonomi/baru.md"]
    assert "ekonomi/baru/index.html" in published.written


@pytest.mark.parametrize("host", ["netlify", "cloudflare", "s3"])
def test_the_other_github_hosted_pipelines_keep_the_caches_and_publish_only_from_main(
        tmp_path: Path, host: str) -> None:
    workflow = yaml.safe_load((init(tmp_path, host) / WORKFLOW).read_text("utf-8"))
    build = steps(workflow, "build")
    cache = next(s for s in build if s.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["path"].split() == [".sitegen-cache", "output"]
    assert workflow[True]["schedule"] == [{"cron": "*/30 * * * *"}]
    publishing = [s for s in build if "Deploy" in s.get("name", "") or "Upload" in
                  s.get("name", "") or "aws-actions" in s.get("uses", "")]
    # Publishing happens only in the job that pull requests never run.
    assert publishing and workflow["jobs"]["build"]["if"] == (
        "github.event_name != 'pull_request'")
    assert not any("Deploy" in s.get("name", "") or "aws-actions" in s.get("uses", "")
                   for s in steps(workflow, "check"))


def test_the_s3_upload_script_sets_a_301_on_each_alias(tmp_path: Path) -> None:
    """The workflow's own shell script, run against a stand-in `aws` that logs its calls."""
    site = init(tmp_path, "s3")
    (site / "content/berita/lama.md").write_text(
        article("Lama", date="2026-11-01 09:00", aliases=["/lama/", "/köln/x.html"]), "utf-8")
    assert CliRunner().invoke(main, ["build", "--source", str(site), "--jobs", "1"]).exit_code == 0
    workflow = yaml.safe_load((site / WORKFLOW).read_text("utf-8"))
    script = next(s["run"] for s in steps(workflow, "build") if s.get("name") == "Upload to S3")
    fake = tmp_path / "bin"
    fake.mkdir()
    log = tmp_path / "aws.log"
    (fake / "aws").write_text(f'#!/bin/sh\nif [ "$2" = cp ] && [ ! -f "$3" ]; then exit 1; fi\n'
                              f'echo "$@" >> {log}\n', "utf-8")
    (fake / "aws").chmod(0o755)
    (fake / "python").symlink_to(sys.executable)
    env = {"PATH": f"{fake}:/usr/bin:/bin", "BUCKET": "situs"}
    done = subprocess.run(["bash", "-e", "-c", script], cwd=site, env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    calls = log.read_text("utf-8").splitlines()
    assert calls[0].startswith("s3 sync output/ s3://situs/ --exclude * --include *.??????????.css")
    assert "--delete" in calls[1] and "max-age=300" in calls[1]
    assert calls[2:] == [
        "s3 cp output/lama/index.html s3://situs/lama/index.html --website-redirect "
        "/berita/lama/ --cache-control public, max-age=300",
        "s3 cp output/köln/x.html s3://situs/köln/x.html --website-redirect "
        "/berita/lama/ --cache-control public, max-age=300"]


def test_the_github_build_step_passes_the_pages_address_only_when_there_is_one(
        tmp_path: Path) -> None:
    workflow = yaml.safe_load((init(tmp_path, "github") / WORKFLOW).read_text("utf-8"))
    script = next(s["run"] for s in steps(workflow, "build") if s.get("name") == "Build")
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "sitegen").write_text('#!/bin/sh\n[ "$1" = build ] && for a in "$@"; do '
                                  'echo "[$a]"; done; exit 0\n', "utf-8")
    (fake / "sitegen").chmod(0o755)
    shown = {}
    for base in ("https://u.github.io/repo", ""):
        done = subprocess.run(["bash", "-e", "-c", script], env={
            "PATH": f"{fake}:/usr/bin:/bin", "BASE_URL": base}, capture_output=True, text=True,
            timeout=60)
        assert done.returncode == 0, done.stderr
        shown[base] = done.stdout.split()
    build = ["[build]", "[--keep-going]", "[--report]", "[build-report.json]"]
    assert shown["https://u.github.io/repo"] == [*build, "[--base-url]",
                                                 "[https://u.github.io/repo/]"]
    assert shown[""] == build


def test_the_preview_keeps_redirect_pages_for_aliases_whatever_the_host(tmp_path: Path) -> None:
    site = make_site(tmp_path, ALIASED, BASIC_CONFIG + '\n[deploy]\nhost = "netlify"\n')
    preview = start_preview(site)
    try:
        assert 'http-equiv="refresh"' in page(preview, "/lama/harga/")
        assert not (preview.folder / "_redirects").exists()
    finally:
        preview.stop()


def test_init_that_cannot_write_reports_where_and_leaves_nothing(tmp_path: Path) -> None:
    (tmp_path / "berkas").write_text("not a folder")
    result = CliRunner().invoke(main, ["init", str(tmp_path / "berkas/situs")])
    assert result.exit_code == 1
    assert f"{tmp_path / 'berkas'}" in result.output and "cannot create the site" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["berkas"]
    assert "Traceback" not in result.output


def test_the_release_workflow_builds_both_and_publishes_with_trusted_publishing() -> None:
    path = REPO / ".github/workflows/release.yml"
    result = lint(path, "vendor.github-workflows")
    assert result.returncode == 0, result.stdout + result.stderr
    workflow = yaml.safe_load(path.read_text("utf-8"))
    assert workflow[True] == {"push": {"tags": ["v*"]}}
    runs = [s.get("run", "") for s in steps(workflow, "build")]
    assert "python -m build" in runs  # the sdist and the wheel
    publish = workflow["jobs"]["publish"]
    assert publish["permissions"] == {"id-token": "write"} and publish["environment"]["name"]
    assert steps(workflow, "publish")[-1]["uses"] == "pypa/gh-action-pypi-publish@release/v1"
