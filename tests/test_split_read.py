"""A big syslogd file read in two processes (ingest/split.py) gives exactly what
one process gives: connections, findings, records, unparsed, line offsets;
and when the second process cannot be used the first reads on by itself."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tlsworkbench.ingest import loader, split

HERE = Path(__file__).parent
SCENARIOS = HERE / "data" / "scenarios"

pytestmark = pytest.mark.skipif(not hasattr(split.os, "fork") or not split.sys.platform.startswith("linux"),
                                reason="the split read forks (Linux only)")


def _open(path, mode: str, monkeypatch):
    """mode: "one" (one process, fast path), "two" (forced split)."""
    from tlsworkbench.engine import open_session

    monkeypatch.setattr(loader, "FAST_ATTLS_BYTES", 0)
    monkeypatch.setattr(split, "SPLIT_BYTES", 0 if mode == "two" else 1 << 62)
    monkeypatch.setattr(split, "SHARE", 0.5)  # the cases below put their point at the middle
    monkeypatch.setenv("TLSWORKBENCH_JOBS", "2")
    return open_session([path])


def _view(s):
    from tlsworkbench.commands.diagnose import to_json

    conns = [(c.id, c.system, c.stack, c.job, c.user, str(c.local), str(c.remote), c.rule, c.grpid,
              c.envid, c.connid, c.role, list(c.rcs), list(c.events), c.peer, c.keyring,
              c.first_time, c.last_time, c.line_ids()) for c in s.connections]
    records = [(r.id, r.text, r.msgid, r.time, r.system, r.severity, r.fields) for r in s.records]
    unparsed = [(u.artifact, u.line, u.text, u.reason) for u in s.unparsed]
    arts = [(a.id, a.kind, a.records, a.unparsed, list(a.offsets), a.note, a.sha256, a.size)
            for a in s.artifacts]
    return conns, records, unparsed, arts, to_json(s)


def _trace(n_conns: int, span: int = 3, reuse: bool = False, wrap: bool = False,
           other_port: bool = False) -> str:
    """A trace-255 syslogd log of ``n_conns`` connections whose lines interleave
    ``span`` at a time (so several are open at the middle of the file), other
    daemons between them, one failing connection, and (``reuse``) a CONNID used
    again later on the same stack; ``other_port``: the failing connection's
    EZD1286I names another remote port, so it starts a connection of its own)."""
    out = []
    k = 0

    def head(sec: int) -> str:
        m, s = divmod(sec, 60)
        h, m = divmod(m, 60)
        return f"Mar 12 {13 + h:02d}:{m:02d}:{s:02d} MVS3 TCPIPT[67174435]: {13 + h:02d}:{m:02d}:{s:02d} TCPIPT   "

    pending: list[list[str]] = []
    for i in range(n_conns):
        cid = f"{0x100 + (i % 40 if reuse else i):08X}"
        sec = i * 2 if not reuse else i * 100
        h = head(sec)
        rc = 438 if i == n_conns // 2 else 0
        lines = [
            h + f"EZD1281I TTLS Map   CONNID: {cid} LOCAL: 192.168.20.93..21 "
            f"REMOTE: ::FFFF:192.168.20.91..{2000 + i} JOBNAME: FTPT1 USERID: TCPIP TYPE: InBound "
            "STATUS: Enabled RULE: FTPTrule~1 ACTIONS: gAct1 eAct1 cAct1",
            h + f"EZD1282I TTLS Start GRPID: 00000005 ENVID: 0000000C CONNID: {cid} "
            "Initial Handshake ACTIONS: gAct1 eAct1 cAct1 HS-Server",
            h + f"EZD1284I TTLS Flow  GRPID: 00000005 ENVID: 0000000C CONNID: {cid} "
            "RC:    0 Call GSK_SECURE_SOCKET_OPEN - 7EC2B198",
            h + f"EZD1284I TTLS Flow  GRPID: 00000005 ENVID: 0000000C CONNID: {cid} "
            "RC:    0 Set GSK_FD - 000007D2",
            h + f"EZD1283I TTLS Event GRPID: 00000005 ENVID: 0000000C CONNID: {cid} "
            f"RC: {rc:4d} Initial Handshake 00000000 7EC28B98",
            h + f"EZD1285I TTLS Data  CONNID: {cid} SEND CIPHER 15030200020228",
        ]
        if rc:
            lines.append(h + f"EZD1286I TTLS Error GRPID: 00000005 ENVID: 0000000C CONNID: {cid} "
                         f"LOCAL: 192.168.20.93..21 REMOTE: ::FFFF:192.168.20.91..{2000 if other_port else 2000 + i} "
                         "JOBNAME: FTPT1 USERID: TCPIP RULE: FTPTrule~1 RC:  438 ")
        pending.append(lines)
        if len(pending) >= span or i == n_conns - 1:
            while any(pending):
                for p in pending:
                    if p:
                        out.append(p.pop(0))
                k += 1
                out.append(f"Mar 12 13:00:{k % 60:02d} MVS3 sshd[5034]: Accepted publickey for IBMUSER")
                if wrap and k % 97 == 0:
                    out.append(f"Mar 12 13:00:{k % 60:02d} MVS3 ftpd[50366682]: EZYFT31I MVS dataset "
                               f"USER{k}.DATA stored")
            pending = []
    return "\n".join(out) + "\n"


CASES = {
    "interleaved": dict(n_conns=300, span=4),
    "reused-connids": dict(n_conns=200, span=2, reuse=True),
    "other-daemons": dict(n_conns=150, span=3, wrap=True),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_two_processes_give_what_one_gives(case, tmp_path, monkeypatch):
    path = tmp_path / f"{case}.log"
    path.write_text(_trace(**CASES[case]))
    one = _open(path, "one", monkeypatch)
    two = _open(path, "two", monkeypatch)
    assert two.artifacts[0].note == one.artifacts[0].note  # no "read in one process" note
    assert _view(two) == _view(one)
    assert two.artifacts[0].sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert any(c.rcs == [438] for c in two.connections)
    # connections open at the middle of the file are one connection, not two halves
    assert len(two.connections) == len(one.connections) == CASES[case]["n_conns"]


@pytest.mark.parametrize("case", ["error3", "mixed", "healthy"])
def test_scenarios_read_in_two_processes(case, monkeypatch):
    assert _view(_open(SCENARIOS / case, "two", monkeypatch)) == _view(_open(SCENARIOS / case, "one",
                                                                             monkeypatch))


def test_a_failing_second_process_is_replaced_by_reading_on(tmp_path, monkeypatch):
    path = tmp_path / "t.log"
    path.write_text(_trace(120, span=3))
    one = _open(path, "one", monkeypatch)

    def boom(*a, **k):
        raise RuntimeError("disk went away")

    monkeypatch.setattr(split, "_read_part", boom)
    two = _open(path, "two", monkeypatch)
    assert "Read in one process: the second process failed (RuntimeError: disk went away)" \
        in two.artifacts[0].note
    c1, r1, u1, a1, _ = _view(one)
    c2, r2, u2, a2, _ = _view(two)
    assert (c2, r2, u2) == (c1, r1, u1)
    assert a2[0][:5] == a1[0][:5]


def test_a_connection_whose_later_line_contradicts_the_first_half_is_read_in_order(
        tmp_path, monkeypatch):
    # the failing connection is open at the middle; its EZD1286I (after the cut)
    # names another remote port than its EZD1281I (before the cut): one process
    # makes that line a connection of its own, so the second half is read again
    # in order rather than joined
    path = tmp_path / "t.log"
    path.write_text(_trace(300, span=4, other_port=True))
    one = _open(path, "one", monkeypatch)
    two = _open(path, "two", monkeypatch)
    assert "needs its lines read in order" in two.artifacts[0].note
    assert _view(two)[:3] == _view(one)[:3]
    assert len(one.connections) == 301


def test_a_line_cut_in_pieces_in_the_first_half_makes_the_parent_read_on(tmp_path, monkeypatch):
    from tlsworkbench.ingest.decode import MAX_LINE

    text = _trace(200, span=3)
    cut = text.index("\n", 1000) + 1
    huge = "Mar 12 13:00:00 MVS3 sshd[5034]: " + "x" * (MAX_LINE + 10) + "\n"
    path = tmp_path / "t.log"
    path.write_text(text[:cut] + huge + text[cut:])
    one = _open(path, "one", monkeypatch)
    two = _open(path, "two", monkeypatch)
    assert "line numbers of the two halves did not fit" in two.artifacts[0].note
    assert _view(two)[:3] == _view(one)[:3]


def test_no_split_when_asked_for_one_process_or_for_other_layouts(tmp_path, monkeypatch):
    from tlsworkbench.ingest.decode import sniff_layout
    from tlsworkbench.model import Artifact

    art = Artifact(id="a1", path="x", size=1 << 30)
    ascii_lay = sniff_layout(b"Mar 12 13:00:00 MVS3 sshd[1]: hello\n" * 10)
    monkeypatch.setenv("TLSWORKBENCH_JOBS", "2")
    assert split.can_split(art, ascii_lay)
    monkeypatch.setenv("TLSWORKBENCH_JOBS", "1")
    assert not split.can_split(art, ascii_lay)
    monkeypatch.setenv("TLSWORKBENCH_JOBS", "2")
    ebcdic = sniff_layout("Mar 12 13:00:00 MVS3 sshd[1]: hello\n".encode("cp1047").replace(b"\x25", b"\x15") * 10)
    assert not split.can_split(art, ebcdic)
    small = Artifact(id="a1", path="x", size=1 << 20)
    assert not split.can_split(small, ascii_lay)


def test_no_second_process_when_the_other_cpus_are_busy(monkeypatch):
    from tlsworkbench.ingest.decode import sniff_layout
    from tlsworkbench.model import Artifact

    art = Artifact(id="a1", path="x", size=1 << 30)
    lay = sniff_layout(b"Mar 12 13:00:00 MVS3 sshd[1]: hello\n" * 10)
    monkeypatch.delenv("TLSWORKBENCH_JOBS", raising=False)
    monkeypatch.setattr(split, "jobs", lambda: 2)
    monkeypatch.setattr(split.time, "sleep", lambda s: None)
    running = iter([])
    monkeypatch.setattr(split, "_running", lambda: next(running))
    running = iter([3, 4, 3])  # this process and two others, in every look
    assert not split.can_split(art, lay)
    running = iter([3, 2, 3])  # one look saw a CPU free: the other was a passing task
    assert split.can_split(art, lay)
    running = iter([3, 3, 3])
    monkeypatch.setenv("TLSWORKBENCH_JOBS", "2")  # asked for: done even so
    assert split.can_split(art, lay)
    assert split._running() >= 1  # the real /proc/loadavg counts at least this process



def test_a_broken_take_over_loses_the_second_half_visibly_not_the_session(tmp_path, monkeypatch):
    path = tmp_path / "t.log"
    path.write_text(_trace(120, span=3))

    def broken(self, session):
        raise KeyError("conns")

    monkeypatch.setattr(split.Part, "merge_into", broken)
    s = _open(path, "two", monkeypatch)
    art = s.artifacts[0]
    assert "were not read" in art.note and "KeyError" in art.note
    assert any("could not be taken over" in u.reason for u in s.unparsed)
    assert s.connections  # the first half is there, and the session works
