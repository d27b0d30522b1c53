"""Small helpers shared by the readers: endpoints, hex ids, message ids, times,
and ``printable`` for showing untrusted text on a terminal."""

from __future__ import annotations

import gc
import re
from contextlib import contextmanager
from datetime import date, datetime, timedelta

# ----------------------------------------------------------------------------
# Terminal safety

# C0 controls except tab, DEL, C1 controls, and Unicode format characters that
# reorder or hide text (bidi overrides and isolates, zero-width marks).
_UNSAFE = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]"
)


def _escape(m: re.Match) -> str:
    c = ord(m.group())
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def printable(text: str) -> str:
    """``text`` with control characters (C0, C1, ESC, DEL) and invisible
    reordering marks replaced by visible escapes such as ``\\x1b``. Tabs stay."""
    if text.isascii() and text.isprintable():
        return text
    return _UNSAFE.sub(_escape, text)


# ----------------------------------------------------------------------------
# Endpoints and ids

_MAPPED = re.compile(r"^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$", re.IGNORECASE)
ENDPOINT_RE = re.compile(r"([0-9A-Fa-f:.]{0,45}[0-9A-Fa-f])\.\.(\d{1,5})\b")
"""An address and port as ``ip..port``. The address part is bounded (45
characters hold the longest IPv6 form, ``::ffff:255.255.255.255`` included), so
each start position looks at most 46 characters ahead: linear in the line, where
an unbounded ``[...]*`` took quadratic time on a long run of digits and dots."""


def normalize_ip(ip: str) -> str:
    """``::FFFF:1.2.3.4`` -> ``1.2.3.4``; IPv6 in lower case; IPv4 as is."""
    ip = ip.strip()
    m = _MAPPED.match(ip)
    if m:
        return m.group(1)
    if ":" in ip:
        return ip.lower()
    return ip


def parse_endpoint(text: str) -> tuple[str, int] | None:
    """``"192.168.20.93..21"``, ``"::FFFF:192.168.20.93..21"``, ``"2001:db8::5..443"``
    -> ``(ip, port)``; None when it is not an endpoint."""
    m = ENDPOINT_RE.search(text or "")
    if not m:
        return None
    port = int(m.group(2))
    if port > 65535:
        return None
    return normalize_ip(m.group(1)), port


_HEX = re.compile(r"^[0-9A-Fa-f]{1,8}$")


def hex8(text: str) -> str | None:
    """An 8-digit upper-case hex id (``"7cc"`` -> ``"000007CC"``); None if not hex."""
    text = (text or "").strip()
    if not _HEX.match(text):
        return None
    return text.upper().zfill(8)


# ----------------------------------------------------------------------------
# Message ids

# IBM message ids: a 3-letter component prefix, up to 3 more letters, 3-5
# digits, an optional type letter (EZD1287I, ICH408I, IRRD115I, DFHSO0123,
# IEF450I, GSK01001E); also JES2 $HASPnnn.
MSGID_RE = re.compile(r"(?<![\w$#@])(\$HASP\d{3}|[A-Z]{3}[A-Z]{0,3}\d{2,5}[A-Z]?)(?![\w$#@])")
MSGID_AT_START = re.compile(r"(\$HASP\d{3}|[A-Z]{3}[A-Z]{0,3}\d{2,5}[A-Z]?)(?![\w$#@])")

# The last letter of a message id: I info, W/A warning/action, E/S error.
_SEVERITY = {"E": "error", "S": "error", "W": "warning", "A": "warning", "D": "warning"}


def msgid_severity(msgid: str) -> str:
    return _SEVERITY.get(msgid[-1:], "info")


CMS_STATUS_RE = re.compile(r"(?<![0-9A-Fa-f])(0335[0-9A-Fa-f]{4})(?![0-9A-Fa-f])")


def cms_status(text: str) -> str | None:
    """A System SSL (CMS) status code such as ``0335304B`` found in the text."""
    m = CMS_STATUS_RE.search(text)
    return m.group(1).upper() if m else None


# ----------------------------------------------------------------------------
# Times

_TIME_RE = re.compile(r"^(\d{1,2})[:.](\d{2})[:.](\d{2})(?:[.,](\d{1,6}))?$")
MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}


def parse_clock(text: str) -> tuple[int, int, int, int] | None:
    """``"13:59:02.92"`` / ``"13.59.02"`` -> (h, m, s, microseconds)."""
    m = _TIME_RE.match(text.strip())
    if not m:
        return None
    h, mi, s = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if h > 23 or mi > 59 or s > 60:
        return None
    frac = m.group(4) or ""
    us = int(frac.ljust(6, "0")) if frac else 0
    return h, mi, min(s, 59), us


def julian_date(text: str) -> date | None:
    """``"14071"`` (yyddd) or ``"2014071"`` (yyyyddd) -> date; None if invalid."""
    text = text.strip()
    if not text.isdigit() or len(text) not in (5, 7):
        return None
    if len(text) == 5:
        yy = int(text[:2])
        year = 2000 + yy if yy < 70 else 1900 + yy
        ddd = int(text[2:])
    else:
        year, ddd = int(text[:4]), int(text[4:])
    if not 1 <= ddd <= 366 or year < 1900:
        return None
    d = date(year, 1, 1) + timedelta(days=ddd - 1)
    return d if d.year == year else None


def combine(day: date | None, clock: str) -> datetime | None:
    """A datetime from a date (or None: 1900-01-01 as a placeholder) and a clock text."""
    c = parse_clock(clock)
    if c is None:
        return None
    day = day or date(1900, 1, 1)
    return datetime(day.year, day.month, day.day, c[0], c[1], c[2], c[3])


_ISO_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,6}))?(Z|[+-]\d{2}:?\d{2})?$")


def iso_time(text: str) -> datetime | None:
    """RFC 3339 time -> naive local time as written (the offset is dropped: it is
    the system's own local time we want)."""
    m = _ISO_RE.match(text.strip())
    if not m:
        return None
    frac = m.group(7) or ""
    try:
        return datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)), int(m.group(4)),
                        int(m.group(5)), min(int(m.group(6)), 59), int(frac.ljust(6, "0")) if frac else 0)
    except ValueError:
        return None


@contextmanager
def gc_paused():
    """Pause the cyclic garbage collector while a reader builds many objects.

    Records hold no reference cycles, yet each full collection walks all of them
    again: on a million records that is about a third of the reading time. The
    previous state is restored when the reader ends or is closed."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


class PendingMessage:
    """A console or syslogd message being collected over one or more lines; the
    readers subclass it with the fields of their layout."""

    __slots__ = ("line", "end", "lines", "parts", "msgid", "system", "time")

    def __init__(self, line, text, part, msgid, system, time):
        self.line = line
        self.end = line
        self.lines = [text]
        self.parts = [part]
        self.msgid = msgid
        self.system = system
        self.time = time

    def add(self, n: int, text: str, part: str) -> None:
        self.end = n
        self.lines.append(text)
        if part:
            self.parts.append(part)

