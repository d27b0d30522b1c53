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
from tlsworkbench.model.connset import objects

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


# Db2 DDF's secure port is AT-TLS: its findings keep the AT-TLS words and steps
# (native.py), and its own DSNL511I lines are cited beside the AT-TLS message.
USES_ATTLS = True
CITE_OWN_LINES = True


def explain_more(cause: str, config, conn) -> str:
    """A DSNL511I joined to the AT-TLS connection: say that it is Db2's side of it."""
    if not (conn.connid or conn.rule):
        return ""
    return (" Db2 DDF logged its side of the same conversation as DSNL511I (TCP/IP conversation "
            "failed, cited below): it is a consequence of the AT-TLS failure, not a second fault. Db2 "
            "DDF's secure port is protected by AT-TLS, so the cause and its fix are those of the "
            "AT-TLS rule" + (f" {conn.rule}" if conn.rule else "") + ".")


def explain(ctx, conn):
    """A DSNL511I that no AT-TLS line could be joined to: Db2 does not call System SSL for its
    secure port, so the reason is in the TCP/IP job's AT-TLS messages; never native advice."""
    if conn.connid or conn.rule:
        return None
    from tlsworkbench.diagnose.causes import Score, finding

    recs = [r for r in ctx.records_of(conn) if getattr(r, "msgid", None) == "DSNL511I"]
    if not recs:
        return None
    f0 = recs[0].fields
    ssid = f0.get("ssid")
    ip = f0.get("remote_ip")
    job = conn.job or "Db2 DDF"
    on = f" on {conn.system}" if conn.system else ""
    text = (f"Db2 DDF {job}{' (' + ssid + ')' if ssid else ''}{on} logged DSNL511I: a TCP/IP conversation"
            f"{' with ' + ip if ip else ''} failed. Db2 DDF does not call System SSL itself for its "
            "secure port: AT-TLS in the TCP/IP stack does the TLS for it, so the reason is in the "
            "TCP/IP job's EZD1287I/EZD1286I for the same client, not in Db2's messages. No AT-TLS "
            "line in the session could be joined to this DSNL511I (same addresses and ports).")
    others = [c for c in objects(ctx.s.connections) if c.family == "attls" and c.rcs
              and (not conn.system or c.system in (None, conn.system))
              and (not ip or (c.remote is not None and c.remote.ip == ip))]
    if others:
        o = others[0]
        text += (f" The session holds an AT-TLS failure of {o.id} (RC {o.rcs[0]}"
                 f"{', remote ' + str(o.remote) if o.remote else ''}) near it: if it is the same client, "
                 "its finding gives the cause.")
    steps = [
        "Find the TCP/IP job's EZD1287I/EZD1286I (console or syslogd) for the client's address at the "
        "time of the DSNL511I: their RC names the cause.",
        f"In the z/OS UNIX shell{on} run pasearch -t to list the AT-TLS rules; check the rule for Db2's "
        "secure port (SECPORT in -DISPLAY DDF, message DSNL084I) and the key ring it names.",
        "As a last resort take a GSKSRVR component trace of the TCP/IP stack's job, which does the "
        "TLS for Db2 (TRACE CT,ON,COMP=GSKSRVR, then R n,JOBNAME=(tcpip job),OPTIONS=(LEVEL=255),END), "
        "re-create the failure and format it with IPCS CTRACE COMP(GSKSRVR)."]
    return finding("unexplained-failure", "error", text, evidence=[r.id for r in recs],
                   connections=[conn.id], score=Score(0.3), next_steps=steps)
