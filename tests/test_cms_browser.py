"""The editors' CMS of the sample site, in Chromium, with no network.

The built sample site serves `/admin/` (from `content/static/admin/`). Its page
loads Decap CMS from a CDN; here every request for that script (and the chunks
it loads) is answered from the npm package that `.ci/run` fetched into
`.ci/cache/`, and `config.yml` is answered with the site's own configuration
with two changes: Decap's in-memory `test-repo` backend, so no git host is
needed, and no probe for a local `decap-server`. Any other request to another host fails the test.
"""

from __future__ import annotations

import mimetypes
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from sitegen import cms
from sitegen.config import load_config
from tests.conftest import REPO, missing_tool
from tests.test_theme_browser import served_sample

pytestmark = pytest.mark.browser


def decap_dist() -> Path:
    folder = Path(os.environ.get("SITEGEN_DECAP_DIR", REPO / ".ci/cache" /
                                 f"decap-cms-{cms.DECAP_VERSION}")) / "package/dist"
    if not (folder / "decap-cms.js").is_file():
        missing_tool(f"the Decap CMS bundle is not in {folder}: run the npm step of .ci/run "
                     f"(npm pack decap-cms@{cms.DECAP_VERSION})")
    return folder


@pytest.fixture(scope="module")
def admin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from served_sample(tmp_path_factory, "cms")


def test_the_admin_page_lists_every_section_of_the_sample_site(browser: Any, admin: str) -> None:
    dist = decap_dist()
    config = load_config(REPO)
    # The test variant: Decap's in-memory backend, and no probe for `npx decap-server`.
    test_config = {**cms.cms_config(config, backend={"name": "test-repo"}),
                   "local_backend": False}
    script = urlsplit(cms.DECAP_SCRIPT)
    script_folder = script.path.rsplit("/", 1)[0] + "/"
    outside: list[str] = []
    problems: list[str] = []

    def answer(route: Any) -> None:
        url = urlsplit(route.request.url)
        if url.netloc == script.netloc and url.path.startswith(script_folder):
            file = dist / url.path.removeprefix(script_folder)
            kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            route.fulfill(path=str(file), content_type=kind,
                          headers={"Access-Control-Allow-Origin": "*"})
        elif url.path.endswith("/admin/config.yml") and url.netloc == urlsplit(admin).netloc:
            route.fulfill(body=yaml.safe_dump(test_config), content_type="text/yaml")
        elif url.netloc == urlsplit(admin).netloc or url.scheme in {"data", "blob"}:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route("**/*", answer)
    page = context.new_page()
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(admin + "/admin/")
    page.get_by_role("button", name="Login").click()
    sections = [name for _, name in cms.sections(config)]
    for name in [*sections, "Pages"]:
        page.get_by_role("link", name=name, exact=True).first.wait_for(timeout=30_000)
    listed = page.evaluate("[...document.querySelectorAll('a[href^=\"#/collections/\"]')]"
                           ".map(a => a.textContent.trim())")
    # A new article's form has every field the config names, the editor sees each label.
    page.goto(admin + "/admin/#/collections/ekonomi/new")
    labels = [f["label"] for f in test_config["collections"][0]["fields"]]
    for label in labels:  # Decap adds "(optional)" to the label of an optional field
        shown = re.compile(rf"^{re.escape(label)}\s*(\(optional\))?$")
        page.locator("label").filter(has_text=shown).first.wait_for(timeout=30_000)
    context.close()
    assert sections == ["Ekonomi", "Nasional", "Teknologi", "Olahraga", "Internasional"]
    assert set(listed) >= {*sections, "Pages"}, listed
    assert not outside, f"requests to other hosts: {outside}"
    assert not problems, problems
