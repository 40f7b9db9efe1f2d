"""How long `sitegen import jekyll` takes on a generated Jekyll archive.

    python benchmarks/import_jekyll.py --posts 1000

Writes a Jekyll site of N posts (dated file names, Liquid over `_data/`, a
highlight block, an include, a post_url link, kramdown attributes), imports it
into a fresh sitegen site and prints the time of the import and of the first
build of what it wrote.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

POST = """\
---
title: "Post {n}"
categories: [news, world]
tags: [tag{t}]
description: Summary of post {n}.
translator: Person {t}
---

Intro of post {n} on {{{{ site.title }}}}, see [before]({{% post_url {previous} %}}).

## Section
{{: #section-{n} }}

{{% assign r = site.data.releases | last %}}
Latest: {{{{ r.version }}}}.

{{% highlight python %}}
print({n})
{{% endhighlight %}}

{{% include note.html text="note {n}" %}}
"""


def write_site(root: Path, posts: int) -> None:
    (root / "_posts").mkdir(parents=True)
    (root / "_data").mkdir()
    (root / "_includes").mkdir()
    (root / "_config.yml").write_text("title: Bench\npermalink: pretty\n")
    (root / "_data/releases.yml").write_text("- {version: '1.0'}\n- {version: '2.0'}\n")
    (root / "_includes/note.html").write_text("<aside>{{ include.text }}</aside>\n")
    names = [f"2020-{1 + n % 12:02d}-{1 + n % 28:02d}-post-{n}" for n in range(posts)]
    for n, name in enumerate(names):
        text = POST.format(n=n, t=n % 50, previous=names[n - 1])
        (root / "_posts" / f"{name}.md").write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        old, new = Path(work) / "old", Path(work) / "new"
        write_site(old, args.posts)
        new.mkdir()
        (new / "sitegen.toml").write_text('[site]\nbase_url = "https://example.org/"\n'
                                          "[build]\nsearch = false\n")
        for step, command in (("import", ["import", "jekyll", str(old)]),
                              ("build", ["build", "--no-cache", "--jobs", "2"])):
            started = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "sitegen", *command, "--source",
                                   str(new)], capture_output=True, text=True)
            seconds = time.perf_counter() - started
            print(f"{step:<7} {args.posts} posts: {seconds:6.2f} s (exit {done.returncode})")
            if done.returncode:
                print(done.stderr[-2000:])


if __name__ == "__main__":
    main()
