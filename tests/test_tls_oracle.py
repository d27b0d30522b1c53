"""Real OpenSSL handshakes (Python ssl over MemoryBIO), rendered as GSKSRVR
traces by tlshelpers, read back by the trace reader and compared with
independent dissectors over the same bytes: tlslite-ng always, tshark when it
is installed."""

import json
import shutil
import ssl
import subprocess

import pytest
from tlslite.constants import CertificateType
from tlslite.messages import (Certificate, CertificateRequest, CertificateVerify, ClientHello,
                              ClientKeyExchange, ServerHello, ServerKeyExchange)
from tlslite.utils.codec import Parser

import tlshelpers
from tlsworkbench.ingest import gsktrace
from tlsworkbench.model import Artifact, Session
from tlsworkbench.tls.names import extension_name, group_name, signature_scheme_name, suite_name

V = ssl.TLSVersion
CASES = {
    # name: (pki, version, ciphers, mutual, wide layout)
    "tls10-rsa": ("rsa", V.TLSv1, "AES128-SHA:@SECLEVEL=0", False, True),
    "tls11-rsa": ("rsa", V.TLSv1_1, "AES128-SHA:@SECLEVEL=0", False, False),
    "tls12-rsa-mutual": ("rsa", V.TLSv1_2, "AES256-SHA256:@SECLEVEL=0", True, True),
    "tls12-ecdhe-rsa": ("rsa", V.TLSv1_2, "ECDHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0", False, False),
    "tls12-ecdhe-ecdsa-mutual": ("ec", V.TLSv1_2, "ECDHE-ECDSA-AES128-GCM-SHA256", True, True),
    "tls13": ("ec", V.TLSv1_3, None, False, True),
}


@pytest.fixture(scope="module")
def pkis(tmp_path_factory):
    base = tmp_path_factory.mktemp("pki")
    return {"rsa": tlshelpers.make_pki(base / "rsa", rsa_server=True),
            "ec": tlshelpers.make_pki(base / "ec")}


@pytest.fixture(scope="module")
def runs(pkis):
    """name -> (plaintext handshake messages, session read from the rendered trace)."""
    out = {}
    for name, (pki, version, ciphers, mutual, wide) in CASES.items():
        msgs = tlshelpers.handshake_messages(
            tlshelpers.handshake(pkis[pki], version, ciphers, mutual))
        text = tlshelpers.render_server_trace(msgs, wide=wide)
        out[name] = (msgs, _read(text))
    return out


def _read(text: str) -> Session:
    s = Session()
    for item in gsktrace.read(enumerate(text.splitlines(), 1), Artifact(id="a1", path="t")):
        s.add(item)
    return s


def _tl_version(msgs) -> tuple:
    sh = ServerHello().parse(Parser(bytearray(msgs[1][1][1:])))
    return tuple(sh.server_version)


@pytest.mark.parametrize("name", list(CASES))
def test_trace_of_real_handshake_matches_tlslite(runs, pkis, name):
    msgs, session = runs[name]
    assert not session.unparsed
    (hs,) = session.handshakes
    assert hs.rc == 0 and hs.role == "server" and str(hs.peer) == "192.168.20.91:1034"
    ours = hs.messages
    assert [m.handshake_type for m in ours] == [m[0] for _, m in msgs]
    assert [m.direction for m in ours] == ["in" if d == "c2s" else "out" for d, _ in msgs]
    assert all(m.complete and m.has_bytes for m in ours), [m.problem for m in ours]
    version = _tl_version(msgs)
    suite = None
    for (direction, raw), mine in zip(msgs, ours):
        p = Parser(bytearray(raw[1:]))
        if raw[0] == 1:
            ch = ClientHello().parse(p)
            assert mine.cipher_suites == [suite_name(c) for c in ch.cipher_suites]
            assert mine.extensions == [extension_name(e.extType) for e in ch.extensions or []]
            sni = ch.getExtension(0)
            assert mine.server_name == sni.hostNames[0].decode()
        elif raw[0] == 2:
            sh = ServerHello().parse(p)
            suite = sh.cipher_suite
            assert mine.cipher_suite == suite_name(sh.cipher_suite)
            assert mine.extensions == [extension_name(e.extType) for e in sh.extensions or []]
            expected = {(3, 1): "TLSv1.0", (3, 2): "TLSv1.1", (3, 3): "TLSv1.2", (3, 4): "TLSv1.3"}
            sv = sh.getExtension(43)
            assert mine.version == expected[tuple(sv.version) if sv else tuple(sh.server_version)]
            assert hs.version == mine.version and hs.cipher_suite == mine.cipher_suite
        elif raw[0] == 11:
            cert = Certificate(CertificateType.x509, version).parse(p)
            ders = [bytes(x.bytes) for x in cert.cert_chain.x509List]
            assert mine.ders == ders
            assert len(mine.certificates) == len(ders) == 2
            assert all(c["sha256"] and not c["partial"] for c in mine.certificates)
        elif raw[0] == 12:
            ske = ServerKeyExchange(suite, version).parse(p)
            assert mine.fields["group"] == group_name(ske.named_curve)
            if version >= (3, 3):
                code = (ske.hashAlg << 8) | ske.signAlg
                assert mine.fields["signature_scheme"] == signature_scheme_name(code)
        elif raw[0] == 13:
            cr = CertificateRequest(version).parse(p)
            assert mine.fields["certificate_types"] == list(cr.certificate_types)
            if version >= (3, 3):
                assert mine.fields["signature_algorithms"] == [
                    signature_scheme_name((h << 8) | s) for h, s in cr.supported_signature_algs]
        elif raw[0] == 16:
            cke = ClientKeyExchange(suite, version).parse(p)
            if cke.ecdh_Yc:
                assert mine.fields["public_key_length"] == len(cke.ecdh_Yc)
            else:
                assert mine.fields["encrypted_length"] == len(cke.encryptedPreMasterSecret)
        elif raw[0] == 15:
            cv = CertificateVerify(version).parse(p)
            assert mine.fields["signature_length"] == len(cv.signature)


def test_certificates_become_certinfos(runs, pkis):
    _, session = runs["tls12-ecdhe-ecdsa-mutual"]
    subjects = sorted({c.subject for c in session.certs})
    assert subjects == ["CN=MVS1CA.LABS.IBM.COM,O=MVS1 CA,C=US", "CN=USER301,O=MVS1 CA,C=US",
                        "CN=zos1.endicott.ibm.com,O=MVS1 CA,C=US"]
    assert all(c.source == "trace" and c.record.startswith("a1:") for c in session.certs)
    server = next(c for c in session.certs if "zos1" in c.subject)
    assert server.der == pkis["ec"].server_der and server.serial == "1234"


def test_tls13_client_hello_offers_13(runs):
    _, session = runs["tls13"]
    ch = session.handshakes[0].messages[0]
    assert ch.version == "TLSv1.3" and ch.fields["version"] == 0x0303
    assert "supported_versions" in ch.extensions and "key_share" in ch.extensions


def test_truncated_dumps_give_partial_messages(pkis):
    msgs = tlshelpers.handshake_messages(
        tlshelpers.handshake(pkis["rsa"], V.TLSv1_2, "AES256-SHA256:@SECLEVEL=0"))
    text = tlshelpers.render_server_trace(msgs, truncate={0: 60, 2: 300})
    (hs,) = _read(text).handshakes
    ch, cert = hs.messages[0], hs.messages[2]
    assert ch.type == "ClientHello" and not ch.complete and ch.stopped_at < 60
    # everything before the cut is there; the cut field is named
    assert ch.cipher_suites == ["TLS_RSA_WITH_AES_256_CBC_SHA256", "TLS_EMPTY_RENEGOTIATION_INFO_SCSV"]
    assert "server_name" in ch.problem
    assert cert.type == "Certificate" and not cert.complete
    (partial,) = cert.certificates
    assert partial["partial"] and partial["serial"] == "1234"
    assert partial["subject"] == "CN=zos1.endicott.ibm.com,O=MVS1 CA,C=US"


def _tshark(msg: bytes, tmp_path) -> dict:
    record = b"\x16\x03\x01" + len(msg).to_bytes(2, "big") + msg
    dump = "\n".join(f"{i:06x}  " + " ".join(f"{b:02x}" for b in record[i:i + 16])
                     for i in range(0, len(record), 16)) + "\n"
    (tmp_path / "m.txt").write_text(dump)
    subprocess.run(["text2pcap", "-q", "-T", "50000,443", str(tmp_path / "m.txt"),
                    str(tmp_path / "m.pcap")], check=True, capture_output=True)
    out = subprocess.run(["tshark", "-r", str(tmp_path / "m.pcap"), "-T", "json",
                          "-e", "tls.handshake.ciphersuite", "-e", "tls.handshake.extension.type",
                          "-e", "tls.handshake.extensions_server_name"],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)[0]["_source"]["layers"]


@pytest.mark.skipif(not (shutil.which("tshark") and shutil.which("text2pcap")),
                    reason="tshark/text2pcap not installed")
def test_client_hello_matches_tshark(runs, tmp_path):
    msgs, session = runs["tls12-ecdhe-rsa"]
    mine = session.handshakes[0].messages[0]
    layers = _tshark(msgs[0][1], tmp_path)
    assert [suite_name(int(c, 16)) for c in layers["tls.handshake.ciphersuite"]] == mine.cipher_suites
    assert [extension_name(int(t)) for t in layers["tls.handshake.extension.type"]] == mine.extensions
    assert layers["tls.handshake.extensions_server_name"] == [mine.server_name]


@pytest.mark.skipif(not (shutil.which("tshark") and shutil.which("text2pcap")),
                    reason="tshark/text2pcap not installed")
@pytest.mark.parametrize("name", ["tls10-rsa", "tls12-ecdhe-ecdsa-mutual", "tls13"])
def test_server_hello_matches_tshark(runs, tmp_path, name):
    msgs, session = runs[name]
    sh = session.handshakes[0].messages[1]
    layers = _tshark(msgs[1][1], tmp_path)
    assert [suite_name(int(c, 16)) for c in layers["tls.handshake.ciphersuite"]] == [sh.cipher_suite]
    assert [extension_name(int(t)) for t in layers["tls.handshake.extension.type"]] == sh.extensions
