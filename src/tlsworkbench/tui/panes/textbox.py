"""A scrolling text body that changes its content without a screen layout.

The panes' bodies (a finding's explanation, the certificate's facts, the ring's
"missing" notes, a return code's entry, the handshake ladder) change with every
selection. As a ``Static`` in a ``VerticalScroll`` each change of height made
Textual lay out the whole screen again and repaint the scrollbars in a second
frame. ``TextBox`` keeps a fixed region (its CSS height), renders its text
through the line API from a cache of strips built the way ``Static`` builds
them, and tells its own scrollbar about the new length. A screen layout is left
only for when the scrollbar appears or disappears (or, with ``fit``, when the
number of lines changes).

Content is a ``rich.text.Text`` (made with ``text.plain`` for untrusted text),
or a function of the width giving one; showing the same content again does
nothing.
"""

from __future__ import annotations

from typing import Callable, Union

from rich.text import Text
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.visual import Visual, visualize
from textual.widget import Widget
from textual.widgets import OptionList

Content = Union[Text, Callable[[int], Text]]
KEEP = 8
"""Wrapped texts a box remembers."""


def same(a: Text | None, b: Text | None) -> bool:
    """Same characters, same styles (rich's ``==`` leaves out the base style)."""
    return (a is not None and b is not None and a.plain == b.plain
            and a.style == b.style and a.spans == b.spans)


class SteadyScrollbars:
    """Mixin for line-API widgets (``ScrollView``): skip the size update of a
    layout pass when neither the size nor the virtual size changed.

    Textual compares the view's own virtual size with the content region the
    compositor passes, which differ by design for a ``ScrollView``, so every
    layout pass of the screen repaints every visible scrollbar of every view,
    and that repaint comes in a frame of its own."""

    _steady_sizes: tuple | None = None

    def _size_updated(self, size, virtual_size, container_size, layout: bool = True) -> bool:
        key = (size, container_size, self.virtual_size)
        if key == self._steady_sizes:
            return False
        self._steady_sizes = key
        return super()._size_updated(size, virtual_size, container_size, layout)


class TextBox(SteadyScrollbars, ScrollView, can_focus=True):
    """A text body in a region of fixed height, scrollable when the text is longer.

    ``fit`` (a number of lines) makes the box as high as its text instead, up
    to that many lines; its height then changes only when the number of lines
    does."""

    DEFAULT_CSS = """
    TextBox {
        height: 1fr;
        overflow-x: hidden;
        overflow-y: auto;
    }
    """

    def __init__(self, content: Content | None = None, *, fit: int | None = None, **kw) -> None:
        super().__init__(**kw)
        self._content: Content = content if content is not None else Text()
        self._text: Text | None = None
        """The text as last drawn (for a function: at the width it was drawn at)."""
        self._strips: list[Strip] = []
        self._built: int | None = None
        """The width the strips were built for (None: build them again)."""
        self._rows: int | None = None
        self._wrapped: dict[tuple, tuple[Text, list[Strip]]] = {}
        self.fit = fit

    # -- content ---------------------------------------------------------
    def show(self, content: Content, top: bool = True) -> bool:
        """Show ``content``; returns False when it is what is shown already.
        ``top`` scrolls back to the first line when the content changed."""
        if not callable(content) and same(content, self._text) and self._built is not None:
            return False
        self._content = content
        if not self._refit(force=not callable(content)):
            return False  # a function that drew the same text again
        if top and self.scroll_y:
            self.scroll_to(y=0, animate=False)
        return True

    @property
    def text(self) -> Text:
        """Everything the box holds, also what is scrolled out of view."""
        if self._text is None:
            self._text = self._make(max(1, self._full_width()))
        return self._text

    def render(self) -> Text:
        return self.text

    def _make(self, width: int) -> Text:
        c = self._content
        return c(width) if callable(c) else c

    # -- geometry --------------------------------------------------------
    def _full_width(self) -> int:
        """Width of the text when no scrollbar is shown."""
        if self.region.width:
            return max(1, self.content_region.width)
        parent = self.parent
        if isinstance(parent, Widget) and parent.content_region.width:
            return max(1, parent.content_region.width - self.styles.gutter.width)
        return 0

    def _wrap(self, width: int) -> tuple[Text, list[Strip]]:
        """The text at ``width`` and its lines, as ``Static`` would draw them;
        the last few are kept (selections often come back to the same text)."""
        text = self._make(width)
        if self.text_selection is not None:  # drawn with the mouse selection: not kept
            visual = visualize(self, text, markup=False)
            return text, Visual.to_strips(self, visual, width, None, self.visual_style, pad=True)
        key = (width, text.plain, tuple(text.spans), text.style)
        hit = self._wrapped.pop(key, None)
        if hit is None:
            visual = visualize(self, text, markup=False)
            hit = (text, Visual.to_strips(self, visual, width, None, self.visual_style, pad=True))
        self._wrapped[key] = hit
        while len(self._wrapped) > KEEP:
            del self._wrapped[next(iter(self._wrapped))]
        return hit

    def _refit(self, force: bool = False) -> bool:
        """Wrap the text for the current width and update the virtual size and
        scrollbar; returns False when nothing changed."""
        full = self._full_width()
        if not full:
            self._text, self._built = None, None
            return True
        height = self.content_region.height if self.region.height else 0
        bar = self.styles.scrollbar_size_vertical
        width = full
        if self.fit is None and height and self.styles.overflow_y != "hidden" and 0 < bar < full:
            # with a scrollbar first: a text longer than the box is wrapped once
            width = full - bar
            text, strips = self._wrap(width)
            if len(strips) <= height:
                width = full
        if width == full:
            text, strips = self._wrap(full)
        if not force and width == self._built and same(text, self._text) \
                and len(strips) == len(self._strips):
            return False
        self._text, self._strips, self._built = text, strips, width
        if self.fit is not None:
            rows = max(1, min(self.fit, len(strips)))
            if rows != self._rows:
                self._rows = rows
                self.styles.height = rows  # a layout, only when the number of lines changes
        vsize = Size(width, len(strips))
        if vsize != self.virtual_size:
            self.set_reactive(Widget.virtual_size, vsize)  # no screen layout for this
            if self.is_mounted and self.container_size:
                self._scroll_update(vsize)  # scrollbar shown/hidden: that one lays out
        self.refresh()
        return True

    def on_resize(self) -> None:
        self._refit()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._built = None
        self._wrapped.clear()
        if self.is_mounted:
            self.call_later(self._refit)

    def selection_updated(self, selection) -> None:
        self._built = None  # draw the lines again, with or without the mouse selection
        self.refresh()

    # -- drawing ---------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if self._built != width and width > 0:
            # drawn at another width than fitted (a scrollbar came or went):
            # wrap again now, fit the virtual size after this frame
            self._text, self._strips = self._wrap(width)
            self._built = width
            self.call_later(self._refit)
        i = self.scroll_offset.y + y
        if 0 <= i < len(self._strips):
            strip = self._strips[i]
            return strip if strip.cell_length == width else strip.crop_extend(0, width,
                                                                               self.rich_style)
        return Strip.blank(width, self.rich_style)


class ListBox(SteadyScrollbars, OptionList):
    """An ``OptionList`` whose scrollbars are not repainted by every layout pass,
    and which can take a new list without a layout when only the prompts change."""

    def show_options(self, options: list) -> None:
        """List ``options`` (``Option`` objects). When the same ids are listed
        already, only the prompts that differ are replaced: the list keeps its
        height unless a prompt needs another number of lines."""
        old = self.options
        if len(old) != len(options) or any(
                a.id != b.id or a.disabled != b.disabled for a, b in zip(old, options)):
            self.clear_options()
            self.add_options(options)
            return
        for i, (a, b) in enumerate(zip(old, options)):
            if not (same(a.prompt, b.prompt) if isinstance(a.prompt, Text) else a.prompt == b.prompt):
                self.replace_option_prompt_at_index(i, b.prompt)
