"""Stand-in certificates: the same facts under redacted names, with new keys.

For every certificate of the export a stand-in is made once (keyed by its DER):
a new key of the same type and size, the same validity, serial number of the
same length (redacted), the same key usage, extended key usage and basic
constraints, subject / issuer / SubjectAltName with redacted values, new key
identifiers. A stand-in is signed by the stand-in of its issuer when the issuer
is in the export (so chains still build), by itself when it was self-signed,
else by a stand-in CA key made for that issuer name (not exported). Extensions
that name places (CRL distribution points, authority information access) and
extensions we do not know are left out; the note says so.

cryptography refuses to sign with MD5 or SHA-1: such stand-ins are signed with
SHA-256 and the note says which certificates changed algorithm.
"""

from __future__ import annotations

import base64
import ipaddress
import re

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import NameOID

from .rewrite import Rewriter

_KEEP_EXT = (x509.BasicConstraints, x509.KeyUsage, x509.ExtendedKeyUsage)
_HASHES = {"sha224": hashes.SHA224, "sha256": hashes.SHA256, "sha384": hashes.SHA384,
           "sha512": hashes.SHA512}
_PEM = re.compile(rb"-----BEGIN ([A-Z0-9 #]+)-----\r?\n(.*?)-----END \1-----", re.S)


class StandIns:
    """Stand-in certificates for one export."""

    def __init__(self, rw: Rewriter):
        self.rw = rw
        self.made: dict[bytes, bytes] = {}
        self.keys: dict[str, object] = {}
        """Original subject DN (RFC 4514) -> the stand-in's private key (kept in memory only)."""
        self.notes: list[str] = []
        self._pending: dict[str, x509.Certificate] = {}

    def prepare(self, ders: list[bytes]) -> None:
        """Know every certificate of the export before making any (issuers first)."""
        for der in ders:
            try:
                c = x509.load_der_x509_certificate(der)
            except ValueError:
                continue
            self._pending.setdefault(c.subject.rfc4514_string(), c)

    def der(self, der: bytes) -> bytes | None:
        """The stand-in for ``der`` (None when it cannot be read)."""
        if der in self.made:
            return self.made[der]
        try:
            cert = x509.load_der_x509_certificate(der)
        except ValueError:
            return None
        new = self._make(cert, depth=0)
        self.made[der] = new
        return new

    # -- making ---------------------------------------------------------------------------
    def _key_for(self, cert: x509.Certificate):
        subj = cert.subject.rfc4514_string()
        key = self.keys.get(subj)
        if key is None:
            key = _new_key(cert.public_key())
            self.keys[subj] = key
        return key

    def _make(self, cert: x509.Certificate, depth: int) -> bytes:
        subj = cert.subject.rfc4514_string()
        iss = cert.issuer.rfc4514_string()
        key = self._key_for(cert)
        if iss == subj:
            signer = key
        else:
            parent = self._pending.get(iss)
            if parent is not None and depth < 8:
                parent_der = parent.public_bytes(serialization.Encoding.DER)
                if parent_der not in self.made:
                    self.made[parent_der] = self._make(parent, depth + 1)
                signer = self.keys[iss]
            else:
                signer = self.keys.get(iss)
                if signer is None:
                    signer = _new_key(cert.public_key())
                    self.keys[iss] = signer
        b = (x509.CertificateBuilder()
             .subject_name(self._name(cert.subject))
             .issuer_name(self._name(cert.issuer))
             .public_key(key.public_key())
             .serial_number(self._serial(cert.serial_number))
             .not_valid_before(cert.not_valid_before_utc)
             .not_valid_after(cert.not_valid_after_utc))
        dropped = []
        for ext in cert.extensions:
            if isinstance(ext.value, _KEEP_EXT):
                b = b.add_extension(ext.value, ext.critical)
            elif isinstance(ext.value, x509.SubjectAlternativeName):
                b = b.add_extension(x509.SubjectAlternativeName(self._san(ext.value)), ext.critical)
            elif isinstance(ext.value, x509.SubjectKeyIdentifier):
                b = b.add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
            elif isinstance(ext.value, x509.AuthorityKeyIdentifier):
                b = b.add_extension(
                    x509.AuthorityKeyIdentifier.from_issuer_public_key(signer.public_key()), False)
            else:
                dropped.append(ext.oid.dotted_string)
        algo = _hash_of(cert, signer)
        wanted = cert.signature_hash_algorithm.name if cert.signature_hash_algorithm else None
        out = b.sign(signer, algo)
        label = self.rw.line(cert.subject.rfc4514_string())
        if wanted and algo is not None and wanted != algo.name:
            self.notes.append(f"stand-in for {label} signed with {algo.name} instead of {wanted}")
        if dropped:
            self.notes.append(f"stand-in for {label} leaves out extensions {', '.join(dropped)}")
        return out.public_bytes(serialization.Encoding.DER)

    def _name(self, name: x509.Name) -> x509.Name:
        rdns = []
        for rdn in name.rdns:
            attrs = []
            for a in rdn:
                val = a.value if isinstance(a.value, str) else a.value.decode("latin-1")
                if a.oid != NameOID.COUNTRY_NAME:
                    val = self.rw.line(val)
                try:
                    attrs.append(x509.NameAttribute(a.oid, val, a._type))
                except (ValueError, TypeError):
                    attrs.append(x509.NameAttribute(a.oid, val))
            rdns.append(x509.RelativeDistinguishedName(attrs))
        return x509.Name(rdns)

    def _serial(self, serial: int) -> int:
        text = format(serial, "x")
        new = self.rw.short_serials.get(text) or self.rw.exact.get(text)
        if new is None:
            new = self.rw.pz.get("serial", text)
        try:
            value = int(new, 16)
        except ValueError:
            value = serial ^ 0x5A5A5A
        if value.bit_length() > 159:  # RFC 5280: at most 20 octets, positive
            value >>= value.bit_length() - 159
        return value if value > 0 else 1

    def _san(self, san: x509.SubjectAlternativeName) -> list:
        out = []
        for g in san:
            if isinstance(g, x509.DNSName):
                out.append(x509.DNSName(self.rw.line(g.value)))
            elif isinstance(g, x509.RFC822Name):
                out.append(x509.RFC822Name(self.rw.line(g.value)))
            elif isinstance(g, x509.IPAddress):
                text = self.rw.line(str(g.value))
                try:
                    out.append(x509.IPAddress(ipaddress.ip_address(text)))
                except ValueError:
                    out.append(x509.IPAddress(ipaddress.ip_address("192.0.2.1")))
            elif isinstance(g, x509.UniformResourceIdentifier):
                out.append(x509.UniformResourceIdentifier(self.rw.line(g.value)))
            elif isinstance(g, x509.DirectoryName):
                out.append(x509.DirectoryName(self._name(g.value)))
        return out

    # -- containers -----------------------------------------------------------------------
    def rewrite_pem_text(self, data: bytes) -> bytes:
        """A PEM file: every block replaced by its stand-in (private keys dropped), the
        text around redacted line by line."""
        out = bytearray()
        pos = 0
        for m in _PEM.finditer(data):
            out += self._text(data[pos:m.start()])
            kind = m.group(1).decode("ascii")
            body = base64.b64decode(re.sub(rb"\s+", b"", m.group(2)) + b"==", validate=False)
            if kind in ("CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE"):
                new = self.der(body)
                out += _pem("CERTIFICATE", new) if new else b"(certificate removed by redaction)\n"
            elif kind == "PKCS7":
                try:
                    certs = pkcs7.load_der_pkcs7_certificates(body)
                    new = [x509.load_der_x509_certificate(self.der(c.public_bytes(
                        serialization.Encoding.DER))) for c in certs]
                    out += pkcs7.serialize_certificates(new, serialization.Encoding.PEM)
                except (ValueError, TypeError):
                    out += b"(PKCS#7 data removed by redaction)\n"
            else:
                out += f"({kind.lower()} removed by redaction)\n".encode("ascii")
            pos = m.end()
            if data[pos:pos + 1] == b"\n":
                out += b"\n"
                pos += 1
        out += self._text(data[pos:])
        return bytes(out)

    def _text(self, chunk: bytes) -> bytes:
        if not chunk:
            return b""
        text = chunk.decode("utf-8", "replace")
        return "".join(self.rw.line(t) + e for t, e in _lines_keep(text)).encode("utf-8")

    def pkcs7_der(self, ders: list[bytes]) -> bytes:
        certs = [x509.load_der_x509_certificate(self.der(d)) for d in ders]
        return pkcs7.serialize_certificates(certs, serialization.Encoding.DER)

    def pem_of(self, ders: list[bytes]) -> bytes:
        return b"".join(_pem("CERTIFICATE", self.der(d)) for d in ders)


def _lines_keep(text: str):
    for part in text.splitlines(keepends=True):
        body = part.rstrip("\r\n")
        yield body, part[len(body):]


def _pem(kind: str, der: bytes) -> bytes:
    b64 = base64.b64encode(der).decode("ascii")
    body = "\n".join(b64[i:i + 64] for i in range(0, len(b64), 64))
    return f"-----BEGIN {kind}-----\n{body}\n-----END {kind}-----\n".encode("ascii")


def _new_key(pub):
    if isinstance(pub, rsa.RSAPublicKey):
        return rsa.generate_private_key(public_exponent=65537, key_size=max(1024, pub.key_size))
    if isinstance(pub, ec.EllipticCurvePublicKey):
        return ec.generate_private_key(pub.curve)
    if isinstance(pub, ed25519.Ed25519PublicKey):
        return ed25519.Ed25519PrivateKey.generate()
    if isinstance(pub, ed448.Ed448PublicKey):
        return ed448.Ed448PrivateKey.generate()
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _hash_of(cert: x509.Certificate, signer):
    if isinstance(signer, (ed25519.Ed25519PrivateKey, ed448.Ed448PrivateKey)):
        return None
    h = cert.signature_hash_algorithm
    cls = _HASHES.get(h.name if h is not None else "", hashes.SHA256)
    return cls()


__all__ = ["StandIns"]
