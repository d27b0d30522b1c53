"""The routine lines of the connections seen failing while reading, made records.

A big syslogd file's routine AT-TLS lines are kept as line numbers
(ingest/columnar.py, ingest/attls_fast.py); the diagnosis reads every line of a
failing connection, so after reading those lines are read again and added to
``session.records`` (in artifact and line order), joined to their connection
through ``Joiner.at`` as the records the reader made.
"""

from __future__ import annotations

from array import array

from tlsworkbench.ingest.syslogd import parse_line
from tlsworkbench.model.correlate_base import Conn


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
    lazy.compact()
    if not want:
        return 0
    added = []
    for aid, items in want.items():
        art = session.artifact(aid)
        if art is None:
            continue
        items.sort(key=lambda x: x[0])
        texts = dict(art.some_lines([n for n, _ in items]))
        for n, c in items:
            rec = parse_line(texts.get(n, ""), art, n)
            if rec is None:
                continue
            added.append(rec)
            lazy.at[(aid, n)] = c
            lazy.lazy -= 1
    if added:
        idx = {a.id: i for i, a in enumerate(session.artifacts)}
        session.records.extend(added)
        # two sorted runs (the records, the added ones): timsort merges them
        session.records.sort(key=lambda r: (idx.get(r.artifact, 0) << 32) | r.line)
        session._by_id = None
    return len(added)
