"""What every pane shares: it watches the app's one ``selection`` (a
``tui.selection.Selection``) and shows what belongs with it."""

from __future__ import annotations


class WatchesSelection:
    """Mixin for panes with ``show_selection(related, source)``: they are given
    the selection's value and read nothing else of the app's."""

    def on_mount(self) -> None:
        self.watch(self.app, "selection", self._selection_changed, init=False)
        self.watch(self.app, "theme", self._theme_changed, init=False)

    def _theme_changed(self, _theme) -> None:
        """A theme chosen in the palette: text drawn with the old theme's colours
        (Rich styles) is drawn again (QA2 12: ring tree, findings list)."""
        restyle = getattr(self, "restyle", None)
        if restyle is not None:
            restyle()
        else:
            sel = self.app.selection
            self.show_selection(sel.related, sel.source)

    def _selection_changed(self, selection) -> None:
        self.show_selection(selection.related, selection.source)
