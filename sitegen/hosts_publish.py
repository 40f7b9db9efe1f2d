"""Layer 5.8. How the GitHub Actions pipeline of `sitegen init --host` publishes on each
host: GitHub Pages (an artifact the deploy job publishes), Netlify and Cloudflare Pages
(their CLIs, with the tokens of an environment only main may use), an S3 bucket website
(an OIDC role, long caching for fingerprinted names, aliases as real 301s); the
publishing job's permissions and the host's own configuration file. `hosts` puts them
into the workflow (`<<name>>` placeholders it fills).
"""

from __future__ import annotations

GITHUB_BUILD_ENV = """\
        env:
          # Pages' address, e.g. https://USER.github.io/REPO (with the path).
          BASE_URL: ${{ steps.pages.outputs.base_url }}
"""

_GITHUB = """\
      - id: pages
        uses: <<configure_pages>>
<<build>>      - uses: <<upload_pages_artifact>>
        with:
          path: output
  deploy:
    name: Deploy to GitHub Pages
    needs: build
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
<<left_out>>"""

_NETLIFY = """\
<<build>>      - name: Deploy to Netlify
        env:
          # Netlify: User settings > Applications > Personal access tokens, and the
          # site's Project configuration > Site ID; both as secrets of the environment
          # production (Settings > Environments), which only main may use.
          NETLIFY_AUTH_TOKEN: ${{ secrets.NETLIFY_AUTH_TOKEN }}
          NETLIFY_SITE_ID: ${{ secrets.NETLIFY_SITE_ID }}
        run: npx --yes <<netlify_cli>> deploy --prod --no-build --dir output
<<left_out>>"""

_CLOUDFLARE = """\
<<build>>      - name: Deploy to Cloudflare Pages
        env:
          # An API token with "Cloudflare Pages: Edit", and the account's ID.
          CLOUDFLARE_API_TOKEN: ${{ secrets.CLOUDFLARE_API_TOKEN }}
          CLOUDFLARE_ACCOUNT_ID: ${{ secrets.CLOUDFLARE_ACCOUNT_ID }}
        # wrangler.toml names the project and the output folder.
        run: npx --yes <<wrangler>> pages deploy --branch main
<<left_out>>"""

# Fingerprinted names (style.5fe18dec5c.css) never change content: cached for a
# year. Everything else is revalidated after five minutes, so news stays fresh.
_S3 = """\
<<build>>      - uses: <<aws_credentials>>
        with:
          # An IAM role that trusts GitHub's OIDC provider and may write the bucket.
          role-to-assume: ${{ vars.AWS_ROLE_ARN }}
          aws-region: ${{ vars.AWS_REGION }}
      - name: Upload to S3
        env:
          BUCKET: ${{ vars.S3_BUCKET }}
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
            case "$key" in ""|*/) key="${key}index.html" ;; esac
            aws s3 cp "output/$key" "s3://$BUCKET/$key" --website-redirect "$to" \\
              --cache-control "public, max-age=300"
          done
<<left_out>>"""

NETLIFY_TOML = """\
# Netlify reads this file. The site is built in GitHub Actions
# (.github/workflows/deploy.yml) and output/ is deployed with the Netlify CLI, so
# Netlify's own build is skipped ("ignore" exits 0) if the repository is linked.
# The build writes output/_headers and output/_redirects; Netlify applies both.
[build]
  publish = "output"
  command = "sitegen build --strict"
  ignore = "exit 0"

[build.environment]
  PYTHON_VERSION = "<<python>>"
"""

WRANGLER_TOML = """\
# Read by `wrangler pages deploy` in .github/workflows/deploy.yml. The build writes
# output/_headers and output/_redirects; Cloudflare Pages applies both.
name = "<<project>>"
pages_build_output_dir = "output"
compatibility_date = "2026-11-01"
"""

WHERE = {"github": " on GitHub Pages", "netlify": " on Netlify",
          "cloudflare": " on Cloudflare Pages", "s3": " to an S3 bucket website"}
# The publishing job's permissions: reading the repository, plus what the host needs.
PERMISSIONS = {
    "github": "      contents: read  # checks out the repository\n"
              "      pages: read  # configure-pages reads the site's Pages address\n",
    "s3": "      contents: read  # checks out the repository\n"
          "      id-token: write  # assumes the AWS role with a GitHub-signed token, no keys\n"}
READ = "      contents: read  # checks out the repository\n"
STEPS = {"github": _GITHUB, "netlify": _NETLIFY, "cloudflare": _CLOUDFLARE, "s3": _S3}
