"""Private keys never enter a session.

A file read from disk or from a session file is checked before any reader sees
it: every PEM block whose label ends in ``PRIVATE KEY`` (``PRIVATE KEY``,
``RSA PRIVATE KEY``, ``EC PRIVATE KEY``, ``ENCRYPTED PRIVATE KEY``, ``OPENSSH
PRIVATE KEY``, the legacy encrypted form with ``Proc-Type: 4,ENCRYPTED``...), in
a certificate file or pasted into any log or note, is replaced by one line
saying it was removed; a file that as a whole is a DER private key (PKCS#1,
PKCS#8, SEC1, encrypted PKCS#8) is replaced by that line too. The artifact then
holds the cleaned bytes in memory (``Artifact.data``), so the workbench's
console, session files, exports, reports and JSON only ever see those, and its
note says ``private key removed``. (PKCS#12 files keep their own rule in
``sessionfile``: only their certificates are stored.)

The check is one ``find`` over the bytes (a memory map for files), so it costs
little even for a big log.
"""

from __future__ import annotations

import re

MARK = b"PRIVATE KEY-----"
EMARK = MARK.decode("ascii").encode("cp037")
"""The same marker in EBCDIC: letters, blank and hyphen are the same bytes in cp037
and cp1047, so one marker finds a key block in a file of either code page."""
REMOVED = "private key removed"
NOTE = ("Private key removed: the file held {n}, which tlsworkbench never keeps; "
        "the rest of the file was read.")


def note(removed: int) -> str:
    return NOTE.format(n="a private key" if removed < 2 else f"{removed} private keys")
_BLOCK = re.compile(
    rb"-----BEGIN ([A-Z0-9 ]{0,40}?)PRIVATE KEY-----"
    rb"(?:[^-]|-(?!----END ))*?"
    rb"(?:-----END [A-Z0-9 ]{0,40}?PRIVATE KEY-----|\Z)")
"""One PEM private-key block, up to its END line or the end of the data (a
truncated block is removed too). Linear: no nested repetition."""
_DER_MAX = 64 * 1024
_CHUNK = 4 << 20


def file_holds_key(fh, size: int) -> bool:
    """Does the open binary file hold a PEM key block or is it a DER key? Read in
    chunks (a mapping of the whole file would count every page of a big log in
    the process's resident memory while it is scanned)."""
    if size <= 0:
        return False
    pos = fh.tell()
    try:
        fh.seek(0)
        if size <= _DER_MAX:
            return holds_key(fh.read())
        keep = max(len(MARK), len(EMARK)) - 1
        tail = b""
        while True:
            chunk = fh.read(_CHUNK)
            if not chunk:
                return False
            data = tail + chunk
            if MARK in data or EMARK in data:
                return True
            tail = data[-keep:]
    finally:
        fh.seek(pos)


def holds_key(data: bytes) -> bool:
    return MARK in data or EMARK in data or (len(data) <= _DER_MAX and is_der_key(data))


def strip(data: bytes) -> tuple[bytes, int]:
    """``data`` without private keys, and how many were removed."""
    if len(data) <= _DER_MAX and is_der_key(data):
        return _line(b"DER").lstrip(b"\n"), 1
    if MARK not in data:
        if EMARK not in data:
            return data, 0
        # EBCDIC text: cp037 maps every byte to one Latin-1 character and back, so the
        # bytes around the key come back unchanged (base64 and '-' are the same in cp1047)
        out, n = strip(data.decode("cp037").encode("latin-1"))
        return out.decode("latin-1").encode("cp037"), n
    count = 0

    def repl(m: re.Match) -> bytes:
        nonlocal count
        count += 1
        return _line(m.group(1) + b"PRIVATE KEY").strip(b"\n")

    out = _BLOCK.sub(repl, data)
    # an END line with no BEGIN, or a BEGIN the pattern could not take: the marker goes
    while MARK in out:
        i = out.find(MARK)
        start = out.rfind(b"\n", 0, i) + 1
        end = out.find(b"\n", i)
        end = len(out) if end < 0 else end
        out = out[:start] + _line(b"PRIVATE KEY").strip(b"\n") + out[end:]
        count += 1
    return out, count


def _line(what: bytes) -> bytes:
    return b"\n[" + what.strip() + b": " + REMOVED.encode() + b" by tlsworkbench]\n"


def is_der_key(data: bytes) -> bool:
    """A whole DER private key (unencrypted or encrypted PKCS#8, PKCS#1, SEC1)."""
    if len(data) < 8 or data[0] != 0x30:
        return False
    from tlsworkbench.ingest.certfile import der_kind

    try:
        if der_kind(bytes(data)) is not None:  # a certificate, PKCS#7 or PKCS#12
            return False
    except Exception:
        pass
    try:
        from cryptography.hazmat.primitives.serialization import load_der_private_key
    except ImportError:
        return False
    try:
        load_der_private_key(bytes(data), password=None)
        return True
    except TypeError:  # "password was not given but private key is encrypted"
        return True
    except Exception:
        return _encrypted_pkcs8(bytes(data))


_PBES2 = bytes.fromhex("06092a864886f70d01050d")  # OID 1.2.840.113549.1.5.13
_PBE_PREFIX = bytes.fromhex("2a864886f70d010c01")  # pkcs-12PbeIds 1.2.840.113549.1.12.1.x


def _encrypted_pkcs8(data: bytes) -> bool:
    """EncryptedPrivateKeyInfo by its shape: SEQUENCE { SEQUENCE { PBE OID ... }, OCTET STRING }
    (cryptography cannot load every cipher, so the shape is enough)."""
    head = data[:40]
    return _PBES2 in head or _PBE_PREFIX in head
