"""`sitegen init --host github --shards N`: the workflow lints, and its own build steps,
run with bash in the order the jobs run (each shard, the artifacts carried to a fresh
checkout, the merge), publish what one build publishes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from sitegen import hosts
from sitegen.cli import main
from tests.conftest import article, read_tree
from tests.test_hosts import WORKFLOW, lint, steps
from tests.test_pipelines import BAD, sitegen_on_path, zizmor


def init_sharded(tmp_path: Path, count: int) -> Path:
    site = tmp_path / "site"
    result = CliRunner().invoke(main, ["init", str(site), "--host", "github",
                                       "--shards", str(count)])
    assert result.exit_code == 0, result.output
    return site


def step(workflow: dict, job: str, name: str) -> dict:
    return next(s for s in steps(workflow, job) if s.get("name") == name)


def bash(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-e", "-c", script], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


@pytest.mark.slow
def test_the_sharded_workflow_lints_and_its_steps_publish_what_one_build_does(
        tmp_path: Path) -> None:
    site = init_sharded(tmp_path, 2)
    path = site / WORKFLOW
    assert lint(path, "vendor.github-workflows").returncode == 0
    result = zizmor(path, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    workflow = yaml.safe_load(path.read_text("utf-8"))
    shard_job, merge_job = workflow["jobs"]["shard"], workflow["jobs"]["merge"]
    assert shard_job["strategy"]["matrix"]["shard"] == [1, 2]
    assert merge_job["needs"] == "shard" and workflow["jobs"]["deploy"]["needs"] == "merge"
    # Each shard keeps its own cache; nothing is cached or published from a pull request.
    restore = next(s for s in steps(workflow, "shard") if "cache/restore@" in s.get("uses", ""))
    assert "${{ matrix.shard }}" in restore["with"]["key"]
    assert "parts/shard-${{ matrix.shard }}" in restore["with"]["path"].splitlines()
    saves = [s for job in ("shard", "merge") for s in steps(workflow, job)
             if "cache/save@" in s.get("uses", "")]
    assert len(saves) == 2 and all(s["if"] == "github.event_name != 'pull_request'"
                                   for s in saves)
    assert workflow["jobs"]["deploy"]["if"] == "github.event_name != 'pull_request'"

    for number in range(5):
        (site / f"content/berita/kabar-{number}.md").write_text(article(
            f"Kabar Nomor {number}", date=f"2026-11-{10 + number} 09:00",
            author=["Rina", "Budi"][number % 2], tags=["Banjir", f"Topik {number % 3}"]),
            "utf-8")
    (site / "content/berita/rusak.md").write_text(BAD, "utf-8")
    checkout = tmp_path / "checkout"  # what a fresh job's checkout holds
    shutil.copytree(site, checkout)

    outputs = tmp_path / "outputs"
    env = {**sitegen_on_path(tmp_path), "BASE_URL": "", "MODE": "--keep-going",
           "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"), "GITHUB_OUTPUT": str(outputs)}
    build = step(workflow, "shard", "Build the shard")
    upload = next(s for s in steps(workflow, "shard") if "upload-artifact@" in s.get("uses", ""))
    merge_dir = tmp_path / "merge-job"
    shutil.copytree(checkout, merge_dir)
    for number in (1, 2):
        done = bash(build["run"], site, {**env, "SHARD": str(number)})
        assert done.returncode == 0, done.stdout + done.stderr
        # upload-artifact's paths, then download-artifact with merge-multiple into parts/:
        # the artifact's root is the paths' common folder, parts/.
        for line in upload["with"]["path"].splitlines():
            relative = Path(line.replace("${{ matrix.shard }}", str(number)))
            assert relative.parts[0] == "parts"
            source, target = site / relative, merge_dir / relative
            if source.is_dir():
                shutil.copytree(source, target)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)
    assert sorted(p.name for p in (merge_dir / "parts").iterdir()) == [
        "shard-1", "shard-2", "status-1", "status-2"]
    # Every shard reads every source, so each names the bad file it left out.
    assert [(merge_dir / f"parts/status-{n}").read_text().strip() for n in (1, 2)] == ["2", "2"]

    outputs.write_text("")
    merge = step(workflow, "merge", "Merge")
    done = bash(merge["run"], merge_dir, env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "skipped=shards" in outputs.read_text()

    single = bash("sitegen build -q --keep-going --no-cache --output single || test $? -eq 2",
                  checkout, env)
    assert single.returncode == 0, single.stdout + single.stderr
    merged = read_tree(merge_dir / "output")
    assert "berita/kabar-3/index.html" in merged and "index.html" in merged
    assert not any(name.startswith("berita/rusak") for name in merged)
    assert merged == read_tree(checkout / "single")


def test_init_shards_is_for_github_and_a_sensible_count(tmp_path: Path) -> None:
    for args, words in ((["--host", "netlify", "--shards", "2"], "--host github only"),
                        (["--shards", "1"], "from 2 to 256"),
                        (["--shards", "300"], "from 2 to 256")):
        result = subprocess.run([sys.executable, "-m", "sitegen", "init",
                                 str(tmp_path / "x"), *args], capture_output=True, text=True,
                                env={**os.environ, **sitegen_on_path(tmp_path)},
                                check=False)
        assert result.returncode == 1 and words in result.stderr, result.stderr
        assert "Traceback" not in result.stderr and not (tmp_path / "x").exists()
    assert hosts.ACTIONS["actions/upload-artifact"][1].startswith("v")
