"""Which sitegen a new site's requirements pin, read from PEP 610's direct_url.json.

The real installs (a wheel, git, an index) are in tests/test_install.py (slow); here each
kind of record pip writes is given to `pinning.pin` as a distribution on disk.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
from pathlib import Path

import pytest

from sitegen import pinning
from sitegen.errors import SitegenError


def installed(tmp_path: Path, direct_url: dict | None,
              requires: tuple[str, ...] = ()) -> importlib.metadata.Distribution:
    """A distribution's metadata folder as pip leaves it."""
    info = tmp_path / "sitegen_news-0.1.0.dist-info"
    info.mkdir(parents=True)
    metadata = "Metadata-Version: 2.1\nName: sitegen-news\nVersion: 0.1.0\n"
    metadata += "".join(f"Requires-Dist: {r}\n" for r in requires)
    (info / "METADATA").write_text(metadata, "utf-8")
    if direct_url is not None:
        (info / "direct_url.json").write_text(json.dumps(direct_url), "utf-8")
    return importlib.metadata.PathDistribution(info)


def test_a_release_from_an_index_is_pinned_by_version(tmp_path: Path) -> None:
    found = pinning.pin(installed(tmp_path, None))
    assert found.requirement == "sitegen-news==0.1.0" and found.wheel is None
    assert "from the package index" in pinning.requirements_text(found)


def test_a_git_install_is_pinned_at_its_commit(tmp_path: Path) -> None:
    commit = "0123456789abcdef0123456789abcdef01234567"
    found = pinning.pin(installed(tmp_path, {
        "url": "https://gitlab.example.org/redaksi/sitegen.git", "subdirectory": "pkg",
        "vcs_info": {"vcs": "git", "commit_id": commit, "requested_revision": "v0.1.0"}}))
    assert found.requirement == (f"sitegen-news @ git+https://gitlab.example.org/redaksi/"
                                 f"sitegen.git@{commit}#subdirectory=pkg")


def test_a_wheel_install_copies_the_wheel_with_its_hash(tmp_path: Path) -> None:
    wheel = tmp_path / "dist/sitegen_news-0.1.0-py3-none-any.whl"
    wheel.parent.mkdir()
    wheel.write_bytes(b"not really a zip, but bytes with a hash")
    found = pinning.pin(installed(tmp_path / "env", {"url": wheel.as_uri(),
                                                     "archive_info": {}}))
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    assert found.requirement == (f"sitegen-news @ file://${{PWD}}/.sitegen/wheels/{wheel.name}"
                                 f"#sha256={digest}")
    assert found.wheel == wheel
    text = pinning.requirements_text(found)
    assert "no package index has this build" in text and "Commit that folder" in text


def test_a_source_that_is_gone_is_a_problem_saying_what_to_do(tmp_path: Path) -> None:
    gone = tmp_path / "gone/sitegen_news-0.1.0-py3-none-any.whl"
    with pytest.raises(SitegenError, match="which the site's CI cannot reach: install "
                                           "sitegen from its wheel or its git URL"):
        pinning.pin(installed(tmp_path, {"url": gone.as_uri(), "archive_info": {}}))


def test_dependencies_are_pinned_as_installed_keeping_markers_and_dropping_extras(
        tmp_path: Path) -> None:
    version = importlib.metadata.version("jinja2")
    lines = pinning.dependency_lines(installed(tmp_path, None, (
        "jinja2[i18n]>=3.1", 'pytest>=8; extra == "test"',
        'not-installed-anywhere>=1; python_version < "3.9"')))
    assert lines == [f"jinja2=={version}",
                     'not-installed-anywhere>=1; python_version < "3.9"']
