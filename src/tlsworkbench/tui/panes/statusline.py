"""Status line: what is loaded and what is selected, short enough for 80
columns (what matters most comes first: loading, unsaved changes)."""

from __future__ import annotations

from textual.widgets import Static

from tlsworkbench.words import counted

from ..evidence import fitted, where
from ..text import plain, set_line


class StatusLine(Static):
    def show(self, session, rel, loading: str = "", dirty: bool = False) -> None:
        parts = []
        if loading:
            parts.append(loading)
        if dirty:
            parts.append("UNSAVED")
        if session is not None:
            parts.append(f"{counted(len(session.artifacts), 'file')}, {counted(len(session.records), 'record')}, "
                         f"{len(session.connections)} conn, {counted(len(session.findings), 'finding')}")
        if rel is not None and rel.record:
            sel = rel.record
            rest = ""
            if rel.connections:
                conns = sorted(rel.connections)
                rest += " " + ",".join(conns[:3]) + (f"+{len(conns) - 3}" if len(conns) > 3 else "")
            if rel.rcs:
                rest += " RC " + ",".join(map(str, sorted(rel.rcs)))
            # the file and line of the selection, as much of it as the width leaves
            width = self.size.width or 80
            used = len(" | ".join(parts + [sel + rest])) + 2
            name = fitted(where(session, rel.record), width - used - 1)
            parts.append(sel + (f" {name}" if name else "") + rest)
        set_line(self, plain(" | ".join(parts)))
