"""The engine the CLI and the workbench share: open a session, diagnose it,
answer "what belongs with this"."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from pathlib import Path

from tlsworkbench.model import Finding, Session

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]


def open_session(paths: Iterable[str | Path], progress: Progress | None = None) -> Session:
    """Load files, folders or .tlswb files, correlate and diagnose."""
    from tlsworkbench.ingest.loader import load, no_gc

    with no_gc():
        session = load(list(paths), progress=progress)
        diagnose(session)
    return session


def diagnose(session: Session) -> list[Finding]:
    """Fill ``session.findings`` with the rules of ``tlsworkbench.diagnose``; while
    those are missing (or fail), one finding per failing connection."""
    findings: list[Finding] | None = None
    try:
        from tlsworkbench import diagnose as rules
    except ImportError:
        rules = None
    run = getattr(rules, "run", None) if rules is not None else None
    if run is not None:
        try:
            findings = list(run(session))
        except Exception:
            log.exception("diagnosis rules failed; falling back to return-code findings")
            findings = None
    if findings is None:
        findings = basic_findings(session)
    session.findings = findings
    return findings


def describe_rc(rc: int) -> str | None:
    """Short meaning of a return code from tlsworkbench.reference, if available."""
    try:
        from tlsworkbench import reference
    except ImportError:
        return None
    fn = getattr(reference, "describe", None)
    if fn is None:
        return None
    try:
        got = fn(rc)
    except Exception:
        return None
    if got is None:
        return None
    if isinstance(got, str):
        return got
    for name in ("meaning", "short", "text", "title"):
        v = getattr(got, name, None)
        if isinstance(v, str) and v:
            return v
    return str(got)


def basic_findings(session: Session) -> list[Finding]:
    """One finding per failing connection naming its return codes."""
    out: list[Finding] = []
    by_id = {c.id: c for c in session.connections}
    for c in session.connections:
        if not c.rcs:
            continue
        peer = by_id.get(c.peer) if c.peer else None
        own = c.rcs
        # a partner's alert (e.g. 438) while the peer shows its own error
        cause = "peer-reported-error" if peer is not None and peer.rcs and 438 in own else "unexplained-failure"
        meanings = []
        for rc in own:
            m = describe_rc(rc)
            if not m:
                m = f"RC {rc}: meaning not in the reference"
            meanings.append(m if m.startswith("RC ") else f"RC {rc}: {m}")
        where = f" on {c.system}" if c.system else ""
        who = f" ({c.job})" if c.job else ""
        title = f"TLS failure{where}{who}: RC {', '.join(str(r) for r in own)}"
        expl = "; ".join(meanings) + "."
        if peer is not None:
            expl += (f" The partner connection {peer.id}"
                     f"{' on ' + peer.system if peer.system else ''} reports "
                     f"{'RC ' + ', '.join(str(r) for r in peer.rcs) if peer.rcs else 'no error'}.")
        evidence = [rid for rid in c.records if _is_error(session, rid)] or c.records[:3]
        out.append(Finding(id=f"f{len(out) + 1}", cause=cause, severity="error", title=title,
                           explanation=expl, rcs=list(own), evidence=evidence,
                           connections=[c.id] + ([peer.id] if peer is not None else []),
                           confidence=0.3))
    return out


def _is_error(session: Session, rid: str) -> bool:
    r = session.record(rid)
    return getattr(r, "severity", None) == "error" or bool(getattr(r, "fields", {}).get("rc"))


def index_of(session: Session):
    """The session's Index, built once and rebuilt when its connections,
    findings or records change."""
    from tlsworkbench.model.index import Index

    key = (id(session.connections), len(session.connections), id(session.findings),
           len(session.findings), len(session.records), len(session.rings), len(session.policy))
    got = session.__dict__.get("_engine_index")
    if got is None or got[0] != key:
        got = (key, Index(session))
        session.__dict__["_engine_index"] = got
    return got[1]


def related(session: Session, record_id: str, index=None):
    """What belongs with ``record_id`` (the session's cached Index unless one is given)."""
    idx = index if index is not None else index_of(session)
    return idx.related(record_id)
