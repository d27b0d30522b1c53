"""x509/hostname.py: System SSL rules and RFC 6125, case by case."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from tlsworkbench.model import CertInfo
from tlsworkbench.x509.facts import facts_from_der
from tlsworkbench.x509.hostname import check_host, rfc6125_match, system_ssl_match

CERTS = Path(__file__).parent / "data" / "certs"


def info(name: str) -> CertInfo:
    c = x509.load_pem_x509_certificate((CERTS / name).read_bytes())
    return facts_from_der(c.public_bytes(Encoding.DER), "a1:1", "file")


@pytest.fixture(scope="module")
def ftp():
    return info("ftp_server.pem")  # DNS:mvs3.wsc.ibm.com, DNS:.wsc.ibm.com, IP:192.168.20.93


@pytest.mark.parametrize("host, sys_ok, rfc_ok", [
    ("mvs3.wsc.ibm.com", True, True),        # full name
    ("mvs3.wsc.ibm.com.", True, True),       # trailing dot ignored
    ("a.wsc.ibm.com", True, False),          # suffix entry: System SSL only
    ("x.y.wsc.ibm.com", True, False),        # suffix covers any depth
    ("wsc.ibm.com", False, False),           # the bare suffix does not match
    ("evilwsc.ibm.com", False, False),       # label boundary
    ("192.168.20.93", True, True),           # IP SAN
    ("192.168.20.94", False, False),
    ("mvs4.wsc.ibm.org", False, False),
])
def test_ftp_server_hosts(ftp, host, sys_ok, rfc_ok):
    s, r = check_host(ftp, host)
    assert s.matched is sys_ok, s.sentence
    assert r.matched is rfc_ok, r.sentence
    assert s.rule == "system-ssl" and r.rule == "rfc6125"


def test_suffix_verdict_names_rule_and_tries(ftp):
    v = system_ssl_match(ftp, "a.wsc.ibm.com")
    assert v.matched_by == "DNS:.wsc.ibm.com"
    assert "domain suffix" in v.sentence
    assert "DNS:mvs3.wsc.ibm.com" in v.tried and "CN=FTP Server on MVS1-MVS7" in v.tried


def test_san_case_is_ignored_but_flagged(ftp):
    v = system_ssl_match(ftp, "MVS3.WSC.IBM.COM")
    assert v.matched and v.case_only
    assert not system_ssl_match(ftp, "mvs3.wsc.ibm.com").case_only


def test_seed_error5_wrong_host():
    x = info("ftpxsrv31.pem")  # CN=FTPXSRV31, IP 10.1.1.13, DNS ACME.LABS.IBM.COM
    s, r = check_host(x, "FTPXSRV31.WAS.IBM.COM")
    assert not s.matched and not r.matched
    assert "FTPXSRV31.WAS.IBM.COM" in s.sentence and "CN=FTPXSRV31" in s.tried
    assert system_ssl_match(x, "10.1.1.13").matched
    assert system_ssl_match(x, "ACME.LABS.IBM.COM").matched


def test_cn_is_tried_by_system_ssl_but_not_by_rfc6125_when_dns_san_exists():
    x = info("ftpxsrv31.pem")
    s, r = check_host(x, "FTPXSRV31")
    assert s.matched and s.matched_by == "CN=FTPXSRV31"
    assert "subject alternative name" in s.sentence
    assert not r.matched


def test_utf8_cn_is_case_sensitive():
    x = info("ftpxsrv31.pem")  # cryptography writes the CN as UTF8String
    v = system_ssl_match(x, "ftpxsrv31")
    assert not v.matched and "case" in v.sentence


def test_cn_fallback_without_san():
    n = info("no_san_server.pem")  # CN=ftp.wsc.ibm.com, no SAN
    s, r = check_host(n, "ftp.wsc.ibm.com")
    assert s.matched and r.matched
    assert "CN=ftp.wsc.ibm.com" in r.tried
    assert not rfc6125_match(n, "other.wsc.ibm.com").matched


def test_wildcard_is_opt_in():
    w = info("wildcard_server.pem")  # DNS:*.wsc.ibm.com
    off = system_ssl_match(w, "a.wsc.ibm.com", wildcard=False)
    assert not off.matched and off.wildcard_only
    assert "wildcard validation" in off.sentence
    on = system_ssl_match(w, "a.wsc.ibm.com", wildcard=True)
    assert on.matched and not on.wildcard_only
    assert rfc6125_match(w, "a.wsc.ibm.com").matched
    # one label only, and never the bare domain
    assert not system_ssl_match(w, "a.b.wsc.ibm.com", wildcard=True).matched
    assert not system_ssl_match(w, "wsc.ibm.com", wildcard=True).matched
    assert not system_ssl_match(w, "a.b.wsc.ibm.com", wildcard=False).wildcard_only


def test_racdcert_facts_without_der():
    c = CertInfo(record="a2:3", source="racdcert", subject="CN=FTP Server on MVS1-MVS7,OU=WSC,C=US",
                 san=["IP:192.168.20.93", "email:FTP@ZOS1.WSC.IBM.COM", "domain:.WSC.IBM.COM"])
    assert system_ssl_match(c, "ZOS1.WSC.IBM.COM").matched
    assert not system_ssl_match(c, "WSC.IBM.COM").matched
    assert system_ssl_match(c, "192.168.20.93").matched
    assert not rfc6125_match(c, "ZOS1.WSC.IBM.COM").matched
    assert rfc6125_match(c, "192.168.20.93").matched
    full = CertInfo(record="a2:3", source="racdcert", subject="CN=x", san=["domain:WSC.IBM.COM"])
    assert system_ssl_match(full, "WSC.IBM.COM").matched
    assert not system_ssl_match(full, "a.WSC.IBM.COM").matched


def test_no_names_at_all():
    c = CertInfo(record="a2:3", source="racdcert")
    s, r = check_host(c, "mvs3.wsc.ibm.com")
    assert not s.matched and not r.matched
    assert "no host names" in s.sentence
