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


DSN_PLACEHOLDER = "<your TN3270 profile data set>"


def _dsn(config) -> str:
    """The profile data set the evidence shows, else a marked placeholder (never a guess)."""
    s = (config.settings or {}) if config is not None else {}
    return s.get("_FILE") or DSN_PLACEHOLDER


def _dsn_words(config) -> str:
    if _dsn(config) != DSN_PLACEHOLDER:
        return ""
    return (f" {DSN_PLACEHOLDER} is a placeholder: the session does not show which data set holds "
            "the TN3270 profile (the one the TN3270 procedure's PROFILE DD names, or the last one "
            "given to OBEYFILE); put it in before issuing the command.")


# SECUREPORT (Telnet's own System SSL calls) supports only TLSv1.0, SSLv3 and SSLv2; TLS 1.1
# and above need a TTLSPORT with an AT-TLS policy (IP Configuration Guide, "Transport Layer
# Security", halz002/telnet_tls.htm, Restriction).
SECUREPORT_VERSIONS = ("TLSV1", "SSLV3", "SSLV2")
_VERSION_WORDS = {"TLSV1": "TLS 1.0", "SSLV3": "SSLv3", "SSLV2": "SSLv2"}


def _port(config, conn) -> str:
    if config is not None and config.port:
        return str(config.port)
    local = getattr(conn, "local", None)
    port = getattr(local, "port", None) if local is not None else None
    return str(port) if port else "<secure port>"


def protocol_words(config, conn) -> tuple[str, list[str]]:
    """What RC 412 means on a SECUREPORT, both ways, and the steps (native._protocol)."""
    text = (" The mismatch can go either way. The client may offer only versions this port has "
            "turned off (SSLv3 is off unless enabled since z/OS V2R1; TLS 1.0 is off where the "
            "profile codes NOTLSV1). Or the client may insist on TLS 1.1 or higher, which a "
            "SECUREPORT port cannot do at all: IBM documents SECUREPORT with TLS 1.0, SSLv3 and "
            "SSLv2 only; TLS 1.1 and above need a TTLSPORT with an AT-TLS policy.")
    useless = [v for v, on in protocols(config).items() if on and v not in SECUREPORT_VERSIONS]
    if useless:
        text += (f" The profile codes {', '.join(useless)}, which a SECUREPORT cannot use: it does "
                 "not make the port offer that version.")
    port = _port(config, conn)
    steps = [
        "Find the versions the client offers (its configuration, or a GSKSRVR trace of the "
        "ClientHello). If it offers TLS 1.0, TLSV1 on the SECUREPORT lets it in while it is "
        "upgraded; if it offers only TLS 1.1 or higher, only the move to TTLSPORT helps.",
        f"The real fix: change SECUREPORT {port} to TTLSPORT {port} in the TELNETPARMS block and "
        f"give the port an AT-TLS policy (a TTLSRule for local port {port}, inbound, server "
        "handshake role, with an environment action that names the key ring and enables TLS 1.2), "
        "make Policy Agent read it (F PAGENT,REFRESH), then have TN3270 read the profile again "
        "(OBEYFILE). The SECUREPORT's KEYRING, CLIENTAUTH and cipher statements move into the policy."]
    return text, steps


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
                            "and BEGINVTAM blocks)." + _dsn_words(config))]


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
        asked = (hint.get("protocol") or "").upper()
        want = asked if asked in SECUREPORT_VERSIONS else ("TLSV1" if not coded.get("TLSV1") else None)
        port = _port(config, conn)
        if want:  # the highest version a SECUREPORT can do
            out.append(Command(text=want, kind="config",
                               purpose=f"Only if the client offers {_VERSION_WORDS.get(want, want)} and only "
                                       f"while it is upgraded: enable {want} in the TELNETPARMS block of "
                                       f"SECUREPORT {port} in {_dsn(config)} (the highest version a "
                                       "SECUREPORT supports; remove it again afterwards)."
                                       + _dsn_words(config)))
        out.append(Command(text=f"TTLSPORT {port}", kind="config",
                           purpose=f"The real fix for a client that needs TLS 1.1 or higher: in "
                                   f"{_dsn(config)} replace SECUREPORT {port} by TTLSPORT {port} and "
                                   "protect the port with an AT-TLS policy (see the next steps); a "
                                   "SECUREPORT cannot do TLS 1.1 or above."))
    elif cause == "handshake-timeout":
        new = hint.get("timeout") or 60
        out.append(Command(text=f"SSLTIMEOUT {new}", kind="config",
                           purpose=f"In the TELNETPARMS block of the port in {_dsn(config)} allow the "
                                   "handshake more time."))
    return out
