"""Every use of Textual's private API, in one module (tests/test_textual_private.py
checks that the Textual installed still has what is used here).

Textual 8.2 has no public way to

* write an escape sequence of our own to the terminal (the DCS-wrapped OSC 52
  that tmux's ``allow-passthrough`` and GNU screen need; ``App.copy_to_clipboard``
  writes only the bare OSC 52): ``write_raw``;
* tell a view of fixed height its new scroll extent without a layout of the
  whole screen, or skip the scrollbar repaint of a layout pass that changed
  nothing for the view: ``SteadyScrollbars``;
* relabel or expand ``Tree`` nodes without the layout ``Tree`` asks for on every
  change: ``QuietTree``.

Without them the workbench works the same, only slower on big sessions (see
docs/benchmarks.md); if a Textual release drops one, the test says which.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Tree

USED = {
    "App": ["_driver"],
    "Widget": ["_size_updated", "_scroll_update", "_size", "_container_size"],
    "Tree": ["_invalidate"],
}
"""Private names used here, by class (what the test checks)."""


def write_raw(app, *sequences: str) -> bool:
    """Write escape sequences to the terminal; False when there is none (headless)."""
    driver = app._driver
    if driver is None:
        return False
    for seq in sequences:
        driver.write(seq)
    driver.flush()
    return True


class SteadyScrollbars:
    """Mixin for line-API widgets (``ScrollView``) that spares the screen
    layouts and repaints Textual does not need for them:

    * a new virtual size (more or fewer lines) of a view whose height is set
      by CSS updates its scrollbar and repaints it, without laying out the
      whole screen (Textual's ``virtual_size`` asks for a layout; one still
      comes when a scrollbar appears or disappears, or the height is ``auto``);
    * a layout pass that changed neither the view's size nor its virtual size
      leaves its scrollbars alone (Textual compares the view's own virtual
      size with the content region the compositor passes, which differ by
      design for a ``ScrollView``, so every layout pass repainted every visible
      scrollbar of every view, in a frame of its own)."""

    virtual_size = Reactive(Size(0, 0), layout=False)
    _steady_sizes: tuple | None = None

    def watch_virtual_size(self, size: Size) -> None:
        if self.styles.auto_dimensions:
            self.refresh(layout=True)  # its height follows its content
        elif self.is_mounted and self.container_size:
            self._scroll_update(size)
            # done: the next layout pass need not do it again (in a frame of its own)
            self._steady_sizes = (self._size, self._container_size, size)

    def _size_updated(self, size, virtual_size, container_size, layout: bool = True) -> bool:
        key = (size, container_size, self.virtual_size)
        if key == self._steady_sizes:
            return False
        self._steady_sizes = key
        return super()._size_updated(size, virtual_size, container_size, layout)


class QuietTree(SteadyScrollbars, Tree):
    """A ``Tree`` whose height is fixed by its container: expanding, collapsing
    or relabelling nodes repaints it and updates its scrollbar, without the
    screen layout ``Tree`` asks for on every change."""

    _quiet = False

    def refresh(self, *regions, repaint: bool = True, layout: bool = False,
                recompose: bool = False):
        if self._quiet:
            layout = False
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def _invalidate(self) -> None:
        self._quiet = True
        try:
            super()._invalidate()
        finally:
            self._quiet = False
