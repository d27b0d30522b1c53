"""Fix commands: built as data, rendered with the real values, quoted and continued
as TSO and RACF want."""

from __future__ import annotations

from tlsworkbench.diagnose import fixes as fx


def test_connect_matches_the_seed_solution():
    c = fx.RacdcertConnect("TCPIP", "FTP Server on MVS1-MVS7", "Server_RING", "FTPD", "PERSONAL", True)
    assert c.render() == ("RACDCERT ID(FTPD) CONNECT(ID(TCPIP) LABEL('FTP Server on MVS1-MVS7') -\n"
                          "  RING(Server_RING) USAGE(PERSONAL) DEFAULT)")
    assert "FTPD/Server_RING" in c.describe() and "default" in c.describe()


def test_connect_certauth_without_default():
    c = fx.RacdcertConnect("CERTAUTH", "MVS1 CA", "Client_RING", "user301", "CERTAUTH")
    assert c.render() == ("RACDCERT ID(USER301) CONNECT(CERTAUTH LABEL('MVS1 CA') -\n"
                          "  RING(Client_RING) USAGE(CERTAUTH))")


def test_label_quotes_are_doubled():
    assert fx.quote("Joe's cert") == "'Joe''s cert'"
    r = fx.RacdcertList("TCPIP", "Joe's cert").render()
    assert r == "RACDCERT ID(TCPIP) LIST(LABEL('Joe''s cert'))"


def test_wrap_never_passes_column_72_and_never_splits_quotes():
    label = "A" * 32
    c = fx.RacdcertGencert("TCPIPSRV", label, subject={"CN": "x" * 50, "OU": "Dept 'Q'", "C": "US"},
                           altname={"DOMAIN": "host.example.com", "IP": "10.1.1.13"},
                           signwith_label="B" * 32, notafter="2027-01-31", size=2048)
    text = c.render()
    lines = text.split("\n")
    assert len(lines) > 2
    assert all(len(ln) <= 71 for ln in lines)
    assert all(ln.endswith(" -") for ln in lines[:-1]) and not lines[-1].endswith("-")
    for ln in lines:
        assert ln.count("'") % 2 == 0  # every quoted string closes on its own line
    flat = text.replace(" -\n  ", " ")
    assert "SUBJECTSDN(CN('" + "x" * 50 + "') OU('Dept ''Q''') C('US'))" in flat
    assert "ALTNAME(DOMAIN('host.example.com') IP(10.1.1.13))" in flat
    assert f"SIGNWITH(CERTAUTH LABEL('{'B' * 32}'))" in flat
    assert flat.endswith(f"WITHLABEL('{label}')")


def test_genreq_gencert_alter_renewal():
    assert fx.RacdcertGenreq("tcpip", "FTPServer31 EXP", "TCPIP.CERTREQ").render() == \
        "RACDCERT ID(TCPIP) GENREQ(LABEL('FTPServer31 EXP')) -\n  DSN('TCPIP.CERTREQ')"
    assert fx.RacdcertGenreq("tcpip", "FTPSrv31", "TCPIP.REQ").render() == \
        "RACDCERT ID(TCPIP) GENREQ(LABEL('FTPSrv31')) DSN('TCPIP.REQ')"
    g = fx.RacdcertGencert("TCPIP", "FTPServer31 EXP", request_dsn="TCPIP.CERTREQ",
                           signwith_label="CA", notafter="2027-03-12").render()
    assert g.replace(" -\n  ", " ") == ("RACDCERT ID(TCPIP) GENCERT('TCPIP.CERTREQ') NOTAFTER(DATE(2027-03-12)) "
                                        "SIGNWITH(CERTAUTH LABEL('CA')) WITHLABEL('FTPServer31 EXP')")
    assert fx.RacdcertAlterTrust("CERTAUTH", "CA").render() == "RACDCERT CERTAUTH ALTER(LABEL('CA')) TRUST"


def test_remove_permit_rdefine_setropts_started():
    assert fx.RacdcertRemove("FTPD", "L", "Server_RING", "FTPD").render() == \
        "RACDCERT ID(FTPD) REMOVE(ID(FTPD) LABEL('L') RING(Server_RING))"
    assert fx.Permit("IRR.DIGTCERT.LISTRING", "facility", "user301").render() == \
        "PERMIT IRR.DIGTCERT.LISTRING CLASS(FACILITY) ID(USER301) ACCESS(READ)"
    assert fx.Rdefine("RDATALIB", "FTPD.Server_RING.LST").render() == \
        "RDEFINE RDATALIB FTPD.Server_RING.LST UACC(NONE)"
    assert fx.SetroptsRefresh(["DIGTRING", "DIGTCERT"]).render() == "SETROPTS RACLIST(DIGTRING DIGTCERT) REFRESH"
    s = fx.RalterStarted("FTPT1.*", "ftpd", "omvsgrp")
    assert s.render() == "RALTER STARTED FTPT1.* STDATA(USER(FTPD) GROUP(OMVSGRP))"
    assert s.command().disruptive


def test_policy_edit_names_statement_parameter_old_new_and_line():
    e = fx.PolicyEdit("TTLSKeyringParms", "keyR1", "Keyring", "FTPP/Server_RING", "FTPD/Server_RING",
                      "MVS3.pagent-ttls.conf line 34", "MVS3")
    cmd = e.command()
    assert cmd.kind == "policy"
    assert cmd.text.split("\n") == ["# MVS3.pagent-ttls.conf line 34: Keyring was FTPP/Server_RING",
                                    "TTLSKeyringParms keyR1", "{", "  Keyring FTPD/Server_RING", "}"]
    assert "MVS3" in cmd.purpose and "FTPP/Server_RING" in cmd.purpose and "line 34" in cmd.purpose
    assert fx.bump("0") == "1" and fx.bump(None) == "1" and fx.bump("7") == "8"
    multi = fx.PolicyEdit("TTLSEnvironmentAction", "e", "V3CipherSuites", "A", ["A", "B"]).render()
    assert "  V3CipherSuites A\n  V3CipherSuites B" in multi


def test_operator_pagent_update():
    c = fx.pagent_update("PAGENT2").command()
    assert c.text == "F PAGENT2,UPDATE" and c.kind == "operator"


def test_batch_job_wraps_only_racf_commands():
    cmds = [fx.RacdcertConnect("TCPIP", "L", "R", "FTPD", "PERSONAL", True).command(),
            fx.pagent_update().command(),
            fx.SetroptsRefresh(["DIGTRING"]).command()]
    job = fx.batch_job(cmds, "acfix1", comment="Fix the FTP server key ring")
    lines = job.text.split("\n")
    assert job.kind == "jcl"
    assert lines[0].startswith("//ACFIX1   JOB ")
    assert "EXEC PGM=IKJEFT01" in lines[1]
    assert "//SYSTSPRT DD SYSOUT=*" in lines and "//SYSTSIN  DD *" in lines
    body = lines[lines.index("//SYSTSIN  DD *") + 1:]
    assert body[-1] == "/*"
    assert "F PAGENT,UPDATE" not in job.text
    assert any(ln.startswith("RACDCERT ID(FTPD) CONNECT") for ln in body)
    assert all(len(ln) <= 72 for ln in lines)


def test_an_operand_longer_than_a_line_is_split_and_joins_exactly():
    cn = "server-with-a-very-long-name.payments.eu-west.internal.example.com"[:64]
    c = fx.RacdcertGencert("TCPIP", "L", subject={"CN": cn, "C": "US"})
    lines = c.render().split("\n")
    assert all(len(ln) <= 72 for ln in lines)
    assert all(ln.endswith("-") for ln in lines[:-1])
    joined = ""
    for ln in lines:
        if ln.endswith(" -"):
            joined += ln[:-1]
        elif ln.endswith("-"):
            joined += ln[:-1]
        else:
            joined += ln
    joined = " ".join(joined.split("  "))
    assert f"SUBJECTSDN(CN('{cn}') C('US'))" in joined.replace("  ", " ")


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_label = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), min_size=1, max_size=32)


@settings(max_examples=200, deadline=None)
@given(owner=st.from_regex(r"[A-Z][A-Z0-9]{0,7}", fullmatch=True), label=_label,
       ring=st.from_regex(r"[A-Za-z][A-Za-z0-9._-]{0,40}", fullmatch=True), default=st.booleans())
def test_connect_renders_within_columns_and_round_trips(owner, label, ring, default):
    text = fx.RacdcertConnect(owner, label, ring, "RINGOWNR", "PERSONAL", default).render()
    lines = text.split("\n")
    assert all(len(ln) <= fx.MAX_COL for ln in lines)
    joined = "".join(ln[:-1] if ln.endswith("-") else ln for ln in lines)
    assert " ".join(joined.split()) == " ".join(
        (f"RACDCERT ID(RINGOWNR) CONNECT(ID({owner}) LABEL({fx.quote(label)}) RING({ring}) "
         f"USAGE(PERSONAL){' DEFAULT' if default else ''})").split())


def test_policy_edit_of_an_inline_statement_renders_it_inside_its_parent():
    e = fx.PolicyEdit("TTLSCipherParms", "eAct1~X/TTLSCipherParms", "V3CipherSuites", "A",
                      ["B", "A"], "P.conf line 25", "MVS1")
    lines = e.render().split("\n")
    assert lines[0] == "# P.conf line 25: V3CipherSuites was A"
    assert lines[2:] == ["TTLSEnvironmentAction eAct1~X", "{", "  TTLSCipherParms", "  {",
                         "    V3CipherSuites B", "    V3CipherSuites A", "  }", "}"]
    assert "in TTLSCipherParms in TTLSEnvironmentAction eAct1~X" in e.describe()
    conn = fx.PolicyEdit("TTLSConnectionAdvancedParms", "cAct1/TTLSConnectionAdvancedParms",
                         "SecondaryMap", None, "On").render()
    assert "TTLSConnectionAction cAct1\n{\n  TTLSConnectionAdvancedParms" in conn
    only = fx.PolicyEdit("TTLSKeyringParms", "e/TTLSKeyringParms", "Keyring", "A/R", "B/R",
                         "MVS3.pasearch.txt line 33", "MVS3", installed_only=True,
                         policy_file="/etc/pagent/ttls.conf").render()
    assert "/etc/pagent/ttls.conf (named by TTLSConfig)" in only.replace("\n# ", " ")
    assert all(len(ln) <= fx.MAX_COL for ln in only.split("\n"))
    # a plain name with a slash-free value stays as it was
    assert fx.PolicyEdit("TTLSKeyringParms", "keyR1", "Keyring", None, "FTPD/R").render().split("\n")[1] \
        == "TTLSKeyringParms keyR1"


def test_discrete_profile_copied_from_the_generic_keeps_its_access():
    r = fx.Rdefine("FACILITY", "IRR.DIGTCERT.LISTRING", from_profile="IRR.DIGTCERT.*")
    assert r.render() == "RDEFINE FACILITY IRR.DIGTCERT.LISTRING FROM(IRR.DIGTCERT.*)"
    assert "UACC" not in r.render() and "copy of IRR.DIGTCERT.*" in r.describe()
    assert fx.Rdefine("RDATALIB", "A.R.LST").render() == "RDEFINE RDATALIB A.R.LST UACC(NONE)"


def test_classact_and_placeholders():
    assert fx.SetroptsClassact(["RDATALIB"]).render() == "SETROPTS CLASSACT(RDATALIB) RACLIST(RDATALIB)"
    assert fx.is_placeholder("<label of the issuing CA>") and not fx.is_placeholder("MVS1 CA")


def _renewal_ctx(ca_key):
    from tlsworkbench.diagnose.evidence import Context
    from tlsworkbench.model import CertInfo, Session

    from datetime import datetime

    srv = CertInfo(record="a1:1", source="racdcert", owner="TCPIP", label="Srv", subject="CN=srv,O=X",
                   issuer="CN=CA,O=X", not_before=datetime(2020, 1, 1), not_after=datetime(2021, 1, 1))
    ca = CertInfo(record="a1:2", source="racdcert", owner="CERTAUTH", label="The CA", subject="CN=CA,O=X",
                  issuer="CN=CA,O=X", private_key=ca_key, not_after=datetime(2040, 1, 1))
    return Context(Session(certs=[srv, ca] if ca_key is not None else [srv])), srv


def test_renewal_is_signed_by_the_issuer_and_ends_after_today():
    from datetime import date

    from tlsworkbench.diagnose.renewal import plan, renewal

    ctx, srv = _renewal_ctx(True)
    p = plan(ctx, srv, None, today=date(2026, 12, 6))
    assert p.how == "racf-ca" and p.ca_label == "The CA"
    gen = p.fixes[1].render().replace(" -\n  ", " ")
    assert "SIGNWITH(CERTAUTH LABEL('The CA'))" in gen
    assert "NOTAFTER(DATE(2027-12-07))" in gen  # today plus the original 366 days (2020)
    assert "today, 2026-12-06," in p.words
    fixes, label, end = renewal(ctx, srv, None, today=date(2026, 12, 6))  # the old API still answers
    assert label == "The CA" and end == date(2027, 12, 7) and len(fixes) == 3


def test_renewal_by_an_external_ca_or_an_unknown_one():
    from datetime import date

    from tlsworkbench.diagnose.renewal import plan

    ctx, srv = _renewal_ctx(False)
    p = plan(ctx, srv, None, today=date(2026, 12, 6), ring=("FTPD", "Server_RING"))
    texts = [f.render().replace(" -\n  ", " ") for f in p.fixes]
    # Srv ended 2021-01-01: ADD does not replace an expired certificate, so it is re-keyed
    # first and the CA signs the new key pair's request
    assert p.how == "external-ca" and texts[0] == "RACDCERT ID(TCPIP) REKEY(LABEL('Srv')) WITHLABEL('Srv NEW')"
    assert texts[1].startswith("RACDCERT ID(TCPIP) GENREQ(LABEL('Srv NEW'))")
    assert texts[2].startswith("Send TCPIP.CERTREQ to the CA 'The CA'")
    assert texts[3] == "RACDCERT ID(TCPIP) ADD('TCPIP.CERTNEW') TRUST WITHLABEL('Srv NEW')"
    assert texts[4] == ("RACDCERT ID(FTPD) CONNECT(ID(TCPIP) LABEL('Srv NEW') RING(Server_RING) "
                        "USAGE(PERSONAL) DEFAULT)")
    assert not any("GENCERT" in t for t in texts)
    # not yet expired (renewed ahead of time): the request from the certificate itself,
    # and the CA's answer added under its own label, which keeps its private key
    p = plan(ctx, srv, None, today=date(2020, 12, 1), ring=("FTPD", "Server_RING"))
    texts = [f.render().replace(" -\n  ", " ") for f in p.fixes]
    assert texts[0].startswith("RACDCERT ID(TCPIP) GENREQ(LABEL('Srv'))")
    assert texts[2] == "RACDCERT ID(TCPIP) ADD('TCPIP.CERTNEW') TRUST WITHLABEL('Srv')"
    ctx, srv = _renewal_ctx(None)
    p = plan(ctx, srv, None, today=date(2026, 12, 6))
    assert p.how == "unknown-ca" and "placeholder" in p.words
    assert "SIGNWITH(CERTAUTH LABEL('<label of the issuing CA>'))" in p.fixes[1].render().replace(" -\n  ", " ")
