"""syslogd files with the AT-TLS trace messages EZD1281I-EZD1286I.

A line is an optional syslogd header, then (for AT-TLS) the creation time and
the TCP/IP job name, then the message:

    Mar 12 13:59:02 MVS3 TCPIPT[67174435]: 13:59:02 TCPIPT   EZD1284I TTLS Flow ...
    <134>1 2014-03-12T13:59:02.91-05:00 MVS3 TCPIPT 67174435 - - 13:59:02 TCPIPT   EZD1284I ...
    13:59:02 TCPIPT   EZD1284I TTLS Flow ...
    EZD1284I TTLS Flow GRPID: 00000001 ...        (retyped; may wrap over several lines)

A BSD header has no year: the record's time gets the current year as a
placeholder and ``fields["year_known"] = False`` (the loader then borrows the
year from another artifact). A line with a clock but no date gets the date
1900-01-01 and ``fields["date_known"] = False``. Lines of other daemons are
plain; FTP/TN3270 server messages we know are read as in a console.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Iterable, Iterator

from tlsworkbench.ingest import msgfields
from tlsworkbench.ingest.common import MONTHS, PendingMessage, gc_paused, iso_time, parse_clock
from tlsworkbench.model import Artifact, Record, Unparsed

KIND = "syslogd"

BSD = re.compile(r"^(?:<\d{1,3}>)?([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d\d:\d\d:\d\d)(?:\.\d+)? (\S+) ([^\s\[:]+)(?:\[(\d+)\])?: ?(.*)$")
RFC5424 = re.compile(r"^<\d{1,3}>1 (\S+) (\S+) (\S+) (\S+) (\S+) (-|\[.*?\]) ?(.*)$")
BODY = re.compile(r"^(?:(\d\d:\d\d:\d\d) +([A-Z0-9$#@]{1,8}) +)?(EZD128[1-7]I|EZD205[2-4]I)\b ?(.*)$")
OTHER_MSG = re.compile(r"^(?:(\d\d:\d\d:\d\d) +([A-Z0-9$#@]{1,8}) +)?([A-Z]{3}[A-Z]{0,3}\d{2,5}[A-Z]?)\b")
CONT_HINT = re.compile(r"^(?:LOCAL|REMOTE|JOBNAME|USERID|GRPID|ENVID|CONNID|RULE|RC|ACTIONS|TYPE|STATUS):|"
                       r"^[0-9A-F]{8}(?:\s|$)|^[A-Z0-9$#@]{1,8}\s+(?:USERID|RULE|RC):")

# The message part of the usual AT-TLS line, matched from the message id on
# (msgfields.FAST_BODY); the header before it is split without a regex.
_FAST_BODY = {msgid: re.compile(msgid + r" TTLS \w+ +" + body)
              for msgid, body in msgfields.FAST_BODY.items()}

_SPLIT_IDS = frozenset(("EZD1283I", "EZD1284I", "EZD1285I"))

MAX_WRAP = 8  # continuation lines of one retyped message

_THIS_YEAR = datetime.now().year


def sniff(head: list[str], name: str) -> int:
    lines = [ln for ln in head if ln.strip()]
    if not lines:
        return 0
    hdr = attls = syslog_cols = 0
    for ln in lines:
        m = BSD.match(ln) or RFC5424.match(ln)
        body = (m.group(7) if m else ln).strip()
        if m:
            hdr += 1
        if BODY.match(body):
            attls += 1
            if "EZD1287I" in body and not m:
                attls -= 1  # the console form
        elif ln[:1] in "NMDE" and len(ln) > 40 and ln[27:28] == ":":
            syslog_cols += 1
    n = len(lines)
    if syslog_cols * 2 >= n:
        return 0
    if attls and hdr * 2 >= n:
        return 95
    if attls * 3 >= n:
        return 70
    if attls:
        return 30
    if hdr * 2 >= n:
        return 40
    return 0


class _Msg(PendingMessage):
    """A syslogd message being collected (retyped messages wrap over lines)."""

    __slots__ = ("stack", "flags")

    def __init__(self, line, text, part, msgid, system, time, stack, flags):
        super().__init__(line, text, part, msgid, system, time)
        self.stack = stack
        self.flags = flags


_SECONDS = [timedelta(seconds=k) for k in range(60)]


def minute_time(minutes: dict, mon: str, day: str, hhmm: str, sec: int) -> datetime | None:
    """``_bsd_time`` worked out once per minute (``minutes`` keeps them) plus the
    seconds: the same value for every second a clock can show (60 is taken as
    59, as ``parse_clock`` does; more is no time)."""
    if sec > 60:
        return None
    mkey = (mon, day, hhmm)
    base = minutes.get(mkey, False)
    if base is False:
        base = minutes[mkey] = _bsd_time(mon, day, hhmm + ":00")
    return base + _SECONDS[min(sec, 59)] if base is not None else None


def _bsd_time(mon: str, day: str, clock: str) -> datetime | None:
    m = MONTHS.get(mon.lower())
    c = parse_clock(clock)
    if not m or c is None:
        return None
    for year in (_THIS_YEAR, 2000):  # 2000: a leap year, for 29 February
        try:
            return datetime(year, m, int(day), c[0], c[1], c[2])
        except ValueError:
            continue
    return None


class _Reader:
    def __init__(self, art: Artifact):
        self.art = art
        self.open: _Msg | None = None
        self.headered = 0
        self.bare = 0
        self.times: dict = {}
        self.minutes: dict = {}
        self.strs: dict[str, str] = {}  # repeated field values, stored once

    def finish(self, m: _Msg) -> Iterator:
        text = " ".join(m.parts)
        try:
            res = msgfields.parse_message(m.msgid, text)
        except Exception as exc:
            yield Unparsed(self.art.id, m.line, "\n".join(m.lines), f"message not read: {exc}")
            return
        if res is None:
            self.art.records += len(m.lines)
            return
        fields, sev = res
        fields.update(m.flags)
        if m.stack and m.msgid and m.msgid.startswith("EZD"):
            fields["stack"] = m.stack
        yield Record(artifact=self.art.id, line=m.line, kind="message", text="\n".join(m.lines),
                     end_line=m.end if m.end != m.line else 0, msgid=m.msgid,
                     system=m.system or self.art.system, time=m.time, job=m.stack, severity=sev,
                     fields=fields)

    def close(self) -> Iterator:
        if self.open is not None:
            m, self.open = self.open, None
            yield from self.finish(m)

    def bsd_time(self, mon: str, day: str, clock: str) -> datetime | None:
        key = (mon, day, clock)
        t = self.times.get(key, False)
        if t is False:
            sec = clock[6:8]
            if len(clock) == 8 and sec.isdigit():
                t = minute_time(self.minutes, mon, day, clock[:5], int(sec))
            else:
                t = _bsd_time(mon, day, clock)
            if len(self.times) > 100_000:
                self.times.clear()
                self.minutes.clear()
            self.times[key] = t
        return t

    def fast(self, n: int, text: str) -> Record | None:
        """The usual BSD-headered AT-TLS line as a Record, or None to take the long way."""
        if text[3:4] != " " or text[15:16] != " " or text[12:13] != ":":
            return None
        w = text.split()
        # Mar 12 13:59:02 MVS3 TCPIPT[67174435]: [13:59:02 TCPIPT] EZD1284I TTLS Flow ...
        if len(w) > 9 and w[7][:6] == "EZD128" and w[5][2:3] == ":" and w[4][-1:] == ":":
            k, stack = 7, w[6]
        elif len(w) > 7 and w[5][:6] == "EZD128" and w[4][-1:] == ":":
            k, stack = 5, w[4].partition("[")[0].rstrip(":").upper()
        else:
            return None
        msgid = w[k]
        if w[k + 1] != "TTLS":
            return None
        if msgid in _SPLIT_IDS:
            strs = self.strs
            if len(strs) > 50_000:
                strs.clear()
            res = msgfields.split_fields(msgid, w[k + 3:], strs)
            stack = strs.setdefault(stack, stack)
        else:
            rx = _FAST_BODY.get(msgid)
            m = rx.match(text, text.find(msgid)) if rx is not None else None
            res = msgfields.fast_fields(msgid, m.groups()) if m is not None else None
        if res is None:
            return None
        fields, sev = res
        key = text[:15]
        t = self.times.get(key, False)
        if t is False:
            t = _bsd_time(w[0], w[1], w[2])
            self.times[key] = t
        fields["year_known"] = False
        fields["stack"] = stack
        self.headered += 1
        return Record(self.art.id, n, "message", text, 0, msgid, w[3], t, stack, sev, fields)

    def line(self, n: int, text: str) -> Iterator:
        if "EZD12" not in text and "EZD205" not in text:
            yield from self.plain_line(n, text)
            return
        system = stack = None
        t = None
        flags: dict = {}
        body = text
        m = BSD.match(text)
        if m:
            self.headered += 1
            key = (m.group(1), m.group(2), m.group(3))
            t = self.times.get(key, False)
            if t is False:
                t = _bsd_time(*key)
                self.times[key] = t
            system, stack, body = m.group(4), m.group(5), m.group(7)
            flags["year_known"] = False
        else:
            m = RFC5424.match(text)
            if m:
                self.headered += 1
                t = iso_time(m.group(1))
                system = m.group(2) if m.group(2) != "-" else None
                stack = m.group(3) if m.group(3) != "-" else None
                body = m.group(7)
        b = BODY.match(body.lstrip())
        if b is None:
            yield from self.plain_line(n, text, headered=m is not None)
            return
        yield from self.close()
        if b.group(2):
            stack = b.group(2)
        if t is None and b.group(1):
            t = _clock_only(b.group(1))
            flags["date_known"] = False
        msgid = b.group(3)
        part = msgid + " " + b.group(4)
        msg = _Msg(n, text.rstrip(), part, msgid, system, t, stack.upper() if stack else None, flags)
        if m is None:
            self.bare += 1
            self.open = msg  # a retyped message may go on over the next lines
        else:
            yield from self.finish(msg)

    def plain_line(self, n: int, text: str, headered: bool | None = None) -> Iterator:
        s = text.strip()
        if not s:
            yield from self.close()
            self.art.records += 1
            return
        o = self.open
        if o is not None and len(o.lines) <= MAX_WRAP and not BSD.match(text) and CONT_HINT.match(s):
            o.end = n
            o.lines.append(text.rstrip())
            o.parts.append(s)
            return
        yield from self.close()
        if headered is None:
            m = BSD.match(text) or RFC5424.match(text)
            headered = m is not None
            body = m.group(7) if m else s
        else:
            body = s
        if headered:
            self.headered += 1
        lead = body.lstrip()
        om = OTHER_MSG.match(lead)
        # a message parse_message reads (msgfields.wanted); any other stays plain
        if om and om.group(3)[:3] in msgfields.PREFIXES and msgfields.wanted(lead[om.start(3):]) \
                or "0335" in body:
            yield from self.other_message(n, text, body, om)
            return
        if not headered and self.headered > 0 and self.headered >= 3 * max(1, self.bare) and \
                not _looks_like_text(s):
            yield Unparsed(self.art.id, n, text, "not a syslogd line (no header)")
            return
        self.art.records += 1

    def quick_plain(self, text: str) -> bool:
        """A BSD-headered line of another daemon that is not a message we read,
        with no message open: counted as a plain line (what ``plain_line`` does
        with it, without its generators), True. A headered message we read:
        ``(match, body, other)`` for ``other_message``. False: take the long way."""
        m = BSD.match(text)
        if m is None or not text.strip():
            return False
        body = m.group(7)
        lead = body.lstrip()
        om = OTHER_MSG.match(lead)
        if om and om.group(3)[:3] in msgfields.PREFIXES and msgfields.wanted(lead[om.start(3):]) \
                or "0335" in body:
            return m, body, om  # a message we read: ``other_message`` with these
        self.headered += 1
        self.art.records += 1
        return True

    def other_message(self, n, text, body, om, m=False) -> Iterator:
        if m is False:
            m = BSD.match(text)
        t = None
        flags: dict = {}
        system = stack = None
        if m:
            t = self.bsd_time(m.group(1), m.group(2), m.group(3))
            flags["year_known"] = False
            system, stack = m.group(4), m.group(5)
        msgid = om.group(3) if om else None
        part = body.lstrip()[om.start(3):] if om else body.strip()
        msg = _Msg(n, text.rstrip(), part, msgid, system, t, stack, flags)
        yield from self.finish(msg)


def _clock_only(clock: str) -> datetime | None:
    c = parse_clock(clock)
    if c is None:
        return None
    return datetime(1900, 1, 1, c[0], c[1], c[2])


def _looks_like_text(s: str) -> bool:
    """Comment or title lines a user leaves in a saved log."""
    return s[:1] in "#*-=" or s.isupper() and len(s) < 60


def read(lines: Iterable[tuple[int, str]], art: Artifact) -> Iterator:
    r = _Reader(art)
    fast = r.fast
    plain = r.quick_plain
    with gc_paused():
        for n, text in lines:
            if type(text) is int:  # attls_fast: n plain lines, text routine lines not passed on
                r.headered += n + text
                art.records += n
                if r.open is not None:
                    yield from r.close()
                continue
            try:
                if r.open is None:
                    if "EZD12" not in text:
                        if "EZD205" not in text:
                            got = plain(text)
                            if got is True:
                                continue
                            if got is not False:  # what plain_line does with it
                                r.headered += 1
                                yield from r.other_message(n, text, got[1], got[2], got[0])
                                continue
                    elif "EZD128" in text:
                        rec = fast(n, text)
                        if rec is not None:
                            yield rec
                            continue
                yield from r.line(n, text)
            except Exception as exc:  # never raise
                r.open = None
                yield Unparsed(art.id, n, text, f"line not read: {type(exc).__name__}: {exc}")
        yield from r.close()


def parse_line(text: str, art: Artifact, line: int) -> Record | None:
    """The Record the reader makes of one line read on its own (a line the
    AT-TLS fast path kept as a number, ingest/attls_fast.py); None when it makes
    none. ``art`` is not changed."""
    if "EZD128" in text:
        rec = _Reader(art).fast(line, text)
        if rec is not None:
            return rec
    tmp = Artifact(id=art.id, path=art.path, kind=art.kind, system=art.system)
    for item in read([(line, text)], tmp):
        if type(item) is Record:
            return item
    return None
