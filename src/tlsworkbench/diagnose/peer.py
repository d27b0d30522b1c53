"""Codes that only say "the partner ended it" (406, 420, 437, 438, 439), the
environment failures (5006) and whatever no rule explained."""

from __future__ import annotations

import re

from tlsworkbench.model import Connection, Finding

from .causes import CAUSES, Score, finding
from .common import PEER_RCS, next_steps, rc_list, where
from .evidence import Context


def _meaning(rc: int) -> str:
    try:
        from tlsworkbench.reference import describe
    except ImportError:
        return ""
    try:
        got = describe(rc)
    except Exception:
        return ""
    if isinstance(got, str):
        return re.sub(r"^RC\s*\d+\s*(\([^)]*\))?\s*:\s*", "", got).rstrip(".")
    for attr in ("short", "meaning", "text", "title"):
        v = getattr(got, attr, None)
        if isinstance(v, str) and v:
            return v
    return ""


def rules(ctx: Context, found: list[Finding]) -> list[Finding]:
    """Runs after the other rules: ``found`` are their findings."""
    covered: dict[str, Finding] = {}
    for f in found:
        for cid in f.connections:
            covered.setdefault(cid, f)
    primary = {cid for f in found for cid in f.connections[:1]}
    out: list[Finding] = []
    for conn in ctx.failing:
        if not conn.rcs:
            continue
        only_peer = all(rc in PEER_RCS for rc in conn.rcs)
        if only_peer:
            out.append(_peer(ctx, conn, covered))
        elif conn.id not in covered and conn.id not in primary:
            out.append(_unexplained(ctx, conn))
    return out


def _peer(ctx: Context, conn: Connection, covered: dict[str, Finding]) -> Finding:
    p = ctx.peer(conn)
    rc = conn.rcs[0]
    meaning = _meaning(rc)
    text = [f"{where(conn)} saw {rc_list(conn, ctx)}" + (f": {meaning}." if meaning else ".") +
            " The partner ended the handshake; the cause is on the partner's side."]
    ev = ctx.rc_records(conn)
    steps: list[str] = []
    pf = covered.get(p.id) if p is not None else None
    explained = None
    if p is not None and pf is not None and pf.cause != "peer-reported-error":
        score = Score(0.9)
        text.append(f"The partner {where(p)} failed with {rc_list(p, ctx)}: see finding "
                    f"'{pf.title}' ({pf.cause}).")
        sev = "info"
        ev += ctx.rc_records(p)
        conns = [conn.id, p.id]
        explained = pf
    elif p is not None:
        score = Score(0.5)
        text.append(f"The partner {where(p)} shows {rc_list(p, ctx)}.")
        sev = "warning"
        conns = [conn.id, p.id]
        steps = next_steps(ctx)
    else:
        score = Score(0.4)
        remote = str(conn.remote) if conn.remote else "the partner"
        at = f" at {conn.first_time:%H:%M:%S}" if conn.first_time else ""
        text.append(f"The partner ({remote}) is not in the session: its own log{at} would give the "
                    "real reason (EZD1287I on its console if it is a z/OS system using AT-TLS, the "
                    "client's error messages if it is a workstation).")
        sev = "warning"
        conns = [conn.id]
        steps = ["Collect the partner system's console (EZD1287I) and syslogd for the same time and "
                 "port."] + next_steps(ctx, skip=("console",))
    f = finding("peer-reported-error", sev, " ".join(text), rcs=conn.rcs, evidence=ev,
                connections=conns, score=score, next_steps=steps)
    if explained is not None:
        ctx.explained_by[id(f)] = explained  # run() turns it into f.explained_by (an id)
    return f


def _unexplained(ctx: Context, conn: Connection) -> Finding:
    rc = next((r for r in conn.rcs if r not in PEER_RCS), conn.rcs[0])
    meaning = _meaning(rc)
    if rc == 5006 and set(conn.rcs) <= {5006} | PEER_RCS:
        text = (f"{where(conn)} failed with {rc_list(conn, ctx)}: the connection used an AT-TLS environment "
                "that failed to initialise. The reason is in the environment's own error (an earlier "
                "EZD1287I/EZD1286I for Environment Init, often RC 202 for the key ring), not in the "
                "session.")
        return finding("environment-init-failed", "error", text, rcs=conn.rcs, evidence=ctx.rc_records(conn),
                       connections=[conn.id], score=Score(0.4),
                       next_steps=["Look for the first EZD1287I of the environment (same GRPID/ENVID) "
                                   "before this one."] + next_steps(ctx))
    text = (f"{where(conn)} failed with {rc_list(conn, ctx)}" + (f": {meaning}" if meaning else "") +
            ". No rule could tie it to a cause from the evidence in the session.")
    return finding("unexplained-failure", "error", text,  # the RC list follows the title everywhere
                   rcs=conn.rcs, evidence=ctx.rc_records(conn), connections=[conn.id], score=Score(0.2),
                   next_steps=next_steps(ctx) or ["Take a GSKSRVR trace of the TCP/IP job while "
                                                   "re-creating the failure."])
