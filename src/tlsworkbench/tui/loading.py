"""Loading for the workbench, off the UI thread: the engine's session, then
the console's merged index and the selection index. Plain Python."""

from __future__ import annotations

from collections.abc import Callable

from .logindex import LogIndex
from .selection import Selector

Progress = Callable[[str, int, int], None]


def open_paths(paths: list[str], progress: Progress | None = None):
    """The engine's session for files, folders or .tlswb files."""
    from tlsworkbench.engine import open_session

    return open_session(paths, progress=progress)


def prepare(session, progress: Progress | None = None) -> tuple[LogIndex, Selector]:
    """Build what the panes need to show a session."""
    def step(done, total):
        if progress:
            progress("indexing console lines", done, total)

    log = LogIndex(session).build(step)
    if progress:
        progress("indexing connections", 0, 1)
    sel = Selector(session)
    return log, sel
