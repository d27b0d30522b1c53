"""The day the model judges certificate dates on (see ``evidence_day``)."""

from __future__ import annotations

import re
from datetime import date

from .state import State


def evidence_day(ctx, st: State) -> tuple[date | None, str]:
    """The day the evidence shows (the latest failure): certificate dates are judged then,
    as the diagnosis judges them, so a 2014 session is not "expired" by today's date.

    Lines that carry no year (syslogd) were given this year by the reader unless another
    file of the session showed one (``loader.fill_years``). Then the year is inferred
    (``_infer_year``) and the way it was found is returned with the day."""
    from tlsworkbench.model.rowquery import head

    conns = list(ctx.failing) or head(ctx.s.connections, 5000)
    timed = [c for c in conns if c.first_time or c.last_time]
    if not timed:  # nothing failed: the time of the connections that worked
        timed = [c for c in head(ctx.s.connections, 5000) if c.first_time or c.last_time]
    if not timed:
        t = ctx.when()
        return (t.date() if t is not None else None), ""
    day = max(c.first_time or c.last_time for c in timed).date()
    if not any(_year_guessed(ctx, c) for c in timed[:200]):
        return day, ""
    return _infer_year(ctx, st, day)


def _year_guessed(ctx, conn) -> bool:
    """Does a line of ``conn`` carry a year the reader guessed (syslogd, no other file
    with a year)? Lines the fast reader kept as numbers are read back for it."""
    for rid in conn.line_ids()[:50]:
        r = ctx.s.record(rid)
        if r is not None and r.fields.get("year_known") is False:
            return True
    return False


_FULL_DATE = re.compile(r"\b((?:19|20)\d\d)[-/](\d\d)[-/](\d\d)\b")
_TEXT_KINDS = {"console", "joblog", "ftpclient", "syslog"}


def _infer_year(ctx, st: State, day: date) -> tuple[date, str]:
    """``day`` with the year the evidence implies: a full date written in a console or
    client transcript within a month of it (an FTP server's 220 reply "... on
    2014-03-14"), else the latest year in which every certificate a working handshake
    presented was valid (a handshake with RC 0 proves its certificate was valid then),
    else this year, said as an assumption."""
    kinds = {a.id: a.kind for a in ctx.s.artifacts}
    for r in ctx.s.records[:20000]:
        if r.time is not None or kinds.get(r.artifact) not in _TEXT_KINDS:
            continue
        for m in _FULL_DATE.finditer(r.text[:400]):
            try:
                got = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                cand = day.replace(year=got.year)
            except ValueError:
                continue
            if abs((cand - got).days) <= 31:
                from tlsworkbench.diagnose.common import line_of

                return cand, (f"the syslogd lines carry no year; {got.year} is the year "
                              f"{line_of(ctx, r.id) or r.id} shows ({got})")
    certs = _worked_certs(st)
    if certs:
        for year in range(day.year, 1989, -1):
            try:
                cand = day.replace(year=year)
            except ValueError:
                continue
            if all((c.not_before is None or c.not_before <= cand)
                   and (c.not_after is None or cand <= c.not_after) for c in certs):
                names = ", ".join(sorted({repr(c.label) for c in certs})[:3])
                return cand, (f"the syslogd lines carry no year; {year} is the latest year in "
                              f"which {names}, presented in a handshake that worked, was valid")
    return day, f"the syslogd lines carry no year; {day.year} (this year) is assumed"


def _worked_certs(st: State) -> list:
    """Certificates a server presented in a handshake that completed (no failing code
    of its own, and a ring default the model holds)."""
    from .outcome import _presented

    out = []
    for v in st.views.values():
        if (v.role or "") != "server" or any(rc not in (0,) for rc in v.observed):
            continue
        c = _presented(st, v)
        if c is not None and (c.not_before or c.not_after) and c not in out:
            out.append(c)
    return out
