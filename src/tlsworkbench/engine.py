"""The engine the CLI and the workbench share: open a session, diagnose it,
answer "what belongs with this"."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from tlsworkbench import diagnose as rules, reference, sessionfile
from tlsworkbench.ingest import loader
from tlsworkbench.ingest.loader import no_gc
from tlsworkbench.model import Finding, Session
from tlsworkbench.model.index import Index, Related

Progress = Callable[[str, int, int], None]


def _read_session(session: Session, path: Path, progress: Progress | None) -> None:
    sessionfile.load_into(session, path, loader.read_data, progress=progress)


def load(paths: Iterable[str | Path], progress: Progress | None = None,
         session: Session | None = None) -> Session:
    """Read files, folders and .tlswb session files into one correlated session
    (not diagnosed). The engine joins the two readers: ingest.loader reads the
    files, sessionfile unpacks a session file (neither imports the other)."""
    return loader.load(paths, progress=progress, session=session, read_session=_read_session)


def load_session(path: str | Path, progress: Progress | None = None) -> Session:
    """Open one session file: artifacts re-read, correlated, user state restored
    (not diagnosed)."""
    session = Session()
    sessionfile.load_into(session, path, loader.read_data, progress=progress)
    loader.finish(session)
    return session


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
