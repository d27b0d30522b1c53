"""Messages the panes and the app exchange. Small dataclasses; the high-rate
ones (cursor moves) implement ``can_replace`` so a fast scroll sends one."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class RecordSelected(Message):
    """A pane selected a record (cursor moved onto it, or enter)."""

    record_id: str
    source: str = ""
    """Id of the pane that posted it."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, RecordSelected)


@dataclass
class FindingSelected(Message):
    """The findings list moved to a finding."""

    finding_id: str

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, FindingSelected)


@dataclass
class CertSelected(Message):
    """The ring tree moved to a certificate (id: the CertInfo's record id)."""

    cert_id: str

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, CertSelected)


@dataclass
class LoadProgress(Message):
    """Loading advanced: ``done`` of ``total`` steps, with what it is doing."""

    done: float
    total: float
    what: str = ""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, LoadProgress)
