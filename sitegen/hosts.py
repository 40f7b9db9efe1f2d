"""Layer 6. The deploy pipeline `sitegen init --host` writes, one per static host.

Every pipeline does the same four things: it installs the sitegen named in
`requirements.txt` with pip's cache kept, restores the build cache (and the last
output, so unchanged files keep their bytes and times) from the previous run,
builds with `--strict`, and publishes. Pull requests only build, as a check.
The schedule rebuilds every 30 minutes: embargoed articles go live and the news
sitemap's two-day window moves only when the site is rebuilt. GitHub, Netlify,
Cloudflare Pages and S3 build in GitHub Actions; GitLab Pages in GitLab CI.
"""

from __future__ import annotations

from sitegen.config import DEPLOY_HOSTS as HOSTS

__all__ = ["HOSTS", "pipeline_files"]

# Checked 2026-12 against each action's releases; one table so they move together.
ACTIONS = {
    "checkout": "actions/checkout@v6",
    "setup-python": "actions/setup-python@v6",
    "cache": "actions/cache@v5",
    "configure-pages": "actions/configure-pages@v6",
    "upload-pages-artifact": "actions/upload-pages-artifact@v4",
    "deploy-pages": "actions/deploy-pages@v5",
    "aws-credentials": "aws-actions/configure-aws-credentials@v6",
}
PYTHON = "3.12"
NETLIFY_CLI = "netlify-cli@27"
WRANGLER = "wrangler@4"
TIME_LIMIT_MINUTES = 30

_HEAD = """\
# Builds the site with sitegen and publishes it{where}.
# Written by `sitegen init --host {host}`; README, "Deploying", explains every step.
name: Deploy

on:
  push:
    branches: [main]
  # A pull request is only built, with --strict: a broken article fails the check.
  pull_request:
  # Scheduled articles go live, and the Google News sitemap's two-day window moves,
  # only when the site is rebuilt.
  schedule:
    - cron: "*/30 * * * *"
  workflow_dispatch:

permissions:
  contents: read
{permissions}
concurrency:
  group: deploy-${{{{ github.ref }}}}
  cancel-in-progress: ${{{{ github.event_name == 'pull_request' }}}}

jobs:
  build:
    runs-on: ubuntu-latest
    timeout-minutes: {limit}
    steps:
      - uses: {checkout}
      - uses: {setup_python}
        with:
          python-version: "{python}"
          # pip's download cache, keyed on requirements.txt.
          cache: pip
          cache-dependency-path: requirements.txt
      - run: pip install -r requirements.txt
      # The build cache ([build] cache_dir) and the last output: a scheduled run or
      # one new article reads, renders and writes only what changed. A cache entry
      # cannot be overwritten, so each run saves a new one and restores the newest.
      - uses: {cache}
        with:
          path: |
            .sitegen-cache
            output
          key: sitegen-${{{{ runner.os }}}}-${{{{ github.run_id }}}}
          restore-keys: sitegen-${{{{ runner.os }}}}-
"""

_GITHUB = """\
      - id: pages
        if: github.event_name != 'pull_request'
        uses: {configure_pages}
      - name: Build
        env:
          # Pages' address, e.g. https://USER.github.io/REPO (with the path); empty on
          # pull requests, which build with sitegen.toml's base_url.
          BASE_URL: ${{{{ steps.pages.outputs.base_url }}}}
        run: sitegen build --strict ${{BASE_URL:+--base-url "$BASE_URL/"}}
      - if: github.event_name != 'pull_request'
        uses: {upload_pages_artifact}
        with:
          path: output
  deploy:
    if: github.event_name != 'pull_request'
    needs: build
    runs-on: ubuntu-latest
    timeout-minutes: 10
    permissions:
      pages: write
      id-token: write
    environment:
      name: github-pages
      url: ${{{{ steps.deployment.outputs.page_url }}}}
    steps:
      - id: deployment
        uses: {deploy_pages}
"""

_NETLIFY = """\
      - run: sitegen build --strict
      - name: Deploy to Netlify
        if: github.event_name != 'pull_request'
        env:
          # Netlify: User settings > Applications > Personal access tokens, and the
          # site's Project configuration > Site ID; both as repository secrets.
          NETLIFY_AUTH_TOKEN: ${{{{ secrets.NETLIFY_AUTH_TOKEN }}}}
          NETLIFY_SITE_ID: ${{{{ secrets.NETLIFY_SITE_ID }}}}
        run: npx --yes {netlify_cli} deploy --prod --no-build --dir output
"""

_CLOUDFLARE = """\
      - run: sitegen build --strict
      - name: Deploy to Cloudflare Pages
        if: github.event_name != 'pull_request'
        env:
          # An API token with "Cloudflare Pages: Edit", and the account's ID.
          CLOUDFLARE_API_TOKEN: ${{{{ secrets.CLOUDFLARE_API_TOKEN }}}}
          CLOUDFLARE_ACCOUNT_ID: ${{{{ secrets.CLOUDFLARE_ACCOUNT_ID }}}}
        # wrangler.toml names the project and the output folder.
        run: npx --yes {wrangler} pages deploy --branch main
"""

# Fingerprinted names (style.5fe18dec5c.css) never change content: cached for a
# year. Everything else is revalidated after five minutes, so news stays fresh.
_S3 = """\
      - run: sitegen build --strict
      - if: github.event_name != 'pull_request'
        uses: {aws_credentials}
        with:
          # An IAM role that trusts GitHub's OIDC provider and may write the bucket.
          role-to-assume: ${{{{ vars.AWS_ROLE_ARN }}}}
          aws-region: ${{{{ vars.AWS_REGION }}}}
      - name: Upload to S3
        if: github.event_name != 'pull_request'
        env:
          BUCKET: ${{{{ vars.S3_BUCKET }}}}
        run: |
          aws s3 sync output/ "s3://$BUCKET/" --exclude "*" \\
            --include "*.??????????.css" --include "*.??????????.js" \\
            --cache-control "public, max-age=31536000, immutable"
          aws s3 sync output/ "s3://$BUCKET/" --delete \\
            --exclude "*.??????????.css" --exclude "*.??????????.js" \\
            --exclude "_redirects" --exclude ".sitegen-build" \\
            --cache-control "public, max-age=300"
          # Each alias ([deploy] host = "s3" lists them in _redirects) becomes a real
          # 301: S3's website endpoint answers an object's redirect location.
          grep -v '^#' output/_redirects | while read -r from to code; do
            # The file's paths are percent-encoded; the output's file names are not.
            key=$(python -c 'import sys, urllib.parse as u; print(u.unquote(sys.argv[1])[1:])' \\
              "$from")
            case "$key" in ""|*/) key="${{key}}index.html" ;; esac
            aws s3 cp "output/$key" "s3://$BUCKET/$key" --website-redirect "$to" \\
              --cache-control "public, max-age=300"
          done
"""

_GITLAB = """\
# Builds the site with sitegen and publishes it on GitLab Pages.
# Written by `sitegen init --host gitlab`; README, "Deploying", explains every step.
# Scheduled articles go live only when the site is rebuilt: add a pipeline schedule
# (Build > Pipeline schedules) for the default branch with "*/30 * * * *".
default:
  image: python:{python}-slim
  timeout: {limit} minutes
  # pip's cache, the build cache ([build] cache_dir) and the last output, kept
  # between pipelines: a scheduled run reads, renders and writes only what changed.
  cache:
    key: sitegen
    paths:
      - .cache/pip
      - .sitegen-cache
      - public
  before_script:
    - pip install -r requirements.txt

variables:
  PIP_CACHE_DIR: "$CI_PROJECT_DIR/.cache/pip"

stages: [build, deploy]

# A merge request is only built, with --strict: a broken article fails the check.
check:
  stage: build
  script:
    - sitegen build --strict --output public
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"

pages:
  stage: deploy
  script:
    # GitLab's address for the site, e.g. https://GROUP.gitlab.io/PROJECT
    - sitegen build --strict --output public --base-url "$CI_PAGES_URL/"
  artifacts:
    paths:
      - public
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
"""

_NETLIFY_TOML = """\
# Netlify reads this file. The site is built in GitHub Actions
# (.github/workflows/deploy.yml) and output/ is deployed with the Netlify CLI, so
# Netlify's own build is skipped ("ignore" exits 0) if the repository is linked.
# The build writes output/_headers (a year's cache for fingerprinted CSS and JS)
# and output/_redirects (a 301 for every alias); Netlify applies both.
[build]
  publish = "output"
  command = "sitegen build --strict"
  ignore = "exit 0"

[build.environment]
  PYTHON_VERSION = "{python}"
"""

_WRANGLER_TOML = """\
# Read by `wrangler pages deploy` in .github/workflows/deploy.yml. The build writes
# output/_headers (a year's cache for fingerprinted CSS and JS) and
# output/_redirects (a 301 for every alias); Cloudflare Pages applies both.
name = "{project}"
pages_build_output_dir = "output"
compatibility_date = "2026-11-01"
"""

_WHERE = {"github": " on GitHub Pages", "netlify": " on Netlify",
          "cloudflare": " on Cloudflare Pages", "s3": " to an S3 bucket website"}
_PERMISSIONS = {"github": "  pages: read\n", "s3": "  id-token: write\n"}
_STEPS = {"github": _GITHUB, "netlify": _NETLIFY, "cloudflare": _CLOUDFLARE, "s3": _S3}


def pipeline_files(host: str, project: str) -> dict[str, str]:
    """The files (path relative to the site -> text) that deploy the site on `host`.

    `project` is the site's folder name, used where a host wants a project name.
    """
    values = {"python": PYTHON, "limit": TIME_LIMIT_MINUTES, "netlify_cli": NETLIFY_CLI,
              "wrangler": WRANGLER, "project": project,
              **{name.replace("-", "_"): uses for name, uses in ACTIONS.items()}}
    if host == "gitlab":
        return {".gitlab-ci.yml": _GITLAB.format(**values)}
    workflow = _HEAD.format(where=_WHERE[host], host=host,
                            permissions=_PERMISSIONS.get(host, ""), **values)
    files = {".github/workflows/deploy.yml": workflow + _STEPS[host].format(**values)}
    if host == "netlify":
        files["netlify.toml"] = _NETLIFY_TOML.format(**values)
    if host == "cloudflare":
        files["wrangler.toml"] = _WRANGLER_TOML.format(**values)
    return files
