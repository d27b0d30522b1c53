"""Certificate files: PEM (one or many certificates, text around them, PKCS#7
PEM too), DER, PKCS#7 DER (``.p7b``) and PKCS#12 (``.p12``/``.pfx``).

Each certificate becomes one ``Record`` (kind ``"cert"``) and one ``CertInfo``
(source ``"file"``). A PKCS#12 file is opened with no password, or with the one
in the environment variable ``TLSWB_P12_PASSWORD``; its private key is never
kept: only ``CertInfo.private_key = True`` says there was one. PEM private key
blocks are skipped unread. Whatever cannot be read becomes an ``Unparsed`` with
cryptography's reason.

Record lines: in a PEM file the line of the ``-----BEGIN`` marker; in a binary
file the position of the certificate in the container (1, 2, ...).
"""

from __future__ import annotations

import base64
import binascii
import os
import re
from array import array
from collections.abc import Iterator

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs7, pkcs12

from tlsworkbench.model import Artifact, Record, Unparsed
from tlsworkbench.x509.chain import norm_dn
from tlsworkbench.x509.facts import facts_from_der

KIND = "certificate"
BINARY = True
PASSWORD_ENV = "TLSWB_P12_PASSWORD"

_BEGIN = re.compile(rb"(?m)^[ \t]*-----BEGIN ([A-Z0-9 #]+)-----")
_BEGIN_TEXT = re.compile(r"^\s*-----BEGIN (CERTIFICATE|X509 CERTIFICATE|TRUSTED CERTIFICATE|PKCS7)-----")
_CERT_TYPES = {b"CERTIFICATE", b"X509 CERTIFICATE", b"TRUSTED CERTIFICATE"}
_P7_TYPES = {b"PKCS7", b"PKCS #7 SIGNED DATA", b"CMS"}
_SUFFIXES = (".pem", ".crt", ".cer", ".der", ".arm", ".b64", ".p7b", ".p7c", ".p12", ".pfx")
_OID_SIGNED_DATA = bytes.fromhex("06092a864886f70d010702")
_OID_DATA = bytes.fromhex("06092a864886f70d010701")


# -- detection -------------------------------------------------------------------
def sniff(head: list[str], name: str) -> int:
    return 90 if any(_BEGIN_TEXT.match(line) for line in head[:200]) else 0


def _tlv(data: bytes, pos: int) -> tuple[int, int, int] | None:
    """(tag, start of value, length) of the DER item at ``pos``; None if unreadable."""
    if pos + 2 > len(data):
        return None
    tag, first = data[pos], data[pos + 1]
    if first < 0x80:
        return tag, pos + 2, first
    n = first & 0x7F
    if n == 0 or n > 4 or pos + 2 + n > len(data):
        return None
    return tag, pos + 2 + n, int.from_bytes(data[pos + 2: pos + 2 + n], "big")


def der_kind(data: bytes) -> str | None:
    """``"cert"``, ``"pkcs7"``, ``"pkcs12"`` or None, from the first DER headers."""
    outer = _tlv(data, 0)
    if outer is None or outer[0] != 0x30:
        return None
    inner = _tlv(data, outer[1])
    if inner is None:
        return None
    if inner[0] == 0x02 and data[inner[1]: inner[1] + inner[2]] == b"\x03":
        return "pkcs12"  # PFX: SEQUENCE { INTEGER 3, ContentInfo ... }
    if inner[0] == 0x06 and data[outer[1]: outer[1] + 11] == _OID_SIGNED_DATA:
        return "pkcs7"
    if inner[0] == 0x30:  # tbsCertificate: [0] version or INTEGER serial first
        tbs = _tlv(data, inner[1])
        if tbs is not None and tbs[0] in (0xA0, 0x02):
            return "cert"
    return None


def sniff_bytes(head: bytes, name: str) -> int:
    if _BEGIN.search(head[:65536]):
        m = _BEGIN.search(head)
        return 90 if m.group(1) in _CERT_TYPES | _P7_TYPES else 40
    kind = der_kind(head)
    if kind is not None:
        return 85
    if name.lower().endswith(_SUFFIXES) and head[:1] == b"\x30":
        return 50
    return 0


# -- reading ---------------------------------------------------------------------
def read(lines, art: Artifact) -> Iterator:
    """Text lines (when called as a line reader): PEM only; offsets left alone."""
    data = "\n".join(text for _n, text in lines).encode("latin-1", "replace")
    yield from read_bytes(data, art, keep_offsets=True)


def read_bytes(data: bytes, art: Artifact, keep_offsets: bool = False) -> Iterator:
    """Every certificate of ``data``; never raises (a failure becomes Unparsed)."""
    try:
        yield from _read_any(bytes(data), art, keep_offsets)
    except Exception as exc:  # noqa: BLE001 - a reader must not raise on bad input
        yield Unparsed(art.id, 1, _peek(data), f"certificate file cannot be read ({type(exc).__name__}: {exc})")


def _read_any(data: bytes, art: Artifact, keep_offsets: bool) -> Iterator:
    if _BEGIN.search(data):
        yield from _read_pem(data, art, keep_offsets)
        return
    kind = der_kind(data)
    if kind == "pkcs12" or (kind is None and art.path.lower().endswith((".p12", ".pfx"))):
        yield from _read_p12(data, art)
    elif kind == "pkcs7" or (kind is None and art.path.lower().endswith((".p7b", ".p7c"))):
        yield from _read_p7(data, art, "pkcs7")
    else:
        try:
            x509.load_der_x509_certificate(data)
        except ValueError as exc:
            yield Unparsed(art.id, 1, _peek(data), f"not a readable DER certificate: {exc}")
            return
        yield from _emit(art, 1, data, "der", text=f"DER certificate ({len(data)} bytes)")


def _peek(data: bytes) -> str:
    return "hex " + data[:24].hex() if data else ""


def _emit(art: Artifact, line: int, der: bytes, container: str, text: str, end_line: int = 0,
          label: str | None = None, private_key: bool | None = None, index: int = 1) -> Iterator:
    rid = f"{art.id}:{line}"
    try:
        info = facts_from_der(der, rid, "file")
    except ValueError as exc:
        yield Unparsed(art.id, line, text[:200], f"certificate cannot be read: {exc}")
        return
    info.label, info.private_key, info.system = label, private_key, art.system
    yield Record(artifact=art.id, line=line, kind="cert", text=text, end_line=end_line, system=art.system,
                 fields={"subject": info.subject, "issuer": info.issuer, "serial": info.serial,
                         "sha256": info.sha256, "container": container, "index": index})
    yield info


def _line_offsets(data: bytes) -> array:
    offs = array("Q", [0])
    pos = data.find(b"\n")
    while pos != -1:
        offs.append(pos + 1)
        pos = data.find(b"\n", pos + 1)
    if offs[-1] != len(data):
        offs.append(len(data))
    return offs


def _read_pem(data: bytes, art: Artifact, keep_offsets: bool = False) -> Iterator:
    offs = _line_offsets(data)
    if not keep_offsets:
        art.offsets = offs  # the PEM text stays viewable line by line
        if art.encoding == "binary":
            art.encoding = "latin-1"

    def line_of(pos: int) -> int:
        import bisect

        return bisect.bisect_right(offs, pos)

    index, pos = 0, 0
    while True:
        m = _BEGIN.search(data, pos)
        if m is None:
            return
        kind = m.group(1)
        line = line_of(m.start())
        end_marker = b"-----END " + kind + b"-----"
        end = data.find(end_marker, m.end())
        begin_at = m.start() + len(m.group(0)) - len(b"-----BEGIN " + kind + b"-----")
        nxt = _BEGIN.search(data, m.end())
        if end == -1 or (nxt is not None and nxt.start() < end):
            yield Unparsed(art.id, line, m.group(0).decode("latin-1"),
                           f"PEM block {kind.decode('latin-1')} has no END line (file truncated?)")
            pos = m.end()
            continue
        block = data[begin_at: end + len(end_marker)]
        end_line = line_of(end + len(end_marker) - 1)
        pos = end + len(end_marker)
        name = kind.decode("latin-1")
        if b"PRIVATE KEY" in kind:
            yield Record(artifact=art.id, line=line, kind="plain", text=f"-----BEGIN {name}----- (not read)",
                         end_line=end_line, fields={"skipped": "private key"})
            continue
        if kind in _P7_TYPES:
            try:
                certs = pkcs7.load_pem_pkcs7_certificates(block)
            except ValueError as exc:
                yield Unparsed(art.id, line, m.group(0).decode("latin-1"), f"PKCS#7 block cannot be read: {exc}")
                continue
            for k, c in enumerate(order_chain(certs)):
                index += 1
                # one block, several certificates: ids on the block's own lines stay unique
                at_line = min(line + k, end_line)
                yield from _emit(art, at_line, c.public_bytes(serialization.Encoding.DER), "pkcs7-pem",
                                 f"certificate {k + 1} of {len(certs)} in the PKCS#7 block", end_line, index=index)
            continue
        if kind not in _CERT_TYPES:
            yield Record(artifact=art.id, line=line, kind="plain", text=f"-----BEGIN {name}-----",
                         end_line=end_line, fields={"skipped": name.lower()})
            continue
        try:
            body = b"".join(block.splitlines()[1:-1])
            der = base64.b64decode(b"".join(body.split()), validate=True)
        except (binascii.Error, ValueError):
            yield Unparsed(art.id, line, m.group(0).decode("latin-1"),
                           f"PEM certificate cannot be read: {_base64_fault(block, line)}")
            continue
        if kind == b"TRUSTED CERTIFICATE":  # OpenSSL: the certificate, then trust settings
            t = _tlv(der, 0)
            if t is not None:
                der = der[: t[1] + t[2]]
        index += 1
        yield from _emit(art, line, der, "pem", block.decode("latin-1"), end_line, index=index)


_B64 = re.compile(rb"[A-Za-z0-9+/]{0,4096}={0,2}")


def _base64_fault(block: bytes, first_line: int) -> str:
    """A plain reason for a PEM block whose body is no base64: the first line
    (of the file) with a character outside the base64 alphabet."""
    for k, raw in enumerate(block.splitlines()[1:-1], start=1):
        text = raw.strip()
        if text and (b":" in text and k <= 3):
            return f"encrypted or with headers at line {first_line + k} (not a plain PEM certificate)"
        if text and not _B64.fullmatch(text):
            return f"not valid base64 at line {first_line + k}"
    return "not a PEM certificate (the base64 does not decode)"


def _read_p7(data: bytes, art: Artifact, container: str) -> Iterator:
    try:
        certs = pkcs7.load_der_pkcs7_certificates(data)
    except ValueError as exc:
        yield Unparsed(art.id, 1, _peek(data), f"PKCS#7 data cannot be read: {exc}")
        return
    _widen(art, len(certs))
    for i, c in enumerate(order_chain(certs), 1):
        yield from _emit(art, i, c.public_bytes(serialization.Encoding.DER), container,
                         f"certificate {i} of {len(certs)} in the PKCS#7 file", index=i)


def _widen(art: Artifact, n: int) -> None:
    """Give a binary container one 'line' per certificate, so record ids stay unique."""
    if n > 1 and len(art.offsets) == 2:
        size = art.offsets[-1]
        art.offsets = array("Q", [0] * n + [size])


def _read_p12(data: bytes, art: Artifact) -> Iterator:
    p12, reason = None, ""
    for pw in (None, b""):
        try:
            p12 = pkcs12.load_pkcs12(data, pw)
            break
        except Exception as exc:  # noqa: BLE001 - ValueError, or an unsupported old cipher
            reason = str(exc) or type(exc).__name__
    if p12 is None and os.environ.get(PASSWORD_ENV):
        try:
            p12 = pkcs12.load_pkcs12(data, os.environ[PASSWORD_ENV].encode())
        except Exception as exc:  # noqa: BLE001
            reason = f"{exc} (with the password from {PASSWORD_ENV})"
    if p12 is None:
        hint = "" if os.environ.get(PASSWORD_ENV) else f"; if it has a password, set {PASSWORD_ENV}"
        yield Unparsed(art.id, 1, _peek(data), f"PKCS#12 file cannot be opened: {reason}{hint}")
        return
    has_key = p12.key is not None
    certs = ([(p12.cert, has_key)] if p12.cert is not None else [])
    certs += [(c, False) for c in p12.additional_certs]
    del p12  # the private key goes with it; only the fact that there was one is kept
    _widen(art, len(certs))
    for i, (c, key) in enumerate(certs, 1):
        label = c.friendly_name.decode("utf-8", "replace") if c.friendly_name else None
        yield from _emit(art, i, c.certificate.public_bytes(serialization.Encoding.DER), "pkcs12",
                         f"certificate {i} of {len(certs)} in the PKCS#12 file", label=label,
                         private_key=key, index=i)


def order_chain(certs: list[x509.Certificate]) -> list[x509.Certificate]:
    """Leaf first, then each issuer (PKCS#7 keeps a DER-sorted SET, not the order)."""
    if len(certs) < 2:
        return list(certs)
    subj = [norm_dn(c.subject.rfc4514_string()) for c in certs]
    iss = [norm_dn(c.issuer.rfc4514_string()) for c in certs]
    issuers_of_others = {iss[j] for j in range(len(certs)) if iss[j] != subj[j]}
    leaves = [i for i in range(len(certs)) if subj[i] not in issuers_of_others] or [0]
    out, used = [], set()
    for start in leaves + list(range(len(certs))):
        i = start
        while i is not None and i not in used:
            used.add(i)
            out.append(certs[i])
            if iss[i] == subj[i]:
                break
            i = next((j for j in range(len(certs)) if j not in used and subj[j] == iss[i]), None)
    return out
