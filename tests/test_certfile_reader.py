"""ingest/certfile.py: PEM, DER, PKCS#7, PKCS#12 and damaged files side by side."""

from __future__ import annotations

from pathlib import Path

import pytest

from tlsworkbench.ingest import certfile, registry
from tlsworkbench.ingest.loader import read_file
from tlsworkbench.model import CertInfo, Record, Session

CERTS = Path(__file__).parent / "data" / "certs"
FTP = "CN=FTP Server on MVS1-MVS7,OU=WSC,C=US"
ROOT = "CN=MVS1CA.LABS.IBM.COM,O=MVS1 CA,C=US"
INTER = "CN=MVS1 LABS Intermediate CA,O=MVS1 CA,C=US"
LEAF = "CN=zos1.endicott.ibm.com,OU=Endicott,C=US"


def load(name: str) -> Session:
    s = Session()
    read_file(s, CERTS / name)
    return s


@pytest.mark.parametrize("name", ["ftp_server.pem", "ftp_server.der", "ftp_server_bundle.pem", "ec_chain.p7b",
                                  "ec_chain_p7.pem", "ftp_server.p12"])
def test_detected_as_certificate(name):
    s = load(name)
    assert s.artifacts[0].kind == certfile.KIND == "certificate"


def test_python_file_with_marker_in_a_string_is_not_a_certificate():
    head = (CERTS / "make_certs.py").read_bytes()[:65536]
    assert certfile.sniff_bytes(head, "make_certs.py") == 0


def test_der_kind_sniffing():
    assert certfile.der_kind((CERTS / "ftp_server.der").read_bytes()) == "cert"
    assert certfile.der_kind((CERTS / "ec_chain.p7b").read_bytes()) == "pkcs7"
    assert certfile.der_kind((CERTS / "ftp_server.p12").read_bytes()) == "pkcs12"
    assert certfile.der_kind(b"hello world") is None


def test_single_pem_gives_record_and_certinfo():
    s = load("ftp_server.pem")
    (rec,) = [r for r in s.records if r.kind == "cert"]
    (c,) = s.certs
    assert c.record == rec.id == "a1:1" and c.source == "file"
    assert c.subject == FTP and rec.fields["subject"] == FTP and rec.fields["container"] == "pem"
    assert rec.end_line > rec.line


def test_pem_with_text_around_keeps_lines():
    s = load("ftp_server_bundle.pem")
    assert [c.subject for c in s.certs] == [FTP, ROOT]
    assert [c.record for c in s.certs] == ["a1:3", "a1:29"]
    art = s.artifacts[0]
    assert art.line(3) == "-----BEGIN CERTIFICATE-----"
    assert not s.unparsed


def test_der_file():
    s = load("ftp_server.der")
    assert [c.subject for c in s.certs] == [FTP] and s.certs[0].der


@pytest.mark.parametrize("name", ["ec_chain.p7b", "ec_chain_p7.pem"])
def test_pkcs7_order_restored(name):
    s = load(name)
    assert [c.subject for c in s.certs] == [LEAF, INTER, ROOT]
    assert len({c.record for c in s.certs}) == 3  # unique record ids


def test_pkcs12_without_password_keeps_no_key():
    s = load("ftp_server.p12")
    assert [c.subject for c in s.certs] == [FTP, ROOT]
    assert s.certs[0].private_key is True and s.certs[0].label == "FTP Server on MVS1-MVS7"
    assert s.certs[1].private_key is False
    for c in s.certs:
        assert b"PRIVATE" not in (c.der or b"")
    for r in s.records:
        assert "PRIVATE KEY" not in r.text


def test_pkcs12_password_from_environment(monkeypatch):
    monkeypatch.delenv(certfile.PASSWORD_ENV, raising=False)
    s = load("ftp_server_pw.p12")
    assert not s.certs and "TLSWB_P12_PASSWORD" in s.unparsed[0].reason
    monkeypatch.setenv(certfile.PASSWORD_ENV, "wrong")
    assert not load("ftp_server_pw.p12").certs
    monkeypatch.setenv(certfile.PASSWORD_ENV, "zos-secret")
    s = load("ftp_server_pw.p12")
    assert s.certs[0].subject == FTP and s.certs[0].private_key is True


@pytest.mark.parametrize("name, words", [
    ("truncated.der", "ShortData"),
    ("truncated.pem", "no END line"),
    ("garbage_b64.pem", "cannot be read"),
    ("truncated.p7b", "PKCS7"),
])
def test_damaged_files_become_unparsed(name, words):
    s = load(name)
    assert not s.certs
    assert s.unparsed and words in s.unparsed[0].reason


def test_private_key_block_is_skipped_unread():
    from tlsworkbench.model import Artifact

    pem = (CERTS / "ftp_server.pem").read_bytes()
    key = b"-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg==\n-----END PRIVATE KEY-----\n"
    art = Artifact(id="a1", path="mixed.pem")
    items = list(certfile.read_bytes(key + pem, art))
    certs = [i for i in items if isinstance(i, CertInfo)]
    skipped = [i for i in items if isinstance(i, Record) and i.fields.get("skipped")]
    assert len(certs) == 1 and certs[0].record == "a1:4"
    assert len(skipped) == 1 and "MIIEvQ" not in skipped[0].text


def test_reader_is_registered():
    assert registry.readers().get("certificate") is certfile


def test_junk_never_raises():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from tlsworkbench.model import Artifact, Unparsed

    good = (CERTS / "ftp_server.der").read_bytes()

    @settings(max_examples=150, deadline=None)
    @given(st.binary(max_size=400), st.integers(min_value=0, max_value=len(good)))
    def check(junk, cut):
        for data in (junk, good[:cut] + junk, b"-----BEGIN CERTIFICATE-----\n" + junk):
            items = list(certfile.read_bytes(data, Artifact(id="a1", path="x.der")))
            assert all(isinstance(i, (Record, Unparsed, CertInfo)) for i in items)
            assert items  # something visible for every input

    check()


def test_line_reader_entry_point():
    from tlsworkbench.model import Artifact

    lines = enumerate((CERTS / "ftp_server_bundle.pem").read_text().splitlines(), 1)
    items = list(certfile.read(lines, Artifact(id="a1", path="b.pem")))
    assert [i.record for i in items if isinstance(i, CertInfo)] == ["a1:3", "a1:29"]
