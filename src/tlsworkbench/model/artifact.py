"""Artifact: one input file of a session, with lazy access to its lines.

An artifact never holds a decoded copy of a big file: it keeps the byte offset
of every line (an ``array('Q')``, 8 bytes a line) and reads lines on demand from
the file on disk or from the bytes embedded in a session file.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from pathlib import Path

from tlsworkbench.model.linetext import decode_line


@dataclass
class Artifact:
    id: str
    """Short id used in record ids: ``"a1"``."""
    path: str
    """Display name: the path as given, or the name inside a session file."""
    kind: str = "unknown"
    """Detected kind (see ingest/registry.py)."""
    encoding: str = "utf-8"
    """Codec of the text: ``"utf-8"``, ``"latin-1"``, ``"cp1047"``, ``"cp037"``, or ``"binary"``."""
    layout: str = "lines"
    """``"lines"`` (LF/CRLF/NL ends) or ``"fixed:<lrecl>"`` (records with no line ends)."""
    asa: bool = False
    """Column 1 holds ASA carriage control (stripped from the text)."""
    sha256: str = ""
    size: int = 0
    records: int = 0
    unparsed: int = 0
    system: str | None = None
    """System name when the whole artifact belongs to one system."""
    note: str = ""
    """A message for the user about this artifact (e.g. why it could not be read)."""
    data: bytes | None = field(default=None, repr=False)
    """The raw bytes when embedded (session files); None when read from ``path``."""
    offsets: array = field(default_factory=lambda: array("Q"), repr=False)
    """Byte offset of the start of each line, plus one final entry at the end."""
    eol: bytes = b"\n"

    @property
    def line_count(self) -> int:
        return max(0, len(self.offsets) - 1)

    def raw(self) -> bytes:
        if self.data is not None:
            return self.data
        return Path(self.path).read_bytes()

    def line(self, n: int) -> str:
        """Text of 1-based line ``n`` (empty string when out of range)."""
        return self.lines(n, n)[0] if 1 <= n <= self.line_count else ""

    def lines(self, first: int, last: int) -> list[str]:
        """Texts of lines ``first..last`` (1-based, inclusive), clamped to the file."""
        first = max(1, first)
        last = min(self.line_count, last)
        if last < first:
            return []
        start, end = self.offsets[first - 1], self.offsets[last]
        if self.data is not None:
            chunk = self.data[start:end]
        else:
            with open(self.path, "rb") as fh:
                fh.seek(start)
                chunk = fh.read(end - start)
        out = []
        for i in range(first, last + 1):
            a = self.offsets[i - 1] - start
            b = self.offsets[i] - start
            out.append(self.decode_line(chunk[a:b]))
        return out

    def some_lines(self, numbers: list[int]) -> list[tuple[int, str]]:
        """``(n, text)`` of the given 1-based line numbers (ascending), read with
        one open file; numbers outside the file are left out."""
        offsets = self.offsets
        count = self.line_count
        out = []
        if self.data is not None:
            data = self.data
            for n in numbers:
                if 1 <= n <= count:
                    out.append((n, self.decode_line(data[offsets[n - 1]:offsets[n]])))
            return out
        with open(self.path, "rb") as fh:
            for n in numbers:
                if 1 <= n <= count:
                    start = offsets[n - 1]
                    fh.seek(start)
                    out.append((n, self.decode_line(fh.read(offsets[n] - start))))
        return out

    def decode_line(self, raw: bytes) -> str:
        return decode_line(raw, self.encoding, self.layout, self.asa)
