"""Ticket-ready reports of a diagnosed session: Markdown or one HTML file.

``render(session, fmt)`` returns the text; ``redacted_session(session)`` gives a
session whose artifacts are the redacted ones (and the redaction, for its map).
"""

from __future__ import annotations

from tlsworkbench.model import Session

from .build import Report, build

FORMATS = ("md", "html")


def render(session: Session, fmt: str = "md", title: str = "TLS diagnosis",
           redacted: bool = False) -> str:
    rep = build(session, title=title, redacted=redacted)
    if fmt == "html":
        from .html import render as r
    elif fmt == "md":
        from .markdown import render as r
    else:
        raise ValueError(f"unknown report format {fmt!r} (use md or html)")
    return r(rep)


def redacted_session(session: Session, seed=None):
    """(redacted and diagnosed session, Redaction); raises redact.LeakError."""
    from tlsworkbench.engine import diagnose
    from tlsworkbench.ingest import loader
    from tlsworkbench.redact import LeakError, redact
    from tlsworkbench.redact.scan import scan

    red = redact(session, seed=seed)
    # the user's notes, with the same stand-ins as the export (redact/export.py),
    # scanned for leaks with the artifacts
    notes = {k: red.rewriter.line(v) for k, v in (session.notes or {}).items()}
    leaks = scan(red.outputs, red.sensitive, {"session notes": "\n".join(notes.values())})
    if leaks:
        raise LeakError(leaks)
    out = Session()
    for o in red.outputs:
        loader.read_data(out, o.name, o.data, note=o.note)
    loader.finish(out)
    diagnose(out)
    out.notes = notes  # the artifacts are read again in the same order: the ids hold
    return out, red


__all__ = ["FORMATS", "Report", "build", "redacted_session", "render"]
