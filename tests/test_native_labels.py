"""The certificate label a native application's own configuration names (CICS
TCPIPSERVICE CERTIFICATE, MQ CERTLABL, Zowe keystore alias, Liberty serverKeyAlias)
drives the certificate rules as an AT-TLS CertificateLabel does, and the R_datalib
codes of Zowe/z/OSMF map to their own causes (tests/data/<family>/cert-label,
tests/data/zowe/ring-content; each folder's README names the expected causes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tlsworkbench.diagnose import run
from tlsworkbench.diagnose.evidence import Context
from tlsworkbench.ingest import zowe
from tlsworkbench.ingest.loader import load
from tlsworkbench.model import Artifact

DATA = Path(__file__).parent / "data"
FOLDERS = ("cics/cert-label", "mq/cert-label", "zowe/ring-content")


def paths(folder: str) -> list[Path]:
    return sorted(p for p in (DATA / folder).iterdir() if p.is_file() and p.suffix != ".md")


def diagnose(files):
    session = load([str(p) for p in files])
    return session, run(session)


def errors(findings):
    return [f for f in findings if f.severity == "error"]


def texts(f) -> list[str]:
    return [c.text for c in f.commands]


def by_remote(session, findings) -> dict[str, str]:
    conns = {c.id: c for c in session.connections}
    return {conns[cid].remote.ip if conns[cid].remote else conns[cid].job: f.cause
            for f in errors(findings) for cid in f.connections}


# -- CICS: TCPIPSERVICE CERTIFICATE(label) ---------------------------------------------------
def test_cics_label_not_on_ring_is_named_and_the_service_is_altered():
    session, findings = diagnose(paths("cics/cert-label"))
    assert by_remote(session, findings) == {"10.20.30.61": "certificate-not-on-ring",
                                            "10.20.30.72": "private-key-unavailable"}
    f = next(f for f in findings if f.cause == "certificate-not-on-ring")
    assert "under label 'CICSPRD4 Orders'" in f.explanation
    assert "TCPIPSERVICE(ORDERS) CERTIFICATE(CICSPRD4 Orders)" in f.explanation
    line = session.record(next(r for r in f.evidence if session.record(r).kind == "appconfig"
                               and "ORDERS" in session.record(r).text))
    assert "CERTIFICATE(CICSPRD4 Orders)" in line.text
    assert texts(f)[:4] == ["F CICSPRD4,CEMT SET TCPIPSERVICE(ORDERS) CLOSED",
                            "ALTER TCPIPSERVICE(ORDERS) GROUP(WEBPRD4) CERTIFICATE(CICSPRD4 Server)",
                            "CEDA INSTALL TCPIPSERVICE(ORDERS) GROUP(WEBPRD4)",
                            "F CICSPRD4,CEMT SET TCPIPSERVICE(ORDERS) OPEN"]
    assert f.commands[0].disruptive and f.commands[1].kind == "config"
    assert not any("PAGENT" in t for t in texts(f))


def test_cics_label_picks_the_labelled_certificate_not_the_ring_default():
    _, findings = diagnose(paths("cics/cert-label"))
    f = next(f for f in findings if f.cause == "private-key-unavailable")
    assert "'CICSPRD4 Partner API' belongs to WEBADM" in f.explanation
    assert "CICSPRD4 Server" not in f.explanation  # the ring's default is not the one asked for
    assert "PERMIT CICSPRD.CICSRING4.LST CLASS(RDATALIB) ID(CICSPRD) ACCESS(UPDATE)" in texts(f)
    assert texts(f)[-1] == "F CICSPRD4,CEMT PERFORM SSL REBUILD"


def test_cics_service_without_certificate_uses_the_ring_default():
    session = load([str(p) for p in paths("cics/cert-label")])
    ctx = Context(session)
    from tlsworkbench.diagnose.families.appconfig import app_label
    from tlsworkbench.model import Connection

    conn = Connection(id="x", family="cics", system="MVS2", job="CICSPRD4", local=None)
    conn.records = []
    from tlsworkbench.model import Endpoint

    conn.local = Endpoint("10.1.1.1", 4483)  # the STATUS service's port
    lab = app_label(ctx, conn)
    assert lab is not None and lab.label is None and "has no CERTIFICATE" in lab.words


# -- MQ: CERTLABL of the channel, else of the queue manager, else ibmWebSphereMQ<qmgr> --------
def test_mq_channel_label_not_on_ring_and_queue_manager_label_expired():
    session, findings = diagnose(paths("mq/cert-label"))
    assert by_remote(session, findings) == {"10.30.1.44": "certificate-not-on-ring",
                                            "10.30.1.88": "certificate-expired"}
    f = next(f for f in findings if f.cause == "certificate-not-on-ring")
    assert "'CSQ2SENDER'" in f.explanation and "CERTLABL(CSQ2SENDER) of channel CSQ2.TO.QMD4" in f.explanation
    assert "differs only in case" in f.explanation
    assert texts(f) == ["+CSQ2 ALTER CHANNEL(CSQ2.TO.QMD4) CHLTYPE(SDR) CERTLABL(CSQ2Sender)",
                        "+CSQ2 REFRESH SECURITY TYPE(SSL)"]
    g = next(f for f in findings if f.cause == "certificate-expired")
    assert "'CSQ2QMGR2026'" in g.explanation and "the queue manager's CERTLABL(CSQ2QMGR2026)" in g.explanation
    assert texts(g)[-1] == "+CSQ2 REFRESH SECURITY TYPE(SSL)"


def test_mq_blank_certlabl_means_ibmwebspheremq_and_the_queue_manager_name():
    session = load([str(p) for p in sorted((DATA / "mq").iterdir()) if p.is_file() and p.suffix != ".md"])
    run(session)
    ctx = Context(session)
    conn = next(c for c in session.connections if 428 in c.rcs)
    assert ctx.policy(conn).cert_label == "ibmWebSphereMQCSQ1"


# -- Zowe: the ring's content behind R_datalib 8/8/44 ---------------------------------------
def test_zowe_empty_ring_is_said_and_the_certificate_and_ca_are_connected():
    _, findings = diagnose(paths("zowe/ring-content"))
    assert sorted(f.cause for f in errors(findings)) == ["certificate-not-on-ring", "certificate-not-on-ring"]
    f = next(f for f in findings if "Zowe2Ring" in f.explanation)
    assert "exists but is empty" in f.explanation and "8/8/44" in f.explanation
    flat = [" ".join(t.replace("-\n", "").split()) for t in texts(f)]
    assert flat[:3] == [
        "RACDCERT ID(ZWE2USR) CONNECT(ID(ZWE2USR) LABEL('Zowe2Cert') RING(Zowe2Ring) USAGE(PERSONAL) DEFAULT)",
        "RACDCERT ID(ZWE2USR) CONNECT(CERTAUTH LABEL('LAB Root CA 2026') RING(Zowe2Ring) USAGE(CERTAUTH))",
        "SETROPTS RACLIST(DIGTRING DIGTCERT) REFRESH"]
    assert flat[-2:] == ["P ZWE2SV", "S ZWESLSTC,JOBNAME=ZWE2SV"]


def test_zowe_alias_not_on_ring_edits_the_alias():
    _, findings = diagnose(paths("zowe/ring-content"))
    f = next(f for f in findings if "Zowe4Ring" in f.explanation)
    assert "not 'Zowe4Cert'" in f.explanation
    assert texts(f) == ["alias: Zowe4 Server", "P ZWE4SV", "S ZWESLSTC,JOBNAME=ZWE4SV"]
    assert "zowe.certificate.keystore.alias" in f.commands[0].purpose


def test_zowe_good_side_has_no_finding():
    session, findings = diagnose(paths("zowe/ring-content"))
    assert not any("ZWE3" in (c.job or "") for c in session.connections)
    assert not any("Zowe3Ring" in f.explanation for f in findings)


def _zowe_session(tmp_path, code: str, listring: str):
    (tmp_path / "MVS1.zowe.yaml").write_text(
        "zowe:\n  job:\n    name: ZWE9SV\n  certificate:\n    keystore:\n"
        "      file: safkeyring://ZWE9USR/Ring9\n")
    saf, rc, rsn = code.split("/")
    (tmp_path / "MVS1.zwe9.log").write_text(
        "2026-12-05 07:12:48.902 <ZWED:5046> ZWE9USR WARN ZWED0148E - Exception thrown when reading SAF "
        f"keyring, e= TypeError: R_datalib call failed: function code: 01, SAF rc: {saf}, RACF rc: {rc}, "
        f"RACF rsn: {rsn}\n")
    (tmp_path / "MVS1.racdcert-listring.txt").write_text(listring)
    return diagnose(sorted(tmp_path.iterdir()))


LISTRING_RING9 = """ Digital ring information for user ZWE9USR:

   Ring:
        >RING9<
   Certificate Label Name             Cert Owner     USAGE      DEFAULT
   --------------------------------   ------------   --------   -------
   Zowe9Cert                          ID(ZWE9USR)    PERSONAL     YES
"""


@pytest.mark.parametrize("code", ["8/8/28", "8/8/84"])
def test_rdatalib_ring_name_codes_are_keyring_not_found(tmp_path, code):
    _, findings = _zowe_session(tmp_path, code, LISTRING_RING9)
    (f,) = errors(findings)
    assert f.cause == "keyring-not-found" and code in f.explanation
    assert "ZWE9USR/RING9" in f.explanation  # the ring that exists, differing in case
    assert "file: safkeyring://ZWE9USR/RING9" in texts(f)


def test_rdatalib_96_is_not_a_ring_problem(tmp_path):
    _, findings = _zowe_session(tmp_path, "8/8/96", LISTRING_RING9)
    (f,) = errors(findings)
    assert f.cause == "unexplained-failure" and "APF" in f.explanation
    assert any("APF-authorized" in s for s in f.next_steps)


def test_rdatalib_44_with_a_usable_ring_is_not_a_firm_claim(tmp_path):
    listring = LISTRING_RING9.replace(">RING9<", ">Ring9<")
    _, findings = _zowe_session(tmp_path, "8/8/44", listring)
    (f,) = errors(findings)
    assert f.cause == "certificate-not-on-ring" and f.confidence < 0.5
    assert "changed after the server read it" in f.explanation


def test_liberty_server_key_alias_is_read_across_lines():
    lines = ['<ssl id="defaultSSLConfig" keyStoreRef="defaultKeyStore"',
             '     serverKeyAlias="DefaultzOSMFCert.IZUDFLT" />',
             '<keyStore id="defaultKeyStore" location="safkeyring:///IZUKeyring.IZUDFLT" />']
    items = list(zowe.read(enumerate(lines, 1), Artifact(id="a1", path="server.xml")))
    cfg = items[-1]
    assert cfg.settings["KEYSTORE_ALIAS"] == "DefaultzOSMFCert.IZUDFLT" and cfg.lines["KEYSTORE_ALIAS"] == "a1:1"


# -- the same findings from EBCDIC copies ---------------------------------------------------
@pytest.mark.parametrize("folder", FOLDERS)
def test_ebcdic_copy_gives_the_same_findings(folder, tmp_path):
    copies = []
    for p in paths(folder):
        out = tmp_path / p.name
        out.write_bytes(b"".join(line.encode("cp1047") + b"\x15" for line in p.read_text().splitlines()))
        copies.append(out)
    _, f1 = diagnose(paths(folder))
    s2, f2 = diagnose(copies)
    assert {a.encoding for a in s2.artifacts} == {"cp1047"}
    assert [(f.cause, f.connections, texts(f)) for f in f1] == [(f.cause, f.connections, texts(f)) for f in f2]


# -- layouts confirmed this round (docs/formats.md section 12) -------------------------------
def test_cwpki0033e_as_liberty_writes_it_names_the_ring():
    # OpenLiberty issue 9329: the keystore URL with one slash and no R_datalib code
    text = ("CWPKI0033E: The keystore located at safkeyringhybrid:/mySAF.Keyring did not load because of "
            "the following error: Errors encountered loading keyring. Keyring could not be loaded as a "
            "JCECCARACFKS or JCERACFKS keystore.")
    f, sev = zowe.message("CWPKI0033E", text)
    assert sev == "error" and f["ring"] == "mySAF.Keyring" and "saf_rc" not in f


@pytest.mark.parametrize("url,ring", [("safkeyringjce://ZWESVUSR/ZOWERING", "ZWESVUSR/ZOWERING"),
                                      ("safkeyringjcehybrid://ZWESVUSR/ZOWERING", "ZWESVUSR/ZOWERING"),
                                      ("safkeyring:////IZUSVR/ZoweKeyringPKI", "IZUSVR/ZoweKeyringPKI")])
def test_java11_keystore_schemes_resolve_to_the_ring(url, ring):
    from tlsworkbench.model.correlate_native import resolve_ring

    assert zowe.ring_of(url) == ring and resolve_ring(url, "ZWESVUSR") == ring
