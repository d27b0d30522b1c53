"""Evidence helpers: what the rules ask of a session, answered once.

The rules never walk the raw lists themselves; they ask a :class:`Context` for
"the records of this connection with RC 428", "the rings of MVS3", "the user
FTPT1 runs under", "the key ring the policy names for this rule". Everything
tolerates missing pieces: an answer of None / [] means "the session does not say".

Systems: readers set ``system`` from the text; RACDCERT output and policy files
rarely name one. When an entity has no system, the artifact's file name is
tried (``MVS3.racdcert-list.txt``), but only when that name is a system the
session's messages mention; otherwise the entity matches any system.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import PurePath

from tlsworkbench.model import CertInfo, Connection, KeyRing, Record, Session
from tlsworkbench.model.connset import objects, rows_of

_SYS_PREFIX = re.compile(r"^([A-Za-z@#$][A-Za-z0-9@#$]{0,7})[._-]")


@dataclass
class PolicyView:
    """The AT-TLS policy that applies to one rule on one system (None: not known)."""

    rule: str | None = None
    rule_record: str | None = None
    keyring: str | None = None
    keyring_record: str | None = None
    keyring_parms: str | None = None
    env_action: str | None = None
    env_record: str | None = None
    env_instance: str | None = None
    env_instance_record: str | None = None
    group_action: str | None = None
    group_record: str | None = None
    group_instance: str | None = None
    group_instance_record: str | None = None
    conn_action: str | None = None
    handshake_role: str | None = None
    """In force (and its line below): the connection action's if coded, else the environment's."""
    handshake_role_record: str | None = None
    env_handshake_role: str | None = None
    env_handshake_role_record: str | None = None
    conn_handshake_role: str | None = None
    conn_handshake_role_record: str | None = None
    ciphers: list[str] = field(default_factory=list)
    cipher_record: str | None = None
    cipher_statement: tuple[str, str] | None = None
    """(kind, name) of the statement whose V3CipherSuites are in force (an inline
    TTLSCipherParms has the generated name ``<environment action>/TTLSCipherParms``)."""
    protocols: dict = field(default_factory=dict)
    """``{"TLSv1.2": "On", ...}`` as written."""
    protocol_records: dict = field(default_factory=dict)
    protocol_statement: tuple[str, str] | None = None
    """(kind, name) of the statement with the TLSv1.x switches; their lines in ``protocol_records``."""
    cert_label: str | None = None
    cert_label_record: str | None = None  # native: the configuration line naming the label, and in words
    cert_label_words: str | None = None
    client_auth: str | None = None
    records: list[str] = field(default_factory=list)


def _as_list(v) -> list[str]:
    if v is None:
        return []
    if isinstance(v, (list, tuple)):
        out: list[str] = []
        for x in v:
            out.extend(_as_list(x))
        return out
    return [str(x) for x in str(v).split()]


def _first(v):
    return (v[0] if v else None) if isinstance(v, (list, tuple)) else v


class Context:
    """Lookups over one session for the rules."""

    def __init__(self, session: Session):
        self.s = session
        self.systems = {r.system for r in session.records if r.system}
        self.art_system: dict[str, str | None] = {}
        for a in session.artifacts:
            sysname = a.system
            if not sysname:
                m = _SYS_PREFIX.match(PurePath(a.path).name)
                if m and m.group(1).upper() in self.systems:
                    sysname = m.group(1).upper()
            self.art_system[a.id] = sysname
        self._policy_cache: dict = {}
        objs = objects(session.connections)  # the rows of healthy connections are made on demand
        self._conns = {c.id: c for c in objs}
        self.failing = [c for c in objs if c.rcs]
        """The connections with a return code, in session order (the rules about
        failures need not walk 78k healthy connections of a big log)."""
        self._first_error: list = []
        # id(finding) -> the finding that explains it / a repeat merged into; conn id -> assumption
        self.explained_by, self.merged_into, self.assumed, self.inferred = {}, {}, {}, {}

    # -- systems -------------------------------------------------------------
    def system_of(self, item) -> str | None:
        sysname = getattr(item, "system", None)
        if sysname:
            return sysname.upper()
        rid = getattr(item, "record", None) or getattr(item, "id", None) or ""
        aid = rid.rpartition(":")[0] if ":" in rid else getattr(item, "artifact", None)
        return self.art_system.get(aid)

    def same_system(self, item, system: str | None) -> bool:
        mine = self.system_of(item)
        return not system or not mine or mine == system.upper()

    # -- records -------------------------------------------------------------
    def record(self, rid: str) -> Record | None:
        got = self.s.record(rid)  # the session's map, built once for every later user too
        return got if isinstance(got, Record) else None

    def records_of(self, conn: Connection) -> list[Record]:
        return [r for r in (self.record(i) for i in conn.records) if r is not None]

    def rc_records(self, conn: Connection, rc: int | None = None) -> list[str]:
        """Ids of the records of ``conn`` that report a return code (``rc`` or any non-zero)."""
        out = []
        for r in self.records_of(conn):
            v = r.fields.get("rc")
            if v and (rc is None or v == rc):
                out.append(r.id)
        return out

    def messages(self, msgid: str, system: str | None = None) -> list[Record]:
        return [r for r in self.s.records if r.msgid == msgid and self.same_system(r, system)]

    def conn_messages(self, conn: Connection, *msgids: str) -> list[Record]:
        return [r for r in self.records_of(conn) if r.msgid in msgids]

    def when(self, conn: Connection | None = None) -> datetime | None:
        """Time of the failure, UTC-aware for comparing with certificate dates (local
        time is taken as UTC: a few hours do not change a verdict on dates years apart,
        and the explanation says when it is close)."""
        t = None
        if conn is not None:
            t = conn.first_time or conn.last_time
        if t is None and isinstance(self.s.incident_time, datetime):
            t = self.s.incident_time
        if t is None:
            if not self._first_error:
                times = [r.time for r in self.s.records if r.time is not None and r.severity == "error"]
                self._first_error.append(min(times) if times else None)
            t = self._first_error[0]
        if t is not None and t.tzinfo is None:
            t = t.replace(tzinfo=timezone.utc)
        return t

    # -- rings and certificates ---------------------------------------------------
    def rings(self, system: str | None = None) -> list[KeyRing]:
        return [r for r in self.s.rings if self.same_system(r, system)]

    def ring(self, key: str | None, system: str | None = None) -> KeyRing | None:
        if not key:
            return None
        owner, _, name = key.partition("/")
        for r in self.rings(system):
            if r.owner.upper() == owner.upper() and r.name == name:
                return r
        return None

    def certs(self, system: str | None = None) -> list[CertInfo]:
        return [c for c in self.s.certs if self.same_system(c, system)]

    def cert(self, label: str | None, owner: str | None = None, system: str | None = None) -> CertInfo | None:
        if not label:
            return None
        hits = [c for c in self.certs(system) if c.label == label]
        if owner:
            own = [c for c in hits if (c.owner or "").upper() == owner.upper()]
            hits = own or hits
        return hits[0] if hits else None

    # -- who runs the job ----------------------------------------------------------
    def job_user(self, conn: Connection) -> tuple[str | None, list[str], str]:
        """(user id, evidence ids, where from) of the user the application runs under."""
        evid: list[str] = []
        job = (conn.job or "").upper()
        users: list[tuple[str, str, str]] = []
        for j in self.s.jobs:
            if job and j.jobname.upper() == job and self.same_system(j, conn.system) and j.owner:
                ief = getattr(self.s.record(j.record), "msgid", None) == "IEF695I"  # a job log's
                users.append((j.owner.upper(), j.record, "IEF695I in the job log" if ief else "SDSF DA"))
        for p in self.s.started:
            if job and _started_matches(p.profile, job) and self.same_system(p, conn.system):
                users.append((p.user.upper(), p.record, "STARTED profile"))
        if conn.user:
            src = [r.id for r in self.records_of(conn) if r.fields.get("userid")]
            users.append((conn.user.upper(), src[0] if src else "", "USERID of the AT-TLS message"))
        if not users:
            return None, [], ""
        best = users[0][0]
        for u, rid, _ in users:
            if u == best and rid:
                evid.append(rid)
        return best, evid, users[0][2]

    # -- policy -----------------------------------------------------------------------
    def statements(self, kind: str, system: str | None = None):
        k = kind.lower()
        return [p for p in self.s.policy if p.kind.lower() == k and self.same_system(p, system)]

    def statement(self, kind: str, name: str | None, system: str | None = None):
        """The statement ``kind name``; one from a policy file before one from pasearch
        (the file is what a fix edits; both say the same when the policy is installed)."""
        if not name:
            return None
        hits = [p for p in self.statements(kind, system) if p.name == name]
        if not hits:
            return None
        pas = {a.id for a in self.s.artifacts if a.kind == "pasearch"}
        return min(hits, key=lambda p: p.record.rpartition(":")[0] in pas)

    def policy(self, conn: Connection) -> PolicyView:
        """The AT-TLS policy of ``conn``; a native one (no rule) carries the certificate label
        its own configuration names (diagnose/families/appconfig.py), used as a CertificateLabel."""
        native = not conn.rule and conn.family not in (None, "attls")
        key = ("native", conn.id) if native else (conn.rule, conn.system)
        if key not in self._policy_cache:
            self._policy_cache[key] = v = self._policy(conn)
            if native:
                from .families.appconfig import app_label

                lab = app_label(self, conn)
                if lab is not None:  # no label: the words still say the ring's default is used
                    v.cert_label, v.cert_label_record, v.cert_label_words = lab.label, lab.record, lab.words
        return self._policy_cache[key]

    def _policy(self, conn: Connection) -> PolicyView:
        v = PolicyView(rule=conn.rule)
        if not conn.rule:
            return v
        sysname = conn.system
        rule = self.statement("TTLSRule", conn.rule, sysname)
        if rule is None:
            # pasearch writes "policyRule:"; a reader may keep the rule under another kind
            rule = next((p for p in self.s.policy if p.name == conn.rule and self.same_system(p, sysname)), None)
        if rule is not None:
            v.rule_record = rule.record
            v.records.append(rule.record)
        env_name = _first(rule.get("TTLSEnvironmentActionRef")) if rule is not None else None
        grp_name = _first(rule.get("TTLSGroupActionRef")) if rule is not None else None
        con_name = _first(rule.get("TTLSConnectionActionRef")) if rule is not None else None
        env = self.statement("TTLSEnvironmentAction", env_name, sysname)
        if env is None and rule is not None:
            envs = self.statements("TTLSEnvironmentAction", sysname)
            env = envs[0] if len(envs) == 1 else None
        grp = self.statement("TTLSGroupAction", grp_name, sysname)
        con = self.statement("TTLSConnectionAction", con_name, sysname)
        v.group_action, v.conn_action = grp_name, con_name
        if env is not None:
            v.env_action, v.env_record = env.name, env.record
            v.records.append(env.record)
            v.env_instance = _first(env.get("EnvironmentUserInstance"))
            v.env_instance_record = env.lines.get(_key(env, "EnvironmentUserInstance"), env.record)
            v.env_handshake_role = _first(env.get("HandshakeRole"))
            if v.env_handshake_role:
                v.env_handshake_role_record = env.lines.get(_key(env, "HandshakeRole"), env.record)
            v.handshake_role, v.handshake_role_record = v.env_handshake_role, v.env_handshake_role_record
            ring_stmt = None
            kr_ref = _first(env.get("TTLSKeyringParmsRef"))
            if kr_ref:
                ring_stmt = self.statement("TTLSKeyringParms", kr_ref, sysname)
            kr = _first(env.get("Keyring"))
            if ring_stmt is not None:
                v.keyring_parms = ring_stmt.name
                kr = _first(ring_stmt.get("Keyring")) or kr
                v.keyring_record = ring_stmt.lines.get(_key(ring_stmt, "Keyring"), ring_stmt.record)
            elif kr:
                v.keyring_record = env.lines.get(_key(env, "Keyring"), env.record)
            v.keyring = kr
            self._ciphers(v, env, sysname)
        if grp is not None:
            v.group_record = grp.record
            v.group_instance = _first(grp.get("GroupUserInstance"))
            v.group_instance_record = grp.lines.get(_key(grp, "GroupUserInstance"), grp.record)
        if con is not None:
            hr = _first(con.get("HandshakeRole"))
            if hr:  # the connection action's HandshakeRole overrides the environment's
                v.conn_handshake_role = hr
                v.conn_handshake_role_record = con.lines.get(_key(con, "HandshakeRole"), con.record)
                v.handshake_role, v.handshake_role_record = hr, v.conn_handshake_role_record
        # model/policy.py (when present) knows inheritance and pasearch; prefer it.
        try:
            from tlsworkbench.model.policy import effective
        except ImportError:
            effective = None
        if effective is not None:
            try:
                eff = effective(self.s, conn.rule, sysname)
            except Exception:
                eff = None
            if eff is not None:
                _merge(v, eff)
        return v

    def _ciphers(self, v: PolicyView, env, sysname) -> None:
        stmts = [env]
        for ref in ("TTLSCipherParmsRef", "TTLSEnvironmentAdvancedParmsRef"):
            name = _first(env.get(ref))
            st = self.statement(ref[:-3], name, sysname) if name else None
            if st is None and name:
                st = next((p for p in self.s.policy if p.name == name and self.same_system(p, sysname)), None)
            if st is not None:
                stmts.append(st)
        for st in stmts:
            for key in ("V3CipherSuites", "V3CipherSuites4Char"):
                vals = _as_list(st.get(key))
                if vals:
                    v.ciphers.extend(vals)
                    v.cipher_record = v.cipher_record or st.lines.get(_key(st, key), st.record)
                    v.cipher_statement = v.cipher_statement or (st.kind, st.name)
            for proto in ("SSLv2", "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"):
                val = _first(st.get(proto))
                if val:
                    v.protocols[proto] = val
                    v.protocol_records[proto] = st.lines.get(_key(st, proto), st.record)
                    if v.protocol_statement is None or st is not env:
                        v.protocol_statement = (st.kind, st.name)
            lab = _first(st.get("CertificateLabel")) or _first(st.get("ServerCertificateLabel"))
            if lab:
                v.cert_label = lab
            ca = _first(st.get("ClientAuthType"))
            if ca:
                v.client_auth = ca

    # -- peers ------------------------------------------------------------------------------
    def peer(self, conn: Connection) -> Connection | None:
        if conn.peer:
            return self.connection(conn.peer) or self.s.connection(conn.peer)
        return None

    def keep(self, conns) -> list[Connection]:
        """``conns`` (rows made by a slice of the session's connections) kept for later
        lookups by id, so that a row is made once."""
        for c in conns:
            self._conns.setdefault(c.id, c)
        return conns

    def connection(self, cid: str | None) -> Connection | None:
        if not cid:
            return None
        got = self._conns.get(cid)
        if got is None and rows_of(self.s.connections) is not None:
            got = self.s.connections.get(cid)  # a row, materialised once and kept here
            if got is not None:
                self._conns[cid] = got
        return got

    def peer_system_guess(self, conn: Connection) -> str | None:
        p = self.peer(conn)
        if p is not None:
            return p.system
        others = sorted(self.systems - {conn.system})
        return others[0] if len(others) == 1 else None


def _started_matches(profile: str, job: str) -> bool:
    """STARTED profiles are ``member.jobname`` with generic ``*``: match on the member."""
    member = profile.split(".")[0].upper()
    pat = "^" + re.escape(member).replace(r"\*", ".*").replace(r"%", ".") + "$"
    return re.match(pat, job.upper()) is not None


def _key(st, name: str) -> str:
    return next((k for k in st.params if k.lower() == name.lower()), name)


def _merge(v: PolicyView, eff) -> None:
    """Fill what the own resolution left open from model/policy.py's EffectivePolicy."""
    def name(st):
        return getattr(st, "name", None) if st is not None and not isinstance(st, str) else st

    def text(val):
        return None if val is None or val == "" else str(val)

    pairs = [("keyring", text(getattr(eff, "keyring", None))),
             ("keyring_record", text(getattr(eff, "keyring_record", None))),
             ("keyring_parms", name(getattr(eff, "keyring_parms", None))),
             ("env_action", name(getattr(eff, "env_action", None))),
             ("group_action", name(getattr(eff, "group_action", None))),
             ("conn_action", name(getattr(eff, "conn_action", None))),
             ("handshake_role", text(getattr(eff, "handshake_role", None))),
             ("env_instance", text(getattr(eff, "env_user_instance", None))),
             ("group_instance", text(getattr(eff, "group_user_instance", None))),
             ("cert_label", text(getattr(eff, "certificate_label", None))),
             ("client_auth", text(getattr(eff, "client_auth_type", None)))]
    for attr, val in pairs:
        if val is not None and getattr(v, attr) in (None, ""):
            setattr(v, attr, val)
    recs = getattr(eff, "records", None)
    if isinstance(recs, dict):
        for attr, key in (("env_record", "env_action"), ("group_record", "group_action"),
                          ("rule_record", "rule")):
            if getattr(v, attr) is None and recs.get(key):
                setattr(v, attr, recs[key])
    ciphers = getattr(eff, "ciphers", None)
    if ciphers and not v.ciphers:
        v.ciphers = [str(c) for c in ciphers]
    protos = getattr(eff, "protocols", None)
    if isinstance(protos, dict) and not v.protocols:
        v.protocols = {k: ("On" if val is True else "Off" if val is False else str(val))
                       for k, val in protos.items()}
