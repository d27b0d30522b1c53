"""Benchmark: ``diagnose`` (load + correlate + diagnose) on a large log.

    python bench/bench_diagnose.py                       # 1M-line syslogd file (generated once)
    python bench/bench_diagnose.py --lines 200000
    python bench/bench_diagnose.py --file my.log --ids 200

Prints, in one run and on the same file:

* a plain-Python line scan (``for line in f: if "EZD" in line: n += 1``) as the
  baseline, and the time of ``engine.open_session`` next to it, with the ratio:
  as the workbench runs it, twice (the second run was the one-process read of
  the former ``ingest/split.py``; ``TLSWORKBENCH_JOBS`` no longer changes
  anything, so the two are now two samples); wall and CPU time;
* peak memory of ``open_session`` (tracemalloc peak, in a separate process so the
  tracing does not slow the timed run; ru_maxrss of the timed process) against
  the file size;
* the index: build time, and ``related()`` latency (median / p95 over random
  record ids: connection lines, plain lines, environment lines).

Each measurement runs in a fresh child process.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET_SECONDS = 4.0


def child_scan(path: str) -> dict:
    t0, c0 = time.perf_counter(), time.process_time()
    n = 0
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if "EZD" in line:
                n += 1
    return {"seconds": time.perf_counter() - t0, "cpu_seconds": time.process_time() - c0,
            "ezd_lines": n}


def child_spin(path: str) -> dict:
    """A fixed pure-Python loop: how fast the machine is right now (a shared
    virtual machine varies by tens of percent from minute to minute)."""
    t0 = time.perf_counter()
    d = {}
    for i in range(6_000_000):
        d[i & 1023] = i
    return {"seconds": time.perf_counter() - t0}


def child_diagnose(path: str, n_ids: int, seed: int) -> dict:
    import resource

    from tlsworkbench.engine import open_session
    from tlsworkbench.model.index import Index

    t0, c0 = time.perf_counter(), time.process_time()
    s = open_session([path])
    t1, c1 = time.perf_counter(), time.process_time()
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    idx = Index(s)
    t2 = time.perf_counter()
    rnd = random.Random(seed)
    art = s.artifacts[0]
    ids = []
    conns = s.connections
    for i in range(n_ids):
        k = i % 3
        if k == 0 and conns:  # a line of a connection
            c = rnd.choice(conns)
            lines = c.line_ids() if hasattr(c, "line_ids") else c.records
            ids.append(rnd.choice(lines))
        elif k == 1 and s.records:  # any recognised record
            ids.append(rnd.choice(s.records).id)
        else:  # any line at all
            ids.append(f"{art.id}:{rnd.randrange(1, art.line_count + 1)}")
    a = time.perf_counter()
    idx.related(ids[0])  # the first call also warms caches: reported on its own
    first_ms = (time.perf_counter() - a) * 1000
    lat = []
    for rid in ids:
        a = time.perf_counter()
        idx.related(rid)
        lat.append((time.perf_counter() - a) * 1000)
    lat.sort()
    rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "seconds": t1 - t0, "cpu_seconds": c1 - c0, "related_first_ms": first_ms,
        "child_cpu_seconds": kids.ru_utime + kids.ru_stime,
        "child_maxrss_bytes": kids.ru_maxrss * 1024,
        "index_build_seconds": t2 - t1,
        "records": len(s.records), "lines": art.line_count, "connections": len(conns),
        "failing": sum(1 for c in conns if c.rcs), "findings": len(s.findings),
        "kind": art.kind,
        "related_ms_median": statistics.median(lat),
        "related_ms_p95": lat[int(len(lat) * 0.95) - 1],
        "related_ms_max": lat[-1],
        "ru_maxrss_bytes": rss_kib * 1024,
    }


def child_memory(path: str) -> dict:
    import tracemalloc

    from tlsworkbench.engine import open_session

    tracemalloc.start()
    s = open_session([path])
    cur, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"tracemalloc_peak_bytes": peak, "tracemalloc_current_bytes": cur,
            "connections": len(s.connections)}


def child_profile(path: str) -> dict:
    import cProfile
    import pstats

    from tlsworkbench.engine import open_session

    prof = cProfile.Profile()
    prof.enable()
    open_session([path])
    prof.disable()
    pstats.Stats(prof, stream=sys.stderr).sort_stats("cumulative").print_stats(35)
    return {}


def _run_child(mode: str, path: str, *extra: str, jobs: int | None = None) -> dict:
    cmd = [sys.executable, __file__, "--child", mode, "--file", path, *extra]
    env = dict(os.environ)
    # the modules' byte code is read from __pycache__ as after `pip install`
    # (which compiles them), even where PYTHONDONTWRITEBYTECODE is set
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if jobs is not None:
        env["TLSWORKBENCH_JOBS"] = str(jobs)
    out = subprocess.run(cmd, capture_output=True, text=True, check=False, env=env)
    if out.returncode != 0:
        sys.stderr.write(out.stderr)
        raise SystemExit(f"child {mode} failed")
    if out.stderr and mode == "profile":
        sys.stderr.write(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description="time tlsworkbench diagnose on a large log")
    p.add_argument("--file", help="log to use (default: generate bench/out/syslogd_<lines>.log)")
    p.add_argument("--lines", type=int, default=1_000_000)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--ids", type=int, default=200, help="random record ids for related()")
    p.add_argument("--profile", action="store_true", help="also print a cProfile of open_session")
    p.add_argument("--no-memory", action="store_true", help="skip the tracemalloc run")
    p.add_argument("--child", help=argparse.SUPPRESS)
    args = p.parse_args(argv)

    if args.child:
        fn = {"scan": lambda: child_scan(args.file),
              "spin": lambda: child_spin(args.file),
              "diagnose": lambda: child_diagnose(args.file, args.ids, args.seed),
              "memory": lambda: child_memory(args.file),
              "profile": lambda: child_profile(args.file)}[args.child]
        print(json.dumps(fn()))
        return 0

    path = args.file
    if path is None:
        path = str(HERE / "out" / f"syslogd_{args.lines}.log")
        if not Path(path).exists():
            print(f"generating {path} ...", file=sys.stderr)
            subprocess.run([sys.executable, str(HERE / "gen_logs.py"), "--lines", str(args.lines),
                            "--seed", str(args.seed), "-o", path], check=True)
    size = os.path.getsize(path)
    import compileall

    import tlsworkbench

    compileall.compile_dir(os.path.dirname(tlsworkbench.__file__), quiet=1)  # as pip install does
    spin = _run_child("spin", path)
    scan = _run_child("scan", path)
    diag = _run_child("diagnose", path, "--ids", str(args.ids), "--seed", str(args.seed))
    one = _run_child("diagnose", path, "--ids", "3", "--seed", str(args.seed), jobs=1)
    mem = None if args.no_memory else _run_child("memory", path)
    if args.profile:
        _run_child("profile", path)

    mb = 1024 * 1024
    print(f"file            {path}")
    print(f"size            {size / mb:8.1f} MiB, {diag['lines']} lines, kind {diag['kind']}")
    print(f"records         {diag['records']} recognised, {diag['connections']} connections "
          f"({diag['failing']} failing), {diag['findings']} findings")
    print(f"load average    {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs "
          "(wall times suffer when others run; CPU times less so)")
    print(f"machine speed   {spin['seconds']:8.2f} s for a fixed Python loop (compare runs with it: "
          "a shared host varies)")
    print(f"baseline scan   {scan['seconds']:8.2f} s wall, {scan['cpu_seconds']:.2f} s CPU "
          f"({scan['ezd_lines']} EZD lines)")
    def show(label, d):
        cpu = d["cpu_seconds"] + d["child_cpu_seconds"]
        procs = "2 processes" if d["child_cpu_seconds"] > 0.05 else "1 process"
        print(f"{label}{d['seconds']:8.2f} s wall ({procs}, {cpu:.2f} s CPU in all) "
              f"= {d['seconds'] / scan['seconds']:.1f} x baseline (wall)"
              f"  (target < {TARGET_SECONDS:.0f} s: {'met' if d['seconds'] < TARGET_SECONDS else 'NOT met'})")

    show("diagnose        ", diag)
    show("  one process   ", one)
    print(f"ru_maxrss       {diag['ru_maxrss_bytes'] / mb:8.1f} MiB = "
          f"{diag['ru_maxrss_bytes'] / size:.2f} x file size (whole process, incl. interpreter, index)")
    if diag["child_maxrss_bytes"] > 0:
        print(f"  second process{diag['child_maxrss_bytes'] / mb:8.1f} MiB ru_maxrss while it reads "
              "the second half (gone when open_session returns)")
    if mem:
        print(f"tracemalloc     {mem['tracemalloc_peak_bytes'] / mb:8.1f} MiB peak (this process) = "
              f"{mem['tracemalloc_peak_bytes'] / size:.2f} x file size "
              f"({'under' if mem['tracemalloc_peak_bytes'] < size else 'OVER'} the file size)")
    print(f"index build     {diag['index_build_seconds']:8.2f} s")
    print(f"related()       median {diag['related_ms_median']:.3f} ms, p95 {diag['related_ms_p95']:.3f} ms, "
          f"max {diag['related_ms_max']:.3f} ms over {args.ids} ids "
          f"(first call {diag['related_first_ms']:.1f} ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
