"""Gather every sensitive value of a loaded session, with its category.

Values come from what the readers understood (record fields, rings, certificates,
policy, jobs, STARTED profiles, trace handshakes, connections) and from the text
itself: every IPv4 / IPv6 literal, RACF certificate ids and colon-hex
fingerprints. Each value gets one category; when a value is seen in several
roles the strongest form wins (an address before a user id before a ring ...),
so that the same string always gets the same stand-in.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field

from tlsworkbench.model import Session

from .pseudonyms import KEYWORDS
from .textnames import add_rule, scan as names_in_text

# Category -> priority (lower wins when one string has several roles).
CATEGORIES = {
    "ipv4": 0, "ipv6": 0, "email": 1, "racf": 2, "racf-prefix": 3, "ring": 4, "host": 5,
    "label": 6, "serial": 7, "opaque": 8, "dn-cn": 9, "dn-o": 10, "dn-ou": 11, "dn": 12,
    "name": 13, "rule": 14,
}

# An address may be followed by ``.port`` (GSKSRVR: ``192.168.20.91.1034``) but is not
# part of a longer dotted run (an OID such as 1.3.6.1.4.1).
IP_END = r"(?!\d)(?!\.\d+\.\d)"
IPV4 = re.compile(r"(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}"
                  r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)" + IP_END)
_IPV4_FAST = re.compile(r"(?<![\d.])\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}" + IP_END)
_V6_FULL = re.compile(r"(?<![0-9A-Fa-f:])(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}(?![0-9A-Fa-f:])")
_HEXC = frozenset("0123456789abcdefABCDEF:")
_OID_LIKE = ("1.2.", "1.3.6.", "2.5.", "2.16.", "0.9.", "1.0.")
_TOKEN_LINE = re.compile(r"^\s*[A-Za-z0-9+/=]{8,}\s*$")
_CERT_ID = re.compile(r"Certificate ID:\s*(\S{8,})")
_FINGERPRINT = re.compile(r"(?<![0-9A-Fa-f:])[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){7,}:?")
_HOSTNAME = re.compile(r"^(?:\*\.|\.)?[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9-]{1,63})*$")
_RACF_NAME = re.compile(r"^[A-Za-z#$@][A-Za-z0-9#$@]{0,7}$")
_JOBID = re.compile(r"^(?:STC|JOB|TSU|J|S|T)\d{5,7}$", re.I)
_RING_KEY = ("keyring", "ring")
_LABEL_KEYS = ("servercertificatelabel", "certificatelabel", "label")
_USER_KEYS = ("userid", "user")
_JOB_KEYS = ("jobname",)

SHORT_SERIAL = 8
"""Serials shorter than this are redacted and scanned only where a serial is named."""


@dataclass
class Sensitive:
    """The sensitive values of a session: original -> category."""

    values: dict[str, str] = field(default_factory=dict)
    kept: dict[str, str] = field(default_factory=dict)
    """Values deliberately left alone -> why (keywords, too short)."""
    seen: set = field(default_factory=set, repr=False)
    """(value, category) pairs already added: big logs repeat the same values."""

    def add(self, value, category: str) -> None:
        if value is None:
            return
        key = (value, category)
        if key in self.seen:
            return
        self.seen.add(key)
        value = str(value).strip()
        if not value:
            return
        why = _unusable(value, category)
        if why:
            self.kept.setdefault(value, why)
            return
        old = self.values.get(value)
        if old is None or CATEGORIES[category] < CATEGORIES[old]:
            self.values[value] = category

    def by_category(self, category: str) -> list[str]:
        return sorted(v for v, c in self.values.items() if c == category)


def _unusable(value: str, category: str) -> str | None:
    if category in ("ipv4", "ipv6", "opaque"):
        return None
    if category == "serial":
        return None if re.fullmatch(r"[0-9A-Fa-f]+", value) and value.strip("0") else "not a serial"
    if value.upper() in KEYWORDS:
        return "a RACF / AT-TLS keyword or vendor name"
    if len(value) < 2:
        return "too short to redact safely"
    if value.isdigit():
        return "a number"
    return None


# -- values by role -------------------------------------------------------------------
def add_racf(sens: Sensitive, value) -> None:
    """A user id, job name or group (or a pattern such as ``FTPT*``)."""
    if not value or ("racf?", value) in sens.seen:
        return
    sens.seen.add(("racf?", value))
    value = str(value).strip().strip("'\"")
    if not value:
        return
    if "*" in value or "%" in value:
        prefix = re.split(r"[*%]", value, 1)[0]
        if len(prefix) >= 3 and _RACF_NAME.match(prefix):
            sens.add(prefix.upper(), "racf-prefix")
        return
    if _JOBID.match(value):
        return  # a JES job id (STC15801) names nothing of the user's
    if _RACF_NAME.match(value):
        sens.add(value.upper(), "racf")


def add_ring(sens: Sensitive, key) -> None:
    """``owner/ring`` or ``ring`` (a key database path or token is left to the text rules)."""
    if not key:
        return
    key = str(key).strip().strip("'\"")
    if not key or key.startswith("/") or key.upper().startswith("*TOKEN*"):
        return
    owner, sep, name = key.partition("/")
    if sep:
        add_racf(sens, owner)
        if name and name != "*":
            sens.add(name, "ring")
    else:
        sens.add(key, "ring")


def add_host(sens: Sensitive, host) -> None:
    if not host or ("host?", host) in sens.seen:
        return
    sens.seen.add(("host?", host))
    host = str(host).strip().rstrip(".")
    if not host:
        return
    if IPV4.fullmatch(host):
        sens.add(host, "ipv4")
        return
    if _is_ipv6(host):
        sens.add(host, "ipv6")
        return
    bare = host.lstrip("*").lstrip(".")
    if bare and _HOSTNAME.match(bare) and any(c.isalpha() for c in bare):
        sens.add(bare, "host")


def add_dn(sens: Sensitive, dn) -> None:
    """Every attribute value of a DN (RFC 4514 or RACF form); country codes stay."""
    if not dn:
        return
    try:
        from tlsworkbench.x509.dn import looks_racf, racf_rdns, rfc4514_rdns

        rdns = racf_rdns(dn) if looks_racf(dn) else rfc4514_rdns(dn)
    except Exception:
        rdns = [[tuple(p.split("=", 1))] for p in str(dn).split(",") if "=" in p]
    for rdn in rdns:
        for attr, val in rdn:
            add_dn_value(sens, attr, val)


def add_dn_value(sens: Sensitive, attr: str, val: str) -> None:
    attr = (attr or "").strip().upper()
    val = (val or "").strip()
    if not val or attr in ("C", "COUNTRYNAME", "2.5.4.6"):
        return
    if attr in ("EMAILADDRESS", "E", "1.2.840.113549.1.9.1") or ("@" in val and " " not in val):
        add_email(sens, val)
        return
    if attr in ("CN", "COMMONNAME", "DC"):
        if " " not in val and _HOSTNAME.match(val.lstrip("*.")) and any(c.isalpha() for c in val):
            add_host(sens, val)
            return
        sens.add(val, "dn-cn")
    elif attr in ("O", "ORGANIZATIONNAME"):
        sens.add(val, "dn-o")
    elif attr in ("OU", "ORGANIZATIONALUNITNAME"):
        sens.add(val, "dn-ou")
    else:
        sens.add(val, "dn")


def add_email(sens: Sensitive, value: str) -> None:
    value = value.strip()
    if "@" in value:
        sens.add(value, "email")
        add_host(sens, value.rpartition("@")[2])


def add_san(sens: Sensitive, entry: str) -> None:
    kind, _, val = str(entry).partition(":")
    kind = kind.lower()
    if kind in ("ip",):
        add_host(sens, val)
    elif kind in ("email", "rfc822"):
        add_email(sens, val)
    elif kind in ("dns", "domain"):
        add_host(sens, val)
    elif kind == "uri":
        m = re.match(r"[a-z]+://([^/:]+)", val, re.I)
        if m:
            add_host(sens, m.group(1))
    elif val:
        sens.add(val, "dn")


def add_serial(sens: Sensitive, serial) -> None:
    if not serial:
        return
    s = re.sub(r"[^0-9A-Fa-f]", "", str(serial))
    if s:
        sens.add(s.lower(), "serial")


def _is_ipv6(text: str) -> bool:
    if text.count(":") < 2:
        return False
    try:
        addr = ipaddress.IPv6Address(text)
    except ValueError:
        return False
    if addr.ipv4_mapped is not None:
        return False
    groups = text.split(":")
    if "::" not in text and all(len(g) == 2 for g in groups):
        return False  # a fingerprint, not an address
    return True


# -- the session ------------------------------------------------------------------------
_FIELD_ROLES = {
    "userid": add_racf, "user": add_racf, "jobname": add_racf, "stack": add_racf,
    "group": add_racf, "stepname": add_racf, "owner": add_racf,
    "remote_host": add_host, "hostname": add_host, "local_ip": add_host, "remote_ip": add_host,
    "ring": add_ring, "keyring": add_ring, "subject": add_dn, "issuer": add_dn,
    "serial": add_serial, "rule": add_rule,
}


def collect(session: Session, texts=None) -> Sensitive:
    """Sensitive values of ``session``; ``texts`` (artifact id -> iterable of lines)
    defaults to the artifacts' own lines."""
    sens = Sensitive()
    for r in session.records:
        if r.job:
            add_racf(sens, r.job)
        for name, value in r.fields.items():
            fn = _FIELD_ROLES.get(name)
            if fn is not None and isinstance(value, str):
                fn(sens, value)
            elif name == "label" and isinstance(value, str):
                sens.add(value, "label")
            elif name == "name" and r.msgid == "ICH408I" and isinstance(value, str) and value.strip():
                sens.add(value.strip(), "name")
    for ring in session.rings:
        add_racf(sens, ring.owner)
        sens.add(ring.name, "ring")
        for e in ring.entries:
            sens.add(e.label, "label")
            add_racf(sens, e.owner)
    for c in session.certs:
        add_racf(sens, c.owner)
        if c.label:
            sens.add(c.label, "label")
        add_dn(sens, c.subject)
        add_dn(sens, c.issuer)
        add_serial(sens, c.serial)
        for s in c.san:
            add_san(sens, s)
        for rk in c.rings:
            add_ring(sens, rk)
    for st in session.policy:
        _policy(sens, st)
    for j in session.jobs:
        add_racf(sens, j.jobname)
        add_racf(sens, j.owner)
    for sp in session.started:
        add_racf(sens, sp.profile.split(".", 1)[0])
        add_racf(sens, sp.user)
        add_racf(sens, sp.group)
    for tr in session.trace_records:
        add_racf(sens, getattr(tr, "job", None))
    for h in session.handshakes:
        add_racf(sens, getattr(h, "job", None))
        peer = getattr(h, "peer", None)
        if peer is not None:
            add_host(sens, peer.ip)
        if getattr(h, "certificate_label", None):
            sens.add(h.certificate_label, "label")
        for m in getattr(h, "messages", []):
            if m.server_name:
                add_host(sens, m.server_name)
            for cd in m.certificates or []:
                add_dn(sens, cd.get("subject"))
                add_dn(sens, cd.get("issuer"))
                add_serial(sens, cd.get("serial"))
    from .connnames import add_connections

    add_connections(sens, session.connections)
    for art in session.artifacts:
        lines = texts.get(art.id, ()) if texts is not None else _lines(art)
        chunk: list[str] = []
        prev = ""
        for line in lines:
            chunk.append(line)
            if "Certificate ID" in prev and _TOKEN_LINE.match(line):
                sens.add(line.strip(), "opaque")  # the id wrapped onto a second line
            prev = line
            if len(chunk) >= 4096:
                scan_text_values(sens, "\n".join(chunk))
                chunk = []
        if chunk:
            scan_text_values(sens, "\n".join(chunk))
    return sens


def scan_text_values(sens: Sensitive, line: str) -> None:
    """Values any line gives away by their shape alone."""
    if "." in line:
        for m in _IPV4_FAST.finditer(line):
            ip = m.group(0)
            if not ip.startswith(_OID_LIKE) and all(int(o) < 256 for o in ip.split(".")):
                sens.add(ip, "ipv4")
    colons = line.count(":")
    if colons >= 7:
        for m in _FINGERPRINT.finditer(line):
            sens.add(m.group(0).rstrip(":"), "opaque")
    if colons >= 7:
        for m in _V6_FULL.finditer(line):
            if _is_ipv6(m.group(0)):
                sens.add(m.group(0), "ipv6")
    if colons >= 2 and "::" in line:
        pos = line.find("::")
        while pos >= 0:
            a = pos
            while a > 0 and line[a - 1] in _HEXC:
                a -= 1
            b = pos + 2
            while b < len(line) and line[b] in _HEXC:
                b += 1
            cand = line[a:b]
            if (a > 0 and line[a - 1] == ".") or (line[b:b + 2][:1] == "." and line[b + 1:b + 2].isdigit()):
                cand = ""  # ::ffff:a.b.c.d: the IPv4 part is taken on its own
            if cand.count(":") >= 2 and _is_ipv6(cand):
                sens.add(cand, "ipv6")
            pos = line.find("::", b)
    if "Certificate ID" in line:
        for m in _CERT_ID.finditer(line):
            sens.add(m.group(1), "opaque")
    names_in_text(sens, line)


def _lines(art):
    if art.encoding == "binary" or not art.line_count:
        return ()
    try:
        return art.lines(1, art.line_count)
    except OSError:
        return ()


def _policy(sens: Sensitive, st) -> None:
    if st.kind.lower().endswith("rule") and not st.name.startswith(("~", "*")):
        add_rule(sens, st.name)
    for key, value in st.params.items():
        lk = key.lower()
        vals = value if isinstance(value, list) else [value]
        for v in vals:
            if not isinstance(v, str):
                continue
            if lk in _RING_KEY:
                add_ring(sens, v)
            elif lk in _LABEL_KEYS:
                sens.add(v.strip("'\""), "label")
            elif lk in _USER_KEYS or lk in _JOB_KEYS:
                add_racf(sens, v)
            elif "host" in lk or "addr" in lk:
                for part in re.split(r"[\s,]+", v):
                    add_host(sens, part.split("/")[0])
