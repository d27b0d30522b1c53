"""FTP with ``TLSMECHANISM FTP``: FTP itself calls System SSL, with the ring that
FTP.DATA's KEYRING names (IP Configuration Reference, "KEYRING (FTP client and
server) statement"; "TLSMECHANISM (FTP client and server) statement").

Refresh: the server reads FTP.DATA when the FTP daemon starts, so a changed
statement, and a ring the daemon could not open, need the daemon stopped and
started again (IP Configuration Guide, "Starting the FTP server" / "Stopping
the FTP server": ``P jobname`` of the daemon, ``S procname``). The client
reads FTP.DATA each time the ftp command starts: running it again is the
refresh.
"""

from __future__ import annotations

from tlsworkbench.model import Command

from . import line_words

FAMILY = "ftp"
NAME = "FTP"
CONFIG = "FTP.DATA"
SUCCESS = "reply 234 to AUTH TLS and no EZA2897I"
RING_SOURCE = "the KEYRING statement of the FTP.DATA the job reads (message EZY2640I names that data set)"


def _where(config) -> str:
    path = (config.settings or {}).get("_FILE") if config is not None else None
    return path or CONFIG


def ring_words(config) -> str:
    if config is None or not config.keyring:
        return f"{CONFIG} KEYRING"
    return f"{_where(config)} KEYRING {config.keyring}{line_words(config, 'KEYRING')}"


def _role(config, conn) -> str | None:
    return (getattr(conn, "role", None) or (config.role if config is not None else None))


def refresh(config, conn) -> list[Command]:
    if _role(config, conn) == "client":
        host = str(conn.remote.ip) if conn is not None and conn.remote else "host"
        port = conn.remote.port if conn is not None and conn.remote and conn.remote.port else None
        text = f"ftp {host}" + (f" {port}" if port and port != 21 else "")
        return [Command(text=text, kind="shell",
                        purpose="Run the FTP client again: it reads FTP.DATA and opens its key ring "
                                "each time it starts.")]
    job = (getattr(conn, "job", None) or (config.job if config is not None else None) or "FTPD1").upper()
    proc = job[:-1] if len(job) > 1 and job.endswith("1") else job
    return [
        Command(text=f"P {job}", kind="operator", disruptive=True,
                purpose=f"Stop the FTP daemon {job}: it reads FTP.DATA and builds its TLS setup "
                        "only when it starts (sessions in progress end)."),
        Command(text=f"S {proc}", kind="operator",
                purpose=f"Start the FTP server again with procedure {proc}."),
    ]


def config_fix(cause: str, config, conn, hint: dict | None = None) -> list[Command]:
    hint = hint or {}
    where = _where(config)
    out: list[Command] = []
    if cause in ("keyring-not-found", "keyring-not-authorized") and hint.get("keyring"):
        old = config.keyring if config is not None else None
        new = hint["keyring"]
        if old != new:
            out.append(Command(
                text=f"KEYRING {new}", kind="config",
                purpose=f"In {where}{line_words(config, 'KEYRING')} change KEYRING "
                        f"{old or '(not set)'} to {new}: the ring that exists (with its owner, so "
                        "every user of the server opens the same ring)."))
    elif cause == "handshake-timeout":
        cur = (config.settings or {}).get("TLSTIMEOUT") if config is not None else None
        new = hint.get("timeout") or 100
        out.append(Command(text=f"TLSTIMEOUT {new}", kind="config",
                           purpose=f"In {where}{line_words(config, 'TLSTIMEOUT')} allow the handshake "
                                   f"more time (now {cur or 'the default'})."))
    elif cause == "cipher-mismatch" and hint.get("cipher"):
        out.append(Command(text=f"CIPHERSUITE {hint['cipher']}", kind="config",
                           purpose=f"Add this CIPHERSUITE statement to {where}: a suite the "
                                   "partner also offers."))
    return out
