"""Layer 6. The deploy pipeline `sitegen init --host` writes, one per static host.

What every pipeline does:
- installs the sitegen named in `requirements.txt` (its hash checked when it is
  a wheel), its dependencies held to `.sitegen/requirements.txt`;
- restores the build cache and the last output, from a cache only the main
  branch writes (a pull request restores, never saves: it cannot plant what the
  main branch restores);
- on the main branch (push, every 30 minutes, by hand) builds with
  `--keep-going`: every good story is published, a file with a problem is left
  out, annotated on the run and listed in the job summary, and the run is marked
  failed after publishing, so the left-out file cannot be missed;
- on a pull request (a CMS draft in the editorial workflow is one) builds with
  `--strict` and publishes nothing, with no secret and no `id-token`.

Actions are pinned by commit with their tag in a comment (`ACTIONS`); the
Dependabot (GitHub) or Renovate (GitLab) configuration `init` writes keeps both
up to date. GitHub, Netlify, Cloudflare Pages and S3 build in GitHub Actions;
GitLab Pages in GitLab CI (`hosts_gitlab.py`). Each host's publishing steps
are `hosts_publish.py`'s.
"""

from __future__ import annotations

from sitegen import hosts_gitlab, hosts_publish, hosts_shards
from sitegen.config_schema import DEPLOY_HOSTS as HOSTS

__all__ = ["ACTIONS", "HOSTS", "pipeline_files"]

# action -> (commit, the release tag that commit is). Found 2026-12 in public workflows
# pinning them; to move one, resolve the new tag to its commit
# (`git ls-remote https://github.com/actions/checkout refs/tags/v6.0.2`) or let
# Dependabot do it. One table, so every pipeline moves together.
ACTIONS = {
    "actions/checkout": ("de0fac2e4500dabe0009e67214ff5f5447ce83dd", "v6.0.2"),
    "actions/setup-python": ("a309ff8b426b58ec0e2a45f0f869d46889d02405", "v6.2.0"),
    "actions/cache": ("cdf6c1fa76f9f475f3d7449005a359c84ca0f306", "v5.0.3"),
    "actions/configure-pages": ("983d7736d9b0ae728b81ab479565c72886d7745b", "v5.0.0"),
    "actions/upload-pages-artifact": ("7b1f4a764d45c48632c6b24a0339c27f5614fb0b", "v4.0.0"),
    "actions/deploy-pages": ("d6db90164ac5ed86f2b6aed7e0febac5b3c0c03e", "v4.0.5"),
    "aws-actions/configure-aws-credentials": ("a03048d87541d1d9fcf2ecf528a4a65ba9bd7838",
                                              "v5.0.0"),
    **hosts_shards.ACTIONS,
}
PYTHON = hosts_gitlab.PYTHON
NETLIFY_CLI = "netlify-cli@27"
WRANGLER = "wrangler@4"
TIME_LIMIT_MINUTES = hosts_gitlab.TIME_LIMIT_MINUTES
INSTALL = hosts_gitlab.INSTALL


def uses(action: str, path: str = "") -> str:
    """`owner/repo[/path]@commit # tag`, as a `uses:` value."""
    commit, tag = ACTIONS[action]
    return f"{action}{path}@{commit} # {tag}"


_HEAD = """\
# Builds the site with sitegen and publishes it<<where>>.
# Written by `sitegen init --host <<host>>`; docs/en/operators.md explains every step.
name: Deploy

on:
  push:
    branches: [main]
  # A pull request (a CMS draft in the editorial workflow is one) is only built,
  # with --strict: any problem fails the check, nothing is published.
  pull_request:
  # Scheduled articles go live, and the Google News sitemap's two-day window moves,
  # only when the site is rebuilt.
  schedule:
    - cron: "*/30 * * * *"
  workflow_dispatch:

# Nothing by default; each job asks for what it needs.
permissions: {}

concurrency:
  group: deploy-${{ github.ref }}
  cancel-in-progress: ${{ github.event_name == 'pull_request' }}

jobs:
  check:
    name: Check (pull request, strict)
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    timeout-minutes: <<limit>>
    permissions:
      contents: read  # reads the repository, nothing else
    steps:
<<setup>>
      # The main branch's cache, read only: a pull request never saves one.
      - uses: <<cache_restore>>
        with:
          path: |
            .sitegen-cache
            output
          key: sitegen-${{ runner.os }}-${{ github.base_ref }}-${{ github.run_id }}
          restore-keys: sitegen-${{ runner.os }}-${{ github.base_ref }}-
      - name: Build (strict)
        run: |
          status=0
          sitegen build --strict --report build-report.json || status=$?
          sitegen ci-report build-report.json --github --status "$status"
          exit "$status"
  build:
    name: Build and publish
    if: github.event_name != 'pull_request'
    runs-on: ubuntu-latest
    timeout-minutes: <<limit>>
    permissions:
<<permissions>><<environment>>    outputs:
      skipped: ${{ steps.build.outputs.skipped }}
    steps:
<<setup>>
      # The build cache ([build] cache_dir) and the last output: a scheduled run or one
      # new article reads, renders and writes only what changed. Keyed by branch; an
      # entry cannot be overwritten, so each run saves a new one and restores the newest.
      - uses: <<cache>>
        with:
          path: |
            .sitegen-cache
            output
          key: sitegen-${{ runner.os }}-${{ github.ref_name }}-${{ github.run_id }}
          restore-keys: sitegen-${{ runner.os }}-${{ github.ref_name }}-
      # GitHub keeps 10 GB of caches per repository, and the output above holds a copy
      # of every picture: the picture cache is kept under 4 GB, the files no page uses
      # and then the oldest evicted (its size is printed).
      - run: sitegen cache prune --max-size 4GB
"""

_SETUP = """\
      - uses: <<checkout>>
        with:
          persist-credentials: false
      - uses: <<setup_python>>
        with:
          python-version: "<<python>>"
          # pip's download cache, keyed on requirements.txt.
          cache: pip
          cache-dependency-path: |
            requirements.txt
            .sitegen/requirements.txt
      - run: <<install>>"""

# Exit status 2 of `sitegen build --keep-going`: files were left out and the rest is
# written. The step succeeds so the rest is published; the annotations and the job
# summary name each left-out file, and the last step fails the run after publishing.
_BUILD = """\
      # The editors' app at /admin/, from the npm registry, its hashes checked.
      - run: sitegen fetch-cms
      - name: Build
        id: build
<<env>>        run: |
          status=0
          sitegen build --keep-going --report build-report.json<<base_url>> || status=$?
          sitegen ci-report build-report.json --github --status "$status"
          # 0: everything published; 2: the files in the summary were left out, the
          # rest is published; anything else: nothing is published.
          test "$status" -eq 0 || test "$status" -eq 2
"""

_LEFT_OUT = """\
      - name: Files left out
        if: <<condition>> != '0'
        env:
          SKIPPED: <<skipped>>
        run: |
          echo "::error title=Files left out::$SKIPPED file(s) were left out of the" \\
            "published site: the Build step's summary names them"
          exit 1
"""

# Dependabot opens a pull request when an action has a new release (it moves the
# commit and the tag comment together) and when a pinned Python package moves.
_DEPENDABOT = """\
# Written by `sitegen init`: keeps the actions' pinned commits and the Python
# packages of .sitegen/requirements.txt current, one pull request a week.
version: 2
updates:
  - package-ecosystem: github-actions
    directory: /
    schedule:
      interval: weekly
    groups:
      actions:
        patterns: ["*"]
  - package-ecosystem: pip
    directory: /.sitegen
    schedule:
      interval: weekly
"""


def _fill(template: str, values: dict[str, str]) -> str:
    """`<<name>>` -> value: GitHub's `${{ }}` stays as it is, unescaped."""
    for name, value in values.items():
        template = template.replace(f"<<{name}>>", value)
    assert "<<" not in template, template
    return template


def pipeline_files(host: str, project: str, shards: int = 0) -> dict[str, str]:
    """The files (path relative to the site -> text) that deploy the site on `host`.

    `project` is the site's folder name, used where a host wants a project name;
    `shards`: build as that many shards in a job matrix, and merge (hosts_shards.py).
    """
    if shards:
        hosts_shards.check_count(host, shards)
    if host == "gitlab":
        return hosts_gitlab.pipeline_files()
    values = {"python": PYTHON, "limit": str(TIME_LIMIT_MINUTES), "netlify_cli": NETLIFY_CLI,
              "wrangler": WRANGLER, "project": project, "host": host, "install": INSTALL,
              "where": hosts_publish.WHERE[host],
              "permissions": hosts_publish.PERMISSIONS.get(host, hosts_publish.READ),
              "checkout": uses("actions/checkout"),
              "setup_python": uses("actions/setup-python"),
              "cache": uses("actions/cache"),
              "cache_restore": uses("actions/cache", "/restore"),
              "configure_pages": uses("actions/configure-pages"),
              "upload_pages_artifact": uses("actions/upload-pages-artifact"),
              "deploy_pages": uses("actions/deploy-pages"),
              "aws_credentials": uses("aws-actions/configure-aws-credentials")}
    values["setup"] = _fill(_SETUP, values)
    if shards:
        return {".github/workflows/deploy.yml": hosts_shards.workflow(shards, values, {
            "cache_save": uses("actions/cache", "/save"),
            "upload_artifact": uses("actions/upload-artifact"),
            "download_artifact": uses("actions/download-artifact"),
            **{k: values[k] for k in ("cache_restore", "configure_pages",
                                      "upload_pages_artifact", "deploy_pages")}}),
            ".github/dependabot.yml": _DEPENDABOT}
    # The publishing job's secrets belong to an environment that only main may use
    # (Settings > Environments > production > Deployment branches).
    values["environment"] = "" if host == "github" else "    environment: production\n"
    github = host == "github"
    values["build"] = _fill(_BUILD, {
        "env": hosts_publish.GITHUB_BUILD_ENV if github else "",
        "base_url": ' ${BASE_URL:+--base-url "$BASE_URL/"}' if github else ""})
    skipped = "needs.build.outputs.skipped" if github else "steps.build.outputs.skipped"
    values["left_out"] = _fill(_LEFT_OUT, {"condition": skipped,
                                           "skipped": "${{ " + skipped + " }}"})
    workflow = _fill(_HEAD, values) + _fill(hosts_publish.STEPS[host], values)
    files = {".github/workflows/deploy.yml": workflow, ".github/dependabot.yml": _DEPENDABOT}
    if host == "netlify":
        files["netlify.toml"] = _fill(hosts_publish.NETLIFY_TOML, values)
    if host == "cloudflare":
        files["wrangler.toml"] = _fill(hosts_publish.WRANGLER_TOML, values)
    return files
