"""What a certificate in a handshake says: subject, issuer, serial, validity and
SHA-256, as plain strings.

A complete DER certificate is read with ``cryptography`` (the full analysis is
``tlsworkbench.x509``'s job; readers call it for the ``CertInfo`` entities). A certificate cut short by a
truncated trace dump is walked by hand as far as its bytes go (version, serial,
issuer, validity, subject), so a partial dump still names what it holds.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from datetime import datetime, timezone

FIELDS = ("subject", "issuer", "serial", "not_before", "not_after", "sha256")

_OID_NAMES = {
    "2.5.4.3": "CN", "2.5.4.6": "C", "2.5.4.7": "L", "2.5.4.8": "ST", "2.5.4.10": "O",
    "2.5.4.11": "OU", "2.5.4.9": "STREET", "0.9.2342.19200300.100.1.25": "DC",
    "0.9.2342.19200300.100.1.1": "UID", "1.2.840.113549.1.9.1": "emailAddress",
    "2.5.4.5": "serialNumber",
}


def describe(der: bytes, declared_length: int | None = None) -> dict:
    """Facts of one certificate as strings (missing ones None); ``partial`` True when
    the bytes end before the certificate does."""
    return dict(_describe(bytes(der), declared_length))


@lru_cache(maxsize=512)  # a trace repeats the same certificates in every handshake
def _describe(der: bytes, declared_length: int | None) -> dict:
    full = declared_length is None or len(der) >= declared_length
    if full:
        facts = _full(der)
        if facts is not None:
            return facts
    out = dict.fromkeys(FIELDS)
    out.update(_walk_partial(der))
    out["partial"] = True
    out["declared_length"] = declared_length
    out["present_length"] = len(der)
    return out


def _full(der: bytes) -> dict | None:
    try:
        from cryptography import x509

        cert = x509.load_der_x509_certificate(der)
        return {
            "subject": cert.subject.rfc4514_string(), "issuer": cert.issuer.rfc4514_string(),
            "serial": format(cert.serial_number, "x"),
            "not_before": _iso(cert.not_valid_before_utc), "not_after": _iso(cert.not_valid_after_utc),
            "sha256": hashlib.sha256(der).hexdigest(), "partial": False,
        }
    except Exception:
        return None


def _iso(t: datetime | None) -> str | None:
    if t is None:
        return None
    if t.tzinfo is None:
        t = t.replace(tzinfo=timezone.utc)
    return t.isoformat()


# -- a tolerant walk over the start of a DER certificate ----------------------------
def _tlv(buf: bytes, pos: int) -> tuple[int, int, int] | None:
    """(tag, start of value, end of value) or None when the header is cut."""
    if pos + 2 > len(buf):
        return None
    tag, n = buf[pos], buf[pos + 1]
    pos += 2
    if n & 0x80:
        k = n & 0x7F
        if k == 0 or k > 4 or pos + k > len(buf):
            return None
        n = int.from_bytes(buf[pos:pos + k], "big")
        pos += k
    return tag, pos, pos + n


def _walk_partial(der: bytes) -> dict:
    out: dict = {}
    top = _tlv(der, 0)
    if not top or top[0] != 0x30:
        return out
    tbs = _tlv(der, top[1])
    if not tbs or tbs[0] != 0x30:
        return out
    pos = tbs[1]
    item = _tlv(der, pos)
    if item and item[0] == 0xA0:
        pos = item[2]
        item = _tlv(der, pos)
    if not item or item[0] != 0x02 or item[2] > len(der):
        return out
    out["serial"] = format(int.from_bytes(der[item[1]:item[2]], "big"), "x")
    steps = ("signature", "issuer", "validity", "subject")
    pos = item[2]
    for step in steps:
        item = _tlv(der, pos)
        if not item or item[2] > len(der):
            break
        if step in ("issuer", "subject") and item[0] == 0x30:
            name = _name(der[item[1]:item[2]])
            if name is None:
                break
            out[step] = name
        elif step == "validity" and item[0] == 0x30:
            times = _validity(der[item[1]:item[2]])
            if times:
                out["not_before"], out["not_after"] = times
        pos = item[2]
    return out


def _name(buf: bytes) -> str | None:
    rdns, pos = [], 0
    while pos < len(buf):
        rset = _tlv(buf, pos)
        if not rset or rset[0] != 0x31:
            return None
        atv = _tlv(buf, rset[1])
        if not atv:
            return None
        oid = _tlv(buf, atv[1])
        if not oid or oid[0] != 0x06:
            return None
        val = _tlv(buf, oid[2])
        if not val:
            return None
        key = _OID_NAMES.get(_oid(buf[oid[1]:oid[2]]), _oid(buf[oid[1]:oid[2]]))
        text = buf[val[1]:val[2]].decode("utf-16-be" if val[0] == 0x1E else "utf-8", "replace")
        rdns.append(f"{key}={_escape(text)}")
        pos = rset[2]
    return ",".join(reversed(rdns))


def _escape(v: str) -> str:
    out = "".join("\\" + ch if ch in ',+"\\<>;=' else ch for ch in v)
    if out.startswith(("#", " ")):
        out = "\\" + out
    return out


def _oid(raw: bytes) -> str:
    if not raw:
        return ""
    parts = [raw[0] // 40, raw[0] % 40]
    val = 0
    for b in raw[1:]:
        val = (val << 7) | (b & 0x7F)
        if not b & 0x80:
            parts.append(val)
            val = 0
    return ".".join(map(str, parts))


def _validity(buf: bytes) -> tuple[str | None, str | None] | None:
    a = _tlv(buf, 0)
    b = _tlv(buf, a[2]) if a else None
    if not a or not b:
        return None
    return _time(a[0], buf[a[1]:a[2]]), _time(b[0], buf[b[1]:b[2]])


def _time(tag: int, raw: bytes) -> str | None:
    try:
        s = raw.decode("ascii")
        fmt = "%y%m%d%H%M%SZ" if tag == 0x17 else "%Y%m%d%H%M%SZ"
        return datetime.strptime(s, fmt).replace(tzinfo=timezone.utc).isoformat()
    except (ValueError, UnicodeDecodeError):
        return None
