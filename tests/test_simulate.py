"""Every fix proven on the model of the evidence (diagnose/simulate).

The table drives each cause through evidence with and without the policy, with a
generic profile, a SITE certificate, an external and an unknown CA, and an
environment-level message: each row expects the exact fix lines, and that applying
them to the model clears the finding (or, for the placeholder, that the model
refuses the command and says so). Then: a deliberately wrong fix does not clear,
F PAGENT,UPDATE alone does not clear, and every generated command reads back.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from clientauth_cases import MISSING, UNDEFINED, USER_CERT
from diagnose_helpers import SCEN, diagnose_paths, files, flat
from test_racf_syntax import check_racf

from tlsworkbench.diagnose import simulate
from tlsworkbench.diagnose.evidence import Context
from tlsworkbench.diagnose.simulate import parse
from tlsworkbench.model import Command

DATA = Path(__file__).parent / "data"
NO_POLICY = ("pagent", "pasearch", "syslogd")

ICH408I_GENERIC = ("D                                         907 00000090    IRR.DIGTCERT.LISTRING CL(FACILITY)",
                   "D                                         907 00000090    IRR.DIGTCERT.LISTRING CL(FACILITY)\n"
                   "D                                         907 00000090    FROM IRR.DIGTCERT.* (G)")
SITE_RING = ("FTP Server on MVS1-MVS7            ID(FTPD)  ", "FTP Server on MVS1-MVS7            SITE      ")
SITE_LIST = [("RACDCERT ID(FTPD) LIST(", "RACDCERT SITE LIST("), ("for user FTPD:", "for SITE:")]
# the scenario's syslogd lines carry no year (read as this year): the server certificate
# ends after that, so the model sees only the host-name fault
HOST_CERT_DATES = ("End Date:   2016/09/22", "End Date:   2036/09/22")
NO_CA_ON_RING = ("   MVS1 LABS Certificate Authority    CERTAUTH       CERTAUTH     NO\n", "")


def _copy(case, tmp_path, skip=(), repl=(), extra=()):
    out = []
    for p in files(case, skip=skip):
        text = p.read_text()
        for a, b in repl:
            text = text.replace(a, b)
        dst = tmp_path / p.name
        dst.write_text(text)
        out.append(dst)
    for src, name, edits in extra:
        text = src.read_text()
        for a, b in edits:
            text = text.replace(a, b)
        (tmp_path / name).write_text(text)
        out.append(tmp_path / name)
    return out


# name: (case, skip, replacements, extra files, cause, exact fix lines (in order), proof words)
CASES = {
    "ring-not-found": ("error1-keyring-not-found", (), [], [], "keyring-not-found", [
        "  Keyring FTPD/Server_RING", "  EnvironmentUserInstance 1", "F PAGENT,UPDATE"], "clears"),
    "not-authorized-discrete": ("error2-not-authorized", (), [], [], "keyring-not-authorized", [
        "PERMIT IRR.DIGTCERT.LISTRING CLASS(FACILITY) ID(USER301) ACCESS(READ)",
        "SETROPTS RACLIST(FACILITY) REFRESH", "F PAGENT,UPDATE"], "clears"),
    "not-authorized-generic": ("error2-not-authorized", (), [ICH408I_GENERIC], [], "keyring-not-authorized", [
        "RDEFINE FACILITY IRR.DIGTCERT.LISTRING FROM(IRR.DIGTCERT.*)",
        "PERMIT IRR.DIGTCERT.LISTRING CLASS(FACILITY) ID(USER301) ACCESS(READ)",
        "SETROPTS RACLIST(FACILITY) REFRESH"], "clears"),
    "not-on-ring": ("error3-cert-not-on-ring", (), [], [], "certificate-not-on-ring", [
        "RACDCERT ID(FTPD) CONNECT(ID(FTPD) LABEL('FTP Server on MVS1-MVS7') RING(Server_RING) "
        "USAGE(PERSONAL) DEFAULT)",
        "RDEFINE RDATALIB FTPD.SERVER_RING.LST UACC(NONE)",
        "PERMIT FTPD.SERVER_RING.LST CLASS(RDATALIB) ID(TCPIP) ACCESS(UPDATE)",
        "SETROPTS CLASSACT(RDATALIB) RACLIST(RDATALIB)", "F PAGENT,UPDATE"],
        "ring FTPD/Server_RING has 'FTP Server on MVS1-MVS7' as PERSONAL DEFAULT"),
    "not-on-ring-no-policy": ("error3-cert-not-on-ring", NO_POLICY, [], [], "certificate-not-on-ring", [
        "RACDCERT ID(FTPD) CONNECT(ID(FTPD) LABEL('FTP Server on MVS1-MVS7') RING(Server_RING) "
        "USAGE(PERSONAL) DEFAULT)", "P FTPT1", "S FTPT1"], "FTPT1 started again"),
    "not-on-ring-pasearch-only": ("error3-cert-not-on-ring", ("pagent", "syslogd"), [], [],
                                  "certificate-not-on-ring", ["F PAGENT,UPDATE"], "clears"),
    "wrong-owner": ("error4-wrong-owner", (), [], [], "private-key-unavailable", [
        "RDEFINE RDATALIB FTPD.SERVER_RING.LST UACC(NONE)",
        "PERMIT FTPD.SERVER_RING.LST CLASS(RDATALIB) ID(TCPIP) ACCESS(UPDATE)",
        "SETROPTS CLASSACT(RDATALIB) RACLIST(RDATALIB)", "F PAGENT,UPDATE"], "clears"),
    "wrong-owner-no-policy": ("error4-wrong-owner", NO_POLICY, [], [], "private-key-unavailable", [
        "PERMIT FTPD.SERVER_RING.LST CLASS(RDATALIB) ID(TCPIP) ACCESS(UPDATE)", "P FTPT1", "S FTPT1"], "clears"),
    "wrong-owner-untimed-console": ("error4-wrong-owner", ("MVS3.syslog",), [], [
        (DATA / "fixes" / "untimed" / "MVS3.console.txt", "MVS3.console.txt", [])],
        "private-key-unavailable", [
            "PERMIT FTPD.SERVER_RING.LST CLASS(RDATALIB) ID(TCPIP) ACCESS(UPDATE)", "F PAGENT,UPDATE"],
        "clears"),
    "wrong-owner-rdatalib-raclisted": ("error4-wrong-owner", (), [], [
        (DATA / "fixes" / "setropts" / "MVS3.setropts-list.txt", "MVS3.setropts-list.txt", [])],
        "private-key-unavailable", [
            "RDEFINE RDATALIB FTPD.SERVER_RING.LST UACC(NONE)",
            "PERMIT FTPD.SERVER_RING.LST CLASS(RDATALIB) ID(TCPIP) ACCESS(UPDATE)",
            "SETROPTS RACLIST(RDATALIB) REFRESH", "F PAGENT,UPDATE"], "clears"),
    "site-certificate": ("error4-wrong-owner", (), [SITE_RING] + SITE_LIST, [], "private-key-unavailable", [
        "RDEFINE RDATALIB FTPD.SERVER_RING.LST UACC(NONE)",
        "PERMIT FTPD.SERVER_RING.LST CLASS(RDATALIB) ID(TCPIP) ACCESS(CONTROL)"], "clears"),
    "expired": ("error6-expired", (), [], [], "certificate-expired", [
        "RACDCERT ID(TCPIP) GENREQ(LABEL('FTPServer31 EXP')) DSN('TCPIP.CERTREQ')",
        "RACDCERT ID(TCPIP) ALTER(LABEL('FTPServer31 EXP')) TRUST", "F PAGENT,UPDATE"], "clears"),
    "expired-external-ca": ("error6-expired", (), [], [
        (SCEN / "ca-missing" / "MVS1.racdcert-list.txt", "MVS3.racdcert-ca.txt", [])],
        "certificate-expired", [
            "RACDCERT ID(TCPIP) REKEY(LABEL('FTPServer31 EXP')) WITHLABEL('FTPServer31 EXP NEW')",
            "RACDCERT ID(TCPIP) GENREQ(LABEL('FTPServer31 EXP NEW')) DSN('TCPIP.CERTREQ')",
            "RACDCERT ID(TCPIP) ADD('TCPIP.CERTNEW') TRUST WITHLABEL('FTPServer31 EXP NEW')",
            "RACDCERT ID(TCPIP) CONNECT(ID(TCPIP) LABEL('FTPServer31 EXP NEW') RING(FTPRing31) "
            "USAGE(PERSONAL) DEFAULT)", "F PAGENT,UPDATE"], "clears"),
    "expired-unknown-ca": ("error6-expired", (), [NO_CA_ON_RING], [], "certificate-expired", [
        "RACDCERT ID(TCPIP) GENREQ(LABEL('FTPServer31 EXP')) DSN('TCPIP.CERTREQ')"],
        "placeholder the evidence could not fill"),
    "cipher-mismatch": ("cipher-mismatch", (), [], [], "cipher-mismatch", [
        "TTLSEnvironmentAction eAct1~FTPTClient", "    V3CipherSuites TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        "F PAGENT,UPDATE"], "clears"),
    "protocol-mismatch": ("cipher-mismatch", ("MVS1.pagent-ttls.conf",), [], [
        (SCEN / "cipher-mismatch" / "MVS1.pagent-ttls.conf", "MVS1.pagent-ttls.conf", [
            ("TLS_RSA_WITH_DES_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA256"),
            ("    TLSv1.2                   On", "    TLSv1.2                   Off\n    TLSv1.1                   On")])],
        "protocol-mismatch", [
            "# MVS1.pagent-ttls.conf line 30: TLSv1.2 was Off", "TTLSEnvironmentAction eAct1~FTPTClient",
            "    TLSv1.2 On", "F PAGENT,UPDATE"], "clears"),
    "handshake-timeout": ("handshake-timeout", (), [], [], "handshake-timeout", [
        "# MVS1.pagent-ttls.conf line 21: HandshakeRole was Server", "TTLSEnvironmentAction eAct1~FTPTClient",
        "  HandshakeRole Client", "# MVS1.pagent-ttls.conf line 26: HandshakeRole was Server",
        "TTLSConnectionAction cAct1~FTPTClient", "F PAGENT,UPDATE"], "clears"),
    "hostname": ("error5-hostname", (), [HOST_CERT_DATES], [], "hostname-mismatch", [
        "RACDCERT ID(TCPIP) GENCERT SUBJECTSDN(CN('FTPXSRV31') OU('ACME') C('US')) "
        "ALTNAME(DOMAIN('FTPXSRV31.WAS.IBM.COM') IP(10.1.1.13)) SIZE(2048) "
        "SIGNWITH(CERTAUTH LABEL('ACME31 CACERT')) WITHLABEL('FTPXSRV31 CERT NEW')",
        "RACDCERT ID(TCPIP) CONNECT(ID(TCPIP) LABEL('FTPXSRV31 CERT NEW') RING(FTPXRing31) "
        "USAGE(PERSONAL) DEFAULT)",
        "  EnvironmentUserInstance 1", "F PAGENT,UPDATE"], "The CMS status 0335304B finding clears"),
    "client-cert-missing": ("ca-missing", (), MISSING, [USER_CERT], "client-certificate-missing", [
        "RACDCERT ID(USER301) CONNECT(ID(USER301) LABEL('USER301 FTP Client') RING(Client_RING) "
        "USAGE(PERSONAL) DEFAULT)", "F PAGENT,UPDATE"], "clears"),
    "client-cert-not-defined": ("ca-missing", (), UNDEFINED, [USER_CERT], "client-certificate-not-defined", [
        "RACDCERT ID(USER301) MAP SDNFILTER('CN=USER301.OU=FTP.C=US') "
        "IDNFILTER('CN=MVS3CA.LABS.IBM.COM.O=MVS3 CA.C=US') WITHLABEL('USER301 client') TRUST",
        "SETROPTS CLASSACT(DIGTNMAP) RACLIST(DIGTNMAP)"], "clears"),
    "ca-missing": ("ca-missing", (), [], [], "ca-not-trusted", [
        "RACDCERT ID(USER301) CONNECT(CERTAUTH LABEL('MVS3 LABS Certificate Authority') "
        "RING(Client_RING) USAGE(CERTAUTH))", "F PAGENT,UPDATE"], "clears"),
}


def _run(name, tmp_path):
    case, skip, repl, extra, *_ = CASES[name]
    return diagnose_paths(_copy(case, tmp_path, skip, repl, extra))


def _fix_lines(f) -> list[str]:
    out = []
    for c in f.commands:
        out += flat(c.text).split("\n") if c.kind != "policy" else c.text.split("\n")
    return out


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_cause_gets_the_exact_fix_and_the_model_proves_it(name, tmp_path):
    _, _, _, _, cause, lines, proof = CASES[name]
    s, fs = _run(name, tmp_path)
    f = next(x for x in fs if x.severity == "error")
    assert f.cause == cause, (name, [x.cause for x in fs])
    got = _fix_lines(f)
    pos = [got.index(ln) if ln in got else -1 for ln in lines]
    assert -1 not in pos, (name, lines[pos.index(-1)], got)
    assert pos == sorted(pos), (name, got)
    assert proof in f.proof, (name, f.proof)
    if proof == "clears" or "DEFAULT" in proof or "restarted" in proof or "clears" in proof:
        assert "finding clears (diagnosed again on the changed state: gone)" in f.proof, f.proof
        assert "does NOT clear" not in f.proof and "breaks" not in f.proof
    for c in f.commands + f.verify:
        if c.kind == "racf":
            check_racf(c.text)


def test_unknown_issuer_is_a_marked_placeholder_never_self_signed(tmp_path):
    _, fs = _run("expired-unknown-ca", tmp_path)
    f = next(x for x in fs if x.cause == "certificate-expired")
    gen = flat(next(c for c in f.commands if "GENCERT" in c.text).text)
    assert "SIGNWITH(CERTAUTH LABEL('<label of the issuing CA>'))" in gen
    assert "placeholder" in f.explanation and "not in the session" in f.explanation
    # the model cannot sign with a label it does not know: not proven, never "does NOT clear"
    assert "Not proven (the model cannot apply" in f.proof and "could not apply" in f.proof
    assert "does NOT clear" not in f.proof


def test_notafter_is_after_today_and_said_relative_to_today(tmp_path):
    _, fs = _run("expired", tmp_path)
    f = next(x for x in fs if x.cause == "certificate-expired")
    m = re.search(r"NOTAFTER\(DATE\((\d{4}-\d\d-\d\d)\)\)", "\n".join(_fix_lines(f)))
    assert m and date.fromisoformat(m.group(1)) > date.today()
    assert f"today, {date.today():%Y-%m-%d}," in f.explanation


def test_site_certificate_is_named_and_icsf_not_blamed(tmp_path):
    _, fs = _run("site-certificate", tmp_path)
    f = next(x for x in fs if x.cause == "private-key-unavailable")
    assert "SITE certificate" in f.explanation and "not ICSF" in f.explanation
    assert "ICSF started after" not in f.explanation


def test_no_policy_says_what_was_assumed_and_lowers_confidence(tmp_path):
    _, with_policy = diagnose_paths(files("error3-cert-not-on-ring"))
    (tmp_path / "x").mkdir()
    _, fs = _run("not-on-ring-no-policy", tmp_path / "x")
    f = next(x for x in fs if x.cause == "certificate-not-on-ring")
    g = next(x for x in with_policy if x.cause == "certificate-not-on-ring")
    assert f.assumptions and "FTPD/Server_RING" in f.assumptions[0]
    assert "Assumed:" in f.explanation and f.confidence < g.confidence
    assert not any(c.text == "F PAGENT,UPDATE" for c in f.commands)  # alone it would do nothing


@pytest.mark.parametrize("tmp", ["x"])
def test_ring_associations_name_the_ring_without_policy(tmp_path, tmp):
    from tlsworkbench.diagnose import infer
    from tlsworkbench.ingest.loader import load

    paths = _copy("error4-wrong-owner", tmp_path, NO_POLICY + ("sdsf", "listring"))
    s = load([str(p) for p in paths])
    ctx = Context(s)
    conn = next(c for c in s.connections if 428 in c.rcs)
    conn.user = "FTPD"  # the certificate's owner runs it: its Ring Associations name the ring
    assert infer.ring(ctx, conn) == ("FTPD", "Server_RING")
    assert "Ring Associations" in ctx.assumed[conn.id]


def test_refresh_is_conditional_unless_setropts_list_shows_the_class(tmp_path):
    _, fs = _run("wrong-owner-rdatalib-raclisted", tmp_path)
    f = next(x for x in fs if x.cause == "private-key-unavailable")
    assert not any("CLASSACT" in c.text for c in f.commands)
    _, fs = diagnose_paths(files("error2-not-authorized"))
    ref = next(c for c in fs[0].commands if c.text.startswith("SETROPTS RACLIST(FACILITY)"))
    assert "Needed only if FACILITY is RACLISTed" in ref.purpose


def test_started_change_is_made_to_the_profile_that_matched(tmp_path):
    from tlsworkbench.model import Command

    paths = _copy("error4-wrong-owner", tmp_path, extra=[
        (DATA / "fixes" / "started" / "MVS3.rlist-started.txt", "MVS3.rlist-started.txt", [])])
    s, fs = diagnose_paths(paths)
    f = next(x for x in fs if x.cause == "private-key-unavailable")
    steps = " ".join(f.next_steps)
    assert "RALTER STARTED FTPT*.* STDATA(USER(FTPD) GROUP(OMVSGRP))" in steps
    assert "RALTER STARTED FTPT1.*" not in steps  # never a profile built from the job name
    # the other way out, proven too: the task runs as the certificate's owner
    alt = [Command("RALTER STARTED FTPT*.* STDATA(USER(FTPD) GROUP(OMVSGRP))"),
           Command("SETROPTS RACLIST(STARTED) REFRESH"), Command("P FTPT1", "operator"),
           Command("S FTPT1", "operator")]
    ctx = Context(s)
    base = simulate.from_context(ctx)
    peers = {c.id: c.peer for c in s.connections if c.peer}
    before = simulate.outcome.with_peers(base, simulate.outcome.evaluate(base, stale_aware=False), peers)
    text = simulate.prove_one(s, base, before, peers, f, commands=alt)
    assert "finding clears" in text, text
    no_refresh = [alt[0], alt[2], alt[3]]
    assert "does NOT clear" in simulate.prove_one(s, base, before, peers, f, commands=no_refresh)


def test_untimed_console_side_still_joins_its_partner(tmp_path):
    s, fs = _run("wrong-owner-untimed-console", tmp_path)
    srv = next(c for c in s.connections if 428 in c.rcs)
    assert srv.first_time is None and srv.peer  # no time on this side, joined all the same
    f = next(x for x in fs if x.cause == "private-key-unavailable")
    assert srv.peer in f.connections


def test_environment_level_message_is_part_of_the_connections_it_blocks():
    s, fs = diagnose_paths(sorted((DATA / "fixes" / "env-level").iterdir()))
    errs = [f for f in fs if f.severity == "error"]
    assert len(errs) == 1 and errs[0].cause == "keyring-not-found"
    f = errs[0]
    assert len(f.connections) == 2 and "0.0.0.0:0" not in f.explanation
    assert "AT-TLS environment" in f.explanation and "blocked 1 connection" in f.explanation
    assert not any(x.cause == "environment-init-failed" for x in fs)


def test_a_wrong_fix_does_not_clear(tmp_path):
    """CONNECT to the wrong ring: the model shows the finding stays."""
    s, fs = diagnose_paths(files("error3-cert-not-on-ring"))
    f = next(x for x in fs if x.cause == "certificate-not-on-ring")
    wrong = [Command(c.text.replace("RING(Server_RING)", "RING(Other_RING)").replace(
        "ID(FTPD) CONNECT", "ID(FTPD) CONNECT"), c.kind) for c in f.commands]
    ctx = Context(s)
    base = simulate.from_context(ctx)
    peers = {c.id: c.peer for c in s.connections if c.peer}
    before = simulate.outcome.with_peers(base, simulate.outcome.evaluate(base, stale_aware=False), peers)
    text = simulate.prove_one(s, base, before, peers, f, commands=wrong)
    assert "could not apply" in text and "Other_RING does not exist" in text
    assert "does NOT clear" in text and "RC 6" in text


def test_pagent_update_alone_does_nothing_when_the_policy_did_not_change():
    s, fs = diagnose_paths(files("error3-cert-not-on-ring"))
    f = next(x for x in fs if x.cause == "certificate-not-on-ring")
    no_bump = [c for c in f.commands if c.kind != "policy"]
    ctx = Context(s)
    base = simulate.from_context(ctx)
    peers = {c.id: c.peer for c in s.connections if c.peer}
    before = simulate.outcome.with_peers(base, simulate.outcome.evaluate(base, stale_aware=False), peers)
    text = simulate.prove_one(s, base, before, peers, f, commands=no_bump)
    assert "the policy did not change, so AT-TLS keeps its environments" in text
    assert "does NOT clear" in text


def test_healthy_session_has_nothing_to_prove_and_the_model_agrees():
    s, fs = diagnose_paths(files("healthy"))
    assert not fs
    # syslogd lines carry no year (the reader takes this year): judge at the console's day
    st = simulate.from_context(Context(s), today=date(2014, 3, 12))
    got = simulate.outcome.evaluate(st, stale_aware=False)
    assert got and all(rc in (0, None) for rc in got.values())


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_generated_command_reads_back(name, tmp_path):
    """Each RACF command the tool writes parses; each one the model refuses says why."""
    _, fs = _run(name, tmp_path)
    for f in fs:
        for c in f.commands:
            if c.kind == "racf":
                verb, _, ops = parse.racf(c.text)
                assert verb in {"RACDCERT", "RDEFINE", "PERMIT", "SETROPTS", "RALTER", "RLIST", "SEARCH"}
            elif c.kind == "policy":
                kind, stmt, param, value = parse.policy(c.text)
                assert kind.startswith("TTLS") and stmt and param and value
        if f.proof and "could not apply" in f.proof:
            assert name == "expired-unknown-ca", f.proof


def test_parser_rejects_what_it_cannot_read():
    for bad in ["RACDCERT ID(FTPD) CONNECT(ID(TCPIP) LABEL('x) RING(R))",
                "RACDCERT ID(FTPD) LIST(LABEL('x')", "PERMIT"]:
        with pytest.raises(parse.ParseError):
            parse.racf(bad)
    with pytest.raises(parse.ParseError):
        parse.policy("# only a comment")
    st = simulate.State(today=date(2026, 1, 1))
    done, refused = simulate.apply_all(st, [Command("Change the key ring the application uses", "operator"),
                                            Command("RACDCERT ID(A) CONNECT(ID(A) LABEL('x') RING(R))")])
    assert not done and len(refused) == 2
    assert "operator step the model cannot carry out" in refused[0] and "does not exist" in refused[1]


def test_new_hostname_certificate_is_signed_like_the_old_one():
    from tlsworkbench.diagnose.hostname import _new_cert
    from tlsworkbench.model import CertInfo

    old = CertInfo(record="a1:1", source="racdcert", owner="TCPIP", label="Srv", subject="CN=old,O=X",
                   issuer="CN=Some CA,O=X", key_size=2048)
    # issuer not in the session: a marked placeholder, never silently self-signed
    (gen,) = _new_cert("TCPIP", "Srv NEW", {"CN": "h.x"}, {"DOMAIN": "h.x"}, old, None, None, "h.x")
    assert "SIGNWITH(CERTAUTH LABEL('<label of the issuing CA>'))" in flat(gen.text)
    assert "PLACEHOLDER" in gen.purpose
    # an external CA (RACF holds it without its key): placeholder, GENREQ, send, ADD
    ca = CertInfo(record="a1:2", source="racdcert", owner="CERTAUTH", label="Ext CA",
                  subject="CN=Some CA,O=X", private_key=False)
    cmds = _new_cert("TCPIP", "Srv NEW", {"CN": "h.x"}, {"DOMAIN": "h.x"}, old, ca, "Ext CA", "h.x")
    texts = [flat(c.text) for c in cmds]
    assert "SIGNWITH" not in texts[0] and "GENREQ(LABEL('Srv NEW'))" in texts[1]
    assert texts[2].startswith("Send TCPIP.CERTREQ to the CA") and "ADD('TCPIP.CERTNEW') TRUST" in texts[3]
    # a self-signed old certificate: self-signed, and said so
    me = CertInfo(record="a1:3", source="racdcert", owner="TCPIP", label="S", subject="CN=s", issuer="CN=s")
    (gen,) = _new_cert("TCPIP", "S NEW", {"CN": "h.x"}, {}, me, None, None, "h.x")
    assert "SIGNWITH" not in gen.text and "self-signed as the old one" in gen.purpose


def test_the_ca_fix_names_the_issuer_the_trace_shows():
    """RC 8 with only a GSKSRVR trace of the partner's certificate: the fix connects the
    CA with that issuer's name, not a guess."""
    from tlsworkbench.diagnose import trust
    from tlsworkbench.model import CertInfo, Connection, KeyRing, RingEntry, Session
    from tlsworkbench.model.trace import Handshake

    conn = Connection(id="c1", system="MVS1", job="USER301", user="USER301", rcs=[8],
                      keyring="USER301/Client_RING", handshakes=["h1"], role="client")
    ring = KeyRing(owner="USER301", name="Client_RING", record="a2:1", system="MVS1",
                   entries=[RingEntry(label="Old CA", owner="CERTAUTH", usage="CERTAUTH", default=False,
                                      record="a2:2")])
    certs = [CertInfo(record="a1:5", source="trace", subject="CN=srv.example", issuer="CN=Partner CA,O=P"),
             CertInfo(record="a3:1", source="racdcert", owner="CERTAUTH", label="Partner CA", system="MVS1",
                      subject="CN=Partner CA,O=P", status="TRUST"),
             CertInfo(record="a3:9", source="racdcert", owner="CERTAUTH", label="Old CA", system="MVS1",
                      subject="CN=Old CA,O=P", status="TRUST")]
    s = Session(connections=[conn], rings=[ring], certs=certs,
                handshakes=[Handshake(id="h1", system="MVS1", records=["a1:5"], connection="c1")])
    f = trust.rules(Context(s))[0]
    assert "CN=Partner CA" in f.explanation
    assert any("CONNECT(CERTAUTH LABEL('Partner CA') RING(Client_RING) USAGE(CERTAUTH))" in flat(c.text)
               for c in f.commands)


def _shared_ring_session():
    """FTPT1 (user TCPIP) fails with RC 428 on FTPD's ring; FTPX (user FTPD) uses the
    same ring and its own certificate, and works."""
    from tlsworkbench.model import CertInfo, Connection, KeyRing, RingEntry, Session

    ring = KeyRing(owner="FTPD", name="Server_RING", record="a1:1", system="MVS3", entries=[
        RingEntry(label="FTP Server", owner="ID(FTPD)", usage="PERSONAL", default=True, record="a1:2")])
    cert = CertInfo(record="a2:1", source="racdcert", owner="FTPD", label="FTP Server", system="MVS3",
                    subject="CN=ftp", issuer="CN=ftp", status="TRUST", private_key=True)
    conns = [Connection(id="c1", system="MVS3", job="FTPT1", user="TCPIP", rcs=[428], role="server",
                        keyring="FTPD/Server_RING"),
             Connection(id="c2", system="MVS3", job="FTPX", user="FTPD", rcs=[], role="server",
                        keyring="FTPD/Server_RING")]
    return Session(connections=conns, rings=[ring], certs=[cert])


def test_the_fix_keeps_what_worked_and_a_careless_one_is_caught():
    from tlsworkbench.diagnose import run

    s = _shared_ring_session()
    (f,) = [x for x in run(s) if x.cause == "private-key-unavailable"]
    cmds = [flat(c.text) for c in f.commands]
    # the RDATALIB profile replaces the FACILITY check for the ring: FTPD, which reads it
    # too, is permitted as well
    assert "PERMIT FTPD.SERVER_RING.LST CLASS(RDATALIB) ID(TCPIP) ACCESS(UPDATE)" in cmds
    assert "PERMIT FTPD.SERVER_RING.LST CLASS(RDATALIB) ID(FTPD) ACCESS(READ)" in cmds
    assert "finding clears" in f.proof and "connection that worked before still work" in f.proof
    careless = [c for c in f.commands if "ID(FTPD) ACCESS(READ)" not in flat(c.text)]
    ctx = Context(s)
    base = simulate.from_context(ctx)
    before = simulate.outcome.with_peers(base, simulate.outcome.evaluate(base, stale_aware=False), {})
    text = simulate.prove_one(s, base, before, {}, f, commands=careless)
    assert "It breaks c2, which worked before." in text


def test_a_fix_that_uncovers_the_next_fault_says_so(tmp_path):
    """mixed without the policy: the ring comes from the ICH408I's RDATALIB profile; once
    USER302 may read it, its connection meets the expired server certificate next."""
    s, fs = diagnose_paths(_copy("mixed", tmp_path, ("pagent",)))
    f = next(x for x in fs if x.cause == "keyring-not-authorized")
    assert any("ICH408I for USER302 names its RDATALIB profile USER302.Batch_RING.LST" in a
               for a in f.assumptions)
    assert "The RC 202 finding clears" in f.proof and "then meets the next fault, RC 401" in f.proof
    assert any(x.cause == "certificate-expired" for x in fs)



def test_an_expired_certificate_is_not_replaced_by_add_onto_its_own_label(tmp_path):
    """The external CA's answer added under the expired certificate's own label (the
    request written from the expired certificate): RACDCERT ADD does not replace an
    expired certificate, so the model refuses it and the finding stays; the re-keyed
    path the tool writes clears (row expired-external-ca)."""
    s, fs = _run("expired-external-ca", tmp_path)
    f = next(x for x in fs if x.cause == "certificate-expired")
    assert "re-keyed first (RACDCERT REKEY)" in f.explanation
    old_way = [Command("RACDCERT ID(TCPIP) GENREQ(LABEL('FTPServer31 EXP')) DSN('TCPIP.CERTREQ')"),
               next(c for c in f.commands if c.kind == "operator" and c.text.startswith("Send")),
               Command("RACDCERT ID(TCPIP) ADD('TCPIP.CERTNEW') TRUST WITHLABEL('FTPServer31 EXP')")]
    old_way += [c for c in f.commands if c.kind in ("policy",) or c.text == "F PAGENT,UPDATE"]
    ctx = Context(s)
    base = simulate.from_context(ctx)
    peers = {c.id: c.peer for c in s.connections if c.peer}
    before = simulate.outcome.with_peers(base, simulate.outcome.evaluate(base, stale_aware=False), peers)
    text = simulate.prove_one(s, base, before, peers, f, commands=old_way)
    assert "ADD does not replace an expired certificate" in text and "does NOT clear" in text, text
    # the answer to one request added under another label is refused as well
    wrong = [Command(c.text.replace("WITHLABEL('FTPServer31 EXP NEW')", "WITHLABEL('Other')"), c.kind)
             if "ADD(" in c.text else c for c in f.commands]
    text = simulate.prove_one(s, base, before, peers, f, commands=wrong)
    assert "answers the request for 'FTPServer31 EXP NEW'" in text
    # what is left is REKEY's self-signed copy: the client cannot have it on its ring
    assert "then meets the next fault, RC 8" in text, text
