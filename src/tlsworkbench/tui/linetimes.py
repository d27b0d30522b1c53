"""Times for the untimed segments of one log, so that the console's merge by
time across files never breaks on them.

A segment whose record has no time of its own (a JES2 job log's header rows,
an IEF695I line that its reader left untimed, the remainder of a line cut at
``decode.MAX_LINE``, an unreadable line) takes the time its own prefix column
shows (SYSLOG, job log or syslogd layout), when that lies between the times of
its neighbours in the file; else the time of the timed line before it in the
same file (the first timed line after it for those at the top). A borrowed
time never moves a line back: each file keeps its own order.
"""

from __future__ import annotations

from datetime import datetime

from tlsworkbench.ingest.decode import MAX_LINE

from .compact import compact, layouts
from .text import printable, read_lines

NO_TIME = datetime.min
_PREFIX_MAX = 20_000
"""Untimed segments whose first line is read for its prefix time (more: the
time of the line before them, without reading)."""


def _le(a, b) -> bool:
    """a <= b; False for times that cannot be compared (naive and aware)."""
    try:
        return a <= b
    except TypeError:
        return False


def at(ref: datetime | None, hms: str) -> datetime | None:
    """``hh:mm:ss[.hh]`` (or ``hh.mm.ss``) on the day of ``ref``."""
    if ref is None or len(hms) < 8:
        return None
    try:
        micro = int((hms[9:11] + "0000")[:6]) if len(hms) >= 11 and hms[9:11].isdigit() else 0
        return ref.replace(hour=int(hms[:2]), minute=int(hms[3:5]), second=int(hms[6:8]),
                           microsecond=micro)
    except ValueError:
        return None


def _prefixes(art, firsts: list[int]) -> dict[int, str]:
    """Line number -> the time its layout's prefix shows ("" for none)."""
    kinds = layouts([printable(x) for x in read_lines(art, 1, 200)], art.kind)
    if not kinds or not firsts or len(firsts) > _PREFIX_MAX:
        return {}
    try:
        got = art.some_lines(sorted(set(firsts)))
    except Exception:  # unreadable file: the neighbours' times will do
        return {}
    return {n: compact(printable(text), kinds).time for n, text in got}


def cut_remainder(art, n: int) -> bool:
    """Line ``n`` is the rest of a line cut at ``decode.MAX_LINE``: the line
    before it is a full piece (no line end of its own). Such a line is a
    continuation of the one before it, never a record of its own."""
    offsets = getattr(art, "offsets", None)
    if n < 2 or offsets is None or len(offsets) <= n:
        return False
    start, end = offsets[n - 2], offsets[n - 1]
    if end - start < MAX_LINE - 3 or end - start > MAX_LINE:
        return False
    try:
        if art.data is not None:
            last = art.data[end - 1:end]
        else:
            with open(art.path, "rb") as fh:
                fh.seek(end - 1)
                last = fh.read(1)
    except (OSError, ValueError):
        return False
    return last not in (b"\n", b"\r", b"\x15", b"\x25")


def fill(art, segs: list, base: datetime | None) -> list:
    """``segs``: (time or None, first line, last line, record) in line order.
    Returns them with every None replaced (``NO_TIME`` when the file and the
    session give no time at all). ``base``: a time of the session, whose day is
    used for prefix times in a file without any timed record."""
    untimed = [i for i, s in enumerate(segs) if s[0] is None]
    if not untimed:
        return segs
    prefix = _prefixes(art, [segs[i][1] for i in untimed])
    nxt: list = [None] * len(segs)  # the next fixed time after each segment
    later = None
    for i in range(len(segs) - 1, -1, -1):
        nxt[i] = later
        if segs[i][0] is not None:
            later = segs[i][0]
    out = []
    prev = None
    for i, (t, first, last, rec) in enumerate(segs):
        if t is None:
            cand = at(prev or nxt[i] or base, prefix.get(first, ""))
            if cand is not None and (prev is None or _le(prev, cand)) and (
                    nxt[i] is None or _le(cand, nxt[i])):
                t = cand
            else:
                t = prev
        if t is not None:
            prev = t
        out.append([t, first, last, rec])
    fallback = NO_TIME
    for seg in reversed(out):  # those at the top: the first time after them
        if seg[0] is None:
            seg[0] = fallback
        else:
            fallback = seg[0]
    return [tuple(s) for s in out]


def leading(art, last: int, bound: datetime | None, base: datetime | None,
            limit: int) -> list:
    """The plain lines in front of an artifact's first record, split where their
    own prefix (SYSLOG, job log, syslogd) gives a time, so that they sort at it
    and not at the first record's time; never after ``bound`` (the first timed
    record), never out of the artifact's order. Long runs stay one segment
    (time None: ``fill`` decides)."""
    whole = [(None, 1, last, None)]
    ref = bound or base
    if last > limit or ref is None:
        return whole
    lines = [printable(x) for x in read_lines(art, 1, last)]
    kinds = layouts(lines[:200], art.kind)
    if not kinds:
        return whole
    out: list = []
    for n, text in enumerate(lines, 1):
        t = at(ref, compact(text, kinds).time[:8])
        if t is None or (out and t < out[-1][0]) or (bound is not None and not _le(t, bound)):
            continue  # no time of its own: stays with the line before it
        if not out and n > 1:
            out.append((t, 1, n - 1, None))  # lines in front of the first time
        elif out:
            out[-1] = (out[-1][0], out[-1][1], n - 1, None)
        out.append((t, n, last, None))
    return out or whole
