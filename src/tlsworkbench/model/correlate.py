"""Correlation: join every record that names one TLS attempt into a Connection.

Rules (docs/model.md):

* AT-TLS records with a CONNID join on (system, stack, CONNID); the console's
  EZD1287I (no stack) and syslogd's EZD1286I of the same failure become one
  connection. A second EZD1281I, other endpoints or a day between the lines
  mean the CONNID was reused: a new connection.
* Environment-level records (CONNID 00000000, e.g. RC 202 ``Environment Master
  Init``) attach to the connections of the same system/GRPID/ENVID close in
  time, else by LOCAL/REMOTE; failing ones with nothing to attach to become a
  connection of their own.
* FTP / TN3270 client lines by remote address, job and time; ICH408I by user and
  time.
* Peers: local and remote swapped (IPv4-mapped addresses normalised), on any
  system. Role from the policy's HandshakeRole, else from well-known ports.
  Key ring from ``EZD1284I Set GSK_KEYRING_FILE``, else from the policy.

Everything is dict lookups over the records once: near-linear in their number.
"""

from __future__ import annotations

import bisect
from datetime import datetime, timedelta
from operator import attrgetter

from .connection import Connection, Endpoint
from .correlate_base import Cands, add_cid
from .correlate_base import Conn as _Conn
from .correlate_base import (
    REUSE_GAP, close, ep, gap, keyring_of, latest_joinable, norm_ip, owned, role_from_ports,
)
from . import correlate_native, connrows, correlate_rows
from .conntable import rows_table, take
from .correlate_client import app_groups
from .correlate_policy import PolicyCache

NULL_ID = "00000000"
WINDOW = timedelta(seconds=120)
"""How far apart in time lines of one attempt may be (client lines, ICH408I,
environment errors)."""
ENV_FANOUT = 20
_BACK = timedelta(seconds=5)
"""``_near`` starts this long before an environment record's time."""
"""An environment-level record joins at most this many connections."""
AT_TLS = frozenset({"EZD1281I", "EZD1282I", "EZD1283I", "EZD1284I", "EZD1285I", "EZD1286I",
                    "EZD1287I"})
_FAST = frozenset({"EZD1282I", "EZD1283I", "EZD1284I", "EZD1285I"})
_ENTITY_KINDS = frozenset({"ring", "ring-entry", "cert", "policy", "job", "started", "trace", "plain"})
CONNECTION_FIELDS = ("id", "system", "stack", "job", "user", "local", "remote", "rule", "grpid",
                     "envid", "connid", "role", "rcs", "events", "records", "peer", "keyring",
                     "first_time", "last_time", "handshakes", "lines", "lines_art", "lines_more", "family",
                     "assumed_keyring")
"""The fields of Connection in the order ``_finish`` passes them (tests/test_correlate.py;
``family`` and ``assumed_keyring`` keep their defaults)."""
_APP_PREFIX = ("EZA", "EZY", "EZZ6", "DFHSO", "FC", "FU")


def correlate(session) -> None:
    """Build ``session.connections`` from the records (replaces any earlier result)."""
    b = _Builder(session)
    correlate_native.run(session, b)  # b.run(), and native System SSL users (correlate_native.py)
    session.connections = b.connections
    try:
        from tlsworkbench.model import trace_join
    except ImportError:
        return
    try:
        trace_join.join(session)
    except Exception:  # the trace join is an extra; correlation stands without it
        import logging

        logging.getLogger(__name__).exception("trace join failed")


class _Builder:
    _want_env = _want_who = True  # every lookup until _index knows which are asked for

    def __init__(self, session):
        self.session = session
        self.art_sys = {a.id: a.system for a in session.artifacts}
        self.art_idx = {a.id: i for i, a in enumerate(session.artifacts)}
        self.conns: list[_Conn] = []
        self.by_cid: dict[tuple, list[_Conn]] = {}
        self.env: list[tuple[int, object]] = []
        self.app: list[tuple[int, object]] = []
        self.racf: list[tuple[int, object]] = []
        self.connections: list[Connection] = []
        self.lazy_cid: dict | None = None
        self.rows = None  # the read table's rows not made objects (model/conntable.py)
        self.n_seed = 0
        self.seed_orders: list[int] = []
        self.env_kr: dict = {}  # environment -> (times, key rings) of its key ring lines, for rows

    # -- pass 1: records with a CONNID ---------------------------------------
    def run(self) -> None:
        records = self.session.records
        art_sys = self.art_sys
        at = self._seed()
        join = self._join
        env, app, racf = self.env.append, self.app.append, self.racf.append
        by_cid = self.by_cid
        fast = _FAST
        reuse = REUSE_GAP
        for pos, r in enumerate(records):
            mid = r.msgid
            if mid in AT_TLS:
                f = r.fields
                cid = f.get("connid")
                system = r.system or art_sys.get(r.artifact)
                if not cid or cid == NULL_ID:
                    env((pos, r))
                    continue
                if at:
                    lc = at.get((r.artifact, r.line))
                    if lc is not None:  # joined while reading (ingest/attls_fast.py)
                        join(pos, r, f, mid, system, cid, lc)
                        continue
                # fast path: a flow line of the connection last seen with this CONNID
                cands = by_cid.get((system, cid))
                if cands is None and self.lazy_cid:
                    cands = self._cands((system, cid))
                if cands is not None and mid in fast:
                    c = cands[-1]
                    st = f.get("stack")
                    if c.filled and (st is None or st == c.stack) and not f.get("rc"):
                        t = r.time
                        lt = c.last
                        if t is None or lt is None or lt <= t <= lt + reuse:
                            _push(c, pos)
                            if c.lines is not None and self._okey(pos) < c.order:
                                c.order = self._okey(pos)
                            if t is not None:
                                c.last = t
                                if c.first is None:
                                    c.first = t
                            if c.keyring is None and f.get("func") == "GSK_KEYRING_FILE":
                                c.keyring = keyring_of(f)
                            continue
                join(pos, r, f, mid, system, cid)
            elif r.kind in _ENTITY_KINDS:
                continue
            elif mid == "ICH408I":
                racf((pos, r))
            elif (mid and mid.startswith(_APP_PREFIX)) or (
                    r.fields and ("remote_ip" in r.fields or "reply" in r.fields
                                  or "function" in r.fields)):
                app((pos, r))
        self._promote_late()
        self._index()
        self._attach_env()
        self._attach_app()
        self._attach_racf()
        self._finish()

    def _seed(self) -> dict:
        """Connections the syslogd fast path joined while reading (their routine
        lines are not records): copied in, and the map of the records it saw."""
        lazy = getattr(self.session, "attls", None)
        table = rows_table(lazy) if lazy is not None else None
        if lazy is None or (not lazy.conns and table is None):
            return {}
        for c in lazy.conns:
            c.reset()  # adopted as they are (no copy: 78k of them at 1M lines)
        at = lazy.at
        # CONNIDs that records not joined while reading ask for (console lines,
        # lines not in the canonical layout): only those are looked up
        art_sys = self.art_sys
        keys = set()
        for r in self.session.records:
            if r.msgid in AT_TLS and (r.artifact, r.line) not in at:
                cid = r.fields.get("connid")
                if cid and cid != NULL_ID:
                    keys.add((r.system or art_sys.get(r.artifact), cid))
        seeded = lazy.conns
        if table is not None:
            promoted, self.rows = take(table, [(("system", "connid"), keys)])
            for c in promoted:
                c.reset()
            if promoted:  # both in order of first appearance (as the joiner made them)
                seeded = sorted([*seeded, *promoted], key=attrgetter("order"))
        self.conns.extend(seeded)
        self.n_seed = len(seeded)
        self.seed_orders = [c.order for c in seeded]
        if keys:
            if lazy.by_cid is not None and table is None:
                self.lazy_cid = lazy.by_cid
            else:
                got: dict = {}
                for c in seeded:  # the shape of Joiner.cid_map: a Conn, or Cands when reused
                    if (c.system, c.connid) in keys:
                        add_cid(got, c)
                self.lazy_cid = got
        return at

    def _promote_late(self) -> None:
        """Rows that an environment, client or RACF record may join become objects
        (before the lookups are built), in their place among the joiner's."""
        if self.rows is not None:
            correlate_rows.promote_late(self, NULL_ID, WINDOW, _BACK)

    def _cands(self, key):
        got = self.by_cid.get(key)
        if got is None and self.lazy_cid:
            lc = self.lazy_cid.get(key)
            if lc is not None:
                got = self.by_cid[key] = Cands(lc) if type(lc) is not _Conn else Cands((lc,))
        return got

    def _okey(self, pos: int) -> int:
        r = self.session.records[pos]
        return (self.art_idx.get(r.artifact, 0) << 32) | r.line

    def _new(self, system, pos) -> _Conn:
        c = _Conn(system, self._okey(pos))
        self.conns.append(c)
        return c

    def _join(self, pos, r, f, mid, system, cid, c=None) -> None:
        stack = f.get("stack")
        local = ep(f.get("local_ip"), f.get("local_port")) if "local_ip" in f else None
        remote = ep(f.get("remote_ip"), f.get("remote_port")) if "remote_ip" in f else None
        key = (system, cid)
        cands = self._cands(key) if c is None else None
        if cands:
            c = latest_joinable(cands, stack, local, remote, mid, r.time)
        if c is None:
            c = self._new(system, pos)
            c.connid = cid
            if cands is None:
                self.by_cid[key] = Cands((c,))
            else:
                cands.append(c)
        _push(c, pos)
        if c.lines is not None:  # read by the fast path: first seen at its earliest line
            k = self._okey(pos)
            if k < c.order:
                c.order = k
        c.time(r.time)
        if stack and not c.stack:
            c.stack = stack
        if local and c.local is None:
            c.local = local
        if remote and c.remote is None:
            c.remote = remote
        if c.filled and mid != "EZD1281I" and not f.get("rc"):
            # the usual flow line of a known connection: at most its key ring is new
            if mid == "EZD1284I" and c.keyring is None and "func" in f:
                c.keyring = keyring_of(f)
            return
        if mid == "EZD1281I":
            c.mapped = True
            typ = (f.get("type") or "").lower()
            if typ.startswith("in"):
                c.role_hint = "server"
            elif typ.startswith("out"):
                c.role_hint = "client"
        self._fill(c, r, f, mid)

    @staticmethod
    def _fill(c: _Conn, r, f, mid) -> None:
        if c.grpid is not None and c.job is not None and c.user is not None and c.rule is not None:
            c.filled = True
        if c.job is None and f.get("jobname"):
            c.job = f["jobname"].upper()
        if c.user is None and f.get("userid"):
            c.user = f["userid"].upper()
        if c.rule is None and f.get("rule"):
            c.rule = f["rule"]
        g = f.get("grpid")
        if g and g != NULL_ID and c.grpid is None:
            c.grpid = g
        e = f.get("envid")
        if e and e != NULL_ID and c.envid is None:
            c.envid = e
        rc = f.get("rc")
        if rc:
            if rc not in c.rcs:
                c.rcs = [*c.rcs, rc] if type(c.rcs) is tuple else c.rcs
                if rc not in c.rcs:
                    c.rcs.append(rc)
            ev = f.get("event")
            if ev and ev not in c.events:
                if type(c.events) is tuple:
                    c.events = [*c.events]
                c.events.append(ev)
        if mid == "EZD1284I" and c.keyring is None and "func" in f:
            kr = keyring_of(f)
            if kr:
                c.keyring = kr

    # -- indexes over the connections of pass 1 ----------------------------------
    def _index(self) -> None:
        self.by_env: dict[tuple, list[_Conn]] = {}
        self.by_pair: dict[tuple, list[_Conn]] = {}
        self.by_rip: dict[str, list[_Conn]] = {}
        self.by_user: dict[str, list[_Conn]] = {}
        # only the lookups some record asks for (a million-line trace has 200k
        # connections and often no environment, client or RACF line at all)
        self._want_env = bool(self.env)
        self._want_who = bool(self.app or self.racf)
        for c in self.conns:
            self._index_one(c)
        _epoch = datetime.min
        for lst in self.by_env.values():
            lst.sort(key=lambda c: c.first or _epoch)

    def _index_one(self, c: _Conn) -> None:
        if self._want_env and (c.grpid or c.envid):
            self.by_env.setdefault((c.system, c.grpid, c.envid), []).append(c)
        if c.local and c.remote:
            self.by_pair.setdefault((c.local, c.remote), []).append(c)
        if self._want_who:
            if c.remote:
                self.by_rip.setdefault(c.remote[0], []).append(c)
            for who in (c.user, c.job):
                if who:
                    self.by_user.setdefault(who, []).append(c)

    # -- environment-level records -------------------------------------------------
    def _attach_env(self) -> None:
        orphans: dict[tuple, list[_Conn]] = {}
        keyrings: dict[tuple, list[tuple]] = {}
        for pos, r in self.env:
            f = r.fields
            system = r.system or self.art_sys.get(r.artifact)
            stack = f.get("stack")
            g, e = f.get("grpid"), f.get("envid")
            key = (system, g if g != NULL_ID else None, e if e != NULL_ID else None)
            kr = keyring_of(f) if r.msgid == "EZD1284I" else None
            if kr and (key[1] or key[2]):
                keyrings.setdefault(key, []).append((r.time, kr))
            targets: list[_Conn] = []
            if key[1] or key[2]:
                targets = _near(self.by_env.get(key, ()), r.time, stack)
            if not targets and "local_ip" in f:
                local = ep(f.get("local_ip"), f.get("local_port"))
                remote = ep(f.get("remote_ip"), f.get("remote_port"))
                targets = _nearest(self.by_pair.get((local, remote), ()), r.time, stack)
            if not targets:
                # Nothing to join: a failing environment is a connection of its own;
                # other lines of that environment join it when close in time.
                group = orphans.setdefault(key, [])
                c = group[-1] if group and close(group[-1].last, r.time, WINDOW) else None
                if c is None:
                    c = _Conn(system, self._okey(pos))
                    group.append(c)
                targets = [c]
                if "local_ip" in f and c.local is None:
                    c.local = ep(f.get("local_ip"), f.get("local_port"))
                    c.remote = ep(f.get("remote_ip"), f.get("remote_port"))
            for c in targets:
                c.mixed = True
                _push(c, pos)
                c.time(r.time)
                if stack and not c.stack:
                    c.stack = stack
                self._fill(c, r, f, r.msgid)
        for group in orphans.values():
            for c in group:
                if c.rcs:  # only failing environments become connections
                    c.order = self._okey(c.pos[0])
                    self.conns.append(c)
                    self._index_one(c)
        # the environment's key ring applies to every connection of it
        for key, sets in keyrings.items():
            sets.sort(key=lambda x: x[0] or datetime.min)
            times = [t or datetime.min for t, _ in sets]
            for c in self.by_env.get(key, ()):
                if c.keyring is None:
                    i = bisect.bisect_right(times, c.first or datetime.max) - 1
                    c.keyring = sets[max(i, 0)][1]

    # -- FTP / TN3270 / CICS client lines -------------------------------------------
    def _attach_app(self) -> None:
        for grp in app_groups(self.app, self.art_sys):
            cands = self.by_rip.get(grp.remote[0], ()) if grp.remote else self.by_user.get(grp.job or "", ())
            best, best_score = None, None
            for c in cands:
                if grp.system and c.system and grp.system != c.system:
                    continue
                if grp.remote and grp.remote[1] and c.remote and c.remote[1] and grp.remote[1] != c.remote[1]:
                    continue
                if not (close(grp.first, c.last, WINDOW) or close(grp.last, c.first, WINDOW)):
                    continue
                score = (bool(c.rcs) == grp.error, bool(grp.job) and grp.job == c.job,
                         -gap(grp.first, c.first))
                if best_score is None or score > best_score:
                    best, best_score = c, score
            if best is None:
                if not grp.error:
                    continue
                best = _Conn(grp.system, self._okey(grp.pos[0]))
                best.remote = grp.remote
                best.job = grp.job
                self.conns.append(best)
                self._index_one(best)
            best.mixed = True
            best.pos = [*best.pos, *grp.pos]
            for t in (grp.first, grp.last):
                best.time(t)
            if best.job is None and grp.job:
                best.job = grp.job

    # -- RACF ICH408I ----------------------------------------------------------------
    def _attach_racf(self) -> None:
        for pos, r in self.racf:
            f = r.fields
            who = (f.get("user") or f.get("jobname") or "").strip().upper()
            if not who:
                continue
            system = r.system or self.art_sys.get(r.artifact)
            hits = [c for c in self.by_user.get(who, ())
                    if (not system or not c.system or system == c.system)
                    and close(r.time, c.first, WINDOW)]
            if not hits:
                continue
            failing = [c for c in hits if c.rcs] or hits
            failing.sort(key=lambda c: gap(r.time, c.first))
            for c in failing[:5]:
                c.mixed = True
                _push(c, pos)
                c.time(r.time)

    # -- ids, peers, role, key ring from the policy --------------------------------
    def _finish(self) -> None:
        records = self.session.records
        # the lookups of the passes before are done with: free them before the
        # connections are made (a million-line log has 78k of them)
        by_pair = self.by_pair
        self.by_cid = self.by_env = self.by_pair = self.by_rip = self.by_user = {}
        self.lazy_cid = None
        rows = self.rows
        self.rows = None
        if rows is not None:  # peers among rows in polars; the others by _peers below
            promoted, rows = connrows.split_pairs(rows, by_pair, WINDOW)
            for c in promoted:  # made objects after _attach_env: its environment's key ring
                got = self.env_kr.get((c.system, c.grpid, c.envid))
                if got is not None and c.keyring is None:
                    i = bisect.bisect_right(got[0], c.first or datetime.max) - 1
                    c.keyring = got[1][max(i, 0)]
            self.conns.extend(promoted)
        conns = sorted(self.conns, key=attrgetter("order"))
        if rows is not None:
            obj_pos, row_pos, slot = connrows.ids_and_slot([c.order for c in conns], rows)
            for k, c in zip(obj_pos, conns):
                c.conn = f"c{k + 1}"
        else:
            for i, c in enumerate(conns, 1):
                c.conn = f"c{i}"  # the id, known before the Connection is made
        self._peers(by_pair)
        del by_pair
        policy = PolicyCache(self.session)
        roles: dict = {}  # (rule, system) -> (role, key ring), as policy.lookup gives
        eps: dict = {}
        out: list[Connection] = []
        for i, c in enumerate(conns, 1):
            pos = c.pos
            if c.mixed:  # records joined after pass 1: order them, drop repeats
                pos = sorted(set(pos))
                _reorder_rcs(c, records, pos)
            lines = more = None
            if c.lines is None:
                ids = [f"{r.artifact}:{r.line}" for r in map(records.__getitem__, pos)]
            elif c.rcs:  # a failing connection lists every line
                ids = self._ids(c, pos)
            else:
                ids = [f"{r.artifact}:{r.line}" for r in map(records.__getitem__, pos)] if pos else ()
                lines = c.lines or None
                more = c.more
            c.pos = None
            # positional, in the order of CONNECTION_FIELDS (half the cost of
            # keywords, for 78k connections at 1M lines)
            local = remote = None
            if c.local:  # one Endpoint per address (a server's is shared by thousands)
                local = eps.get(c.local)
                if local is None:
                    local = eps[c.local] = Endpoint(*c.local)
            if c.remote:
                remote = eps.get(c.remote)
                if remote is None:
                    remote = eps[c.remote] = Endpoint(*c.remote)
            conn = Connection(
                c.conn, c.system, c.stack, c.job, c.user, local, remote,
                c.rule, c.grpid, c.envid, c.connid, None, c.rcs, c.events, ids,
                c.peer.conn if c.peer else None, c.keyring, c.first, c.last, [], lines,
                c.art if lines is not None else None, more)
            if c.rule:
                got = roles.get((c.rule, c.system))
                if got is None:
                    got = roles[(c.rule, c.system)] = policy.lookup(c.rule, c.system)
                role, keyring = got
                conn.role = role
                if conn.keyring is None and keyring:
                    conn.keyring = owned(keyring, c.user)
            if conn.role is None:
                conn.role = role_from_ports(c.local, c.remote) or c.role_hint
            if conn.keyring and "/" not in conn.keyring and not conn.keyring.startswith("/"):
                conn.keyring = owned(conn.keyring, c.user)
            out.append(conn)
        if rows is not None:
            table = connrows.finish_rows(rows, row_pos, roles, policy, self.env_kr)
            self.connections = connrows.conn_set(out, table, slot)
        else:
            self.connections = out

    def _ids(self, c: _Conn, pos) -> list[str]:
        """Record ids of the records and the unmaterialised lines of ``c``, in
        artifact then line order."""
        a = c.art
        if not pos and not c.more:
            return [f"{a}:{n}" for n in c.lines]
        ai = self.art_idx
        records = self.session.records
        keys = [(ai.get(r.artifact, 0), r.line, r.artifact) for r in map(records.__getitem__, pos)]
        keys += [(ai.get(a, 0), n, a) for n in c.lines]
        for aid, more in (c.more or {}).items():
            keys += [(ai.get(aid, 0), n, aid) for n in more]
        keys.sort()
        out = []
        last = None
        for k in keys:
            if k != last:
                out.append(f"{k[2]}:{k[1]}")
                last = k
        return out

    def _peers(self, by_pair: dict[tuple, list[_Conn]]) -> None:
        """Pair each connection with the one on the partner system whose local and
        remote endpoints are its remote and local, nearest in time; in the order
        of first appearance, each taking the best one not yet taken. Pairing
        happens only between the two groups of swapped endpoints (``by_pair``,
        from ``_index``), so each such pair of groups is settled on its own (most
        are one connection each). Endpoints without a port are never paired."""
        order = attrgetter("order")
        pairs = by_pair
        done: set = set()
        for key, mine in pairs.items():
            if key in done:
                continue
            back = (key[1], key[0])
            theirs = pairs.get(back)
            if theirs is None:
                continue
            done.add(back)
            if key[0][1] is None or key[1][1] is None:
                continue
            if back == key:
                members = sorted(mine, key=order)
            elif len(mine) == 1 and len(theirs) == 1:
                a, b = mine[0], theirs[0]
                if close(a.first, b.first, WINDOW):
                    a.peer, b.peer = b, a
                continue
            else:
                members = sorted(mine + theirs, key=order)
            for c in members:
                if c.peer is not None:
                    continue
                best, best_gap = None, None
                for o in sorted(theirs if c.local == key[0] else mine, key=order):
                    if o is c or o.peer is not None:
                        continue
                    if not close(c.first, o.first, WINDOW):
                        continue
                    g = gap(c.first, o.first)
                    if best is None or g < best_gap:
                        best, best_gap = o, g
                if best is not None:
                    c.peer, best.peer = best, c


# -- helpers ---------------------------------------------------------------------------
def _push(c: _Conn, pos: int) -> None:
    p = c.pos
    if type(p) is list:
        p.append(pos)
    else:  # a connection read by the fast path: its first record
        c.pos = [*p, pos]
def _reorder_rcs(c: _Conn, records, pos) -> None:
    """Return codes and events in the order of the records (after late joins)."""
    rcs: list[int] = []
    events: list[str] = []
    for p in pos:
        r = records[p]
        if r.msgid in AT_TLS:
            rc = r.fields.get("rc")
            if rc:
                if rc not in rcs:
                    rcs.append(rc)
                ev = r.fields.get("event")
                if ev and ev not in events:
                    events.append(ev)
    c.rcs, c.events = rcs, events


def _near(lst, t, stack) -> list[_Conn]:
    """Connections of one environment that start near ``t`` (at most ENV_FANOUT)."""
    if not lst:
        return []
    if t is None:
        pick = [c for c in lst if c.rcs] or list(lst)
        return [c for c in pick if not stack or not c.stack or c.stack == stack][:ENV_FANOUT]
    lo = bisect.bisect_left(lst, t - _BACK, key=_first_or_min)
    hits = []
    end = t + WINDOW
    for i in range(lo, len(lst)):  # no slice: the list may hold a whole day of one environment
        c = lst[i]
        if c.first is not None and c.first > end:
            break
        if stack and c.stack and c.stack != stack:
            continue
        hits.append(c)
        if len(hits) >= ENV_FANOUT:
            break
    if not hits:  # the closest one on either side, within an hour
        around = lst[max(0, lo - 3):lo + 3]
        return _nearest(around, t, stack, timedelta(hours=1))
    return hits


def _first_or_min(c: _Conn) -> datetime:
    return c.first or datetime.min


def _nearest(lst, t, stack, window: timedelta = WINDOW) -> list[_Conn]:
    best, best_gap = None, None
    for c in lst:
        if stack and c.stack and c.stack != stack:
            continue
        if not close(t, c.first, window):
            continue
        g = gap(t, c.first)
        if best is None or g < best_gap:
            best, best_gap = c, g
    return [best] if best is not None else []
