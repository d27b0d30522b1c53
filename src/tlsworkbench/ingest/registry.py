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

Detection asks every reader's ``sniff`` and takes the highest score; a module
that is missing or fails to import is skipped (and reported by ``problems()``).
"""

from __future__ import annotations

import importlib
from types import ModuleType

# Order matters only to break ties: earlier wins.
READER_MODULES = [
    "gsktrace",     # GSKSRVR component trace (IPCS CTRACE FULL) and gsktrace output
    "syslogd",      # syslogd files with AT-TLS EZD1281I-EZD1286I
    "racdcert",     # RACDCERT LISTRING / LIST output
    "pasearch",     # pasearch -t output
    "policy",       # Policy Agent AT-TLS configuration file
    "sdsf",         # SDSF DA panel, RLIST STARTED output
    "certfile",     # PEM / DER / PKCS#7 / PKCS#12 certificate files
    "ftpdata",      # FTP.DATA (client and server): TLSMECHANISM, KEYRING, SECURE_* ...
    "ftpdlog",      # the FTP server's syslogd output (EZYFS/EZYFT messages, SEC trace)
    "tn3270profile",  # TN3270 profile: TELNETPARMS, SECUREPORT, KEYRING
    "cics",         # CICS SIT overrides and TCPIPSERVICE definitions (KEYRING, SSL, PORTNUMBER)
    "mq",           # MQ for z/OS DISPLAY/ALTER QMGR SSLKEYR, channel TLS attributes
    "db2",          # Db2 -DISPLAY DDF output (SECPORT)
    "zowe",         # Zowe / Liberty / z/OSMF logs and keyring settings (zowe.yaml, server.xml)
    "hwth",         # Client Web Enablement Toolkit program output (HWTH codes, HWTH_OPT_SSLKEY)
    "console",      # SDSF SYSLOG, OPERLOG, job logs, bare message lines (fallback)
]

_loaded: dict[str, ModuleType] | None = None
_problems: list[str] = []


def readers() -> dict[str, ModuleType]:
    """Kind -> reader module, for every reader that imports."""
    global _loaded
    if _loaded is None:
        _loaded = {}
        for name in READER_MODULES:
            try:
                mod = importlib.import_module(f"tlsworkbench.ingest.{name}")
            except ImportError as exc:
                _problems.append(f"reader {name} unavailable: {exc}")
                continue
            _loaded[mod.KIND] = mod
    return _loaded


def problems() -> list[str]:
    readers()
    return list(_problems)


def detect(head: list[str], name: str, raw_head: bytes = b"", binary: bool = False) -> str:
    """The kind with the best score; ``"unknown"`` if none scores.

    ``head`` is the first decoded lines (empty for a binary file), ``raw_head``
    the first bytes of the file."""
    best, best_score = "unknown", 0
    for kind, mod in readers().items():
        is_bin = getattr(mod, "BINARY", False)
        if binary and not is_bin:
            continue
        try:
            score = int(mod.sniff(head, name)) if head else 0
            if is_bin and hasattr(mod, "sniff_bytes"):
                score = max(score, int(mod.sniff_bytes(raw_head, name)))
        except Exception:  # a sniffer must never break loading
            score = 0
        if score > best_score:
            best, best_score = kind, score
    return best
