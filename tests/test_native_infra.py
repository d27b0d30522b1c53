"""Native System SSL users: correlation without CONNIDs, key ring from the
family's AppConfig, the family's fix in the findings (records built by hand as
the readers make them; the family readers have their own tests)."""

from __future__ import annotations

from datetime import datetime, timedelta

from tlsworkbench.diagnose import families, run
from tlsworkbench.model import Artifact, Record, Session
from tlsworkbench.model.correlate import correlate
from tlsworkbench.model.entities import AppConfig, JobInfo, KeyRing, RingEntry
from tlsworkbench.model.correlate_native import resolve_ring

T0 = datetime(2026, 3, 4, 10, 15, 0)


def rec(aid, line, text, sec=0.0, system="MVSA", job="FTPS1", severity="info", msgid=None, **fields):
    return Record(artifact=aid, line=line, kind="message", text=text, msgid=msgid, system=system,
                  time=T0 + timedelta(seconds=sec), job=job, severity=severity, fields=fields)


def session_of(*items, artifacts=("a1", "a2", "a3")) -> Session:
    s = Session(artifacts=[Artifact(id=a, path=f"{a}.log") for a in artifacts])
    for it in items:
        s.add(it)
    correlate(s)
    return s


def _server_fail(aid="a1", sec=0.0, rc=202, ip="10.20.30.41", port=50123):
    return [
        rec(aid, 10, "EZY2702I Server-FTP: Initialization completed", sec, family="ftp", role="server",
            remote_ip=ip, remote_port=port, local_ip="10.20.30.5", local_port=21, attempt_start=True),
        rec(aid, 11, f"secure_socket_init failed with rc = {rc}", sec + 1, severity="error",
            family="ftp", role="server", rc=rc, function="gsk_secure_socket_init"),
    ]


def test_native_records_make_one_connection_with_family_ring_and_user():
    cfg = AppConfig(family="ftp", record="a2:1", system="MVSA", job="FTPS1", role="server",
                    keyring="SRVRING", lines={"KEYRING": "a2:7"})
    job = JobInfo(jobname="FTPS1", owner="FTPSRV", record="a3:4", system="MVSA")
    s = session_of(*_server_fail(), cfg, job)
    assert len(s.connections) == 1
    c = s.connections[0]
    assert (c.id, c.family, c.rcs, c.job, c.user) == ("c1", "ftp", [202], "FTPS1", "FTPSRV")
    assert c.keyring == "FTPSRV/SRVRING"
    assert c.records == ["a1:10", "a1:11"]
    assert c.role == "server" and str(c.remote) == "10.20.30.41:50123"
    assert c.events == ["gsk_secure_socket_init"]


def test_two_attempts_by_time_and_peer_address_are_two_connections():
    s = session_of(*_server_fail(),
                   rec("a1", 20, "secure_socket_init failed with rc = 401", 700, severity="error",
                       family="ftp", rc=401, remote_ip="10.20.30.42"))
    assert [c.rcs for c in s.connections] == [[202], [401]]


def test_client_and_server_native_connections_pair():
    server = _server_fail()
    client = [rec("a2", 3, "ftp connecting", 0.5, system="MVSB", job="USER1", family="ftp", role="client",
                  remote_ip="10.20.30.5", remote_port=21, local_ip="10.20.30.41", local_port=50123),
              rec("a2", 4, "FC1103 authServer: secure_socket_init failed with rc = 406", 1.5,
                  system="MVSB", job="USER1", severity="error", family="ftp", role="client", rc=406,
                  native=True)]
    s = session_of(*server, *client)
    a, b = s.connections
    assert a.peer == b.id and b.peer == a.id


def test_unqualified_and_safkeyring_names_resolve_like_policy_keyring():
    assert resolve_ring("RING1", "TCPIP") == "TCPIP/RING1"
    assert resolve_ring("safkeyring://izusvr/zOSMFRing", None) == "IZUSVR/zOSMFRing"
    assert resolve_ring("RING1", None) == "RING1"


def test_no_native_records_leaves_connections_alone():
    s = session_of(rec("a1", 1, "EZD1287I ...", msgid="EZD1287I", connid="0000001A", rc=202,
                       grpid="00000001", envid="00000002", jobname="FTPT1", userid="TCPIP"))
    assert [c.family for c in s.connections] == ["attls"]


def test_family_registry_lists_the_modules_that_exist():
    assert families.module("ftp").CONFIG == "FTP.DATA"
    assert families.module("tn3270").refresh(None, None)[0].text.startswith("V TCPIP,")
    assert families.module("nosuch") is None


def test_ring_not_found_gets_the_family_edit_and_restart_not_pagent():
    cfg = AppConfig(family="ftp", record="a2:1", system="MVSA", job="FTPS1", role="server",
                    keyring="SRVRNG", lines={"KEYRING": "a2:7"}, settings={"KEYRING": "SRVRNG"})
    ring = KeyRing(owner="FTPSRV", name="SRVRING", record="a3:1", system="MVSA",
                   entries=[RingEntry("FTP Server", "FTPSRV", "PERSONAL", True, "a3:2")])
    job = JobInfo(jobname="FTPS1", owner="FTPSRV", record="a3:4", system="MVSA")
    s = session_of(*_server_fail(), cfg, ring, job)
    found = run(s)
    f = next(f for f in found if f.cause == "keyring-not-found")
    texts = [c.text for c in f.commands]
    assert "KEYRING FTPSRV/SRVRING" in texts
    assert "P FTPS1" in texts and "S FTPS" in texts
    assert not any("PAGENT" in t.upper() for t in texts)
    assert "a2:7" in f.evidence


def test_index_relates_a_native_line_to_its_connection_and_config():
    from tlsworkbench.model.index import Index

    cfg = AppConfig(family="ftp", record="a2:1", system="MVSA", job="FTPS1", role="server",
                    keyring="FTPSRV/SRVRING")
    ring = KeyRing(owner="FTPSRV", name="SRVRING", record="a3:1", system="MVSA", entries=[])
    s = session_of(*_server_fail(), cfg, ring)
    got = Index(s).related("a1:11")
    assert list(got.connections) == ["c1"]
    assert "a1:10" in got.records


def test_ftp_session_lines_without_a_native_line_stay_at_tls():
    # EZA2897I and the replies read the same with TLSMECHANISM ATTLS: alone they
    # prove nothing, so no native connection is made of them
    s = session_of(rec("a2", 3, "EZA1554I Connecting to: 10.20.30.5 port: 21.", 0, job="USER1",
                       family="ftp", role="client", remote_ip="10.20.30.5", remote_port=21,
                       attempt_start=True, msgid="EZA1554I"),
                   rec("a2", 4, "EZA2897I Authentication negotiation failed", 1, job="USER1",
                       severity="error", family="ftp", role="client", msgid="EZA2897I"))
    assert all(c.family == "attls" for c in s.connections)
    cfg = AppConfig(family="ftp", record="a3:1", system="MVSA", role="client",
                    settings={"TLSMECHANISM": "FTP"})
    s = session_of(*[r for r in s.records], cfg)
    assert [c.family for c in s.connections] == ["ftp"]
