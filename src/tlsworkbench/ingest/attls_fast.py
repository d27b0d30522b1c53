"""The join rule for the routine AT-TLS trace lines of a syslogd file, and the
line-by-line reference pass over them.

Big files are read by ingest/columnar.py (a vectorised pass in polars), which
sends the first line of each run of a connection's lines through
:meth:`Joiner.join` and every line it does not take for certain through
:meth:`Joiner.one`; :meth:`Joiner.filter_blocks` below is the same reading
line by line, kept as the reference for the tests and for a Python without
polars.

At trace level 255 a stack writes ten or more lines for every healthy
connection (EZD1281I map, EZD1282I start, EZD1284I flow, EZD1283I event,
EZD1285I data). They carry nothing the diagnosis needs beyond what the
connection already holds, so they are not materialised: :class:`Joiner` finds
the canonical BSD-headered lines in blocks of text with one compiled pattern
(``_LINE``, one branch per message id), joins it to its connection while reading (on system and CONNID, as
model/correlate.py does) and keeps only its line number in the connection's
``lines`` array. ``Session.record(id)`` re-reads such a line on demand.

Lines that matter stay records, read by the syslogd reader as before and joined
to the same connection by correlation (``Joiner.at``): any line with RC != 0,
EZD1286I, environment lines (CONNID 00000000), ``Set GSK_KEYRING_FILE``, and
every line not in the canonical layout. The lines of a connection seen failing
while reading are materialised at the end (ingest/attls_failing.py).
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterable, Iterator
from itertools import islice

from tlsworkbench.ingest.msgfields import PREFIXES, WANTED
from tlsworkbench.ingest.syslogd import minute_time, parse_line
from tlsworkbench.model.correlate_base import REUSE_GAP, Conn, add_cid, latest_joinable, norm_ip

NULL_ID = "00000000"

# One canonical BSD-headered AT-TLS line, after the line end before it:
# "Mar 12 13:59:02 MVS3 TCPIPT[67174435]: 13:59:02 TCPIPT   EZD1284I TTLS Flow  GRPID: ..."
# Groups (0-based, as in ``m.groups()``): 0 time, 1 system, 2 tag, 3 stack;
# 4-8 the usual EZD1282I-EZD1284I line (RC 0, no key ring; 6 GRPID, 7 ENVID,
# 8 CONNID), 9 the CONNID of EZD1285I: these need nothing but their connection
# (never CONNID 00000000, an environment's line).
# Every other AT-TLS line: EZD1281I 10-18 (11-14 local and remote address and
# port), EZD1282I/3I/4I/6I 19-28 (25-28 the endpoints of EZD1286I).
_H = r"([0-9A-F]{8})"
_EP = r"(\S+)\.\.(\d+)"  # "10.1.1.1..21", "::FFFF:10.1.1.1..21": address and port
_NULL = "00000000"  # the CONNID of an environment line: never on the short path
_LINE = re.compile(
    r"\n([A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d) (\S+) ([^\s\[:]+(?:\[\d+\])?): "
    r"(?:\d\d:\d\d:\d\d ([A-Z0-9$#@]{1,8}) +)?"
    r"EZD128(?:"
    rf"(?:(2)|(3)|4)I TTLS \w+ +GRPID: {_H} ENVID: {_H} CONNID: (?!{_NULL}){_H} "
    r"(?(5)[A-Za-z]+(?: [A-Za-z]+)* ACTIONS: |RC: +0+ "
    r"(?(6)(?!(?:Call|Get|Set) \S+ -)[A-Za-z]|(?:Call|Get|Set) (?!GSK_KEYRING_FILE -)\S+ -))"
    rf"|5I TTLS \w+ +CONNID: (?!{_NULL}){_H} \S+ \S+"
    rf"|1I TTLS \w+ +CONNID: {_H} LOCAL: {_EP} REMOTE: {_EP} "
    r"JOBNAME: ([A-Z0-9$#@]+) USERID: ([A-Z0-9$#@]+) TYPE: (\S+) STATUS: \S+(?: \S+)? RULE: (\S+) ACTIONS: "
    rf"|([2346])I TTLS \w+ +GRPID: {_H} ENVID: {_H} CONNID: {_H} "
    r"(?:[A-Za-z]+(?: [A-Za-z]+)* ACTIONS: |RC: +(\d+) (?:(?:Call|Get|Set) (\S+) -|[A-Za-z])"
    rf"|LOCAL: {_EP} REMOTE: {_EP} ))")
# The same pattern for a block that is all ASCII (``str.isascii``): there it
# matches exactly what ``_LINE`` matches, about a quarter faster.
_LINE_ASCII = re.compile(_LINE.pattern, re.ASCII)
BATCH = 8192
# A line the syslogd reader would only count as a plain line (``quick_plain``)
# has a BSD header (syslogd.BSD) and no message id the reader reads: no
# msgfields.WANTED start that can follow one of msgfields.PREFIXES, no
# "EZD12"/"EZD205" (the reader's AT-TLS path) and no CMS status code "0335".
# A gap between two routine lines in which ``_NOTE`` finds nothing is counted
# in bulk (see ``filter_blocks``); any other gap goes to the reader line by line.
_TOKENS = sorted({w for w in WANTED if w[:3] in PREFIXES or any(p.startswith(w) for p in PREFIXES)}
                 | {"EZD12", "EZD205", "0335"})
_NOTE = re.compile(r"\n(?!(?:<\d{1,3}>)?[A-Z][a-z]{2} {1,2}\d{1,2} \d\d:\d\d:\d\d(?:\.\d+)? "
                   r"\S+ [^\s\[:]+(?:\[\d+\])?:)|" + "|".join(map(re.escape, _TOKENS)))


class Joiner:
    """Connections of the routine AT-TLS lines of a session, joined while reading."""

    def __init__(self):
        self.conns: list[Conn] = []
        """Connections in order of creation."""
        self.by_cid: dict[tuple, Conn | list[Conn]] = {}
        self.at: dict[tuple, Conn] = {}
        """(artifact id, line) of a line handed to the reader (kept as a record) ->
        the connection it was joined to."""
        self.times: dict = {}
        self.days: dict = {}
        self.hdrs: dict = {}
        self.strs: dict = {}
        self.years: tuple | None = None
        """(year by system, any year) borrowed by the loader for lines without a year."""
        self.art_idx: dict[str, int] = {}
        self.arts: dict = {}
        """artifact id -> Artifact of the files read in columns (``settle`` reads lines again)."""
        self.lazy = 0
        """Lines kept as line numbers only."""
        self._pkey = self._pt = None
        self.table = None
        """polars DataFrame of the healthy connections read in bulk (ingest/columnar_settle.py;
        its columns: ``model/conntable.READ_COLUMNS``), or None."""
        self.segs: list = []
        """The columnar read's runs of routine lines (polars frames, one per batch), joined
        into connections by ``settle``."""
        self.deferred: list | None = None
        """(order, groups, artifact id, line) of the lines ``_take`` would have joined during a
        columnar read: joined by ``settle`` (None: join while reading)."""

    def settle(self) -> None:
        """After every file is read: the connections of the columnar read (``segs``,
        ``deferred``) joined: ``table`` for the connections no line of which needs the
        rule, ``conns`` for the others (ingest/columnar_settle.py)."""
        if self.segs or self.deferred:
            from tlsworkbench.ingest.columnar_settle import settle

            settle(self)
        self.segs = []
        self.deferred = None

    # -- reading ---------------------------------------------------------------
    def filter(self, lines: Iterable[tuple[int, str]], art, art_idx: int) -> Iterator[tuple[int, str]]:
        """The lines the reader still has to see: routine AT-TLS lines are joined
        here and counted as records of ``art``, everything else passes through."""
        return self.filter_blocks(_runs(lines), art, art_idx)

    def filter_blocks(self, blocks: Iterable[tuple[int, list[str]]], art,
                      art_idx: int) -> Iterator[tuple[int, str]]:
        """``filter`` over blocks of consecutive lines (``decode.iter_blocks``):
        each block is joined into one text so that one pattern (``_LINE``) finds
        the canonical AT-TLS lines at C speed; the lines between two matches go to
        the reader as ``(line number, text)``, except runs of BSD-headered lines of
        other daemons that the reader would only count (``_NOTE``).
        Just before the next line the reader sees comes ``(plain, routine)``, two
        ints: the plain lines counted in bulk (the reader counts them as records)
        and the routine lines joined here since the last such pair (counted as
        records here); both are headered lines that close an open message, as
        they would have in the reader."""
        self.art_idx[art.id] = art_idx
        if self.by_cid is None:
            self.by_cid = self.cid_map()
        aid = art.id
        finditer_u = _LINE.finditer
        finditer_a = _LINE_ASCII.finditer
        take = self._take
        order_base = art_idx << 32
        lazy = 0
        note = _NOTE.search
        plain = 0  # plain lines counted in bulk, not yet reported to the reader
        told = 0  # routine lines (``lazy``) reported to the reader so far
        for first, texts in blocks:
            text = getattr(texts, "text", None) or "\n" + "\n".join(texts)
            j = 0  # index in the block of the line at ``prev``
            prev = 0
            nxt = 0  # first line not yet handed on or joined
            gpos = -1  # the line end before line ``nxt`` is the first "\n" after this
            for m in (finditer_a if text.isascii() else finditer_u)(text):
                s = m.start()
                j += text.count("\n", prev, s)
                prev = s
                got = take(m.groups(), first + j, aid, order_base)
                if got is not True:
                    continue  # kept (a record joined here) or not taken: handed on with the lines around it
                if j > nxt:
                    if note(text, text.find("\n", gpos + 1), s):
                        if plain or lazy != told:
                            yield plain, lazy - told
                            plain, told = 0, lazy
                        yield from zip(range(first + nxt, first + j), texts[nxt:j])
                    else:  # plain lines of other daemons only
                        plain += j - nxt
                nxt = j + 1
                gpos = s
                lazy += 1
            if nxt < len(texts):
                if note(text, text.find("\n", gpos + 1)):
                    if plain or lazy != told:
                        yield plain, lazy - told
                        plain, told = 0, lazy
                    yield from zip(range(first + nxt, first + len(texts)), texts[nxt:])
                else:
                    plain += len(texts) - nxt
            if len(self.strs) > 100_000:
                self.strs.clear()
        if plain or lazy != told:
            yield plain, lazy - told
        self.lazy += lazy
        art.records += lazy
        self.times.clear()

    def _take(self, g: tuple, n: int, aid: str, order_base: int):
        """Line ``n`` matched by ``_LINE`` (its groups ``g``) joined to its
        connection: True for a routine line (kept as its number), False for a
        line kept as a record (joined here, read by the reader), None for a line
        not taken (the reader reads it; correlation joins its record)."""
        ep = self._ep
        hdrs = self.hdrs
        join = self.join
        cid = g[8]
        if cid is not None:  # EZD1282I-EZD1284I: only the connection
            mid = local = remote = None
            keep = False
            grp = g[6]
        elif g[9] is not None:  # EZD1285I
            cid = g[9]
            mid = local = remote = grp = None
            keep = False
        else:  # every other AT-TLS line: what it is decides
            keep = fail = False
            local = remote = grp = None
            d = g[19]
            if g[10] is not None:  # EZD1281I
                mid = "EZD1281I"
                cid = g[10]
                local, remote = ep(g[11], g[12]), ep(g[13], g[14])
                if local is None or remote is None:
                    return None
            else:
                cid = g[22]
                rc = g[23]
                grp = g[20]
                if d == "4":
                    mid = "EZD1284I"
                    if g[24] is None:
                        return None
                    if g[24] == "GSK_KEYRING_FILE":
                        keep = True
                elif d == "2":
                    mid = "EZD1282I"
                    if rc is not None or g[25] is not None:
                        return None
                elif d == "3":
                    mid = "EZD1283I"
                    if rc is None or g[24] is not None:
                        return None
                else:
                    mid = "EZD1286I"
                    if g[25] is None:
                        return None
                    keep = fail = True
                    local, remote = ep(g[25], g[26]), ep(g[27], g[28])
                if rc is not None and rc != "0" and rc.strip("0"):
                    keep = fail = True  # a return code: a record
            if cid == NULL_ID:
                return None  # environment line: the reader makes a record, correlation attaches it
        if self.deferred is not None:  # the columnar read: joined by settle(), in line order
            self.deferred.append((order_base | n, g, aid, n))
            return False if keep else True
        t = self._t(g[0])
        stack = g[3]
        if stack is None:
            stack = hdrs.get(g[2])
            if stack is None:
                stack = hdrs[g[2]] = _tag_stack(g[2])
        if grp is not None:
            env = g[7] if g[8] is not None else g[21]
            c = join(g[1], stack, cid, mid, local, remote, t, grp, env, None, order_base | n, aid)
        elif mid == "EZD1281I":
            c = join(g[1], stack, cid, mid, local, remote, t, None, None, g[15:19],
                     order_base | n, aid)
        else:
            c = join(g[1], stack, cid, mid, local, remote, t, None, None, None,
                     order_base | n, aid)
        if keep:
            if fail:
                c.fail = True
            self.at[(aid, n)] = c
            return False
        if c.art != aid:  # a connection going on in another file of the session
            if c.more is None:
                c.more = {}
            c.more.setdefault(aid, array("I")).append(n)
        else:
            c.lines.append(n)
        return True

    def one(self, n: int, text: str, aid: str, order_base: int):
        """``_take`` for one line of text (ingest/columnar.py's lines that go the long way)."""
        m = (_LINE_ASCII if text.isascii() else _LINE).match("\n" + text)
        return None if m is None else self._take(m.groups(), n, aid, order_base)

    def join(self, system, stack, cid, mid, local, remote, t, grp, env, mapping, order, aid) -> Conn:
        """The connection a routine or kept AT-TLS line joins (made when none
        does), with the line's facts added: the one join rule of both reading
        paths (``filter_blocks`` and ingest/columnar.py; model/correlate.py
        applies the same ``latest_joinable`` to records). ``mapping``: (job,
        user, type, rule) of an EZD1281I; ``order``: artifact index << 32 | line."""
        by_cid = self.by_cid
        strs = self.strs
        ck = (system, cid)
        cands = by_cid.get(ck)  # a Conn, or a list of them when the CONNID was reused
        c = None
        lt = None
        if cands is not None:
            c = cands if type(cands) is Conn else cands[-1]
            lt = c.last
            if (c.stack != stack or local is not None
                    or (t is not None and lt is not None and lt < t - REUSE_GAP)):
                c = latest_joinable(cands if type(cands) is not Conn else (cands,), stack, local,
                                    remote, mid, t)
                if c is not None:
                    lt = c.last
        if c is None:
            system = strs.setdefault(system, system)
            c = Conn(system, order, False)
            c.connid = cid
            c.stack = strs.setdefault(stack, stack)
            c.art = aid
            c.first = c.last = lt = t
            c.lines = array("I")
            self.conns.append(c)
            add_cid(by_cid, c)
        if t is not lt and t is not None:  # lt: c.last
            if lt is None:
                c.last = t
                if c.first is None:
                    c.first = t
            elif t > lt:
                c.last = t
            elif c.first is None or t < c.first:
                c.first = t
        if local is not None:
            if c.local is None:
                c.local = local
            if c.remote is None:
                c.remote = remote
        if grp is not None:
            if c.grpid is None and grp != NULL_ID:
                c.grpid = strs.setdefault(grp, grp)
            if c.envid is None and env != NULL_ID:
                c.envid = strs.setdefault(env, env)
        elif mapping is not None:
            job, user, typ, rule = mapping
            c.mapped = True
            if c.job is None:
                c.job = strs.setdefault(job, job)
            if c.user is None:
                c.user = strs.setdefault(user, user)
            if c.rule is None:
                c.rule = strs.setdefault(rule, rule)
            typ = typ.lower()
            if typ.startswith("in"):
                c.role_hint = "server"
            elif typ.startswith("out"):
                c.role_hint = "client"
        return c

    def _t(self, key: str):
        """Time of a header ``"Mar 12 13:59:02"`` (cached, with the last one)."""
        if key == self._pkey:
            return self._pt
        times = self.times
        t = times.get(key, False)
        if t is False:
            if len(times) > 4096:
                times.clear()
            t = times[key] = self._time(key)
        self._pkey, self._pt = key, t
        return t

    def cid_map(self, keys=None) -> dict:
        """(system, CONNID) -> connection, or a list of them when a CONNID was
        reused, for the connections read so far (only ``keys`` when given)."""
        out: dict = {}
        for c in self.conns:
            if keys is None or (c.system, c.connid) in keys:
                add_cid(out, c)
        return out

    def compact(self) -> None:
        """Drop what only reading needs (rebuilt when another file is read)."""
        self.by_cid = None
        self.times.clear()
        self.days.clear()
        self.strs.clear()

    def _time(self, key: str):
        """Time of a BSD header ``"Mar 12 13:59:02"`` as the syslogd reader makes it
        (the pattern has checked the digits): its minute is computed once."""
        w = key[:12].split()
        return minute_time(self.days, w[0], w[1], w[2], int(key[13:15])) if len(w) == 3 else None

    @staticmethod
    def _ep(ip: str, port: str):
        """(address, port) of an endpoint the pattern split (``_EP``), or None."""
        p = int(port)
        if p > 65535:
            return None
        return (norm_ip(ip), p)

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


def _tag_stack(tag: str) -> str:
    """``"TCPIPT[67174435]"`` -> ``"TCPIPT"``: the stack of a line without the
    job name before the message id, as the syslogd reader takes it."""
    return tag.partition("[")[0].upper()


def _runs(lines: Iterable[tuple[int, str]]) -> Iterator[tuple[int, list[str]]]:
    """(first line number, texts) of runs of consecutive lines."""
    it = iter(lines)
    while True:
        batch = list(islice(it, BATCH))
        if not batch:
            return
        start = 0
        for k in range(1, len(batch)):
            if batch[k][0] != batch[k - 1][0] + 1:
                yield batch[start][0], [t for _, t in batch[start:k]]
                start = k
        yield batch[start][0], [t for _, t in batch[start:]]
