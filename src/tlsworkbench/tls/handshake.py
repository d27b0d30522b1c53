"""Decode TLS handshake messages (SSLv3 to TLS 1.3), with or without record
headers, including the SSLv2-compatible ClientHello.

``decode(data, version=None)`` never raises. It returns one ``TlsMessage`` per
message found; a message cut short (a truncated trace dump, a gap) keeps every
field read before the cut, with ``complete=False``, ``stopped_at`` (byte offset
in ``data``) and ``problem``. ``version`` is the negotiated protocol version when
the caller knows it: the layouts of Certificate, CertificateRequest,
CertificateVerify, ServerKeyExchange and NewSessionTicket depend on it; without
it the layout is inferred from the bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .extensions import extension_names, read_extensions
from .names import (HANDSHAKE_TYPES, alert_name, group_name, handshake_name,
                    signature_scheme_name, suite_name, version_name)
from .records import Cursor, Short, split_records

HRR_RANDOM = bytes.fromhex("CF21AD74E59A6111BE1D8C021E65B891C2A211167ABB8C5E079E09E2C8A8339C")
TLS13 = 0x0304


@dataclass
class TlsMessage:
    type: str
    """TLS spelling: ``"ClientHello"``, ``"HelloRetryRequest"``, ``"Alert"`` ..."""
    handshake_type: int | None = None
    offset: int = 0
    length: int | None = None
    """Declared body length."""
    fields: dict = field(default_factory=dict)
    complete: bool = True
    stopped_at: int | None = None
    problem: str | None = None

    # Convenience views over ``fields``.
    @property
    def version(self) -> int | None:
        """Negotiated (ServerHello, supported_versions honoured) or offered version."""
        f = self.fields
        return f.get("selected_version") or f.get("version")

    @property
    def cipher_suites(self) -> list[int]:
        return self.fields.get("cipher_suites", [])

    @property
    def cipher_suite(self) -> int | None:
        return self.fields.get("cipher_suite")

    @property
    def extensions(self) -> list[str]:
        return extension_names(self.fields.get("extension_codes", []))

    @property
    def server_name(self) -> str | None:
        return self.fields.get("server_name")

    @property
    def certificates(self) -> list[bytes]:
        return self.fields.get("certificates", [])


def decode(data: bytes, version: int | None = None) -> list[TlsMessage]:
    """Every message in ``data`` (see the module docstring)."""
    data = bytes(data)
    try:
        return _decode(data, version)
    except Exception as exc:  # a decoder bug must not break a reader
        return [TlsMessage("Unknown", complete=False, stopped_at=0,
                           problem=f"decoder error: {type(exc).__name__}: {exc}")]


def _decode(data: bytes, version: int | None) -> list[TlsMessage]:
    rl = split_records(data)
    if rl.sslv2:
        msg = _sslv2_client_hello(rl.handshake, 2)
        if rl.problem and msg.complete:
            msg.complete, msg.stopped_at, msg.problem = False, rl.stopped_at, rl.problem
        return [msg]
    out: list[TlsMessage] = []
    base = 0
    if rl.framed:
        for rec in rl.records:
            if rec.content_type == 21:
                out.append(decode_alert(rec.payload, rec.offset + 5))
            elif rec.content_type == 20:
                out.append(TlsMessage("ChangeCipherSpec", offset=rec.offset, length=rec.length))
        hs_recs = [r for r in rl.records if r.content_type == 22]
        base = hs_recs[0].offset + 5 if len(hs_recs) == 1 else 0
    out.extend(decode_handshake(rl.handshake, version, base))
    if rl.problem and out and out[-1].complete:
        last = out[-1]
        last.complete, last.stopped_at, last.problem = False, rl.stopped_at, rl.problem
    return out


def decode_alert(data: bytes, base: int = 0) -> TlsMessage:
    msg = TlsMessage("Alert", offset=base, length=len(data))
    if len(data) < 2:
        msg.complete, msg.stopped_at = False, base + len(data)
        msg.problem = f"alert needs 2 bytes, {len(data)} present"
        return msg
    msg.fields.update(level=data[0], description=data[1], alert=alert_name(data[0], data[1]))
    return msg


def decode_handshake(data: bytes, version: int | None = None, base: int = 0) -> list[TlsMessage]:
    """Handshake messages (type, u24 length, body) back to back."""
    out: list[TlsMessage] = []
    buf = memoryview(data)
    pos = 0
    while pos < len(buf):
        if len(buf) - pos < 4:
            out.append(TlsMessage(handshake_name(buf[pos]) if buf[pos] in HANDSHAKE_TYPES
                                  else "Unknown", buf[pos], base + pos, None, complete=False,
                                  stopped_at=base + len(buf),
                                  problem=f"handshake header needs 4 bytes, {len(buf) - pos} present"))
            break
        mtype = buf[pos]
        length = int.from_bytes(buf[pos + 1:pos + 4], "big")
        msg = TlsMessage(handshake_name(mtype), mtype, base + pos, length)
        out.append(msg)
        if mtype not in HANDSHAKE_TYPES:
            msg.complete, msg.stopped_at = False, base + pos
            msg.problem = f"not a handshake message (type {mtype})"
            break
        end = pos + 4 + length
        cur = Cursor(buf, pos + 4, end, base)
        try:
            _BODY[mtype](cur, msg, version)
            if cur.left > 0 and end <= len(buf):
                msg.fields["trailing_bytes"] = cur.left
        except Short as exc:
            msg.complete, msg.stopped_at, msg.problem = False, exc.offset, str(exc)
        if end > len(buf):
            msg.complete = False
            if msg.stopped_at is None:
                msg.stopped_at = base + len(buf)
            msg.problem = msg.problem or f"message declares {length} bytes, {len(buf) - pos - 4} present"
            break
        if msg.type == "ServerHello" and msg.version:
            version = msg.version
        pos = end
    return out


# -- message bodies -----------------------------------------------------------
def _client_hello(c: Cursor, m: TlsMessage, version) -> None:
    f = m.fields
    f["version"] = c.u16("client_version")
    f["random"] = c.take(32, "random").hex()
    f["session_id"] = c.vector(1, "session_id").hex()
    f["cipher_suites"] = c.u16_list(2, "cipher_suites")
    f["compression_methods"] = list(c.vector(1, "compression_methods"))
    if c.left > 0:
        read_extensions(c, "ClientHello", f)
    if f.get("supported_versions"):
        f["offered_versions"] = f["supported_versions"]


def _server_hello(c: Cursor, m: TlsMessage, version) -> None:
    f = m.fields
    f["version"] = c.u16("server_version")
    rnd = c.take(32, "random")
    f["random"] = rnd.hex()
    if rnd == HRR_RANDOM:
        m.type = "HelloRetryRequest"
    f["session_id"] = c.vector(1, "session_id").hex()
    f["cipher_suite"] = c.u16("cipher_suite")
    f["compression_method"] = c.u8("compression_method")
    if c.left > 0:
        read_extensions(c, "ServerHello", f)


def _sslv2_client_hello(data: bytes, base: int) -> TlsMessage:
    m = TlsMessage("ClientHello", 1, base, len(data))
    f = m.fields
    f["sslv2_format"] = True
    c = Cursor(data, 0, None, base)
    try:
        c.u8("msg_type")
        f["version"] = c.u16("version")
        spec_len = c.u16("cipher_specs length")
        sid_len = c.u16("session_id length")
        chal_len = c.u16("challenge length")
        specs = c.take(spec_len, "cipher_specs")
        suites, v2 = [], []
        for i in range(0, len(specs) - 2, 3):
            code = int.from_bytes(specs[i:i + 3], "big")
            (suites if code <= 0xFFFF else v2).append(code)
        f["cipher_suites"] = suites
        f["sslv2_cipher_kinds"] = [f"0x{k:06X}" for k in v2]
        f["session_id"] = c.take(sid_len, "session_id").hex()
        f["challenge"] = c.take(chal_len, "challenge").hex()
    except Short as exc:
        m.complete, m.stopped_at, m.problem = False, exc.offset, str(exc)
    return m


def _certificate(c: Cursor, m: TlsMessage, version) -> None:
    f = m.fields
    tls13 = version == TLS13 if version else _looks_tls13_certificate(c)
    if tls13:
        f["layout"] = "TLS 1.3"
        f["request_context"] = c.vector(1, "certificate_request_context").hex()
    total = c.u24("certificate_list length")
    f["list_length"] = total
    certs: list[bytes] = f.setdefault("certificates", [])
    lengths: list[int] = f.setdefault("certificate_lengths", [])
    lst = Cursor(c.buf, c.pos, min(c.pos + total, c.end), c.base)
    c.pos = lst.end
    while lst.left > 0:
        n = lst.u24("certificate length")
        lengths.append(n)
        if n > lst.left:
            start, have = lst.offset, lst.left
            f["partial_certificate"] = lst.take(have, "certificate")
            raise Short(f"certificate {len(certs) + 1}", start, n, have, start + have)
        certs.append(lst.take(n, f"certificate {len(certs) + 1}"))
        if tls13:
            lst.vector(2, "certificate extensions")


def _looks_tls13_certificate(c: Cursor) -> bool:
    body = c.buf[c.pos:c.end]
    if len(body) >= 3 and int.from_bytes(body[0:3], "big") == len(body) - 3:
        return False
    if len(body) >= 4 and body[0] < 0x20 and int.from_bytes(body[1 + body[0]:4 + body[0]], "big") \
            == len(body) - 4 - body[0]:
        return True
    # Truncated: a 1.2 list starts with a u24 length then a u24 certificate
    # length then 0x30 (DER SEQUENCE); a 1.3 one has the context byte first.
    return len(body) >= 8 and body[0] == 0 and body[7] == 0x30 and body[6] != 0x30


def _certificate_request(c: Cursor, m: TlsMessage, version) -> None:
    f = m.fields
    if version == TLS13 or (version is None and c.left > 0 and c.buf[c.pos] == 0
                            and c.left >= 3 and int.from_bytes(c.buf[c.pos + 1:c.pos + 3], "big")
                            == c.left - 3):
        f["layout"] = "TLS 1.3"
        f["request_context"] = c.vector(1, "certificate_request_context").hex()
        read_extensions(c, "CertificateRequest", f)
        return
    f["certificate_types"] = list(c.vector(1, "certificate_types"))
    with_sigs = version is not None and version >= 0x0303
    if version is None and c.left >= 2:
        n = int.from_bytes(c.buf[c.pos:c.pos + 2], "big")
        with_sigs = n % 2 == 0 and n + 2 < c.left and n + 4 <= c.left \
            and int.from_bytes(c.buf[c.pos + 2 + n:c.pos + 4 + n], "big") == c.left - n - 4
    if with_sigs:
        f["signature_algorithms"] = [signature_scheme_name(s)
                                     for s in c.u16_list(2, "supported_signature_algorithms")]
    cas = c.sub(2, "certificate_authorities", partial=True)
    names = []
    while cas.left > 0:
        names.append(cas.vector(2, "distinguished name"))
    f["certificate_authorities"] = len(names)
    f["certificate_authority_ders"] = names


def _server_key_exchange(c: Cursor, m: TlsMessage, version) -> None:
    f = m.fields
    if c.left >= 4 and c.buf[c.pos] == 3:
        f["key_exchange"] = "ECDHE"
        c.u8("curve_type")
        f["group"] = group_name(c.u16("named_curve"))
        f["public_key_length"] = len(c.vector(1, "public key"))
    else:
        f["key_exchange"] = "DHE"
        f["dh_p_bits"] = len(c.vector(2, "dh_p")) * 8
        c.vector(2, "dh_g")
        f["public_key_length"] = len(c.vector(2, "dh_Ys"))
    _signature(c, f, version)


def _signature(c: Cursor, f: dict, version) -> None:
    if c.left == 0:
        return
    scheme = version is not None and version >= 0x0303
    if version is None and c.left >= 2:
        scheme = int.from_bytes(c.buf[c.pos:c.pos + 2], "big") + 2 != c.left
    if scheme:
        f["signature_scheme"] = signature_scheme_name(c.u16("signature scheme"))
    f["signature_length"] = len(c.vector(2, "signature"))


def _client_key_exchange(c: Cursor, m: TlsMessage, version) -> None:
    f = m.fields
    n = c.left
    f["exchange_length"] = n
    if n >= 1 and c.buf[c.pos] + 1 == n:
        f["key_exchange"] = "ECDHE"
        f["public_key_length"] = len(c.vector(1, "ecdh_Yc"))
    elif n >= 2 and int.from_bytes(c.buf[c.pos:c.pos + 2], "big") + 2 == n:
        f["key_exchange"] = "RSA or DHE"
        f["encrypted_length"] = len(c.vector(2, "exchange_keys"))
    else:
        f["key_exchange"] = "RSA (SSLv3 layout)" if version == 0x0300 else "unknown layout"
        c.take(n, "exchange_keys")


def _certificate_verify(c: Cursor, m: TlsMessage, version) -> None:
    _signature(c, m.fields, version)


def _finished(c: Cursor, m: TlsMessage, version) -> None:
    m.fields["verify_data_length"] = len(c.take(c.left, "verify_data"))


def _new_session_ticket(c: Cursor, m: TlsMessage, version) -> None:
    f = m.fields
    f["lifetime"] = c.uint(4, "ticket_lifetime_hint")
    tls13 = version == TLS13
    if version is None and c.left >= 2:
        tls13 = int.from_bytes(c.buf[c.pos:c.pos + 2], "big") + 2 != c.left
    if tls13:
        c.uint(4, "ticket_age_add")
        c.vector(1, "ticket_nonce")
        f["ticket_length"] = len(c.vector(2, "ticket"))
        read_extensions(c, "NewSessionTicket", f)
    else:
        f["ticket_length"] = len(c.vector(2, "ticket"))


def _encrypted_extensions(c: Cursor, m: TlsMessage, version) -> None:
    read_extensions(c, "EncryptedExtensions", m.fields)


def _empty(c: Cursor, m: TlsMessage, version) -> None:
    if c.left:
        m.fields["body_length"] = c.left
        c.take(c.left, "body")


def _opaque(c: Cursor, m: TlsMessage, version) -> None:
    m.fields["body_length"] = len(c.take(c.left, "body"))


_BODY = {
    0: _empty, 1: _client_hello, 2: _server_hello, 4: _new_session_ticket, 5: _empty,
    8: _encrypted_extensions, 11: _certificate, 12: _server_key_exchange,
    13: _certificate_request, 14: _empty, 15: _certificate_verify, 16: _client_key_exchange,
    20: _finished, 21: _opaque, 22: _opaque, 24: _opaque, 254: _opaque,
}


def summary(msg: TlsMessage) -> dict:
    """Names for the coded fields of a message (for display and JSON)."""
    out = {"type": msg.type, "version": version_name(msg.version)}
    if msg.cipher_suites:
        out["cipher_suites"] = [suite_name(s) for s in msg.cipher_suites]
    if msg.cipher_suite is not None:
        out["cipher_suite"] = suite_name(msg.cipher_suite)
    out["extensions"] = msg.extensions
    if msg.server_name:
        out["server_name"] = msg.server_name
    return out
