"""Installation as a user does it: fresh virtual environments, the README's command, a wheel."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO

pytestmark = pytest.mark.slow


def fresh_venv(where: Path) -> Path:
    venv.EnvBuilder(with_pip=True, clear=True).create(where)
    return where / "bin"


def run(command: str, cwd: Path, bin_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
           "VIRTUAL_ENV": str(bin_dir.parent), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    env.pop("PYTHONPATH", None)
    result = subprocess.run(command, shell=True, cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=900)
    assert result.returncode == 0, f"{command}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def checkout_copy(target: Path) -> Path:
    """The files git tracks (as a clean clone would have them), plus this session's edits."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=REPO, capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = REPO / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def readme_command(kind: str) -> str:
    blocks = re.findall(r"```sh\n(.*?)\n```", (REPO / "README.md").read_text(encoding="utf-8"))
    return next(b for b in blocks if kind in b)


def test_readme_first_command_builds_the_sample_site(tmp_path: Path) -> None:
    checkout = checkout_copy(tmp_path / "checkout")
    bin_dir = fresh_venv(tmp_path / "venv")
    command = readme_command("sitegen build")
    assert command == "pip install -e . && sitegen build"
    run(command, checkout, bin_dir)
    out = checkout / "output"
    seed = (out / "ekonomi/jack-ma-tawarkan-alibaba-bantu-pebisnis-as/index.html").read_text()
    assert "Alibaba akan menciptakan 1 juta pekerjaan di AS" in seed
    assert "Business Insider" in seed
    for page in ("index.html", "ekonomi/index.html", "tag/alibaba/index.html",
                 "penulis/andreas-wicaksono/index.html"):
        assert (out / page).is_file()


def test_wheel_installed_outside_the_checkout_can_init_and_build(tmp_path: Path) -> None:
    checkout = checkout_copy(tmp_path / "checkout")
    run(f"{sys.executable} -m pip wheel --no-deps -w {tmp_path / 'dist'} .", checkout,
        Path(sys.executable).parent)
    wheel = next((tmp_path / "dist").glob("sitegen_news-*.whl"))
    bin_dir = fresh_venv(tmp_path / "venv")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    run(f"pip install {wheel}", elsewhere, bin_dir)
    run("sitegen init situs-baru", elsewhere, bin_dir)
    result = run("sitegen build --source situs-baru", elsewhere, bin_dir)
    assert "written" in result.stdout
    site = elsewhere / "situs-baru"
    assert "Selamat Datang" in (site / "output/index.html").read_text()
    css = list((site / "output/css").glob("style.*.css"))
    assert css, "the default theme's static files come from inside the wheel"
    shown = run("python -c 'import sitegen.themes as t; print(t.BUILTIN_THEMES)'", elsewhere,
                bin_dir).stdout
    assert str(tmp_path / "venv") in shown


def test_the_wheel_inits_a_site_for_every_host_that_installs_this_very_sitegen(
        tmp_path: Path) -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]
    version = re.search(r'__version__ = "(.+)"', (REPO / "sitegen/__init__.py").read_text())[1]
    assert project["name"] != "sitegen", "the name `sitegen` on PyPI is another project's"
    checkout = checkout_copy(tmp_path / "checkout")
    run(f"{sys.executable} -m pip wheel --no-deps -w {tmp_path / 'dist'} .", checkout,
        Path(sys.executable).parent)
    wheel = next((tmp_path / "dist").glob("*.whl"))
    bin_dir = fresh_venv(tmp_path / "venv")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    run(f"pip install {wheel}", elsewhere, bin_dir)
    for host in ("github", "gitlab", "netlify", "cloudflare", "s3"):
        run(f"sitegen init --host {host} {host}", elsewhere, bin_dir)
        site = elsewhere / host
        wanted = [line for line in (site / "requirements.txt").read_text().splitlines()
                  if line and not line.startswith("#")]
        assert wanted == [f"{project['name']}=={version}"], host
        pipeline = site / (".gitlab-ci.yml" if host == "gitlab" else ".github/workflows/deploy.yml")
        data = yaml.safe_load(pipeline.read_text())
        for name in ("netlify.toml", "wrangler.toml", "sitegen.toml"):
            if (site / name).exists():
                tomllib.loads((site / name).read_text())
        assert yaml.safe_load((site / "content/static/admin/config.yml").read_text())["collections"]
        if host == "github":
            cache = next(s for s in data["jobs"]["build"]["steps"]
                         if s.get("uses", "").startswith("actions/cache@"))
            assert ".sitegen-cache" in cache["with"]["path"].split()
    run("sitegen build --source netlify", elsewhere, bin_dir)
    assert (elsewhere / "netlify/output/_headers").is_file()


def test_the_readmes_git_install_line_installs_sitegen_from_a_tag(tmp_path: Path) -> None:
    """README: `pip install "sitegen-news @ git+https://…@vX"`, here from a local repository."""
    version = re.search(r'__version__ = "(.+)"', (REPO / "sitegen/__init__.py").read_text())[1]
    line = next(line for line in (REPO / "README.md").read_text().splitlines()
                if "@ git+https://" in line)
    requirement = re.search(r'"(.+)"', line)[1]
    repo = checkout_copy(tmp_path / "repo")
    git = "git -c user.name=t -c user.email=t@example.org"
    run(f"git init -q && git add -A && {git} commit -qm release && git tag v{version}", repo,
        Path(sys.executable).parent)
    # (A host in the file URL, as older pips require of a URL in a requirement.)
    local = re.sub(r"git\+https://[^@]+@v[\d.]+", f"git+file://localhost{repo}@v{version}",
                   requirement)
    assert local != requirement and local.startswith("sitegen-news @ git+file://")
    bin_dir = fresh_venv(tmp_path / "venv")
    run(f'pip install "{local}"', tmp_path, bin_dir)
    assert run("sitegen --version", tmp_path, bin_dir).stdout.split()[-1] == version
