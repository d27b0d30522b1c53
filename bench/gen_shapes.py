"""Generate the AT-TLS syslogd shapes of issue 13 for the benchmarks.

    python bench/gen_shapes.py --shape short --lines 1000000 -o bench/out/short_1m.log
    python bench/gen_shapes.py --shape all --lines 1000000 --out-dir bench/out

Shapes (all trace level 255, BSD syslogd headers, deterministic for a seed):

``short``
    Many short connections from one stack: five lines each (EZD1281I map,
    EZD1282I start, EZD1283I handshake, EZD1285I data, EZD1283I close; a
    failing one has EZD1283I with its RC and EZD1286I instead), about 1%
    failing (RC 6 and the like), a few open at a time. 1M lines are 200,000
    connections, as in the issue's file.
``long``
    Long-lived connections: a few hundred open for hours, each writing hundreds
    of EZD1285I data lines, 20% lines of other daemons.
``both``
    Both systems' sides of every connection, six systems, 80% AT-TLS lines
    (bench/gen_logs.py's default day).
``attls100``
    The same with 100% AT-TLS lines.
``reused``
    ``short`` with CONNIDs taken from a space of 509 ids: each id is mapped again
    (a new EZD1281I) by a later connection, and some lines of a connection come
    after the next one with its id started (interleaving).
``ipv6``
    ``short`` with half the remote addresses IPv6 and a third of the rest in the
    IPv4-mapped ``::FFFF:`` form (and the EZD1286I of a failure in the other
    form than its EZD1281I).
``mixed15``
    The 15-line mixed syslogd of tests/data/scenarios/mixed repeated, each copy
    made unique (CONNIDs, time): environment-level lines (CONNID 00000000, RC
    202) that correlation attaches to the connections of one environment that
    grows with the file.

The files go to bench/out/ (ignored by git). Lines are written as they are
made: a 10M-line file needs no more memory than a 1M one.
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

SHAPES = ("short", "long", "both", "attls100", "reused", "ipv6", "mixed15")
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
FAILS = [(6, "Initial Handshake"), (6, "Initial Handshake"), (428, "Initial Handshake"),
         (401, "Initial Handshake"), (435, "Initial Handshake"), (5004, "Initial Handshake")]
SERVERS = [("FTPT1", "TCPIP", 21, "FTPT1_Rule~1"), ("TN3270T", "TN3270", 992, "TN3270Rule~1"),
           ("CICSPA1", "CICSUSR", 443, "CICS_Rule~1"), ("HTTPD1", "WEBSRV", 8443, "HTTPD_Rule~1")]
_HERE = Path(__file__).resolve().parent
_MIXED = _HERE.parent / "tests" / "data" / "scenarios" / "mixed" / "MVS3.syslogd.log"


def _head(t: datetime, system: str, stack: str, pid: int) -> str:
    return (f"{MONTHS[t.month - 1]} {t.day:2d} {t:%H:%M:%S} {system} {stack}[{pid}]: "
            f"{t:%H:%M:%S} {stack:<8} ")


class Short:
    """Short connections of one stack (also ``reused`` and ``ipv6``)."""

    def __init__(self, seed: int, reuse: int = 0, ipv6: bool = False):
        self.rnd = random.Random(seed)
        self.t = datetime(2026, 3, 12, 0, 0, 0)
        self.reuse = reuse
        self.ipv6 = ipv6
        self.next = 0x100
        self.conns = 0
        self.failing = 0

    def _remote(self, n: int) -> tuple[str, str]:
        """The remote address as EZD1281I and as EZD1286I write it."""
        rnd = self.rnd
        v4 = f"10.{1 + n % 200}.{(n >> 8) % 250}.{1 + n % 249}"
        if not self.ipv6:
            return (f"::FFFF:{v4}", f"::FFFF:{v4}") if rnd.random() < 0.1 else (v4, v4)
        k = rnd.random()
        if k < 0.5:
            a = f"2001:DB8:{n % 0xFFFF:X}::{1 + n % 0xFFF:X}"
            return a, a
        if k < 0.67:
            return f"::FFFF:{v4}", v4
        return v4, f"::FFFF:{v4}"

    def connection(self) -> list[str]:
        rnd = self.rnd
        if self.reuse:
            cid = f"{0x100 + self.conns % self.reuse:08X}"
        else:
            cid = f"{self.next:08X}"
            self.next += 1
        self.conns += 1
        job, user, port, rule = SERVERS[self.conns % len(SERVERS)]
        rem, rem2 = self._remote(self.conns)
        cport = 1025 + self.conns % 60000
        local = f"192.168.20.93..{port}"
        g, e = f"{1 + self.conns % 4:08X}", f"{0x10 + self.conns % 4:08X}"
        pre = f"GRPID: {g} ENVID: {e} CONNID: {cid}"
        out = [f"EZD1281I TTLS Map   CONNID: {cid} LOCAL: {local} REMOTE: {rem}..{cport} "
               f"JOBNAME: {job} USERID: {user} TYPE: InBound STATUS: Enabled RULE: {rule} "
               f"ACTIONS: gAct1~{job} eAct1~{job} cAct1~{job}",
               f"EZD1282I TTLS Start {pre} Initial Handshake ACTIONS: gAct1 eAct1 cAct1 HS-Server"]
        if rnd.random() < 0.01:
            self.failing += 1
            rc, ev = rnd.choice(FAILS)
            out += [f"EZD1283I TTLS Event {pre} RC: {rc:4d} {ev} 00000000 7EC2B198",
                    f"EZD1286I TTLS Error {pre} LOCAL: {local} REMOTE: {rem2}..{cport} "
                    f"JOBNAME: {job} USERID: {user} RULE: {rule} RC: {rc:4d} {ev} 00000000 7EC2B198"]
        else:
            out += [f"EZD1283I TTLS Event {pre} RC:    0 Initial Handshake 00000000 7EC2B198",
                    f"EZD1285I TTLS Data  CONNID: {cid} RECV CIPHER 170303{rnd.randrange(32, 900):04X}"
                    f"{rnd.getrandbits(64):016X}"]
        out.append(f"EZD1283I TTLS Event {pre} RC:    0 Connection Close 00000000 7EC2B198")
        return out

    def lines(self, total: int):
        rnd = self.rnd
        open_: list[list[str]] = []
        n = 0
        while n < total:
            self.t += timedelta(microseconds=rnd.randrange(2_000, 40_000))
            while len(open_) < 4 or (len(open_) < 12 and rnd.random() < 0.02):
                open_.append(self.connection())
            # mostly the oldest open connection writes (in order), sometimes another
            i = 0 if rnd.random() < 0.7 else rnd.randrange(len(open_))
            q = open_[i]
            yield _head(self.t, "MVS3", "TCPIPT", 67174435) + q.pop(0)
            n += 1
            if not q:
                open_.pop(i)


class Long:
    """Long-lived connections writing data for hours, and other daemons."""

    def __init__(self, seed: int):
        self.rnd = random.Random(seed)
        self.t = datetime(2026, 3, 12, 0, 0, 0)
        self.next = 0x2000
        self.conns = 0
        self.failing = 0

    def start(self) -> tuple[str, list[str], int]:
        rnd = self.rnd
        cid = f"{self.next:08X}"
        self.next += 1
        self.conns += 1
        job, user, port, rule = SERVERS[self.conns % len(SERVERS)]
        pre = f"GRPID: 00000001 ENVID: 00000011 CONNID: {cid}"
        rem = f"10.9.{self.conns % 250}.{1 + self.conns % 249}..{1025 + self.conns % 60000}"
        first = [f"EZD1281I TTLS Map   CONNID: {cid} LOCAL: 192.168.20.93..{port} REMOTE: {rem} "
                 f"JOBNAME: {job} USERID: {user} TYPE: InBound STATUS: Enabled RULE: {rule} "
                 f"ACTIONS: gAct1 eAct1 cAct1",
                 f"EZD1282I TTLS Start {pre} Initial Handshake ACTIONS: gAct1 eAct1 cAct1 HS-Server",
                 f"EZD1284I TTLS Flow  {pre} RC:    0 Call GSK_SECURE_SOCKET_INIT - 7EC2B198",
                 f"EZD1283I TTLS Event {pre} RC:    0 Initial Handshake 00000000 7EC2B198"]
        if rnd.random() < 0.02:
            self.failing += 1
            first[2:] = [f"EZD1283I TTLS Event {pre} RC:    6 Initial Handshake 00000000 7EC2B198",
                         f"EZD1286I TTLS Error {pre} LOCAL: 192.168.20.93..{port} REMOTE: {rem} "
                         f"JOBNAME: {job} USERID: {user} RULE: {rule} RC:    6 Initial Handshake "
                         f"00000000 7EC2B198"]
            return cid, first, 0
        return cid, first, rnd.randrange(100, 800)

    def lines(self, total: int):
        rnd = self.rnd
        live: list[list] = []  # [cid, queued lines, data lines left]
        n = 0
        while n < total:
            self.t += timedelta(microseconds=rnd.randrange(5_000, 60_000))
            if rnd.random() < 0.2:
                s = rnd.randrange(1 << 20)
                yield (f"{MONTHS[self.t.month - 1]} {self.t.day:2d} {self.t:%H:%M:%S} MVS3 "
                       f"sshd[{50331648 + s}]: Accepted publickey for IBMUSER from 10.7.{s % 250}.1 "
                       f"port {1025 + s % 60000} ssh2")
                n += 1
                continue
            while len(live) < 300:
                cid, first, data = self.start()
                live.append([cid, first, data])
            i = rnd.randrange(len(live))
            c = live[i]
            if c[1]:
                text = c[1].pop(0)
            elif c[2] > 0:
                c[2] -= 1
                text = (f"EZD1285I TTLS Data  CONNID: {c[0]} {'SEND' if rnd.random() < 0.5 else 'RECV'}"
                        f" CIPHER 170303{rnd.randrange(32, 900):04X}{rnd.getrandbits(64):016X}")
            else:
                text = (f"EZD1283I TTLS Event GRPID: 00000001 ENVID: 00000011 CONNID: {c[0]} "
                        f"RC:    0 Connection Close 00000000 7EC2B198")
                live.pop(i)
            yield _head(self.t, "MVS3", "TCPIPT", 67174435) + text
            n += 1


def mixed15(total: int):
    """The mixed scenario's syslogd, repeated with unique CONNIDs and times."""
    src = _MIXED.read_text(encoding="ascii").splitlines()
    base = datetime(2026, 3, 12, 8, 0, 0)
    n = 0
    rep = 0
    while n < total:
        t0 = base + timedelta(seconds=15 * rep)
        for k, line in enumerate(src):
            if n >= total:
                return
            # times: the first two lines, then the environment block, then the last two
            t = t0 + timedelta(seconds=0 if k < 2 else (5 if k < 13 else 10))
            head, _, rest = line.partition("TCPIPT[67174435]: ")
            msg = rest[18:]  # after "hh:mm:ss TCPIPT   "
            for i, old in enumerate(("00000700", "00000731", "00000760")):
                msg = msg.replace(f"CONNID: {old}", f"CONNID: {0x1000 + rep * 3 + i:08X}")
            yield _head(t, "MVS3", "TCPIPT", 67174435) + msg
            n += 1
        rep += 1


def shape_lines(shape: str, total: int, seed: int):
    if shape in ("short", "reused", "ipv6"):
        gen = Short(seed, reuse=509 if shape == "reused" else 0, ipv6=shape == "ipv6")
        return gen, gen.lines(total)
    if shape == "long":
        gen = Long(seed)
        return gen, gen.lines(total)
    if shape in ("both", "attls100"):
        from gen_logs import SyslogdGen

        gen = SyslogdGen(seed, datetime(2026, 3, 12))
        return gen, gen.lines(total, 1.0 if shape == "attls100" else 0.8)
    if shape == "mixed15":
        return None, mixed15(total)
    raise ValueError(shape)


def write(shape: str, total: int, seed: int, out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    gen, lines = shape_lines(shape, total, seed)
    with open(out, "w", encoding="ascii", newline="\n") as fh:
        buf = []
        for line in lines:
            buf.append(line)
            if len(buf) >= 50_000:
                fh.write("\n".join(buf) + "\n")
                buf.clear()
        if buf:
            fh.write("\n".join(buf) + "\n")
    conns = getattr(gen, "conns", getattr(gen, "connections", 0))
    fails = getattr(gen, "failing", getattr(gen, "failures", 0))
    print(f"{out}: {shape}, {total} lines, {conns} connections started, {fails} failing",
          file=sys.stderr)
    return out


def path_for(out_dir: Path, shape: str, total: int) -> Path:
    return out_dir / f"{shape}_{total}.log"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--shape", choices=(*SHAPES, "all"), default="short")
    p.add_argument("--lines", type=int, default=1_000_000)
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("-o", "--output", help="the file (one shape)")
    p.add_argument("--out-dir", default=str(_HERE / "out"))
    args = p.parse_args(argv)
    shapes = SHAPES if args.shape == "all" else (args.shape,)
    for s in shapes:
        out = Path(args.output) if args.output and len(shapes) == 1 else path_for(
            Path(args.out_dir), s, args.lines)
        write(s, args.lines, args.seed, out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
