"""Healthy read-time connections kept as rows of a table (model/conntable.py,
model/connrows.py) give the same connections as the same connections kept as
objects: ids, peers (one on each side, several, with a failing partner, too far
apart in time), role and key ring from the policy, times, lines; and rows that
an environment, client or RACF record joins become objects first."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tlsworkbench.commands.diagnose import to_json
from tlsworkbench.engine import open_session
from tlsworkbench.ingest import columnar_settle, loader
from tlsworkbench.model import conntable
from tlsworkbench.model.connset import ConnSet, objects, rows_of

SCEN = Path(__file__).parent / "data" / "scenarios" / "error2-not-authorized"
SRV, CLI = "192.168.20.77", "192.168.20.71"


def _line(t: int, system: str, text: str) -> str:
    hms = f"{14 + t // 3600:02d}:{t // 60 % 60:02d}:{t % 60:02d}"
    return f"Mar 12 {hms} {system} TCPIPT[50397219]: {hms} TCPIPT   {text}"


def _side(t, system, cid, local, remote, job, rule, typ, rc=0, grp="00000005"):
    pre = f"GRPID: {grp} ENVID: 0000000C CONNID: {cid}"
    return [
        _line(t, system, f"EZD1281I TTLS Map   CONNID: {cid} LOCAL: {local} REMOTE: {remote} "
                         f"JOBNAME: {job} USERID: {job} TYPE: {typ} STATUS: Enabled RULE: {rule} "
                         "ACTIONS: gAct1 eAct1 cAct1"),
        _line(t, system, f"EZD1282I TTLS Start {pre} Initial Handshake ACTIONS: gAct1 eAct1 cAct1 HS-Server"),
        _line(t + 1, system, f"EZD1284I TTLS Flow  {pre} RC:    0 Call GSK_SECURE_SOCKET_INIT - 7EC2B198"),
        _line(t + 1, system, f"EZD1283I TTLS Event {pre} RC: {rc:4d} Initial Handshake 00000000 7EC2B198"),
        _line(t + 2, system, f"EZD1285I TTLS Data  CONNID: {cid} RECV CIPHER 17030300A1B2C3D4"),
    ]


def _pair(t, k, port, dt=0, rc=0, grp="00000005"):
    srv = _side(t, "MVS3", f"{0x1000 + k:08X}", f"{SRV}..21", f"{CLI}..{port}", "FTPDT1",
                "FTPTat192.168.20.9n~1", "InBound", rc, grp)
    cli = _side(t + dt, "MVS1", f"{0x2000 + k:08X}", f"{CLI}..{port}", f"{SRV}..21", "BATCHC1",
                "FTPTClient@192.168.20.9n~5", "OutBound", grp=grp)
    return srv + cli


def _big_log() -> list[str]:
    out: list[str] = []
    t = 0
    for k in range(40):  # one on each side, within the window: peers among rows
        out += _pair(t, k, 3000 + k)
        t += 7
    for k in range(40, 45):  # the client 200 s later: no peer
        out += _pair(t, k, 3000 + k, dt=200)
        t += 7
    for k in range(45, 48):  # one client port used three times: a group for the Python rule
        out += _pair(t, k, 2999)
        t += 7
    out += _pair(t, 48, 4000, rc=8)  # a failing server: its healthy client pairs with an object
    t += 7
    out += _pair(t, 49, 4001, grp="00000009")  # an environment line of GRPID 9 joins these
    out.append(_line(t + 1, "MVS3", "EZD1284I TTLS Flow  GRPID: 00000009 ENVID: 0000000C CONNID: "
                                    "00000000 RC:    0 Call GSK_ENVIRONMENT_INIT - 7EC25118"))
    t += 7
    out.append(_line(t, "MVS3", "EZD1285I TTLS Data  CONNID: 00007777 RECV CIPHER 17030300A1B2C3D4"))
    # the environment's key ring, named once late: every connection of GRPID 5 on MVS3 has it
    out.append(_line(t + 1, "MVS3", "EZD1284I TTLS Flow  GRPID: 00000005 ENVID: 0000000C CONNID: "
                                    "00000000 RC:    0 Set GSK_KEYRING_FILE - EnvRing"))
    return out


def _view(c):
    return (c.id, c.system, c.stack, c.job, c.user, str(c.local), str(c.remote), c.rule, c.grpid,
            c.envid, c.connid, c.role, list(c.rcs), list(c.events), list(c.records), c.peer,
            c.keyring, c.first_time, c.last_time, c.line_ids(), c.family)


def _open(folder: Path, monkeypatch, *, rows: bool, col: bool = True):
    monkeypatch.setattr(loader, "FAST_ATTLS_BYTES", 0)
    monkeypatch.setattr(loader, "COLUMNAR", col)
    if not rows:  # neither the read side (columnar_settle) nor freeze makes rows
        monkeypatch.setattr(conntable, "freeze", lambda joiner: 0)
        monkeypatch.setattr(columnar_settle, "ROWS_AS_OBJECTS", True)
    s = open_session([folder])
    monkeypatch.undo()
    return s


@pytest.fixture()
def folder(tmp_path):
    d = tmp_path / "evidence"
    shutil.copytree(SCEN, d)
    (d / "MVS9.big.syslogd.log").write_text("\n".join(_big_log()) + "\n", encoding="utf-8")
    return d


@pytest.mark.parametrize("col", [True, False])
def test_rows_and_objects_give_the_same_connections(folder, monkeypatch, col):
    with_rows = _open(folder, monkeypatch, rows=True, col=col)
    without = _open(folder, monkeypatch, rows=False, col=col)
    conns = with_rows.connections
    assert isinstance(conns, ConnSet) and conns.rows > 40  # the test would fail without rows
    assert rows_of(without.connections) is None
    assert [_view(c) for c in conns] == [_view(c) for c in without.connections]
    assert to_json(with_rows) == to_json(without)
    # the cases the file was made for are there
    by = {c.connid: c for c in conns}
    assert by["00001000"].peer == by["00002000"].id and by["00002000"].peer == by["00001000"].id
    assert by["00001028"].peer is None and by["00002028"].peer is None  # 200 s apart
    assert by["00001000"].role == "server" and by["00002000"].role == "client"
    assert by["00001000"].keyring == "FTPDT1/EnvRing" and by["00001000"].first_time.year != 1900
    assert by["00002000"].keyring != "FTPDT1/EnvRing"  # MVS1: another environment
    assert by["00001030"].rcs and by["00002030"].peer == by["00001030"].id
    assert by["00007777"].local is None and by["00007777"].peer is None


def test_a_row_is_an_object_only_when_a_record_joins_it(folder, monkeypatch):
    s = _open(folder, monkeypatch, rows=True)
    objs = {c.connid for c in objects(s.connections)}
    table = rows_of(s.connections)
    assert "00001030" in objs  # failing
    assert "00001031" in objs  # its environment line joined it
    assert "00001001" not in objs and "00001001" in table["connid"].to_list()
    assert s.connection(table["id"][0]).id == table["id"][0]


@pytest.mark.parametrize("col", [True, False])
def test_a_second_load_into_the_session_gives_what_objects_give(folder, tmp_path, monkeypatch, col):
    more = tmp_path / "later.syslogd.log"
    more.write_text("\n".join([_line(3, "MVS3", "EZD1285I TTLS Data  CONNID: 00001000 RECV CIPHER 1703"),
                               *_pair(9, 1, 3001)]) + "\n")
    views = []
    for rows in (True, False):
        s = _open(folder, monkeypatch, rows=rows, col=col)
        monkeypatch.setattr(loader, "FAST_ATTLS_BYTES", 0)
        monkeypatch.setattr(loader, "COLUMNAR", col)
        if not rows:
            monkeypatch.setattr(conntable, "freeze", lambda joiner: 0)
        loader.load([more], session=s)
        monkeypatch.undo()
        views.append([_view(c) for c in s.connections])
    assert views[0] == views[1] and len(views[0]) > 100
