"""The merged console index: every line of every console, job log and syslogd
artifact of a session, ordered by time across systems, as compact arrays.

A row is (artifact number, line number). Rows come in segments: a segment
starts at a record and runs over its continuation lines and any plain lines
after it, which borrow its time. Text is never copied here; the console pane
reads it on demand through ``Artifact.lines``.
"""

from __future__ import annotations

from array import array
import heapq
from bisect import bisect_right
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime

from .compact import Compact, compact, layouts
from .text import printable, read_lines

LOG_KINDS = ("console", "syslogd", "joblog", "syslog", "operlog", "zowe", "hwth")
"""Artifact kinds shown as log lines (zowe: Zowe/Liberty logs and their keystore
settings; hwth: the job output of Web Enablement Toolkit programs)."""
_NO_TIME = datetime.min
_BLOCK = 128
_COMPACT_CACHE = 4096
_LEADING_MAX = 20_000


def _monotonic(segs: list) -> bool:
    return all(segs[i][0] <= segs[i + 1][0] for i in range(len(segs) - 1))


def is_log(art) -> bool:
    return any(art.kind.startswith(k) for k in LOG_KINDS)


@dataclass
class Filter:
    """What the console shows; empty fields match everything."""

    system: str = ""
    job: str = ""
    rule: str = ""
    rc: int | None = None
    connid: str = ""
    severity: str = ""
    text: str = ""

    @classmethod
    def parse(cls, query: str) -> "Filter":
        """``sys:MVS3 job:FTPT1 rule:FTP rc:6 connid:7CC sev:error free words``."""
        f = cls()
        words = []
        for tok in query.split():
            key, sep, value = tok.partition(":")
            key = key.lower()
            if sep and value and key in ("sys", "system", "job", "rule", "rc", "connid", "sev",
                                         "severity"):
                if key in ("sys", "system"):
                    f.system = value.upper()
                elif key == "job":
                    f.job = value.upper()
                elif key == "rule":
                    f.rule = value
                elif key == "rc":
                    f.rc = int(value) if value.isdigit() else -1
                elif key == "connid":
                    f.connid = value.upper().lstrip("0")
                else:
                    f.severity = value.lower()
            else:
                words.append(tok)
        f.text = " ".join(words)
        return f

    @property
    def empty(self) -> bool:
        return not (self.system or self.job or self.rule or self.rc is not None or self.connid
                    or self.severity or self.text)


def _leading(art, last: int, first_time: datetime) -> list:
    """The plain lines in front of an artifact's first record, split where their
    own prefix (SYSLOG, job log, syslogd) gives a time, so that they sort at it
    and not at the first record's time; never after that record, never out of
    the artifact's order. Long runs stay one segment."""
    whole = [(first_time, 1, last, None)]
    if last > _LEADING_MAX:
        return whole
    lines = [printable(x) for x in read_lines(art, 1, last)]
    kinds = layouts(lines[:200], art.kind)
    if not kinds:
        return whole
    out: list = []
    for n, text in enumerate(lines, 1):
        hms = compact(text, kinds).time[:8]
        t = None
        if len(hms) == 8:
            try:
                t = first_time.replace(hour=int(hms[:2]), minute=int(hms[3:5]),
                                       second=int(hms[6:8]), microsecond=0)
            except ValueError:
                t = None
        if t is None or (out and t < out[-1][0]) or t > first_time:
            continue  # no time of its own: stays with the line before it
        if not out and n > 1:
            out.append((t, 1, n - 1, None))  # lines in front of the first time
        elif out:
            out[-1] = (out[-1][0], out[-1][1], n - 1, None)
        out.append((t, n, last, None))
    return out or whole


class LogIndex:
    def __init__(self, session) -> None:
        self.session = session
        self.arts = [a for a in session.artifacts if is_log(a)]
        self.row_art = array("H")
        self.row_line = array("I")
        self.seg_row = array("I")
        """First row of each segment."""
        self.seg_rec: list = []
        """The record that starts each segment (None: plain lines before any)."""
        self.error_rows = array("I")
        self.row_of: dict[str, int] = {}
        """Record id -> its first row."""
        self._cache: OrderedDict = OrderedDict()
        self._compact: dict[tuple[int, int], Compact] = {}
        self._layouts: dict[int, tuple[str, ...]] = {}
        self._spans: list[list[tuple[int, int, int]]] = []
        self._art_pos: dict[str, int] = {}

    # -- building ----------------------------------------------------------
    def build(self, progress=None) -> "LogIndex":
        by_art: dict[str, list] = {a.id: [] for a in self.arts}
        for r in self.session.records:
            lst = by_art.get(r.artifact)
            if lst is not None:
                lst.append(r)
        for u in self.session.unparsed:
            lst = by_art.get(u.artifact)
            if lst is not None:
                lst.append(u)
        anchors = self._anchors(by_art)
        per_art = []  # per artifact: lists of (time, first line, last line, record)
        for ai, art in enumerate(self.arts):
            per_art.append(self._segments(art, by_art[art.id], anchors))
            if progress:
                progress(ai + 1, len(self.arts) + 1)
        live = [ai for ai, segs in enumerate(per_art) if segs]
        if len(live) <= 1:
            order = [(ai, seg) for ai in live for seg in per_art[ai]]
        elif all(_monotonic(per_art[ai]) for ai in live):
            order = heapq.merge(*[[(seg[0], ai, seg[1], seg) for seg in per_art[ai]]
                                  for ai in live])
            order = ((ai, seg) for _t, ai, _l, seg in order)
        else:
            flat = [(seg[0], ai, seg[1], seg) for ai in live for seg in per_art[ai]]
            flat.sort(key=lambda x: (x[0], x[1], x[2]))
            order = ((ai, seg) for _t, ai, _l, seg in flat)
        row_art, row_line, seg_row, errors = self.row_art, self.row_line, self.seg_row, self.error_rows
        seg_rec, row_of = self.seg_rec, self.row_of
        run_ai, run_first, run_last = -1, 0, -1  # a run of contiguous lines of one artifact
        rows = 0
        spans = self._spans = [[] for _ in self.arts]  # per artifact: (first line, last line, row)
        for ai, (_t, first, last, rec) in order:
            n = last - first + 1
            if n <= 0:
                continue
            seg_row.append(rows)
            seg_rec.append(rec)
            spans[ai].append((first, last, rows))
            if rec is not None:
                row_of[rec.id] = rows
                if getattr(rec, "severity", "") == "error" or getattr(rec, "reason", None):
                    errors.append(rows)
            if ai == run_ai and first == run_last + 1:
                run_last = last
            else:
                if run_ai >= 0:
                    row_art.extend(array("H", [run_ai]) * (run_last - run_first + 1))
                    row_line.extend(range(run_first, run_last + 1))
                run_ai, run_first, run_last = ai, first, last
            rows += n
        if run_ai >= 0:
            row_art.extend(array("H", [run_ai]) * (run_last - run_first + 1))
            row_line.extend(range(run_first, run_last + 1))
        for lst in spans:
            lst.sort()
        self._art_pos = {a.id: i for i, a in enumerate(self.arts)}
        if progress:
            progress(1, 1)
        return self

    def row_of_line(self, rid: str) -> int | None:
        """Row of any line named by id (``a3:120``), record start or not."""
        aid, _, num = rid.rpartition(":")
        ai = self._art_pos.get(aid)
        if ai is None or not num.isdigit():
            return None
        line, spans = int(num), self._spans[ai]
        i = bisect_right(spans, (line, 1 << 62, 0)) - 1
        if i < 0 or line > spans[i][1]:
            return None
        return spans[i][2] + line - spans[i][0]

    def _anchors(self, by_art: dict[str, list]) -> dict[str, datetime]:
        """Times for the records of logs that have none at all (bare FTP client
        lines): the first time of the connection each record belongs to."""
        want = {r.id for recs in by_art.values()
                if recs and not any(getattr(r, "time", None) for r in recs)
                for r in recs if isinstance(getattr(r, "id", None), str)}
        anchors: dict[str, datetime] = {}
        if not want:
            return anchors
        for c in self.session.connections:
            t = getattr(c, "first_time", None)
            if t is None:
                continue
            for rid in c.records:
                if rid in want and (rid not in anchors or t < anchors[rid]):
                    anchors[rid] = t
        return anchors

    @staticmethod
    def _segments(art, recs: list, anchors: dict | None = None) -> list:
        """Lines without a time take the time of the nearest timed line before
        them in the same artifact (the first timed line for those in front), so
        they stay next to it in the merged order and keep their own order."""
        recs.sort(key=lambda r: r.line)
        anchors = anchors or {}
        timed = bool(anchors) and any(getattr(r, "time", None) for r in recs)

        def time_of(r):
            t = getattr(r, "time", None)
            if t is None and not timed and anchors:
                t = anchors.get(getattr(r, "id", None))
            return t

        last_time = next((t for t in map(time_of, recs) if t), None) or _NO_TIME
        starts, times, owners = [], [], []
        nxt = 1
        if not recs or recs[0].line > 1:
            starts.append(1)
            times.append(last_time)
            owners.append(None)
        for r in recs:
            if r.line < nxt:
                continue  # a second record on a line already covered
            t = time_of(r) or last_time
            try:
                if t < last_time and not getattr(r, "time", None):
                    t = last_time  # a borrowed time never moves a line back
            except TypeError:  # naive and aware times: keep the record's own
                pass
            last_time = t
            starts.append(r.line)
            times.append(t)
            owners.append(r)
            nxt = getattr(r, "last_line", r.line) + 1
        if not art.line_count:
            return []
        ends = starts[1:] + [art.line_count + 1]
        segs = [(t, a, b - 1, r) for t, a, b, r in zip(times, starts, ends, owners)]
        if segs[0][3] is None and len(segs) > 1 and segs[0][0] is not _NO_TIME:
            segs[0:1] = _leading(art, segs[0][2], segs[0][0])
        return segs

    # -- lookup ------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.row_line)

    def segment(self, row: int) -> int:
        return bisect_right(self.seg_row, row) - 1

    def record_at(self, row: int):
        """The record a row belongs to, or None for a plain line outside records."""
        seg = self.segment(row)
        if seg < 0:
            return None
        rec = self.seg_rec[seg]
        if rec is None:
            return None
        line = self.row_line[row]
        if line <= getattr(rec, "last_line", rec.line):
            return rec
        return None

    def record_id_at(self, row: int) -> str:
        art = self.arts[self.row_art[row]]
        rec = self.record_at(row)
        return rec.id if rec is not None else f"{art.id}:{self.row_line[row]}"

    def system_at(self, row: int) -> str:
        seg = self.segment(row)
        rec = self.seg_rec[seg] if seg >= 0 else None
        return (getattr(rec, "system", None) or self.arts[self.row_art[row]].system or "")

    def time_at(self, row: int):
        seg = self.segment(row)
        rec = self.seg_rec[seg] if seg >= 0 else None
        return getattr(rec, "time", None)

    def text(self, row: int) -> str:
        ai, line = self.row_art[row], self.row_line[row]
        block = (line - 1) // _BLOCK
        key = (ai, block)
        lines = self._cache.get(key)
        if lines is None:
            first = block * _BLOCK + 1
            lines = [printable(x) for x in read_lines(self.arts[ai], first, first + _BLOCK - 1)]
            self._cache[key] = lines
            if len(self._cache) > 64:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(key)
        i = (line - 1) % _BLOCK
        return lines[i] if i < len(lines) else ""

    def compact(self, row: int) -> Compact:
        """The row without its layout's prefix (cached per line; the raw line
        when no layout of its artifact fits)."""
        key = (self.row_art[row], self.row_line[row])
        got = self._compact.get(key)
        if got is None:
            kinds = self._layouts.get(key[0])
            if kinds is None:
                art = self.arts[key[0]]
                sample = [printable(x) for x in read_lines(art, 1, 200)]
                kinds = self._layouts[key[0]] = layouts(sample, art.kind)
            got = compact(self.text(row), kinds)
            if len(self._compact) >= _COMPACT_CACHE:
                self._compact.clear()
            self._compact[key] = got
        return got

    def rows_of_records(self, ids) -> list[int]:
        """Every row that belongs to one of the record ids, sorted."""
        out = []
        for rid in ids:
            row = self.row_of.get(rid)
            if row is None:
                # a line that is not a record of its own (e.g. a routine AT-TLS
                # line of a big syslogd file kept as a line number)
                row = self.row_of_line(rid)
                if row is not None:
                    out.append(row)
                continue
            rec = self.seg_rec[self.segment(row)]
            span = getattr(rec, "last_line", rec.line) - rec.line + 1
            out.extend(range(row, row + span))
        return sorted(set(out))

    # -- filtering ---------------------------------------------------------
    def filter_rows(self, flt: Filter) -> array | None:
        """Rows that pass ``flt`` (None: all rows)."""
        if flt.empty:
            return None
        text = flt.text.lower()
        hits: dict[int, set[int]] = {}
        if text:
            for ai, art in enumerate(self.arts):
                found = set()
                for first in range(1, art.line_count + 1, 4096):
                    for k, line in enumerate(read_lines(art, first, first + 4095)):
                        if text in line.lower():
                            found.add(first + k)
                hits[ai] = found
        out = array("I")
        nseg = len(self.seg_row)
        for seg in range(nseg):
            rec = self.seg_rec[seg]
            start = self.seg_row[seg]
            end = self.seg_row[seg + 1] if seg + 1 < nseg else len(self.row_line)
            if not self._match(rec, start, flt):
                continue
            if text:
                ai = self.row_art[start]
                found = hits[ai]
                lines = range(self.row_line[start], self.row_line[end - 1] + 1)
                if not any(n in found for n in lines):
                    continue
            out.extend(range(start, end))
        return out

    def _match(self, rec, row: int, flt: Filter) -> bool:
        fields = getattr(rec, "fields", None) or {}
        if flt.system and (getattr(rec, "system", None) or self.arts[self.row_art[row]].system
                           or "").upper() != flt.system:
            return False
        if flt.job:
            jobs = {(getattr(rec, "job", None) or "").upper(), str(fields.get("jobname", "")).upper()}
            if not any(j.startswith(flt.job) for j in jobs if j):
                return False
        if flt.rule and flt.rule.lower() not in str(fields.get("rule", "")).lower():
            return False
        if flt.rc is not None and fields.get("rc") != flt.rc:
            return False
        if flt.connid and str(fields.get("connid", "")).lstrip("0") != flt.connid:
            return False
        if flt.severity and getattr(rec, "severity", "info") != flt.severity:
            return False
        return True
