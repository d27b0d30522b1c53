"""The console filter on a big syslogd file (routine AT-TLS lines kept as line
numbers only, ingest/attls_fast.py) gives the rows the same filter gives when
every line is a record."""

from __future__ import annotations

import random

import pytest

from tlsworkbench.ingest import loader
from tlsworkbench.tui.logindex import Filter, LogIndex

RCS = (6, 6, 401, 428)


def _syslogd(path, min_bytes: int) -> dict:
    """Short connections of one stack (five lines each, about one in fifty
    failing), sshd lines between them; returns what was written."""
    rnd = random.Random(5)
    out = []
    size = 0
    n = 0
    want: dict[str, set] = {"rc6": set()}
    while size < min_bytes:
        n += 1
        cid = f"{0x100 + n % 700:08X}"  # reused CONNIDs
        job, user, port = ("FTPT1", "TCPIP", 21) if n % 3 else ("TN3270T", "TN3270", 992)
        sec = n // 4
        hms = f"{sec // 3600 % 24:02d}:{sec // 60 % 60:02d}:{sec % 60:02d}"
        head = f"Mar 12 {hms} MVS3 TCPIPT[67174435]: {hms} TCPIPT   "
        pre = f"GRPID: 00000002 ENVID: 00000011 CONNID: {cid}"
        rem = f"10.1.{n % 250}.{1 + n % 200}..{1025 + n}"
        lines = [f"EZD1281I TTLS Map   CONNID: {cid} LOCAL: 192.168.20.93..{port} REMOTE: {rem} "
                 f"JOBNAME: {job} USERID: {user} TYPE: InBound STATUS: Enabled RULE: {job}_Rule~1 "
                 f"ACTIONS: gAct1 eAct1 cAct1",
                 f"EZD1282I TTLS Start {pre} Initial Handshake ACTIONS: gAct1 eAct1 cAct1 HS-Server"]
        rc = rnd.choice(RCS) if rnd.random() < 0.02 else 0
        if rc:
            lines += [f"EZD1283I TTLS Event {pre} RC: {rc:4d} Initial Handshake 00000000 7EC2B198",
                      f"EZD1286I TTLS Error {pre} LOCAL: 192.168.20.93..{port} REMOTE: {rem} "
                      f"JOBNAME: {job} USERID: {user} RULE: {job}_Rule~1 RC: {rc:4d} "
                      f"Initial Handshake 00000000 7EC2B198"]
        else:
            lines += [f"EZD1283I TTLS Event {pre} RC:    0 Initial Handshake 00000000 7EC2B198",
                      f"EZD1285I TTLS Data  CONNID: {cid} RECV CIPHER 17030300A1B2C3D4"]
        lines.append(f"EZD1283I TTLS Event {pre} RC:    0 Connection Close 00000000 7EC2B198")
        for k, text in enumerate(lines):
            out.append(head + text)
            size += len(out[-1]) + 1
            if rc == 6 and k in (2, 3):
                want["rc6"].add(len(out))
            if rnd.random() < 0.05:
                out.append(f"Mar 12 {hms} MVS3 sshd[50331700]: Accepted publickey for IBMUSER "
                           f"from 10.7.1.{n % 250} port {1025 + n} ssh2")
                size += len(out[-1]) + 1
                if rc == 6 and k in (2, 3):  # a plain line goes with the line before it
                    want["rc6"].add(len(out))
    path.write_text("\n".join(out) + "\n", encoding="ascii")
    return want


def _rows(session, query: str) -> set[int]:
    ix = LogIndex(session).build()
    rows = ix.filter_rows(Filter.parse(query))
    return {ix.row_line[r] for r in rows}


@pytest.fixture(scope="module")
def both_ways(tmp_path_factory):
    path = tmp_path_factory.mktemp("big") / "MVS3.syslogd.log"
    want = _syslogd(path, loader.FAST_ATTLS_BYTES + (256 << 10))
    big = loader.load([path])
    assert big.attls is not None and big.attls.lazy > 10_000  # the big-file path
    old = loader.FAST_ATTLS_BYTES
    loader.FAST_ATTLS_BYTES = 1 << 40
    try:
        small = loader.load([path])
    finally:
        loader.FAST_ATTLS_BYTES = old
    assert small.attls is None
    return big, small, want


def test_rc_filter_on_a_big_file_shows_only_the_lines_with_that_rc(both_ways):
    big, small, want = both_ways
    got = _rows(big, "rc:6")
    assert want["rc6"] and got == want["rc6"]
    assert _rows(small, "rc:6") == got


@pytest.mark.parametrize("query", ["rc:401", "rc:0", "connid:1FF", "job:TN3270T", "rule:FTPT1",
                                   "sev:error", "publickey", "sys:MVS3 connid:105", "sys:MVS3 rc:6", "sys:SYSB", "Close rc:0", "CIPHER"])
def test_filters_on_a_big_file_give_the_rows_of_the_small_file_path(both_ways, query):
    big, small, _ = both_ways
    expect = _rows(small, query)
    assert expect or query == "sys:SYSB", query  # a filter that shows nothing proves nothing
    assert _rows(big, query) == expect
