"""The index: from any record id to its connections and everything related."""

from __future__ import annotations

from pathlib import Path

import pytest

from tlsworkbench.model import (Artifact, CertInfo, Connection, Finding, KeyRing, PolicyStatement,
                                Record, RingEntry, Session)
from tlsworkbench.model.index import FANOUT, Index
from tlsworkbench.model.trace import Handshake


def _session() -> Session:
    s = Session(artifacts=[Artifact(id=f"a{i}", path=f"f{i}") for i in range(1, 7)])
    # a1 console, a2 syslogd, a3 ring listing, a4 cert list, a5 policy, a6 trace
    s.records = [Record("a1", 4, "message", "EZD1287I ...", msgid="EZD1287I"),
                 Record("a2", 8, "message", "EZD1286I ...", msgid="EZD1286I"),
                 Record("a2", 9, "message", "EZD1283I ...", msgid="EZD1283I"),
                 Record("a1", 20, "message", "EZD1287I ...", msgid="EZD1287I")]
    s.rings = [KeyRing("FTPD", "Server_RING", [
        RingEntry("MVS1 LABS Certificate Authority", "CERTAUTH", "CERTAUTH", False, "a3:8"),
        RingEntry("FTP Server on MVS1-MVS7", "FTPD", "PERSONAL", True, "a3:9")], "a3:5")]
    s.certs = [CertInfo("a4:3", "racdcert", owner="FTPD", label="FTP Server on MVS1-MVS7"),
               CertInfo("a4:40", "racdcert", owner="OTHER", label="Unrelated")]
    s.policy = [
        PolicyStatement("TTLSRule", "FTPT~1", {"TTLSEnvironmentActionRef": "eAct1"}, "a5:3",
                        lines={"TTLSEnvironmentActionRef": "a5:6"}),
        PolicyStatement("TTLSEnvironmentAction", "eAct1", {"TTLSKeyringParmsRef": "keyR1"}, "a5:10",
                        lines={"TTLSKeyringParmsRef": "a5:12"}),
        PolicyStatement("TTLSKeyringParms", "keyR1", {"Keyring": "FTPD/Server_RING"}, "a5:14",
                        lines={"Keyring": "a5:16"}),
        PolicyStatement("TTLSRule", "Other~1", {}, "a5:30"),
    ]
    s.handshakes = [Handshake(id="h1", records=["a6:1", "a6:5"], connection="c1")]
    s.connections = [
        Connection("c1", system="MVS3", rule="FTPT~1", keyring="ftpd/Server_RING", rcs=[6],
                   records=["a1:4", "a2:8", "a2:9"], peer="c2", handshakes=["h1"]),
        Connection("c2", system="MVS1", rcs=[438], records=["a1:20"], peer="c1"),
    ]
    s.findings = [Finding("f1", "certificate-not-on-ring", "error", "t", "e", rcs=[6],
                          evidence=["a1:4", "a3:5"], connections=["c1"])]
    return s


@pytest.fixture()
def idx():
    return Index(_session())


def test_console_line_gives_its_connection_its_peer_and_everything_of_them(idx):
    r = idx.related("a1:4")
    assert r.record == "a1:4"
    assert r.connections == ("c1", "c2"), "the partner's side belongs with it"
    assert "a1:20" in r.records, "the peer's own lines"
    assert {"a1:4", "a2:8", "a2:9"} <= r.records
    assert {"a5:3", "a5:6", "a5:10", "a5:12", "a5:14", "a5:16"} <= r.records, "policy lines of its rule"
    assert {"a3:5", "a3:8", "a3:9"} <= r.records, "ring and ring entries of its key ring"
    assert "a4:3" in r.records and r.certs == ("a4:3",)
    assert {"a6:1", "a6:5"} <= r.records and r.handshakes == ("h1",)
    assert r.rings == ("FTPD/Server_RING",)
    assert r.findings == ("f1",) and r.rcs == (6, 438)
    assert "a4:40" not in r.records and "a5:30" not in r.records


def test_every_kind_of_record_reaches_the_connection(idx):
    for rid in ("a2:9", "a3:9", "a3:5", "a4:3", "a5:16", "a5:3", "a6:5"):
        assert idx.related(rid).connections == ("c1", "c2"), rid


def test_unrelated_and_unknown_ids_give_only_themselves(idx):
    r = idx.related("a4:40")
    assert r.connections == () and r.records == {"a4:40"} and r.certs == ("a4:40",)
    r = idx.related("a9:1")
    assert r.connections == () and r.records == {"a9:1"}


def test_connection_query(idx):
    r = idx.related_to_connection("c2")
    assert r.records == {"a1:20"} and r.rcs == (438,)
    assert idx.related_to_connection("c99").connections == ()


def test_a_ring_used_by_many_connections_lists_them_all_but_gathers_a_bounded_set():
    s = _session()
    many = [Connection(f"c{i}", keyring="FTPD/Server_RING", records=[f"a2:{1000 + i}"],
                       rcs=[6] if i % 50 == 0 else [])
            for i in range(3, 3 + FANOUT * 3)]
    s.connections += many
    idx = Index(s)
    r = idx.related("a3:9")
    assert len(r.connections) == FANOUT * 3 + 2  # and c1's peer c2
    assert r.truncated
    failing = {c.id for c in s.connections if c.rcs and c.keyring}
    assert failing <= set(r.connections[:len(failing)]), "failing connections come first"


def test_engine_related_on_files_links_client_lines_to_the_job_log_line():
    from tlsworkbench.engine import index_of, open_session, related

    data = Path(__file__).parent / "data" / "correlate" / "error3"
    s = open_session([data])
    joblog = next(a for a in s.artifacts if a.path.endswith("mvs1_joblog.txt"))
    ezd = next(r for r in s.records if r.artifact == joblog.id and r.msgid == "EZD1287I")
    r = related(s, ezd.id)
    assert r.rcs[0] == 438 and len(r.connections) == 2, "the job's connection and its peer"
    ftp = next(a for a in s.artifacts if a.path.endswith("mvs1_ftp_client.txt"))
    assert any(rid.startswith(ftp.id + ":") for rid in r.records)
    assert index_of(s) is index_of(s), "the index is built once per session"


def test_a_ring_without_a_personal_certificate_lists_its_owners_certificates():
    s = _session()
    s.rings[0].entries = s.rings[0].entries[:1]  # only the CA certificate is connected
    r = Index(s).related("a1:4")
    assert "a4:3" in r.certs, "FTPD's own certificate is what the ring is missing"
    assert "a4:40" not in r.certs


def test_related_is_an_immutable_value(idx):
    import dataclasses

    r = idx.related("a1:4")
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.records = frozenset()
    assert isinstance(r.records, frozenset) and isinstance(r.connections, tuple)
