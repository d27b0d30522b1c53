"""Status line: what is loaded and what is selected, short enough for 80
columns (what matters most comes first: loading, unsaved changes)."""

from __future__ import annotations

from textual.widgets import Static

from ..text import plain, set_line


class StatusLine(Static):
    def show(self, session, rel, loading: str = "", dirty: bool = False) -> None:
        parts = []
        if loading:
            parts.append(loading)
        if dirty:
            parts.append("UNSAVED")
        if session is not None:
            parts.append(f"{len(session.artifacts)} files, {len(session.records):,} records, "
                         f"{len(session.connections)} conn, {len(session.findings)} findings")
        if rel is not None and rel.record:
            sel = rel.record
            if rel.connections:
                conns = sorted(rel.connections)
                sel += " " + ",".join(conns[:3]) + (f"+{len(conns) - 3}" if len(conns) > 3 else "")
            if rel.rcs:
                sel += " RC " + ",".join(map(str, sorted(rel.rcs)))
            parts.append(sel)
        set_line(self, plain(" | ".join(parts)))
