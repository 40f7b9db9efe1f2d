"""Installation as a user does it: fresh virtual environments, the README's command, a wheel."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

import pytest

from sitegen import hosts
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


@dataclasses.dataclass
class Installed:
    """A wheel built from a clean checkout with `python -m build`, and a fresh virtual
    environment outside the checkout where `pip install WHEEL` installed it."""
    wheel: Path
    dist: Path
    bin_dir: Path
    elsewhere: Path


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """Built and installed once for the two tests that begin with exactly that (the wheel
    build and a fresh environment's full install are most of their time)."""
    root = tmp_path_factory.mktemp("installed")
    checkout = checkout_copy(root / "checkout")
    run(f"{sys.executable} -m build --wheel --outdir {root / 'dist'} .", checkout,
        Path(sys.executable).parent)
    wheel = next((root / "dist").glob("sitegen_news-*.whl"))
    bin_dir = fresh_venv(root / "venv")
    elsewhere = root / "elsewhere"
    elsewhere.mkdir()
    run(f"pip install {wheel}", elsewhere, bin_dir)
    return Installed(wheel, root / "dist", bin_dir, elsewhere)


def test_wheel_installed_outside_the_checkout_can_init_and_build(installed: Installed) -> None:
    bin_dir, elsewhere = installed.bin_dir, installed.elsewhere
    run("sitegen init situs-baru", elsewhere, bin_dir)
    result = run("sitegen build --source situs-baru", elsewhere, bin_dir)
    assert "written" in result.stdout
    site = elsewhere / "situs-baru"
    assert "Selamat Datang" in (site / "output/index.html").read_text()
    css = list((site / "output/css").glob("style.*.css"))
    assert css, "the default theme's static files come from inside the wheel"
    shown = run("python -c 'import sitegen.themes as t; print(t.BUILTIN_THEMES)'", elsewhere,
                bin_dir).stdout
    assert str(bin_dir.parent) in shown


def pinned(site: Path) -> list[str]:
    return [line for line in (site / "requirements.txt").read_text().splitlines()
            if line and not line.startswith("#")]


def installed_version(bin_dir: Path, where: Path) -> str:
    return run("python -c 'import importlib.metadata as m; print(m.version(\"sitegen-news\"))'",
               where, bin_dir).stdout.strip()


def test_init_pins_the_sitegen_that_ran_it_so_a_ci_with_no_index_installs_it(
        tmp_path: Path, installed: Installed) -> None:
    """A wheel (python -m build) installed outside the checkout runs `init` for every host;
    in another fresh venv with no index, `pip install -r requirements.txt` of the site
    installs that very sitegen, checked against its hash. The same for a sitegen installed
    from git (the commit, from PEP 610's direct_url.json) and from an index (the version)."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]
    version = re.search(r'__version__ = "(.+)"', (REPO / "sitegen/__init__.py").read_text())[1]
    assert project["name"] != "sitegen", "the name `sitegen` on PyPI is another project's"
    here = Path(sys.executable).parent
    wheel, bin_dir, elsewhere = installed.wheel, installed.bin_dir, installed.elsewhere
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    for host in ("github", "gitlab", "netlify", "cloudflare", "s3"):
        run(f"sitegen init --host {host} --repo redaksi/{host} {host}", elsewhere, bin_dir)
        site = elsewhere / host
        assert pinned(site) == [f"sitegen-news @ file://${{PWD}}/.sitegen/wheels/{wheel.name}"
                                f"#sha256={digest}"], host
        assert (site / ".sitegen/wheels" / wheel.name).read_bytes() == wheel.read_bytes()
        assert ".sitegen/\n" not in (site / ".gitignore").read_text()  # committed
        pipeline = site / (".gitlab-ci.yml" if host == "gitlab" else
                           ".github/workflows/deploy.yml")
        assert "pip install -r requirements.txt -c .sitegen/requirements.txt" in \
            pipeline.read_text()
        for name in ("netlify.toml", "wrangler.toml", "sitegen.toml"):
            if (site / name).exists():
                tomllib.loads((site / name).read_text())
    run("sitegen build --source netlify", elsewhere, bin_dir)
    assert (elsewhere / "netlify/output/_headers").is_file()
    # The site's CI: a fresh environment, no index at all, only the site's files.
    ci = fresh_venv(tmp_path / "ci")
    site = elsewhere / "github"
    offline = "pip install --no-index --no-deps -r requirements.txt"
    run(offline, site, ci)
    assert installed_version(ci, site) == version
    # The hash holds: an altered wheel is refused.
    shutil.copytree(site, tmp_path / "altered")
    altered = tmp_path / "altered/.sitegen/wheels" / wheel.name
    altered.write_bytes(altered.read_bytes() + b"\0")
    refused = subprocess.run(f"{ci}/pip install --no-index --no-deps --force-reinstall "
                             "-r requirements.txt", shell=True, cwd=tmp_path / "altered",
                             capture_output=True, text=True, timeout=300)
    assert refused.returncode != 0 and f"Expected sha256 {digest}" in refused.stderr
    # The pipelines' own install command: sitegen from the site, its dependencies from an
    # index (which has no sitegen) held to the versions init ran with.
    run(hosts.INSTALL, site, ci)
    assert run("sitegen --version", site, ci).stdout.split()[-1] == version
    # Installed from git: the site pins the repository at its commit.
    repo = checkout_copy(tmp_path / "repo")
    git = "git -c user.name=t -c user.email=t@example.org"
    run(f"git init -q && git add -A && {git} commit -qm release", repo, here)
    commit = run("git rev-parse HEAD", repo, here).stdout.strip()
    run(f'pip install --no-deps --force-reinstall "sitegen-news @ git+file://localhost{repo}"',
        elsewhere, bin_dir)
    run("sitegen init vcs", elsewhere, bin_dir)
    assert pinned(elsewhere / "vcs") == [
        f"sitegen-news @ git+file://localhost{repo}@{commit}"]
    # (Building it from git needs its build backend from an index, which has no sitegen.)
    run("pip install --no-deps --force-reinstall -r requirements.txt", elsewhere / "vcs", ci)
    assert installed_version(ci, elsewhere / "vcs") == version
    recorded = run("python -c 'import importlib.metadata as m; "
                   "print(m.distribution(\"sitegen-news\").read_text(\"direct_url.json\"))'",
                   elsewhere, ci).stdout
    assert json.loads(recorded)["vcs_info"]["commit_id"] == commit
    # Installed from an index (here a folder of wheels): the site pins the version.
    run(f"pip install --no-deps --force-reinstall --no-index --find-links {installed.dist} "
        "sitegen-news", elsewhere, bin_dir)
    run("sitegen init indexed", elsewhere, bin_dir)
    assert pinned(elsewhere / "indexed") == [f"{project['name']}=={version}"]
    assert not (elsewhere / "indexed/.sitegen/wheels").exists()


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
