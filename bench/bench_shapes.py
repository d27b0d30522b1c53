"""Benchmark: ``diagnose --json`` on the shapes of issue 13, next to lnav and a
plain line scan, in the same run.

    python bench/bench_shapes.py                              # short, 1M lines
    python bench/bench_shapes.py --shapes short,both,mixed15 --sizes 1000000,2000000
    python bench/bench_shapes.py --shapes short --sizes 1000000,2000000,4000000,8000000

For every file (generated once by bench/gen_shapes.py into bench/out/) and
every command, ``--repeat`` runs (default 3), the median wall time, the peak
RSS of the whole process tree (the process and every child it forks, summed,
sampled from /proc every 20 ms), the time per million lines and the load
average at that moment:

* ``scan``: ``for line in f: if "EZD" in line: n += 1`` (the floor of any
  Python reader);
* ``lnav``: ``lnav -n -c ';SELECT count(*) FROM all_logs' FILE`` (its headless
  load; skipped when lnav is not installed);
* ``diagnose``: ``python -m tlsworkbench diagnose FILE --json`` to /dev/null, as
  a user runs it.

CPU seconds (user + system) are printed next to the wall time: on a machine
shared with other work they move less than the wall time.

The three commands take turns within each repeat, so a busy minute on a shared
machine slows all three alike: compare the ratios.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
PAGE = os.sysconf("SC_PAGE_SIZE")
SCAN = ("import sys\nn = 0\nfor line in open(sys.argv[1], encoding='utf-8', errors='replace'):\n"
        "    if 'EZD' in line:\n        n += 1\nprint(n)\n")


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
        kids.setdefault(ppid, []).append(int(d))
    return kids


def _tree_rss(pid: int) -> int:
    kids = _children()
    todo, total = [pid], 0
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/statm", "rb") as f:
                total += int(f.read().split()[1]) * PAGE
        except OSError:
            pass
        todo.extend(kids.get(p, ()))
    return total


def run(cmd: list[str], env: dict | None = None) -> tuple[float, int, float]:
    """Wall seconds, the peak RSS (bytes) of the process tree and its CPU
    seconds (user + system, of the process and the children it waited for)."""
    peak = 0
    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    done = threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(proc.pid))
            done.wait(0.02)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    proc.wait()
    secs = time.perf_counter() - t0
    done.set()
    th.join()
    if proc.returncode:
        raise SystemExit(f"{cmd} failed with {proc.returncode}")
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (ru.ru_utime - ru0.ru_utime) + (ru.ru_stime - ru0.ru_stime)
    return secs, peak, cpu


def commands(path: Path) -> dict[str, list[str]]:
    out = {"scan": [sys.executable, "-c", SCAN, str(path)]}
    if shutil.which("lnav"):
        out["lnav"] = ["lnav", "-n", "-c", ";SELECT count(*) FROM all_logs", str(path)]
    out["diagnose"] = [sys.executable, "-m", "tlsworkbench", "diagnose", str(path), "--json"]
    return out


def bench_file(path: Path, lines: int, repeat: int) -> list[dict]:
    env = dict(os.environ, PYTHONPATH=str(SRC))
    cmds = commands(path)
    got: dict[str, list] = {k: [] for k in cmds}
    loads: list[float] = []
    for _ in range(repeat):
        for name, cmd in cmds.items():
            loads.append(os.getloadavg()[0])
            got[name].append(run(cmd, env))
    rows = []
    for name, runs in got.items():
        secs = statistics.median(s for s, _, _ in runs)
        cpu = statistics.median(c for _, _, c in runs)
        rss = max(r for _, r, _ in runs)
        rows.append({"file": path.name, "lines": lines, "size": path.stat().st_size, "what": name,
                     "seconds": secs, "cpu": cpu, "per_million": secs / (lines / 1e6), "rss": rss,
                     "runs": [round(s, 2) for s, _, _ in runs],
                     "load": f"{min(loads):.1f}-{max(loads):.1f}"})
    return rows


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--shapes", default="short")
    p.add_argument("--sizes", default="1000000")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--out-dir", default=str(HERE / "out"))
    args = p.parse_args(argv)
    sys.path.insert(0, str(HERE))
    import gen_shapes

    print(f"{'file':<24} {'what':<9} {'median s':>9} {'cpu s':>6} {'s/M lines':>9} {'tree RSS MiB':>12} "
          f"{'RSS/file':>8}  runs                load", flush=True)
    for shape in args.shapes.split(","):
        for size in map(int, args.sizes.split(",")):
            path = gen_shapes.path_for(Path(args.out_dir), shape, size)
            if not path.exists():
                gen_shapes.write(shape, size, 13, path)
            for r in bench_file(path, size, args.repeat):
                print(f"{r['file']:<24} {r['what']:<9} {r['seconds']:9.2f} {r['cpu']:6.2f} {r['per_million']:9.2f} "
                      f"{r['rss'] / 2**20:12.0f} {r['rss'] / r['size']:8.2f}  "
                      f"{str(r['runs']):<19} {r['load']}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
