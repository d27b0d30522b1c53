"""Time decode + the console and syslogd readers on 1M-line files.

    python bench/readers_1m.py [--lines 1000000] [--keep DIR]

Builds two files from the test data (a SYSLOG where 1 line in 20 belongs to an
AT-TLS failure, and a syslogd trace at level 255 where every connection gets its
own CONNID and port), then reads each through ingest/loader.read_file and prints
wall and CPU seconds. Not a test: numbers depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from tlsworkbench.ingest.loader import read_file  # noqa: E402
from tlsworkbench.model import Session  # noqa: E402

DATA = ROOT / "tests" / "data"
NOISE = ["IEF196I IEF237I JES2 ALLOCATED TO SYSLOG", "$HASP395 BATCHJ1  ENDED",
         "IEA989I SLIP TRAP ID=X33E MATCHED", "IRR812I PROFILE ** (G) IN THE STARTED CLASS WAS USED",
         "IEF404I BATCHJ1 - ENDED - TIME=13.59.02", "EZZ8151I FTPT1 TCP CONNECTION ACCEPTED",
         "IGD01008I ALLOCATION SUCCESSFUL FOR DATA SET", "BPXF024I (FTPD) ftpd 67174435 : connection"]


def make_syslog(path: Path, n: int) -> None:
    rnd = random.Random(7)
    src = (DATA / "console" / "mvs3_syslog.txt").read_text().splitlines()[2:]
    incident = src[4:9] + src[23:28]
    with open(path, "w") as fh:
        written = 0
        while written < n:
            for _ in range(190):
                fh.write(f"N 0000000 MVS3     14071 13:59:{rnd.randint(10, 59)}.{rnd.randint(10, 99)} "
                         f"JOB04711 00000290  {rnd.choice(NOISE)}\n")
            for line in incident:
                fh.write(line + "\n")
            written += 190 + len(incident)


def make_syslogd(path: Path, n: int) -> None:
    src = (DATA / "syslogd" / "mvs3_attls_trace255.log").read_text().splitlines()
    with open(path, "w") as fh:
        written, cid = 0, 0x1000
        while written < n:
            cid += 2
            port = 1024 + cid % 60000
            for line in src:
                fh.write(line.replace("000007CA", f"{cid:08X}").replace("000007CC", f"{cid + 1:08X}")
                         .replace("..1034", f"..{port}").replace("..1037", f"..{port}") + "\n")
            written += len(src)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=1_000_000)
    ap.add_argument("--keep", type=Path, default=None)
    args = ap.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="tlswb-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    files = [(folder / "syslog.txt", make_syslog), (folder / "syslogd.log", make_syslogd)]
    for path, make in files:
        if not path.exists():
            make(path, args.lines)
        s = Session()
        wall, cpu = time.perf_counter(), time.process_time()
        art = read_file(s, path)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(f"{path.name:12} {art.kind:8} {art.line_count:>9} lines {path.stat().st_size / 1e6:6.1f} MB "
              f"{len(s.records):>8} records  wall {wall:5.2f}s  cpu {cpu:5.2f}s")


if __name__ == "__main__":
    main()
