"""Every scenario of tests/data/scenarios diagnoses to its cause, with the real
values of that case in the explanation and in the fix commands."""

from __future__ import annotations

import pytest

from diagnose_helpers import all_commands, diagnose_case, errors, flat

from tlsworkbench.diagnose.causes import CAUSES


def top(findings):
    errs = errors(findings)
    assert errs, [f.cause for f in findings]
    return errs[0]


def test_error1_keyring_not_found_suggests_the_real_owner():
    s, fs = diagnose_case("error1-keyring-not-found")
    f = top(fs)
    assert f.cause == "keyring-not-found"
    assert "FTPP/Server_RING" in f.explanation and "FTPD/Server_RING" in f.explanation
    assert "406" in f.explanation and "5006" in f.explanation
    cmds = all_commands([f])
    assert "Keyring FTPD/Server_RING" in cmds and "was FTPP/Server_RING" in cmds
    assert "EnvironmentUserInstance 1" in cmds and "F PAGENT,UPDATE" in cmds
    assert f.confidence >= 0.8
    # the client's 406 is the partner's failure, linked to this finding
    peer = next(g for g in fs if g.cause == "peer-reported-error")
    assert peer.severity == "info" and f.id in peer.explanation
    assert set(f.connections) == {c.id for c in s.connections if c.rcs}


def test_error2_not_authorized_permits_listring():
    _, fs = diagnose_case("error2-not-authorized")
    f = top(fs)
    assert f.cause == "keyring-not-authorized"
    assert "USER301" in f.explanation and "IRR.DIGTCERT.LISTRING" in f.explanation
    cmds = all_commands([f])
    # the ICH408I names the discrete profile (no FROM ... (G)): it exists, so only PERMIT;
    # a bare RDEFINE is never written
    assert "RDEFINE" not in cmds
    assert "PERMIT IRR.DIGTCERT.LISTRING CLASS(FACILITY) ID(USER301) ACCESS(READ)" in cmds
    assert "SETROPTS RACLIST(FACILITY) REFRESH" in cmds
    assert not any(g.cause == "keyring-not-found" for g in fs)


def test_error3_cert_not_on_ring_warns_about_428():
    _, fs = diagnose_case("error3-cert-not-on-ring")
    f = top(fs)
    assert f.cause == "certificate-not-on-ring"
    cmds = all_commands([f])
    assert ("RACDCERT ID(FTPD) CONNECT(ID(FTPD) LABEL('FTP Server on MVS1-MVS7') RING(Server_RING) "
            "USAGE(PERSONAL) DEFAULT)") in cmds
    assert "RC 428" in f.explanation and "TCPIP" in f.explanation and "FTPD" in f.explanation
    assert any("GENCERT" in n or "STARTED" in n for n in f.next_steps)


def test_error4_wrong_owner_gives_rdatalib_access_first_then_the_alternatives():
    _, fs = diagnose_case("error4-wrong-owner")
    f = top(fs)
    assert f.cause == "private-key-unavailable"
    assert "FTPD" in f.explanation and "TCPIP" in f.explanation and "SDSF DA" in f.explanation
    cmds = all_commands([f])
    # least disruptive first: UPDATE on the ring's RDATALIB profile (another user's key),
    # after the checks that show what a ring profile changes (QA 7)
    assert cmds.splitlines()[:3] == ["SEARCH CLASS(RDATALIB)", "RLIST FACILITY IRR.DIGTCERT.LISTRING AUTHUSER",
                                     "SETROPTS LIST"]
    assert cmds.splitlines()[3:6] == [
        "RDEFINE RDATALIB FTPD.SERVER_RING.LST UACC(NONE)",
        "PERMIT FTPD.SERVER_RING.LST CLASS(RDATALIB) ID(TCPIP) ACCESS(UPDATE)",
        "SETROPTS CLASSACT(RDATALIB) RACLIST(RDATALIB)"]
    assert "REMOVE(" not in cmds and "GENCERT" not in cmds
    steps = " ".join(f.next_steps)
    # the alternatives: re-issue to the task's user (signed by the issuer), or change the user
    assert "REMOVE(ID(FTPD) LABEL('FTP Server on MVS1-MVS7') RING(Server_RING))" in steps
    assert "CONNECT(ID(TCPIP) LABEL('FTP Server on MVS1-MVS7') RING(Server_RING) USAGE(PERSONAL) DEFAULT)" in steps
    assert "SIGNWITH(CERTAUTH LABEL('MVS1 LABS Certificate Authority'))" in steps
    assert "RALTER STARTED FTPT1.* STDATA(USER(FTPD))" in steps and "RLIST STARTED" in steps


def test_error5_hostname_names_host_and_certificate():
    _, fs = diagnose_case("error5-hostname")
    f = top(fs)
    assert f.cause == "hostname-mismatch"
    assert "FTPXSRV31.WAS.IBM.COM" in f.explanation and "CN=FTPXSRV31" in f.explanation
    cmds = all_commands([f])
    assert "DOMAIN('FTPXSRV31.WAS.IBM.COM')" in cmds and "IP(10.1.1.13)" in cmds
    assert "RING(FTPXRing31)" in cmds


def test_error6_expired_at_the_failure_time():
    _, fs = diagnose_case("error6-expired")
    f = top(fs)
    assert f.cause == "certificate-expired"
    assert "2011/10/07" in f.explanation and "2014-03-12" in f.explanation
    assert len(f.connections) == 2  # both sides' RC 401 in one finding
    cmds = all_commands([f])
    assert "RACDCERT ID(TCPIP) GENREQ(LABEL('FTPServer31 EXP'))" in cmds
    assert "GENCERT('TCPIP.CERTREQ')" in cmds
    assert "RACDCERT ID(TCPIP) ALTER(LABEL('FTPServer31 EXP')) TRUST" in cmds


def test_ca_missing_connects_the_issuing_ca():
    _, fs = diagnose_case("ca-missing")
    f = top(fs)
    assert f.cause == "ca-not-trusted"
    assert "MVS3CA.LABS.IBM.COM" in f.explanation
    assert ("RACDCERT ID(USER301) CONNECT(CERTAUTH LABEL('MVS3 LABS Certificate Authority') "
            "RING(Client_RING) USAGE(CERTAUTH))") in all_commands([f])


def test_cipher_mismatch_compares_both_lists():
    _, fs = diagnose_case("cipher-mismatch")
    f = top(fs)
    assert f.cause == "cipher-mismatch"
    assert "TLS_RSA_WITH_3DES_EDE_CBC_SHA" in f.explanation
    assert "TLS_RSA_WITH_AES_128_CBC_SHA256" in f.explanation
    cmds = all_commands([f])
    # the suites live in the inline TTLSCipherParms of eAct1~FTPTClient (MVS1 lines 23-27):
    # the fix edits that block, proposes the server's strong AES-GCM suite, drops single DES
    assert ("TTLSEnvironmentAction eAct1~FTPTClient\n{\n  TTLSCipherParms\n  {\n"
            "    V3CipherSuites TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\n"
            "    V3CipherSuites TLS_RSA_WITH_3DES_EDE_CBC_SHA\n  }\n}") in cmds
    assert "TLS_RSA_WITH_DES_CBC_SHA" not in cmds.split("TTLSEnvironmentAction")[1]
    assert "MVS1.pagent-ttls.conf line 25" in cmds
    assert "/TTLSCipherParms" not in cmds
    assert "Change the client side" in f.explanation and "TLS_RSA_WITH_DES_CBC_SHA (single DES, 56-bit key) should go" in f.explanation


def test_cipher_fix_changes_the_server_when_only_the_client_is_strong(tmp_path):
    from diagnose_helpers import SCEN, diagnose_paths

    paths = []
    for p in sorted((SCEN / "cipher-mismatch").iterdir()):
        text = p.read_text()
        if p.name == "MVS3.pagent-ttls.conf":
            text = (text.replace("TLS_RSA_WITH_AES_256_CBC_SHA256", "TLS_RSA_WITH_RC4_128_SHA")
                    .replace("TLS_RSA_WITH_AES_128_CBC_SHA256", "TLS_RSA_WITH_DES_CBC_SHA")
                    .replace("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_NULL_SHA"))
        if p.name == "MVS1.pagent-ttls.conf":
            text = text.replace("TLS_RSA_WITH_DES_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA")
        if "gsksrvr" in p.name or "pasearch" in p.name:
            continue
        (tmp_path / p.name).write_text(text)
        paths.append(tmp_path / p.name)
    _, fs = diagnose_paths(paths)
    f = top(fs)
    cmds = all_commands([f])
    assert "Change the server side" in f.explanation
    assert "TTLSEnvironmentAction eAct1~FTPTat192.168.20.9n" in cmds
    assert "V3CipherSuites TLS_RSA_WITH_AES_128_CBC_SHA\n" in cmds
    body = cmds.split("TTLSEnvironmentAction")[1]
    assert not any(w in body for w in ("RC4", "DES_CBC_SHA\n", "NULL"))


def test_suite_judgement():
    from tlsworkbench.diagnose import suites

    assert suites.weak("TLS_RSA_WITH_DES_CBC_SHA") and suites.weak("TLS_RSA_EXPORT_WITH_RC4_40_MD5")
    assert suites.weak("TLS_RSA_WITH_NULL_SHA256") and suites.weak("TLS_DH_anon_WITH_AES_128_CBC_SHA")
    assert not suites.weak("TLS_RSA_WITH_3DES_EDE_CBC_SHA") and not suites.recommendable(
        "TLS_RSA_WITH_3DES_EDE_CBC_SHA")
    names = ["TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
             "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"]
    assert suites.best(names, key="RSA") == "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"
    assert suites.best(names, key="RSA", tls12=False) == "TLS_RSA_WITH_AES_128_CBC_SHA"
    assert suites.best(["TLS_RSA_WITH_DES_CBC_SHA", "TLS_RSA_WITH_RC4_128_MD5"]) is None


def test_handshake_timeout_names_the_side_that_connects_out():
    _, fs = diagnose_case("handshake-timeout")
    f = top(fs)
    assert f.cause == "handshake-timeout"
    assert "HandshakeRole Server" in f.explanation
    cmds = all_commands([f])
    assert "TTLSEnvironmentAction eAct1~FTPTClient" in cmds and "HandshakeRole Client" in cmds
    assert "MVS1.pagent-ttls.conf" in cmds
    # each action's own line; the connection action's HandshakeRole overrides the environment's
    assert "line 21: HandshakeRole was Server\nTTLSEnvironmentAction eAct1~FTPTClient" in cmds
    assert "line 26: HandshakeRole was Server\nTTLSConnectionAction cAct1~FTPTClient" in cmds
    assert "eAct1~FTPTClient says HandshakeRole Server (MVS1.pagent-ttls.conf line 21)" in f.explanation
    assert "cAct1~FTPTClient says HandshakeRole Server (MVS1.pagent-ttls.conf line 26), and it " \
           "overrides" in f.explanation


def test_healthy_has_no_error_although_its_certificates_expired_since():
    _, fs = diagnose_case("healthy")
    assert errors(fs) == []


def test_mixed_finds_each_fault_once():
    s, fs = diagnose_case("mixed")
    causes = [f.cause for f in errors(fs)]
    assert sorted(causes) == sorted(["keyring-not-found", "keyring-not-authorized", "certificate-expired"])
    kr = next(f for f in fs if f.cause == "keyring-not-found")
    assert "TN3270/TNRing" in all_commands([kr]) and "case-sensitive" in kr.explanation
    na = next(f for f in fs if f.cause == "keyring-not-authorized")
    assert "PERMIT USER302.BATCH_RING.LST CLASS(RDATALIB) ID(USER302) ACCESS(READ)" in all_commands([na])
    healthy = next(c for c in s.connections if c.job == "FTPT1" and not c.rcs)
    assert not any(healthy.id in f.connections for f in fs)


@pytest.mark.parametrize("case", ["error1-keyring-not-found", "error4-wrong-owner", "mixed", "cipher-mismatch"])
def test_findings_are_well_formed(case):
    s, fs = diagnose_case(case)
    ids = {c.id for c in s.connections}
    for f in fs:
        assert f.cause in CAUSES
        assert 0.0 <= f.confidence <= 1.0
        assert f.id.startswith("f") and f.explanation
        assert set(f.connections) <= ids
        for rid in f.evidence:
            assert s.record(rid) is not None, rid
        for c in f.commands + f.verify:
            assert c.text and c.kind
    assert [f.id for f in fs] == [f"f{i}" for i in range(1, len(fs) + 1)]
    assert s.findings == fs


def test_flat_helper():
    assert flat("A -\n  B") == "A B"
