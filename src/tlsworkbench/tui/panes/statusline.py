"""Status line: what is selected and what is loaded."""

from __future__ import annotations

from textual.widgets import Static

from ..text import plain, set_line


class StatusLine(Static):
    def show(self, session, rel, loading: str = "", dirty: bool = False) -> None:
        parts = []
        if loading:
            parts.append(loading)
        if session is not None:
            parts.append(f"{len(session.artifacts)} files, {len(session.records):,} records, "
                         f"{len(session.connections)} connections, {len(session.findings)} findings")
        if rel is not None and rel.record:
            sel = f"selected {rel.record}"
            if rel.connections:
                sel += " conn " + ",".join(sorted(rel.connections))
            if rel.rcs:
                sel += " RC " + ",".join(map(str, sorted(rel.rcs)))
            parts.append(sel)
        if dirty:
            parts.append("unsaved")
        set_line(self, plain("  |  ".join(parts)))
