"""How the workbench looks on a terminal with 16 or 8 colours: a Textual line
filter that maps every colour to the nearest of the terminal's (what Rich does
when it writes to such a terminal), for Pilot tests and snapshots."""

from __future__ import annotations

from functools import lru_cache

from rich.color import Color as RichColor, ColorSystem
from rich.segment import Segment
from rich.style import Style
from textual.filter import LineFilter


@lru_cache(maxsize=4096)
def ansi_number(color: RichColor, colours: int) -> int:
    """The terminal colour a truecolor colour becomes (0-15, or 0-7 for 8 colours)."""
    n = color.downgrade(ColorSystem.STANDARD).number
    return n - 8 if colours == 8 and n >= 8 else n


@lru_cache(maxsize=4096)
def _few(color: RichColor | None, colours: int) -> RichColor | None:
    if color is None or color.is_default:
        return color
    return RichColor.from_triplet(RichColor.from_ansi(ansi_number(color, colours)).get_truecolor())


class FewColours(LineFilter):
    def __init__(self, colours: int) -> None:
        super().__init__()
        self.colours = colours

    def apply(self, segments: list[Segment], background) -> list[Segment]:
        out = []
        for text, style, control in segments:
            if style is not None and (style.color is not None or style.bgcolor is not None):
                style = style + Style(color=_few(style.color, self.colours),
                                      bgcolor=_few(style.bgcolor, self.colours))
            out.append(Segment(text, style, control))
        return out


def with_colours(app, colours: int | None):
    """``app`` as a terminal with ``colours`` (16 or 8) would show it (None: as is)."""
    if colours:
        filt = FewColours(colours)
        own = app.get_line_filters
        app.get_line_filters = lambda: [*own(), filt]
    return app
