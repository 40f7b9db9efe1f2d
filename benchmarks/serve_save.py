"""Time from a save to the page's new bytes, through the real `sitegen serve` (its
watcher and the quiet time that ends a burst of changes included).

    python benchmarks/serve_save.py SITE [--sitegen PATH ...] [--search]

starts `python -m sitegen serve` on the site once per sitegen checkout given (default:
this working tree; another folder holding a `sitegen` package, for example an older
commit unpacked with `git archive`, measures that one: before and after side by side),
waits for its first build, then appends a sentence to one article's body several times
and polls the page's file in `.sitegen/serve/` until it holds the sentence. Prints, per
edit, the seconds from the save to the new bytes on disk, and the CPU seconds the
server's process used in between. Each checkout builds into the site's own
`.sitegen/serve/` in turn, so give each a copy of the site to keep their caches warm.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cpu(pid: int) -> float:
    """User + system CPU seconds of a process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(site: Path, checkout: Path, edits: int, search: bool, log: Path,
            gap: float) -> list[float]:
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    command = [sys.executable, "-m", "sitegen", "serve", "--source", str(site),
               "--port", str(port), *(["--search"] if search else [])]
    sources = sorted((site / "content").rglob("*.md"))
    source = sources[len(sources) // 2]
    original = source.read_text(encoding="utf-8")
    relative = source.relative_to(site / "content").with_suffix("")
    page = site / ".sitegen/serve" / relative / "index.html"
    seconds = []
    with log.open("wb") as output:
        # Started in the checkout: `python -m` puts the working folder first on the path.
        server = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL, env=env, start_new_session=True,
                                  cwd=checkout)
        try:
            started = time.perf_counter()
            while b"serving http" not in log.read_bytes():
                if server.poll() is not None:
                    raise RuntimeError(f"serve stopped: see {log}")
                time.sleep(0.2)
            print(f"  {checkout}: first build and serving after "
                  f"{time.perf_counter() - started:.1f} s", flush=True)
            time.sleep(2)
            for number in range(edits):
                marker = f"Kalimat simpan {number} {time.time_ns()}."
                cpu = _cpu(server.pid)
                source.write_text(f"{original}\n\n{marker}\n", encoding="utf-8")
                saved = time.perf_counter()
                wanted = marker.encode()
                while True:
                    try:
                        if wanted in page.read_bytes():
                            break
                    except OSError:
                        pass
                    time.sleep(0.002)
                seconds.append(time.perf_counter() - saved)
                shown = _cpu(server.pid) - cpu
                time.sleep(gap)  # 6 s: the build after it is done before the next save
                print(f"  save -> page on disk {seconds[-1]:.3f} s (server CPU meanwhile "
                      f"{shown:.2f} s), load {os.getloadavg()[0]:.1f}", flush=True)
        finally:
            source.write_text(original, encoding="utf-8")
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(60)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sites", type=Path, nargs="+",
                        help="one site per checkout (copies of one corpus)")
    parser.add_argument("--sitegen", type=Path, action="append",
                        help="a checkout holding the sitegen package (default: this one)")
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--search", action="store_true", help="serve --search")
    parser.add_argument("--gap", type=float, default=6.0,
                        help="seconds from a page shown to the next save (small: saves in a row)")
    args = parser.parse_args()
    checkouts = args.sitegen or [HERE]
    if len(args.sites) != len(checkouts):
        parser.error("give one site per --sitegen")
    for site, checkout in zip(args.sites, checkouts, strict=True):
        found = measure(site.resolve(), checkout.resolve(), args.edits, args.search,
                        site.resolve().parent / f"serve-save-{site.name}.log", args.gap)
        found.sort()
        print(f"{checkout}: median {found[len(found) // 2]:.3f} s, best {found[0]:.3f} s, "
              f"worst {found[-1]:.3f} s", flush=True)


if __name__ == "__main__":
    main()
