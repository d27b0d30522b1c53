"""What belongs with the selected record: the engine's Index, or a small
fallback built from the session's connections and findings.

Every pane gets the same ``Related`` with ids only (strings and ints), so panes
compare ids and never care which index produced them.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Related:
    """Ids of everything the index relates to one record."""

    record: str | None = None
    connections: set[str] = field(default_factory=set)
    records: set[str] = field(default_factory=set)
    rings: set[str] = field(default_factory=set)
    """Ring keys ``"owner/name"`` (including rings the evidence names but the
    session does not hold)."""
    certs: set[str] = field(default_factory=set)
    """Record ids of CertInfo entities."""
    findings: set[str] = field(default_factory=set)
    handshakes: set[str] = field(default_factory=set)
    rcs: set[int] = field(default_factory=set)


def _ident(item) -> str:
    if isinstance(item, str):
        return item
    for attr in ("id", "key", "record"):
        value = getattr(item, attr, None)
        if isinstance(value, str):
            return value
    return str(item)


def _cert_id(item) -> str:
    if isinstance(item, str):
        return item
    return getattr(item, "record", None) or _ident(item)


class Selector:
    """Answers ``related(record_id)`` for one session."""

    def __init__(self, session, index=None) -> None:
        self.session = session
        self.index = index
        if self.index is None:
            try:
                from tlsworkbench.model.index import Index

                self.index = Index(session)
            except Exception:
                self.index = None
        self._fallback = None if self.index is not None else _Fallback(session)
        self.conns = {c.id: c for c in session.connections}
        self.rings = {}
        for r in session.rings:
            self.rings.setdefault(f"{r.owner.upper()}/{r.name}", r)
        self.certs_by_owner: dict[str, list] = {}
        for c in session.certs:
            self.certs_by_owner.setdefault((c.owner or "").upper(), []).append(c)
        session.record("")  # build the session's id map now, not on the first click

    def related(self, rid: str | None) -> Related:
        if not rid:
            return Related()
        if self.index is not None:
            try:
                got = self.index.related(rid)
                rel = Related(
                    record=rid,
                    connections={_ident(c) for c in getattr(got, "connections", ()) or ()},
                    records={_ident(r) for r in getattr(got, "records", ()) or ()},
                    rings={_ident(r) for r in getattr(got, "rings", ()) or ()},
                    certs={_cert_id(c) for c in getattr(got, "certs", ()) or ()},
                    findings={_ident(f) for f in getattr(got, "findings", ()) or ()},
                    handshakes={_ident(h) for h in getattr(got, "handshakes", ()) or ()},
                    rcs={int(x) for x in getattr(got, "rcs", ()) or () if str(x).lstrip("-").isdigit()},
                )
            except Exception:
                if self._fallback is None:
                    self._fallback = _Fallback(self.session)
                rel = self._fallback.related(rid)
        else:
            rel = self._fallback.related(rid)
        self._add_peers(rel)
        self._add_missing_certs(rel)
        rel.records.add(rid)
        rec = self.session.record(rid)
        fields = getattr(rec, "fields", None) or {}
        rc = fields.get("rc")
        if isinstance(rc, int) and rc:
            rel.rcs.add(rc)
        for conn in rel.connections:
            c = self.conns.get(conn)
            if c is not None and c.keyring:
                rel.rings.add(c.keyring)
        return rel


    def _add_peers(self, rel: Related) -> None:
        """The partner's side of each connection belongs with it too: the client's
        RC 438 explains nothing without the server's RC 6."""
        for cid in list(rel.connections)[:200]:
            c = self.conns.get(cid)
            peer = c.peer if c is not None else None
            if not peer or peer in rel.connections:
                continue
            rel.connections.add(peer)
            p = self.conns.get(peer)
            if p is None:
                continue
            if self.index is not None and hasattr(self.index, "related_to_connection"):
                try:
                    got = self.index.related_to_connection(peer)
                    rel.records.update(_ident(r) for r in got.records)
                    rel.findings.update(_ident(f) for f in got.findings)
                    rel.handshakes.update(_ident(h) for h in got.handshakes)
                    rel.rcs.update(int(x) for x in got.rcs)
                    rel.certs.update(_cert_id(x) for x in got.certs)
                    rel.rings.update(_ident(r) for r in got.rings)
                    continue
                except Exception:
                    pass
            rel.records.update(p.records)
            rel.rcs.update(p.rcs)
            rel.handshakes.update(p.handshakes)

    def _add_missing_certs(self, rel: Related) -> None:
        """A ring with no PERSONAL certificate: its owner's own certificates are
        what is missing, so they belong with the selection too."""
        for key in list(rel.rings):
            owner, _, name = key.partition("/")
            ring = self.rings.get(f"{owner.upper()}/{name}")
            if ring is not None and not ring.personal():
                rel.certs.update(c.record for c in self.certs_by_owner.get(ring.owner.upper(), ()))


class _Fallback:
    """Dicts built once from connections, findings, rings and certs."""

    def __init__(self, session) -> None:
        self.s = session
        self.rec_conns: dict[str, set[str]] = {}
        for c in session.connections:
            for r in c.records:
                self.rec_conns.setdefault(r, set()).add(c.id)
        self.rec_findings: dict[str, set[str]] = {}
        self.conn_findings: dict[str, set[str]] = {}
        for f in session.findings:
            for r in f.evidence:
                self.rec_findings.setdefault(r, set()).add(f.id)
            for c in f.connections:
                self.conn_findings.setdefault(c, set()).add(f.id)
        self.entity: dict[str, tuple[str, object]] = {}
        for ring in session.rings:
            self.entity[ring.record] = ("ring", ring)
            for e in ring.entries:
                self.entity[e.record] = ("ring", ring)
        for cert in session.certs:
            self.entity.setdefault(cert.record, ("cert", cert))
        self.hs_records: dict[str, set[str]] = {}
        for h in session.handshakes:
            for r in getattr(h, "records", ()) or ():
                self.hs_records.setdefault(r, set()).add(h.id)

    def _conn(self, cid):
        return self.s.connection(cid)

    def related(self, rid: str) -> Related:
        s = self.s
        rel = Related(record=rid)
        conns = set(self.rec_conns.get(rid, ()))
        for fid in self.rec_findings.get(rid, ()):
            f = s.finding(fid)
            if f is not None and not conns:
                conns.update(f.connections)
        for cid in list(conns):
            c = self._conn(cid)
            if c is not None and c.peer:
                conns.add(c.peer)
        rel.connections = conns
        for cid in conns:
            c = self._conn(cid)
            if c is None:
                continue
            rel.records.update(c.records)
            rel.rcs.update(c.rcs)
            rel.handshakes.update(c.handshakes)
            if c.keyring:
                rel.rings.add(c.keyring)
            rel.findings.update(self.conn_findings.get(cid, ()))
        rel.findings.update(self.rec_findings.get(rid, ()))
        rel.handshakes.update(self.hs_records.get(rid, ()))
        kind, ent = self.entity.get(rid, (None, None))
        if kind == "ring":
            rel.rings.add(ent.key)
        elif kind == "cert":
            rel.certs.add(ent.record)
            rel.rings.update(ent.rings)
        for fid in rel.findings:
            f = s.finding(fid)
            if f is not None:
                rel.rcs.update(f.rcs)
        for key in rel.rings:
            ring = s.ring(key)
            owner = key.partition("/")[0].upper()
            labels = {(e.label, e.owner.upper().removeprefix("ID(").rstrip(")")) for e in ring.entries} if ring else set()
            for cert in s.certs:
                cowner = (cert.owner or "").upper()
                if (cert.label, cowner) in labels or key in cert.rings or (
                        ring is not None and cowner == owner and cert.private_key):
                    rel.certs.add(cert.record)
                elif ring is None and cowner == owner:
                    rel.certs.add(cert.record)
        return rel
