"""The table of artifact readers.

Every reader is a module in this package with the same small interface:

    KIND: str                      # the kind name, e.g. "syslogd"
    BINARY: bool = False           # True: gets bytes, not lines (certificate files)
    def sniff(head: list[str], name: str) -> int
        # 0..100: how sure the first lines (at most 200, decoded) say it is this kind
    def read(lines: Iterable[tuple[int, str]], art: Artifact) -> Iterator[item]
        # lines are (1-based number, text without line end); items are model
        # objects (Record, Unparsed, KeyRing, CertInfo, PolicyStatement, JobInfo,
        # StartedProfile, TraceRecord, Handshake). Never raises on bad input.
    def read_bytes(data: bytes, art: Artifact) -> Iterator[item]   # when BINARY
    def sniff_bytes(head: bytes, name: str) -> int                 # when BINARY:
        # score from the first 64 KiB of raw bytes (binary files have no lines)

Detection asks every reader's ``sniff`` and takes the highest score. The
readers are imported statically: one that fails to import breaks the import
of the registry (and every test), it is never skipped quietly. Each satisfies
the ``Reader`` protocol (``BinaryReader`` for the ones that get bytes);
tests/test_readers_never_raise.py checks it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from types import ModuleType
from typing import Protocol, runtime_checkable

from tlsworkbench.model import Artifact

from . import (certfile, cics, console, db2, ftpdata, ftpdlog, gsktrace, hwth, mq, pasearch, policy,
               racdcert, sdsf, syslogd, tn3270profile, zowe)


@runtime_checkable
class Reader(Protocol):
    """What every reader module provides."""

    KIND: str

    def sniff(self, head: list[str], name: str) -> int: ...

    def read(self, lines: Iterable[tuple[int, str]], art: Artifact) -> Iterator: ...


@runtime_checkable
class BinaryReader(Reader, Protocol):
    """A reader that gets the file's bytes (certificate files)."""

    BINARY: bool

    def sniff_bytes(self, head: bytes, name: str) -> int: ...

    def read_bytes(self, data: bytes, art: Artifact) -> Iterator: ...


# Order matters only to break ties: earlier wins.
READERS: tuple[ModuleType, ...] = (
    gsktrace,     # GSKSRVR component trace (IPCS CTRACE FULL) and gsktrace output
    syslogd,      # syslogd files with AT-TLS EZD1281I-EZD1286I
    racdcert,     # RACDCERT LISTRING / LIST output
    pasearch,     # pasearch -t output
    policy,       # Policy Agent AT-TLS configuration file
    sdsf,         # SDSF DA panel, RLIST STARTED output
    certfile,     # PEM / DER / PKCS#7 / PKCS#12 certificate files
    ftpdata,      # FTP.DATA (client and server): TLSMECHANISM, KEYRING, SECURE_* ...
    ftpdlog,      # the FTP server's syslogd output (EZYFS/EZYFT messages, SEC trace)
    tn3270profile,  # TN3270 profile: TELNETPARMS, SECUREPORT, KEYRING
    cics,         # CICS SIT overrides and TCPIPSERVICE definitions (KEYRING, SSL, PORTNUMBER)
    mq,           # MQ for z/OS DISPLAY/ALTER QMGR SSLKEYR, channel TLS attributes
    db2,          # Db2 -DISPLAY DDF output (SECPORT)
    zowe,         # Zowe / Liberty / z/OSMF logs and keyring settings (zowe.yaml, server.xml)
    hwth,         # Client Web Enablement Toolkit program output (HWTH codes, HWTH_OPT_SSLKEY)
    console,      # SDSF SYSLOG, OPERLOG, job logs, bare message lines (fallback)
)
READER_MODULES = [m.__name__.rpartition(".")[2] for m in READERS]
BINARY_KINDS = frozenset(m.KIND for m in READERS if isinstance(m, BinaryReader) and m.BINARY)

_by_kind = {m.KIND: m for m in READERS}


def readers() -> dict[str, ModuleType]:
    """Kind -> reader module."""
    return _by_kind


def problems() -> list[str]:
    """Readers that do not provide the ``Reader`` interface (none, when the tests pass)."""
    return [f"reader {m.__name__} lacks the Reader interface" for m in READERS
            if not isinstance(m, Reader)]


def detect(head: list[str], name: str, raw_head: bytes = b"", binary: bool = False) -> str:
    """The kind with the best score; ``"unknown"`` if none scores.

    ``head`` is the first decoded lines (empty for a binary file), ``raw_head``
    the first bytes of the file."""
    best, best_score = "unknown", 0
    for kind, mod in _by_kind.items():
        is_bin = kind in BINARY_KINDS
        if binary and not is_bin:
            continue
        try:
            score = int(mod.sniff(head, name)) if head else 0
            if is_bin:
                score = max(score, int(mod.sniff_bytes(raw_head, name)))
        except Exception:  # a sniffer must never break loading on bad input
            score = 0
        if score > best_score:
            best, best_score = kind, score
    return best
