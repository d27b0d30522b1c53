"""The small comparisons correlation is made of: endpoints (IPv4-mapped
addresses normalised), time windows, roles from ports, key ring names."""

from __future__ import annotations

from datetime import datetime, timedelta

WELL_KNOWN = frozenset({20, 21, 22, 23, 25, 389, 443, 465, 636, 990, 992, 993, 995, 1414, 3270,
                        8443, 9443})


_ip_cache: dict[str, str] = {}


def norm_ip(ip: str | None) -> str | None:
    """``::FFFF:1.2.3.4`` -> ``1.2.3.4``; IPv6 lower case."""
    if not ip:
        return None
    got = _ip_cache.get(ip)
    if got is None:
        s = ip.strip()
        low = s.lower()
        if low.startswith("::ffff:") and "." in low:
            s = s[7:]
        elif ":" in s:
            s = low
        if len(_ip_cache) < 200_000:
            _ip_cache[ip] = s
        got = s
    return got


def ep(ip, port):
    ip = norm_ip(ip)
    if ip is None:
        return None
    try:
        return (ip, int(port)) if port is not None and port != "" else (ip, None)
    except (TypeError, ValueError):
        return (ip, None)


def close(a: datetime | None, b: datetime | None, window: timedelta) -> bool:
    return a is None or b is None or abs(a - b) <= window


def keyring_of(f: dict) -> str | None:
    func = f.get("func") or ""
    if func.upper() == "GSK_KEYRING_FILE" and (f.get("action") or "Set").lower() == "set":
        value = (f.get("value") or "").strip()
        return value or None
    return None


def owned(keyring: str, user: str | None) -> str:
    """A ring name with no owner belongs to the connection's user."""
    if "/" in keyring or keyring.startswith("/") or keyring.startswith("*") or not user:
        return keyring
    return f"{user}/{keyring}"


def gap(a: datetime | None, b: datetime | None) -> float:
    if a is None or b is None:
        return 1e12
    return abs((a - b).total_seconds())


def role_from_ports(local, remote) -> str | None:
    lp = local[1] if local else None
    rp = remote[1] if remote else None
    if lp is None or rp is None:
        return None
    if lp in WELL_KNOWN and rp not in WELL_KNOWN:
        return "server"
    if rp in WELL_KNOWN and lp not in WELL_KNOWN:
        return "client"
    if lp < 1024 <= rp:
        return "server"
    if rp < 1024 <= lp:
        return "client"
    return None


class Conn:
    """A connection while it is being built: positions of its records in
    ``session.records`` (``pos``) and, for the routine AT-TLS lines the syslogd
    fast path did not materialise (ingest/attls_fast.py), their line numbers
    (``lines``, of artifact ``art``; ``more``: artifact id -> array for lines of
    other artifacts). ``order`` sorts connections in order of first appearance:
    ``artifact index << 32 | line``."""

    __slots__ = ("system", "stack", "job", "user", "local", "remote", "rule", "grpid", "envid",
                 "connid", "rcs", "events", "pos", "keyring", "first", "last", "mapped", "role_hint",
                 "order", "peer", "conn", "mixed", "filled", "lines", "art", "more", "fail")

    def __init__(self, system, order, lists: bool = True):
        self.system = system
        self.stack = self.job = self.user = self.local = self.remote = None
        self.rule = self.grpid = self.envid = self.connid = self.keyring = None
        self.first = self.last = None
        # read-time objects (lists=False) get their lists when correlation starts
        self.rcs: list[int] = [] if lists else None
        self.events: list[str] = [] if lists else None
        self.pos: list[int] = [] if lists else None
        self.mapped = False
        self.role_hint = None
        self.order = order
        self.peer = None
        self.conn = None
        self.mixed = False
        self.filled = False
        self.lines = None
        self.art = None
        self.more = None
        self.fail = False

    def time(self, t: datetime | None) -> None:
        if t is None:
            return
        if self.first is None or t < self.first:
            self.first = t
        if self.last is None or t > self.last:
            self.last = t

    def reset(self) -> None:
        """Forget what an earlier correlation added (records, return codes, peer):
        the facts read with the lines stay."""
        self.pos = self.rcs = self.events = ()  # lists once something is added
        self.keyring = None
        self.mixed = False
        self.peer = None
        self.conn = None

    def copy(self) -> "Conn":
        """A fresh builder object with the facts read so far (correlation may run
        more than once on one session: the read-time objects stay untouched)."""
        c = Conn(self.system, self.order)
        for name in ("stack", "job", "user", "local", "remote", "rule", "grpid", "envid", "connid",
                     "keyring", "first", "last", "mapped", "role_hint", "filled", "lines", "art",
                     "more", "fail"):
            setattr(c, name, getattr(self, name))
        return c


REUSE_GAP = timedelta(hours=24)
"""A CONNID seen again after this long names a new connection (the stack reuses ids)."""


class Cands(list):
    """The connections of one system and CONNID, oldest first. A stack that
    reuses its CONNIDs gives hundreds of them to one id, all mapped: a map line
    (EZD1281I) joins only one not mapped yet, so the positions of those are kept
    (``mapped`` only ever turns true) and a map line looks at them alone,
    instead of walking the whole list for every new connection."""

    __slots__ = ("_open", "_seen")

    def __init__(self, items=()):
        super().__init__(items)
        self._open: list[int] = []
        self._seen = 0

    def unmapped(self):
        """The connections not mapped, newest first (what ``latest_joinable``
        would reach for a map line, in the same order)."""
        n = len(self)
        op = self._open
        if self._seen < n:
            op.extend(i for i in range(self._seen, n) if not self[i].mapped)
            self._seen = n
        while op and self[op[-1]].mapped:
            op.pop()
        for k in range(len(op) - 1, -1, -1):
            cand = self[op[k]]
            if not cand.mapped:
                yield cand


def latest_joinable(cands, stack, local, remote, mid, t):
    """The connection a line joins among those with its system and CONNID: the
    latest one whose stack and endpoints do not contradict the line, that is not
    mapped twice (a second EZD1281I starts a new connection) and was seen within
    REUSE_GAP; None when the line starts a new connection."""
    if mid == "EZD1281I" and type(cands) is Cands:
        seq = cands.unmapped()  # the mapped ones are skipped below anyway
    else:
        seq = reversed(cands)
    for cand in seq:
        if stack and cand.stack and stack != cand.stack:
            continue
        if (local and cand.local and local != cand.local) or (
                remote and cand.remote and remote != cand.remote):
            continue
        if mid == "EZD1281I" and cand.mapped:
            continue
        if t is not None and cand.last is not None and t - cand.last > REUSE_GAP:
            continue
        return cand
    return None


def add_cid(by_cid: dict, c: Conn) -> None:
    """Add ``c`` to a map of ``Joiner.cid_map``'s shape: (system, CONNID) -> the
    connection, or ``Cands`` of them when the CONNID was reused."""
    ck = (c.system, c.connid)
    got = by_cid.get(ck)
    if got is None:
        by_cid[ck] = c
    elif type(got) is Conn:
        by_cid[ck] = Cands((got, c))
    else:
        got.append(c)
