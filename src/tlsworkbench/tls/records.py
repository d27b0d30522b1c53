"""Bounds-checked reading of TLS wire bytes, and the record layer.

``Cursor`` reads big-endian integers and length-prefixed vectors from a
memoryview and raises ``Short`` (with the field name and the absolute byte
offset) when the bytes run out, so a decoder can stop there and report how far
it got. ``split_records`` separates TLS records (or an SSLv2 record header) from
the handshake bytes they carry.
"""

from __future__ import annotations

from dataclasses import dataclass, field

CONTENT_TYPES = {20: "ChangeCipherSpec", 21: "Alert", 22: "Handshake", 23: "ApplicationData",
                 24: "Heartbeat"}


class Short(Exception):
    """The bytes end (or a length is inconsistent) inside a field."""

    def __init__(self, what: str, offset: int, need: int, have: int, stop: int | None = None):
        super().__init__(f"{what}: needs {need} bytes at offset {offset}, {have} present")
        self.what = what
        self.offset = offset if stop is None else stop
        """Where decoding stopped: the start of the field that is cut short."""


class Cursor:
    """Reads from ``buf[pos:end]``; offsets reported are ``base + pos``."""

    __slots__ = ("buf", "pos", "end", "base")

    def __init__(self, buf, pos: int = 0, end: int | None = None, base: int = 0):
        self.buf = memoryview(buf) if not isinstance(buf, memoryview) else buf
        self.pos = pos
        self.end = len(self.buf) if end is None else min(end, len(self.buf))
        self.base = base

    @property
    def offset(self) -> int:
        return self.base + self.pos

    @property
    def left(self) -> int:
        return self.end - self.pos

    def take(self, n: int, what: str) -> bytes:
        if n < 0 or self.pos + n > self.end:
            raise Short(what, self.offset, n, self.left)
        out = bytes(self.buf[self.pos:self.pos + n])
        self.pos += n
        return out

    def uint(self, size: int, what: str) -> int:
        return int.from_bytes(self.take(size, what), "big")

    def u8(self, what: str) -> int:
        return self.uint(1, what)

    def u16(self, what: str) -> int:
        return self.uint(2, what)

    def u24(self, what: str) -> int:
        return self.uint(3, what)

    def vector(self, len_size: int, what: str) -> bytes:
        n = self.uint(len_size, f"{what} length")
        return self.take(n, what)

    def sub(self, len_size: int, what: str, partial: bool = False) -> "Cursor":
        """A cursor over the next length-prefixed block. With ``partial`` the block
        may be cut short by the end of the data (the cursor then ends early)."""
        n = self.uint(len_size, f"{what} length")
        if self.pos + n > self.end and not partial:
            raise Short(what, self.offset, n, self.left)
        c = Cursor(self.buf, self.pos, min(self.pos + n, self.end), self.base)
        self.pos = min(self.pos + n, self.end)
        return c

    def u16_list(self, len_size: int, what: str) -> list[int]:
        raw = self.vector(len_size, what)
        return [int.from_bytes(raw[i:i + 2], "big") for i in range(0, len(raw) - 1, 2)]


@dataclass
class TlsRecord:
    offset: int
    content_type: int
    version: int
    length: int
    payload: bytes
    complete: bool = True


@dataclass
class RecordLayer:
    """The payload of a byte string once record headers are removed."""

    records: list[TlsRecord] = field(default_factory=list)
    handshake: bytes = b""
    """Concatenated handshake fragments (or the input itself when it has no headers)."""
    framed: bool = False
    """True when the bytes began with a TLS record header."""
    sslv2: bool = False
    """True when the bytes are an SSLv2-format record (SSLv2-compatible ClientHello)."""
    problem: str | None = None
    stopped_at: int | None = None


def looks_like_record(data: bytes) -> bool:
    return (len(data) >= 5 and data[0] in CONTENT_TYPES and data[1] == 3
            and data[2] <= 4)


def looks_like_sslv2(data: bytes) -> bool:
    """An SSLv2 two-byte header (high bit set) followed by CLIENT-HELLO (1) and a
    version 0x0002 or 0x03xx."""
    return (len(data) >= 5 and data[0] & 0x80 and data[2] == 1
            and (data[3] == 3 or (data[3] == 0 and data[4] == 2)))


def split_records(data: bytes) -> RecordLayer:
    """Strip TLS record headers. Bytes without a record header come back as the
    handshake payload unchanged. Never raises."""
    out = RecordLayer()
    if looks_like_sslv2(data):
        out.sslv2 = True
        n = ((data[0] & 0x7F) << 8) | data[1]
        out.handshake = data[2:2 + n]
        if len(data) < 2 + n:
            out.problem = f"SSLv2 record declares {n} bytes, {len(data) - 2} present"
            out.stopped_at = len(data)
        return out
    if not looks_like_record(data):
        out.handshake = data
        return out
    out.framed = True
    pos, hs = 0, bytearray()
    while pos < len(data):
        if len(data) - pos < 5 or not looks_like_record(data[pos:pos + 5]):
            out.problem = f"no TLS record header at offset {pos}"
            out.stopped_at = pos
            break
        ctype, ver, n = data[pos], int.from_bytes(data[pos + 1:pos + 3], "big"), \
            int.from_bytes(data[pos + 3:pos + 5], "big")
        payload = data[pos + 5:pos + 5 + n]
        rec = TlsRecord(pos, ctype, ver, n, payload, len(payload) == n)
        out.records.append(rec)
        if ctype == 22:
            hs += payload
        if not rec.complete:
            out.problem = f"record at offset {pos} declares {n} bytes, {len(payload)} present"
            out.stopped_at = len(data)
            break
        pos += 5 + n
    out.handshake = bytes(hs)
    return out
