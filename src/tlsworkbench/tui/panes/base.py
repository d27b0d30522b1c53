"""What every pane shares: it watches the app's ``selection`` and shows what
the index relates to it."""

from __future__ import annotations


class WatchesSelection:
    """Mixin for panes with ``show_selection(related, source)``."""

    def on_mount(self) -> None:
        self.watch(self.app, "selection", self._selection_changed, init=False)

    def _selection_changed(self, record_id) -> None:
        rel = getattr(self.app, "related", None)
        if rel is not None:
            self.show_selection(rel, getattr(self.app, "selection_source", ""))
