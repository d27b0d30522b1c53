"""Fast path for the routine AT-TLS trace lines of a syslogd file.

At trace level 255 a stack writes ten or more lines for every healthy
connection (EZD1281I map, EZD1282I start, EZD1284I flow, EZD1283I event,
EZD1285I data). They carry nothing the diagnosis needs beyond what the
connection already holds, so they are not materialised: :class:`Joiner` reads
each canonical BSD-headered line with one compiled pattern per message id,
joins it to its connection while reading (on system and CONNID, as
model/correlate.py does) and keeps only its line number in the connection's
``lines`` array. ``Session.record(id)`` re-reads such a line on demand.

Lines that matter stay records, read by the syslogd reader as before and joined
to the same connection by correlation (``Joiner.at``): any line with RC != 0,
EZD1286I, environment lines (CONNID 00000000), ``Set GSK_KEYRING_FILE``, and
every line not in the canonical layout. The lines of a connection seen failing
while reading are materialised at the end (:func:`materialise_failing`).
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterable, Iterator
from datetime import timedelta

from tlsworkbench.model.correlate_base import Conn, norm_ip

REUSE_GAP = timedelta(hours=24)  # as model/correlate.py
NULL_ID = "00000000"

# The message part, matched from the message id on; the BSD header before it
# ("Mar 12 13:59:02 MVS3 TCPIPT[67174435]: 13:59:02 TCPIPT   ") is split by hand.
_H = r"([0-9A-F]{8})"
_IDS = rf"GRPID: {_H} ENVID: {_H} CONNID: {_H} "
_RX = {
    "EZD1281I": re.compile(r"EZD1281I TTLS \w+ +" + rf"CONNID: {_H} LOCAL: (\S+) REMOTE: (\S+) "
                           r"JOBNAME: ([A-Z0-9$#@]+) USERID: ([A-Z0-9$#@]+) TYPE: (\S+) "
                           r"STATUS: \S+(?: \S+)? RULE: (\S+) ACTIONS: "),
    "EZD1282I": re.compile(r"EZD1282I TTLS \w+ +" + _IDS + r"[A-Za-z]+(?: [A-Za-z]+)* ACTIONS: "),
    "EZD1283I": re.compile(r"EZD1283I TTLS \w+ +" + _IDS + r"RC: +(\d+) [A-Za-z]"),
    "EZD1284I": re.compile(r"EZD1284I TTLS \w+ +" + _IDS + r"RC: +(\d+) (?:Call|Get|Set) (\S+) -"),
    "EZD1285I": re.compile(r"EZD1285I TTLS \w+ +" + rf"CONNID: {_H} \S+ \S+"),
    "EZD1286I": re.compile(r"EZD1286I TTLS \w+ +" + _IDS + r"LOCAL: (\S+) REMOTE: (\S+) "),
}
_CLOCK = re.compile(r"\d\d:\d\d:\d\d$")


class Joiner:
    """Connections of the routine AT-TLS lines of a session, joined while reading."""

    def __init__(self):
        self.conns: list[Conn] = []
        """Connections in order of creation."""
        self.by_cid: dict[tuple, list[Conn]] = {}
        self.at: dict[tuple, Conn] = {}
        """(artifact id, line) of a line handed to the reader (kept as a record) ->
        the connection it was joined to."""
        self.times: dict = {}
        self.strs: dict = {}
        self.eps: dict = {}
        self.years: tuple | None = None
        """(year by system, any year) borrowed by the loader for lines without a year."""
        self.art_idx: dict[str, int] = {}
        self.lazy = 0
        """Lines kept as line numbers only."""

    # -- reading ---------------------------------------------------------------
    def filter(self, lines: Iterable[tuple[int, str]], art, art_idx: int) -> Iterator[tuple[int, str]]:
        """The lines the reader still has to see: routine AT-TLS lines are joined
        here and counted as records of ``art``, everything else passes through."""
        from tlsworkbench.ingest.syslogd import _bsd_time

        self.art_idx[art.id] = art_idx
        aid = art.id
        rx_of = _RX.get
        times = self.times
        strs = self.strs
        by_cid = self.by_cid
        at = self.at
        order_base = art_idx << 32
        lazy = 0
        for item in lines:
            text = item[1]
            i = text.find("EZD128", 16)
            if i < 0 or text[3:4] != " " or text[12:13] != ":":
                yield item
                continue
            mid = text[i:i + 8]
            rx = rx_of(mid)
            m = rx.match(text) if rx is not None else None
            if m is None:
                yield item
                continue
            n = item[0]
            g = m.groups()
            system = g[0]
            stack = g[2]
            if stack is None:
                stack = g[1].upper()
            stack = strs.setdefault(stack, stack)
            key = text[:15]
            t = times.get(key, False)
            if t is False:
                w = key.split()
                t = times[key] = _bsd_time(w[0], w[1], w[2])
            keep = fail = False
            local = remote = None
            if mid == "EZD1281I":
                cid = g[3]
                local, remote = self._ep(g[4]), self._ep(g[5])
                if local is None or remote is None:
                    yield item
                    continue
            elif mid == "EZD1285I":
                cid = g[3]
            else:
                cid = g[5]
                if mid == "EZD1286I":
                    keep = fail = True
                    local, remote = self._ep(g[6]), self._ep(g[7])
                elif mid != "EZD1282I":
                    if g[6].strip("0"):
                        keep = fail = True  # a return code: a record
                    elif mid == "EZD1284I" and g[7] == "GSK_KEYRING_FILE":
                        keep = True
            if cid == NULL_ID:
                yield item  # environment line: correlation attaches it
                continue
            ck = (system, cid)
            cands = by_cid.get(ck)
            c = None
            if cands:
                for cand in reversed(cands):
                    if cand.stack != stack:
                        continue
                    if (local and cand.local and local != cand.local) or (
                            remote and cand.remote and remote != cand.remote):
                        continue
                    if mid == "EZD1281I" and cand.mapped:
                        continue
                    if t is not None and cand.last is not None and t - cand.last > REUSE_GAP:
                        continue
                    c = cand
                    break
            if c is None:
                c = Conn(system, order_base | n)
                c.connid = cid
                c.stack = stack
                c.art = aid
                c.lines = array("I")
                self.conns.append(c)
                if cands is None:
                    by_cid[ck] = [c]
                else:
                    cands.append(c)
            if t is not None:
                if c.first is None or t < c.first:
                    c.first = t
                if c.last is None or t > c.last:
                    c.last = t
            if local is not None and c.local is None:
                c.local = local
            if remote is not None and c.remote is None:
                c.remote = remote
            if mid == "EZD1281I":
                c.mapped = True
                if c.job is None:
                    c.job = strs.setdefault(g[6], g[6])
                if c.user is None:
                    c.user = strs.setdefault(g[7], g[7])
                if c.rule is None:
                    c.rule = strs.setdefault(g[9], g[9])
                typ = g[8].lower()
                if typ.startswith("in"):
                    c.role_hint = "server"
                elif typ.startswith("out"):
                    c.role_hint = "client"
            elif mid != "EZD1285I":
                if c.grpid is None and g[3] != NULL_ID:
                    c.grpid = strs.setdefault(g[3], g[3])
                if c.envid is None and g[4] != NULL_ID:
                    c.envid = strs.setdefault(g[4], g[4])
            if keep:
                if fail:
                    c.fail = True
                at[(aid, n)] = c
                yield item
                continue
            if c.art != aid:  # a connection going on in another file of the session
                if c.more is None:
                    c.more = {}
                c.more.setdefault(aid, array("I")).append(n)
            else:
                c.lines.append(n)
            lazy += 1
        if len(strs) > 100_000:
            strs.clear()
        self.lazy += lazy
        art.records += lazy

    def _ep(self, text: str):
        got = self.eps.get(text)
        if got is None:
            ip, sep, port = text.rpartition("..")
            if not sep or not port.isdigit() or not ip or int(port) > 65535:
                return None
            got = (norm_ip(ip), int(port))
            if len(self.eps) < 200_000:
                self.eps[text] = got
        return got

    # -- on demand ---------------------------------------------------------------
    def reparse(self, session, art, line: int):
        """The Record the reader makes of line ``line`` of ``art`` (None: not an
        AT-TLS line of the fast path)."""
        if art.id not in self.art_idx:
            return None
        text = art.line(line)
        if "EZD128" not in text:
            return None
        rec = parse_line(text, art, line)
        if rec is None:
            return None
        self._year(rec)
        return rec

    def _year(self, rec) -> None:
        if self.years is None or rec.time is None or rec.fields.get("year_known") is not False:
            return
        best, any_year = self.years
        year = best.get(rec.system, any_year)
        try:
            rec.time = rec.time.replace(year=year)
        except ValueError:
            pass
        rec.fields["year_known"] = True


def parse_line(text: str, art, line: int):
    """A Record of one syslogd line, read by the syslogd reader (its own
    ``parse_line`` when it has one)."""
    from tlsworkbench.ingest import syslogd
    from tlsworkbench.model import Artifact, Record

    fn = getattr(syslogd, "parse_line", None)
    if fn is not None:
        return fn(text, art, line)
    tmp = Artifact(id=art.id, path=art.path, kind=art.kind, system=art.system)
    for item in syslogd.read([(line, text)], tmp):
        if type(item) is Record:
            return item
    return None


def materialise_failing(session) -> int:
    """Records for the routine lines of the connections seen failing while
    reading (the diagnosis reads them): read again, added to ``session.records``
    in artifact and line order. Returns how many."""
    lazy = getattr(session, "attls", None)
    if lazy is None:
        return 0
    want: dict[str, list[tuple[int, Conn]]] = {}
    for c in lazy.conns:
        if not c.fail:
            continue
        if c.lines:
            want.setdefault(c.art, []).extend((n, c) for n in c.lines)
            c.lines = array("I")
        for aid, more in (c.more or {}).items():
            want.setdefault(aid, []).extend((n, c) for n in more)
        c.more = None
    if not want:
        return 0
    added = []
    for aid, items in want.items():
        art = session.artifact(aid)
        if art is None:
            continue
        items.sort(key=lambda x: x[0])
        for n, c in items:
            rec = parse_line(art.line(n), art, n)
            if rec is None:
                continue
            added.append(rec)
            lazy.at[(aid, n)] = c
            lazy.lazy -= 1
    if added:
        idx = {a.id: i for i, a in enumerate(session.artifacts)}
        session.records.extend(added)
        session.records.sort(key=lambda r: (idx.get(r.artifact, 0), r.line))
        session._by_id = None
    return len(added)
