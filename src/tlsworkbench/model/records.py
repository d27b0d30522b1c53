"""Records: what the readers make of the lines of one artifact.

A record is one logical item of evidence (a console message that may span several
lines, one syslogd line, one ring entry line, ...). Its stable id is
``"<artifact id>:<first line>"``. Records know nothing of the UI.

Field names used in ``Record.fields`` are listed in docs/model.md; readers and
rules rely on them, so add names there before using new ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

# Severity of a record as shown in the console viewer.
ERROR = "error"
WARNING = "warning"
INFO = "info"


@dataclass(slots=True)
class Record:
    """One logical record read from an artifact."""

    artifact: str
    """Id of the artifact it came from (``"a1"``)."""
    line: int
    """1-based number of its first line in the artifact."""
    kind: str
    """What it is: ``"message"`` for a console/syslogd message, ``"plain"``, or a
    reader-specific kind (``"ring"``, ``"ring-entry"``, ``"cert"``, ``"policy"``,
    ``"job"``, ``"trace"`` ...)."""
    text: str
    """The literal text, continuation lines joined with ``"\\n"``."""
    end_line: int = 0
    """Last line of a multi-line record (0: the same as ``line``)."""
    msgid: str | None = None
    """Message id such as ``"EZD1287I"`` when the record is a message."""
    system: str | None = None
    """z/OS system name (``"MVS3"``) when the evidence says it."""
    time: datetime | None = None
    """Local time on that system; the year may be a guess (see ``fields['year_known']``)."""
    job: str | None = None
    """Job name that issued it (for AT-TLS syslogd lines: the TCP/IP stack)."""
    severity: str = INFO
    fields: dict = field(default_factory=dict)
    """Parsed values; names listed in docs/model.md."""

    @property
    def id(self) -> str:
        return f"{self.artifact}:{self.line}"

    @property
    def last_line(self) -> int:
        return self.end_line or self.line


@dataclass(slots=True)
class Unparsed:
    """A line a reader could not read, kept with the reason so nothing is lost."""

    artifact: str
    line: int
    text: str
    reason: str

    @property
    def id(self) -> str:
        return f"{self.artifact}:{self.line}"


def record_id(artifact: str, line: int) -> str:
    return f"{artifact}:{line}"


def split_record_id(rid: str) -> tuple[str, int]:
    """``"a1:12"`` -> ``("a1", 12)``; raises ValueError on a malformed id."""
    art, _, num = rid.rpartition(":")
    if not art or not num.isdigit():
        raise ValueError(f"not a record id: {rid!r}")
    return art, int(num)
