"""TN3270E Telnet server with a SECUREPORT: Telnet calls System SSL itself with
the ring the profile's KEYRING statement names (TELNETGLOBALS or TELNETPARMS).

Refresh: Telnet reads its profile at start and when the operator issues
``VARY TCPIP,tnproc,OBEYFILE,dsn`` with a profile whose TELNETPARMS block names
the port; the port is then set up again, with the key ring read anew (IP
Configuration Guide, "Using the VARY TCPIP,tnproc,OBEYFILE command to update
Telnet configuration"; IP System Administrator's Commands, "VARY TCPIP,,OBEYFILE").
"""

from __future__ import annotations

from tlsworkbench.model import Command

from . import line_words

FAMILY = "tn3270"
NAME = "TN3270 server"
CONFIG = "TN3270 profile"
SUCCESS = "no EZZ6034I for the client's address"
RING_SOURCE = "the KEYRING SAF statement of the TN3270 profile (TELNETGLOBALS or the secure port's TELNETPARMS)"


def _dsn(config) -> str:
    s = (config.settings or {}) if config is not None else {}
    return s.get("_FILE") or "TCPIP.PROFILE(TELNET)"


def ring_words(config) -> str:
    if config is None or not config.keyring:
        return f"{CONFIG} KEYRING"
    return f"{CONFIG} KEYRING SAF {config.keyring}{line_words(config, 'KEYRING')}"


_VERSIONS = ("SSLV2", "SSLV3", "TLSV1", "TLSV1.1", "TLSV1.2", "TLSV1.3")


def protocols(config) -> dict[str, bool]:
    """Protocol switches the profile codes (``TLSV1.2`` on, ``NOSSLV3`` off), in order."""
    s = (config.settings or {}) if config is not None else {}
    out: dict[str, bool] = {}
    for v in _VERSIONS:
        if v in s:
            out[v] = True
        elif "NO" + v in s:
            out[v] = False
    return out


def refresh(config, conn) -> list[Command]:
    job = (getattr(conn, "job", None) or (config.job if config is not None else None) or "TN3270").upper()
    dsn = _dsn(config)
    return [Command(text=f"V TCPIP,{job},OBEYFILE,DSN={dsn}", kind="operator",
                    purpose=f"Make {job} read the profile again: the secure port is set up anew and "
                            "opens the key ring again (the profile must hold the port's TELNETPARMS "
                            "and BEGINVTAM blocks).")]


def config_fix(cause: str, config, conn, hint: dict | None = None) -> list[Command]:
    hint = hint or {}
    out: list[Command] = []
    if cause in ("keyring-not-found", "keyring-not-authorized") and hint.get("keyring"):
        old = config.keyring if config is not None else None
        if old != hint["keyring"]:
            out.append(Command(
                text=f"KEYRING SAF {hint['keyring']}", kind="config",
                purpose=f"In {_dsn(config)}{line_words(config, 'KEYRING')} change KEYRING SAF "
                        f"{old or '(not set)'} to {hint['keyring']}: the ring that exists."))
    elif cause == "protocol-mismatch":
        coded = protocols(config)
        want = hint.get("protocol") or next((v for v in ("TLSV1.2", "TLSV1.1", "TLSV1")
                                             if not coded.get(v)), None)
        if want:
            port = f" of port {config.port}" if config is not None and config.port else ""
            out.append(Command(text=want.upper(), kind="config",
                               purpose=f"Only while the client cannot do better: enable {want} in the "
                                       f"TELNETPARMS block{port} in {_dsn(config)} (remove it again "
                                       "once the client is upgraded)."))
    elif cause == "handshake-timeout":
        new = hint.get("timeout") or 60
        out.append(Command(text=f"SSLTIMEOUT {new}", kind="config",
                           purpose=f"In the TELNETPARMS block of the port in {_dsn(config)} allow the "
                                   "handshake more time."))
    return out
