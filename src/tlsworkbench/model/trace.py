"""GSKSRVR trace entities: one ``TraceRecord`` per trace entry, and the
``Handshake`` timelines grouped from them (ingest/gsktrace.py builds both).

``Session.add`` routes these by class name into ``session.trace_records`` and
``session.handshakes``; ``model/trace_join.py`` links handshakes to connections.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from .connection import Endpoint

# Trace entry kinds (the DESCRIPTION column of the IPCS report).
SSL_ENTRY = "SSL_ENTRY"
SSL_EXIT = "SSL_EXIT"
SSL_ERROR = "SSL_ERROR"
SSL_INFO = "SSL_INFO"
SSL_EBCDIC_DUMP = "SSL_EBCDIC_DUMP"
SSL_ASCII_DUMP = "SSL_ASCII_DUMP"
KIND_BY_ENTRY = {1: SSL_ENTRY, 2: SSL_EXIT, 4: SSL_ERROR, 8: SSL_INFO,
                 0x10: SSL_EBCDIC_DUMP, 0x20: SSL_ASCII_DUMP}


@dataclass(slots=True)
class TraceRecord:
    """One trace entry: header line, ``Job ... Process ... Thread ... function``
    line and its detail lines (text kept literally)."""

    artifact: str
    line: int
    end_line: int = 0
    system: str | None = None
    mnemonic: str = ""
    """``"MESSAGE"`` or ``"DUMP"``."""
    entry: int | None = None
    """Entry id (1, 2, 4, 8, 0x10, 0x20)."""
    time: datetime | None = None
    """Local time; None when the report gives no date (see ``time_text``)."""
    time_text: str = ""
    """``"13:59:02.912484"`` as written."""
    kind: str = ""
    """``SSL_ENTRY``, ``SSL_EXIT``, ``SSL_ERROR``, ``SSL_INFO``, ``SSL_EBCDIC_DUMP``,
    ``SSL_ASCII_DUMP`` (or whatever the description column says)."""
    job: str | None = None
    process: str | None = None
    thread: str | None = None
    function: str | None = None
    detail: list[str] = field(default_factory=list)
    """Detail lines (after the Job line), bullets removed."""
    exit_status: int | None = None
    """``Exit status 0000019A (410)`` -> 410."""
    dump: object = None
    """``ingest.hexdump.HexDump`` for dump entries."""

    @property
    def id(self) -> str:
        return f"{self.artifact}:{self.line}"

    @property
    def last_line(self) -> int:
        return self.end_line or self.line


@dataclass
class HandshakeMessage:
    line: str
    """Record id of the dump that holds its bytes (else of the INFO line naming it)."""
    direction: str
    """``"in"`` (Received) or ``"out"`` (Sent), seen from the traced side."""
    type: str
    """TLS spelling: ``"ClientHello"``, ``"ServerHelloDone"``, ``"Alert"`` ..."""
    handshake_type: int | None = None
    time: datetime | None = None
    time_text: str = ""
    version: str | None = None
    """``"TLSv1.2"``: offered (ClientHello) or chosen (ServerHello)."""
    cipher_suites: list[str] = field(default_factory=list)
    """IANA names offered (ClientHello)."""
    cipher_suite: str | None = None
    """IANA name chosen (ServerHello)."""
    extensions: list[str] = field(default_factory=list)
    server_name: str | None = None
    certificates: list[dict] = field(default_factory=list)
    """``subject, issuer, serial, not_before, not_after, sha256`` (strings), plus
    ``partial`` when the dump holds only the start of the certificate."""
    fields: dict = field(default_factory=dict)
    """Everything else the decoder read (names, lengths, groups, signature schemes)."""
    ders: list[bytes] = field(default_factory=list, repr=False)
    """DER bytes of the complete certificates it carried (the CertInfo entities
    of the trace are made from these)."""
    has_bytes: bool = False
    complete: bool = True
    stopped_at: int | None = None
    """Byte offset in the dump where decoding stopped."""
    problem: str | None = None


@dataclass
class Handshake:
    id: str
    """``"h1"``, ``"h2"`` ... unique in a session (trace_join renumbers clashes)."""
    artifact: str = ""
    line: str = ""
    """Record id of its first trace record."""
    system: str | None = None
    job: str | None = None
    process: str | None = None
    thread: str | None = None
    peer: Endpoint | None = None
    role: str | None = None
    """``"server"`` or ``"client"``: the role of the traced side."""
    start: datetime | None = None
    end: datetime | None = None
    start_text: str = ""
    end_text: str = ""
    messages: list[HandshakeMessage] = field(default_factory=list)
    version: str | None = None
    """Negotiated protocol (``"TLSv1.1"``)."""
    cipher_suite: str | None = None
    """Negotiated suite, IANA name."""
    cipher_spec: str | None = None
    """As System SSL names it: ``"0A"`` or ``"C02F"``."""
    enabled_specs: list[str] = field(default_factory=list)
    """``SSL V3 cipher specs: 0A2F`` -> IANA names of the enabled suites."""
    certificate_label: str | None = None
    """``Using server certificate 'label'`` / ``Default label 'x'``."""
    rc: int | None = None
    """Exit status of gsk_secure_socket_init (or of the failing call)."""
    stopped: str | None = None
    """Where it stopped: the last message seen, e.g. ``"after ServerHelloDone (out)"``."""
    reason: str | None = None
    """Why: the error text, the return code, ``"socket closed by 1.2.3.4.1034"``."""
    records: list[str] = field(default_factory=list)
    """Ids of the trace records that belong to it."""
    connection: str | None = None
    """Id of the correlated Connection (set by model/trace_join.py)."""

    @property
    def failed(self) -> bool:
        return bool(self.rc)
