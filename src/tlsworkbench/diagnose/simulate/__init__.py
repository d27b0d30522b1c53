"""Prove each fix on a model of the RACF and AT-TLS state the evidence shows.

``prove(session, findings)`` builds the model (state.py), checks that it reproduces
each failure the finding is about, applies the finding's own commands (apply.py),
works out what every connection would get afterwards (outcome.py), diagnoses the
changed session again, and writes the result into ``Finding.proof``: what the
commands did, whether the finding clears, whether a connection that worked before
breaks, and every command the model could not apply.
"""

from __future__ import annotations

import copy
import logging
from dataclasses import replace
from datetime import date

from .apply import apply_all
from .outcome import evaluate, with_peers
from .state import HOST_FAIL, State, from_context


def _code(rc) -> str:
    if rc is None:  # the model has no result for it (its side of the handshake is not modelled)
        return "no result at all"
    return "CMS status 0335304B" if rc == HOST_FAIL else f"RC {rc}"

MODELLED = {"keyring-not-found", "keyring-not-authorized", "certificate-not-on-ring",
            "private-key-unavailable", "certificate-expired", "ca-not-trusted",
            "cipher-mismatch", "protocol-mismatch", "handshake-timeout", "hostname-mismatch",
            "client-certificate-missing", "client-certificate-not-defined"}
MAX_CONNECTIONS = 3000
"""Above this the proof is left out (a big log: the model would cost more than it shows)."""
MAX_PROOFS = 25
"""Findings proven per diagnosis (each proof diagnoses the changed session again)."""

_log = logging.getLogger(__name__)

from . import outcome  # noqa: E402

__all__ = ["MODELLED", "prove", "prove_one", "State", "from_context", "apply_all", "outcome"]


def prove(session, findings, today: date | None = None) -> None:
    if len(session.connections) > MAX_CONNECTIONS:
        return
    from tlsworkbench.diagnose.evidence import Context

    ctx = Context(session)
    base = from_context(ctx, today)
    from tlsworkbench.model.rowquery import peers_of

    peers = peers_of(session.connections)
    before = with_peers(base, evaluate(base, stale_aware=False), peers)
    proven = 0
    for f in findings:
        if f.cause not in MODELLED or not f.commands:
            continue
        proven += 1
        if proven > MAX_PROOFS:
            f.proof = f"Not proven: only the first {MAX_PROOFS} fixes of a diagnosis are run on the model."
            continue
        try:
            f.proof = prove_one(session, base, before, peers, f)
            f.proof += _client_side(ctx, session, base, before, peers, f)
        except Exception:  # a proof never hides the finding
            _log.exception("proof of %s failed", f.id)
            f.proof = "The model could not be run for this fix (an internal error; see the log)."


def prove_one(session, base: State, before: dict, peers: dict, f, commands=None) -> str:
    """The proof text of ``f`` (``commands``: another fix to try instead of f.commands)."""
    st = base.clone()
    st.unknown.clear()
    st.gaps = []
    done, refused = apply_all(st, commands if commands is not None else f.commands)
    after = with_peers(st, evaluate(st), peers)
    targets = [cid for cid in f.connections if cid in st.views
               and any(rc not in (406, 420, 437, 438, 439) for rc in st.views[cid].observed)]
    words = []
    shown = [d for d in done if d] + st.notes
    if shown:
        words.append("After these commands: " + "; ".join(shown) + ".")
    if refused:
        words.append("The model could not apply: " + "; ".join(refused) + ".")
    if st.day_note:
        words.append(f"Certificate dates are judged on {st.today} ({st.day_note}).")
    if not targets:
        return " ".join(words + ["No connection of this finding is in the model, so it is not proven."])
    # a host-name finding is reproduced only by the host check itself (not, say, by an
    # end date the evidence's year makes look past)
    unexplained = [cid for cid in targets if before.get(cid) in (None, 0)
                   or (f.cause == "hostname-mismatch" and before.get(cid) != HOST_FAIL)]
    if unexplained:
        got = before.get(unexplained[0])
        why = (f"it has no result for {', '.join(unexplained)}: that handshake is not in the model"
               if got is None else f"{', '.join(unexplained)} would get {_code(got)} before the fix")
        return " ".join(words + [
            f"Not proven: the model of the evidence does not reproduce this failure ({why}), so "
            "it cannot show that the fix clears it."])
    # the same failure again: not cleared; another code: this fault is gone and the
    # connection meets the next one (another finding's cause, e.g. RC 401 after RC 202)
    bad = {cid: after.get(cid) for cid in targets if after.get(cid) in (before.get(cid), None)}
    nxt = {cid: after.get(cid) for cid in targets if after.get(cid) not in (0, None, before.get(cid))}
    # another connection's next environment sees the change too: judge it without the
    # old environment it may still hold
    fresh = with_peers(st, evaluate(st, stale_aware=False), peers)
    broken = [cid for cid, rc in before.items() if rc == 0 and not base.views[cid].observed
              and fresh.get(cid) not in (0, None)]
    still = _rediagnose(session, after, f) if not bad else None
    users = {(st.views[c].user or "").upper() for c in targets}
    unknown = sorted((u, g) for u, g in st.unknown if u in users)
    if st.group_notes:
        words.append("Assumed: " + "; ".join(sorted(st.group_notes)) + ".")
    if bad and unknown:
        u, g = unknown[0]
        words.append(f"Not proven: whether {u} is connected to group {g} is not in the evidence "
                     f"(LISTUSER {u} or LISTGRP {g} shows it). Counted as not connected, "
                     f"{next(iter(bad))} would still get {_code(next(iter(bad.values())))}.")
        return " ".join(words)
    if bad and st.gaps:
        # a step the model could not carry out may be the very one that clears it: never
        # call that "does not clear"
        cid, rc = next(iter(bad.items()))
        n = len(st.gaps)
        words.append(f"Not proven (the model cannot apply {'that step' if n == 1 else f'those {n} steps'}"
                     f", named above): without {'it' if n == 1 else 'them'} {cid} would still get "
                     + (_code(rc) if rc else "no verdict") + ".")
    elif bad:
        cid, rc = next(iter(bad.items()))
        words.append(f"The finding does NOT clear: {cid} would still get "
                     + (_code(rc) if rc else "no verdict") + ".")
    elif still:
        words.append(f"The model clears the return codes, but diagnosing again still finds {still}.")
    else:
        rcs = "/".join(_code(rc) for rc in sorted({before[c] for c in targets if before.get(c)}))
        words.append(f"The {rcs} finding clears (diagnosed again on the changed state: gone).")
        if nxt:
            cid, rc = next(iter(nxt.items()))
            words.append(f"{cid} then meets the next fault, {_code(rc)}: fix it too (its own finding).")
    if broken:
        words.append(f"It breaks {', '.join(broken)}, which worked before.")
    elif not bad:
        ok = sum(1 for cid, rc in before.items() if rc == 0 and not base.views[cid].observed)
        if ok:
            words.append(f"The {ok} connection{'s' if ok != 1 else ''} that worked before still "
                         f"work{'s' if ok == 1 else ''} on the changed state.")
    return " ".join(words)


def _client_side(ctx, session, base: State, before: dict, peers: dict, f) -> str:
    """For a host-name finding, the other way out proven too: the client connects with a
    name the server certificate carries (``hostname.client_fix``)."""
    if f.cause != "hostname-mismatch":
        return ""
    from tlsworkbench.diagnose.hostname import client_fix

    alt = client_fix(ctx, f)
    if not alt:
        return ""
    text = prove_one(session, base, before, peers, f, commands=alt)
    verdict = ("the finding clears on the model too" if "finding clears (diagnosed again" in text
               else "the model does not show it clearing")
    return (f" Or, without a new certificate, the client connects with a name the certificate carries, "
            f"{alt[0].text} (assumed to resolve to the server's address): {verdict}.")


def _rediagnose(session, after: dict, f) -> str:
    """Diagnose a copy of the session whose connections carry the model's new codes;
    the cause of ``f`` on its connections, if it is still found."""
    from tlsworkbench.diagnose import _run
    from tlsworkbench.diagnose.evidence import Context

    def new_rcs(c):
        rc = after.get(c.id)
        if rc is None or not c.rcs or (rc in c.rcs and rc != 0):
            return c
        return replace(c, rcs=[] if rc == 0 else [rc])

    from tlsworkbench.model.connset import ConnSet, objects, rows_of

    s2 = copy.copy(session)
    objs = objects(session.connections)
    new = [new_rcs(c) for c in objs]  # a row has no code: the rows are shared, never made
    conns = session.connections
    s2.connections = ConnSet(new, conns.table, conns._slot) if rows_of(conns) is not None else new
    changed = {c.id for c, d in zip(objs, new) if c is not d}
    drop = {rid for rid in f.evidence if (r := session.record(rid)) is not None
            and getattr(r, "msgid", None) == "ICH408I"} if set(f.connections) & changed else set()
    # a host-name rejection has no return code: its CMS 0335304B lines go when the
    # model gives each connection of the finding a clean check
    if f.cause == "hostname-mismatch" and all(after.get(c) in (0, None) for c in f.connections):
        drop |= {rid for rid in f.evidence if (r := session.record(rid)) is not None
                 and "0335304B" in ((r.fields.get("cms_status") or "") + r.text).upper()}
    s2.records = [r for r in session.records if r.id not in drop]
    s2._by_id, s2._lookup, s2.findings = None, {}, []
    found = _run(s2, Context(s2), prove=False)
    hits = [g for g in found if g.cause == f.cause and set(g.connections) & set(f.connections)]
    return hits[0].cause if hits else ""
