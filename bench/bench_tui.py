"""Workbench benchmark (not a test): a 1M-line session in the headless app.

    python bench/gen_logs.py --lines 1000000 --seed 7 -o bench/out/syslogd_1000000.log
    python bench/bench_tui.py bench/out/syslogd_1000000.log [--selections 200] [--append]

Measures
* time to first screen: from importing the workbench to the first frame of the
  whole screen (the first layout the app hands to its display; loading runs
  in a worker started after it, so this does not wait for it; target 1 s).
  Python's own start (about 0.1 s) comes on top;
* time until loaded: the engine's load + correlate + diagnose, then the console
  line index and the selection index;
* selection-to-highlight latency over N selections of lines of the session
  (failing lines first, then others): "panes updated" is the app's selection
  watcher plus every pane's (index lookup, highlight sets, trees, lists);
  "painted" adds the next screen update. Target 50 ms.
``--append`` adds the numbers to docs/benchmarks.md under "Workbench".
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


async def run(paths, n_sel, size):
    out = {}
    t0 = time.perf_counter()  # before the workbench's imports: they are start-up too
    from tlsworkbench.tui.app import make_app
    from tlsworkbench.tui.config import Config

    out["import"] = time.perf_counter() - t0
    app = make_app(list(paths), config=Config(), env={})
    display = app._display
    painted: list[float] = []

    frames: list[float] = []  # every update handed to the display after a selection

    def first_frame(screen, update):
        # the app hands every frame to _display (headless: not written); the
        # first whole-screen layout after mount is the first screen
        if update is not None and not painted and screen is app.screen \
                and type(update).__name__ == "LayoutUpdate":
            painted.append(time.perf_counter())
        if update is not None:
            frames.append(time.perf_counter())
        display(screen, update)

    app._display = first_frame
    async with app.run_test(size=size) as pilot:
        while not painted:
            await asyncio.sleep(0.001)
        out["first_screen"] = painted[0] - t0
        while app.loading:  # set on mount; the worker starts after the first frame
            await app.workers.wait_for_complete()
            await asyncio.sleep(0.01)
        await pilot.pause()
        out["loaded"] = time.perf_counter() - t0
        s = app.session
        view = app.query_one("#console-view")
        out["lines"] = len(view.index) if view.index else 0
        out["records"] = len(s.records)
        out["connections"] = len(s.connections)
        out["findings"] = len(s.findings)
        rng = random.Random(7)
        errors = [r.id for r in s.records if r.severity == "error"]
        others = [r.id for r in s.records if r.severity != "error"]
        ids = errors[: n_sel // 2]
        ids += rng.sample(others, min(len(others), n_sel - len(ids)))
        updated, painted, settled = [], [], []
        for rid in ids:
            frames.clear()
            t1 = time.perf_counter()
            app.select(rid, "bench")
            t2 = time.perf_counter()
            await pilot.pause()
            t3 = time.perf_counter()
            updated.append(t2 - t1)
            # the last screen update the selection caused, as handed to the
            # terminal driver (pilot.pause itself waits for idle on top of that)
            painted.append((frames[-1] if frames else t3) - t1)
            settled.append(t3 - t1)
        out["n"] = len(ids)
        out["updated"] = updated
        out["painted"] = painted
        out["settled"] = settled
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--selections", type=int, default=200)
    ap.add_argument("--size", default="160x50")
    ap.add_argument("--append", action="store_true", help="append to docs/benchmarks.md")
    args = ap.parse_args(argv)
    w, h = (int(x) for x in args.size.split("x"))
    with tempfile.TemporaryDirectory() as tmp:  # no user config or recent files
        os.environ["XDG_CONFIG_HOME"] = tmp
        os.environ["XDG_STATE_HOME"] = tmp
        r = asyncio.run(run(args.paths, args.selections, (w, h)))
    ms = lambda v: f"{v * 1000:.1f} ms"  # noqa: E731
    lines = [
        f"input: {' '.join(args.paths)} ({r['lines']:,} console lines, {r['records']:,} records, "
        f"{r['connections']:,} connections, {r['findings']:,} findings); terminal {args.size}",
        f"time to first screen: {r['first_screen']:.2f} s, of which importing the workbench "
        f"{r['import']:.2f} s (target 1 s)",
        f"time until loaded and indexed: {r['loaded']:.1f} s",
        f"selection to panes updated, {r['n']} selections: median {ms(statistics.median(r['updated']))}, "
        f"p95 {ms(pct(r['updated'], 95))} (target 50 ms)",
        f"selection to last screen update handed to the terminal: median "
        f"{ms(statistics.median(r['painted']))}, p95 {ms(pct(r['painted'], 95))}",
        f"selection until the app is idle again (pilot.pause): median "
        f"{ms(statistics.median(r['settled']))}, p95 {ms(pct(r['settled'], 95))}",
    ]
    print("\n".join(lines))
    if args.append:
        doc = ROOT / "docs" / "benchmarks.md"
        text = doc.read_text(encoding="utf-8") if doc.exists() else "# Benchmarks\n"
        block = (f"\n### {time.strftime('%Y-%m-%d')} `python bench/bench_tui.py {' '.join(args.paths)}`"
                 f" ({platform.python_implementation()} {platform.python_version()}, "
                 f"{os.cpu_count()} cores)\n\n" + "\n".join(f"- {x}" for x in lines) + "\n")
        if "\n## Workbench\n" not in text:
            text = text.rstrip("\n") + "\n\n## Workbench\n"
        head, sep, tail = text.partition("\n## Workbench\n")
        nxt = tail.find("\n## ")
        if nxt < 0:
            tail = tail.rstrip("\n") + "\n" + block
        else:
            tail = tail[:nxt].rstrip("\n") + "\n" + block + tail[nxt:]
        doc.write_text(head + sep + tail, encoding="utf-8")
        print(f"appended to {doc}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    raise SystemExit(main())
