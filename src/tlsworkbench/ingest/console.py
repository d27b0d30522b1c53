"""Console logs: SDSF SYSLOG and OPERLOG, JES2 job logs, bare message lines.

Layouts (see docs/formats.md sections 1 and 2):

* SYSLOG / OPERLOG: fixed columns (record type, routing codes, system, date,
  time, job id, flags, text). A multi-line WTO starts with an ``M`` line whose
  text ends with a connect id; its ``D``/``E`` lines carry that id and may be
  interleaved with other lines.
* JES2 job log: ``hh.mm.ss JOBID  text``; continuation lines are indented and
  start with the connect id.
* Bare lines pasted from a console, a TSO FTP session or a document (bullets,
  the seed's ``AT MVS3 (SERVER):`` prefix), continuation lines recognised by
  their keywords.

Messages we understand become ``Record``s (fields from ``msgfields``); other
lines are plain and only counted. In a SYSLOG/OPERLOG a line that fits no
column layout becomes ``Unparsed``.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Iterable, Iterator

from tlsworkbench.ingest import msgfields
from tlsworkbench.ingest.common import (
    MONTHS, PendingMessage, combine, gc_paused, julian_date, msgid_severity,
)
from tlsworkbench.ingest.console_layout import (  # noqa: F401  (sniff: the reader interface)
    FAST_WANTED, HEADER, JES2_HEADER, JOBLOG_CONT, JOBLOG_DATE, JOBLOG_FIRST,
    REPLY, STARTED, SYSLOG_CONT, SYSLOG_FIRST, _interesting, _msgid_of, _strip_prefix, continues, job_owner, sniff)
from tlsworkbench.model import Artifact, Record, Unparsed
from tlsworkbench.model.entities import JobInfo

KIND = "console"
MAX_PENDING_LINES = 400  # a multi-line WTO whose end never comes is closed after this
_SYSLOG_TYPES = frozenset("NMWXSOILCDE")
ORPHAN = ("continuation line (D/E) with no open multi-line message to attach it to: its first "
          "line is not in the file or was not marked M (multi-line)")
_JOB_STARTS = ("$HASP373", "IEF403I", "IEF695I")


class _Msg(PendingMessage):
    """A console message being collected (one or more lines)."""

    __slots__ = ("job", "jobid", "cid", "kind", "date_known")

    def __init__(self, line, text, part, msgid, system, time, job, jobid, cid, kind, date_known=True):
        super().__init__(line, text, part, msgid, system, time)
        self.job = job
        self.jobid = jobid
        self.cid = cid
        self.kind = kind
        self.date_known = date_known


class _Reader:
    def __init__(self, art: Artifact):
        self.art = art
        self.mode: str | None = None  # "syslog", "joblog", "bare"
        self.pending: dict[str, _Msg] = {}  # SYSLOG multi-line WTOs by connect id
        self.open: _Msg | None = None  # a message that may take continuation lines
        self.held: list = []
        self.jobnames: dict[str, str] = {}
        self.day: date | None = None
        self.system: str | None = art.system
        self.dates: dict[str, date | None] = {}
        self.jobs: list[JobInfo] = []  # job owners the log names (IEF695I), yielded at the end

    # -- output ------------------------------------------------------------
    def finish(self, m: _Msg) -> None:
        text = " ".join(p for p in m.parts if p)
        msgid = m.msgid
        res = None
        try:
            res = msgfields.parse_message(msgid, text)
            if res is None and msgid is None and REPLY.match(text):
                res = msgfields.ftp(None, text)
        except Exception as exc:  # a parser bug must not lose the line
            self.held.append(Unparsed(self.art.id, m.line, "\n".join(m.lines), f"message not read: {exc}"))
            return
        if res is None:
            self.art.records += len(m.lines)
            return
        fields, sev = res
        if m.jobid:
            fields["jobid"] = m.jobid
        if not m.date_known and m.time is not None:
            fields["date_known"] = False
        if sev == "info" and msgid:
            sev = msgid_severity(msgid)
        job = m.job
        if job is None and m.jobid:
            job = self.jobnames.get(m.jobid, m.jobid)
        self.held.append(Record(
            artifact=self.art.id, line=m.line, kind="message", text="\n".join(m.lines),
            end_line=m.end if m.end != m.line else 0, msgid=msgid, system=m.system or self.system,
            time=m.time, job=job, severity=sev, fields=fields))

    def close_open(self) -> None:
        if self.open is not None:
            m, self.open = self.open, None
            self.finish(m)

    def flush(self) -> Iterator:
        if self.held and not self.pending and self.open is None:
            held, self.held = self.held, []
            if len(held) > 1:
                held.sort(key=lambda r: r.line)
            yield from held

    def drain(self) -> Iterator:
        self.close_open()
        for m in list(self.pending.values()):
            self.finish(m)
        self.pending.clear()
        yield from self.flush()
        yield from self.jobs
        self.jobs = []

    def expire(self, n: int) -> None:
        for cid, m in list(self.pending.items()):
            if n - m.end > MAX_PENDING_LINES:
                del self.pending[cid]
                self.finish(m)

    # -- lines ---------------------------------------------------------------
    def line(self, n: int, text: str) -> None:
        if not text.strip():
            self.close_open()
            self.art.records += 1
            return
        c0 = text[0]
        if c0 == " " and self.mode != "joblog" and text[1:2] in _SYSLOG_TYPES and text[2:3] in " CR" \
                and (SYSLOG_FIRST.match(text[1:]) or SYSLOG_CONT.match(text[1:])):
            text = text[1:]  # copied from the SDSF panel with the blank column in front
            c0 = text[0]
        elif c0 == " " and text[1:2].isdigit() and JOBLOG_FIRST.match(text[1:]):
            text = text[1:]  # a job log printed with a blank carriage-control column
            c0 = text[0]
        if c0 in "DE" and self.mode == "syslog":
            m = SYSLOG_CONT.match(text)
            if m:
                self.cont_syslog(n, text, m)
                return
        if c0 in "NMWXSOILC":
            if self.syslog_fast(n, text):
                return
            m = SYSLOG_FIRST.match(text)
            if m:
                self.first_syslog(n, text, m.group(1), m.group(4), m.group(5), m.group(6),
                                  m.group(7), m.group(9))
                return
        if c0.isdigit():
            m = JOBLOG_FIRST.match(text)
            if m:
                self.first_joblog(n, text, m)
                return
        if c0 == " " and self.mode == "joblog":
            m = JOBLOG_CONT.match(text)
            if m:
                self.cont_joblog(n, text, m)
                return
        if c0 in "DE":
            m = SYSLOG_CONT.match(text)
            if m:
                self.cont_syslog(n, text, m)
                return
        self.other(n, text)

    def syslog_fast(self, n: int, text: str) -> bool:
        """Column positions of a real SDSF SYSLOG line, without a regex."""
        if len(text) < 38 or text[27] != ":" or text[30] != ":" or text[24] != " " or text[9] != " ":
            return False
        day = text[19:24]
        if not day.isdigit():
            return False
        self.first_syslog(n, text, text[0], text[10:18].strip(), day, text[25:36],
                          text[37:45].strip() or None, text[56:] if len(text) > 56 else "")
        return True

    def date(self, s: str) -> date | None:
        d = self.dates.get(s, False)
        if d is False:
            d = julian_date(s)
            self.dates[s] = d
        return d

    def first_syslog(self, n, text, rtype, system, day, clock, jobid, body) -> None:
        self.mode = self.mode or "syslog"
        body = body or ""
        msgid = _msgid_of(body)
        if msgid and msgid[:4] in ("$HAS", "IEF4", "IEF6") \
                and self.learn_job(body.lstrip(" *@+"), jobid, n, system, text):
            self.close_open()
            return
        part = body.lstrip(" *@+")
        if msgid == "ICH408I" and self.merge_ich(n, text, part, system):
            return
        self.close_open()
        if not _interesting(body) or msgid is None and not REPLY.match(body.lstrip()) and "0335" not in body:
            self.art.records += 1
            return
        t = combine(self.date(day), clock)
        cid = None
        if rtype == "M":
            mm = re.search(r"\s(\d{1,8})\s*$", part)
            if mm:
                cid = mm.group(1).lstrip("0") or "0"
                part = part[:mm.start()]
        msg = _Msg(n, text.rstrip(), part, msgid, system, t, None, jobid, cid, "syslog")
        if cid is not None:
            old = self.pending.pop(cid, None)
            if old is not None:
                self.finish(old)
            self.pending[cid] = msg
            if len(self.pending) > 8:
                self.expire(n)
        else:
            self.open = msg

    def merge_ich(self, n, text, part, system) -> bool:
        """``ICH408I`` lines written one by one: join them to the first one."""
        o = self.open
        body = part[7:].lstrip()
        if (o is not None and o.msgid == "ICH408I" and not body.startswith(("USER(", "JOB("))
                and o.system == system and n - o.end <= 8):
            o.add(n, text.rstrip(), body)
            return True
        return False

    def cont_syslog(self, n, text, m) -> None:
        cid = m.group(3).lstrip("0") or "0"
        msg = self.pending.get(cid)
        if msg is None:
            o = self.open
            if o is not None and o.kind == "syslog" and o.cid is None and o.end == n - 1 \
                    and o.lines[0][:1] == "M":
                # a first line that lost its connect id (retyped or cut): adopt the id
                msg, o.cid, self.open = o, cid, None
                self.pending[cid] = msg
            else:
                if self.mode is None:
                    self.mode = "syslog"
                self.held.append(Unparsed(self.art.id, n, text, ORPHAN))  # visible, never dropped
                return
        msg.add(n, text.rstrip(), (m.group(5) or "").strip())
        if m.group(1) == "E":
            del self.pending[cid]
            self.finish(msg)

    def learn_job(self, body: str, jobid: str | None, n: int = 0, system: str | None = None,
                  line: str = "") -> bool:
        """Learn the job name of a job id; True when the line named the job's user
        (IEF695I) and became a record (the caller does not count it as plain)."""
        mm = STARTED.match(body)
        if mm and jobid:
            self.jobnames[jobid] = mm.group(1) or mm.group(2) or mm.group(3)
        got = job_owner(self.art.id, n, body, line, system or self.system, jobid)
        if got is None:
            return False
        self.held.append(got[0])
        self.jobs.append(got[1])
        return True

    def first_joblog(self, n, text, m) -> None:
        if self.mode == "syslog":
            self.close_open()
            self.held.append(Unparsed(self.art.id, n, text, "a job log line inside a SYSLOG/OPERLOG"))
            return
        self.mode = self.mode or "joblog"
        body = m.group(5)
        if not (body.lstrip(" *@+").startswith("ICH408I") and self.open is not None):
            self.close_open()
        jobid = m.group(4)
        md = JOBLOG_DATE.search(body)
        if md:
            mon = MONTHS.get(md.group(2).lower())
            try:
                self.day = date(int(md.group(3)), mon, int(md.group(1))) if mon else self.day
            except ValueError:
                pass
            self.art.records += 1
            return
        msgid = _msgid_of(body)
        if msgid and msgid[:4] in ("$HAS", "IEF4", "IEF6") \
                and self.learn_job(body.lstrip(" *@+"), jobid, n, self.system, text):
            return
        if msgid is None or not _interesting(body):
            self.art.records += 1
            return
        h, mi, s = int(m.group(1)), int(m.group(2)), int(m.group(3))
        t = None
        if h < 24 and mi < 60 and s < 60:
            d = self.day or date(1900, 1, 1)
            t = datetime(d.year, d.month, d.day, h, mi, s)
        part = body.lstrip(" *@+")
        if msgid == "ICH408I" and self.merge_ich(n, text, part, self.system):
            return
        self.close_open()
        mm = re.search(r"\s(\d{1,8})\s*$", part) if msgid == "EZD1287I" else None
        cid = None
        if mm:
            cid = mm.group(1).lstrip("0") or "0"
            part = part[:mm.start()]
        self.open = _Msg(n, text.rstrip(), part, msgid, self.system, t, None, jobid, cid, "joblog",
                         self.day is not None)

    def cont_joblog(self, n, text, m) -> None:
        o = self.open
        if o is None:
            self.art.records += 1
            return
        cid = m.group(1).lstrip("0") or "0"
        if o.cid is None:
            o.cid = cid
        if o.cid != cid:
            self.close_open()
            self.art.records += 1
            return
        o.add(n, text.rstrip(), m.group(2).strip())

    def other(self, n: int, text: str) -> None:
        mh = JES2_HEADER.search(text)
        if mh:
            self.close_open()
            self.system = mh.group(1).replace(" ", "") or self.system
            self.mode = self.mode or "joblog"
            self.art.records += 1
            return
        if self.mode == "syslog":
            self.close_open()
            if HEADER.match(text) or text[:1] in " 1":
                self.art.records += 1
                return
            self.held.append(Unparsed(self.art.id, n, text, "not in the SYSLOG/OPERLOG column layout"))
            return
        body, system = _strip_prefix(text)
        o = self.open
        if o is not None and continues(o, text, body):
            o.add(n, text.rstrip(), body)
            return
        msgid = _msgid_of(body)
        if msgid == "ICH408I" and self.merge_ich(n, text, body, system or self.system):
            return
        self.close_open()
        reply = msgid is None and self.mode != "joblog" and (text[:1].isdigit() or text[:1] in "•·▪-*.") \
            and REPLY.match(body) is not None
        if (msgid is None and not reply and "0335" not in body) or not _interesting(body):
            self.art.records += 1
            return
        part = body
        cid = None
        if msgid == "EZD1287I":
            mm = re.search(r"\s(\d{1,8})\s*$", part)
            if mm:
                cid = mm.group(1)
                part = part[:mm.start()]
        self.open = _Msg(n, text.rstrip(), part, msgid, system or self.system, None, None, None, cid,
                         "bare")


def read(lines: Iterable[tuple[int, str]], art: Artifact) -> Iterator:
    with gc_paused():
        yield from _read(lines, art)


def _read(lines: Iterable[tuple[int, str]], art: Artifact) -> Iterator:
    r = _Reader(art)
    n = 0
    plain = 0
    wanted = FAST_WANTED
    for n, text in lines:
        # Fast lane for the plain lines of a SYSLOG: right columns, nothing of ours.
        if r.mode == "syslog" and r.open is None and text[27:28] == ":" and text[:1] in "NWXSOILC" \
                and text[30:31] == ":" and text[19:24].isdigit():
            body = text[56:].lstrip(" *@+")
            if not body.startswith(wanted) and "0335" not in body and not body[:1].isdigit():
                plain += 1
                continue
            if body.startswith(_JOB_STARTS):
                if not r.learn_job(body, text[37:45].strip() or None, n, text[10:18].strip() or None, text):
                    plain += 1
                continue
        elif not r.pending and r.open is None and text[:1] in "DE" and r.mode == "syslog" \
                and text[54:56] == "  ":
            r.held.append(Unparsed(art.id, n, text, ORPHAN))  # visible, never dropped silently
            yield from r.flush()
            continue
        try:
            r.line(n, text)
        except Exception as exc:  # never raise: the line is kept with the reason
            r.close_open()
            r.held.append(Unparsed(art.id, n, text, f"line not read: {type(exc).__name__}: {exc}"))
        if r.held:
            yield from r.flush()
        if r.pending and n % 64 == 0:
            r.expire(n)
    art.records += plain
    yield from r.drain()
