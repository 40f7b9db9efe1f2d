"""Layer 6. The GitLab CI pipeline and Renovate configuration `init --host gitlab` writes.

The same steps as the GitHub workflows (`hosts.py`) in GitLab's terms: the
default branch publishes with `--keep-going` and a Code Quality report (shown
in the pipeline and merge requests) names every left-out file, then a job in
the last stage fails the pipeline after publishing; a merge request builds with
`--strict`. Caches are keyed by branch, and a merge request only pulls the
default branch's cache, so it can never write what the `pages` job restores.
"""

from __future__ import annotations

PYTHON = "3.12"
TIME_LIMIT_MINUTES = 30
# sitegen itself (a wheel's hash checked), its dependencies held to the versions
# `init` ran with.
INSTALL = "pip install -r requirements.txt -c .sitegen/requirements.txt"

_GITLAB = """\
# Builds the site with sitegen and publishes it on GitLab Pages.
# Written by `sitegen init --host gitlab`; docs/en/operators.md explains every step.
# Scheduled articles go live only when the site is rebuilt: add a pipeline schedule
# (Build > Pipeline schedules) for the default branch with "*/30 * * * *".
default:
  image: python:{python}-slim
  timeout: {limit} minutes
  before_script:
    - {install}

variables:
  PIP_CACHE_DIR: "$CI_PROJECT_DIR/.cache/pip"

stages: [build, deploy, report]

# A merge request (a CMS draft in the editorial workflow is one) is only built, with
# --strict: any problem fails the check. It reads the default branch's cache and
# never writes one.
check:
  stage: build
  cache:
    key: sitegen-$CI_DEFAULT_BRANCH
    paths: [.cache/pip, .sitegen-cache, public]
    policy: pull
  script:
    - status=0
    - sitegen build --strict --output public --report build-report.json || status=$?
    - sitegen ci-report build-report.json --gitlab --status "$status"
    - exit "$status"
  artifacts:
    when: always
    reports:
      codequality: gl-code-quality-report.json
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"

# The default branch: every good story is published; a file with a problem is left
# out (exit status 2), listed in the log and the Code Quality report.
pages:
  stage: deploy
  cache:
    key: sitegen-$CI_COMMIT_REF_SLUG
    paths: [.cache/pip, .sitegen-cache, public]
  script:
    # The editors' app at /admin/, from the npm registry, its hashes checked.
    - sitegen fetch-cms
    - status=0
    # GitLab's address for the site, e.g. https://GROUP.gitlab.io/PROJECT
    - >-
      sitegen build --keep-going --output public --base-url "$CI_PAGES_URL/"
      --report build-report.json || status=$?
    - sitegen ci-report build-report.json --gitlab --status "$status"
    - test "$status" -eq 0 || test "$status" -eq 2
  artifacts:
    when: always
    paths: [public, build-report.json]
    reports:
      codequality: gl-code-quality-report.json
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH

# After publishing: a pipeline that left files out is marked failed (and its author
# notified), so they are fixed instead of forgotten.
left-out:
  stage: report
  needs: [pages]
  before_script: []
  script:
    - >-
      python -c "import json, sys;
      files = json.load(open('build-report.json'))['skipped_files'];
      print('Left out of the published site:', *files);
      sys.exit(1 if files else 0)"
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
"""

# Renovate (the bot GitLab projects use; Dependabot is GitHub's) opens a merge
# request when the Python image or a pinned package moves.
_RENOVATE = """\
{
  "$schema": "https://docs.renovatebot.com/renovate-schema.json",
  "description": "Written by sitegen init: keeps the image and the Python packages current.",
  "extends": ["config:recommended"],
  "schedule": ["before 6am on monday"]
}
"""


def pipeline_files() -> dict[str, str]:
    text = _GITLAB.format(python=PYTHON, limit=TIME_LIMIT_MINUTES, install=INSTALL)
    return {".gitlab-ci.yml": text, "renovate.json": _RENOVATE}
