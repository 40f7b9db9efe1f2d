"""Layer 6. What `sitegen init` prints last: the steps left for the site's host.

Everything a new site needs that `init` cannot do from the user's machine: the
repository, the host's settings and secrets, the CMS's sign-in and the
schedule. docs/en/operators.md explains each in full.
"""

from __future__ import annotations

_PUSH = ("Put the site in its repository: cd {folder} && git init -b main && git add -A && "
         "git commit -m 'New site' && git remote add origin {remote} && git push -u origin main")

_HOST = {
    "github": [
        "In the repository's Settings > Pages, set Source to \"GitHub Actions\".",
    ],
    "gitlab": [
        "Add a pipeline schedule: Build > Pipeline schedules > New, interval \"*/30 * * * *\", "
        "branch main (scheduled stories go live only when the site is rebuilt).",
        "GitLab Pages publishes the `pages` job's public/ folder: Deploy > Pages shows the "
        "address.",
        "Renovate (renovate.json) keeps the pinned image and packages current if the "
        "project runs the Renovate bot.",
    ],
    "netlify": [
        "Create the site in Netlify (Add new project > Deploy manually is enough), then, in "
        "the repository's Settings > Environments, create the environment production "
        "(deployment branches: main) with the secrets NETLIFY_AUTH_TOKEN (User settings > "
        "Applications > Personal access tokens) and NETLIFY_SITE_ID (Project configuration "
        "> Site ID).",
        "For the CMS's \"Sign In with GitHub\": in Netlify, Project configuration > Access & "
        "security > OAuth > Install provider > GitHub, with a GitHub OAuth app whose callback "
        "is https://api.netlify.com/auth/done.",
    ],
    "cloudflare": [
        "Create the Pages project (Workers & Pages > Create > Pages > Direct upload) with the "
        "name in wrangler.toml, then, in the repository's Settings > Environments, create the "
        "environment production (deployment branches: main) with the secrets "
        "CLOUDFLARE_API_TOKEN (a token with \"Cloudflare Pages: Edit\") and "
        "CLOUDFLARE_ACCOUNT_ID.",
    ],
    "s3": [
        "Create a bucket with static website hosting and an IAM role that may write it and "
        "trusts GitHub's OIDC provider for the subject "
        "repo:{repo}:environment:production (the publishing job runs in the environment "
        "production: create it under Settings > Environments, deployment branches: main); "
        "then set the repository variables AWS_ROLE_ARN, AWS_REGION and S3_BUCKET.",
        "Put CloudFront in front of the bucket for HTTPS.",
    ],
}

_CMS = {
    "token": "Editors sign in at /admin/ with \"Sign In Using Access Token\": a {service} "
             "personal access token with write access to {repo} ({token_help}).",
    "pkce": "Editors sign in at /admin/ with \"Sign In with GitLab\" (the OAuth application "
            "[cms] app_id names; its redirect URI must be the site's /admin/ address).",
    "oauth": "Editors sign in at /admin/ with \"Sign In with GitHub\" (through {oauth}) or "
             "with a personal access token.",
}
_TOKEN_HELP = {
    "github": "GitHub > Settings > Developer settings > Fine-grained tokens: this repository, "
              "Contents read and write",
    "gitlab": "GitLab > Preferences > Access tokens: scope api",
}


def lines(folder: str, host: str, repo: str, backend: str, auth_type: str,
          base_url: str = "") -> list[str]:
    """The numbered next steps, for the terminal."""
    service = "GitLab" if backend == "gitlab" else "GitHub"
    remote = (f"git@gitlab.com:{repo}.git" if backend == "gitlab" else
              f"git@github.com:{repo}.git") if repo else "<your repository's URL>"
    steps = []
    if not repo:
        steps.append("Say which repository the site lives in, for the CMS: add "
                     "repo = \"OWNER/NAME\" under [cms] in sitegen.toml and run `sitegen admin` "
                     "(or init again with --repo OWNER/NAME).")
    steps.append(_PUSH.format(folder=folder, remote=remote))
    steps += [step.replace("{repo}", repo or "OWNER/NAME") for step in _HOST[host]]
    steps.append(_CMS[auth_type].format(service=service, repo=repo or "the repository",
                                        token_help=_TOKEN_HELP.get(backend, ""),
                                        oauth=base_url or "Netlify's OAuth service"))
    if host != "gitlab":
        steps.append("Nothing to set for the schedule: the workflow publishes on every push to "
                     "main and every 30 minutes (scheduled stories). GitHub pauses schedules "
                     "in a public repository after 60 days without activity: re-enable the "
                     "workflow under Actions if that happens.")
        steps.append("Dependabot (.github/dependabot.yml) proposes updates of the pinned "
                     "actions and packages every week.")
    steps.append("Keep .sitegen/ in the repository: it pins the sitegen your CI installs.")
    return [f"{n}. {text}" for n, text in enumerate(steps, 1)]
