"""The text of one stored line: its bytes decoded with the artifact's codec,
the line end and the ASA column removed.

It lives in the model so that an :class:`~tlsworkbench.model.artifact.Artifact`
can read its own lines without importing the readers (ingest); the readers use
it too (``tlsworkbench.ingest.decode.decode_line`` is this function).
"""

from __future__ import annotations

import ebcdic  # noqa: F401  (registers the cp1047 codec)

EBCDIC_CODECS = ("cp1047", "cp037")
MAX_TEXT = 64 * 1024
"""The longest text kept of one line: a longer line (a 1 MB SYSLOG record) is
one line whose text is its first 64 KiB (ingest/decode.py)."""


def head(raw: bytes, encoding: str) -> bytes:
    """The first MAX_TEXT bytes of a long line (not inside a UTF-8 character)."""
    cut = MAX_TEXT
    if encoding == "utf-8":
        back = 0
        while back < 3 and 0x80 <= raw[cut - back] < 0xC0:
            back += 1
        if back < 3:
            cut -= back
    return raw[:cut]


def decode_line(raw: bytes, encoding: str, layout: str, asa: bool) -> str:
    """Text of one line's bytes: line end and ASA column removed. Never raises."""
    if len(raw) > MAX_TEXT:
        raw = head(raw, encoding)
    try:
        return _decode_line(raw, encoding, layout, asa)
    except Exception:  # an unknown codec name in a session file, for instance
        return raw.decode("latin-1")


def _decode_line(raw: bytes, encoding: str, layout: str, asa: bool) -> str:
    fixed = layout.startswith("fixed")
    if encoding in EBCDIC_CODECS or encoding.startswith("cp"):
        if not fixed and raw[-1:] in (b"\x15", b"\x25"):
            raw = raw[:-1]
        text = raw.decode(encoding, "replace")
    else:
        if not fixed:
            if raw.endswith(b"\n"):
                raw = raw[:-1]
            if raw.endswith(b"\r"):
                raw = raw[:-1]
        if encoding == "utf-8":
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                text = raw.decode("latin-1")
            if text.startswith("\ufeff"):
                text = text[1:]
        else:
            text = raw.decode("latin-1")
    if asa and text:
        text = text[1:]
    if fixed:
        text = text.rstrip(" ")
    return text
