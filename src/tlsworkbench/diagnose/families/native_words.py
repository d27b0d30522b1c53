"""Sentences of the shared (AT-TLS) rules said right for a program that calls System SSL
itself (diagnose/native.py applies them to the native families' findings):

* what an unseen partner logs: a native server that failed to build its environment
  has no client in the failure, and its partner is not necessarily a z/OS AT-TLS user
  (only that one logs RC 406 / RC 438);
* the ICSF variant of RC 428: the application rebuilds its own environment (its
  refresh), not an AT-TLS group instance;
* the GSKSRVR component trace names the job that calls System SSL: the TCP/IP job for
  AT-TLS (IP Configuration Guide, AT-TLS "Diagnostic traces"), the application's own
  job otherwise (System SSL Programming, "Capturing component trace data": TRACE
  CT,ON,COMP=GSKSRVR with JOBNAME=(job); JOBSUFFIX=ANY for names of 7 characters or
  fewer that the job extends).
"""

from __future__ import annotations

import re

from tlsworkbench.model import Connection, Finding


def trace_step(text: str, conn: Connection) -> str:
    """A GSKSRVR component trace names the job that calls System SSL: the TCP/IP job for
    AT-TLS, the application's own job (CICS region, MQ channel initiator, Zowe server,
    native FTP or TN3270 server) when it calls System SSL itself (System SSL Programming,
    "Capturing component trace data"; IP Configuration Guide, AT-TLS "Diagnostic traces")."""
    if "GSKSRVR" not in text or "TCP/IP job" not in text:
        return text
    job = conn.job or "the application's job"
    suffix = ",JOBSUFFIX=ANY" if conn.family == "zowe" and conn.job and len(conn.job) <= 7 else ""
    if text.startswith("As a last resort take a GSKSRVR component trace of the TCP/IP job"):
        return (f"As a last resort take a GSKSRVR component trace of {job}, the job that calls System "
                f"SSL itself (not the TCP/IP job, which is traced only for AT-TLS): TRACE CT,ON,COMP=GSKSRVR, "
                f"then R n,JOBNAME=({job}),OPTIONS=(LEVEL=255{suffix}),END, re-create the failure and "
                "format the trace with IPCS CTRACE COMP(GSKSRVR); it shows the hello messages and the "
                "certificates exchanged." + (" JOBSUFFIX=ANY also traces the address spaces the server "
                                             f"starts under {job} plus a suffix." if suffix else ""))
    return text.replace("the TCP/IP job", f"{job} (the job that calls System SSL itself)")


_CLIENT_RESET = re.compile(r"The client(?: at [^ ()]{1,60})? \(not in the session\) saw the connection "
                           r"reset at the same time: that is a consequence, not a second fault \(a z/OS "
                           r"client using AT-TLS would log RC 406\)\.")


_SERVER_RESET = re.compile(r"The server(?: at [^ ()]{1,60})? \(not in the session\) saw the connection "
                           r"reset at the same time \(RC 406 if it is a z/OS system using AT-TLS\)\.")


def _no_connection(text: str, conn: Connection, mod) -> str:
    """A client whose System SSL environment did not open made no connection: the server saw
    nothing."""
    events = {e.lower() for e in conn.events}
    if conn.connid or conn.rule or not events & {"gsk_environment_open", "gsk_environment_init"}:
        return text
    name = mod.NAME if mod is not None else "the application"
    return _SERVER_RESET.sub(f"No connection was made: {name} failed while opening its System SSL "
                             "environment, before it reached the server, so the server saw nothing "
                             "of it.", text, count=1)


def _partner_words(text: str, conn: Connection, mod) -> str:
    """The AT-TLS rules say what an unseen z/OS client using AT-TLS would log; a native
    server that failed to build its TLS environment has no client in the failure at all."""
    if conn.connid or conn.rule or not _CLIENT_RESET.search(text):
        return text
    name = mod.NAME if mod is not None else "the application"
    if "gsk_environment_init" in conn.events or conn.remote is None:
        words = (f"{name} could not build its own System SSL environment, so it cannot complete any "
                 "TLS handshake until the ring can be opened; clients see their connections fail, "
                 "which is a consequence, not a second fault.")
    else:
        words = (f"The client{' at ' + str(conn.remote) if conn.remote else ''} (not in the session) "
                 "saw its handshake fail at the same time: a consequence, not a second fault.")
    return _CLIENT_RESET.sub(words, text, count=1)


_PARTNER_438 = "The partner (not in the session) would report RC 438, an internal error reported by the remote side."
_ICSF_ATTLS = ("so AT-TLS did not pick it up. Raise GroupUserInstance in the group action and "
               "F PAGENT,UPDATE.")


def native_words(f: Finding, conn: Connection, mod, cfg=None, again=None) -> None:
    """AT-TLS-only sentences of the shared rules, said for an application that calls System
    SSL itself: its partner is not necessarily AT-TLS, and its own refresh rebuilds the
    environment (not an AT-TLS group instance)."""
    name = mod.NAME if mod is not None else "the application"
    job = conn.job or name
    text = _no_connection(_partner_words(f.explanation, conn, mod), conn, mod)
    text = text.replace(_PARTNER_438, "The partner (not in the session) saw its handshake fail; only a "
                                      "z/OS partner using AT-TLS logs it as RC 438 (an internal error "
                                      "reported by the remote side).")
    try:  # the caller's refresh (with what the messages said, e.g. MQ's command prefix) first
        again = again or (mod.refresh(cfg, conn) if mod is not None else [])
    except Exception:  # a family's refresh must not stop the wording
        again = []
    how = f" ({again[0].text})" if again else ""
    text = text.replace(_ICSF_ATTLS, f"so {name} did not pick it up: it reads the key again only when it "
                                     f"rebuilds its System SSL environment{how}.")
    f.explanation = text
    f.next_steps = [t.replace("ICSF was up before the TCP/IP stack", f"ICSF was up before {job}")
                    for t in f.next_steps]
