"""x509/checks.py: every check, nothing stops at the first problem."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from tlsworkbench.model import CertInfo
from tlsworkbench.x509.checks import Check, check_cert, validity_state
from tlsworkbench.x509.facts import facts_from_der

CERTS = Path(__file__).parent / "data" / "certs"
AT = datetime(2014, 3, 12, 13, 59, 2, tzinfo=timezone.utc)


def one(name: str) -> CertInfo:
    c = x509.load_pem_x509_certificate((CERTS / name).read_bytes())
    return facts_from_der(c.public_bytes(Encoding.DER), "a1:1", "file")


def by_id(checks: list[Check]) -> dict[str, Check]:
    return {c.id: c for c in checks}


def test_check_shape():
    for c in check_cert(one("ftp_server.pem"), at=AT):
        assert c.severity in ("E", "W", "I", "N") and c.id and c.message and c.citation


def test_validity_states():
    c = one("expired_ftpserver31.pem")  # 2008-10-07 .. 2011-10-07 23:59:59
    assert validity_state(c, AT) == "expired"
    assert validity_state(c, datetime(2008, 1, 1, tzinfo=timezone.utc)) == "not-yet-valid"
    assert validity_state(c, datetime(2010, 1, 1, tzinfo=timezone.utc)) == "valid"
    assert validity_state(c, c.not_after - timedelta(days=59)) == "expiring"
    assert validity_state(c, c.not_after - timedelta(days=61)) == "valid"
    assert validity_state(c, c.not_after - timedelta(days=10), warn_days=5) == "valid"
    assert validity_state(CertInfo(record="x", source="racdcert")) == "unknown"
    assert validity_state(c, datetime(2010, 1, 1)) == "valid"  # naive = UTC


def test_seed_error6_expired_at_incident_time():
    checks = by_id(check_cert(one("expired_ftpserver31.pem"), at=AT))
    assert checks["validity-expired"].severity == "E"
    assert "401" in checks["validity-expired"].citation
    ok = by_id(check_cert(one("expired_ftpserver31.pem"), at=datetime(2010, 6, 1, tzinfo=timezone.utc)))
    assert "validity-expired" not in ok and ok["validity-ok"].severity == "I"


def test_expiring_is_a_warning():
    c = one("ftp_server.pem")
    checks = by_id(check_cert(c, at=c.not_after - timedelta(days=30)))
    assert checks["validity-expiring"].severity == "W"


def test_seed_error5_many_problems_at_once():
    checks = by_id(check_cert(one("ftpxsrv31.pem"), at=AT, host="FTPXSRV31.WAS.IBM.COM",
                              pool=[one("mvs1_ca.pem")]))
    assert checks["host-mismatch"].severity == "E"
    assert checks["chain-issuer-missing"].severity == "E"  # signed by ACME31 CA, not on this ring
    assert checks["key-weak"].severity == "W"  # RSA-1024


def test_good_server_verified_against_ring():
    checks = by_id(check_cert(one("ftp_server.pem"), at=AT, host="a.wsc.ibm.com", pool=[one("mvs1_ca.pem")]))
    assert not [c for c in checks.values() if c.severity == "E"]
    assert "chain-ok" in checks and "host-ok" in checks
    assert checks["host-rfc6125"].severity == "W"  # the suffix entry means nothing to RFC 6125 clients


def test_without_pool_it_says_inspecting_is_not_verifying():
    checks = by_id(check_cert(one("ftp_server.pem"), at=AT))
    assert "not verifying" in checks["chain-not-verified"].message


def test_weak_signatures():
    assert by_id(check_cert(one("md5_server.pem"), at=AT))["signature-md5"].severity == "E"
    assert by_id(check_cert(one("sha1_server.pem"), at=AT))["signature-sha1"].severity == "W"
    assert "signature-sha1" not in by_id(check_cert(one("ftp_server.pem"), at=AT))


@pytest.mark.parametrize("ktype, size, sev", [("RSA", 512, "E"), ("RSA", 1024, "W"), ("RSA", 2048, None),
                                              ("EC", 192, "W"), ("EC", 256, None)])
def test_weak_keys(ktype, size, sev):
    c = CertInfo(record="a1:1", source="racdcert", key_type=ktype, key_size=size)
    got = by_id(check_cert(c, at=AT)).get("key-weak")
    assert (got.severity if got else None) == sev


def test_key_usage_for_role():
    n = one("no_san_server.pem")  # keyAgreement only, EKU clientAuth only, RSA
    checks = by_id(check_cert(n, at=AT, role="server"))
    assert checks["key-usage-role"].severity == "E" and checks["eku-role"].severity == "E"
    assert "san-missing" in checks and checks["san-missing"].severity == "N"
    assert "eku-role" not in by_id(check_cert(n, at=AT, role="client"))
    racf = CertInfo(record="a1:1", source="racdcert", key_type="RSA", key_usage=["DATAENCRYPT"])
    assert "key-usage-role" in by_id(check_cert(racf, at=AT, role="server"))
    racf_ok = dataclasses.replace(racf, key_usage=["HANDSHAKE"])
    assert "key-usage-role" not in by_id(check_cert(racf_ok, at=AT, role="server"))
    ca = CertInfo(record="a1:1", source="racdcert", key_usage=["HANDSHAKE"])
    assert "key-usage-role" in by_id(check_cert(ca, at=AT, role="ca"))


def test_racf_status_and_private_key():
    c = CertInfo(record="a1:1", source="racdcert", label="FTP Server on MVS1-MVS7", status="NOTRUST",
                 private_key=False, san=["IP:192.168.20.93"])
    checks = by_id(check_cert(c, at=AT, role="server"))
    assert checks["racf-notrust"].severity == "E"
    assert checks["no-private-key"].severity == "E"
    assert "no-private-key" not in by_id(check_cert(c, at=AT, role="ca"))
    assert "no-private-key" not in by_id(check_cert(dataclasses.replace(c, private_key=None), at=AT, role="server"))


def test_ca_without_basic_constraints():
    checks = by_id(check_cert(one("ca_no_bc.pem"), at=AT))
    assert checks["ca-no-basic-constraints"].severity == "W"
    assert "san-missing" not in checks
    assert "ca-no-basic-constraints" not in by_id(check_cert(one("mvs1_ca.pem"), at=AT))


def test_wildcard_only_warning():
    checks = by_id(check_cert(one("wildcard_server.pem"), at=AT, host="a.wsc.ibm.com"))
    assert checks["host-wildcard-only"].severity == "W"
    on = by_id(check_cert(one("wildcard_server.pem"), at=AT, host="a.wsc.ibm.com", wildcard=True))
    assert "host-ok" in on and "host-wildcard-only" not in on


def test_missing_issuer_is_a_warning_when_the_ring_connects_undetailed_labels():
    """Seed Error #3: LISTRING names 'MVS1 LABS Certificate Authority' but only the
    server certificate was listed in detail: the CA may well be there."""
    from datetime import datetime, timezone

    from tlsworkbench.model import CertInfo
    from tlsworkbench.x509.checks import check_cert, undetailed_labels
    from tlsworkbench.model import KeyRing, RingEntry

    srv = CertInfo(record="a1:1", source="racdcert", owner="FTPD", label="FTP Server on MVS1-MVS7",
                   subject="CN=FTP Server on MVS1-MVS7,OU=WSC,C=US",
                   issuer="CN=MVS1CA.LABS.IBM.COM,O=MVS1 CA,C=US", status="TRUST",
                   not_before=datetime(2012, 9, 8, tzinfo=timezone.utc),
                   not_after=datetime(2015, 12, 31, tzinfo=timezone.utc))
    ring = KeyRing("FTPD", "Server_RING", [RingEntry("MVS1 LABS Certificate Authority", "CERTAUTH",
                                                     "CERTAUTH", False, "a2:5")], "a2:3")
    at = datetime(2014, 3, 12, tzinfo=timezone.utc)
    blind = undetailed_labels([ring], [srv])
    assert blind == ["MVS1 LABS Certificate Authority"]
    soft = {k.id: k for k in check_cert(srv, at=at, pool=[srv], undetailed=blind)}
    hard = {k.id: k for k in check_cert(srv, at=at, pool=[srv])}
    assert hard["chain-issuer-missing"].severity == "E"
    assert soft["chain-issuer-missing"].severity == "W"
    assert "MVS1 LABS Certificate Authority" in soft["chain-issuer-missing"].message
