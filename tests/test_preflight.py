"""Preflight from rings, certificates and policy alone."""

from __future__ import annotations

import re

import importlib.util
from datetime import datetime, timezone

from diagnose_helpers import SCEN, files

from tlsworkbench.diagnose.preflight import run
from tlsworkbench.ingest.loader import load

_spec = importlib.util.spec_from_file_location("scen_make", SCEN / "_make.py")
make = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make)


def at(y, m, d):
    return datetime(y, m, d, tzinfo=timezone.utc)


def checks(paths, **kw):
    return run(load([str(p) for p in paths]), **kw)


def by_id(cs, cid):
    return [c for c in cs if c.id == cid]


def test_expiring_certificate_names_ring_rule_job_and_port():
    cs = checks(files("healthy", only="MVS3"), at=at(2015, 12, 1))
    (c,) = by_id(cs, "cert-expiring")
    assert c.severity == "warning"
    assert "ring:FTPD/Server_RING" in c.objects and "rule:FTPTat192.168.20.9n~1" in c.objects
    assert "port 21" in c.detail and "FTPT*" in c.detail and "2015/12/31" in c.detail and "30 days" in c.detail
    assert any("GENREQ(LABEL('FTP Server on MVS1-MVS7'))" in x for x in c.commands)
    assert any("SIGNWITH" not in x or "MVS1" in x for x in c.commands)


def test_days_window_and_expired():
    assert not by_id(checks(files("healthy", only="MVS3"), at=at(2015, 12, 1), days=10), "cert-expiring")
    (c,) = by_id(checks(files("healthy", only="MVS3"), at=at(2016, 2, 1)), "cert-expired")
    assert c.severity == "error" and "expired on 2015/12/31" in c.detail


def test_healthy_pair_has_nothing_to_report_at_its_time():
    assert checks(files("healthy"), at=at(2014, 3, 12)) == []


def test_server_ring_without_default_certificate():
    cs = checks(files("error3-cert-not-on-ring", only="MVS3"), at=at(2014, 3, 12))
    (c,) = by_id(cs, "ring-no-default")
    assert c.severity == "error" and "FTPD/Server_RING" in c.detail and "RC 6" in c.detail


def test_notrust_ca_on_ring(tmp_path):
    ring = make.client_ring([("MVS1 LABS Certificate Authority", "CERTAUTH", "CERTAUTH", "NO")])
    lst = make.cert_list("CERTAUTH", [dict(make.CA1, status="NOTRUST")], "RACDCERT CERTAUTH LIST")
    (tmp_path / "MVS1.racdcert-listring.txt").write_text(ring)
    (tmp_path / "MVS1.racdcert-list.txt").write_text(lst)
    (c,) = by_id(checks([tmp_path], at=at(2014, 3, 12)), "ca-notrust")
    assert c.commands == ["RACDCERT CERTAUTH ALTER(LABEL('MVS1 LABS Certificate Authority')) TRUST"]


def test_chain_that_does_not_reach_a_root(tmp_path):
    ring = make.listring("FTPD", {"Bare_RING": [("FTP Server on MVS1-MVS7", "ID(FTPD)", "PERSONAL", "YES")]})
    (tmp_path / "ring.txt").write_text(ring)
    (tmp_path / "list.txt").write_text(make.cert_list("user FTPD", [dict(make.SRV)]))
    (tmp_path / "ca.txt").write_text(make.cert_list("CERTAUTH", [dict(make.CA1)]))
    (c,) = by_id(checks([tmp_path], at=at(2014, 3, 12)), "chain-incomplete")
    assert "MVS1CA.LABS.IBM.COM" in c.detail
    assert c.commands == ["RACDCERT ID(FTPD) CONNECT(CERTAUTH -\n"
                          "  LABEL('MVS1 LABS Certificate Authority') RING(Bare_RING) -\n"
                          "  USAGE(CERTAUTH))"]


def test_weak_key_and_sha1():
    cs = checks(files("error6-expired", only="MVS3.racdcert-list"), at=at(2010, 1, 1))
    assert by_id(cs, "weak-key") and by_id(cs, "weak-signature")
    assert not by_id(cs, "cert-expired")


def test_policy_pointing_at_a_missing_ring():
    (c,) = by_id(checks(files("error1-keyring-not-found", only="MVS3"), at=at(2014, 3, 12)),
                 "policy-ring-missing")
    assert c.severity == "error" and "FTPD/Server_RING exists" in c.detail
    assert "Keyring FTPD/Server_RING" in c.commands[0] and "line" in c.commands[0]
    assert c.commands[-1] == "F PAGENT,UPDATE"


def test_json_shape():
    cs = checks(files("mixed"), at=at(2014, 3, 12))
    for c in cs:
        d = c.as_dict()
        assert set(d) == {"id", "severity", "title", "detail", "objects", "commands"}
        assert all(isinstance(x, str) for x in d["commands"] + d["objects"])


def test_renewal_is_signed_by_the_issuer_and_dated_from_the_session():
    """The renewal keeps the chain (SIGNWITH the issuing CA, as diagnose does) and its
    NOTAFTER comes from the certificate's own dates, so it does not change with today."""
    one = checks(files("healthy"), at=at(2015, 12, 1))
    two = checks(files("healthy"), at=at(2015, 12, 20))
    (c,) = by_id(one, "cert-expiring")
    gencert = next(x for x in c.commands if "GENCERT(" in x)
    assert "SIGNWITH(CERTAUTH" in gencert and "LABEL('MVS1 LABS Certificate Authority')" in gencert
    # old NotAfter 2015-12-31 plus the original validity (2012-09-08 .. 2015-12-31)
    assert "NOTAFTER(DATE(2019-04-24))" in gencert
    assert by_id(two, "cert-expiring")[0].commands == c.commands


def test_renewal_commands_are_the_same_in_diagnose_and_preflight():
    from diagnose_helpers import all_commands, diagnose_case

    _, fs = diagnose_case("error6-expired")
    f = next(x for x in fs if x.cause == "certificate-expired")
    dcmds = all_commands([f])
    pcs = checks(files("error6-expired"), at=at(2014, 3, 12))
    (p,) = by_id(pcs, "cert-expired")
    gen = next(x for x in p.commands if "GENCERT(" in x)

    def operands(text):
        line = next(c for c in text.split("RACDCERT ") if c.startswith("ID(TCPIP) GENCERT("))
        return [t for t in line.replace(" -\n", " ").split() if not t.startswith("NOTAFTER")]

    assert operands(gen) == operands(dcmds)
    assert "LABEL('MVS1" in " ".join(operands(gen))
    # NOTAFTER is never in the past: diagnose starts the new period today (the failure
    # was in 2014), preflight at its own "today" (the check time, 2014-03-12), each plus
    # the original validity of 1095 days (2011-10-08 .. 2014-10-07... as RACDCERT shows)
    from datetime import date, timedelta

    m = re.search(r"NOTAFTER\(DATE\((\d{4}-\d\d-\d\d)\)\)", dcmds.replace(" -\n  ", " "))
    assert m and date.fromisoformat(m.group(1)) > date.today()
    assert "today, " in f.explanation and m.group(1) in f.explanation
    assert "NOTAFTER(DATE(2014-10-07))" not in gen and "NOTAFTER(DATE(" in gen.replace(" -\n  ", " ")
    pm = re.search(r"NOTAFTER\(DATE\((\d{4}-\d\d-\d\d)\)\)", gen.replace(" -\n  ", " "))
    assert date.fromisoformat(pm.group(1)) > date(2014, 3, 12) + timedelta(days=300)


def test_owner_mismatch_is_found_before_it_fails():
    cs = checks(files("error4-wrong-owner"), at=at(2014, 3, 1))
    (c,) = by_id(cs, "cert-owner-mismatch")
    assert c.severity == "error"
    assert "owned by FTPD" in c.detail and "runs as TCPIP" in c.detail and "RC 428" in c.detail
    assert "SDSF DA shows FTPT1" in c.detail
    assert any("CONNECT(ID(TCPIP) LABEL('FTP Server on MVS1-MVS7')" in x for x in c.commands)
    assert any("RACDCERT ID(TCPIP) GENCERT" in x and "SIGNWITH(CERTAUTH" in x for x in c.commands)
    # the healthy ring's certificate belongs to the user the job runs as: nothing to say
    assert not by_id(checks(files("healthy"), at=at(2014, 3, 1)), "cert-owner-mismatch")


def test_policy_ring_fix_from_pasearch_alone_is_nested_and_names_the_file():
    cs = checks(files("error1-keyring-not-found", skip=("MVS3.pagent-ttls",)), at=at(2014, 3, 1))
    (c,) = by_id(cs, "policy-ring-missing")
    assert c.detail.startswith("The TTLSKeyringParms inside eAct1~FTPTat192.168.20.9n names Keyring")
    text = "\n".join(c.commands)
    assert "/TTLSKeyringParms" not in text and "TTLSConfig" in text
    assert "TTLSEnvironmentAction eAct1~FTPTat192.168.20.9n\n{\n  TTLSKeyringParms\n  {" in text
