"""Session: everything read from one set of artifacts, plus the user's notes.

Readers fill it through ``Session.add`` (see ingest/loader.py); correlation
(model/correlate.py) builds ``connections``; diagnosis fills ``findings``; the
index (model/index.py) answers "what belongs with this record".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .artifact import Artifact
from .connection import Connection, Finding
from .connset import ConnSet
from .entities import AppConfig, CertInfo, JobInfo, KeyRing, PolicyStatement, StartedProfile
from .records import Record, Unparsed, split_record_id


@dataclass
class Session:
    artifacts: list[Artifact] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    """Recognised records, in artifact order then line order. Plain lines of a log
    are not materialised here (see ``record()``)."""
    unparsed: list[Unparsed] = field(default_factory=list)
    rings: list[KeyRing] = field(default_factory=list)
    certs: list[CertInfo] = field(default_factory=list)
    policy: list[PolicyStatement] = field(default_factory=list)
    jobs: list[JobInfo] = field(default_factory=list)
    started: list[StartedProfile] = field(default_factory=list)
    app_configs: list[AppConfig] = field(default_factory=list)
    """TLS settings of applications that call System SSL themselves (FTP.DATA, TN3270
    profile, CICS, MQ, Zowe ...)."""
    trace_records: list = field(default_factory=list)
    """GSKSRVR trace records (model/trace.py)."""
    handshakes: list = field(default_factory=list)
    """Handshakes grouped from the trace (model/trace.py)."""
    connections: list[Connection] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)
    """Record id -> the user's note."""
    bookmarks: list[str] = field(default_factory=list)
    selected_finding: str | None = None
    incident_time: object = None
    """datetime of the failure when known or set by the user (for validity checks)."""
    attls: object = field(default=None, repr=False, compare=False)
    """ingest/attls_fast.Joiner when routine AT-TLS lines were read by the fast
    path: their connections, and the lines kept as line numbers only."""
    _by_id: dict | None = field(default=None, repr=False)
    _lookup: dict = field(default_factory=dict, repr=False, compare=False)
    """Cached id -> object maps for connection()/finding(), rebuilt when the list changes."""

    # -- building -------------------------------------------------------
    def add(self, item) -> None:
        """Add one item a reader produced, by its type."""
        self._by_id = None
        if isinstance(item, Record):
            self.records.append(item)
        elif isinstance(item, Unparsed):
            self.unparsed.append(item)
        elif isinstance(item, KeyRing):
            self.rings.append(item)
        elif isinstance(item, CertInfo):
            self.certs.append(item)
        elif isinstance(item, PolicyStatement):
            self.policy.append(item)
        elif isinstance(item, JobInfo):
            self.jobs.append(item)
        elif isinstance(item, StartedProfile):
            self.started.append(item)
        elif isinstance(item, AppConfig):
            self.app_configs.append(item)
        else:
            kind = type(item).__name__
            if kind == "TraceRecord":
                self.trace_records.append(item)
            elif kind == "Handshake":
                self.handshakes.append(item)
            else:
                raise TypeError(f"reader produced an unknown item: {kind}")

    # -- lookup ----------------------------------------------------------
    def artifact(self, aid: str) -> Artifact | None:
        return next((a for a in self.artifacts if a.id == aid), None)

    def record(self, rid: str) -> Record | Unparsed | None:
        """The record with this id; a plain line of a log is materialised on demand."""
        if self._by_id is None:
            by_id: dict = {}
            for r in self.records:
                by_id.setdefault(r.id, r)
            for u in self.unparsed:
                by_id.setdefault(u.id, u)
            self._by_id = by_id
        found = self._by_id.get(rid)
        if found is not None:
            return found
        try:
            aid, line = split_record_id(rid)
        except ValueError:
            return None
        art = self.artifact(aid)
        if art is None or not 1 <= line <= art.line_count:
            return None
        if self.attls is not None:  # a routine AT-TLS line kept as its number only
            try:
                got = self.attls.reparse(self, art, line)
            except Exception:
                got = None
            if got is not None:
                return got
        return Record(artifact=aid, line=line, kind="plain", text=art.line(line), system=art.system)

    def connection(self, cid: str) -> Connection | None:
        if isinstance(self.connections, ConnSet):  # rows are made on demand, never all at once
            return self.connections.get(cid)
        return self._cached("connections", self.connections).get(cid)

    def finding(self, fid: str) -> Finding | None:
        return self._cached("findings", self.findings).get(fid)

    def _cached(self, name: str, items: list) -> dict:
        got = self._lookup.get(name)
        if got is None or got[0] is not items or got[1] != len(items):
            by: dict = {}
            for it in items:
                by.setdefault(it.id, it)
            got = self._lookup[name] = (items, len(items), by)
        return got[2]

    def ring(self, key: str) -> KeyRing | None:
        """Ring by ``"owner/name"``; RACF ring names are case-sensitive, owners are not."""
        owner, _, name = key.partition("/")
        for r in self.rings:
            if r.owner.upper() == owner.upper() and r.name == name:
                return r
        return None
