"""Layer 5.9. The GitHub workflow of `sitegen init --host github --shards N`.

The archive is built as N shards in a job matrix (`sitegen build --shard K/N`),
each job keeping its own build cache and partial output (actions/cache, keyed
per shard and branch), uploading its partial output as an artifact; one merge
job downloads them all, runs `sitegen build --merge`, and publishes as the
single-job workflow does (hosts.py). The same rules hold: pinned actions,
least privileges, a pull request built with --strict and nothing published or
cached from it; the main branch builds with --keep-going and a left-out file
fails the run after publishing.
"""

from __future__ import annotations

from sitegen.errors import Problem, SitegenError

MAX_SHARDS = 256
"""GitHub runs at most 256 jobs of one matrix."""

# action -> (commit, release tag), as in hosts.ACTIONS; Dependabot moves them.
ACTIONS = {
    "actions/upload-artifact": ("ea165f8d65b6e75b540449e92b4886f43607fa02", "v4.6.2"),
    "actions/download-artifact": ("d3f86a106a0bac45b974a628896c90dbdf5c8093", "v4.3.0"),
}
PARTS = "parts"
"""Where the shards' partial outputs are, in each job (parts/shard-K)."""

_WORKFLOW = """\
# Builds the site with sitegen as <<count>> shards and publishes it on GitHub Pages.
# Written by `sitegen init --host github --shards <<count>>`; README "Shards and a
# merge" explains the steps.
name: Deploy

on:
  push:
    branches: [main]
  # A pull request is built with --strict: any problem fails the check, nothing is
  # published and no cache is saved.
  pull_request:
  schedule:
    - cron: "*/30 * * * *"
  workflow_dispatch:

permissions: {}

concurrency:
  group: deploy-${{ github.ref }}
  cancel-in-progress: ${{ github.event_name == 'pull_request' }}

jobs:
  shard:
    name: Build shard ${{ matrix.shard }}/<<count>>
    runs-on: ubuntu-latest
    timeout-minutes: <<limit>>
    permissions:
      contents: read  # checks out the repository
      pages: read  # configure-pages reads the site's Pages address
    strategy:
      fail-fast: true
      matrix:
        shard: [<<matrix>>]
    steps:
<<setup>>
<<pages>>
      # Each shard's own build cache and partial output, keyed by shard and branch (a
      # pull request restores its base branch's and saves none).
      - uses: <<cache_restore>>
        with:
          path: |
            .sitegen-cache
            parts/shard-${{ matrix.shard }}
          key: <<shard_key>><<branch>>-${{ github.run_id }}
          restore-keys: <<shard_key>><<branch>>-
      - run: sitegen cache prune --max-size 4GB
      - name: Build the shard
        env:
          SHARD: ${{ matrix.shard }}
          MODE: ${{ github.event_name == 'pull_request' && '--strict' || '--keep-going' }}
<<base_url_env>>        run: |
          status=0
          sitegen build --shard "$SHARD/<<count>>" --output "parts/shard-$SHARD" "$MODE" \\
            --report build-report.json${BASE_URL:+ --base-url "$BASE_URL/"} || status=$?
          sitegen ci-report build-report.json --github --status "$status"
          # 2: files were left out (the summary names them); the merge says so again.
          echo "$status" > "parts/status-$SHARD"
          test "$status" -eq 0 || test "$status" -eq 2
      - if: github.event_name != 'pull_request'
        uses: <<cache_save>>
        with:
          path: |
            .sitegen-cache
            parts/shard-${{ matrix.shard }}
          key: <<shard_key>>${{ github.ref_name }}-${{ github.run_id }}
      - uses: <<upload_artifact>>
        with:
          name: shard-${{ matrix.shard }}
          path: |
            parts/shard-${{ matrix.shard }}
            parts/status-${{ matrix.shard }}
          retention-days: 1
          if-no-files-found: error
  merge:
    name: Merge and publish
    needs: shard
    runs-on: ubuntu-latest
    timeout-minutes: <<limit>>
    permissions:
      contents: read  # checks out the repository
      pages: read  # configure-pages reads the site's Pages address
    outputs:
      skipped: ${{ steps.merge.outputs.skipped }}
    steps:
<<setup>>
<<pages>>
      - uses: <<cache_restore>>
        with:
          path: |
            .sitegen-cache
            output
          key: <<merge_key>><<branch>>-${{ github.run_id }}
          restore-keys: <<merge_key>><<branch>>-
      - uses: <<download_artifact>>
        with:
          pattern: shard-*
          path: parts
          merge-multiple: true
      # The editors' app at /admin/, from the npm registry, its hashes checked.
      - run: sitegen fetch-cms
      - name: Merge
        id: merge
        env:
          MODE: ${{ github.event_name == 'pull_request' && '--strict' || '--keep-going' }}
<<base_url_env>>        run: |
          status=0
          sitegen build --merge parts/shard-* "$MODE" \\
            --report build-report.json${BASE_URL:+ --base-url "$BASE_URL/"} || status=$?
          sitegen ci-report build-report.json --github --status "$status"
          # A shard that left files out makes the run fail after publishing, too.
          if grep -qx 2 parts/status-*; then echo "skipped=shards" >> "$GITHUB_OUTPUT"; fi
          test "$status" -eq 0 || test "$status" -eq 2
      - if: github.event_name != 'pull_request'
        uses: <<cache_save>>
        with:
          path: |
            .sitegen-cache
            output
          key: <<merge_key>>${{ github.ref_name }}-${{ github.run_id }}
      - if: github.event_name != 'pull_request'
        uses: <<upload_pages_artifact>>
        with:
          path: output
  deploy:
    name: Deploy to GitHub Pages
    if: github.event_name != 'pull_request'
    needs: merge
    runs-on: ubuntu-latest
    timeout-minutes: 10
    permissions:
      pages: write  # deploy-pages publishes the artifact
      id-token: write  # and proves this run with a GitHub-signed token
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: <<deploy_pages>>
      - name: Files left out
        if: needs.merge.outputs.skipped != '0' && needs.merge.outputs.skipped != ''
        env:
          SKIPPED: ${{ needs.merge.outputs.skipped }}
        run: |
          echo "::error title=Files left out::files were left out of the published site" \\
            "($SKIPPED): the summaries of the Build and Merge steps name them"
          exit 1
"""

_PAGES = """\
      - id: pages
        if: github.event_name != 'pull_request'
        uses: <<configure_pages>>"""

_BASE_URL_ENV = """\
          # Pages' address, e.g. https://USER.github.io/REPO (none in a pull request).
          BASE_URL: ${{ steps.pages.outputs.base_url }}
"""


def check_count(host: str, count: int) -> None:
    """--shards N: from 2 to 256, on GitHub (whose job matrix runs the shards)."""
    if host != "github":
        raise SitegenError([Problem("--shards", 0, "a sharded workflow is written for "
                                    "--host github only (GitHub Actions' job matrix)")])
    if not 2 <= count <= MAX_SHARDS:
        raise SitegenError([Problem("--shards", 0, f"{count} shards: give from 2 to "
                                    f"{MAX_SHARDS} (one job of the matrix each)")])


def workflow(count: int, values: dict[str, str], uses: dict[str, str]) -> str:
    """The sharded workflow; `values` are hosts.py's (setup steps, time limit), `uses`
    the pinned actions by placeholder name."""
    filled: dict[str, str] = {**values, **uses, "count": str(count), "pages": _fill(_PAGES, uses),
              "matrix": ", ".join(str(n) for n in range(1, count + 1)),
              "base_url_env": _BASE_URL_ENV,
              # Cache keys: per shard, per branch (a pull request's: its base branch's).
              "shard_key": "sitegen-shard-${{ matrix.shard }}-of-" + str(count)
                           + "-${{ runner.os }}-",
              "merge_key": "sitegen-merge-" + str(count) + "-${{ runner.os }}-",
              "branch": "${{ github.base_ref || github.ref_name }}"}
    return _fill(_WORKFLOW, filled)


def _fill(template: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        template = template.replace(f"<<{name}>>", value)
    assert "<<" not in template, template
    return template

