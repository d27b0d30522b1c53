"""TN3270E Telnet with a SECUREPORT (native TLS): EZZ6034I/EZZ6035I, the profile,
the findings with Telnet's own refresh, on tests/data/tn3270 (and EBCDIC copies)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tlsworkbench.engine import open_session
from tlsworkbench.ingest import msgfields, tn3270profile
from tlsworkbench.model import Artifact

DATA = Path(__file__).parent / "data" / "tn3270"
OBEY = "V TCPIP,TN3270,OBEYFILE,DSN=SYS1.TCPPARMS(TNPROFC)"

EXPECTED = {
    "cert-expired": ("certificate-expired", 401, ["SETROPTS RACLIST(DIGTRING DIGTCERT) REFRESH", OBEY]),
    "protocol-mismatch": ("protocol-mismatch", 412, ["TLSV1", "TTLSPORT 992", OBEY]),  # SECUREPORT: TLS 1.0 at most
    "private-key": ("private-key-unavailable", 428, ["PERMIT TCPIP.TNRING.LST CLASS(RDATALIB)", OBEY]),
}


def _summary(s):
    return [(f.cause, f.severity, [c.text for c in f.commands]) for f in s.findings]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_failing_tn3270_session_gets_its_cause_and_the_obeyfile_refresh(name):
    s = open_session([DATA / name])
    cause, rc, texts = EXPECTED[name]
    assert [f.cause for f in s.findings] == [cause]
    f = s.findings[0]
    conn = s.connection(f.connections[0])
    assert (conn.family, conn.rcs, conn.job, conn.user, conn.keyring) == (
        "tn3270", [rc], "TN3270", "TCPIP", "TCPIP/TNRING")
    got = [c.text for c in f.commands]
    for t in texts:
        assert any(g.startswith(t) for g in got), (t, got)
    assert got[-1] == OBEY
    assert not any("PAGENT" in g.upper() for g in got)


@pytest.mark.parametrize("name", sorted(EXPECTED) + ["good"])
def test_the_ebcdic_copy_gives_the_same_findings(name):
    a = open_session([DATA / name])
    b = open_session([DATA / "ebcdic" / name])
    assert {art.encoding for art in b.artifacts} == {"cp1047"}
    assert _summary(a) == _summary(b)


def test_a_good_session_is_one_native_connection_without_findings():
    s = open_session([DATA / "good"])
    assert s.findings == []
    (c,) = s.connections
    assert (c.family, c.role, str(c.remote)) == ("tn3270", "server", "10.20.40.61:50512")
    assert len(c.records) == 3


def test_console_selection_relates_the_ezz6035i_line_to_its_connection():
    from tlsworkbench.engine import related

    s = open_session([DATA / "private-key"])
    det = next(r for r in s.records if r.msgid == "EZZ6035I")
    rel = related(s, det.id)
    assert list(rel.connections) == [s.connections[0].id]
    drop = next(r for r in s.records if r.msgid == "EZZ6034I" and "DROP" in r.text)
    assert drop.id in rel.records


@pytest.mark.parametrize("parm1,rc", [("00000191", 401), ("0000019C", 412), ("FFFFFFEA", -22),
                                      ("000000CA", 202)])
def test_parm1_is_the_system_ssl_code_in_hex_negative_in_twos_complement(parm1, rc):
    text = ("EZZ6035I TN3270 DEBUG CONN DETAIL IPADDR..PORT: ::FFFF:10.1.1.2..1050 CONN: 0000002B "
            f"LU: TCPM1001 MOD: EZBTTSMT RCODE: 6002-00 SSL/TLS handshake failed. PARM1: {parm1} "
            "PARM2: 00000000 PARM3: GSK_SECURE_SOCKET_INIT")
    fields, sev = msgfields.parse_message("EZZ6035I", text)
    assert (fields["rc"], fields["rcode"], fields["function"]) == (rc, "6002-00", "gsk_secure_socket_init")
    assert fields["native"] and sev == "error"


def test_an_at_tls_port_detail_is_not_native():
    # TTLSPORT: Telnet asks AT-TLS (RCODE 1030, PARM3 not a GSK_ function)
    text = ("EZZ6035I TN3270 DEBUG CONN DETAIL IPADDR..PORT: ::FFFF:192.168.20.91..1040 "
            "CONN: 00000064 LU: TCPM1001 MOD: EZBTTXPL RCODE: 1030-01  TTLS Ioctl failed for query "
            "or init HS. PARM1: 00000000 PARM2: 00000464 PARM3: 00000000")
    fields, _ = msgfields.parse_message("EZZ6035I", text)
    assert "rc" not in fields and not fields.get("native")
    s = open_session([Path(__file__).parent / "data" / "console" / "mvs1_other_messages_joblog.txt"])
    # the file's DFHSO0123 is CICS's own System SSL call (family cics); the Telnet lines stay AT-TLS
    tn = [c for c in s.connections if any((s.record(r).msgid or "").startswith("EZZ60") for r in c.records)]
    assert tn and all(c.family == "attls" for c in tn)


def test_the_profile_gives_one_app_config_per_secure_port():
    path = DATA / "good" / "MVSC.tnprofile.txt"
    art = Artifact(id="a1", path=str(path))
    items = list(tn3270profile.read(enumerate(path.read_text().splitlines(), 1), art))
    (cfg,) = [i for i in items if type(i).__name__ == "AppConfig"]
    assert (cfg.family, cfg.port, cfg.keyring, cfg.role) == ("tn3270", 992, "TNRING", "server")
    assert cfg.settings["_FILE"] == "SYS1.TCPPARMS(TNPROFC)"
    assert cfg.settings["ENCRYPTION"] == ["SSL_AES_256_SHA", "SSL_AES_128_SHA"]
    assert cfg.lines["KEYRING"] == "a1:3" and cfg.lines["NOSSLV3"] == "a1:12"
    assert tn3270profile.sniff(path.read_text().splitlines(), "x") >= 80
