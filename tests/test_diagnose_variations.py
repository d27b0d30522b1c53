"""Variations the tests build from the scenarios: other names and addresses,
EBCDIC copies, only one side's evidence, missing pieces."""

from __future__ import annotations

import ebcdic  # noqa: F401  (registers cp1047)

from diagnose_helpers import all_commands, diagnose_case, diagnose_paths, errors, files


def _copy(case, tmp_path, repl=(), encoding=None, only=None, skip=()):
    out = []
    for p in files(case, only=only, skip=skip):
        text = p.read_text()
        for a, b in repl:
            text = text.replace(a, b)
        name = p.name
        for a, b in repl:
            name = name.replace(a, b)
        dst = tmp_path / name
        if encoding:
            dst.write_bytes(text.encode(encoding))
        else:
            dst.write_text(text)
        out.append(dst)
    return out


def test_other_names_and_addresses(tmp_path):
    repl = [("FTPP/", "WEBX/"), ("FTPD", "WEBS"), ("Server_RING", "Web.Ring1"), ("192.168.20.93", "10.20.30.40"),
            ("MVS3", "SYSB"), ("FTPT1", "WEBSRV1")]
    _, fs = diagnose_paths(_copy("error1-keyring-not-found", tmp_path, repl))
    f = errors(fs)[0]
    assert f.cause == "keyring-not-found"
    assert "WEBX/Web.Ring1" in f.explanation and "WEBS/Web.Ring1" in f.explanation
    assert "SYSB" in f.explanation and "10.20.30.40" in f.explanation
    assert "Keyring WEBS/Web.Ring1" in all_commands([f])


def test_other_owner_in_wrong_owner_case(tmp_path):
    repl = [("FTPD", "SRVOWNR"), ("FTP Server on MVS1-MVS7", "Payroll 'prod' server")]
    _, fs = diagnose_paths(_copy("error4-wrong-owner", tmp_path, repl))
    f = errors(fs)[0]
    assert f.cause == "private-key-unavailable"
    assert "SRVOWNR" in f.explanation
    cmds = all_commands([f]) + " ".join(f.next_steps)  # the re-issue is the alternative
    assert "LABEL('Payroll ''prod'' server')" in cmds
    assert "CONNECT(ID(TCPIP) LABEL('Payroll ''prod'' server')" in cmds


def test_cp1047_copies_diagnose_the_same(tmp_path):
    for case, cause in [("error3-cert-not-on-ring", "certificate-not-on-ring"),
                        ("error6-expired", "certificate-expired")]:
        d = tmp_path / case
        d.mkdir()
        _, fs = diagnose_paths(_copy(case, d, encoding="cp1047"))
        assert errors(fs)[0].cause == cause, case


def test_only_the_servers_side(tmp_path):
    s, fs = diagnose_case("error4-wrong-owner", only="MVS3")
    f = errors(fs)[0]
    assert f.cause == "private-key-unavailable"
    assert "438" in f.explanation  # what the partner would show


def test_only_the_clients_side():
    s, fs = diagnose_case("error4-wrong-owner", only="MVS1")
    assert not errors(fs)
    f = next(f for f in fs if f.cause == "peer-reported-error")
    assert f.severity == "warning" and f.next_steps
    assert "192.168.20.93" in f.explanation
    assert any("partner" in n for n in f.next_steps)


def test_only_client_side_of_expired_still_explains_401():
    _, fs = diagnose_case("error6-expired", only="MVS1")
    f = errors(fs)[0]
    assert f.cause == "certificate-expired" and f.confidence < 0.5 and f.next_steps


def test_missing_listring_lowers_confidence_and_asks_for_it():
    _, full = diagnose_case("error1-keyring-not-found")
    _, part = diagnose_case("error1-keyring-not-found", skip=("racdcert",))
    a = errors(full)[0]
    b = errors(part)[0]
    assert a.cause == b.cause == "keyring-not-found"
    assert b.confidence < a.confidence and b.confidence < 0.5
    assert any("LISTRING" in n for n in b.next_steps)


def test_sdsf_owner_corroborates_wrong_owner():
    _, full = diagnose_case("error4-wrong-owner")
    _, part = diagnose_case("error4-wrong-owner", skip=("sdsf",))
    a, b = errors(full)[0], errors(part)[0]
    assert a.cause == b.cause == "private-key-unavailable"
    assert b.confidence < a.confidence


def test_ich408i_contradicts_a_missing_ring(tmp_path):
    """The ring exists and RACF refused access: not a missing ring."""
    paths = _copy("error2-not-authorized", tmp_path)
    _, fs = diagnose_paths(paths)
    assert [f.cause for f in errors(fs)] == ["keyring-not-authorized"]


def test_ring_exists_contradicts_not_found(tmp_path):
    repl = [("FTPP/Server_RING", "FTPD/Server_RING")]
    _, fs = diagnose_paths(_copy("error1-keyring-not-found", tmp_path, repl))
    f = next(f for f in fs if f.cause == "keyring-not-found")
    assert f.confidence < 0.6 and "exists" in f.explanation


def test_icsf_variant_when_owner_and_key_look_right(tmp_path):
    repl = [("ID(FTPD)       PERSONAL", "ID(TCPIP)      PERSONAL"), ("certificate information for user FTPD", "certificate information for user TCPIP")]
    _, fs = diagnose_paths(_copy("error4-wrong-owner", tmp_path, repl))
    f = errors(fs)[0]
    assert f.cause == "private-key-unavailable"
    assert "ICSF" in f.explanation
    assert "GroupUserInstance 1" in all_commands([f])


def test_notrust_ca_on_client_ring(tmp_path):
    """ca-missing with the CA connected but NOTRUST: the fix is ALTER TRUST."""
    repl = [("MVS1 LABS Certificate Authority    CERTAUTH       CERTAUTH     NO",
             "MVS3 LABS Certificate Authority    CERTAUTH       CERTAUTH     NO"),
            ("Status: TRUST\n  Start Date: 2012/01/01", "Status: NOTRUST\n  Start Date: 2012/01/01"),
            ("RC:  435", "RC:    8")]
    _, fs = diagnose_paths(_copy("ca-missing", tmp_path, repl))
    f = errors(fs)[0]
    assert f.cause == "ca-not-trusted" and "NOTRUST" in f.explanation
    assert "RACDCERT CERTAUTH ALTER(LABEL('MVS3 LABS Certificate Authority')) TRUST" in all_commands([f])


def test_expired_not_judged_by_today(tmp_path):
    """The healthy server certificate ended 2015/12/31: fine on 2014-03-12."""
    _, fs = diagnose_case("healthy")
    assert not [f for f in fs if f.cause.startswith("certificate-")]


def test_protocol_mismatch_from_the_policies(tmp_path):
    repl = [("    TLSv1.2                   On\n  }\n}\nTTLSConnectionAction          cAct1~FTPTClient",
             "    TLSv1.2                   Off\n    TLSv1.1                   On\n  }\n}\n"
             "TTLSConnectionAction          cAct1~FTPTClient"),
            ("TLS_RSA_WITH_DES_CBC_SHA\n", "TLS_RSA_WITH_AES_128_CBC_SHA256\n"),
            ("RC:  402", "RC:  412")]
    paths = _copy("cipher-mismatch", tmp_path, repl, skip=("gsksrvr",))
    assert "TLSv1.1                   On" in (tmp_path / "MVS1.pagent-ttls.conf").read_text()
    _, fs = diagnose_paths(paths)
    f = errors(fs)[0]
    assert f.cause == "protocol-mismatch", f.explanation
    assert "TLSv1.2" in f.explanation and "TLSv1.1" in f.explanation
    assert "TLSv1.2 On" in all_commands([f])


def test_cleartext_and_client_auth_codes(tmp_path):
    for rc, cause in [(5003, "cleartext-on-tls-port"), (5001, "client-certificate-missing"),
                      (5002, "client-certificate-not-defined")]:
        d = tmp_path / str(rc)
        d.mkdir()
        paths = _copy("handshake-timeout", d, [("RC: 5004", f"RC: {rc}")], only="MVS3")
        _, fs = diagnose_paths(paths)
        f = errors(fs)[0]
        assert f.cause == cause and str(rc) in f.explanation and f.next_steps


def test_pasearch_only_policy_fix_is_nested_and_points_at_the_file(tmp_path):
    """Without the policy file the ring is known from pasearch alone, where the
    TTLSKeyringParms is inline (generated name ``<action>/TTLSKeyringParms``): the fix
    shows it nested in its environment action and says which file to edit."""
    _, fs = diagnose_paths(_copy("error1-keyring-not-found", tmp_path, skip=("MVS3.pagent-ttls",)))
    f = errors(fs)[0]
    assert f.cause == "keyring-not-found"
    cmds = all_commands([f])
    assert "/TTLSKeyringParms" not in cmds
    assert ("TTLSEnvironmentAction eAct1~FTPTat192.168.20.9n\n{\n  TTLSKeyringParms\n  {\n"
            "    Keyring FTPD/Server_RING\n  }\n}") in cmds
    assert "MVS3.pasearch.txt line 33" in cmds and "TTLSConfig" in cmds
    assert all(len(ln) <= 71 for ln in cmds.splitlines())


def test_next_steps_name_the_known_ring_instead_of_placeholders():
    _, fs = diagnose_paths(files("error4-wrong-owner", skip=("racdcert",)))
    steps = " ".join(s for f in fs for s in f.next_steps)
    assert "RACDCERT ID(FTPD) LISTRING(Server_RING)" in steps
    assert "ID(owner)" not in steps and "LISTRING(ring)" not in steps


def test_wrong_owner_steps_use_the_real_label():
    _, fs = diagnose_case("error4-wrong-owner")
    steps = " ".join(s for f in fs for s in f.next_steps)
    assert "RACDCERT ID(FTPD) DELETE(LABEL('FTP Server on MVS1-MVS7'))" in steps
    assert "'...'" not in steps


def test_wording_names_what_happens_not_the_conference_session():
    _, fs = diagnose_case("error3-cert-not-on-ring")
    text = " ".join(f.explanation for f in fs)
    assert "seed" not in text and "RC 428: the private key belongs to FTPD" in text
    _, fs = diagnose_case("error2-not-authorized")
    text = " ".join(f.explanation for f in fs)
    assert "RACF 1.8" not in text and "From z/OS V1R8 on" in text
    _, fs = diagnose_case("mixed")
    kr = next(f for f in fs if f.cause == "keyring-not-found")
    assert "The client at 10.1.5.20:50211" in kr.explanation and "its console" not in kr.explanation


def test_an_unknown_ring_is_said_to_be_unknown(tmp_path):
    _, fs = diagnose_paths(files("error4-wrong-owner", skip=("pagent", "pasearch", "syslogd", "racdcert")))
    text = " ".join(f.explanation for f in fs)
    assert "key ring ?" not in text and "ring  " not in text
    assert "on the key ring (not named in the evidence)." in text
