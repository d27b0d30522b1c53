"""FTP with TLSMECHANISM FTP (native TLS): the readers, the connections, the
findings with FTP's own fix, on the artifacts of tests/data/ftp (and their
EBCDIC copies)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tlsworkbench.engine import open_session
from tlsworkbench.ingest import ftpdata, ftpdlog, msgfields, syslogd
from tlsworkbench.model import Artifact

DATA = Path(__file__).parent / "data" / "ftp"

EXPECTED = {
    "client-ring-not-found": ("keyring-not-found", ["KEYRING FTPUSR/FTPClientRing", "ftp 10.20.30.5"]),
    "client-no-keyring": ("keyring-not-found", ["KEYRING OWNER/RING", "ftp 10.20.30.5"]),
    "client-hostname": ("hostname-mismatch", ["SETROPTS RACLIST(DIGTRING DIGTCERT) REFRESH"]),
    "server-private-key": ("private-key-unavailable", ["P FTPD1", "S FTPD"]),
}


def _summary(s):
    return [(f.cause, f.severity, [c.text for c in f.commands]) for f in s.findings]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_failing_ftp_session_gets_its_cause_and_ftps_own_fix(name):
    s = open_session([DATA / name])
    cause, texts = EXPECTED[name]
    assert [f.cause for f in s.findings] == [cause]
    f = s.findings[0]
    got = [c.text for c in f.commands]
    for t in texts:
        assert any(g == t or g.startswith(t) for g in got), (t, got)
    assert not any("PAGENT" in g.upper() or "EZD1287I" in g for g in got)
    assert all(s.connection(c).family == "ftp" for c in f.connections)


@pytest.mark.parametrize("name", sorted(EXPECTED) + ["good"])
def test_the_ebcdic_copy_gives_the_same_findings(name):
    a = open_session([DATA / name])
    b = open_session([DATA / "ebcdic" / name])
    assert {art.encoding for art in b.artifacts} == {"cp1047"}
    assert _summary(a) == _summary(b)
    assert [(c.family, c.rcs, c.keyring) for c in a.connections] == \
        [(c.family, c.rcs, c.keyring) for c in b.connections]


def test_good_sessions_pair_client_and_server_and_find_nothing():
    s = open_session([DATA / "good"])
    assert s.findings == []
    client, server = s.connections
    assert (client.family, client.role, server.family, server.role) == ("ftp", "client", "ftp", "server")
    assert client.peer == server.id and server.peer == client.id
    assert client.keyring == "FTPUSR/FTPClientRing"
    assert server.job == "FTPD1"


def test_private_key_finding_names_the_ftp_data_line_and_the_restart():
    s = open_session([DATA / "server-private-key"])
    f = s.findings[0]
    conn = s.connection(f.connections[0])
    assert (conn.job, conn.user, conn.keyring, conn.rcs) == ("FTPD1", "FTPSRV", "FTPSRV/FTPSRVRING", [428])
    kr_line = next(r.id for r in s.records if r.kind == "appconfig" and r.fields["keyword"] == "KEYRING")
    assert kr_line in f.evidence
    stop = next(c for c in f.commands if c.text == "P FTPD1")
    assert stop.disruptive and stop.kind == "operator"
    assert "FTP.DATA KEYRING FTPSRVRING" in f.explanation


def test_hostname_failure_is_found_without_any_cms_code():
    s = open_session([DATA / "client-hostname"])
    assert not any("0335304B" in r.text for r in s.records)
    f = s.findings[0]
    assert "ftpb.corp.example" in f.explanation and "ftpsrv.corp.example" in f.explanation
    gencert = next(c.text for c in f.commands if "GENCERT" in c.text)
    assert "DOMAIN('ftpb.corp.example')" in gencert


def test_hostname_is_not_blamed_when_the_client_does_not_check_it(tmp_path):
    for p in (DATA / "client-hostname").iterdir():
        text = p.read_text()
        if p.name.endswith(".data"):
            text = text.replace("SECURE_HOSTNAME  REQUIRED", "SECURE_HOSTNAME  OPTIONAL")
        (tmp_path / p.name).write_text(text)
    s = open_session([tmp_path])
    assert [f.cause for f in s.findings] != ["hostname-mismatch"]


# -- readers ------------------------------------------------------------------------------------
def _read(mod, path: Path, aid="a1"):
    art = Artifact(id=aid, path=str(path))
    lines = list(enumerate(path.read_text().splitlines(), 1))
    return list(mod.read(iter(lines), art))


def test_ftp_data_reader_gives_statements_and_one_app_config():
    items = _read(ftpdata, DATA / "good" / "MVSB.ftpd.data")
    cfg = items[-1]
    assert type(cfg).__name__ == "AppConfig"
    assert (cfg.family, cfg.role, cfg.keyring) == ("ftp", "server", "FTPSRVRING")
    assert cfg.settings["TLSMECHANISM"] == "FTP"
    assert cfg.settings["CIPHERSUITE"] == ["SSL_AES_256_SHA", "SSL_AES_128_SHA"]
    assert cfg.lines["KEYRING"] == "a1:6"
    client = _read(ftpdata, DATA / "good" / "MVSA.ftp.data")[-1]
    assert (client.role, client.settings["SECURE_HOSTNAME"]) == ("client", "REQUIRED")


def test_ftp_data_sniff_prefers_it_and_not_other_files():
    head = (DATA / "good" / "MVSB.ftpd.data").read_text().splitlines()
    assert ftpdata.sniff(head, "x") >= 80
    other = (DATA / "good" / "MVSA.ftpclient.txt").read_text().splitlines()
    assert ftpdata.sniff(other, "x") == 0


def test_ftpd_syslog_trace_lines_carry_the_system_ssl_code_and_session():
    items = _read(ftpdlog, DATA / "server-private-key" / "MVSB.ftpd.log")
    recs = {r.line: r for r in items if hasattr(r, "fields")}
    fail = recs[4]
    assert (fail.fields["rc"], fail.fields["family"], fail.fields["role"]) == (428, "ftp", "server")
    assert fail.job == "FTPD1" and fail.fields["session"] == "FTPD100014"
    assert recs[1].fields["remote_ip"] == "10.20.30.77"
    head = (DATA / "server-private-key" / "MVSB.ftpd.log").read_text().splitlines()
    assert ftpdlog.sniff(head, "x") > syslogd.sniff(head, "x")


@pytest.mark.parametrize("msgid,text,want", [
    ("FC0441", "FC0441 ftpAuth: TLS init failed with rc = 202 (Key ring could not be opened)",
     {"rc": 202, "function": "gsk_environment_init", "family": "ftp", "native": True}),
    ("FC1103", "FC1103 authServer: secure_socket_init failed with rc = 410 (SSL message format is incorrect)",
     {"rc": 410, "function": "gsk_secure_socket_init", "role": "client"}),
    ("FC0283", "FC0283 ftpAuth: no keyring", {"no_keyring": True}),
    ("FC0231", "FC0231 ftpAuth: security values: mech=TLS, tlsmech=FTP, sFTP=R, sCC=C, sDC=P",
     {"tls_mech": "FTP", "family": "ftp"}),
])
def test_native_trace_fields(msgid, text, want):
    fields, _ = msgfields.parse_message(msgid, text)
    for k, v in want.items():
        assert fields[k] == v


def test_at_tls_ftp_trace_lines_are_not_native():
    fields, _ = msgfields.parse_message("FC2838", "FC2838 authServerAttls: Start Handshake")
    assert "family" not in fields
    fields, _ = msgfields.parse_message(
        "FC0231", "FC0231 ftpAuth: security values: mech=TLS, tlsmech=ATTLS, sFTP=R, sCC=C, sDC=P")
    assert fields["tls_mech"] == "ATTLS" and "family" not in fields


def test_a_native_trace_line_with_the_cms_code_gives_one_hostname_finding(tmp_path):
    for p in (DATA / "client-hostname").iterdir():
        text = p.read_text()
        if p.name.endswith("ftpclient.txt"):
            text = text.replace("EZA2897I Authentication negotiation failed",
                                "FC1131 authServer: hostname ftpb.corp.example not valid for server "
                                "certificate - 0335304B\nEZA2897I Authentication negotiation failed")
        (tmp_path / p.name).write_text(text)
    s = open_session([tmp_path])
    assert [f.cause for f in s.findings] == ["hostname-mismatch"]
    f = s.findings[0]
    assert s.connection(f.connections[0]).family == "ftp"
    # the check connects again by the host name that failed, not by the address (QA 2)
    assert [c.text for c in f.verify][-1] == "ftp ftpb.corp.example"
