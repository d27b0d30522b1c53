"""Property: the columnar pass over a big syslogd file (ingest/columnar.py), the
line-by-line fast path (ingest/attls_fast.Joiner.filter_blocks) and the
reference path (every line a record, joined by model/correlate.py) build the
same connections and the same diagnosis, on generated files whose connections
interleave, reuse CONNIDs (a second map line, other endpoints, another stack,
a day later), contradict each other, come from two systems and write their
addresses as IPv4, IPv6 or ``::FFFF:`` IPv4-mapped, on either side."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tlsworkbench.commands.diagnose import to_json
from tlsworkbench.engine import open_session
from tlsworkbench.ingest import columnar, loader

STACKS = ("TCPIPT", "TCPIPB")
SYSTEMS = ("MVS3", "MVS1")
REMOTES = ("10.1.1.1", "::FFFF:10.1.1.1", "::ffff:10.1.1.2", "FD00:0:0:0:0:0:0:A1", "fd00::a1",
           "10.1.1.2")
LOCALS = ("192.168.20.93", "::FFFF:192.168.20.93", "2001:DB8::93")
PORTS = (21, 992, 99999)  # 99999: no port, the line goes the long way

_EVENT = st.tuples(
    st.integers(0, 3),  # CONNID: a tiny space, so ids are reused
    st.sampled_from(("map", "map", "start", "flow", "event", "data", "data", "fail", "close", "env",
                     "keyring", "flowrc", "other", "sshd", "odd")),
    st.integers(0, 1),  # stack
    st.integers(0, len(REMOTES) - 1),  # remote address
    st.integers(0, len(LOCALS) - 1),  # local address
    st.integers(0, 2),  # local port
    st.sampled_from((0, 0, 0, 6, 401)),  # RC
    st.sampled_from((0, 0, 1, 3, 90000)),  # seconds since the line before (90000: over a day)
    st.integers(0, 1),  # system
)


def _line(t: int, system: str, stack: str, text: str) -> str:
    day = 12 + t // 86400
    hms = f"{t // 3600 % 24:02d}:{t // 60 % 60:02d}:{t % 60:02d}"
    return f"Mar {day:2d} {hms} {system} {stack}[67174435]: {hms} {stack:<8} {text}"


def _text(e) -> str:
    n, kind, si, ri, li, pi, rc, _dt, _sy = e
    cid = f"{0x700 + n:08X}"
    rem = f"{REMOTES[ri]}..{1030 + ri}"
    loc = f"{LOCALS[li]}..{PORTS[pi]}"
    pre = f"GRPID: 00000005 ENVID: 0000000C CONNID: {cid}"
    job = ("FTPT1", "TN3270T", "X")[pi]
    return {
        "map": f"EZD1281I TTLS Map   CONNID: {cid} LOCAL: {loc} REMOTE: {rem} JOBNAME: {job} "
               f"USERID: TCPIP TYPE: {('InBound', 'OutBound')[ri % 2]} STATUS: Enabled RULE: {job}Rule~1 "
               "ACTIONS: gAct1 eAct1 cAct1",
        "start": f"EZD1282I TTLS Start {pre} Initial Handshake ACTIONS: gAct1 eAct1 cAct1 HS-Server",
        "flow": f"EZD1284I TTLS Flow  {pre} RC:    0 Call GSK_SECURE_SOCKET_INIT - 7EC2B198",
        "flowrc": f"EZD1284I TTLS Flow  {pre} RC: {rc:4d} Call GSK_SECURE_SOCKET_INIT - 7EC2B198",
        "keyring": f"EZD1284I TTLS Flow  {pre} RC:    0 Set GSK_KEYRING_FILE - TCPIP/Ring{n}",
        "event": f"EZD1283I TTLS Event {pre} RC: {rc:4d} Initial Handshake 00000000 7EC2B198",
        "data": f"EZD1285I TTLS Data  CONNID: {cid} RECV CIPHER 17030300A1B2C3D4",
        "fail": f"EZD1286I TTLS Error {pre} LOCAL: {loc} REMOTE: {rem} JOBNAME: {job} USERID: TCPIP "
                f"RULE: {job}Rule~1 RC: {rc or 6:4d} Initial Handshake 00000000 7EC2B198",
        "close": f"EZD1283I TTLS Event {pre} RC:    0 Connection Close 00000000 7EC2B198",
        "env": "EZD1284I TTLS Flow  GRPID: 00000005 ENVID: 0000000C CONNID: 00000000 "
               f"RC: {rc:4d} Call GSK_ENVIRONMENT_INIT - 7EC25118",
        "other": f"EZD1283I TTLS Event {pre} RC:    0 Call GSK_SECURE_SOCKET_INIT - x",
        "sshd": "",
        "odd": f"EZD1285I TTLS Data  CONNID: {cid} RECV CIPHER caf\u00e9",
    }[kind]


def _file(events, tmp_path):
    t = 0
    lines = []
    for e in events:
        t += e[7]
        system, stack = SYSTEMS[e[8]], STACKS[e[2]]
        if e[1] == "sshd":
            lines.append(f"Mar 12 13:00:00 {system} sshd[5034]: Accepted publickey for IBMUSER")
        else:
            lines.append(_line(t, system, stack, _text(e)))
    path = tmp_path / "MVS3.syslogd.log"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _view(c):
    return (c.id, c.system, c.stack, c.job, c.user, str(c.local), str(c.remote), c.rule, c.grpid,
            c.envid, c.connid, c.role, list(c.rcs), list(c.events), c.peer, c.keyring,
            c.first_time, c.last_time, c.line_ids())


def _open(path, monkeypatch, *, fast: bool, col: bool = True, batch: int = 0):
    monkeypatch.setattr(loader, "FAST_ATTLS_BYTES", 0 if fast else 1 << 62)
    monkeypatch.setattr(loader, "COLUMNAR", col)
    if batch:
        monkeypatch.setattr(columnar, "BATCH_LINES", batch)
    s = open_session([path])
    art = s.artifacts[0]
    return s, ([_view(c) for c in s.connections], to_json(s), art.records, art.unparsed)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(events=st.lists(_EVENT, min_size=1, max_size=50), batch=st.sampled_from((0, 1, 3, 7)))
def test_columnar_lines_and_reference_paths_build_the_same_connections(events, batch, tmp_path,
                                                                        monkeypatch):
    path = _file(events, tmp_path)
    ref_s, ref = _open(path, monkeypatch, fast=False)
    line_s, line = _open(path, monkeypatch, fast=True, col=False)
    col_s, col = _open(path, monkeypatch, fast=True, batch=batch)
    assert ref_s.attls is None and col_s.attls is not None
    assert col == line
    if not any(e[1] == "other" or (e[1] in ("fail", "map") and PORTS[e[5]] > 65535) for e in events):
        # Two limits of both fast paths (issue 13), not of the columnar pass:
        # an AT-TLS line with a CONNID in a layout they leave to the reader
        # ("other": EZD1283I naming a call) is joined by correlation after
        # every routine line, so with its CONNID mapped again after it, it
        # joins the later connection; an EZD1286I whose port cannot be a
        # port joins as if it had no endpoint, where its record contradicts;
        # and an EZD1281I whose port cannot be a port is left to the reader, so
        # a routine line of its CONNID right after it joins the connection the
        # map line before it started (a port over 65535 is never in a real log).
        assert col == ref


def test_a_day_between_two_lines_of_a_connid_starts_a_new_connection(tmp_path, monkeypatch):
    ev = [(1, "map", 0, 0, 0, 0, 0, 0, 0), (1, "data", 0, 0, 0, 0, 0, 1, 0),
          (1, "data", 0, 0, 0, 0, 0, 90000, 0), (1, "close", 0, 0, 0, 0, 0, 1, 0)]
    path = _file(ev, tmp_path)
    _, ref = _open(path, monkeypatch, fast=False)
    s, col = _open(path, monkeypatch, fast=True)
    assert col == ref and len(s.connections) == 2


@pytest.mark.parametrize("batch", [0, 2])
def test_routine_lines_stay_line_numbers_that_read_back(batch, tmp_path, monkeypatch):
    ev = [(k % 3, kind, 0, k % len(REMOTES), 0, 0, 0, 1, 0) for k in range(12)
          for kind in ("map", "start", "flow", "data", "close")]
    path = _file(ev, tmp_path)
    full, ref = _open(path, monkeypatch, fast=False)
    s, col = _open(path, monkeypatch, fast=True, batch=batch)
    assert col == ref
    assert len(s.records) == 0 and s.artifacts[0].records == 60
    eager = {r.id: r for r in full.records}
    for c in s.connections:
        for rid in c.line_ids():
            got, want = s.record(rid), eager[rid]
            assert (got.msgid, got.fields, got.time) == (want.msgid, want.fields, want.time)


def test_a_failing_columnar_batch_is_read_line_by_line_with_the_same_result(tmp_path, monkeypatch):
    ev = [(k % 3, kind, k % 2, k % len(REMOTES), 0, 0, (0, 6)[k == 4], 1, k % 2) for k in range(8)
          for kind in ("map", "start", "flow", "sshd", "event", "data", "close")]
    path = _file(ev, tmp_path)
    _, want = _open(path, monkeypatch, fast=True, batch=5)

    def broken(self, first, texts):
        raise RuntimeError("polars went wrong")

    monkeypatch.setattr(columnar._State, "_frames", broken)
    _, got = _open(path, monkeypatch, fast=True, batch=5)
    assert got == want


def test_hostile_lines_give_what_the_line_by_line_path_gives(tmp_path, monkeypatch, caplog):
    head = "Mar 12 13:00:01 MVS3 TCPIPT[1]: 13:00:01 TCPIPT   "
    good = _line(1, "MVS3", "TCPIPT", _text((1, "map", 0, 0, 0, 0, 0, 0, 0)))
    lines = [
        good,
        head + "EZD1281I TTLS Map   CONNID: 00000701 LOCAL: " + "." * 30000 + "..21 REMOTE: 1.1.1.1..1 "
        "JOBNAME: J USERID: U TYPE: InBound STATUS: Enabled RULE: R ACTIONS: a",
        head + "EZD1285I TTLS Data  CONNID: 00000701 " + "CONNID: 00000702 " * 3000,
        "Mar 12 13:00:01 MVS3: TCPIPT[1]: 13:00:01 TCPIPT   EZD1285I TTLS Data  CONNID: 00000701 A B",
        "Mar 12 13:00:01 CONNID: TCPIPT[1]: EZD1285I TTLS Data  CONNID: 00000701 A B",
        "Mar 12 13:00:01 MVS3 EZD1281I: EZD1285I TTLS Data  CONNID: 00000701 A B",
        head + "EZD1285I TTLS Data  CONNID: 00000701 A B\x00\x1c",
        "\x00" * 100,
        head + "EZD1283I TTLS Event GRPID: 00000005 ENVID: 0000000C CONNID: 00000701 RC: 0 Call X - y",
        "Feb 30 13:00:01 MVS3 TCPIPT[1]: EZD1285I TTLS Data  CONNID: 00000701 A B",
        "Mar 12 13:00:61 MVS3 TCPIPT[1]: EZD1285I TTLS Data  CONNID: 00000701 A B",
        good,
    ]
    path = tmp_path / "hostile.log"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _, line = _open(path, monkeypatch, fast=True, col=False)
    with caplog.at_level("ERROR"):
        _, col = _open(path, monkeypatch, fast=True, batch=4)
    assert col == line
    assert not [r for r in caplog.records if "columnar" in r.getMessage()]  # no batch fell back
