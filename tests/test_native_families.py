"""CICS, MQ, Db2 DDF, z/OSMF/Zowe/Liberty and HWTH: their messages and settings
read from realistic artifacts (tests/data/<family>/), each failing connection
diagnosed to its cause with the family's own fix, and the same findings from an
EBCDIC (cp1047) copy of every file."""

from __future__ import annotations

from pathlib import Path

import pytest

from tlsworkbench.diagnose import run
from tlsworkbench.ingest import cics, db2, hwth, mq, zowe
from tlsworkbench.ingest.loader import load
from tlsworkbench.ingest.msgfields import parse_message
from tlsworkbench.model import Artifact

DATA = Path(__file__).parent / "data"
FAMILIES = ("cics", "mq", "db2", "zowe", "hwth")


def paths(family: str) -> list[Path]:
    return sorted(p for p in (DATA / family).iterdir() if p.is_file() and p.suffix != ".md")


def diagnose(files):
    session = load([str(p) for p in files])
    return session, run(session)


def by_job(session, findings) -> dict[str, set[str]]:
    """Job of the failing connection -> causes of the error findings about it."""
    conns = {c.id: c for c in session.connections}
    out: dict[str, set[str]] = {}
    for f in findings:
        if f.severity != "error":
            continue
        for cid in f.connections:
            c = conns[cid]
            out.setdefault(c.job or c.keyring or "?", set()).add(f.cause)
    return out


def texts(f) -> str:
    return "\n".join(c.text for c in f.commands)


# -- messages ---------------------------------------------------------------------------
def test_dfhso0123_hex_code_is_the_decimal_system_ssl_code():
    text = ("DFHSO0123 12/05/2026 10:15:03 CICSPRD1 Return code X'1B3' received from function "
            "gsk_secure_socket_init of System SSL. Reason: Certificate is not signed by a trusted "
            "certificate authority. Peer: 10.20.30.41, TCPIPSERVICE: HTTPSSL.")
    f, sev = parse_message("DFHSO0123", text)
    assert sev == "error"
    assert f["rc"] == 435 and f["family"] == "cics" and f["applid"] == "CICSPRD1"
    assert f["function"] == "gsk_secure_socket_init"
    assert f["remote_ip"] == "10.20.30.41" and f["tcpipservice"] == "HTTPSSL"


def test_dfhso0399_client_side_names_host_port_and_code():
    text = ("DFHSO0399 31/08/2023 04:53:10 CICS1 Client side of TLS handshake failed: Socket closed by "
            "remote partner. Local certificate:Cert, Host: api.partner.example, Port: 00443, URIMAP: "
            "ORDERS, TRANSID:TTTT, USERID: CICSUSR, PROGRAM: DFHMIRS, z/OS System SSL return code: 420.")
    f, _ = parse_message("DFHSO0399", text)
    assert f["rc"] == 420 and f["remote_host"] == "api.partner.example" and f["remote_port"] == 443
    assert f["urimap"] == "ORDERS" and f["label"] == "Cert"


def test_routine_cics_and_mq_messages_stay_plain_and_attls_aware_ones_keep_no_family():
    assert parse_message("DFHSO0107I", "DFHSO0107I CICSPRD1 TCPIPSERVICE HTTPSSL has been opened") is None
    assert parse_message("CSQX500I", "CSQX500I +CSQ1 CSQXRESP Channel CSQ1.TO.QMB2 started") is None
    f, sev = parse_message("DFHSO0149", "DFHSO0149 CICSA TCPIPSERVICE WEBAT will be closed")
    assert sev == "error" and "family" not in f


def test_csqx620e_function_rc_channel_and_partner():
    text = ("CSQX620E +CSQ1 CSQXRESP System SSL error, channel CSQ1.TO.QMC3, connection "
            "qmc3.lab.example (10.30.1.33) function 'gsk_secure_socket_init' RC=435")
    f, sev = parse_message("CSQX620E", text)
    assert sev == "error" and f["family"] == "mq"
    assert (f["rc"], f["function"], f["channel"]) == (435, "gsk_secure_socket_init", "CSQ1.TO.QMC3")
    assert f["qmgr"] == "CSQ1" and f["jobname"] == "CSQ1CHIN"
    assert f["remote_ip"] == "10.30.1.33" and f["conname"] == "qmc3.lab.example"


def test_dsnl511i_peer_port_socket_and_errno():
    text = ("DSNL511I -DB2A DSNLIENO TCP/IP CONVERSATION FAILED TO LOCATION ::10.40.2.15 "
            "IPADDR=::10.40.2.15 PORT=50123 SOCKET=RECV RETURN CODE=1121 REASON CODE=77A9733C")
    f, sev = parse_message("DSNL511I", text)
    assert sev == "error" and f["family"] == "db2" and "rc" not in f
    assert (f["ssid"], f["jobname"]) == ("DB2A", "DB2ADIST")
    assert (f["remote_ip"], f["remote_port"], f["errno"]) == ("10.40.2.15", 50123, 1121)


def test_zowe_rdatalib_codes_and_the_java_forms():
    f, sev = zowe.message("ZWED0148E", "ZWED0148E - Exception thrown when reading SAF keyring, e= "
                          "TypeError: R_datalib call failed: function code: 01, SAF rc: 8, RACF rc: 8, "
                          "RACF rsn: 44")
    assert sev == "error" and (f["saf_rc"], f["racf_rc"], f["racf_rsn"]) == (8, 8, 44)
    assert f["rdatalib"] == "8/8/44" and f["datalib_function"] == "DataGetFirst"
    f, _ = zowe.message(None, "java.io.IOException: R_datalib (IRRSDL00) error: not RACF authorized "
                              "to use the requested service (8, 8, 8)")
    assert f["rdatalib"] == "8/8/8"
    f, _ = zowe.message(None, "java.io.IOException: The private key of localca is not available or no "
                              "authority to access the private key")
    assert f["label"] == "localca" and f["private_key"]
    assert zowe.ring_of("safkeyring:////IZUSVR/ZoweKeyringPKI&localhost") == "IZUSVR/ZoweKeyringPKI"
    assert zowe.ring_of("safkeyring:///IZUKeyring.IZUDFLT") == "IZUKeyring.IZUDFLT"


# -- configuration ------------------------------------------------------------------------
def _configs(family):
    session = load([str(p) for p in paths(family)])
    return session, [c for c in session.app_configs if c.family == family]


def test_cics_sit_keyring_and_secure_tcpipservices():
    session, cfgs = _configs("cics")
    sit = {c.job: c for c in cfgs if c.job}
    assert sit["CICSPRD1"].keyring == "CICSRING" and sit["CICSPRD2"].keyring == "CICSRING2"
    svc = {c.settings["TCPIPSERVICE"]: c for c in cfgs if "TCPIPSERVICE" in c.settings}
    assert svc["HTTPSSL"].port == 4443 and svc["HTTPSSL"].settings["SSL"] == "CLIENTAUTH"
    assert svc["HTTPSSL"].settings["CERTIFICATE"] == "CICSPRD1 Server"
    kinds = {Path(a.path).name: a.kind for a in session.artifacts}
    assert kinds["MVS2.cicsprd1.sit.txt"] == "cics" and kinds["MVS2.cics-csd.txt"] == "cics"


def test_mq_sslkeyr_cpf_and_channels_with_nested_conname():
    _, (cfg,) = _configs("mq")
    assert cfg.keyring == "CSQ1RING" and cfg.job == "CSQ1CHIN" and cfg.settings["CPF"] == "+CSQ1"
    assert cfg.settings["CHANNELS"]["CSQ1.TO.QMC3"]["CONNAME"] == "qmc3.lab.example(1414)"


def test_db2_display_ddf_secure_port():
    _, cfgs = _configs("db2")
    ports = {c.job: (c.port, c.settings["TCPPORT"]) for c in cfgs}
    assert ports == {"DB2ADIST": (448, "446"), "DB2BDIST": (458, "456")}


def test_zowe_yaml_and_liberty_keystore_multiline_tag():
    _, cfgs = _configs("zowe")
    rings = {c.keyring: c for c in cfgs}
    assert rings["ZWESVUSR/ZoweKeyring"].job == "ZWE1SV"
    assert "IZUKeyring.IZUDFLT" in rings and rings["IZUKeyring.IZUDFLT"].settings["KEYSTORE_TYPE"] == "JCERACFKS"


def test_hwth_options_failure_block_and_job():
    session, cfgs = _configs("hwth")
    by = {c.job: c for c in cfgs}
    assert by["WEBCALL2"].keyring == "WEBCLNT/RatesRing" and by["WEBCALL2"].port == 8443
    fails = [r for r in session.records if r.fields.get("family") == "hwth" and r.kind == "message"]
    assert len(fails) == 2  # the good STATUS run and the closing "failure" lines add none
    f = next(r for r in fails if r.job == "WEBCALL1")
    assert (f.fields["hwth_rc"], f.fields["diag"], f.fields["rc"]) == (0x106, 435, 435)
    assert f.fields["remote_host"] == "api.partner.example" and f.time is not None


# -- diagnosis ------------------------------------------------------------------------------
EXPECTED = {
    "cics": {"CICSPRD1": "ca-not-trusted", "CICSPRD2": "private-key-unavailable"},
    "mq": {"CSQ1CHIN": "ca-not-trusted|private-key-unavailable"},
    "db2": {"DB2ADIST": "certificate-expired"},
    "zowe": {"ZWE1SV": "keyring-not-found", "IZUSVR/IZUKeyring.IZUDFLT": "keyring-not-authorized"},
    "hwth": {"WEBCALL1": "ca-not-trusted", "WEBCALL2": "keyring-not-found"},
}


@pytest.mark.parametrize("family", FAMILIES)
def test_each_failing_connection_gets_its_cause(family):
    session, findings = diagnose(paths(family))
    got = by_job(session, findings)
    want = {job: set(causes.split("|")) for job, causes in EXPECTED[family].items()}
    assert got == want
    for c in session.connections:
        assert c.family == family
    # the good side: CICSPRD3, DB2B, the STATUS program have no connection of their own
    jobs = {c.job for c in session.connections}
    assert not jobs & {"CICSPRD3", "DB2BDIST", "WEBCALL3"}


def test_cics_fix_rebuilds_the_ssl_environment():
    session, findings = diagnose(paths("cics"))
    f = next(f for f in findings if f.cause == "private-key-unavailable")
    # least disruptive first (issue 11): the region's user may use the other owner's key
    assert "PERMIT CICSPRD.CICSRING2.LST CLASS(RDATALIB) ID(CICSPRD) ACCESS(UPDATE)" in texts(f)
    assert texts(f).splitlines()[-1] == "F CICSPRD2,CEMT PERFORM SSL REBUILD"
    assert not any("PAGENT" in c.text for c in f.commands)


def test_mq_fix_refreshes_security_type_ssl_with_the_command_prefix():
    _, findings = diagnose(paths("mq"))
    f = next(f for f in findings if f.cause == "private-key-unavailable")
    flat = " ".join(texts(f).replace("-\n", "").split())
    assert "PERMIT CSQ1CHIN.CSQ1RING.LST CLASS(RDATALIB) ID(CSQ1CHIN) ACCESS(UPDATE)" in flat
    assert f.commands[-1].text == "+CSQ1 REFRESH SECURITY TYPE(SSL)" and f.commands[-1].disruptive


def test_db2_dsnl511i_joins_the_attls_connection_and_keeps_the_attls_refresh():
    session, findings = diagnose(paths("db2"))
    conns = [c for c in session.connections if c.job == "DB2ADIST"]
    assert len(conns) == 2
    for c in conns:
        msgids = [session.record(r).msgid for r in c.records]
        assert msgids.count("EZD1287I") == 1 and msgids.count("DSNL511I") == 1
        assert c.family == "db2" and c.connid
    f = next(f for f in findings if f.cause == "certificate-expired")
    assert "F PAGENT" in texts(f)


def test_zowe_fix_edits_the_yaml_ring_and_restarts():
    _, findings = diagnose(paths("zowe"))
    f = next(f for f in findings if f.cause == "keyring-not-found")
    assert "8/8/44" in f.explanation and "ZoweKeyRing" in f.explanation
    assert "file: safkeyring://ZWESVUSR/ZoweKeyRing" in texts(f)
    assert [c.text for c in f.commands[-2:]] == ["P ZWE1SV", "S ZWESLSTC,JOBNAME=ZWE1SV"]
    g = next(f for f in findings if f.cause == "keyring-not-authorized")
    assert "PERMIT IRR.DIGTCERT.LISTRING CLASS(FACILITY) ID(IZUSVR) ACCESS(READ)" in texts(g)


def test_hwth_fix_names_the_ring_and_reruns_the_job():
    _, findings = diagnose(paths("hwth"))
    f = next(f for f in findings if f.cause == "keyring-not-found")
    assert "RatesRing" in f.explanation
    assert f.commands[-1].text == "Submit WEBCALL2 again"


@pytest.mark.parametrize("family", FAMILIES)
def test_ebcdic_copy_gives_the_same_findings(family, tmp_path):
    copies = []
    for p in paths(family):
        text = p.read_text()
        out = tmp_path / p.name
        out.write_bytes(b"".join(line.encode("cp1047") + b"\x15" for line in text.splitlines()))
        copies.append(out)
    s1, f1 = diagnose(paths(family))
    s2, f2 = diagnose(copies)
    assert {a.encoding for a in s2.artifacts} == {"cp1047"}
    assert [(f.cause, f.connections, [c.text for c in f.commands]) for f in f1] == \
        [(f.cause, f.connections, [c.text for c in f.commands]) for f in f2]


# -- robustness -----------------------------------------------------------------------------
@pytest.mark.parametrize("mod", [cics, mq, db2, zowe, hwth])
def test_readers_never_raise_on_junk(mod):
    junk = ["\x00\xff garbage", "KEYRING=", "DEFINE TCPIPSERVICE(", "CSQM409I +", "DSNL084I SECPORT=x",
            "<keyStore location=", "HWTH_OPT_SSLKEY", "*ERROR* (hwthconn) rc: zz", "x" * 5000,
            "certificate:\n  keystore:", "  file: safkeyring://", "ServiceNum: ReasonCode:"]
    art = Artifact(id="a1", path="junk.txt")
    items = list(mod.read(enumerate(junk, 1), art))
    assert all(hasattr(i, "artifact") or hasattr(i, "record") for i in items)


# -- the family modules' own edits ------------------------------------------------------------
def test_family_config_edits_name_the_ring_that_exists():
    from tlsworkbench.diagnose.families import cics as fcics
    from tlsworkbench.diagnose.families import db2 as fdb2
    from tlsworkbench.diagnose.families import hwth as fhwth
    from tlsworkbench.diagnose.families import mq as fmq
    from tlsworkbench.diagnose.families import zowe as fzowe
    from tlsworkbench.model import Connection
    from tlsworkbench.model.entities import AppConfig

    hint = {"keyring": "CICSPRD/CICSRING"}
    sit = AppConfig(family="cics", record="a1:4", job="CICSPRD1", keyring="CICSRNG",
                    settings={"KEYRING": "CICSRNG"}, lines={"KEYRING": "a1:7"})
    conn = Connection(id="c1", job="CICSPRD1", user="CICSPRD", family="cics")
    out = fcics.config_fix("keyring-not-found", sit, conn, hint)
    assert [c.text for c in out] == ["KEYRING=CICSRING", "F CICSPRD1,CEMT PERFORM SHUTDOWN", "S CICSPRD1"]
    assert "line 7" in out[0].purpose and out[1].disruptive
    assert fcics.config_fix("ca-not-trusted", sit, conn, hint) == []

    qm = AppConfig(family="mq", record="a1:3", job="CSQ1CHIN", keyring="CSQ1RNG",
                   settings={"QMNAME": "CSQ1", "CPF": "+CSQ1"})
    mconn = Connection(id="c2", job="CSQ1CHIN", user="CSQ1CHIN", family="mq")
    (alter,) = fmq.config_fix("keyring-not-found", qm, mconn, {"keyring": "CSQ1CHIN/CSQ1RING"})
    assert alter.text == "+CSQ1 ALTER QMGR SSLKEYR(CSQ1RING)"
    assert fmq.refresh(None, mconn)[0].text == "<cpf> REFRESH SECURITY TYPE(SSL)"  # never a guess
    assert fmq.refresh(None, mconn, {"cpf": "%CSQ1"})[0].text == "%CSQ1 REFRESH SECURITY TYPE(SSL)"

    prog = AppConfig(family="hwth", record="a1:8", job="WEBCALL2", keyring="WEBCLNT/RatesRing")
    (edit,) = fhwth.config_fix("keyring-not-authorized", prog, None, {"keyring": "WEBCLNT/WebRing"})
    assert edit.text == "HWTH_OPT_SSLKEY WEBCLNT/WebRing" and edit.kind == "config"

    xml = AppConfig(family="zowe", record="a2:4", keyring="IZUKeyring.IZUDFLT",
                    settings={"KEYSTORE": "safkeyring:///IZUKeyring.IZUDFLT"})
    (ks,) = fzowe.config_fix("keyring-not-found", xml, None, {"keyring": "IZUSVR/IZUKeyring.IZUDFLT"})
    assert 'location="safkeyring://IZUSVR/IZUKeyring.IZUDFLT"' in ks.text
    assert [c.text for c in fzowe.refresh(xml, None)] == ["P IZUSVR1", "S IZUSVR1"]

    assert fdb2.refresh(None, None) == [] and "AT-TLS rule" in fdb2.ring_words(None)
