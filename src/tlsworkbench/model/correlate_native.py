"""Connections of the programs that call System SSL themselves (native FTP and
TN3270, CICS, MQ, Db2, z/OSMF/Zowe, HWTH): records that carry ``fields["family"]``.

They have no CONNID. Their records join by system, family, job, the peer's
address and time (``WINDOW``); a record that names no peer joins the latest
attempt of the same artifact and job. The ring comes from the family's
``AppConfig`` (``Session.app_configs``), resolved like a policy ``Keyring``: a
name without an owner belongs to the user the job runs under.

A group of records that reports no System SSL code itself (an EZA2897I alone)
and that correlation already joined to an AT-TLS connection stays there: the
application used AT-TLS. Every other native record leaves the connections
built before and forms its own. Pairing with the partner system: local and
remote swapped, as for AT-TLS; a client that knows only the server's address
pairs with the one server connection at that address close in time.

Everything is dict lookups and one sort: near-linear in the number of records.
"""

from __future__ import annotations

from .connection import Connection, Endpoint
from .connset import objects
from .correlate_base import close, ep, gap, role_from_ports
from .correlate_native_config import app_config, job_owner, resolve_ring
from .correlate_native_pair import WINDOW, ByTime, pair

START = "attempt_start"
"""Record field a reader sets on a line that opens a new attempt (a client's
``Connecting to``, a server's accept of a new session)."""
NEEDS_PROOF = frozenset({"ftp", "tn3270"})
"""Families whose session messages (EZA2897I, replies, EZZ6034I) are the same
with AT-TLS: their lines make a native connection only when a native line of the
same artifact (an FTP SEC trace line, an EZZ6035I naming a GSK_ function), or
the family's configuration (TLSMECHANISM FTP, a SECUREPORT), says so."""
_MARKS = ("conn", "session")


def run(session, builder) -> None:
    """The correlation hook (model/correlate.py): run the AT-TLS correlation
    (``builder.run()``) without the records that are surely native (they have no
    CONNID and only cost the AT-TLS joins time), then add the native connections
    to ``builder.connections``."""
    records = session.records
    native = _native_records(records)
    if not native:
        builder.run()
        return
    proven = {(r.artifact, r.fields["family"]) for r in native if r.fields.get("native")}
    mech = _native_mechanism(session)
    art_sys = {a.id: a.system for a in session.artifacts}
    sure = {id(r) for r in native if _is_sure(r, proven, mech, art_sys)}
    if sure:
        session.records = [r for r in records if id(r) not in sure]
        session._by_id = None
    try:
        builder.run()
    finally:
        session.records = records
        session._by_id = None
    session.connections = builder.connections
    add(session, native, proven, mech)
    builder.connections = session.connections


def _native_records(records) -> list:
    return [r for r in records if r.fields and r.fields.get("family") and r.fields["family"] != "attls"
            and r.kind != "appconfig"]


def _is_sure(r, proven, mech, art_sys) -> bool:
    fam = r.fields["family"]
    if fam not in NEEDS_PROOF or (r.artifact, fam) in proven:
        return True
    system = r.system or art_sys.get(r.artifact)
    return bool(mech.get((fam, system)) or mech.get((fam, None)))


def add(session, native=None, proven=None, mech=None) -> None:
    """Add the native connections to ``session.connections`` (built for AT-TLS
    before): take native records out of the connections they were put in,
    renumber every connection in order of first appearance."""
    if native is None:
        if any(c.family != "attls" for c in objects(session.connections)):  # a row is AT-TLS
            return  # added already (the hook ran): never twice
        native = _native_records(session.records)
    if not native:
        return
    held = session.connections
    if getattr(held, "rows", 0):
        # connections kept as rows (model/connset.py) with native records: every row is
        # made an object here (a big AT-TLS trace and native records in one session);
        # when nothing changes the rows stay rows
        session.connections = list(held)
    if proven is None:
        proven = {(r.artifact, r.fields["family"]) for r in native if r.fields.get("native")}
    if mech is None:
        mech = _native_mechanism(session)
    art_sys = {a.id: a.system for a in session.artifacts}
    art_idx = {a.id: i for i, a in enumerate(session.artifacts)}
    groups = _merge(_groups(native, art_sys))
    owner_of: dict[str, Connection] = {}
    for c in session.connections:
        for rid in c.records:
            owner_of[rid] = c
    made: list[tuple[int, Connection]] = []
    taken: set[str] = set()
    joined = _join_attls(session.connections, groups, art_idx)
    for g in groups:
        ids = [r.id for r in g.recs]
        if id(g) in joined:
            continue
        if not g.strong:
            hosts = {owner_of[i].id for i in ids if i in owner_of and owner_of[i].family == "attls"
                     and (owner_of[i].connid or owner_of[i].rule)}
            if hosts:  # the application used AT-TLS: its lines stay with that connection
                continue
            if g.family in NEEDS_PROOF and not (mech.get((g.family, g.system)) or mech.get(
                    (g.family, None))) and not any(
                    (r.artifact, g.family) in proven for r in g.recs):
                continue  # nothing says this FTP session was not AT-TLS
        taken.update(ids)
        made.append((_order(g.recs[0], art_idx), _connection(session, g)))
    if not made:
        if not joined and session.connections is not held:
            session.connections = held
        return
    kept: list[tuple[int, Connection]] = []
    home = {rid: c for _, c in made for rid in c.records}
    for c in session.connections:
        if taken and any(i in taken for i in c.records):
            lost = next(home[i] for i in c.records if i in taken)
            c.records = [i for i in c.records if i not in taken]
            if c.records and not (c.connid or c.rule or c.rcs or c.lines or c.lines_more):
                # the other lines of the same application session (EZA1736I, replies)
                lost.records = _by_id_order(lost.records + c.records, art_idx)
                c.records = []
            if not c.records and not c.lines and not c.lines_more:
                continue
        first = c.records[0] if c.records else None
        key = _order_id(first, art_idx) if first else (1 << 62)
        kept.append((key, c))
    allc = sorted(kept + made, key=lambda x: x[0])
    conns = [c for _, c in allc]
    rename = {}
    for i, c in enumerate(conns, 1):
        rename[c.id] = f"c{i}"
    for c in conns:
        c.id = rename.get(c.id, c.id)
        if c.peer:
            c.peer = rename.get(c.peer)
    natives = [c for _, c in made]
    pair(conns, natives)
    session.connections = conns


def _native_mechanism(session) -> dict:
    """(family, system) -> True when a configuration of it in the session chooses
    the application's own TLS (FTP.DATA TLSMECHANISM FTP)."""
    out: dict = {}
    for c in session.app_configs:
        st = c.settings or {}
        if str(st.get("TLSMECHANISM", "")).upper() == "FTP" or "SECUREPORT" in st:
            out[(c.family, c.system)] = True
    return out


# -- grouping ---------------------------------------------------------------------------
class _Group:
    __slots__ = ("recs", "system", "family", "job", "remote", "local", "first", "last", "strong",
                 "marks")

    def __init__(self, system, family, job):
        self.recs: list = []
        self.system, self.family, self.job = system, family, job
        self.remote = self.local = None
        self.first = self.last = None
        self.strong = False
        self.marks: dict = {}
        """Session markers seen (TN3270 ``conn``, FTP ``session``): another value splits."""

    def add(self, r) -> None:
        self.recs.append(r)
        f = r.fields
        for key in _MARKS:
            v = f.get(key)
            if v and key not in self.marks:
                self.marks[key] = v
        if "rc" in f or "cms_status" in f or f.get("native"):
            self.strong = True
        if f.get("remote_ip") and (self.remote is None or self.remote[1] is None):
            self.remote = ep(f["remote_ip"], f.get("remote_port"))
        if f.get("local_ip") and (self.local is None or self.local[1] is None):
            self.local = ep(f["local_ip"], f.get("local_port"))
        t = r.time
        if t is not None:
            if self.first is None or t < self.first:
                self.first = t
            if self.last is None or t > self.last:
                self.last = t


def _job(r) -> str | None:
    j = r.fields.get("jobname") or r.job
    if not j or j[:3] in ("STC", "JOB", "TSU") and j[3:].isdigit():
        return None
    return j.upper()


def _groups(native, art_sys) -> list[_Group]:
    """Groups of one artifact in line order: a new one at a START line, another
    peer address, a TN3270 connection id that differs, or a gap past WINDOW."""
    current: dict[tuple, _Group] = {}
    out: list[_Group] = []
    for r in native:
        f = r.fields
        system = r.system or art_sys.get(r.artifact)
        fam = f["family"]
        job = _job(r)
        key = (r.artifact, fam, job)
        g = current.get(key)
        rip = f.get("remote_ip")
        if g is None or f.get(START) or _splits(g, r, rip):
            g = _Group(system, fam, job)
            current[key] = g
            out.append(g)
        g.add(r)
    return out


def _splits(g: _Group, r, rip) -> bool:
    if rip and g.remote and ep(rip, None)[0] != g.remote[0]:
        return True
    for key in _MARKS:
        v = r.fields.get(key)
        if v and g.marks.get(key) not in (None, v):
            return True
    if r.time is not None and g.last is not None and not close(r.time, g.last, WINDOW):
        return True
    return False


def _merge(groups: list[_Group]) -> list[_Group]:
    """Groups of other artifacts that tell of the same attempt (a console line and
    the job's trace) become one: same system, family, job and peer, close in time."""
    index = ByTime()
    out: list[_Group] = []
    for g in groups:
        hit = None
        for key in _keys(g):
            for o in index.near(key, g.first):
                if o is not g and o.recs[0].artifact != g.recs[0].artifact and _fits(o, g):
                    hit = o
                    break
            if hit:
                break
        if hit is None:
            out.append(g)
            for key in _keys(g):
                index.add(key, g.first, g)
            continue
        for r in g.recs:
            hit.add(r)
    return out


def _keys(g: _Group) -> list[tuple]:
    keys = [(g.system, g.family, g.job, g.remote[0] if g.remote else None)]
    if g.remote:
        keys.append((g.system, g.family, g.job, None))
    return keys


def _fits(a: _Group, b: _Group) -> bool:
    if a.remote and b.remote and a.remote[0] != b.remote[0]:
        return False
    return close(a.first, b.first, WINDOW) or close(a.last, b.first, WINDOW)


# -- connections ---------------------------------------------------------------------------
def _connection(session, g: _Group) -> Connection:
    recs = sorted(g.recs, key=lambda r: (r.artifact, r.line))
    rcs: list[int] = []
    events: list[str] = []
    role = None
    for r in recs:
        f = r.fields
        rc = f.get("rc")
        if isinstance(rc, int) and rc and rc not in rcs:
            rcs.append(rc)
        fn = f.get("function")
        if fn and (rc or f.get("rcode")) and fn not in events:
            events.append(fn)
        if role is None and f.get("role") in ("client", "server"):
            role = f["role"]
    user = job_owner(session, g.job, g.system)
    local = Endpoint(*g.local) if g.local and g.local[0] else None
    remote = Endpoint(*g.remote) if g.remote else None
    conn = Connection(id=f"n{id(g)}", system=g.system, job=g.job, user=user, local=local,
                      remote=remote, role=role, rcs=rcs, events=events,
                      records=[r.id for r in _by_line(session, recs)], family=g.family,
                      first_time=g.first, last_time=g.last)
    cfg = app_config(session, g.family, g.system, g.job, role)
    if cfg is not None:
        if conn.role is None and cfg.role:
            conn.role = cfg.role
        if conn.job is None and cfg.job and g.family in JOB_FROM_CONFIG:
            conn.job = cfg.job.upper()  # the configuration names the job (zowe.yaml zowe.job.name)
            user = user or job_owner(session, conn.job, g.system)
    if user is None:  # the log line names the user it runs under (a Zowe log's user column)
        user = next((str(r.fields["userid"]).upper() for r in recs if r.fields.get("userid")), None)
    conn.user = user
    if cfg is not None and cfg.keyring:
        conn.keyring = resolve_ring(cfg.keyring, user)
    if conn.role is None:
        conn.role = role_from_ports(g.local, g.remote)
    return conn


JOB_FROM_CONFIG = frozenset({"zowe"})
"""Families whose configuration names the job that runs it and whose log lines do not."""


def _by_line(session, recs):
    idx = {a.id: i for i, a in enumerate(session.artifacts)}
    return sorted(recs, key=lambda r: (idx.get(r.artifact, 0), r.line))


def _by_id_order(ids: list[str], art_idx) -> list[str]:
    return sorted(set(ids), key=lambda i: _order_id(i, art_idx))


def _order(r, art_idx) -> int:
    return (art_idx.get(r.artifact, 0) << 32) | r.line


def _order_id(rid: str, art_idx) -> int:
    aid, _, n = rid.rpartition(":")
    return (art_idx.get(aid, 0) << 32) | (int(n) if n.isdigit() else 0)


# -- pairing ---------------------------------------------------------------------------------
JOINS_ATTLS = frozenset({"db2"})
"""Families whose TLS is always AT-TLS (Db2 DDF's secure port): their lines join the
AT-TLS connection with the same endpoints, which takes the family's name."""


def _join_attls(conns: list[Connection], groups: list[_Group], art_idx) -> set[int]:
    """Groups without a System SSL code whose peer address and port are those of an
    AT-TLS connection join that connection, which takes the group's family (Db2
    DDF protects its secure port with AT-TLS and reports the failed conversation
    itself, DSNL511I). Returns the ids of the groups joined."""
    out: set[int] = set()
    for g in groups:
        if g.strong or g.family not in JOINS_ATTLS:
            continue
        host = attls_host(conns, g)
        if host is None:
            continue
        ids = {r.id for r in g.recs}
        for c in conns:
            if c is not host and ids.intersection(c.records):
                c.records = [i for i in c.records if i not in ids]
        host.records = sorted(set(host.records) | ids, key=lambda i: _order_id(i, art_idx))
        host.family = g.family
        out.add(id(g))
    return out


def attls_host(conns: list[Connection], g: _Group) -> Connection | None:
    """The AT-TLS connection with the group's peer address and port, on its system
    and close in time: the application protects its port with AT-TLS and reports
    the failed conversation itself (Db2 DSNL511I)."""
    if not g.remote or g.remote[1] is None:
        return None
    best, best_gap = None, None
    for c in conns:
        if c.family not in ("attls", g.family) or not (c.connid or c.rule) or c.remote is None \
                or (c.remote.ip, c.remote.port) != g.remote:
            continue
        if g.system and c.system and c.system != g.system:
            continue
        if not close(c.first_time, g.first, WINDOW):
            continue
        # the same address and port decide; a job name that differs only ranks lower (Db2's
        # DIST job name is derived from the ssid, which a redacted export does not rename)
        d = gap(c.first_time, g.first) + (1e6 if g.job and c.job and c.job.upper() != g.job else 0)
        if best is None or d < best_gap:
            best, best_gap = c, d
    return best


__all__ = ["add", "app_config", "job_owner", "resolve_ring", "WINDOW", "START"]
