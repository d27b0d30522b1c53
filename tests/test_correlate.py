"""Correlation: which records make one connection, peers, roles, key rings.

The first tests build sessions by hand (records as the readers make them); the
scenario tests at the end read the files of tests/data/correlate/ through the
real readers."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tlsworkbench.model import Artifact, Record, Session
from tlsworkbench.model.correlate import correlate, norm_ip

DATA = Path(__file__).parent / "data" / "correlate"
T0 = datetime(2014, 3, 12, 13, 59, 2)


def _t(sec: float = 0.0) -> datetime:
    return T0 + timedelta(seconds=sec)


def rec(aid, line, msgid, system=None, sec=0.0, severity="info", job=None, **fields) -> Record:
    return Record(artifact=aid, line=line, kind="message", text=f"{msgid} ...", msgid=msgid,
                  system=system, time=_t(sec), job=job, severity=severity, fields=fields)


def session_of(*records, artifacts=("a1", "a2", "a3")) -> Session:
    s = Session(artifacts=[Artifact(id=a, path=f"{a}.log") for a in artifacts])
    for r in sorted(records, key=lambda r: (r.artifact, r.line)):
        s.add(r)
    correlate(s)
    return s


def ezd1286(aid, line, system, cid, local, remote, rc, sec=0.0, stack="TCPIPT", **kw):
    lip, lport = local
    rip, rport = remote
    return rec(aid, line, "EZD1286I", system, sec, severity="error" if rc else "info",
               grpid=kw.get("grpid", "00000005"), envid=kw.get("envid", "0000000C"), connid=cid,
               local_ip=lip, local_port=lport, remote_ip=rip, remote_port=rport,
               jobname=kw.get("jobname", "FTPT1"), userid=kw.get("userid", "TCPIP"),
               rule=kw.get("rule", "FTPTat192.168.20.9n~1"), rc=rc, event="Initial Handshake",
               stack=stack)


def ezd1287(aid, line, system, cid, local, remote, rc, sec=0.0, **kw):
    r = ezd1286(aid, line, system, cid, local, remote, rc, sec, stack=None, **kw)
    r.msgid = "EZD1287I"
    del r.fields["stack"]
    return r


SRV = ("192.168.20.93", 21)
CLI = ("192.168.20.91", 1037)


def test_console_and_syslogd_lines_of_one_failure_are_one_connection():
    s = session_of(
        ezd1287("a1", 10, "MVS3", "000007CC", SRV, CLI, 6),
        rec("a2", 3, "EZD1283I", "MVS3", 0, grpid="00000005", envid="0000000C", connid="000007CC",
            rc=6, event="Initial Handshake", stack="TCPIPT"),
        ezd1286("a2", 4, "MVS3", "000007CC", SRV, CLI, 6),
        rec("a2", 5, "EZD1285I", "MVS3", 0, connid="000007CC", direction="SEND", stack="TCPIPT"),
    )
    assert len(s.connections) == 1
    c = s.connections[0]
    assert c.records == ["a1:10", "a2:3", "a2:4", "a2:5"]
    assert c.rcs == [6]
    assert (c.system, c.stack, c.job, c.user, c.connid) == ("MVS3", "TCPIPT", "FTPT1", "TCPIP", "000007CC")
    assert str(c.local) == "192.168.20.93:21" and str(c.remote) == "192.168.20.91:1037"
    assert c.role == "server"


def test_same_connid_on_two_systems_stays_apart_and_peers_link():
    s = session_of(
        ezd1287("a1", 1, "MVS3", "000000CA", SRV, CLI, 6),
        ezd1287("a2", 1, "MVS1", "000000CA", CLI, SRV, 438, jobname="USER201", userid="USER301",
                rule="FTPTClient@192.168.20.11n-5"),
    )
    assert len(s.connections) == 2
    a, b = s.connections
    assert a.system == "MVS3" and b.system == "MVS1"
    assert a.peer == b.id and b.peer == a.id
    assert b.role == "client" and a.role == "server"


def test_same_connid_other_endpoints_is_a_new_connection():
    s = session_of(
        ezd1286("a1", 1, "MVS3", "00000010", SRV, CLI, 6),
        ezd1286("a1", 2, "MVS3", "00000010", SRV, ("192.168.20.77", 4000), 6),
    )
    assert len(s.connections) == 2


def test_ipv4_mapped_addresses_are_normalised_for_peers():
    s = session_of(
        ezd1286("a1", 1, "MVS3", "00000011", ("::FFFF:192.168.20.93", 21), ("::ffff:192.168.20.91", 1037), 6),
        ezd1287("a2", 1, None, "00000012", CLI, SRV, 438),
    )
    a, b = s.connections
    assert str(a.local) == "192.168.20.93:21"
    assert a.peer == b.id, "a peer on a side without a system name must still link"
    assert norm_ip("::FFFF:10.1.1.1") == "10.1.1.1" and norm_ip("FE80::1") == "fe80::1"


def test_environment_error_attaches_to_the_connection_of_its_environment():
    env = dict(grpid="00000005", envid="0000000C", connid="00000000", stack="TCPIPT")
    s = session_of(
        rec("a1", 1, "EZD1284I", "MVS3", 0, rc=0, action="Set", func="GSK_KEYRING_FILE",
            value="FTPP/Server_RING", **env),
        rec("a1", 2, "EZD1284I", "MVS3", 0.1, rc=202, action="Call", func="GSK_ENVIRONMENT_INIT",
            value="7EC25118", **env),
        rec("a1", 3, "EZD1283I", "MVS3", 0.1, rc=202, event="Environment Master Init", **env),
        ezd1286("a1", 4, "MVS3", "000007CD", SRV, CLI, 5006, sec=0.2),
        # an unrelated environment of another system
        rec("a1", 5, "EZD1283I", "MVS1", 0.1, rc=0, event="Environment Master Create",
            grpid="00000005", envid="0000000C", connid="00000000", stack="TCPIP"),
    )
    assert len(s.connections) == 1
    c = s.connections[0]
    assert c.records == ["a1:1", "a1:2", "a1:3", "a1:4"]
    assert c.rcs == [202, 5006]
    assert "Environment Master Init" in c.events
    assert c.keyring == "FTPP/Server_RING"


def test_failing_environment_alone_becomes_a_connection():
    env = dict(grpid="00000007", envid="00000002", connid="00000000", stack="TCPIPT")
    s = session_of(
        rec("a1", 1, "EZD1284I", "MVS3", 0, rc=0, action="Set", func="GSK_KEYRING_FILE",
            value="Server_RING", **env),
        rec("a1", 2, "EZD1283I", "MVS3", 0.1, rc=202, event="Environment Master Init", **env),
        rec("a1", 9, "EZD1283I", "MVS3", 0.1, rc=0, event="Environment Master Create",
            grpid="00000009", envid="00000001", connid="00000000", stack="TCPIPT"),
    )
    assert [c.records for c in s.connections] == [["a1:1", "a1:2"]]
    assert s.connections[0].rcs == [202]


def test_ftp_client_lines_join_the_client_connection_by_remote_address():
    ftp = [
        rec("a3", 1, "EZA1736I", None, -1, remote_host="192.168.20.93", remote_ip="192.168.20.93",
            remote_port=21),
        rec("a3", 2, "EZA1554I", None, -1, remote_ip="192.168.20.93", remote_port=21),
        rec("a3", 4, "FC2838", None, -1, function="authServerAttls"),
        rec("a3", 5, "EZA2897I", None, -1, severity="error"),
    ]
    s = session_of(
        ezd1287("a1", 1, "MVS3", "000007CC", SRV, CLI, 6),
        ezd1287("a2", 1, "MVS1", "000000CA", CLI, SRV, 438, jobname="USER201", userid="USER301"),
        *ftp,
    )
    srv, cli = s.connections
    assert cli.records == ["a2:1", "a3:1", "a3:2", "a3:4", "a3:5"]
    assert srv.records == ["a1:1"]


def test_ich408i_joins_the_failing_connection_of_its_user():
    s = session_of(
        ezd1287("a1", 1, "MVS1", "000000CA", CLI, SRV, 202, jobname="USER201", userid="USER301"),
        rec("a1", 7, "ICH408I", "MVS1", -0.5, severity="error", user="USER301",
            resource="IRR.DIGTCERT.LISTRING", cls="FACILITY"),
        rec("a1", 12, "ICH408I", "MVS1", 900, severity="error", user="USER301"),  # much later
        rec("a1", 14, "ICH408I", "MVS1", 0, severity="error", user="OTHER"),
    )
    assert s.connections[0].records == ["a1:1", "a1:7"]


def test_keyring_without_owner_belongs_to_the_connection_user():
    s = session_of(
        rec("a1", 1, "EZD1284I", "MVS3", 0, rc=0, action="Set", func="GSK_KEYRING_FILE",
            value="Server_RING", grpid="00000001", envid="00000002", connid="00000031", stack="TCPIPT"),
        ezd1286("a1", 2, "MVS3", "00000031", SRV, CLI, 6, grpid="00000001", envid="00000002"),
    )
    assert s.connections[0].keyring == "TCPIP/Server_RING"


def test_rcs_do_not_repeat_and_times_span_the_records():
    s = session_of(
        ezd1286("a1", 1, "MVS3", "00000041", SRV, CLI, 6, sec=0),
        rec("a1", 2, "EZD1283I", "MVS3", 3, rc=6, event="Initial Handshake", connid="00000041",
            grpid="00000005", envid="0000000C", stack="TCPIPT"),
    )
    c = s.connections[0]
    assert c.rcs == [6]
    assert (c.last_time - c.first_time).total_seconds() == pytest.approx(3, abs=0.01)


def test_second_map_line_with_the_same_connid_starts_a_new_connection():
    m = dict(connid="00000050", local_ip=SRV[0], local_port=21, remote_ip=CLI[0], remote_port=1037,
             jobname="FTPT1", userid="TCPIP", stack="TCPIPT", type="InBound")
    s = session_of(rec("a1", 1, "EZD1281I", "MVS3", 0, **m), rec("a1", 2, "EZD1281I", "MVS3", 60, **m))
    assert len(s.connections) == 2
    assert s.connections[0].role == "server"


def test_many_interleaved_connections_stay_exact():
    # 20k connections, lines of four concurrent ones interleaved, ports reused:
    # every connection gets exactly its own five lines
    recs = []
    n = 0
    mids = ("EZD1281I", "EZD1282I", "EZD1284I", "EZD1283I", "EZD1285I")
    for block in range(0, 20000, 4):
        for k, mid in enumerate(mids):
            for i in range(block, block + 4):
                n += 1
                recs.append(rec("a1", n, mid, "MVS1", i * 0.01, connid=f"{i + 1:08X}", grpid="00000001",
                                envid="00000002", stack="TCPIP", local_ip="10.0.0.1", local_port=443,
                                remote_ip="10.0.0.2", remote_port=1024 + i % 3000))
    s = Session(artifacts=[Artifact(id="a1", path="x")])
    s.records = recs
    correlate(s)
    assert len(s.connections) == 20000
    assert all(len(c.records) == 5 for c in s.connections)
    lines = [int(rid.split(":")[1]) for rid in s.connections[1].records]
    assert lines == [2, 6, 10, 14, 18]


# -- scenarios read from files through the readers --------------------------------------
def _readers_or_skip(*kinds):
    from tlsworkbench.ingest import registry

    have = registry.readers()
    missing = [k for k in kinds if k not in have]
    assert not missing, f"the registry lost readers: {missing}"  # a broken registry fails


def test_seed_error3_both_systems_from_files():
    """Seed Error #3: MVS3 SYSLOG EZD1287I RC 6 + syslogd EZD1286I/EZD1283I (IPv4-mapped),
    MVS1 job log RC 438 and the FTP client's lines: two connections that are peers."""
    _readers_or_skip("console", "syslogd")
    from tlsworkbench.ingest.loader import load

    s = load([DATA / "error3"])
    kinds = {Path(a.path).name: a.kind for a in s.artifacts}
    assert kinds["mvs3_syslog.txt"] == "console"
    assert kinds["mvs3_syslogd.log"] == "syslogd"
    failing = [c for c in s.connections if c.rcs]
    by_sys = {c.system: c for c in failing}
    assert set(by_sys) == {"MVS1", "MVS3"}, [(c.id, c.system, c.rcs) for c in s.connections]
    srv, cli = by_sys["MVS3"], by_sys["MVS1"]
    assert srv.rcs == [6] and cli.rcs == [438]
    assert srv.peer == cli.id and cli.peer == srv.id
    assert str(srv.local) == "192.168.20.93:21" and str(srv.remote) == "192.168.20.91:1037"

    def files(c):
        return {Path(s.artifact(rid.split(":")[0]).path).name for rid in c.records}

    # console EZD1287I + syslogd EZD1286I/EZD1283I/EZD1285I of MVS3 are one connection
    assert files(srv) == {"mvs3_syslog.txt", "mvs3_syslogd.log"}
    assert len([r for r in srv.records if s.record(r).msgid in ("EZD1286I", "EZD1287I")]) == 2
    # the FTP client's lines belong to the MVS1 client side, not to the server
    assert files(cli) == {"mvs1_joblog.txt", "mvs1_ftp_client.txt"}
    assert srv.keyring == "FTPD/Server_RING"
    assert srv.role == "server" and cli.role == "client"
    # MVS3's TN3270 connection has the CONNID of the MVS1 client: they stay apart
    tn = [c for c in s.connections if c.job == "TN3270"]
    assert len(tn) == 1 and tn[0].connid == cli.connid == "000000CA"
    assert tn[0].system == "MVS3" and tn[0].peer is None and not tn[0].rcs


def test_environment_error_long_before_the_connection_joins_the_nearest_one():
    env = dict(grpid="00000005", envid="0000000C", connid="00000000", stack="TCPIPT")
    s = session_of(
        rec("a1", 1, "EZD1283I", "MVS3", 0, rc=202, event="Environment Master Init", **env),
        ezd1286("a1", 2, "MVS3", "000007CD", SRV, CLI, 5006, sec=600),
        ezd1286("a1", 3, "MVS3", "000007CE", SRV, ("192.168.20.91", 1040), 5006, sec=5000),
    )
    assert len(s.connections) == 2
    assert s.connections[0].records == ["a1:1", "a1:2"]
    assert s.connections[0].rcs == [202, 5006]
    assert s.connections[1].rcs == [5006]


def test_connections_are_built_with_the_fields_in_their_declared_order():
    # correlate builds Connection positionally (fast on 78k connections): a field
    # added or moved in model/connection.py must be added there too
    from dataclasses import fields

    from tlsworkbench.model.connection import Connection
    from tlsworkbench.model.correlate import CONNECTION_FIELDS

    assert tuple(f.name for f in fields(Connection)) == CONNECTION_FIELDS
