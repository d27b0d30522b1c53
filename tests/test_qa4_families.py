"""The fourth review's native-family cases (tests/data/qa4/): MQ's command prefix from its
messages, TN3270 SECUREPORT protocols, Zowe's empty ring, CICS without a default
certificate, z/OSMF's CWPKI0033E, HWTH environment-open failures and Db2 through AT-TLS."""

from __future__ import annotations

from diagnose_helpers import diagnose_paths as diagnose, errors, text_of

from pathlib import Path


QA = Path(__file__).parent / "data" / "qa4"


def files(case: str) -> list[str]:
    return sorted(str(p) for p in (QA / case).iterdir() if p.is_file())





def commands(findings) -> list[str]:
    return [c.text for f in findings for c in f.commands]


# -- 1: MQ command prefix ---------------------------------------------------------------------
def test_mq_command_prefix_is_taken_from_the_csq_messages():
    _s, found = diagnose(files("mq"))
    cmds = commands(errors(found))
    assert "+QMQ1 REFRESH SECURITY TYPE(SSL)" in cmds
    assert not any(c.startswith("-QMQ1") for c in cmds)


def test_mq_without_a_command_prefix_writes_a_marked_placeholder(tmp_path):
    src = QA / "mq" / "MVS5.qmq1chin.joblog.txt"
    (tmp_path / src.name).write_text(src.read_text().replace("+CSQX620E +QMQ1", "+CSQX620E QMQ1")
                                     .replace("+CSQX599E +QMQ1", "+CSQX599E QMQ1"))
    (tmp_path / "MVS5.racdcert-listring.txt").write_text(
        (QA / "mq" / "MVS5.racdcert-listring.txt").read_text())
    _s, found = diagnose(sorted(tmp_path.iterdir()))
    refresh = [c for f in errors(found) for c in f.commands if "REFRESH SECURITY" in c.text]
    assert refresh and refresh[0].text == "<cpf> REFRESH SECURITY TYPE(SSL)"
    assert "placeholder" in refresh[0].purpose and "command prefix" in refresh[0].purpose
    assert not any(c.startswith("-QMQ1") for c in commands(found))


# -- 2: TN3270 SECUREPORT protocols ---------------------------------------------------------
def test_tn3270_securport_412_offers_tlsv1_and_the_move_to_ttlsport_never_tls12():
    s, found = diagnose(files("tn3270d"))
    (f,) = errors(found)
    cmds = [c.text for c in f.commands]
    assert "TLSV1.2" not in cmds and "TLSV1" in cmds
    assert any(c.startswith("TTLSPORT") for c in cmds)
    assert "either way" in f.explanation and "SECUREPORT" in f.explanation
    assert "SSLv3 (or only TLS 1.0) fails this way" not in f.explanation
    assert any("TTLSPORT" in t and "AT-TLS policy" in t for t in f.next_steps)
    obey = next(c for c in f.commands if "OBEYFILE" in c.text)
    assert obey.text.endswith("DSN=<your TN3270 profile data set>") and "placeholder" in obey.purpose
    assert "TCPIP.PROFILE(TELNET)" not in text_of(s)


def test_tn3270_proof_words_have_no_python_none_and_no_kind_jargon():
    s, _found = diagnose(files("tn3270d"))
    text = text_of(s)
    assert "RC None" not in text and "unknown kind" not in text
    assert "configuration, which the model does not hold" in text and "no result for c1" in text


# -- 3: Zowe 8/8/44 with an empty ring ------------------------------------------------------
def test_zowe_empty_ring_gets_connect_ca_refresh_and_restart_with_marked_labels():
    _s, found = diagnose(files("zowe"))
    (f,) = errors(found)
    cmds = [c.text.replace(" -\n  ", " ") for c in f.commands]
    flat = [" ".join(c.split()) for c in cmds]
    assert any(c.startswith("RACDCERT ID(ZWESVUSR) CONNECT(ID(ZWESVUSR) LABEL('<label of the server "
                            "certificate>') RING(ZoweKeyring) USAGE(PERSONAL) DEFAULT)") for c in flat), flat
    assert any("CONNECT(CERTAUTH LABEL('<label of the issuing CA>')" in c for c in flat)
    assert "SETROPTS RACLIST(DIGTRING) REFRESH" in flat
    assert flat[-2:] == ["P ZWE1SV", "S ZWESLSTC,JOBNAME=ZWE1SV"]
    connect = f.commands[0]
    assert "placeholder" in connect.purpose and "'localhost'" in connect.purpose and "Assumed" in connect.purpose


# -- 4: CICS RC 7 with no DEFAULT on the ring -----------------------------------------------
def test_cics_rc7_without_a_default_connects_it_as_default_and_rebuilds():
    s, found = diagnose(files("cics2"))
    (f,) = errors(found)
    assert f.cause == "certificate-not-on-ring"
    flat = [" ".join(c.text.replace(" -\n", " ").split()) for c in f.commands]
    assert flat[0] == ("RACDCERT ID(CICSQA) CONNECT(ID(CICSQA) LABEL('CICSQA1 Server') RING(QARING) "
                       "USAGE(PERSONAL) DEFAULT)")
    assert flat[-1] == "F CICSQA1,CEMT PERFORM SSL REBUILD"
    assert "DEFAULT" in f.explanation and "CSD definition is not in the session" in f.explanation
    assert any("ALTER TCPIPSERVICE(QAHTTPS)" in t for t in f.next_steps)


def test_unexplained_failure_title_names_the_return_code_once(tmp_path):
    src = QA / "cics2" / "MVS5.cicsqa1.joblog.txt"
    (tmp_path / src.name).write_text(src.read_text())
    s, _found = diagnose([tmp_path / src.name])
    text = text_of(s)
    assert "(RC 7)" in text and "(RC 7) (RC 7)" not in text


# -- 5: z/OSMF CWPKI0033E -------------------------------------------------------------------
def test_zosmf_cwpki0033e_with_ring_and_label_listed_is_listring_access_not_gsksrvr():
    _s, found = diagnose(files("zosmf"))
    (f,) = errors(found)
    assert f.cause == "keyring-not-authorized" and f.confidence < 0.65
    flat = [" ".join(c.text.split()) for c in f.commands]
    assert flat[:3] == ["RLIST FACILITY IRR.DIGTCERT.LISTRING AUTHUSER",
                        "PERMIT IRR.DIGTCERT.LISTRING CLASS(FACILITY) ID(IZUSVR) ACCESS(READ)",
                        "SETROPTS RACLIST(FACILITY) REFRESH"]
    assert flat[-2:] == ["P IZUSVR1", "S IZUSVR1"] and "assumed" in f.commands[-2].purpose
    assert "R_datalib" in f.explanation
    steps = " ".join(f.next_steps)
    assert "SET TRACE" in steps and "TRACE CT,ON,COMP=GSKSRVR" not in steps


# -- 6: HWTH gsk_environment_open RC 202 ----------------------------------------------------
def test_hwth_environment_open_202_no_reset_sentence_permit_read_and_inferred_owner():
    _s, found = diagnose(files("hwth"))
    (f,) = errors(found)
    assert "saw the connection reset" not in f.explanation
    assert "No connection was made" in f.explanation
    assert "BATCHWEB was inferred from IRR010I" in f.explanation
    flat = [" ".join(c.text.split()) for c in f.commands]
    assert "RLIST FACILITY IRR.DIGTCERT.LISTRING AUTHUSER" in flat
    assert "PERMIT IRR.DIGTCERT.LISTRING CLASS(FACILITY) ID(BATCHWEB) ACCESS(READ)" in flat
    assert flat[-1] == "Submit WEBCALL9 again"


# -- 7: Db2 DDF behind AT-TLS ---------------------------------------------------------------
def test_db2_dsnl511i_alone_points_to_the_attls_side_never_native_advice():
    _s, found = diagnose(files("db2"))
    db2 = [f for f in errors(found) if "DSNL511I" in f.explanation]
    assert len(db2) == 1
    f = db2[0]
    steps = " ".join(f.next_steps)
    assert "EZD1287I/EZD1286I" in steps and "pasearch -t" in steps and "TCP/IP stack's job" in steps
    assert "the job that calls System SSL itself" not in steps
    assert "Db2 DDF trace that shows the System SSL return code" not in steps


def test_db2_dsnl511i_joined_to_attls_mentions_db2_and_cites_it():
    s, found = diagnose(files("db2c"))
    (f,) = errors(found)
    assert "Db2 DDF" in f.explanation and "DSNL511I" in f.explanation
    assert "a1:8" in f.evidence


# -- 8: SYSLOG continuation lines that cannot be attached -----------------------------------
def test_syslog_d_e_lines_without_a_multiline_first_line_are_unparsed_not_dropped():
    s, _ = diagnose(files("tn3270c"))
    (art,) = s.artifacts
    assert art.unparsed == 5  # the four D/E lines of 901 and the E line of 902
    reasons = [u.reason for u in s.unparsed]
    assert len(reasons) == 5 and all("continuation line" in r for r in reasons)


# -- every RACF command of these cases passes the syntax check ------------------------------
def test_every_racf_command_of_the_qa4_cases_is_well_formed():
    from test_racf_syntax import check_racf

    seen = 0
    for case in ("mq", "tn3270d", "zowe", "cics2", "zosmf", "hwth", "db2", "db2c"):
        _s, found = diagnose(files(case))
        for f in found:
            for c in f.commands + f.verify:
                if c.kind == "racf":
                    check_racf(c.text)
                    seen += 1
    assert seen >= 15


def test_tn3270_profile_coding_tls12_on_a_secureport_is_said_to_have_no_effect():
    data = Path(__file__).parent / "data" / "tn3270" / "protocol-mismatch"
    _s, found = diagnose(sorted(p for p in data.iterdir() if p.is_file()))
    (f,) = errors(found)
    assert "codes TLSV1.2, which a SECUREPORT cannot use" in f.explanation
