"""The workbench's one selection: an immutable value kept in one reactive on
the app (``WorkbenchApp.selection``). Every pane reads only that value.

What belongs with a record is answered by the model's ``Index`` alone (the
same answer the CLI and the reports get); this module only wraps it with the
pane that made the selection.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tlsworkbench.model.index import Index, Related


@dataclass(frozen=True)
class Selection:
    """The selected record, the pane that selected it, and what belongs with it."""

    record: str | None = None
    source: str = ""
    """Id of the pane that made the selection (``"console"``, ``"findings"`` ...)."""
    related: Related = field(default_factory=Related)


NOTHING = Selection()


class Selector:
    """Makes the ``Selection`` of a record of one session."""

    def __init__(self, session) -> None:
        self.session = session
        self.index = Index(session)
        session.record("")  # build the session's id map now, not on the first click

    def select(self, rid: str | None, source: str = "") -> Selection:
        if not rid:
            return Selection(source=source)
        return Selection(rid, source, self.index.related(rid))
