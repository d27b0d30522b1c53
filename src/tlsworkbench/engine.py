"""The engine the CLI and the workbench share: open a session, diagnose it,
answer "what belongs with this"."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from tlsworkbench import diagnose as rules, reference
from tlsworkbench.ingest.loader import load, no_gc
from tlsworkbench.model import Finding, Session
from tlsworkbench.model.index import Index, Related

Progress = Callable[[str, int, int], None]


def open_session(paths: Iterable[str | Path], progress: Progress | None = None) -> Session:
    """Load files, folders or .tlswb files, correlate and diagnose."""
    with no_gc():
        session = load(list(paths), progress=progress)
        diagnose(session)
    return session


def diagnose(session: Session) -> list[Finding]:
    """Fill ``session.findings`` with the rules of ``tlsworkbench.diagnose``
    (which keeps one broken rule from hiding the others' findings)."""
    findings = list(rules.run(session))
    session.findings = findings
    return findings


def describe_rc(rc: int) -> str:
    """One line naming a return code and its meaning (``reference.describe``)."""
    return reference.describe(rc)


def index_of(session: Session) -> Index:
    """The session's Index, built once and rebuilt when its connections,
    findings or records change."""
    key = (id(session.connections), len(session.connections), id(session.findings),
           len(session.findings), len(session.records), len(session.rings), len(session.policy))
    got = session.__dict__.get("_engine_index")
    if got is None or got[0] != key:
        got = (key, Index(session))
        session.__dict__["_engine_index"] = got
    return got[1]


def related(session: Session, record_id: str, index: Index | None = None) -> Related:
    """What belongs with ``record_id`` (the session's cached Index unless one is given)."""
    idx = index if index is not None else index_of(session)
    return idx.related(record_id)
