"""A scrolling text body that changes its content without a screen layout.

The panes' bodies (a finding's explanation, the certificate's facts, the ring's
"missing" notes, a return code's entry, the handshake ladder) change with every
selection. As a ``Static`` in a ``VerticalScroll`` each change of height made
Textual lay out the whole screen again and repaint the scrollbars in a second
frame. ``TextBox`` keeps a fixed region (its CSS height), renders its text
through the line API from a cache of strips built the way ``Static`` builds
them, and tells its own scrollbar about the new length. A screen layout is left
for the first text that needs a scrollbar (the scrollbar then stays, so that
it does not come and go with every selection) and, with ``fit``, for a box
that grows.

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

from ..text import same
from ..textual_private import SteadyScrollbars

Content = Union[Text, Callable[[int], Text]]
KEEP = 4
"""Wrapped texts a box remembers."""


class TextBox(SteadyScrollbars, ScrollView, can_focus=True):
    """A text body in a region of fixed height, scrollable when the text is longer.

    ``fit`` (a number of lines) makes the box as high as its text instead, up
    to that many lines, and it only grows: a shorter text leaves it as high as
    it is (no layout, nothing around it moves) until ``reset_fit`` or a change
    of width."""

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
        self._resized_at = 0
        self._style_seen = None
        self._wrapped: dict[tuple, tuple[Text, list[Strip]]] = {}
        self.fit = fit

    def reset_fit(self) -> None:
        """Let a ``fit`` box shrink to its next text."""
        self._rows = None

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

    def _refit(self, force: bool = False, resized: bool = False) -> bool:
        """Wrap the text for the current width and update the virtual size and
        scrollbar; returns False when nothing changed."""
        full = self._full_width()
        if not full:
            self._text, self._built = None, None
            return True
        height = self.content_region.height if self.region.height else 0
        bar = self.styles.scrollbar_size_vertical
        overflow = self.styles.overflow_y
        width = full
        if self.fit is None and height and overflow != "hidden" and 0 < bar < full:
            # with a scrollbar first: a text longer than the box is wrapped once
            width = full - bar
            text, strips = self._wrap(width)
            if len(strips) <= height and overflow != "scroll":
                width = full
            elif overflow == "auto":
                # the first text that needs the scrollbar keeps it there for the
                # next ones: a scrollbar coming and going is a screen layout each time
                self.styles.overflow_y = "scroll"
        if width == full:
            text, strips = self._wrap(full)
        if self.fit is not None:
            rows = max(1, min(self.fit, len(strips)))
            if self._rows is None or rows > self._rows or (resized and rows != self._rows):
                self._rows = rows
                self.styles.height = rows  # a layout: only when the box grows, or on a resize
        if not force and width == self._built and same(text, self._text) \
                and len(strips) == len(self._strips):
            return False
        self._text, self._strips, self._built = text, strips, width
        self.virtual_size = Size(width, len(strips))  # the scrollbar; no screen layout
        self.refresh()
        return True

    def on_resize(self, event) -> None:
        width = event.size.width
        self._refit(resized=width != self._resized_at)
        self._resized_at = width

    def notify_style_update(self) -> None:
        super().notify_style_update()
        if not self.is_mounted:
            return
        style = self.visual_style
        if style != self._style_seen:  # a theme, or CSS that applies now
            self._style_seen = style
            self._built = None
            self._wrapped.clear()
            self.call_later(self._refit)
        elif callable(self._content):
            self.call_later(self._refit)  # a drawing may show the focus (a cursor)

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
            self.call_later(self._refit, True)
        i = self.scroll_offset.y + y
        if 0 <= i < len(self._strips):
            strip = self._strips[i]
            return strip if strip.cell_length == width else strip.crop_extend(0, width,
                                                                               self.rich_style)
        return Strip.blank(width, self.rich_style)


class ListBox(SteadyScrollbars, OptionList):
    """An ``OptionList`` whose scrollbars are not repainted by every layout pass,
    and which can take a new list without a layout when only the prompts change."""

    _rows: int | None = None

    def show_options(self, options: list, grow_only: bool = False) -> None:
        """List ``options`` (``Option`` objects). When the same ids are listed
        already, only the prompts that differ are replaced.

        ``grow_only``: the list is as high as its options (up to its CSS
        max-height) but does not shrink for a shorter list, so that the list
        and what is below it stay put (no screen layout) as selections change
        it. Without it the height is the stylesheet's again."""
        old = self.options
        if len(old) != len(options) or any(
                a.id != b.id or a.disabled != b.disabled for a, b in zip(old, options)):
            self.clear_options()
            self.add_options(options)
        else:
            for i, (a, b) in enumerate(zip(old, options)):
                if not (same(a.prompt, b.prompt) if isinstance(a.prompt, Text)
                        else a.prompt == b.prompt):
                    self.replace_option_prompt_at_index(i, b.prompt)
        self._fit(grow_only)

    def _fit(self, grow_only: bool) -> None:
        if not grow_only:
            if self._rows is not None:
                self._rows = None
                self.styles.height = None  # the stylesheet's height (auto)
            return
        width = self.content_region.width
        if not width:
            return
        need = self.get_content_height(self.size, self.size, width)
        if self._rows is None or need > self._rows:
            self._rows = need
            self.styles.height = need  # a layout, only when the list grows
