"""Hello extensions: split the extension block and decode the ones a
diagnosis needs (SNI, supported versions, groups, signature algorithms, ALPN,
key share, renegotiation info, point formats, PSK modes). Unknown or
malformed extensions are kept by name with their length."""

from __future__ import annotations

from .names import extension_name, group_name, signature_scheme_name, version_name
from .records import Cursor, Short


def read_extensions(cur: Cursor, msg: str, fields: dict) -> list[int]:
    """Read the u16-length extension block at ``cur``; fill ``fields`` with the
    decoded values. Raises ``Short`` when the block is cut off (after keeping the
    extensions read so far in ``fields['extensions']``)."""
    codes: list[int] = fields.setdefault("extension_codes", [])
    start = cur.offset
    n = cur.u16("extensions length")
    cut = n > cur.left
    block = Cursor(cur.buf, cur.pos, cur.pos + min(n, cur.left), cur.base)
    cur.pos = block.end
    while block.left > 0:
        etype = block.u16("extension type")
        data_cur = block.sub(2, f"extension {extension_name(etype)}")
        codes.append(etype)
        try:
            _decode_one(etype, data_cur, msg, fields)
        except Short:
            fields.setdefault("malformed_extensions", []).append(extension_name(etype))
    if cut:
        raise Short("extensions", start, n + 2, block.end - start)
    return codes


def _decode_one(etype: int, c: Cursor, msg: str, f: dict) -> None:
    if etype == 0:  # server_name
        if c.left == 0:
            f["server_name_ack"] = True
            return
        lst = c.sub(2, "server_name list")
        names = []
        while lst.left > 0:
            kind = lst.u8("name type")
            host = lst.vector(2, "host name")
            if kind == 0:
                names.append(host.decode("ascii", "replace"))
        if names:
            f["server_name"] = names[0]
            f["server_names"] = names
    elif etype == 43:  # supported_versions
        if msg == "ClientHello":
            raw = c.vector(1, "supported_versions")
            f["supported_versions"] = [version_name(int.from_bytes(raw[i:i + 2], "big"))
                                       for i in range(0, len(raw) - 1, 2)]
        else:
            f["selected_version"] = c.u16("selected_version")
    elif etype == 10:  # supported_groups
        f["supported_groups"] = [group_name(g) for g in c.u16_list(2, "supported_groups")]
    elif etype in (13, 50):  # signature_algorithms(_cert)
        key = "signature_algorithms" if etype == 13 else "signature_algorithms_cert"
        f[key] = [signature_scheme_name(s) for s in c.u16_list(2, key)]
    elif etype == 11:  # ec_point_formats
        f["ec_point_formats"] = list(c.vector(1, "ec_point_formats"))
    elif etype == 16:  # ALPN
        lst = c.sub(2, "ALPN list")
        protos = []
        while lst.left > 0:
            protos.append(lst.vector(1, "protocol").decode("ascii", "replace"))
        f["alpn"] = protos
    elif etype == 65281:  # renegotiation_info
        info = c.vector(1, "renegotiation_info")
        f["renegotiation_info"] = info.hex()
        f["secure_renegotiation"] = True
    elif etype == 45:  # psk_key_exchange_modes
        f["psk_key_exchange_modes"] = list(c.vector(1, "psk modes"))
    elif etype == 51:  # key_share
        if msg == "ClientHello":
            lst = c.sub(2, "client_shares")
            shares = []
            while lst.left > 0:
                g = lst.u16("group")
                key = lst.vector(2, "key_exchange")
                shares.append(f"{group_name(g)}({len(key)})")
            f["key_share"] = shares
        elif c.left == 2:  # HelloRetryRequest: only the group
            f["key_share"] = [group_name(c.u16("selected_group"))]
        else:
            g = c.u16("group")
            key = c.vector(2, "key_exchange")
            f["key_share"] = [f"{group_name(g)}({len(key)})"]
    elif etype == 5 and msg == "ClientHello":  # status_request
        if c.left:
            f["status_request"] = c.u8("status_type")


def extension_names(codes: list[int]) -> list[str]:
    return [extension_name(c) for c in codes]
