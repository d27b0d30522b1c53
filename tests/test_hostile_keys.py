"""Issue 14, item 3: private keys never enter a session, a session file, an
export (plain or redacted), a report or JSON. Keys of every common shape are
generated here with ``cryptography``: PEM PKCS#8, traditional RSA, encrypted EC,
DER PKCS#8, DER PKCS#1, encrypted DER, a key pasted into a log, and a key
inside a hostile session file."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import zipfile
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization as ser
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from tlsworkbench.cli import main
from tlsworkbench.ingest import privatekeys
from tlsworkbench.engine import load

SCEN = Path(__file__).parent / "data" / "scenarios" / "error1-keyring-not-found"


@pytest.fixture(scope="module")
def keys():
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    ec_key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ftp.mvs1.example")])
    now = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(rsa_key.public_key()).serial_number(0x1234)
            .not_valid_before(now).not_valid_after(now + dt.timedelta(days=365))
            .sign(rsa_key, hashes.SHA256()))
    enc = ser.BestAvailableEncryption(b"secret")
    return {
        "pkcs8.pem": rsa_key.private_bytes(ser.Encoding.PEM, ser.PrivateFormat.PKCS8,
                                           ser.NoEncryption()),
        "rsa.pem": rsa_key.private_bytes(ser.Encoding.PEM, ser.PrivateFormat.TraditionalOpenSSL,
                                         ser.NoEncryption()),
        "ec-enc.pem": ec_key.private_bytes(ser.Encoding.PEM, ser.PrivateFormat.PKCS8, enc),
        "rsa-enc-legacy.pem": rsa_key.private_bytes(ser.Encoding.PEM,
                                                    ser.PrivateFormat.TraditionalOpenSSL, enc),
        "pkcs8.der": rsa_key.private_bytes(ser.Encoding.DER, ser.PrivateFormat.PKCS8,
                                           ser.NoEncryption()),
        "pkcs1.der": rsa_key.private_bytes(ser.Encoding.DER, ser.PrivateFormat.TraditionalOpenSSL,
                                           ser.NoEncryption()),
        "ec-enc.der": ec_key.private_bytes(ser.Encoding.DER, ser.PrivateFormat.PKCS8, enc),
        "cert.pem": cert.public_bytes(ser.Encoding.PEM),
    }


def _secrets(keys) -> list[bytes]:
    """Byte strings that must appear in no output: each DER key, and a line of
    each PEM key's base64 body."""
    out = []
    for name, data in keys.items():
        if name == "cert.pem":
            continue
        if name.endswith(".der"):
            out += [data[:40], data[-40:], base64.b64encode(data[-48:])]
        else:
            body = [ln for ln in data.splitlines() if ln and not ln.startswith(b"-----")
                    and b":" not in ln]
            out += [body[1], body[-2]]
    return out


@pytest.fixture
def evidence(tmp_path, keys):
    ev = tmp_path / "evidence"
    ev.mkdir()
    for name in ("MVS1.syslog.txt", "MVS1.racdcert-listring.txt"):
        (ev / name).write_bytes((SCEN / name).read_bytes())
    for name, data in keys.items():
        (ev / name).write_bytes(data)
    (ev / "bundle.pem").write_bytes(keys["cert.pem"] + keys["pkcs8.pem"])
    log = (SCEN / "MVS1.syslog.txt").read_bytes()
    (ev / "pasted.log").write_bytes(log + b"the key we used:\n" + keys["rsa.pem"] + log[:200])
    return ev


def _assert_clean(blob: bytes, keys) -> None:
    assert b"PRIVATE KEY-----" not in blob
    for s in _secrets(keys):
        assert s not in blob, s[:20]


def _zip_bytes(path: Path) -> bytes:
    with zipfile.ZipFile(path) as zf:
        return b"".join(zf.read(n) for n in zf.namelist())


def test_keys_are_removed_when_read_and_noted(evidence, keys):
    s = load([str(evidence)])
    by = {Path(a.path).name: a for a in s.artifacts}
    for name in [*keys, "bundle.pem", "pasted.log"]:
        if name == "cert.pem":
            assert "removed" not in by[name].note
            continue
        a = by[name]
        assert "Private key removed" in a.note, (name, a.note)
        _assert_clean(a.raw(), keys)
        assert b"private key removed by tlsworkbench" in a.raw()
    assert any(c.serial and "1234" in c.serial.replace(":", "") for c in s.certs)  # bundle's cert
    lines = by["pasted.log"].lines(1, by["pasted.log"].line_count)
    assert any("private key removed" in ln for ln in lines)
    assert any("EZD1287I" in ln for ln in lines)  # the log itself is still read


def test_bundle_export_report_and_json_hold_no_key(evidence, keys, tmp_path, capsys):
    b = tmp_path / "b.tlswb"
    assert main(["bundle", str(evidence), "-o", str(b)]) == 0
    err = capsys.readouterr().err
    assert "private key removed" in err
    _assert_clean(b.read_bytes() + _zip_bytes(b), keys)
    e = tmp_path / "e.tlswb"
    assert main(["export", str(evidence), "-o", str(e)]) == 0
    _assert_clean(_zip_bytes(e), keys)
    r = tmp_path / "r.tlswb"
    assert main(["export", str(evidence), "-o", str(r), "--redact"]) == 0
    _assert_clean(_zip_bytes(r) + (tmp_path / "r.tlswb.map.json").read_bytes(), keys)
    capsys.readouterr()
    for fmt in ("md", "html"):
        assert main(["report", str(evidence), "--format", fmt]) == 0
        out = capsys.readouterr().out
        _assert_clean(out.encode(), keys)
        assert "private key removed" in out.lower()
    assert main(["diagnose", str(evidence), "--json"]) == 0
    doc = capsys.readouterr().out
    _assert_clean(doc.encode(), keys)
    json.loads(doc)


def test_a_key_inside_a_session_file_is_removed_on_load(keys, tmp_path):
    data = b"log line\n" + keys["ec-enc.pem"]
    path = tmp_path / "evil.tlswb"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("artifacts/1", data)
        zf.writestr("artifacts/2", keys["pkcs8.der"])
        zf.writestr("manifest.json", json.dumps({
            "format": "tlsworkbench-session", "version": 1, "artifacts": [
                {"id": "a1", "name": "x.log", "member": "artifacts/1",
                 "sha256": hashlib.sha256(data).hexdigest()},
                {"id": "a2", "name": "k.der", "member": "artifacts/2"}]}))
    s = load([str(path)])
    for a in s.artifacts:
        _assert_clean(a.raw(), keys)
        assert "Private key removed" in a.note


def test_strip_keeps_everything_else_and_handles_truncation(keys):
    text = b"before\n" + keys["pkcs8.pem"] + b"middle\n" + keys["rsa.pem"][:200] + b"\n"
    out, n = privatekeys.strip(text)
    assert n == 2 and out.startswith(b"before\n") and b"middle\n" in out
    _assert_clean(out, keys)
    assert privatekeys.strip(keys["cert.pem"]) == (keys["cert.pem"], 0)
    stray, n = privatekeys.strip(b"x\n-----END RSA PRIVATE KEY-----\ny\n")
    assert n == 1 and b"PRIVATE KEY-----" not in stray


@pytest.mark.parametrize("name", ["pkcs8.der", "pkcs1.der", "ec-enc.der"])
def test_der_keys_are_recognised(keys, name):
    assert privatekeys.is_der_key(keys[name])
    cert_der = x509.load_pem_x509_certificate(keys["cert.pem"]).public_bytes(ser.Encoding.DER)
    assert not privatekeys.is_der_key(cert_der)


def test_a_key_in_an_ebcdic_log_is_removed(keys, tmp_path):
    """A PEM key pasted into a log written in EBCDIC (cp1047 with NL line ends, as
    transferred in binary from z/OS) is cut out like an ASCII one."""
    import ebcdic  # noqa: F401  (registers cp1047)

    log = (SCEN / "MVS1.syslog.txt").read_text(encoding="utf-8")
    text = log + "the key we used:\n" + keys["rsa.pem"].decode("ascii") + log[:200]
    path = tmp_path / "MVS1.ebcdic.log"
    path.write_bytes(text.replace("\n", "\x85").encode("cp1047"))
    s = load([str(path)])
    (a,) = s.artifacts
    assert "Private key removed" in a.note
    raw = a.raw()
    assert privatekeys.EMARK not in raw and b"PRIVATE KEY-----" not in raw
    body = [ln for ln in keys["rsa.pem"].splitlines() if ln and not ln.startswith(b"-----")]
    assert body[1].decode().encode("cp1047") not in raw
    lines = a.lines(1, a.line_count)
    assert any("private key removed" in ln for ln in lines)
    assert any("EZD1287I" in ln or "EZD1286I" in ln for ln in lines)  # the log is still read
