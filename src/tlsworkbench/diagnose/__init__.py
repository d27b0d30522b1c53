"""Diagnosis: rules over the session model that name the cause of each failed
connection and write the fix.

``run(session)`` returns the findings (and stores them in ``session.findings``),
errors first, each with a stable cause id (see causes.py), an explanation naming
the real values, the evidence record ids, the connections, a confidence, the fix
commands (fixes.py) and what to collect next when the evidence does not settle it.

One module per fault family: keyring (ring not found / not authorized),
certificate (not on ring / private key), validity (expired), trust (CA),
hostname, negotiation (cipher, protocol, timeout, cleartext, client auth),
peer (the partner's codes, and the rest).
"""

from __future__ import annotations

import logging

from tlsworkbench.model import Finding, Session

from . import certificate, hostname, infer, keyring, native, negotiation, peer, trust, validity
from .causes import CAUSES, SEVERITY_ORDER
from .evidence import Context

__all__ = ["CAUSES", "run"]

_log = logging.getLogger(__name__)
RULES = [keyring, certificate, validity, trust, hostname, negotiation]


def run(session: Session) -> list[Finding]:
    ctx = Context(session)
    return _run(session, ctx)


def _run(session: Session, ctx: Context, prove: bool = True) -> list[Finding]:
    found: list[Finding] = []
    blocks = infer.environment_blocks(ctx)
    for mod in RULES:
        try:
            found.extend(mod.rules(ctx))
        except Exception:  # one broken rule must not hide the others' findings
            _log.exception("diagnosis rule %s failed", mod.__name__)
    try:
        found.extend(peer.rules(ctx, found))
    except Exception:
        _log.exception("diagnosis rule peer failed")
    _add_blocked(ctx, found, blocks)
    found = native.adjust(ctx, found)  # native System SSL users (diagnose/native.py)
    found = _merge_repeats(ctx, found)
    from tlsworkbench.model.rowquery import positions

    order = positions(session.connections, {c for f in found for c in f.connections})

    def key(f: Finding):
        first = min((order.get(c, 1 << 30) for c in f.connections), default=1 << 30)
        return (SEVERITY_ORDER.get(f.severity, 3), first, -f.confidence)
    found.sort(key=key)
    for i, f in enumerate(found, 1):
        f.id = f"f{i}"
    _link_peers(ctx, found)
    _assumptions(ctx, found)
    for f in found:  # "instead of the instance number" only where the fix raises one
        if not any(c.kind == "policy" for c in f.commands):
            f.next_steps = [n for n in f.next_steps if not n.startswith("Instead of the instance number")]
    if prove:
        try:
            from .simulate import prove as prove_fixes

            prove_fixes(session, found)
        except Exception:
            _log.exception("proving the fixes failed")
    session.findings = found
    return found


def _add_blocked(ctx: Context, found: list[Finding], blocks: dict[str, list[str]]) -> None:
    """An environment-level failure and the connections it blocked are one finding."""
    for f in found:
        for eid, cids in blocks.items():
            if eid not in f.connections:
                continue
            for cid in cids:
                if cid not in f.connections:
                    f.connections.append(cid)
                    conn = ctx.connection(cid)
                    if conn is not None:
                        f.evidence.extend(r for r in ctx.rc_records(conn) if r not in f.evidence)
                        f.rcs.extend(rc for rc in conn.rcs if rc not in f.rcs)
            f.explanation += (f" The environment failure blocked {len(cids)} connection"
                              f"{'s' if len(cids) != 1 else ''} of it ({', '.join(cids)}).")


def _assumptions(ctx: Context, found: list[Finding]) -> None:
    """Say in each finding what was assumed about its connections (a key ring inferred
    from partial evidence), and lower its confidence for it."""
    for f in found:
        notes = []
        for cid in f.connections:
            got = ctx.assumed.get(cid)
            if got and got not in notes:
                notes.append(got)
        if notes:
            f.assumptions = notes
            f.explanation += " Assumed: " + " ".join(notes)
            f.confidence = round(max(0.05, f.confidence - 0.15), 2)


def _merge_repeats(ctx: Context, found: list[Finding]) -> list[Finding]:
    """One finding for the same failure repeated (a client retrying): same cause, same
    fix, same job, rule and return codes. The connections and evidence are pooled."""
    out: list[Finding] = []
    by_key: dict[tuple, Finding] = {}
    counts: dict[int, int] = {}
    for f in found:
        conn = ctx.connection(f.connections[0]) if f.connections else None
        if conn is None:
            out.append(f)
            continue
        target = ctx.explained_by.get(id(f))
        key = (f.cause, f.severity, tuple(c.text for c in f.commands), conn.system, conn.job, conn.rule,
               tuple(sorted(set(f.rcs))), target.cause if target is not None else "")
        first = by_key.get(key)
        if first is None:
            by_key[key] = f
            out.append(f)
            continue
        counts[id(first)] = counts.get(id(first), 1) + 1
        ctx.merged_into[id(f)] = first
        for attr in ("connections", "evidence", "rcs"):
            have = getattr(first, attr)
            have.extend(x for x in getattr(f, attr) if x not in have)
    for f in out:
        n = counts.get(id(f))
        if n:
            times = [c.first_time for c in (ctx.connection(i) for i in f.connections)
                     if c is not None and c.first_time is not None]
            span = f" between {min(times):%Y-%m-%d %H:%M:%S} and {max(times):%H:%M:%S}" if times else ""
            f.explanation += f" The same failure happened {n} times{span}."
    return out


def _link_peers(ctx: Context, found: list[Finding]) -> None:
    """Set ``explained_by`` of a finding that another one explains (a partner's RC 406
    explained by this side's RC 202) to that finding's id, and say so in the text."""
    for f in found:
        target = ctx.explained_by.get(id(f))
        while target is not None and id(target) in ctx.merged_into:
            target = ctx.merged_into[id(target)]
        if target is None or not target.id:
            continue
        f.explained_by = target.id
        f.explanation += f" Finding {target.id} explains it."
