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
from datetime import datetime

from tlsworkbench.model.connset import objects, rows_of

from . import linetimes, rowfilter
from .compact import Compact, compact, layouts
from .filters import Filter  # noqa: F401  (where the console pane finds it)
from .text import printable, read_lines

LOG_KINDS = ("console", "syslogd", "joblog", "syslog", "operlog", "zowe", "hwth", "ftpdlog")
"""Artifact kinds shown as log lines (zowe: Zowe/Liberty logs and their keystore
settings; hwth: the job output of Web Enablement Toolkit programs; ftpdlog: the FTP
server's syslogd output with its SEC trace lines)."""
_BLOCK = 128
_COMPACT_CACHE = 4096
_LEADING_MAX = 20_000


def _monotonic(segs: list) -> bool:
    return all(segs[i][0] <= segs[i + 1][0] for i in range(len(segs) - 1))


def is_log(art) -> bool:
    return any(art.kind.startswith(k) for k in LOG_KINDS)


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
        self._marks: dict[int, bytearray] | None = None
        self._conns: list = []
        self._conn_of: dict[int, array] = {}
        self._verdict: bytearray | None = None
        self._text_block: tuple = (None, [])
        self._job_ids: set = set()

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
        base = next((r.time for recs in by_art.values() for r in recs
                     if getattr(r, "time", None)), None)
        per_art = []  # per artifact: lists of (time, first line, last line, record)
        for ai, art in enumerate(self.arts):
            per_art.append(self._segments(art, by_art[art.id], anchors, base))
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
        for c in objects(self.session.connections):  # a row has no records
            t = getattr(c, "first_time", None)
            if t is None:
                continue
            for rid in c.records:
                if rid in want and (rid not in anchors or t < anchors[rid]):
                    anchors[rid] = t
        return anchors

    @staticmethod
    def _segments(art, recs: list, anchors: dict | None = None, base=None) -> list:
        """Segments (time, first line, last line, record) of one artifact, in
        line order. A record without a time of its own, and the plain lines in
        front of the first record, get one from ``linetimes`` (their prefix, or
        the timed line before them in the same artifact), so that they stay
        next to their neighbours in the merged order and keep their own order."""
        recs.sort(key=lambda r: r.line)
        anchors = anchors or {}
        timed = bool(anchors) and any(getattr(r, "time", None) for r in recs)

        def time_of(r):
            t = getattr(r, "time", None)
            if t is None and not timed and anchors:
                t = anchors.get(getattr(r, "id", None))
            return t

        if not art.line_count:
            return []
        starts, owners = [], []
        nxt = 1
        if not recs or recs[0].line > 1:
            starts.append(1)
            owners.append(None)
        for r in recs:
            if r.line < nxt:
                continue  # a second record on a line already covered
            if (getattr(r, "reason", None) and not getattr(r, "time", None)
                    and linetimes.cut_remainder(art, r.line)):
                continue  # the rest of a cut long line: it goes on with the line before
            starts.append(r.line)
            owners.append(r)
            nxt = getattr(r, "last_line", r.line) + 1
        ends = starts[1:] + [art.line_count + 1]
        segs = [(time_of(r) if r is not None else None, a, b - 1, r)
                for a, b, r in zip(starts, ends, owners)]
        if segs[0][3] is None:
            bound = next((s[0] for s in segs if s[0] is not None), None)
            segs[0:1] = linetimes.leading(art, segs[0][2], bound, base, _LEADING_MAX)
        return linetimes.fill(art, segs, base)

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
        """Rows that pass ``flt`` (None: all rows).

        A segment passes as a whole when its record does. In a big syslogd file
        the routine AT-TLS lines are not records (ingest/attls_fast.py keeps
        them as line numbers of their connection): each such line is judged as
        the record it would have been in a small file, with the plain lines
        after it, so ``rc:6`` shows the lines with RC 6 and not the thousands of
        routine lines that follow each of them."""
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
        lazy = self._lazy_lines()
        out = array("I")
        # RC other than 0, or a severity other than info: no routine line passes,
        # so the routine lines of a segment need not be told apart
        every = not flt.routine_out
        self._job_ids = self._ids_of_job(flt.job)
        self._verdict = rowfilter.verdicts(self._conns, flt) \
            if lazy and rows_of(self._conns) is not None and not flt.routine_out else None
        for owner, start, end, ai in self._pieces(lazy, every):
            self._take(out, owner, start, end, flt, hits.get(ai))
        return out

    def _pieces(self, lazy: dict, every: bool = True):
        """(owner, first row, end row, artifact number) in row order: a segment,
        or in a big syslogd file its record's lines and then each routine line
        with the plain lines after it (``owner``: (artifact, line)). The plain
        lines of a run of segments without a record (``_leading``) go with the
        routine line before them, as they would with its record. Not ``every``:
        the routine lines of a segment and what follows them are one piece,
        owned by the first of them."""
        nseg = len(self.seg_row)
        row_line, row_art = self.row_line, self.row_art
        pend = None
        for seg in range(nseg):
            rec = self.seg_rec[seg]
            start = self.seg_row[seg]
            end = self.seg_row[seg + 1] if seg + 1 < nseg else len(row_line)
            ai = row_art[start]
            marks = lazy.get(ai)
            first = row_line[start]
            cut = -1
            if marks is not None:
                own = (getattr(rec, "last_line", rec.line) if rec is not None else first - 1) + 1
                cut = marks.find(1, max(own, first), row_line[end - 1] + 1)
            pieces = []
            if cut < 0:  # no routine line in it: the segment is one piece
                pieces.append((rec, start, end))
            else:
                piece_row, owner = start, rec
                while cut >= 0:
                    row = start + cut - first
                    pieces.append((owner, piece_row, row))
                    piece_row, owner = row, (self.arts[ai], cut)
                    cut = marks.find(1, cut + 1, row_line[end - 1] + 1) if every else -1
                pieces.append((owner, piece_row, end))
            for owner, a, b in pieces:
                if a >= b:
                    continue
                if (owner is None and pend is not None and type(pend[0]) is tuple
                        and pend[3] == ai and pend[2] == a
                        and row_line[a] == row_line[a - 1] + 1):
                    pend = (pend[0], pend[1], b, ai)
                    continue
                if pend is not None:
                    yield pend
                pend = (owner, a, b, ai)
        if pend is not None:
            yield pend

    def _take(self, out: array, owner, start: int, end: int, flt: Filter, found) -> None:
        """Append rows ``start``..``end - 1`` when their owner passes ``flt``;
        ``owner``: a record, None, or (artifact, line) of a routine line."""
        if start >= end:
            return
        if type(owner) is tuple:
            if not self._routine_match(owner[0], owner[1], flt):
                return
            owner = None  # the fields are decided: the text and the artifact remain
            flt = Filter(text=flt.text)
        if not self._match(owner, start, flt):
            return
        if found is not None:
            line = self.row_line[start]
            if not any(n in found for n in range(line, line + end - start)):
                return
        out.extend(range(start, end))

    def _routine_match(self, art, line: int, flt: Filter) -> bool:
        """Whether the record a routine AT-TLS line would be passes the fields
        of ``flt``, from its connection and its message id (the line holds RC 0
        or none, its connection's CONNID, and the job and rule only when it is
        the EZD1281I map line); never reads the line again as a record."""
        if flt.routine_out:
            return False
        k = self._conn_of[self._art_pos[art.id]][line]
        if self._verdict is not None:  # rows of a ConnSet: judged once per filter (tui/rowfilter.py)
            return self._judged(self._verdict[k], art, line, flt)
        conn = self._conns[k - 1]
        if flt.system and (conn.system or art.system or "").upper() != flt.system:
            return False
        if flt.connid and str(conn.connid or "").lstrip("0") != flt.connid:
            return False
        if flt.job and not (conn.job or "").upper().startswith(flt.job):
            return False  # job: every line of that job's connections
        if not (flt.rule or flt.rcs):
            return True
        mid = self._msgid(art, line)
        if flt.rcs and mid not in ("EZD1283I", "EZD1284I"):
            return False
        if flt.rule and not (mid == "EZD1281I" and flt.rule.lower() in (conn.rule or "").lower()):
            return False
        return True

    def _judged(self, bits: int, art, line: int, flt: Filter) -> bool:
        """``_routine_match`` from the connection's bits (``rowfilter.verdicts``)."""
        if flt.system and bits & rowfilter.NO_SYSTEM and (art.system or "").upper() != flt.system:
            return False
        if not bits & rowfilter.PASS:
            return False
        if not (flt.rule or flt.rcs):
            return True
        mid = self._msgid(art, line)
        if flt.rcs and mid not in ("EZD1283I", "EZD1284I"):
            return False
        return not flt.rule or (mid == "EZD1281I" and bool(bits & rowfilter.RULE))

    def _msgid(self, art, line: int) -> str:
        block = (line - 1) // 4096
        if self._text_block[0] != (art.id, block):
            first = block * 4096 + 1
            self._text_block = ((art.id, block), read_lines(art, first, first + 4095))
        lines = self._text_block[1]
        i = (line - 1) % 4096
        text = lines[i] if i < len(lines) else ""
        k = text.find(" EZD128")
        return text[k + 1:k + 9] if k >= 0 else ""

    def _lazy_lines(self) -> dict[int, bytearray]:
        """Per artifact number: a mark (1) for each line kept only as a line
        number of its connection (none in small files); worked out once."""
        if self._marks is not None:
            return self._marks
        marks: dict[int, bytearray] = {}
        self._marks = marks
        self._conns = conns = self.session.connections
        conn_of = self._conn_of = {}  # artifact number -> line -> connection number + 1
        pos = self._art_pos
        if rows_of(conns) is not None:  # the rows' lines from the table, never a Connection each
            self._row_marks(marks, conn_of)
            return marks
        for k, c in enumerate(conns, 1):
            lines = getattr(c, "lines", None)
            parts = []
            if lines:
                parts.append((getattr(c, "lines_art", None), lines))
            parts.extend((getattr(c, "lines_more", None) or {}).items())
            for aid, nums in parts:
                ai = pos.get(aid)
                if ai is None:
                    continue
                m = marks.get(ai)
                if m is None:
                    m = marks[ai] = bytearray(self.arts[ai].line_count + 2)
                    conn_of[ai] = array("I", bytes(4 * len(m)))
                owner = conn_of[ai]
                for n in nums:
                    if n < len(m):
                        m[n] = 1
                        owner[n] = k
        return marks

    def _row_marks(self, marks: dict, conn_of: dict) -> None:
        import numpy as np

        from tlsworkbench.model.rowquery import line_owners

        sizes = {a.id: a.line_count + 1 for a in self.arts}
        for aid, owner in line_owners(self._conns, sizes).items():
            ai = self._art_pos.get(aid)
            if ai is None:
                continue
            conn_of[ai] = owner
            marks[ai] = bytearray((np.frombuffer(owner, dtype=np.uint32) != 0).astype(np.uint8).tobytes())

    def _ids_of_job(self, job: str) -> set:
        """Ids of the records of the connections whose job starts with ``job``."""
        if not job:
            return set()
        return {rid for c in objects(self.session.connections)  # a row has no records
                if (getattr(c, "job", None) or "").upper().startswith(job)
                for rid in c.records}

    def _match(self, rec, row: int, flt: Filter) -> bool:
        fields = getattr(rec, "fields", None) or {}
        if flt.system and (getattr(rec, "system", None) or self.arts[self.row_art[row]].system
                           or "").upper() != flt.system:
            return False
        if flt.job:
            jobs = {(getattr(rec, "job", None) or "").upper(), str(fields.get("jobname", "")).upper()}
            if (not any(j.startswith(flt.job) for j in jobs if j)
                    and getattr(rec, "id", None) not in self._job_ids):
                return False
        if flt.rule and flt.rule.lower() not in str(fields.get("rule", "")).lower():
            return False
        if flt.rcs and fields.get("rc") not in flt.rcs:
            return False
        if flt.connid and str(fields.get("connid", "")).lstrip("0") != flt.connid:
            return False
        if flt.severity and getattr(rec, "severity", "info") != flt.severity:
            return False
        return True
