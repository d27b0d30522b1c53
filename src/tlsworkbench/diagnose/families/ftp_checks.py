"""The FTP checks diagnose/native.py runs for FTP connections no System SSL code
explains: the client's host name check (``SECURE_HOSTNAME REQUIRED``, IP Configuration
Reference "SECURE_HOSTNAME (FTP client) statement": the client verifies the host it
connects to against the common name or a subject alternate name of the server's
certificate and ends the connection when neither matches), for ``TLSMECHANISM FTP``
and, through AT-TLS, for ``TLSMECHANISM ATTLS`` (families/ftp_attls.py); and the
missing KEYRING statement (``ftpAuth: no keyring``, technote swg21055396).
"""

from __future__ import annotations

from tlsworkbench.diagnose.causes import MEDIUM, STRONG, Score, finding
from tlsworkbench.diagnose.evidence import Context
from tlsworkbench.model import Command, Connection, Finding
from tlsworkbench.model.correlate_native import app_config

from . import line_words, module


# -- the client's host name check from its configuration ---------------------------------------
def hostname(ctx: Context, conn: Connection, attls: bool = False) -> Finding | None:
    """FTP client with SECURE_HOSTNAME REQUIRED whose session failed (or a line
    says the host name did not match): compare the host with the server
    certificate's names, as System SSL does. ``attls``: the client uses AT-TLS
    (TLSMECHANISM ATTLS): the same check, no System SSL code of its own."""
    from tlsworkbench.diagnose.native import CODE_CAUSES, _failed, config_of, who

    if (conn.family != "ftp" and not attls) or conn.role == "server":
        return None
    cfg = app_config(ctx.s, "ftp", conn.system, conn.job, "client") if attls else config_of(ctx, conn)
    if cfg is None or (cfg.settings or {}).get("SECURE_HOSTNAME", "").upper() != "REQUIRED":
        return None
    if not _failed(ctx, conn) or any(rc in CODE_CAUSES for rc in conn.rcs):
        return None
    from tlsworkbench.diagnose.hostname import _match, _server_cert

    recs = ctx.records_of(conn)
    if not any(r.fields.get("reply") == 234 or "secure_socket_init()" in r.text for r in recs):
        return None  # the handshake never started: not the host name check
    host = next((r.fields.get("hostname") or r.fields.get("remote_host") for r in recs
                 if r.fields.get("hostname") or r.fields.get("remote_host")), None)
    rip = conn.remote.ip if conn.remote else None
    cert = _server_cert(ctx, conn, rip)
    if host is None or cert is None:
        return None
    ok, sentence, tried = _match(cert, host)
    if ok:
        return None
    names = ", ".join(tried) or "no names"
    score = Score(0.5).support(STRONG, "SECURE_HOSTNAME REQUIRED and the certificate does not name the host")
    score.support(MEDIUM, "the session failed after the handshake started")
    client = (f"the FTP client{' ' + conn.job if conn.job else ''}{' on ' + conn.system if conn.system else ''}"
              " (TLSMECHANISM ATTLS: AT-TLS runs the handshake)" if attls else who(conn, module('ftp')))
    text = (f"{client[:1].upper()}{client[1:]} checks the server's host name (SECURE_HOSTNAME "
            f"REQUIRED{line_words(cfg, 'SECURE_HOSTNAME')}) and connected to {host}; the "
            f"server certificate {cert.label or cert.subject or ''!r} carries {names}, none of which "
            f"matches {host}.")
    if attls:
        text += (" The server accepted AUTH TLS (234) and the client then ended the session "
                 "(EZA2897I, the TLS negotiation failed): the name check fails this way, with no AT-TLS "
                 "return code on the client's console.")
    else:
        text += (" No line holds CMS status 0335304B (certificate not valid for host), but this is "
                 "that failure: the handshake completed and the client then ended the session "
                 "(EZA2897I).")
    commands: list[Command] = []
    verify: list[Command] = []
    owner = (cert.owner or "").upper()
    if owner and owner != "CERTAUTH":  # the fix is hostname.server_fix's, shared with AT-TLS
        from tlsworkbench.diagnose.hostname import rerun_as, server_fix

        commands, verify, words = server_fix(ctx, cert, host, rip, conn, ctx.peer(conn))
        verify.append(rerun_as(conn, host))
        text += " " + words
    ev = [r.id for r in recs if r.severity == "error"] + [cert.record]
    conns = [conn.id] + ([conn.peer] if conn.peer else [])
    steps = [f"Or connect with a name the certificate carries ({names}).",
             f"Or, only if the site's policy allows it, set SECURE_HOSTNAME OPTIONAL in the client's "
             f"FTP.DATA{line_words(cfg, 'SECURE_HOSTNAME')}: the client then no longer checks "
             "the host name."]
    hline = (cfg.lines or {}).get("SECURE_HOSTNAME")
    if hline:
        ev.append(hline)
    return finding("hostname-mismatch", "error", text, evidence=ev, connections=conns,
                   commands=commands, verify=verify, score=score, next_steps=steps)


# -- FTP without a KEYRING statement -------------------------------------------------------------
def no_keyring(ctx: Context, conn: Connection) -> Finding | None:
    """``ftpAuth: no keyring``: FTP.DATA has no KEYRING while TLSMECHANISM FTP
    needs one (technote swg21055396)."""
    from tlsworkbench.diagnose.native import config_of, who

    hits = [r for r in ctx.records_of(conn) if r.fields.get("no_keyring")]
    if not hits:
        return None
    cfg = config_of(ctx, conn)
    mod = module(conn.family)
    rings = ctx.rings(conn.system)
    mine = [r for r in rings if conn.user and r.owner.upper() == conn.user.upper()]
    pick = mine[0] if len(mine) == 1 else (rings[0] if len(rings) == 1 else None)
    text = (f"{who(conn, mod)} runs with TLSMECHANISM FTP but its FTP.DATA names no key ring "
            "(\"ftpAuth: no keyring\"), so it cannot start TLS and gives up (EZA2897I). With "
            "TLSMECHANISM FTP the KEYRING statement is required; with TLSMECHANISM ATTLS the ring "
            "comes from the AT-TLS policy instead.")
    commands: list[Command] = []
    steps: list[str] = []
    new = pick.key if pick is not None else "OWNER/RING"
    commands.append(Command(text=f"KEYRING {new}", kind="config",
                            purpose="Add a KEYRING statement to the FTP.DATA the client reads (message "
                                    "EZY2640I names it)" + ("" if pick else ": put the ring's owner "
                                                            "and name in place of OWNER/RING")))
    if pick is not None:
        text += f" The session shows ring {pick.key}."
    else:
        steps.append("List the rings the user may use (RACDCERT ID(user) LISTRING(*)) and name one "
                     "that holds the CA certificate of the server.")
    if mod is not None:
        commands += mod.refresh(cfg, conn)
    score = Score(0.7).support(STRONG, "the trace says there is no keyring")
    ev = [r.id for r in hits] + [r.id for r in ctx.records_of(conn) if r.severity == "error"]
    if cfg is not None:
        ev.append(cfg.record)
    return finding("keyring-not-found", "error", text, evidence=ev, connections=[conn.id],
                   commands=commands, score=score, next_steps=steps)
