"""Console pane: every console, job log and syslogd line of the session merged
by time across systems, through the line API (one row per line, text read on
demand), with errors marked, a filter bar and next/previous error."""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.geometry import Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Input, Static

from ..logindex import Filter, LogIndex
from ..messages import RecordSelected
from ..filters import hint as filter_hint
from ..text import literal_lines, plain, set_line
from ..textual_private import SteadyScrollbars
from .base import WatchesSelection

SYS_W = 8
TIME_W = 11
JOB_W = 8
MARK_W = 3
"""The marks in front of a line: ``!`` for an error, then ``*`` bookmark, ``n``
note, ``N`` both (an error keeps its ``!``), then a blank before the system."""
WIDTH = 220
"""Columns the view scrolls over until a long line asks for more (``>``, ``R``)."""
RC_FIELD = re.compile(r"\bRC\s*[:=(]\s*-?\w", re.IGNORECASE)
"""Where a line names its return code (``RC:    6``, ``RC=8``, ``RC(428)``)."""


class ConsoleView(SteadyScrollbars, ScrollView, can_focus=True):
    """The merged lines; ``cursor`` is a position in the visible rows."""

    COMPONENT_CLASSES = {"console--error", "console--related", "console--cursor",
                         "console--system", "console--time", "console--selected",
                         "console--bookmark", "console--job"}
    BINDINGS = [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("pageup", "move(-20)", "Page up", show=False),
        Binding("pagedown", "move(20)", "Page down", show=False),
        Binding("home", "jump(0)", "First", show=False),
        Binding("end", "jump(-1)", "Last", show=False),
        Binding("greater_than_sign", "shift(1)", "Right", show=False, id="console.right",
                tooltip="Long lines: half a screen to the right"),
        Binding("less_than_sign", "shift(-1)", "Left", show=False, id="console.left",
                tooltip="Long lines: half a screen to the left"),
        Binding("R", "to_rc", "RC field", show=False, id="console.rc_field",
                tooltip="Long lines: scroll to the RC field of the selected line"),
    ]
    cursor: reactive[int] = reactive(0, always_update=True, init=False)
    """Index into the visible rows."""
    raw: reactive[bool] = reactive(False, init=False)
    """Show each line as it is in the file (False: compact, the message text
    without its layout's prefix, with the job in a column of its own)."""

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.index: LogIndex | None = None
        self.view: array | None = None
        """Visible rows (None: every row)."""
        self.related_rows: set[int] = set()
        self.selected_rows: set[int] = set()
        self.bookmarks: set[str] = set()
        self.notes: set[str] = set()
        """Ids of the records with a note (the session's ``notes``)."""
        self._style_cache: dict[str, Style] | None = None

    # -- data ------------------------------------------------------------
    def set_index(self, index: LogIndex) -> None:
        self.index = index
        self.view = None
        self._resize()
        self.refresh()

    def set_view(self, rows: array | None) -> None:
        keep = self.row_at(self.cursor)
        self.view = rows
        self._resize()
        if keep is not None:
            self.cursor = self.position_of(keep, nearest=True)
        self.refresh()

    def _resize(self) -> None:
        self.virtual_size = Size(max(WIDTH, self.virtual_size.width), self.count)

    @property
    def count(self) -> int:
        if self.index is None:
            return 0
        return len(self.view) if self.view is not None else len(self.index)

    def row_at(self, pos: int) -> int | None:
        if not 0 <= pos < self.count:
            return None
        return self.view[pos] if self.view is not None else pos

    def position_of(self, row: int, nearest: bool = False) -> int:
        if self.view is None:
            return row
        i = bisect_left(self.view, row)
        if i < len(self.view) and self.view[i] == row:
            return i
        return min(i, len(self.view) - 1) if nearest else -1

    # -- rendering -------------------------------------------------------
    def _styles(self) -> dict[str, Style]:
        """The widget's and its components' styles, looked up once per style
        change rather than for every line drawn (the widget's own style walks
        all its ancestors)."""
        st = self._style_cache
        if st is None:
            def comp(name: str) -> Style:  # the colour and weight only: highlights show through
                got = self.get_component_rich_style(name)
                return Style(color=got.color, bold=got.bold, dim=got.dim, reverse=got.reverse)

            st = self._style_cache = {
                "base": self.rich_style, "error": comp("console--error"),
                "selected": self._background("console--selected"),
                "related": self._background("console--related"),
                "cursor": comp("console--cursor"), "system": comp("console--system"),
                "time": comp("console--time"), "job": comp("console--job"),
            }
            if self.app.no_color:
                # NO_COLOR turns colours into greys (a red error darker than a normal
                # line, a related background near black): weight and lines instead
                st["error"] = Style(bold=True)
                st["related"] = Style(underline=True)
                st["selected"] = Style(reverse=True, bold=True)
        return st

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._style_cache = None

    def render_line(self, y: int) -> Strip:
        st = self._styles()
        width = self.size.width
        pos = self.scroll_offset.y + y
        row = self.row_at(pos)
        if row is None or self.index is None:
            return Strip.blank(width, st["base"])
        ix = self.index
        base = st["base"]
        rec = ix.record_at(row)
        style = base
        if rec is not None and getattr(rec, "severity", "") == "error":
            style = base + st["error"]
        if row in self.selected_rows:
            style += st["selected"]
        elif row in self.related_rows:
            style += st["related"]
        if pos == self.cursor and self.has_focus:
            style += st["cursor"]
        first = rec is not None and ix.row_line[row] == rec.line
        t = ix.time_at(row) if first else None
        tstr = t.strftime("%H:%M:%S.%f")[:11] if t else ""
        mark = "!" if (first and getattr(rec, "severity", "") == "error") else " "
        if first:
            rid = ix.record_id_at(row)
            mark += {(True, False): "*", (False, True): "n", (True, True): "N"}.get(
                (rid in self.bookmarks, rid in self.notes), " ") + " "
        else:
            mark += "  "
        sysname = ix.system_at(row)
        if self.raw:
            head, text = "", ix.text(row)
        else:
            c = ix.compact(row)
            tstr = tstr or c.time
            if rec is None and c.system:
                sysname = c.system
            job = c.job or (getattr(rec, "job", None) or "" if first else "")
            head = job[:JOB_W].ljust(JOB_W + 1)
            text = "  " + c.text if c.cont else c.text
        segs = [
            Segment(mark, style),
            Segment(sysname[:SYS_W].ljust(SYS_W), style + st["system"]),
            Segment(tstr.ljust(TIME_W + 1), style + st["time"]),
        ]
        if head:
            segs.append(Segment(head, style + st["job"]))
        segs.append(Segment(text, style))
        x = int(self.scroll_x)
        strip = Strip(segs).crop(x, x + width)
        return strip.extend_cell_length(width, style)

    def _background(self, name: str) -> Style:
        """Only the background (and boldness) of a component style, so an error
        line keeps its colour when it is also highlighted."""
        st = self.get_component_rich_style(name)
        return Style(bgcolor=st.bgcolor, bold=st.bold)

    def watch_raw(self) -> None:
        self.refresh()

    # -- movement --------------------------------------------------------
    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh()
        self.scroll_to(y=max(0, new - self.size.height // 2), animate=False) \
            if not (self.scroll_offset.y <= new < self.scroll_offset.y + self.size.height) else None
        row = self.row_at(new)
        if row is not None and self.index is not None:
            self.post_message(RecordSelected(self.index.record_id_at(row), "console"))

    def line_text(self, pos: int) -> tuple[int, str]:
        """(cells before the text, the text) of the visible row ``pos``."""
        row = self.row_at(pos)
        if row is None or self.index is None:
            return 0, ""
        if self.raw:
            return MARK_W + SYS_W + TIME_W + 1, self.index.text(row)
        c = self.index.compact(row)
        return MARK_W + SYS_W + TIME_W + 1 + JOB_W + 1, ("  " + c.text if c.cont else c.text)

    def _scroll_x_to(self, x: int) -> None:
        """Scroll to column ``x``, widening the scroll range for a long line."""
        start, text = self.line_text(self.cursor)
        need = max(x + self.size.width, start + cell_len(text))
        if need > self.virtual_size.width:
            self.virtual_size = Size(need, self.count)
        self.scroll_to(x=max(0, x), animate=False)

    def action_shift(self, direction: int) -> None:
        """Half a screen right (1) or left (-1)."""
        self._scroll_x_to(int(self.scroll_x) + direction * max(1, self.size.width // 2))

    def action_to_rc(self) -> None:
        """Bring the RC field of the selected line into view (the start of the
        line when it has none)."""
        start, text = self.line_text(self.cursor)
        m = RC_FIELD.search(text)
        if m is None:
            self.notify("no RC field on this line", severity="warning", timeout=3)
            self._scroll_x_to(0)
            return
        col = start + cell_len(text[:m.start()])
        self._scroll_x_to(col - 4 if col >= self.size.width - 8 else 0)

    def action_move(self, delta: int) -> None:
        if self.count:
            self.cursor = max(0, min(self.count - 1, self.cursor + delta))

    def action_jump(self, pos: int) -> None:
        if self.count:
            self.cursor = self.count - 1 if pos < 0 else pos

    def goto_row(self, row: int, post: bool = True) -> bool:
        pos = self.position_of(row)
        if pos < 0:
            return False
        if post:
            self.cursor = pos
        else:
            self.set_reactive(ConsoleView.cursor, pos)
            self.center(pos)
        return True

    def center(self, pos: int) -> None:
        if not (self.scroll_offset.y <= pos < self.scroll_offset.y + self.size.height):
            self.scroll_to(y=max(0, pos - self.size.height // 3), animate=False)
        self.refresh()

    def next_error(self, forward: bool = True) -> bool:
        if self.index is None or not len(self.index.error_rows):
            return False
        errs = self.index.error_rows
        cur = self.row_at(self.cursor)
        cur = -1 if cur is None else cur
        if forward:
            i = bisect_right(errs, cur)
            candidates = list(errs[i:]) + list(errs[:i])
        else:
            i = bisect_left(errs, cur)
            candidates = list(reversed(errs[:i])) + list(reversed(errs[i:]))
        for row in candidates[:len(errs)]:
            if self.goto_row(row):
                return True
        return False

    def on_focus(self) -> None:
        self.refresh()

    on_blur = on_focus

    def on_click(self, event) -> None:
        pos = self.scroll_offset.y + event.y
        if 0 <= pos < self.count:
            self.cursor = pos


class ConsolePane(WatchesSelection, Vertical):
    """Console pane: title, filter bar and the merged view."""

    HELP = "console.md"
    BINDINGS = [
        Binding("escape", "clear_filter", "Clear filter", show=False, id="console.clear"),
        Binding("r", "toggle_raw", "Raw", id="console.raw", show=False,
                tooltip="Show the lines as they are in the files (with their SYSLOG, job log "
                "or syslogd prefix), or compact: the message text and the job"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(plain("Console  (loading...)"), id="console-title", classes="pane-title")
        yield Input(placeholder=filter_hint(None), id="console-filter")
        yield ConsoleView(id="console-view")

    @property
    def view(self) -> ConsoleView:
        return self.query_one(ConsoleView)

    def set_index(self, index: LogIndex) -> None:
        self.view.set_index(index)
        self.query_one("#console-filter", Input).placeholder = filter_hint(index.session)
        self._title()

    def _title(self, note: str = "") -> None:
        v = self.view
        total = len(v.index) if v.index else 0
        shown = v.count
        arts = len(v.index.arts) if v.index else 0
        head = f"Console  {total:,} lines from {arts} log{'' if arts == 1 else 's'}"
        if shown != total:
            head += f", {shown:,} shown"
        head += "  (raw)" if v.raw else ""
        if note:
            head += f"  {note}"
        set_line(self.query_one("#console-title", Static), plain(head))

    def show_selection(self, rel, source: str) -> None:
        v = self.view
        if v.index is None:
            return
        v.related_rows = set(v.index.rows_of_records(rel.records))
        v.selected_rows = set(v.index.rows_of_records([rel.record])) if rel.record else set()
        if source != "console" and rel.record:
            row = v.index.row_of.get(rel.record)
            if row is None:
                rows = sorted(v.related_rows)
                row = rows[0] if rows else None
            if row is not None:
                v.goto_row(row, post=False)
        v.refresh()

    def action_toggle_raw(self) -> None:
        self.view.raw = not self.view.raw
        self._title()

    # -- filter ------------------------------------------------------------
    def focus_filter(self, mode: str = "filter") -> None:
        inp = self.query_one("#console-filter", Input)
        session = self.view.index.session if self.view.index else None
        inp.placeholder = ("search: text, enter for the next match" if mode == "search" else
                           filter_hint(session))
        inp.mode = mode  # type: ignore[attr-defined]
        inp.focus()

    @on(Input.Submitted, "#console-filter")
    def _submitted(self, event: Input.Submitted) -> None:
        if getattr(event.input, "mode", "filter") == "search":
            self.search(event.value)
        else:
            self.apply_filter(event.value)
            self.view.focus()

    def search(self, text: str) -> bool:
        v = self.view
        if not text or v.index is None:
            return False
        needle = text.lower()
        n = v.count
        for k in range(1, n + 1):
            pos = (v.cursor + k) % n
            if needle in v.index.text(v.row_at(pos)).lower():
                v.cursor = pos
                return True
        self.app.notify(f"not found: {text}", severity="warning")
        return False

    def apply_filter(self, query: str) -> None:
        flt = Filter.parse(query)
        if flt.errors:  # said, never a silent empty view
            self.app.notify(literal_lines("; ".join(flt.errors)), title="filter not applied",
                            severity="error", markup=False)
            return
        self._filter_worker(flt)

    @work(thread=True, exclusive=True, group="console-filter")
    def _filter_worker(self, flt: Filter) -> None:
        index = self.view.index
        if index is None:
            return
        rows = index.filter_rows(flt)
        self.app.call_from_thread(self._filtered, rows)

    def _filtered(self, rows) -> None:
        self.view.set_view(rows)
        self._title()

    def action_clear_filter(self) -> None:
        self.query_one("#console-filter", Input).value = ""
        self.view.set_view(None)
        self._title()
        self.view.focus()
