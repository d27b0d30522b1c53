"""Names for TLS code points: handshake types, versions, alerts, cipher suites
(with System SSL's 2- and 4-character cipher specs), extensions, groups and
signature schemes.

The IANA tables are vendored in ``ciphersuites.py`` (generated); everything here
is a lookup over them, safe for any integer.
"""

from __future__ import annotations

from .ciphersuites import EXTENSIONS, GROUPS, SIGNATURE_SCHEMES, SUITES

# Handshake message types in TLS spelling (RFC 5246 / RFC 8446).
HANDSHAKE_TYPES = {
    0: "HelloRequest", 1: "ClientHello", 2: "ServerHello", 4: "NewSessionTicket",
    5: "EndOfEarlyData", 8: "EncryptedExtensions", 11: "Certificate",
    12: "ServerKeyExchange", 13: "CertificateRequest", 14: "ServerHelloDone",
    15: "CertificateVerify", 16: "ClientKeyExchange", 20: "Finished",
    21: "CertificateURL", 22: "CertificateStatus", 24: "KeyUpdate", 254: "MessageHash",
}
HANDSHAKE_CODES = {v: k for k, v in HANDSHAKE_TYPES.items()}

# System SSL trace spelling ("CLIENT-HELLO", "SERVER-HELLO-DONE") -> TLS spelling.
_GSK_NAMES = {
    "HELLO-REQUEST": "HelloRequest", "CLIENT-HELLO": "ClientHello",
    "SERVER-HELLO": "ServerHello", "CERTIFICATE": "Certificate",
    "SERVER-KEY-EXCHANGE": "ServerKeyExchange", "CERTIFICATE-REQUEST": "CertificateRequest",
    "SERVER-HELLO-DONE": "ServerHelloDone", "CERTIFICATE-VERIFY": "CertificateVerify",
    "CLIENT-KEY-EXCHANGE": "ClientKeyExchange", "FINISHED": "Finished",
    "NEW-SESSION-TICKET": "NewSessionTicket", "ENCRYPTED-EXTENSIONS": "EncryptedExtensions",
    "CERTIFICATE-STATUS": "CertificateStatus", "KEY-UPDATE": "KeyUpdate",
    "END-OF-EARLY-DATA": "EndOfEarlyData", "HELLO-RETRY-REQUEST": "HelloRetryRequest",
    "ALERT": "Alert", "CHANGE-CIPHER-SPEC": "ChangeCipherSpec",
}

VERSIONS = {
    0x0002: "SSLv2", 0x0300: "SSLv3", 0x0301: "TLSv1.0", 0x0302: "TLSv1.1",
    0x0303: "TLSv1.2", 0x0304: "TLSv1.3",
}

ALERT_LEVELS = {1: "warning", 2: "fatal"}
ALERT_DESCRIPTIONS = {
    0: "close_notify", 10: "unexpected_message", 20: "bad_record_mac",
    21: "decryption_failed", 22: "record_overflow", 30: "decompression_failure",
    40: "handshake_failure", 41: "no_certificate", 42: "bad_certificate",
    43: "unsupported_certificate", 44: "certificate_revoked", 45: "certificate_expired",
    46: "certificate_unknown", 47: "illegal_parameter", 48: "unknown_ca",
    49: "access_denied", 50: "decode_error", 51: "decrypt_error",
    60: "export_restriction", 70: "protocol_version", 71: "insufficient_security",
    80: "internal_error", 86: "inappropriate_fallback", 90: "user_canceled",
    100: "no_renegotiation", 109: "missing_extension", 110: "unsupported_extension",
    111: "certificate_unobtainable", 112: "unrecognized_name",
    113: "bad_certificate_status_response", 114: "bad_certificate_hash_value",
    115: "unknown_psk_identity", 116: "certificate_required", 120: "no_application_protocol",
}

_BY_NAME: dict[str, int] | None = None


def handshake_name(code: int | None) -> str:
    if code is None:
        return "Unknown"
    return HANDSHAKE_TYPES.get(code, f"Unknown({code})")


def gsk_message_name(text: str) -> str | None:
    """``"SERVER-HELLO-DONE"`` (as System SSL traces it) -> ``"ServerHelloDone"``."""
    key = text.strip().upper().replace("_", "-").replace(" ", "-")
    return _GSK_NAMES.get(key)


def version_name(code: int | None) -> str | None:
    if code is None:
        return None
    if code in VERSIONS:
        return VERSIONS[code]
    if code & 0x0F0F == 0x0A0A:
        return f"GREASE_{code:04X}"
    return f"0x{code:04X}"


def gsk_protocol_version(text: str) -> str | None:
    """``"TLSV1.1"`` / ``"SSLV3"`` / ``"TLSV1.2"`` from a trace line -> ``"TLSv1.1"``."""
    t = text.strip().upper().rstrip(".")
    if t.startswith("TLSV1"):
        rest = t[5:]
        return "TLSv1.0" if rest in ("", ".0") else f"TLSv1{rest}"
    if t in ("SSLV3", "SSLV2"):
        return t.replace("V", "v")
    return None


def suite_name(code: int) -> str:
    """IANA name of a cipher suite; ``"0xC0FF (unassigned)"`` when unknown."""
    entry = SUITES.get(code)
    if entry:
        return entry[0]
    return f"0x{code:04X} (unassigned)"


def suite_known(code: int) -> bool:
    return code in SUITES


def suite_specs(code: int) -> tuple[str | None, str]:
    """System SSL cipher specs of a suite: (2-character spec or None, 4-character spec).

    The 2-character form exists only for suites 0x0000-0x00FF (its low byte)."""
    two = f"{code & 0xFF:02X}" if code <= 0xFF else None
    return two, f"{code:04X}"


def suite_label(code: int) -> str:
    """``"TLS_RSA_WITH_3DES_EDE_CBC_SHA (0A, 000A)"``: IANA name with System SSL specs."""
    two, four = suite_specs(code)
    specs = f"{two}, {four}" if two else four
    return f"{suite_name(code)} ({specs})"


def suite_by_spec(spec: str) -> tuple[int, str] | None:
    """A cipher suite from a System SSL spec (``"0A"``, ``"C02F"``, ``"000A"``), an
    IANA name or an OpenSSL name -> ``(code, IANA name)``; None when unknown."""
    global _BY_NAME
    s = spec.strip()
    if not s:
        return None
    if s[:2].lower() == "0x":
        s = s[2:]
    if len(s) in (2, 4) and all(c in "0123456789abcdefABCDEF" for c in s):
        code = int(s, 16)
        if code in SUITES:
            return code, SUITES[code][0]
        return None
    if _BY_NAME is None:
        names: dict[str, int] = {}
        for code, (iana, ossl) in SUITES.items():
            names[iana.upper()] = code
            if ossl:
                names.setdefault(ossl.upper(), code)
        _BY_NAME = names
    code = _BY_NAME.get(s.upper())
    if code is None and not s.upper().startswith("TLS_"):
        code = _BY_NAME.get("TLS_" + s.upper())
    return (code, SUITES[code][0]) if code is not None else None


def split_cipher_specs(specs: str) -> list[int]:
    """The codes in a System SSL cipher spec string: ``"0A2F"`` -> ``[0x0A, 0x2F]``.

    4-character specs are used when every 4-character piece is a known suite
    outside 0x00nn; otherwise the string is read as 2-character specs."""
    s = "".join(specs.split()).upper()
    if not s or any(c not in "0123456789ABCDEF" for c in s):
        return []
    if len(s) % 4 == 0:
        four = [int(s[i:i + 4], 16) for i in range(0, len(s), 4)]
        if all(c in SUITES and (c > 0xFF or s[i * 4:i * 4 + 2] == "00") for i, c in enumerate(four)):
            return four
    if len(s) % 2:
        return []
    return [int(s[i:i + 2], 16) for i in range(0, len(s), 2)]


def extension_name(code: int) -> str:
    return EXTENSIONS.get(code, f"unknown_{code}")


def group_name(code: int) -> str:
    return GROUPS.get(code, f"0x{code:04X}")


def signature_scheme_name(code: int) -> str:
    return SIGNATURE_SCHEMES.get(code, f"0x{code:04X}")


def alert_name(level: int | None, description: int | None) -> str:
    lv = ALERT_LEVELS.get(level, f"level {level}") if level is not None else "?"
    ds = ALERT_DESCRIPTIONS.get(description, f"alert {description}") if description is not None else "?"
    return f"{lv} {ds}"
