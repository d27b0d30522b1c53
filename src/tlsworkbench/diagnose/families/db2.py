"""Db2 for z/OS DDF: the secure port (SECPORT in -DISPLAY DDF, DSNL084I) is
protected by AT-TLS, so the key ring, the certificate and the refresh are those of
the AT-TLS policy rule for the port (Db2 docs, "DSNL084I", "Configuring the Db2
server for TLS"). DSNL511I tells Db2's side of a failed conversation (the peer's
address and port, the socket call and its errno: 1121 ECONNRESET when AT-TLS
reset the connection); correlation joins it to the AT-TLS connection with the same
endpoints, so the AT-TLS steps (policy edits, ``F PAGENT,UPDATE``) stay in the fix.

Refresh: nothing of Db2's own; DDF need not be restarted for a RACF change the
AT-TLS environment picks up.
"""

from __future__ import annotations

from tlsworkbench.model import Command

from . import line_words

FAMILY = "db2"
NAME = "Db2 DDF"
CONFIG = "-DISPLAY DDF"
SUCCESS = "no DSNL511I and no EZD1287I for the client's address"


def ring_words(config) -> str:
    port = config.port if config is not None else None
    where = f" for SECPORT {port}{line_words(config, 'SECPORT')}" if port else ""
    return f"the AT-TLS rule{where}"


def refresh(config, conn) -> list[Command]:
    return []


def config_fix(cause: str, config, conn, hint: dict | None = None) -> list[Command]:
    out: list[Command] = []
    if cause == "cleartext-on-tls-port" and config is not None and config.port:
        tcp = (config.settings or {}).get("TCPPORT")
        out.append(Command(
            text=f"Connect to SECPORT {config.port} only with TLS; plain DRDA goes to TCPPORT {tcp or '?'}",
            kind="check", purpose="The client sent plain text to Db2's secure port."))
    return out
