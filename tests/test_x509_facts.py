"""x509/facts.py: what facts_from_der reads from z/OS-style certificates."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from tlsworkbench.x509.facts import cert_facts_extra, facts_from_der, zos_dn

CERTS = Path(__file__).parent / "data" / "certs"


def der(name: str, index: int = 0) -> bytes:
    data = (CERTS / name).read_bytes()
    return x509.load_pem_x509_certificates(data)[index].public_bytes(Encoding.DER)


def test_ftp_server_facts():
    c = facts_from_der(der("ftp_server.pem"), "a1:1", "file")
    assert c.record == "a1:1" and c.source == "file"
    assert c.subject == "CN=FTP Server on MVS1-MVS7,OU=WSC,C=US"
    assert c.issuer == "CN=MVS1CA.LABS.IBM.COM,O=MVS1 CA,C=US"
    assert c.serial == "74"
    assert c.not_before == datetime(2012, 9, 8, tzinfo=timezone.utc)
    assert c.not_after == datetime(2015, 12, 31, 23, 59, 59, tzinfo=timezone.utc)
    assert c.not_after.tzinfo is not None
    assert (c.key_type, c.key_size) == ("RSA", 2048)
    assert c.signature_algorithm == "sha256WithRSAEncryption"
    assert c.san == ["DNS:mvs3.wsc.ibm.com", "DNS:.wsc.ibm.com", "IP:192.168.20.93", "email:FTP@ZOS1.WSC.IBM.COM"]
    assert c.key_usage == ["digitalSignature", "keyEncipherment"]
    assert c.eku == ["serverAuth", "clientAuth"]
    assert c.is_ca is False and c.basic_constraints is True
    assert len(c.sha256) == 64 and c.sha256 == c.sha256.lower() and ":" not in c.sha256
    assert len(c.sha1) == 40
    assert c.der == der("ftp_server.pem")
    assert c.aki and c.ski and c.aki != c.ski


def test_ca_and_intermediate_facts():
    ca = facts_from_der(der("mvs1_ca.pem"), "a1:1", "file")
    assert ca.is_ca is True and ca.key_usage == ["keyCertSign", "cRLSign"]
    assert ca.aki == ca.ski  # self-signed
    inter = facts_from_der(der("ec_intermediate.pem"), "a1:1", "file")
    assert (inter.key_type, inter.key_size, inter.path_len) == ("EC", 384, 0)
    leaf = facts_from_der(der("ec_server.pem"), "a1:1", "file")
    assert leaf.signature_algorithm == "ecdsa-with-SHA384" and leaf.aki == inter.ski
    assert cert_facts_extra(leaf.der)["curve"] == "secp256r1"


@pytest.mark.parametrize("name, alg", [("sha1_server.pem", "sha1WithRSAEncryption"),
                                       ("md5_server.pem", "md5WithRSAEncryption")])
def test_legacy_signatures_are_named(name, alg):
    assert facts_from_der(der(name), "a1:1", "file").signature_algorithm == alg


def test_missing_basic_constraints_is_recorded():
    c = facts_from_der(der("ca_no_bc.pem"), "a1:1", "file")
    assert c.basic_constraints is False and c.is_ca is False


def test_bad_der_raises_value_error():
    with pytest.raises(ValueError):
        facts_from_der((CERTS / "truncated.der").read_bytes(), "a1:1", "file")


def test_zos_form_of_subject():
    assert zos_dn("CN=FTP Server on MVS1-MVS7,OU=WSC,C=US") == ">CN=FTP Server on MVS1-MVS7.OU=WSC.C=US<"
    assert zos_dn(None) is None


def test_extra_facts():
    extra = cert_facts_extra(der("ftp_server.pem"))
    assert extra["version"] == 3
    assert "2.5.29.17" in {e["oid"] for e in extra["extensions"]}
    assert extra["cn_utf8"] is True
