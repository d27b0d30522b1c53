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

from . import certificate, common, hostname, keyring, native, negotiation, peer, trust, validity
from .causes import CAUSES, SEVERITY_ORDER
from .evidence import Context

__all__ = ["CAUSES", "run"]

_log = logging.getLogger(__name__)
RULES = [keyring, certificate, validity, trust, hostname, negotiation]


def run(session: Session) -> list[Finding]:
    ctx = Context(session)
    common.CURRENT.append(ctx)
    try:
        return _run(session, ctx)
    finally:
        common.CURRENT.remove(ctx)


def _run(session: Session, ctx: Context) -> list[Finding]:
    found: list[Finding] = []
    for mod in RULES:
        try:
            found.extend(mod.rules(ctx))
        except Exception:  # one broken rule must not hide the others' findings
            _log.exception("diagnosis rule %s failed", mod.__name__)
    try:
        found.extend(peer.rules(ctx, found))
    except Exception:
        _log.exception("diagnosis rule peer failed")
    found = native.adjust(ctx, found)  # native System SSL users (diagnose/native.py)
    found = _merge_repeats(ctx, found)
    order = {c.id: i for i, c in enumerate(session.connections)}

    def key(f: Finding):
        first = min((order.get(c, 1 << 30) for c in f.connections), default=1 << 30)
        return (SEVERITY_ORDER.get(f.severity, 3), first, -f.confidence)
    found.sort(key=key)
    for i, f in enumerate(found, 1):
        f.id = f"f{i}"
    _link_peers(found)
    session.findings = found
    return found


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
        marker = f.explanation.rpartition(" [")[2] if f.explanation.endswith("]") else ""
        key = (f.cause, f.severity, tuple(c.text for c in f.commands), conn.system, conn.job, conn.rule,
               tuple(sorted(set(f.rcs))), marker)
        first = by_key.get(key)
        if first is None:
            by_key[key] = f
            out.append(f)
            continue
        counts[id(first)] = counts.get(id(first), 1) + 1
        for attr in ("connections", "evidence", "rcs"):
            have = getattr(first, attr)
            have.extend(x for x in getattr(f, attr) if x not in have)
    for f in out:
        n = counts.get(id(f))
        if n:
            times = [c.first_time for c in (ctx.connection(i) for i in f.connections)
                     if c is not None and c.first_time is not None]
            span = f" between {min(times):%Y-%m-%d %H:%M:%S} and {max(times):%H:%M:%S}" if times else ""
            note = f" The same failure happened {n} times{span}."
            if f.explanation.endswith("]"):
                head, _, tag = f.explanation.rpartition(" [")
                f.explanation = head + note + " [" + tag
            else:
                f.explanation += note
    return out


def _link_peers(found: list[Finding]) -> None:
    """Replace the ``[cause]`` marker of a peer finding with the id of the finding it points to."""
    by_cause = {}
    for f in found:
        if f.cause != "peer-reported-error":
            by_cause.setdefault(f.cause, []).append(f)
    for f in found:
        if f.cause != "peer-reported-error" or not f.explanation.endswith("]"):
            continue
        head, _, tag = f.explanation.rpartition(" [")
        cause = tag.rstrip("]")
        target = next((g for g in by_cause.get(cause, []) if set(g.connections) & set(f.connections)), None)
        f.explanation = head + (f" Finding {target.id} explains it." if target else "")
