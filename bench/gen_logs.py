"""Generate large, realistic z/OS logs for the benchmarks.

    python bench/gen_logs.py --lines 1000000 --seed 7 -o bench/out/syslogd_1m.log
    python bench/gen_logs.py --format sdsf --lines 1000000 -o bench/out/syslog_1m.txt

``syslogd``: a syslogd file of several systems: mostly healthy AT-TLS
connections traced at level 255 (EZD1281I map, EZD1282I start, EZD1284I flow,
EZD1283I events, EZD1285I data, close), interleaved as concurrent connections
are, environments created once and then shared, noise from other daemons
(sshd, ftpd, inetd, PAGENT, OMPROUTE, cron), and about 1% failing connections
with real return codes (6, 202, 401, 428, 435, 5004) whose partner on another
system reports its own error (438 and the like).

``sdsf``: an SDSF SYSLOG print of the same kind of day: job starts and ends,
HASP and IEF messages, and EZD1287I multi-line messages for the failures.

Deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import datetime, timedelta
from pathlib import Path

SYSTEMS = ["MVS1", "MVS2", "MVS3", "MVS4", "SYSA", "SYSB"]
STACKS = {"MVS1": "TCPIP", "MVS2": "TCPIP", "MVS3": "TCPIPT", "MVS4": "TCPIP", "SYSA": "TCPIPA",
          "SYSB": "TCPIPB"}
IPS = {s: f"10.{20 + i}.1.{10 + i}" for i, s in enumerate(SYSTEMS)}
SERVERS = [  # job, user, port, rule prefix
    ("FTPT1", "TCPIP", 21), ("TN3270", "TCPIP", 992), ("CICSPA1", "CICSUSR", 443),
    ("MQCHIN1", "MQUSER", 1414), ("DB2DIST", "DB2USER", 446), ("HTTPD1", "WEBSRV", 8443),
]
CLIENT_JOBS = ["USER201", "BATCH01", "NDMJOB", "FTPCCL1", "MQCHIN2", "DB2CLNT"]
FAILURES = [  # server rc, event, client rc
    (6, "Initial Handshake", 438), (428, "Initial Handshake", 438), (401, "Initial Handshake", 401),
    (435, "Initial Handshake", 438), (5004, "Initial Handshake", 406), (8, "Initial Handshake", 438),
]
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


class SyslogdGen:
    def __init__(self, seed: int, start: datetime):
        self.rnd = random.Random(seed)
        self.t = start
        self.connid = {s: 0x100 for s in SYSTEMS}
        self.envs: dict[tuple, tuple[str, str]] = {}
        self.next_env = {s: 1 for s in SYSTEMS}
        self.pids = {s: 67174400 + i * 17 for i, s in enumerate(SYSTEMS)}
        self.active: list[list[str]] = []
        self.failures = 0
        self.connections = 0

    def head(self, system: str, tag: str) -> str:
        t = self.t
        return f"{MONTHS[t.month - 1]} {t.day:2d} {t:%H:%M:%S} {system} {tag}: "

    def attls(self, system: str, text: str) -> str:
        stack = STACKS[system]
        return f"{self.head(system, f'{stack}[{self.pids[system]}]')}{self.t:%H:%M:%S} {stack:<8} {text}"

    # -- one connection's lines, as a queue -----------------------------------------
    def env(self, system: str, job: str, server: bool) -> tuple[list[str], str, str, str]:
        key = (system, job, server)
        if key in self.envs:
            g, e = self.envs[key]
            return [], g, e, self._ring(system, job, server)
        n = self.next_env[system]
        self.next_env[system] += 1
        g, e = f"{n:08X}", f"{n + 0x10:08X}"
        self.envs[key] = (g, e)
        ring = self._ring(system, job, server)
        role = "SERVER" if server else "CLIENT"
        pre = f"GRPID: {g} ENVID: {e} CONNID: 00000000"
        lines = [f"EZD1282I TTLS Start {pre} Environment Create ACTIONS: gAct1 eAct{n} **N/A**",
                 f"EZD1284I TTLS Flow  {pre} RC:    0 Call GSK_ENVIRONMENT_OPEN - 7EC{n:05X}"]
        lines += [f"EZD1284I TTLS Flow  {pre} RC:    0 Set {p}" for p in (
            f"GSK_KEYRING_FILE - {ring}", f"GSK_SESSION_TYPE - {role}", "GSK_PROTOCOL_SSLV3 - OFF",
            "GSK_PROTOCOL_TLSV1 - OFF", "GSK_PROTOCOL_TLSV1_2 - ON", "GSK_V3_CIPHER_SPECS_EXPANDED - C02FC030",
            "GSK_IO_CALLBACK -")]
        lines += [f"EZD1284I TTLS Flow  {pre} RC:    0 Call GSK_ENVIRONMENT_INIT - 7EC{n:05X}",
                  f"EZD1283I TTLS Event {pre} RC:    0 Environment Master Create 00000001"]
        return lines, g, e, ring

    @staticmethod
    def _ring(system: str, job: str, server: bool) -> str:
        return f"{job}/{'Server' if server else 'Client'}_RING"

    def side(self, system, local, remote, job, user, rule, server, rc, event, peer_first=False):
        self.connid[system] += 1
        cid = f"{self.connid[system]:08X}"
        pre_lines, g, e, _ring = self.env(system, job, server)
        pre = f"GRPID: {g} ENVID: {e} CONNID: {cid}"
        typ = "InBound" if server else "OutBound"
        out = [f"EZD1281I TTLS Map   CONNID: {cid} LOCAL: {local} REMOTE: {remote} JOBNAME: {job} "
               f"USERID: {user} TYPE: {typ} STATUS: Enabled RULE: {rule} ACTIONS: gAct1 eAct1 cAct1"]
        out += [f"EZD1282I TTLS Start {pre} Initial Handshake ACTIONS: gAct1 eAct1 cAct1 HS-Server"
                if server else
                f"EZD1282I TTLS Start {pre} Initial Handshake ACTIONS: gAct1 eAct1 cAct1 HS-Client"]
        out += [f"EZD1284I TTLS Flow  {pre} RC:    0 Call GSK_SECURE_SOCKET_OPEN - 7EC2B198",
                f"EZD1284I TTLS Flow  {pre} RC:    0 Set GSK_FD - {self.rnd.randrange(16, 4000):08X}",
                f"EZD1284I TTLS Flow  {pre} RC:    0 Set GSK_USER_DATA - 7EC2B1F8"]
        if rc:
            out += [f"EZD1284I TTLS Flow  {pre} RC: {rc:4d} Call GSK_SECURE_SOCKET_INIT - 7EC2B198",
                    f"EZD1283I TTLS Event {pre} RC: {rc:4d} {event} 00000000 7EC2B198",
                    f"EZD1286I TTLS Error {pre} LOCAL: {local} REMOTE: {remote} JOBNAME: {job} "
                    f"USERID: {user} RULE: {rule} RC: {rc:4d} {event} 00000000 7EC2B198",
                    f"EZD1285I TTLS Data  CONNID: {cid} SEND CIPHER 15030300020228",
                    f"EZD1283I TTLS Event {pre} RC:    0 Connection Close 00000000 7EC2B198"]
        else:
            out += [f"EZD1284I TTLS Flow  {pre} RC:    0 Call GSK_SECURE_SOCKET_INIT - 7EC2B198",
                    f"EZD1283I TTLS Event {pre} RC:    0 Initial Handshake 00000000 7EC2B198",
                    f"EZD1284I TTLS Flow  {pre} RC:    0 Get GSK_CONNECT_SEC_TYPE - TLSV1.2",
                    f"EZD1284I TTLS Flow  {pre} RC:    0 Get GSK_CONNECT_CIPHER_SPEC - C02F"]
            for _ in range(self.rnd.randrange(1, 4)):
                d = "SEND" if self.rnd.random() < 0.5 else "RECV"
                n = self.rnd.randrange(32, 900)
                out.append(f"EZD1285I TTLS Data  CONNID: {cid} {d} CIPHER 170303{n:04X}"
                           f"{self.rnd.getrandbits(64):016X}")
            out.append(f"EZD1283I TTLS Event {pre} RC:    0 Connection Close 00000000 7EC2B198")
        return pre_lines + out

    def connection(self) -> list[tuple[str, list[str]]]:
        rnd = self.rnd
        srv_sys, cli_sys = rnd.sample(SYSTEMS, 2)
        job, user, port = rnd.choice(SERVERS)
        cport = rnd.randrange(1025, 65000)
        s_local, s_remote = f"{IPS[srv_sys]}..{port}", f"{IPS[cli_sys]}..{cport}"
        if rnd.random() < 0.3:  # some stacks report IPv4 as IPv4-mapped IPv6
            s_remote = f"::FFFF:{IPS[cli_sys]}..{cport}"
        fail = rnd.random() < 0.01
        srv_rc, event, cli_rc = rnd.choice(FAILURES) if fail else (0, "", 0)
        self.failures += fail
        self.connections += 1
        cjob = rnd.choice(CLIENT_JOBS)
        srv = self.side(srv_sys, s_local, s_remote, job, user, f"{job}_Rule~1", True, srv_rc, event)
        cli = self.side(cli_sys, f"{IPS[cli_sys]}..{cport}", f"{IPS[srv_sys]}..{port}", cjob, cjob,
                        f"{cjob}_Client~1", False, cli_rc, event)
        return [(srv_sys, srv), (cli_sys, cli)]

    def noise(self) -> str:
        rnd = self.rnd
        s = rnd.choice(SYSTEMS)
        k = rnd.random()
        ip = f"10.{rnd.randrange(1, 250)}.{rnd.randrange(1, 250)}.{rnd.randrange(1, 250)}"
        if k < 0.25:
            return self.head(s, f"sshd[{rnd.randrange(50331648, 50397000)}]") + \
                f"Accepted publickey for IBMUSER from {ip} port {rnd.randrange(1025, 65000)} ssh2"
        if k < 0.45:
            return self.head(s, f"ftpd[{rnd.randrange(50331648, 50397000)}]") + \
                f"EZYFT31I MVS dataset USER{rnd.randrange(100, 999)}.DATA.T{rnd.randrange(1000)} stored"
        if k < 0.6:
            return self.head(s, f"OMPROUTE[{rnd.randrange(33554432, 33600000)}]") + \
                f"EZZ8101I OSPF ADJACENCY CHANGE FOR {ip}: FULL"
        if k < 0.7:
            return self.head(s, f"PAGENT[{rnd.randrange(33554432, 33600000)}]") + \
                "EZZ8771I PAGENT CONFIG POLICY PROCESSING COMPLETE FOR TCPIP : TTLS"
        if k < 0.85:
            return self.head(s, f"inetd[{rnd.randrange(16777216, 16800000)}]") + \
                f"otelnetd: connection from {ip}"
        return self.head(s, f"cron[{rnd.randrange(16777216, 16800000)}]") + \
            f"(IBMUSER) CMD (/u/ibmuser/bin/rotate.sh {rnd.randrange(100)})"

    def lines(self, total: int, attls_share: float = 0.8):
        """Yield ``total`` lines; connections interleave like concurrent ones."""
        rnd = self.rnd
        queues: list[tuple[str, list[str]]] = []
        n = 0
        while n < total:
            self.t += timedelta(microseconds=rnd.randrange(20_000, 200_000))
            if rnd.random() >= attls_share:
                yield self.noise()
                n += 1
                continue
            if len(queues) < 6 or rnd.random() < 0.05:
                queues.extend(self.connection())
            i = rnd.randrange(len(queues))
            system, q = queues[i]
            # a server's lines come before its client's reply: pop in order
            yield self.attls(system, q.pop(0))
            n += 1
            if not q:
                queues.pop(i)


def sdsf_lines(total: int, seed: int, start: datetime):
    """An SDSF SYSLOG print: noise and EZD1287I multi-line failures."""
    rnd = random.Random(seed)
    t = start
    n = 0
    mlid = 100
    jobs = [f"STC{rnd.randrange(10000, 99999)}" for _ in range(50)]

    def line(kind, system, text, jobid, flags="00000290"):
        return (f"{kind} {'4020000' if kind == 'N' else '0000000'} {system:<8} "
                f"{t:%y}{t.timetuple().tm_yday:03d} {t:%H:%M:%S}.{t.microsecond // 10000:02d} "
                f"{jobid:<8} {flags}  {text}")

    while n < total:
        t += timedelta(microseconds=rnd.randrange(10_000, 300_000))
        s = rnd.choice(SYSTEMS)
        job = rnd.choice(jobs)
        if rnd.random() < 0.01:
            mlid = mlid % 999 + 1
            srv_rc, event, _ = rnd.choice(FAILURES)
            sjob, user, port = rnd.choice(SERVERS)
            cport = rnd.randrange(1025, 65000)
            cid = f"{rnd.randrange(1, 0xFFFF):08X}"
            pad = " " * 36
            yield line("M", s, f"EZD1287I TTLS Error RC: {srv_rc:4d} {event} {mlid}", job, "00000090")
            yield f"D{pad}{mlid:>8} 00000090  LOCAL: {IPS[s]}..{port}"
            yield f"D{pad}{mlid:>8} 00000090  REMOTE: 10.99.1.{rnd.randrange(1, 250)}..{cport}"
            yield f"D{pad}{mlid:>8} 00000090  JOBNAME: {sjob} RULE: {sjob}_Rule~1"
            yield (f"E{pad}{mlid:>8} 00000090  USERID: {user} GRPID: 00000001 ENVID: 00000011 "
                   f"CONNID: {cid}")
            n += 5
            continue
        k = rnd.random()
        if k < 0.3:
            text = f"$HASP373 JOB{rnd.randrange(10000, 99999)} STARTED - INIT {rnd.randrange(1, 40)} - CLASS A - SYS {s}"
        elif k < 0.5:
            text = f"IEF403I BATCH{rnd.randrange(100)} - STARTED - TIME={t:%H.%M.%S}"
        elif k < 0.7:
            text = f"IEF404I BATCH{rnd.randrange(100)} - ENDED - TIME={t:%H.%M.%S}"
        elif k < 0.85:
            text = f"IRR010I  USERID IBMUSER  IS ASSIGNED TO THIS JOB."
        else:
            text = f"EZZ4313I INITIALIZATION COMPLETE FOR DEVICE OSA{rnd.randrange(10)}"
        yield line("N", s, text, job)
        n += 1


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--lines", type=int, default=1_000_000)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--format", choices=("syslogd", "sdsf"), default="syslogd")
    p.add_argument("--attls-share", type=float, default=0.8,
                   help="share of AT-TLS lines in the syslogd file (the rest is noise)")
    p.add_argument("-o", "--output", required=True)
    args = p.parse_args(argv)
    start = datetime(2014, 3, 12, 0, 0, 0)
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="ascii", newline="\n") as fh:
        if args.format == "syslogd":
            gen = SyslogdGen(args.seed, start)
            fh.writelines(line + "\n" for line in gen.lines(args.lines, args.attls_share))
            print(f"{out}: {args.lines} lines, {gen.connections * 2} connection sides started, "
                  f"{gen.failures} failing pairs", file=sys.stderr)
        else:
            fh.writelines(line + "\n" for line in sdsf_lines(args.lines, args.seed, start))
            print(f"{out}: {args.lines}+ lines", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
