"""Workbench benchmark (not a test): a 1M-line session in the headless app.

    python bench/gen_logs.py --lines 1000000 --seed 7 -o bench/out/syslogd_1000000.log
    python bench/bench_tui.py bench/out/syslogd_1000000.log [--selections 200] [--size 160x50]
        [--append] [--counters] [--profile N [--sort tottime]]

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
  "last screen update" is when the last screen update the selection caused is
  handed to the terminal driver. Target 50 ms.
``--append`` adds the numbers to docs/benchmarks.md under "Workbench".
``--counters`` adds what Textual did per selection (deterministic, unlike the
times): layout passes (full reflows of the screen), scroll reflows, full and
partial screen renders (frames), widgets whose content was rendered again,
which widgets asked for a layout, garbage collections, the ten slowest
selections, and the times per number of layout passes and frames.
``--profile N`` prints the N most expensive functions over the selections
(cProfile; ``--sort tottime`` for time spent in the function itself).
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


class Counters:
    """Counts Textual's work by wrapping a few of its methods (bench only)."""

    def __init__(self) -> None:
        from collections import Counter

        self.c = Counter()
        self.layout_from = Counter()
        self.rendered = Counter()
        self.on = False

    def install(self) -> None:
        from textual._compositor import Compositor
        from textual.screen import Screen
        from textual.widget import Widget

        me = self

        def wrap(cls, name, count):
            orig = getattr(cls, name)

            def wrapper(*a, **kw):
                if me.on:
                    count(*a, **kw)
                return orig(*a, **kw)

            wrapper.__wrapped__ = orig
            setattr(cls, name, wrapper)

        def name_of(w):
            name = f"{type(w).__name__}#{w.id}" if w.id else type(w).__name__
            if type(w).__name__ == "ScrollBar" and w.parent is not None:
                name += f"({name_of(w.parent)})"  # whose scrollbar
            return name

        def layout(screen, size=None, scroll=False):
            me.c["scroll reflows" if scroll and not screen._layout_widgets else "layout passes"] += 1

        wrap(Screen, "_refresh_layout", layout)
        wrap(Compositor, "render_full_update", lambda *a, **k: me.c.update(["full renders"]))
        wrap(Compositor, "render_partial_update", lambda *a, **k: me.c.update(["partial renders"]))

        def rendered(w):
            me.c["widget renders"] += 1
            me.rendered[name_of(w)] += 1

        wrap(Widget, "_render_content", rendered)
        orig_on_layout = Screen._on_layout

        async def on_layout(screen, message):
            if me.on:
                me.layout_from[name_of(message.widget)] += 1
            return await orig_on_layout(screen, message)

        Screen._on_layout = on_layout
        import gc

        started = {}

        def collected(phase, info):
            if not me.on:
                return
            if phase == "start":
                started["t"] = time.perf_counter()
            elif "t" in started:
                gen = info.get("generation")
                me.c[f"gc gen{gen}"] += 1
                me.c[f"gc gen{gen} ms"] += (time.perf_counter() - started.pop("t")) * 1000

        gc.callbacks.append(collected)

    def report(self, n: int) -> list[str]:
        per = lambda v: f"{v / max(1, n):.2f}"  # noqa: E731
        keys = ["layout passes", "scroll reflows", "full renders", "partial renders",
                "widget renders"]
        lines = ["per selection: " + ", ".join(f"{k} {per(self.c[k])}" for k in keys)]
        if self.layout_from:
            lines.append("layout asked for by (per selection): " + ", ".join(
                f"{k} {per(v)}" for k, v in self.layout_from.most_common(8)))
        gcs = [f"gen{g}: {self.c[f'gc gen{g}']} taking {self.c[f'gc gen{g} ms']:.0f} ms"
               for g in range(3) if self.c[f"gc gen{g}"]]
        if gcs:
            lines.append(f"garbage collections over the {n} selections: " + ", ".join(gcs))
        if self.rendered:
            lines.append("widgets rendered again (per selection): " + ", ".join(
                f"{k} {per(v)}" for k, v in self.rendered.most_common(10)))
        return lines


async def run(paths, n_sel, size, counters=None, profile=None):
    out = {}
    t0 = time.perf_counter()  # before the workbench's imports: they are start-up too
    from tlsworkbench.tui.app import make_app
    from tlsworkbench.tui.config import Config

    out["import"] = time.perf_counter() - t0
    if counters is not None:
        counters.install()
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
        if counters is not None:
            counters.on = True
        if profile is not None:
            profile.enable()
        per_sel = []  # (layout passes, frames) of each selection, with --counters
        for rid in ids:
            before = (counters.c["layout passes"], counters.c["full renders"]
                      + counters.c["partial renders"]) if counters is not None else None
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
            if counters is not None:
                per_sel.append((counters.c["layout passes"] - before[0],
                                counters.c["full renders"] + counters.c["partial renders"]
                                - before[1]))
        if profile is not None:
            profile.disable()
        if counters is not None:
            counters.on = False
        out["n"] = len(ids)
        out["updated"] = updated
        out["painted"] = painted
        out["settled"] = settled
        out["per_selection"] = per_sel
        out["ids"] = ids
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--selections", type=int, default=200)
    ap.add_argument("--size", default="160x50")
    ap.add_argument("--append", action="store_true", help="append to docs/benchmarks.md")
    ap.add_argument("--counters", action="store_true",
                    help="count layout passes, renders and re-rendered widgets per selection")
    ap.add_argument("--profile", type=int, default=0, metavar="N",
                    help="print the N most expensive functions over the selections (cProfile)")
    ap.add_argument("--sort", default="cumulative", help="cProfile order (cumulative, tottime)")
    args = ap.parse_args(argv)
    counters = Counters() if args.counters else None
    prof = None
    if args.profile:
        import cProfile

        prof = cProfile.Profile()
    w, h = (int(x) for x in args.size.split("x"))
    with tempfile.TemporaryDirectory() as tmp:  # no user config or recent files
        os.environ["XDG_CONFIG_HOME"] = tmp
        os.environ["XDG_STATE_HOME"] = tmp
        r = asyncio.run(run(args.paths, args.selections, (w, h), counters, prof))
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
    if counters is not None:
        lines += counters.report(r["n"])
        groups: dict = {}
        for (lay, fr), p in zip(r["per_selection"], r["painted"]):
            groups.setdefault((min(lay, 2), min(fr, 3)), []).append(p)
        worst = sorted(range(r["n"]), key=lambda i: -r["painted"][i])[:10]
        lines.append("  slowest: " + ", ".join(
            f"#{i} {ms(r['painted'][i])} (panes {ms(r['updated'][i])}, "
            f"{r['per_selection'][i][0]} layouts)" for i in worst))
        for (lay, fr), ps in sorted(groups.items()):
            lines.append(f"  {len(ps):3d} selections with {lay}{'+' if lay == 2 else ''} layout "
                         f"passes, {fr}{'+' if fr == 3 else ''} frames: last screen update "
                         f"median {ms(statistics.median(ps))}, p95 {ms(pct(ps, 95))}")
    print("\n".join(lines))
    if prof is not None:
        import pstats

        pstats.Stats(prof).sort_stats(args.sort).print_stats(args.profile)
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
