"""Untrusted text for the screen: never markup, never control characters.

Log lines, labels and DNs come from files: they go into ``rich.text.Text`` as
plain strings, after control characters (ESC, BEL, C1 controls) are replaced so
that nothing in a file can move the cursor or change the terminal.
"""

from __future__ import annotations

from rich.text import Text

from tlsworkbench.ingest.common import printable as engine_printable


def printable(text: str) -> str:
    """``text`` with control characters shown as visible escapes (``\\x1b``), tabs as a blank."""
    return engine_printable(text).replace("\t", " ")


def plain(text: object, style: str = "") -> Text:
    """A Text holding ``text`` literally (no markup is interpreted); line ends
    are kept, every other control character is made visible."""
    return Text("\n".join(printable(part) for part in str(text).split("\n")), style=style)


def literal(text: object) -> "Content":
    """Untrusted text as Textual ``Content`` shown literally (for sinks that
    would read a ``str`` as markup: the command palette's help, for one)."""
    from textual.content import Content

    return Content("\n".join(printable(part) for part in str(text).split("\n")))


def literal_lines(text: object) -> str:
    """``text`` with control characters made visible, line ends kept: for a
    sink that is told not to read markup (``notify(..., markup=False)``)."""
    return "\n".join(printable(part) for part in str(text).split("\n"))


def read_lines(art, first: int, last: int) -> list[str]:
    """Lines ``first..last`` of an artifact (``Artifact.lines``). Never raises:
    a file that cannot be read any more gives one line per number saying why."""
    try:
        return art.lines(first, last)
    except Exception as exc:  # unreadable file: show why instead of crashing
        return [f"<unreadable: {exc}>"] * max(0, min(last, art.line_count) - max(1, first) + 1)


def same(a: Text | None, b: Text | None) -> bool:
    """Same characters in the same styles (rich's ``==`` leaves the base style out)."""
    return (a is not None and b is not None and a.plain == b.plain
            and a.style == b.style and a.spans == b.spans)


def set_line(widget, text: Text) -> None:
    """Put ``text`` in a one-line ``Static`` (a title, the status line): no
    layout (the line keeps its height), and no repaint when it says the same."""
    if same(text, getattr(widget, "_tlswb_line", None)):
        return
    widget._tlswb_line = text
    widget.update(text, layout=False)
