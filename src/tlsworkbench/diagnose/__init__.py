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

from . import certificate, common, hostname, keyring, negotiation, peer, trust, validity
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
