"""Reassemble the bytes of a trace hex dump.

A dump line is an offset, up to four groups of up to 8 hex digits, and the
characters on the right in ``*...*`` or ``"..."``::

    00000000: 0100002D 03025089 8BF6761E A90F924A  *..-..P...v....J*
    00000030: 00

Each group sits at ``offset + 4 * position``. A group that cannot be right (odd
number of digits, or shorter than 8 digits but not the last group of the line,
as in the seed's ``0B00523``) becomes a 4-byte gap at its position; the other
groups keep their bytes. Lines whose offset jumps ahead (lines left out of the
excerpt) leave a gap from the expected offset. Nothing here raises.

Memory stays bounded by the input: no dump grows past what one TLS handshake
message can hold (``MAX_MESSAGE``: a 4-byte header and a 24-bit length), and no
line's offset may jump more than ``MAX_GAP`` past what came before (a hostile
``FFFFFFF0:`` would otherwise zero-fill 4 GB). Such a line is ignored and said
in ``problems``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_FULL = re.compile(r"\s{0,80}([0-9A-Fa-f]{8}):?\s+([0-9A-Fa-f]{8}) ([0-9A-Fa-f]{8}) ([0-9A-Fa-f]{8}) "
                   r"([0-9A-Fa-f]{8})(?:\s|$)")
_LINE = re.compile(r"^([0-9A-Fa-f]{8}):?(?:\s+(.*))?$")
_HEX = frozenset("0123456789abcdefABCDEF")
MAX_MESSAGE = 4 + 0xFFFFFF
"""The largest TLS handshake message: a dump never holds more bytes."""
MAX_GAP = 64 * 1024
"""The furthest one dump line (or a continued record) may jump ahead."""


@dataclass
class Gap:
    offset: int
    length: int
    reason: str


@dataclass
class HexDump:
    title: str = ""
    """The line before the hex lines, e.g. ``"CLIENT-HELLO message"``."""
    data: bytearray = field(default_factory=bytearray)
    """Bytes by offset; positions inside a gap hold zeros."""
    gaps: list[Gap] = field(default_factory=list)
    first_offset: int | None = None
    lines: int = 0
    problems: list[str] = field(default_factory=list)
    """Lines that could not be placed (offset going back)."""

    @property
    def end(self) -> int:
        return len(self.data)

    def prefix(self) -> bytes:
        """The bytes from offset 0 (or the first offset) up to the first gap."""
        start = self.first_offset or 0
        stops = [g.offset for g in self.gaps if g.offset >= start and not (g.offset == 0 and start)]
        stop = min(stops) if stops else len(self.data)
        return bytes(self.data[start:max(start, stop)])

    @property
    def complete(self) -> bool:
        return not self.gaps and (self.first_offset or 0) == 0

    def add_line(self, text: str) -> bool:
        """Add one dump line; False when ``text`` is not a dump line."""
        f = _FULL.match(text)
        if f is not None and self.lines and int(f.group(1), 16) == len(self.data) < MAX_MESSAGE - 16:
            self.data += bytes.fromhex(f.group(2) + f.group(3) + f.group(4) + f.group(5))
            self.lines += 1
            return True
        m = _LINE.match(text.strip())
        if not m:
            return False
        offset = int(m.group(1), 16)
        groups = _groups(m.group(2) or "")
        if groups is None:
            return False
        if offset > len(self.data) + MAX_GAP or offset + 4 * len(groups) > MAX_MESSAGE:
            self.problems.append(f"offset {offset:#x} lies beyond what one TLS message allows "
                                 f"(at {len(self.data):#x}); line ignored")
            return True
        self.lines += 1
        if self.first_offset is None:
            self.first_offset = offset
            if offset:
                self.gaps.append(Gap(0, offset, f"dump starts at offset {offset:#x}"))
        expected = len(self.data)
        if offset > expected and self.lines > 1:
            self.gaps.append(Gap(expected, offset - expected,
                                 f"lines left out: offset jumps from {expected:#x} to {offset:#x}"))
        elif offset < expected:
            self.problems.append(f"offset {offset:#x} goes back (expected {expected:#x}); "
                                 "line ignored")
            return True
        if offset > len(self.data):
            self.data.extend(bytes(offset - len(self.data)))
        last = len(groups) - 1
        for i, g in enumerate(groups):
            pos = offset + 4 * i
            ok = len(g) % 2 == 0 and (len(g) == 8 or i == last) and len(g) <= 8
            if ok:
                raw = bytes.fromhex(g)
                if len(self.data) < pos:
                    self.data.extend(bytes(pos - len(self.data)))
                self.data[pos:pos + len(raw)] = raw
            else:
                width = 4 if i < last else max(1, (len(g) + 1) // 2)
                if len(self.data) < pos + width:
                    self.data.extend(bytes(pos + width - len(self.data)))
                self.gaps.append(Gap(pos, width, f"bad hex group {g!r} at offset {pos:#x}"))
        return True

    def gap_text(self) -> str:
        return "; ".join([g.reason for g in self.gaps] + self.problems)


def _groups(rest: str) -> list[str] | None:
    """The hex groups at the start of ``rest`` (up to 4); None when there are none."""
    out: list[str] = []
    for tok in rest.split():
        if len(out) == 4 or tok[0] in "*\"" or not _HEX.issuperset(tok) or len(tok) > 8:
            break
        out.append(tok)
    return out or None


def is_dump_line(text: str) -> bool:
    m = _LINE.match(text.strip())
    return bool(m) and _groups(m.group(2) or "") is not None


def parse_dump(lines: list[str]) -> HexDump:
    """A dump from the detail lines of one trace record (title first)."""
    dump = HexDump()
    data = dump.data
    full = _FULL.match
    for text in lines:
        f = full(text)
        if f is not None and dump.lines and int(f.group(1), 16) == len(data) < MAX_MESSAGE - 16:
            data += bytes.fromhex("".join(f.groups()[1:]))  # the usual full line
            dump.lines += 1
        elif not dump.add_line(text) and dump.lines == 0 and text.strip():
            dump.title = (dump.title + " " + text.strip()).strip()
    return dump


def merge(first: HexDump, more: HexDump) -> bool:
    """Append a dump continued in a following record (its offsets go on where
    ``first`` ended or later). False when ``more`` does not continue ``first``."""
    start = more.first_offset
    if start is None or start == 0 or start < first.end or start > first.end + MAX_GAP \
            or len(more.data) > MAX_MESSAGE - first.end + start:
        return False
    if start > first.end:
        first.gaps.append(Gap(first.end, start - first.end,
                              f"lines left out: offset jumps from {first.end:#x} to {start:#x}"))
        first.data.extend(bytes(start - first.end))
    first.data.extend(more.data[start:])
    first.gaps.extend(g for g in more.gaps if g.offset >= start)
    first.lines += more.lines
    return True
