"""The RACF and AT-TLS state the evidence shows, as a small mutable model.

Built from a session: key rings and their entries (RACDCERT LISTRING), certificates
with owner, status, dates and private key (RACDCERT LIST), the FACILITY / RDATALIB
profiles an ICH408I names (with the denied user's access), STARTED mappings, and for
each connection the AT-TLS view: the environment action, its instance number, the
key ring and the user. What the evidence does not show is not invented: an unknown
profile is "no denial seen", an unknown certificate is "not judged".

Assumptions (written into every proof): FACILITY and STARTED are RACLISTed (nearly
every installation does so), RDATALIB only when an ICH408I in it shows it active;
DIGTCERT and DIGTRING are not RACLISTed (R_datalib reads rings from the database).
"""

from __future__ import annotations

from tlsworkbench import clock

import copy
import re
from dataclasses import dataclass, field
from datetime import date, datetime

LEVELS = {"NONE": 0, "READ": 1, "UPDATE": 2, "CONTROL": 3, "ALTER": 4}


@dataclass
class Cert:
    owner: str
    label: str
    subject: str | None = None
    issuer: str | None = None
    not_before: date | None = None
    not_after: date | None = None
    status: str | None = None
    private_key: bool | None = None
    san: list = field(default_factory=list)
    system: str | None = None
    """The system whose RACF holds it (None: the one the command is run on)."""


@dataclass
class Entry:
    owner: str
    label: str
    usage: str = "PERSONAL"
    default: bool = False


@dataclass
class Ring:
    owner: str
    name: str
    entries: list[Entry] = field(default_factory=list)


@dataclass
class Profile:
    cls: str
    name: str
    uacc: str = "NONE"
    access: dict = field(default_factory=dict)
    """The standard access list: user IDs and group names (RLIST, or PERMITs applied)."""
    seen: dict = field(default_factory=dict)
    """user -> the access RACF allowed it (ICH408I): what the unknown list and UACC gave."""

    def level(self, user: str, st: State | None = None) -> int:
        """RACF's order: the user's own entry; else the highest entry of a group the user
        is connected to (every group with SETROPTS GRPLIST, else the current connect
        group); else what the evidence saw it get, or UACC."""
        u = user.upper()
        if u in self.access:
            return LEVELS.get(self.access[u].upper(), 0)
        base = LEVELS.get(self.seen.get(u, self.uacc).upper(), 0)
        if st is None:
            return base
        for gid, acc in self.access.items():
            if st.member(u, gid):
                base = max(base, LEVELS.get(acc.upper(), 0))
        return base


@dataclass
class View:
    """What one connection's AT-TLS environment uses."""

    conn: str
    system: str | None
    job: str | None
    user: str | None
    role: str | None
    ring: str | None
    """``owner/name``."""
    env: str | None
    label: str | None = None
    partner_issuer: str | None = None
    """Issuer DN of the certificate the partner presents (None: not known)."""
    observed: tuple = ()
    keyring_stmt: str | None = None
    partner_env: str | None = None
    """The partner's environment (action or job): it presents the certificate."""
    partner_cert: tuple | None = None
    """(owner, label) of the partner's certificate in ``State.certs``, when known."""
    peer: str | None = None
    """The partner connection's id (both sides in the session)."""
    conn_action: str | None = None
    ciphers: tuple = ()
    """V3CipherSuites in force (empty: not known)."""
    cipher_stmt: str | None = None
    protocols: dict = field(default_factory=dict)
    want_host: str | None = None
    """The host name this client checks the server certificate against (CMS 0335304B seen)."""
    env_role: str | None = None
    conn_role: str | None = None
    """HandshakeRole of the environment action and of the connection action (it rules)."""
    client_auth: str | None = None
    """ClientAuthType in force (a server with HandshakeRole ServerWithClientAuth)."""


@dataclass
class State:
    today: date
    certs: dict = field(default_factory=dict)
    """(owner, label) -> Cert."""
    rings: dict = field(default_factory=dict)
    """(owner, name) -> Ring."""
    db: dict = field(default_factory=dict)
    """(class, profile) -> Profile as in the RACF database."""
    live: dict = field(default_factory=dict)
    """(class, profile) -> Profile as RACF checks it now (RACLISTed copy)."""
    raclisted: set = field(default_factory=lambda: {"FACILITY", "STARTED"})
    active: set = field(default_factory=lambda: {"FACILITY", "STARTED"})
    started_db: dict = field(default_factory=dict)
    started: dict = field(default_factory=dict)
    views: dict = field(default_factory=dict)
    """connection id -> View."""
    policy: dict = field(default_factory=dict)
    """(kind, name) -> {param: value} as installed."""
    pending: dict = field(default_factory=dict)
    """(kind, name) -> {param: value} edited, installed by F PAGENT,UPDATE."""
    version: int = 0
    """Raised by every change an environment reads (rings, certificates, access)."""
    gaps: list = field(default_factory=list)  # commands refused for lack of knowledge (ModelCannot)
    stopped: set = field(default_factory=set)  # jobs an operator P stopped (S starts them anew)
    built: dict = field(default_factory=dict)
    """environment key (action or job) -> version it was built at."""
    requests: dict = field(default_factory=dict)
    """data set -> (owner, label) of a GENREQ."""
    datasets: dict = field(default_factory=dict)
    """data set -> Cert it holds (a signed certificate, an exported CA)."""
    dataset_src: dict = field(default_factory=dict)
    """data set -> (owner, label) whose request the certificate in it answers."""
    ring_systems: set = field(default_factory=set)
    """Systems whose rings the evidence lists (``*``: rings of no named system): a ring
    missing there does not exist; elsewhere it is only not shown."""
    notes: list = field(default_factory=list)
    """Assumptions the simulator made while applying commands."""
    cert_pool: list = field(default_factory=list)
    """Certificates of other systems in the session (an ADD may bring one in)."""
    racf: object = None
    """What LISTUSER / LISTGRP / RLIST / SETROPTS LIST output shows (racfdb.RacfDb)."""
    connected: set = field(default_factory=set)
    """(user, group) pairs other evidence shows (ICH408I GROUP(), STARTED GROUP())."""
    current_group: dict = field(default_factory=dict)
    users: set = field(default_factory=set)
    """IDs the evidence shows to be users (so an access-list entry for one is no group)."""
    unknown: set = field(default_factory=set)
    """(user, id) pairs an access check needed whose membership the evidence does not show."""
    group_notes: set = field(default_factory=set)
    extra_certs: list = field(default_factory=list)
    """Certificates an ADD defined again on another system (a client's, for SAFCheck)."""
    maps_db: list = field(default_factory=list)
    """Certificate name filters (RACDCERT MAP): (user, subject filter, issuer filter)."""
    maps: list = field(default_factory=list)
    """The filters RACF uses now (DIGTNMAP RACLISTed: as of the last refresh)."""
    day_note: str = ""
    """How the day the dates are judged on was found, when the evidence's lines carry
    no year (said in every proof)."""

    def clone(self) -> State:
        return copy.deepcopy(self)

    # -- access ----------------------------------------------------------------
    def profile(self, cls: str, resource: str) -> Profile | None:
        """The profile RACF would check: the discrete one, else the most specific generic."""
        cls = cls.upper()
        got = self.live.get((cls, resource))
        if got is not None:
            return got
        best, best_len = None, -1
        for (c, name), prof in self.live.items():
            if c == cls and _generic_match(name, resource):
                n = len(name.replace("*", "").replace("%", ""))
                if n > best_len:
                    best, best_len = prof, n
        return best

    def rdatalib(self, ring: Ring) -> Profile | None:
        if "RDATALIB" not in self.active or "RDATALIB" not in self.raclisted:
            return None
        return self.profile("RDATALIB", f"{ring.owner.upper()}.{ring.name.upper()}.LST")  # folded

    def changed(self) -> None:
        self.version += 1

    def member(self, user: str, gid: str) -> bool:
        """Does access-list entry ``gid`` count for ``user`` (a group it is connected
        to)? Unknown membership counts as no and is remembered in ``unknown``."""
        u, g = user.upper(), gid.upper()
        if g == u or g == "*":
            return False
        db = self.racf
        listed = db.connects.get(u) if db is not None else None
        if listed is not None:
            got = g in listed
        elif db is not None and g in db.members:
            got = u in db.members[g]
        elif (u, g) in self.connected:
            got = True
        elif g in self.users:
            return False  # a user ID, not a group
        else:
            self.unknown.add((u, g))
            return False
        if not got:
            return False
        grplist = db.grplist if db is not None else None
        current = self.current_group.get(u) or (db.default_group.get(u) if db is not None else None)
        if grplist is False:
            return g == current
        if grplist is None and g != current:
            self.group_notes.add("list-of-groups checking (SETROPTS GRPLIST) is taken as active: "
                                 "the SETROPTS LIST output is not in the session")
        return True


def _generic_match(pattern: str, name: str) -> bool:
    if not any(ch in pattern for ch in "*%"):
        return False
    rx = ""
    i = 0
    while i < len(pattern):
        if pattern.startswith("**", i):
            rx += ".*"
            i += 2
        elif pattern[i] == "*":
            rx += ".*" if i == len(pattern) - 1 else "[^.]*"
            i += 1
        elif pattern[i] == "%":
            rx += "[^.]"
            i += 1
        else:
            rx += re.escape(pattern[i])
            i += 1
    return re.fullmatch(rx, name, re.IGNORECASE) is not None


def _d(t) -> date | None:
    if isinstance(t, datetime):
        return t.date()
    return t if isinstance(t, date) else None


def _oid(owner: str | None) -> str:
    o = (owner or "").strip().upper()
    return o[3:-1] if o.startswith("ID(") and o.endswith(")") else o


def from_context(ctx, today: date | None = None) -> State:
    """The model of what the session shows (see the module text)."""
    from tlsworkbench.diagnose.common import raclisted, ring_of

    st = State(today=today or clock.today())
    st.raclisted |= raclisted(ctx)
    st.active |= raclisted(ctx)
    for c in ctx.s.certs:
        if c.source != "racdcert" or not c.label:
            if c.label or c.subject:
                st.cert_pool.append(_cert(c))
            continue
        got = _cert(c)
        got.system = ctx.system_of(c) or got.system
        st.certs.setdefault((_oid(c.owner), c.label), got)
        st.cert_pool.append(_cert(c))
    for r in ctx.s.rings:
        st.ring_systems.add(ctx.system_of(r) or "*")
        st.rings.setdefault((r.owner.upper(), r.name), Ring(
            r.owner.upper(), r.name, [Entry(_oid(e.owner), e.label, (e.usage or "PERSONAL").upper(),
                                            bool(e.default)) for e in r.entries]))
    for r in ctx.s.records:
        if r.msgid != "ICH408I":
            continue
        f = r.fields
        res, cls, user = f.get("resource"), (f.get("cls") or "").upper(), (f.get("user") or "").upper()
        if not res or not cls or not user:
            continue
        name = f.get("profile") or res
        if cls == "RDATALIB":  # what R_datalib checked: the folded <OWNER>.<RING>.LST
            name = name.upper()
        prof = st.db.setdefault((cls, name), Profile(cls, name))
        prof.seen.setdefault(user, (f.get("allowed") or "NONE").upper())
        st.users.add(user)
        grp = (f.get("group") or "").upper()
        if grp:
            st.connected.add((user, grp))
            st.current_group.setdefault(user, grp)
    from .racfdb import read as read_racf

    st.racf = read_racf(ctx.s)
    st.users |= set(st.racf.connects)
    for (cls, name), (uacc, acl) in st.racf.acls.items():
        prof = st.db.setdefault((cls, name), Profile(cls, name))
        prof.uacc, prof.access = uacc, dict(acl)
    st.live = copy.deepcopy(st.db)
    for p in ctx.s.started:
        st.started_db[p.profile] = p.user.upper()
        st.users.add(p.user.upper())
        if getattr(p, "group", None):
            st.connected.add((p.user.upper(), p.group.upper()))
    st.started = dict(st.started_db)
    from tlsworkbench.model.rowquery import head

    for conn in ctx.keep(head(ctx.s.connections, 20000)):  # rows too: sessions over MAX_CONNECTIONS are not simulated
        owner, name, pol = ring_of(ctx, conn)
        v = View(conn.id, conn.system, conn.job, (conn.user or ctx.job_user(conn)[0] or None),
                 conn.role, f"{owner.upper()}/{name}" if owner and name else None,
                 pol.env_action, pol.cert_label, None, tuple(conn.rcs),
                 pol.keyring_parms or pol.env_action)
        if v.user:
            v.user = v.user.upper()
        v.peer, v.conn_action = conn.peer, pol.conn_action
        v.ciphers, v.protocols = tuple(pol.ciphers), dict(pol.protocols)
        v.cipher_stmt = pol.cipher_statement[1] if pol.cipher_statement else None
        v.env_role, v.conn_role = pol.env_handshake_role, pol.conn_handshake_role
        v.client_auth = pol.client_auth
        st.views[conn.id] = v
        if v.user:
            st.users.add(v.user)
        if pol.env_action:
            st.policy[("TTLSEnvironmentAction", pol.env_action)] = {
                "EnvironmentUserInstance": pol.env_instance or "0"}
            if pol.keyring:
                kind = "TTLSKeyringParms" if pol.keyring_parms else "TTLSEnvironmentAction"
                st.policy.setdefault((kind, pol.keyring_parms or pol.env_action), {})["Keyring"] = pol.keyring
    _partner_issuers(ctx, st)
    _host_checks(ctx, st)
    from .clientauth import client_envs

    client_envs(st)
    if today is None:
        from .when import evidence_day

        day, st.day_note = evidence_day(ctx, st)
        st.today = day or st.today
    return st


HOST_FAIL = 0x0335304B
"""The code the model gives a host-name rejection (CMS status 0335304B: no return code)."""


def _host_checks(ctx, st: State) -> None:
    """A connection whose records show CMS 0335304B checks the host name it asked for."""
    from tlsworkbench.diagnose.hostname import CMS_HOST, _host

    for cid, v in st.views.items():
        conn = ctx.connection(cid)
        recs = [r for r in ctx.records_of(conn)
                if (r.fields.get("cms_status") or "").upper() == CMS_HOST] if conn is not None else []
        if not recs:
            continue
        host, _ = _host(ctx, recs, conn)
        if host:
            v.want_host = host
            v.observed = tuple(v.observed) + (HOST_FAIL,)


def _partner_issuers(ctx, st: State) -> None:
    """For a validating side, the issuer of the certificate its partner presents: the
    partner's ring default (when both sides are in the session)."""
    for cid, v in st.views.items():
        conn = ctx.connection(cid)
        p = ctx.peer(conn) if conn is not None else None
        if p is None:
            continue
        pv = st.views.get(p.id)
        if pv is None or not pv.ring or (pv.role or "") != "server":
            continue
        ring = st.rings.get(tuple(pv.ring.split("/", 1)))
        e = next((e for e in ring.entries if e.default and e.usage == "PERSONAL"), None) if ring else None
        c = st.certs.get((e.owner, e.label)) if e else None
        if c is None and e is not None:
            c = next((x for x in st.cert_pool if x.label == e.label and x.owner == e.owner), None)
        v.partner_env = pv.env or pv.job
        if c is not None and c.issuer:
            v.partner_issuer = c.issuer
            if (c.owner, c.label) in st.certs:
                v.partner_cert = (c.owner, c.label)


def _cert(c) -> Cert:
    return Cert(_oid(c.owner), c.label or c.subject or "", c.subject, c.issuer, _d(c.not_before),
                _d(c.not_after), (c.status or "").upper() or None, c.private_key, list(c.san),
                getattr(c, "system", None))
