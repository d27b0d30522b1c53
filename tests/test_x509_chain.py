"""x509/chain.py: path building through a pool, every problem reported."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timezone
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from tlsworkbench.model import CertInfo
from tlsworkbench.x509.chain import build_chain, check_signature, norm_dn
from tlsworkbench.x509.facts import facts_from_der

CERTS = Path(__file__).parent / "data" / "certs"
AT = datetime(2014, 3, 12, 13, 59, 2, tzinfo=timezone.utc)


def infos(name: str) -> list[CertInfo]:
    certs = x509.load_pem_x509_certificates((CERTS / name).read_bytes())
    return [facts_from_der(c.public_bytes(Encoding.DER), f"a1:{i + 1}", "file") for i, c in enumerate(certs)]


def one(name: str) -> CertInfo:
    return infos(name)[0]


def ids(res) -> list[str]:
    return [p.id for p in res.problems]


def test_good_chain_with_intermediate():
    leaf, inter, root = infos("ec_chain.pem")
    res = build_chain(leaf, [root, inter], AT, "zos1.endicott.ibm.com")
    assert res.ok and res.complete and res.signatures_checked
    assert [c.subject for c in res.path] == [leaf.subject, inter.subject, root.subject]
    assert [link.signature for link in res.links] == ["ok", "ok", "ok"]
    assert "accepted, 3-certificate chain" in res.webpki


def test_missing_intermediate_is_reported():
    leaf, _inter, root = infos("ec_chain.pem")
    res = build_chain(leaf, [root], AT)
    assert not res.ok and ids(res) == ["issuer-missing"]
    assert "MVS1 LABS Intermediate CA" in res.problems[0].message
    assert "rejected" in res.webpki


def test_sha1_and_md5_signatures_checked_by_hand():
    root = one("mvs1_ca.pem")
    for name in ("sha1_server.pem", "md5_server.pem"):
        res = build_chain(one(name), [root], AT)
        assert res.complete and res.links[0].signature == "ok-legacy", name
        assert "rejected" in res.webpki


def test_wrong_key_with_same_name_is_a_bad_signature():
    leaf = one("ftp_server.pem")
    impostor = dataclasses.replace(one("acme31_ca.pem"), subject=leaf.issuer)  # same name, other key
    assert check_signature(leaf, impostor)[0] == "bad"


def test_notrust_ca_counts_as_missing():
    leaf = one("ftp_server.pem")
    ca = dataclasses.replace(one("mvs1_ca.pem"), status="NOTRUST")
    res = build_chain(leaf, [ca], AT)
    assert ids(res) == ["issuer-notrust"]
    assert "NOTRUST" in res.problems[0].message and not res.complete


def test_expired_ca_and_not_a_ca_reported_together():
    leaf = one("ftp_server.pem")
    ca = dataclasses.replace(one("mvs1_ca.pem"), is_ca=False,
                             not_after=datetime(2013, 1, 1, tzinfo=timezone.utc))
    res = build_chain(leaf, [ca], AT)
    assert {"issuer-not-ca", "issuer-expired"} <= set(ids(res))


def test_ca_without_basic_constraints_is_a_warning():
    old = one("ca_no_bc.pem")
    leaf = CertInfo(record="a9:1", source="racdcert", subject="CN=leaf", issuer=old.subject)
    res = build_chain(leaf, [old], AT)
    assert "issuer-no-basic-constraints" in ids(res)
    assert not res.signatures_checked


def test_racdcert_only_matches_by_name():
    leaf = CertInfo(record="a2:3", source="racdcert", label="FTP Server on MVS1-MVS7",
                    subject="CN=FTP Server on MVS1-MVS7,OU=WSC,C=US",
                    issuer="CN=MVS1CA.LABS.IBM.COM,O=MVS1 CA,C=US")
    ca = CertInfo(record="a3:9", source="racdcert", label="MVS1 LABS Certificate Authority",
                  subject="CN=MVS1CA.LABS.IBM.COM,O=MVS1 CA,C=US", issuer="CN=MVS1CA.LABS.IBM.COM,O=MVS1 CA,C=US",
                  status="TRUST", key_usage=["CERTSIGN"])
    res = build_chain(leaf, [ca], AT)
    assert res.complete and not res.signatures_checked
    assert "signatures-unchecked" in ids(res)
    assert "signatures were not checked" in res.summary()
    assert "not possible" in res.webpki


def test_dn_spellings_compare_equal():
    assert norm_dn("CN=MVS1CA.LABS.IBM.COM, O=MVS1 CA, C=US") == norm_dn("CN=mvs1ca.labs.ibm.com,O=MVS1 CA,C=US")


def test_path_length_violation():
    leaf, inter, root = infos("ec_chain.pem")
    sub = dataclasses.replace(inter)  # pretend a second CA sits under the pathlen-0 intermediate
    mid = CertInfo(record="a5:1", source="racdcert", subject="CN=Sub CA", issuer=inter.subject, is_ca=True)
    leaf2 = CertInfo(record="a5:2", source="racdcert", subject="CN=leaf", issuer="CN=Sub CA")
    res = build_chain(leaf2, [mid, sub, root], AT)
    assert "path-length" in ids(res)
