"""Reader for GSKSRVR component traces formatted by IPCS (``CTRACE COMP(GSKSRVR)
FULL``), in the wide IPCS layout or the compact one pasted into documents (with
``• ``, ``. `` or ``- `` bullets, 7-digit entry ids and other retyping slips).

Each trace entry becomes a ``TraceRecord`` and a ``Record`` of kind ``"trace"``
(fields ``job``, ``process``, ``thread``, ``function``, ``entry``, ``kind``,
``exit_status``) for the console-style view. Dump entries carry the
reassembled bytes; ``gsktrace_flow`` groups the entries into ``Handshake``
timelines with decoded TLS messages, and certificates found in the dumps become
``CertInfo`` entities.

The ``gsktrace`` command's formatting of a ``GSK_TRACE`` file was not found in
the reference material; its lines are read only where they share this layout.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Iterable, Iterator

from tlsworkbench.model.records import ERROR, INFO, WARNING, Record, Unparsed
from tlsworkbench.model.trace import TraceRecord

from .gsktrace_flow import FlowBuilder
from .hexdump import parse_dump

KIND = "gsktrace"
_HALF_DAY = timedelta(hours=12)
_ONE_DAY = timedelta(days=1)

_BULLET = re.compile(r"^\s*(?:[•·▪\-.*](?:\s+|$))?")
_BULLETS = frozenset("•·▪-.*")
_HEAD = re.compile(r"^(\S+)\s+(MESSAGE|DUMP)\s+([0-9A-Fa-f]{1,8})\s+"
                   r"(\d{1,2}):(\d\d):(\d\d)(?:\.(\d{1,6}))?\s+(\S+)")
_JOB = re.compile(r"^Job\s+(\S+)\s+Process\s+([0-9A-Fa-f]+)\s+Thread\s+([0-9A-Fa-f]+)(?:\s+(\S+))?")
_EXIT = re.compile(r"Exit status\s+(?:0[xX])?([0-9A-Fa-f]{1,8})\b(?:\s*\((-?\d+)\))?")
_DATE = re.compile(r"^\*{4}\s+(\d{1,2})/(\d{1,2})/(\d{4})")
_SYSNAME = re.compile(r"^SYSNAME\((\S+?)\)")
_REPORT = re.compile(r"^(COMPONENT TRACE \w+ FORMAT|COMP\(\w+\)|SYSNAME\s+MNEMONIC|[- ]{10,}$"
                     r"|OPTIONS\(|\*\*\*\* )")


def sniff(head: list[str], name: str) -> int:
    heads = jobs = 0
    for text in head:
        if "COMP(GSKSRVR)" in text:
            return 95
        t = _BULLET.sub("", text, count=1).strip()
        if _HEAD.match(t) and "SSL_" in t:
            heads += 1
        elif t.startswith("Job ") and _JOB.match(t):
            jobs += 1
    if heads >= 2 and jobs >= 1:
        return 90
    return 40 if heads and jobs else 0


def read(lines: Iterable[tuple[int, str]], art) -> Iterator:
    reader = _Reader(art)
    feed = reader.feed
    for n, text in lines:
        try:
            out = feed(n, text)
        except Exception as exc:  # never raise on input
            reader.current = None
            out = [Unparsed(art.id, n, text, f"trace line not understood ({type(exc).__name__}: {exc})")]
        if out:
            yield from out
    try:
        yield from reader.finish()
    except Exception as exc:
        yield Unparsed(art.id, reader.last_line, "", f"trace could not be completed ({exc})")


class _Reader:
    def __init__(self, art):
        self.art = art
        self.system: str | None = art.system
        self.day: date | None = None
        self.last_time: datetime | None = None
        self.current: TraceRecord | None = None
        self.raw: list[str] = []
        self.flow = FlowBuilder(art.id)
        self.last_line = 0
        self._bases: dict[str, tuple] = {}

    # -- lines ------------------------------------------------------------
    def feed(self, n: int, text: str) -> list | None:
        """Take one line; returns the items it completes (None or a list)."""
        self.last_line = n
        t = text.strip()
        if t[:1] in _BULLETS and t and (len(t) == 1 or t[1] in " \t"):
            t = t[1:].lstrip()
        if t[:2] == "**" and t.endswith("**") and len(t) > 4:
            t = t[2:-2].strip()
        m = _HEAD.match(t) if ("MESSAGE" in t or "DUMP" in t) else None
        if m:
            out = self._flush()
            self._start(n, text, m)
            return out
        cur = self.current
        if cur is not None:
            if not t:
                return
            cur.end_line = n
            self.raw.append(text)
            if cur.job is None:
                j = _JOB.match(t)
                if j:
                    cur.job, cur.process, cur.thread, cur.function = j.groups()
                    return
            cur.detail.append(t)
            return
        if not t:
            return
        if self._report_line(t):
            return None
        return [Unparsed(self.art.id, n, text, "not part of a GSKSRVR trace entry")]

    def _report_line(self, t: str) -> bool:
        d = _DATE.match(t)
        if d:
            try:
                self.day = date(int(d.group(3)), int(d.group(1)), int(d.group(2)))
            except ValueError:
                return False
            return True
        s = _SYSNAME.match(t)
        if s:
            self.system = s.group(1)
            return True
        return bool(_REPORT.match(t))

    def _start(self, n: int, text: str, m: re.Match) -> None:
        system, mnem, entry, hh, mm, ss, frac, desc = m.groups()
        hms = f"{hh}:{mm}:{ss}" if len(hh) == 2 else f"0{hh}:{mm}:{ss}"
        time_text = f"{hms}.{frac}" if frac else hms
        when = None
        day = self.day
        if day is not None:
            base = self._bases.get(hms)
            if base is None or base[0] != day:
                base = (day, datetime(day.year, day.month, day.day, int(hh) % 24, int(mm), int(ss)))
                self._bases[hms] = base
            when = base[1].replace(microsecond=int(frac.ljust(6, "0")[:6])) if frac else base[1]
            last = self.last_time
            if last is not None and when < last and when < last - _HALF_DAY:
                self.day += _ONE_DAY  # the trace ran past midnight
                when += _ONE_DAY
            self.last_time = when
        self.current = TraceRecord(
            artifact=self.art.id, line=n, system=system or self.system, mnemonic=mnem,
            entry=int(entry, 16), time=when, time_text=time_text,
            kind=desc if desc.isupper() else desc.upper())
        self.raw = [text]

    def _flush(self) -> list | None:
        tr = self.current
        if tr is None:
            return None
        self.current = None
        if tr.kind in ("SSL_EXIT", "SSL_ERROR"):
            for d in tr.detail:
                x = _EXIT.search(d)
                if x:
                    tr.exit_status = int(x.group(2)) if x.group(2) else int(x.group(1), 16)
                    break
        if tr.mnemonic == "DUMP" or tr.kind.endswith("_DUMP"):
            tr.dump = parse_dump(tr.detail)
        severity = INFO
        if tr.kind == "SSL_ERROR":
            severity = ERROR
        elif tr.exit_status:
            severity = ERROR if tr.function == "gsk_secure_socket_init" else WARNING
        rec = Record(
            artifact=tr.artifact, line=tr.line, kind="trace", text="\n".join(self.raw),
            end_line=tr.end_line if tr.end_line > tr.line else 0, system=tr.system,
            time=tr.time, job=tr.job, severity=severity,
            fields={"job": tr.job, "process": tr.process, "thread": tr.thread,
                    "function": tr.function, "entry": tr.entry, "kind": tr.kind,
                    "exit_status": tr.exit_status})
        self.raw = []
        more = self.flow.add(tr)
        return [rec, tr, *more] if more else [rec, tr]

    def finish(self) -> Iterator:
        yield from self._flush() or ()
        yield from self.flow.finish()
