"""The index: given any record id, what belongs with it.

Built once from a correlated (and diagnosed) session, with dicts only, so that
``related()`` is a few lookups: the connections the record belongs to, and every
record, key ring, certificate, finding, handshake and return code of those
connections. Works for any record id: a console line, a syslogd line, a trace
record, a ring or ring-entry line, a certificate, a policy line, a finding's
evidence.

Two rules widen what a record relates to, for every caller (the workbench, the
CLI and the reports see the same answer):

- the peer: the partner's side of each connection belongs with it (the client's
  RC 438 explains nothing without the server's RC 6);
- the missing certificate: a key ring with no PERSONAL certificate lists its
  owner's own certificates, since one of those is what is missing from it.

When a record relates to very many connections (a policy rule or a key ring used
by thousands), ``connections`` lists them all but ``records`` is gathered from the
first ``FANOUT`` of them, failing ones first, and ``truncated`` is set.

``Related`` is an immutable value: the workbench keeps it as its one selection.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass

from .connset import objects, rows_of
from .records import Record
from .rowquery import ConnMap as _Conns, ids_by, line_owners

FANOUT = 200
_MAX_DEPTH = 4


@dataclass(frozen=True)
class Related:
    """Ids of everything that belongs with one record (``record``)."""

    record: str | None = None
    connections: tuple[str, ...] = ()
    records: frozenset[str] = frozenset()
    """Record ids, ``record`` itself included."""
    rings: tuple[str, ...] = ()
    """``"OWNER/ring"`` (owner upper case, see ``ring_key``); rings the evidence
    names but the session does not hold are included."""
    certs: tuple[str, ...] = ()
    """Record ids of the CertInfo entities."""
    findings: tuple[str, ...] = ()
    handshakes: tuple[str, ...] = ()
    rcs: tuple[int, ...] = ()
    truncated: bool = False


def ring_key(key: str | None) -> str | None:
    """``"ftpd/Server_RING"`` -> ``"FTPD/Server_RING"`` (owners are not case-sensitive)."""
    if not key:
        return None
    owner, sep, name = key.partition("/")
    return f"{owner.upper()}/{name}" if sep else key


def _add(d: dict, key, value) -> None:
    got = d.get(key)
    if got is None:
        d[key] = [value]
    elif value not in got:
        got.append(value)


class Index:
    def __init__(self, session):
        self.session = session
        self.conns = _Conns(session.connections)
        """id -> Connection; the rows of a ConnSet are made only when asked for."""
        self._bundles: dict[str, frozenset] = {}
        self._ordered: dict[tuple, list[str]] = {}
        self._build_connections()
        self._build_rings()
        self._build_policy()
        self._build_trace()
        self._build_findings()

    # -- building ----------------------------------------------------------------
    def _build_connections(self) -> None:
        rec_conn: dict[str, object] = {}
        for c in objects(self.session.connections):  # a row has no records
            cid = c.id
            for rid in c.records:
                got = rec_conn.get(rid)
                if got is None:
                    rec_conn[rid] = cid
                elif isinstance(got, str):
                    if got != cid:
                        rec_conn[rid] = [got, cid]
                elif cid not in got:
                    got.append(cid)
        self.rec_conn = rec_conn
        # routine lines kept as line numbers only (Connection.lines): artifact id ->
        # array of (connection index + 1) per line; their id strings are made only
        # for the connections asked about
        self.line_conn: dict[str, array] = {}
        self.conn_list = self.session.connections
        sizes = {a.id: a.line_count for a in self.session.artifacts}
        if rows_of(self.conns.all) is not None:
            self.line_conn = line_owners(self.conns.all, sizes)
            return
        for k, c in enumerate(self.session.connections, 1):
            lines, more = c.lines, c.lines_more
            if not lines and not more:
                continue
            parts = [(c.lines_art, lines)] if lines else []
            parts += list((more or {}).items())
            for aid, nums in parts:
                arr = self.line_conn.get(aid)
                if arr is None:
                    arr = self.line_conn[aid] = array("I", bytes(4 * (sizes.get(aid, 0) + 1)))
                for n in nums:
                    if n < len(arr):
                        arr[n] = k

    def _build_rings(self) -> None:
        s = self.session
        self.ring_records: dict[str, list[str]] = {}
        self.rec_ring: dict[str, list[str]] = {}
        self.ring_certs: dict[str, list[str]] = {}
        self.cert_rings: dict[str, list[str]] = {}
        self.cert_recs: set[str] = set()
        certs_by_label: dict[tuple, list[str]] = {}
        for cert in s.certs:
            self.cert_recs.add(cert.record)
            if cert.label:
                certs_by_label.setdefault(((cert.owner or "").upper(), cert.label), []).append(cert.record)
            for rk in cert.rings:
                k = ring_key(rk)
                _add(self.ring_certs, k, cert.record)
                _add(self.cert_rings, cert.record, k)
        for ring in s.rings:
            k = ring_key(ring.key)
            recs = [ring.record] + [e.record for e in ring.entries]
            for rid in recs:
                _add(self.ring_records, k, rid)
                _add(self.rec_ring, rid, k)
            for e in ring.entries:
                for crec in certs_by_label.get(((e.owner or "").upper(), e.label), ()):
                    _add(self.ring_certs, k, crec)
                    _add(self.cert_rings, crec, k)
        # a ring without a PERSONAL certificate: its owner's own certificates
        own: dict[str, list[str]] = {}
        for cert in s.certs:
            own.setdefault((cert.owner or "").upper(), []).append(cert.record)
        self.ring_missing: dict[str, list[str]] = {}
        for ring in s.rings:
            if not ring.personal():
                k = ring_key(ring.key)
                self.ring_missing[k] = own.get(ring.owner.upper(), [])
        self.ring_conns = ids_by(s.connections, "keyring", ring_key)

    def _build_policy(self) -> None:
        s = self.session
        by_name: dict[str, list] = {}
        for st in s.policy:
            by_name.setdefault(st.name, []).append(st)
        self.rule_records: dict[str, set[str]] = {}
        self.rec_rules: dict[str, list[str]] = {}
        for st in s.policy:
            if st.kind.lower() != "ttlsrule":
                continue
            recs: set[str] = set()
            seen: set[int] = set()
            todo = [(st, 0)]
            while todo:
                cur, depth = todo.pop()
                if id(cur) in seen:
                    continue
                seen.add(id(cur))
                recs.add(cur.record)
                recs.update(v for v in cur.lines.values() if isinstance(v, str))
                if depth >= _MAX_DEPTH:
                    continue
                for k, v in cur.params.items():
                    if not k.lower().endswith("ref"):
                        continue
                    for name in (v if isinstance(v, list) else [v]):
                        for ref in by_name.get(str(name), ()):
                            todo.append((ref, depth + 1))
            self.rule_records.setdefault(st.name, set()).update(recs)
            for rid in recs:
                _add(self.rec_rules, rid, st.name)
        self.rule_conns = ids_by(s.connections, "rule")

    def _build_trace(self) -> None:
        s = self.session
        self.hs_records: dict[str, list[str]] = {}
        self.rec_hs: dict[str, list[str]] = {}
        self.hs_conns: dict[str, list[str]] = {}
        for h in s.handshakes:  # model.trace.Handshake
            recs = list(h.records) or ([h.line] if h.line else [])
            self.hs_records[h.id] = recs
            for rid in recs:
                _add(self.rec_hs, rid, h.id)
            if h.connection:
                _add(self.hs_conns, h.id, h.connection)
        for c in objects(s.connections):  # a row has no handshakes
            for hid in c.handshakes:
                _add(self.hs_conns, hid, c.id)

    def _build_findings(self) -> None:
        self.rec_findings: dict[str, list[str]] = {}
        self.conn_findings: dict[str, list[str]] = {}
        self.findings = {f.id: f for f in self.session.findings}
        for f in self.session.findings:
            for rid in f.evidence:
                _add(self.rec_findings, rid, f.id)
            for cid in f.connections:
                _add(self.conn_findings, cid, f.id)

    # -- queries ---------------------------------------------------------------------
    def related(self, record_id: str) -> Related:
        conns: list[str] = []
        got = self.rec_conn.get(record_id)
        if got is not None:
            conns = [got] if isinstance(got, str) else list(got)
        elif self.line_conn:
            cid = self._line_conn(record_id)
            if cid is not None:
                conns = [cid]
        extra: set[str] = {record_id}
        rings: list[str] = []
        certs: list[str] = []
        hss: list[str] = []
        fanout: list[list[str]] = []
        for k in self.rec_ring.get(record_id, ()):
            rings.append(k)
            fanout.append(self._ordered_for(("ring", k), self.ring_conns.get(k, ())))
        if record_id in self.cert_recs:
            certs.append(record_id)
            for k in self.cert_rings.get(record_id, ()):
                if k not in rings:
                    rings.append(k)
                fanout.append(self._ordered_for(("ring", k), self.ring_conns.get(k, ())))
        for rule in self.rec_rules.get(record_id, ()):
            extra |= self.rule_records.get(rule, set())
            fanout.append(self._ordered_for(("rule", rule), self.rule_conns.get(rule, ())))
        for hid in self.rec_hs.get(record_id, ()):
            hss.append(hid)
            conns.extend(c for c in self.hs_conns.get(hid, ()) if c not in conns)
        for lst in fanout:
            if not conns:
                conns = list(lst)
            else:
                seen = set(conns)
                conns.extend(c for c in lst if c not in seen)
        self._add_peers(conns)
        findings = list(self.rec_findings.get(record_id, ()))
        rcs = []
        rec = self.session.record(record_id)
        rc = rec.fields.get("rc") if isinstance(rec, Record) else None
        if isinstance(rc, int) and not isinstance(rc, bool) and rc:
            rcs.append(rc)
        return self._gather(conns, extra, rings, certs, hss, findings, rcs, record=record_id)

    def related_to_connection(self, cid: str) -> Related:
        """What belongs with one connection itself (its peer not included)."""
        if cid not in self.conns:
            return Related()
        return self._gather([cid], set(), [], [], [], [])

    def _add_peers(self, conns: list[str]) -> None:
        """The partner's side of each of the first ``FANOUT`` connections, appended."""
        seen = set(conns)
        for cid in conns[:FANOUT]:
            c = self.conns.get(cid)
            peer = c.peer if c is not None else None
            if peer and peer not in seen and peer in self.conns:
                seen.add(peer)
                conns.append(peer)

    # -- gathering -------------------------------------------------------------------------
    def _gather(self, conns, records, rings, certs, hss, findings, rcs=(),
                record: str | None = None) -> Related:
        records = set(records)
        rings, certs, hss = list(rings), list(certs), list(hss)
        findings, rcs = list(findings), list(rcs)
        for cid in conns[:FANOUT]:
            c = self.conns.get(cid)
            if c is None:
                continue
            records |= self._bundle(c)
            for rc in c.rcs:
                if rc not in rcs:
                    rcs.append(rc)
            k = ring_key(c.keyring)
            if k and k not in rings:
                rings.append(k)
            for h in c.handshakes:
                if h not in hss:
                    hss.append(h)
            for fid in self.conn_findings.get(cid, ()):
                if fid not in findings:
                    findings.append(fid)
        for k in rings:
            records.update(self.ring_records.get(k, ()))
            for crec in (*self.ring_certs.get(k, ()), *self.ring_missing.get(k, ())):
                if crec not in certs:
                    certs.append(crec)
        records.update(certs)
        for hid in hss:
            records.update(self.hs_records.get(hid, ()))
        if record:
            records.add(record)
        return Related(record=record, connections=tuple(conns), records=frozenset(records),
                       rings=tuple(rings), certs=tuple(certs), findings=tuple(findings),
                       handshakes=tuple(hss), rcs=tuple(rcs), truncated=len(conns) > FANOUT)

    def _line_conn(self, record_id: str) -> str | None:
        aid, _, num = record_id.rpartition(":")
        arr = self.line_conn.get(aid)
        if arr is None or not num.isdigit():
            return None
        n = int(num)
        k = arr[n] if n < len(arr) else 0
        return self.conn_list[k - 1].id if k else None

    def _bundle(self, c) -> frozenset:
        got = self._bundles.get(c.id)
        if got is None:
            recs = set(c.records)
            if c.lines or c.lines_more:
                recs.update(c.line_ids())
            if c.rule:
                recs |= self.rule_records.get(c.rule, set())
            k = ring_key(c.keyring)
            if k:
                recs.update(self.ring_records.get(k, ()))
                recs.update(self.ring_certs.get(k, ()))
            for hid in c.handshakes:
                recs.update(self.hs_records.get(hid, ()))
            got = self._bundles[c.id] = frozenset(recs)
        return got

    def _ordered_for(self, key: tuple, cids) -> list[str]:
        """Connection ids, failing ones first (cached per entity)."""
        got = self._ordered.get(key)
        if got is None:
            failing = self.conns.failing  # a row never fails: never made for this
            got = [c for c in cids if c in failing] + [c for c in cids if c not in failing]
            self._ordered[key] = got
        return got

