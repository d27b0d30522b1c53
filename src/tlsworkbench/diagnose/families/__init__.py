"""The programs that call System SSL themselves, one module per family: what
their own configuration must change and which refresh makes a fix take effect.

Registry: ``FAMILIES`` maps a family name (a value of
``model.connection.FAMILIES``, never ``"attls"``) to the name of its module in
this package; ``module(family)`` imports it (None when it is missing or fails to
import, so one broken family never stops the diagnosis of the others).

Module contract (every module defines all of these; each function returns a new
list and never raises on missing evidence: ``config`` and ``conn.job`` may be None):

``FAMILY: str``
    The family name, e.g. ``"ftp"``.
``NAME: str``
    How the workbench names the application (``"FTP"``, ``"TN3270 server"``).
``CONFIG: str``
    How its configuration is called (``"FTP.DATA"``, ``"TN3270 profile"``).
``SUCCESS: str``
    What a good secure session shows, for the re-run check (optional).
``RING_SOURCE: str``
    Where to read the ring the application uses when its configuration is not in
    the session (``"DISPLAY QMGR SSLKEYR ..."``), for the assumption text (optional).
``ring_words(config) -> str``
    Where the configuration names the key ring, with the value and its line
    when known (``"FTP.DATA KEYRING FTPRING (line 12)"``).
``refresh(config, conn) -> list[Command]``
    The step that really makes the application read its configuration and the
    key ring again after a RACF or configuration change (a restart, an
    OBEYFILE, ``REFRESH SECURITY TYPE(SSL)`` ...), as its documentation says.
    ``kind`` is ``"operator"`` for console commands, ``"shell"`` for commands
    a user types; a command that drops sessions is ``disruptive``.
``config_fix(cause, config, conn, hint) -> list[Command]``
    The change to the application's own configuration for a cause id of
    diagnose/causes.py (``[]`` when the cause needs none, e.g. a RACF-only fix).
    ``hint`` is a dict of what the diagnosis found: ``"keyring"`` (the ring the
    configuration should name, ``OWNER/RING``), ``"cipher"``, ``"timeout"``.
    Edits are ``Command(kind="config")`` whose text is the statement as it
    should read and whose purpose names the file and line.

``protocols(config) -> dict[str, bool]`` (optional)
    The protocol version switches the configuration codes, e.g.
    ``{"TLSV1.2": True, "SSLV3": False}``, for an RC 412 finding.

Families written so far: ftp, tn3270 (engineer fam1); cics, mq, db2, zowe, hwth
are added by their owner. Helpers that are not families: ``appconfig`` (which
configuration and certificate label apply to a connection) and ``rdatalib`` (the
R_datalib codes' findings).
"""

from __future__ import annotations

import importlib
import logging
from types import ModuleType

FAMILIES: dict[str, str] = {
    "ftp": "ftp",
    "tn3270": "tn3270",
    "cics": "cics",
    "mq": "mq",
    "db2": "db2",
    "zowe": "zowe",
    "hwth": "hwth",
}
"""Family -> module name in this package."""

_cache: dict[str, ModuleType | None] = {}
_log = logging.getLogger(__name__)


def module(family: str | None) -> ModuleType | None:
    """The family's module, or None (unknown family, module not written yet)."""
    if not family or family not in FAMILIES:
        return None
    if family not in _cache:
        try:
            _cache[family] = importlib.import_module(f"{__name__}.{FAMILIES[family]}")
        except ImportError:
            _cache[family] = None
        except Exception:  # a broken family module must not stop the diagnosis
            _log.exception("family module %s failed to import", family)
            _cache[family] = None
    return _cache[family]


def line_words(config, keyword: str) -> str:
    """``" (FTP.DATA line 12)"``-style suffix: where ``keyword`` is set, when known."""
    if config is None:
        return ""
    rid = (config.lines or {}).get(keyword.upper())
    if not rid:
        return ""
    aid, _, n = rid.rpartition(":")
    return f" (line {n})" if n.isdigit() else ""
