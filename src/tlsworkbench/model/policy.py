"""AT-TLS policy resolution: which rule maps a connection, and what that rule means.

``effective(session, rule_name)`` follows a TTLSRule to its group, environment
and connection actions and their parameter statements, and returns the values
a diagnosis needs (key ring, handshake role, certificate label, ciphers,
protocols ...) with the record id of the line that set each one.

``rules_for(session, ...)`` lists the rules whose conditions match a connection,
highest priority first (equal priorities in name order, as Policy Agent does).

Statements come from policy files and from ``pasearch -t`` (same kinds and
parameter names, see ingest/policy_terms.py); when both hold a statement of the
same kind and name, the pasearch one (the installed policy) wins. Rule names in
AT-TLS messages may carry a suffix Policy Agent added (``~1``, ``-5``): the
exact name is tried first, then the name without the suffix, then prefixes.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from .entities import PolicyStatement

_SUFFIX = re.compile(r"[~-]\d+$")
PROTOCOLS = ("SSLv2", "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3")


@dataclass
class EffectivePolicy:
    rule: PolicyStatement
    group_action: PolicyStatement | None = None
    env_action: PolicyStatement | None = None
    conn_action: PolicyStatement | None = None
    keyring_parms: PolicyStatement | None = None
    handshake_role: str | None = None
    """Client, Server or ServerWithClientAuth; the connection action overrides the environment's."""
    keyring: str | None = None
    """The Keyring value as written."""
    keyring_owner: str | None = None
    """Upper case; the connection's user when the value has no owner (None if not known);
    ``"CERTAUTH"``/``"SITE"`` for ``*AUTH*/*``/``*SITE*/*``; None for a key database."""
    keyring_name: str | None = None
    keyring_type: str | None = None
    """``"racf"``, ``"virtual"`` (``user/*``, ``*AUTH*/*``), ``"kdb"`` (a gskkyman database
    path starting with ``/``) or ``"token"`` (``*TOKEN*/name``, a PKCS#11 token)."""
    keyring_record: str | None = None
    env_user_instance: int | None = None
    group_user_instance: int | None = None
    trace: int | None = None
    """Most specific Trace: connection, then environment, then group action."""
    client_auth_type: str | None = None
    certificate_label: str | None = None
    """CertificateLabel (connection, then environment) or else ServerCertificateLabel."""
    ciphers: list[str] = field(default_factory=list)
    """V3CipherSuites and V3CipherSuites4Char as written (names or 2/4-character codes)."""
    protocols: dict[str, bool] = field(default_factory=dict)
    handshake_timeout: int | None = None
    application_controlled: bool | None = None
    sni: dict[str, str] = field(default_factory=dict)
    """Server/ClientHandshakeSNI* parameters as written."""
    records: dict[str, str] = field(default_factory=dict)
    """Attribute or statement (``"rule"``, ``"env_action"`` ...) -> record id of its line."""
    missing: list[str] = field(default_factory=list)
    """References that name no statement we have (``"TTLSKeyringParms keyR2"``)."""


# -- statement lookup --------------------------------------------------------
_cache: dict[int, tuple] = {}


def _index(session) -> dict[tuple[str, str], list[PolicyStatement]]:
    key = id(session)
    hit = _cache.get(key)
    if hit and hit[0] is session.policy and hit[1] == len(session.policy):
        return hit[2]
    pasearch = {a.id for a in session.artifacts if a.kind == "pasearch"}
    idx: dict[tuple[str, str], list[PolicyStatement]] = {}
    for st in session.policy:
        idx.setdefault((st.kind, st.name), []).append(st)
    for lst in idx.values():
        lst.sort(key=lambda s: 0 if s.record.rpartition(":")[0] in pasearch else 1)
    if len(_cache) > 32:
        _cache.clear()
    _cache[key] = (session.policy, len(session.policy), idx)
    return idx


def _for_system(cands: list[PolicyStatement], system: str | None) -> PolicyStatement | None:
    if not cands:
        return None
    if system is None:
        return cands[0]
    exact = [s for s in cands if (s.system or "").upper() == system.upper()]
    if exact:
        return exact[0]
    loose = [s for s in cands if s.system is None]
    return loose[0] if loose else None


def statement(session, kind: str, name: str, system: str | None = None) -> PolicyStatement | None:
    return _for_system(_index(session).get((kind, name), []), system)


def find_rule(session, name: str, system: str | None = None) -> PolicyStatement | None:
    """The TTLSRule named in a message: exact, any case, without ``~n``/``-n``, then by prefix."""
    if not name:
        return None
    rules = [s for s in session.policy if s.kind == "TTLSRule"
             and (system is None or s.system is None or s.system.upper() == system.upper())]
    if not rules:
        return None
    exact = statement(session, "TTLSRule", name, system)
    if exact is not None:
        return exact
    low = name.lower()
    for test in (
        lambda r: r.name.lower() == low,
        lambda r: _SUFFIX.sub("", r.name).lower() == _SUFFIX.sub("", name).lower(),
    ):
        hits = [r for r in rules if test(r)]
        if hits:
            return _for_system(hits, system) or hits[0]
    prefix = [r for r in rules if low.startswith(r.name.lower())]
    if prefix:
        return max(prefix, key=lambda r: len(r.name))
    trunc = [r for r in rules if r.name.lower().startswith(low)]
    return trunc[0] if len(trunc) == 1 else None


# -- resolution ----------------------------------------------------------------
def _first(value):
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _int(value) -> int | None:
    m = re.match(r"\s*(\d+)", str(_first(value) or ""))
    return int(m.group(1)) if m else None


def _onoff(value) -> bool | None:
    v = str(_first(value) or "").strip().lower()
    return True if v in ("on", "yes", "true") else False if v in ("off", "no", "false") else None


class _Resolver:
    def __init__(self, session, system, ep: EffectivePolicy):
        self.session, self.system, self.ep = session, system, ep

    def ref(self, st: PolicyStatement | None, kind: str) -> PolicyStatement | None:
        if st is None:
            return None
        name = _first(st.get(f"{kind}Ref"))
        if not name:
            return None
        found = statement(self.session, kind, name, self.system)
        if found is None:
            self.ep.missing.append(f"{kind} {name}")
        return found

    def take(self, attr: str, sources: list, param: str, conv=None) -> None:
        """Set ``attr`` from the first statement in ``sources`` that has ``param``."""
        for st in sources:
            if st is None:
                continue
            value = st.get(param)
            if value is None:
                continue
            setattr(self.ep, attr, conv(value) if conv else _first(value))
            self.ep.records[attr] = _line(st, param)
            return


def _line(st: PolicyStatement, param: str) -> str:
    for k, rid in st.lines.items():
        if k.lower() == param.lower():
            return rid
    return st.record


def effective(session, rule_name: str, system: str | None = None,
              userid: str | None = None) -> EffectivePolicy | None:
    """What the rule named in a message sets up; None when no such rule is known.

    ``userid`` (the USERID of the AT-TLS messages) owns a key ring given
    without an owner."""
    rule = find_rule(session, rule_name, system)
    if rule is None:
        return None
    ep = EffectivePolicy(rule=rule)
    r = _Resolver(session, system or rule.system, ep)
    ep.records["rule"] = rule.record
    ep.group_action = r.ref(rule, "TTLSGroupAction")
    ep.env_action = r.ref(rule, "TTLSEnvironmentAction")
    ep.conn_action = r.ref(rule, "TTLSConnectionAction")
    for attr in ("group_action", "env_action", "conn_action"):
        st = getattr(ep, attr)
        if st is not None:
            ep.records[attr] = st.record
    env, conn, grp = ep.env_action, ep.conn_action, ep.group_action
    env_adv = r.ref(env, "TTLSEnvironmentAdvancedParms")
    conn_adv = r.ref(conn, "TTLSConnectionAdvancedParms")
    r.take("handshake_role", [conn, env], "HandshakeRole")
    r.take("trace", [conn, env, grp], "Trace", _int)
    r.take("env_user_instance", [env], "EnvironmentUserInstance", _int)
    r.take("group_user_instance", [grp], "GroupUserInstance", _int)
    r.take("client_auth_type", [env_adv, env], "ClientAuthType")
    r.take("certificate_label", [conn_adv, env_adv], "CertificateLabel")
    if ep.certificate_label is None:
        r.take("certificate_label", [env_adv], "ServerCertificateLabel")
    r.take("handshake_timeout", [conn_adv, env_adv], "HandshakeTimeout", _int)
    r.take("application_controlled", [conn_adv], "ApplicationControlled", _onoff)
    for adv in (env_adv, conn_adv):
        if adv is None:
            continue
        for p in PROTOCOLS:
            v = _onoff(adv.get(p))
            if v is not None:
                ep.protocols[p] = v
                ep.records[p] = _line(adv, p)
        for k, v in adv.params.items():
            if "sni" in k.lower():
                ep.sni[k] = " ".join(v) if isinstance(v, list) else v
    cipher = r.ref(conn, "TTLSCipherParms") or r.ref(env, "TTLSCipherParms")
    if cipher is not None:
        for p in ("V3CipherSuites", "V3CipherSuites4Char"):
            v = cipher.get(p)
            if v:
                ep.ciphers.extend(v if isinstance(v, list) else str(v).split())
                ep.records.setdefault("ciphers", _line(cipher, p))
    ep.keyring_parms = r.ref(env, "TTLSKeyringParms")
    r.take("keyring", [ep.keyring_parms, env], "Keyring")
    if ep.keyring:
        ep.keyring_record = ep.records.get("keyring")
        ep.keyring_owner, ep.keyring_name, ep.keyring_type = split_keyring(ep.keyring, userid)
    return ep


def split_keyring(value: str, userid: str | None = None) -> tuple[str | None, str, str]:
    """``"FTPD/Server_RING"`` -> ``("FTPD", "Server_RING", "racf")``; see EffectivePolicy."""
    v = value.strip()
    if v.startswith("/"):
        return None, v, "kdb"
    if v.upper().startswith("*TOKEN*/"):
        return "*TOKEN*", v[8:], "token"
    owner, slash, name = v.partition("/")
    if not slash:
        return (userid.upper() if userid else None), v, "racf"
    up = owner.upper()
    if up in ("*AUTH*", "*SITE*"):
        return ("CERTAUTH" if up == "*AUTH*" else "SITE"), name, "virtual"
    return up, name, ("virtual" if name == "*" else "racf")


# -- matching ------------------------------------------------------------------
def _ip(text: str | None):
    if not text:
        return None
    t = text.strip()
    if t.upper().startswith("::FFFF:") and "." in t:
        t = t[7:]
    try:
        return ipaddress.ip_address(t)
    except ValueError:
        return None


def addr_matches(spec: str, ip) -> bool:
    """One address spec (``ALL``, ``a.b.c.d``, ``net/len``, ``a-b``) against an address."""
    s = spec.strip()
    if s.upper() in ("ALL", "*", "ANY"):
        return True
    try:
        if "/" in s:
            return ip in ipaddress.ip_network(s, strict=False)
        if "-" in s:
            lo, hi = (_ip(x) for x in s.split("-", 1))
            return lo is not None and hi is not None and lo.version == ip.version and lo <= ip <= hi
    except (ValueError, TypeError):
        return False
    other = _ip(s)
    return other is not None and other == ip


def port_matches(spec: str, port: int) -> bool:
    s = str(spec).strip()
    m = re.match(r"^(\d+)(?:\s*[-\s]\s*(\d+))?$", s)
    if not m:
        return s.upper() in ("ALL", "*")
    lo = int(m.group(1))
    hi = int(m.group(2)) if m.group(2) else lo
    return (lo == 0 and hi in (0, 65535)) or lo <= port <= hi


def _values(v) -> list[str]:
    if v is None:
        return []
    return [str(x) for x in (v if isinstance(v, list) else [v])]


class _Matcher:
    def __init__(self, session, system):
        self.session, self.system = session, system

    def stmt(self, kind, name):
        return statement(self.session, kind, name, self.system)

    def addr_specs(self, rule: PolicyStatement, side: str) -> list[str] | None:
        """All address specs of one side, or None when the rule sets no condition there."""
        specs: list[str] = _values(rule.get(f"{side}Addr"))
        found = bool(specs)
        for name in _values(rule.get(f"{side}AddrRef")):
            found = True
            specs += _values((self.stmt("IpAddr", name) or _EMPTY).get("Addr"))
        sets = _values(rule.get(f"{side}AddrSetRef"))
        for name in _values(rule.get(f"{side}AddrGroupRef")):
            found = True
            grp = self.stmt("IpAddrGroup", name) or _EMPTY
            sets += _values(grp.get("IpAddrSetRef"))
            for ref in _values(grp.get("IpAddrRef")):
                specs += _values((self.stmt("IpAddr", ref) or _EMPTY).get("Addr"))
        for name in sets:
            found = True
            st = self.stmt("IpAddrSet", name) or _EMPTY
            for p in ("Prefix", "Range", "Addr"):
                specs += _values(st.get(p))
        return specs if found else None

    def port_specs(self, rule: PolicyStatement, side: str) -> list[str] | None:
        specs = _values(rule.get(f"{side}PortRange"))
        found = bool(specs)
        ranges = _values(rule.get(f"{side}PortRangeRef"))
        for name in _values(rule.get(f"{side}PortGroupRef")):
            found = True
            ranges += _values((self.stmt("PortGroup", name) or _EMPTY).get("PortRangeRef"))
        for name in ranges:
            found = True
            specs += _values((self.stmt("PortRange", name) or _EMPTY).get("Port"))
        return specs if found else None


_EMPTY = PolicyStatement(kind="", name="", params={}, record="")


def rules_for(session, local_ip=None, local_port=None, remote_ip=None, remote_port=None,
              jobname=None, userid=None, direction=None, system=None) -> list[PolicyStatement]:
    """TTLSRules whose conditions match, highest Priority first (then by name).

    An argument left as None is not checked. ``direction`` is ``"inbound"``
    (the local side accepted the connection) or ``"outbound"``."""
    m = _Matcher(session, system)
    out = []
    seen = set()
    for rule in session.policy:
        if rule.kind != "TTLSRule" or rule.name in seen:
            continue
        if system and rule.system and rule.system.upper() != system.upper():
            continue
        if statement(session, "TTLSRule", rule.name, system) is not rule:
            continue  # a duplicate (file and pasearch): keep the preferred one
        seen.add(rule.name)
        if _match(m, rule, local_ip, local_port, remote_ip, remote_port, jobname, userid, direction):
            out.append(rule)
    out.sort(key=lambda r: (-(_int(r.get("Priority")) or 0), r.name))
    return out


def _match(m, rule, local_ip, local_port, remote_ip, remote_port, jobname, userid, direction) -> bool:
    for side, ip_text, port in (("Local", local_ip, local_port), ("Remote", remote_ip, remote_port)):
        ip = _ip(ip_text)
        if ip is not None:
            specs = m.addr_specs(rule, side)
            if specs is not None and not any(addr_matches(s, ip) for s in specs):
                return False
        if port is not None:
            specs = m.port_specs(rule, side)
            if specs is not None and not any(port_matches(s, int(port)) for s in specs):
                return False
    for param, value in (("Jobname", jobname), ("Userid", userid)):
        pat = _first(rule.get(param))
        if value and pat and not fnmatchcase(value.upper(), str(pat).upper()):
            return False
    d = str(_first(rule.get("Direction")) or "").lower()
    if direction and d and d != "both" and d != direction.lower():
        return False
    return True
