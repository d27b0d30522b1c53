"""Property: the syslogd fast path (routine AT-TLS lines joined while reading,
ingest/attls_fast.py) and the reference path (every line a record, joined by
model/correlate.py) build the same connections, on generated files whose
connections interleave, reuse CONNIDs (a second map line, other endpoints,
another stack) and contradict each other."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tlsworkbench.commands.diagnose import to_json
from tlsworkbench.engine import open_session
from tlsworkbench.ingest import loader

STACKS = ("TCPIPT", "TCPIPB")
PORTS = (21, 992)


def _line(t: int, stack: str, text: str) -> str:
    hms = f"13:{t // 60 % 60:02d}:{t % 60:02d}"
    return f"Mar 12 {hms} MVS3 {stack}[67174435]: {hms} {stack:<8} {text}"


_EVENT = st.tuples(
    st.integers(0, 3),  # CONNID: a tiny space, so ids are reused
    st.sampled_from(("map", "start", "flow", "event", "data", "fail", "close", "env")),
    st.integers(0, 1),  # stack
    st.integers(0, 2),  # remote address
    st.integers(0, 1),  # local port
    st.sampled_from((0, 0, 0, 6, 401)),  # RC
    st.integers(0, 3),  # seconds since the line before
    st.booleans(),  # remote written as ::FFFF:
)


def _text(e) -> tuple[str, str]:
    n, kind, si, ri, pi, rc, _dt, mapped6 = e
    cid = f"{0x700 + n:08X}"
    rem = f"{'::FFFF:' if mapped6 else ''}10.1.1.{ri + 1}..{1030 + ri}"
    loc = f"192.168.20.93..{PORTS[pi]}"
    pre = f"GRPID: 00000005 ENVID: 0000000C CONNID: {cid}"
    job = ("FTPT1", "TN3270T")[pi]
    text = {
        "map": f"EZD1281I TTLS Map   CONNID: {cid} LOCAL: {loc} REMOTE: {rem} JOBNAME: {job} "
               f"USERID: TCPIP TYPE: InBound STATUS: Enabled RULE: {job}Rule~1 ACTIONS: gAct1 eAct1 cAct1",
        "start": f"EZD1282I TTLS Start {pre} Initial Handshake ACTIONS: gAct1 eAct1 cAct1 HS-Server",
        "flow": f"EZD1284I TTLS Flow  {pre} RC: {rc:4d} Call GSK_SECURE_SOCKET_INIT - 7EC2B198",
        "event": f"EZD1283I TTLS Event {pre} RC: {rc:4d} Initial Handshake 00000000 7EC2B198",
        "data": f"EZD1285I TTLS Data  CONNID: {cid} RECV CIPHER 17030300A1B2C3D4",
        "fail": f"EZD1286I TTLS Error {pre} LOCAL: {loc} REMOTE: {rem} JOBNAME: {job} USERID: TCPIP "
                f"RULE: {job}Rule~1 RC: {rc or 6:4d} Initial Handshake 00000000 7EC2B198",
        "close": f"EZD1283I TTLS Event {pre} RC:    0 Connection Close 00000000 7EC2B198",
        "env": "EZD1284I TTLS Flow  GRPID: 00000005 ENVID: 0000000C CONNID: 00000000 "
               f"RC: {rc:4d} Call GSK_ENVIRONMENT_INIT - 7EC25118",
    }[kind]
    return STACKS[si], text


def _view(c):
    return (c.id, c.system, c.stack, c.job, c.user, str(c.local), str(c.remote), c.rule, c.grpid,
            c.envid, c.connid, c.role, list(c.rcs), list(c.events), c.peer, c.keyring,
            c.first_time, c.last_time, c.line_ids())


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(events=st.lists(_EVENT, min_size=1, max_size=40))
def test_fast_path_and_reference_path_build_the_same_connections(events, tmp_path, monkeypatch):
    t = 0
    lines = []
    for e in events:
        t += e[6]
        stack, text = _text(e)
        lines.append(_line(t, stack, text))
    path = tmp_path / "MVS3.syslogd.log"
    path.write_text("\n".join(lines) + "\n", encoding="ascii")
    monkeypatch.setattr(loader, "FAST_ATTLS_BYTES", 1 << 62)
    ref = open_session([path])
    monkeypatch.setattr(loader, "FAST_ATTLS_BYTES", 0)
    fast = open_session([path])
    assert fast.attls is not None and ref.attls is None
    assert [_view(c) for c in fast.connections] == [_view(c) for c in ref.connections]
    assert to_json(fast) == to_json(ref)


_STEP = st.tuples(st.sampled_from(("new", "map", "ask")), st.integers(0, 7),
                  st.sampled_from((None, "TCPIPT", "TCPIPB")), st.sampled_from((None, ("10.1.1.1", 21),
                                                                                 ("10.1.1.2", 21))),
                  st.sampled_from(("EZD1281I", "EZD1282I", "EZD1286I")))


@settings(max_examples=200, deadline=None)
@given(steps=st.lists(_STEP, max_size=60))
def test_cands_pick_the_connection_a_plain_list_picks(steps):
    """``Cands`` (a map line looks only at connections not mapped yet) chooses as
    the plain reversed walk over every connection of the CONNID does."""
    from tlsworkbench.model.correlate_base import Cands, Conn, latest_joinable

    plain: list = []
    fast = Cands()
    for op, k, stack, local, mid in steps:
        if op == "new":
            c = Conn("MVS3", len(plain), False)
            c.stack, c.local = stack, local
            plain.append(c)
            fast.append(c)
        elif op == "map" and plain:
            plain[k % len(plain)].mapped = True
        else:
            assert latest_joinable(fast, stack, local, None, mid, None) is \
                latest_joinable(plain, stack, local, None, mid, None)
