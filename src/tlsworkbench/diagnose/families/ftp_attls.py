"""The z/OS FTP client that uses AT-TLS (FTP.DATA ``TLSMECHANISM ATTLS``, or its
``FC28xx ... authServerAttls`` trace lines): its failed negotiation is a failing
connection even when the client's console holds no AT-TLS return code.

The client reports the failure with ``EZA2897I`` (the TLS negotiation failed; IBM
technote swg21055396, and the IBM answer "EZA2897I issued when implementing AT-TLS
and testing FTP client rule") after the server accepted ``AUTH TLS`` with reply 234.
What the session can still tell:

* ``SECURE_HOSTNAME REQUIRED`` and a server certificate (PEM, RACDCERT) that does not
  name the host the client connected to (``EZA1736I``, ``EZA1554I``): the client's
  host name check (``SECURE_HOSTNAME (FTP client) statement``, IP Configuration
  Reference: the client verifies the host name against the server's certificate and
  ends the connection when it does not match) -> ``hostname-mismatch``, as for
  ``TLSMECHANISM FTP`` (diagnose/native.py);
* the SIOCTTLSCTL ioctl ended with ``EDC8121I Connection reset`` (ECONNRESET): the
  handshake failed on the other side, which reset the connection
  (reference/data/errno.json, "SIOC") -> ``peer-reported-error``: the partner's
  side holds the cause, and the finding says which evidence to bring;
* otherwise: a failed negotiation without a code -> ``unexplained-failure`` with
  the evidence to collect.
"""

from __future__ import annotations

from tlsworkbench.diagnose.causes import MEDIUM, Score, finding
from tlsworkbench.model import Connection, Finding
from tlsworkbench.model.connset import objects

FAILED = ("EZA2897I", "EZA2898I")
_RESET = ("EDC8121I", "CONNECTION RESET", "ECONNRESET")


def client_findings(ctx, found: list[Finding]) -> list[Finding]:
    """Findings for the AT-TLS FTP client connections no finding explains yet."""
    explained = {cid for f in found for cid in f.connections}
    out: list[Finding] = []
    for conn in objects(ctx.s.connections):  # a row has no records, so no EZA2897I
        if conn.id in explained or conn.family != "attls" or conn.rcs:
            continue
        recs = ctx.records_of(conn)
        failed = [r for r in recs if r.msgid in FAILED]
        if not failed or any(r.fields.get("role") == "server" for r in failed):
            continue
        f = _one(ctx, conn, recs, failed)
        if f is not None:
            out.append(f)
    return out


def _one(ctx, conn: Connection, recs, failed) -> Finding | None:
    from .ftp_checks import hostname as _hostname

    cfg = _client_config(ctx, conn)
    if cfg is not None and conn.role is None:
        conn.role = "client"
    hit = _hostname(ctx, conn, attls=True)
    if hit is not None:
        return hit
    replied = next((r for r in recs if r.fields.get("reply") == 234), None)
    reset = [r for r in recs if any(w in r.text.upper() for w in _RESET)]
    who = (f"the FTP client{' ' + conn.job if conn.job else ''}"
           f"{' on ' + conn.system if conn.system else ''}")
    mech = (" (TLSMECHANISM ATTLS in its FTP.DATA)" if cfg is not None
            else " (its trace lines name AT-TLS: authServerAttls)"
            if any("Attls" in r.text for r in recs) else "")
    ev = ([replied.id] if replied is not None else []) + [r.id for r in reset] + [r.id for r in failed]
    peer = conn.remote.ip if conn.remote else None
    server = f"the server{' ' + peer if peer else ''}"
    bring = [
        f"From {server} at the time of the failure: its AT-TLS messages for this client (EZD1287I on "
        "its console, EZD1286I/EZD1287I in its syslogd), which carry the return code that explains it.",
        f"From {server}: pasearch -t (the rule that protects port "
        f"{conn.remote.port if conn.remote and conn.remote.port else '21'}, its Keyring) and RACDCERT "
        "LISTRING of that ring.",
        "From this client's system: its own EZD1287I for the connection (syslogd, TTLS trace level 2 "
        "or higher in the client rule), to rule out a client-side AT-TLS failure.",
    ]
    if reset:
        text = (f"{who} uses AT-TLS{mech}. The server accepted AUTH TLS"
                f"{' (234)' if replied is not None else ''}, then the connection was reset while AT-TLS "
                "ran the handshake (the SIOCTTLSCTL ioctl ended with EDC8121I Connection reset) and the "
                "client gave up (EZA2897I). A reset during the handshake means the handshake failed and "
                "the other side closed the connection: the cause is on the partner's side (typically the "
                "server's AT-TLS environment or certificate: key ring not found or not readable, no "
                "certificate), not in the client's console lines. The session holds only the client's "
                "view, so the partner's evidence is needed.")
        score = Score(0.45).support(MEDIUM, "EDC8121I on the SIOCTTLSCTL ioctl: the partner reset the "
                                            "handshake")
        return finding("peer-reported-error", "error", text, evidence=ev, connections=[conn.id],
                       score=score, next_steps=bring)
    text = (f"{who} uses AT-TLS{mech} and its TLS negotiation failed (EZA2897I)"
            f"{' after the server accepted AUTH TLS (234)' if replied is not None else ''}. The client's "
            "console holds no AT-TLS return code: the code is in the AT-TLS messages of the two systems.")
    return finding("unexplained-failure", "error", text, evidence=ev, connections=[conn.id],
                   score=Score(0.25), next_steps=bring)


def _client_config(ctx, conn: Connection):
    """The client FTP.DATA of the session that chooses AT-TLS (TLSMECHANISM ATTLS)."""
    from tlsworkbench.model.correlate_native import app_config

    cfg = app_config(ctx.s, "ftp", conn.system, conn.job, "client")
    if cfg is None or str((cfg.settings or {}).get("TLSMECHANISM", "")).upper() != "ATTLS":
        return None
    return cfg
