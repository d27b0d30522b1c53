"""Handshake timeline: a ladder per handshake (client | server), each message
with version, suite and certificates; where it stopped and the exit status.
``d`` shows the decoded fields and the raw trace records of the message under
the cursor."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widgets import Static

from tlsworkbench.model.ladder import arrow, facts, sender
from tlsworkbench.model.trace import HandshakeMessage
from tlsworkbench.tls.names import suite_name, version_name

from ..messages import RecordSelected
from ..text import plain
from ..themes import color
from .base import WatchesSelection
from .textbox import TextBox


def msg_records(msg: HandshakeMessage) -> list[str]:
    return [msg.line] if msg.line else []


def field_text(key: str, value) -> str:
    """A decoded field as the user reads it: protocol versions and cipher suites
    by name (``version: 771`` is ``TLSv1.2 (0x0303)``)."""
    def one(v):
        if isinstance(v, bool) or not isinstance(v, int):
            return str(v)
        if "version" in key:
            return f"{version_name(v)} (0x{v:04X})"
        if key in ("cipher_suite", "cipher_suites"):
            return f"{suite_name(v)} (0x{v:04X})"
        return str(v)

    if isinstance(value, (list, tuple)) and ("version" in key or key == "cipher_suites"):
        return ", ".join(one(v) for v in value)
    return one(value)


class TimelineView(TextBox, can_focus=True):
    BINDINGS = [
        Binding("up", "move(-1)", "Previous message", show=False),
        Binding("down", "move(1)", "Next message", show=False),
        Binding("d", "details", "Details", tooltip="Decoded fields and raw trace records",
                id="timeline.details"),
        Binding("enter", "select", "Select", show=False),
    ]
    cursor: reactive[int] = reactive(0, init=False)
    details: reactive[bool] = reactive(False, init=False)

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.session = None
        self.handshakes: list = []
        self.related_records: set[str] = set()

    def items(self) -> list[tuple[object, object]]:
        return [(h, m) for h in self.handshakes for m in h.messages]

    def watch_cursor(self) -> None:
        self.redraw(top=False)

    def watch_details(self) -> None:
        self.redraw(top=False)

    def action_move(self, delta: int) -> None:
        n = len(self.items())
        if n:
            self.cursor = max(0, min(n - 1, self.cursor + delta))

    def action_details(self) -> None:
        self.details = not self.details

    def action_select(self) -> None:
        items = self.items()
        if 0 <= self.cursor < len(items):
            recs = msg_records(items[self.cursor][1])
            if recs:
                self.post_message(RecordSelected(recs[0], "timeline"))

    def redraw(self, top: bool = True) -> None:
        """Draw the ladder again (at whatever width the box has, also after a resize)."""
        self.show(self.render_ladder, top=top)

    def render_ladder(self, width: int = 0) -> Text:
        t = Text()
        if not self.handshakes:
            n = len(self.session.handshakes) if self.session else 0
            t.append(plain("No handshake for this selection." if n else
                           "No decoded handshakes: add a GSKSRVR component trace to see one.",
                           style="dim"))
            return t
        err, ok = color(self.app, "rc-error"), color(self.app, "rc-ok")
        rel_bg = color(self.app, "related-bg")
        cur_bg = color(self.app, "selected-bg")
        k = 0
        for h in self.handshakes:
            head = f"Handshake {h.id}"
            if h.system:
                head += f" on {h.system}"
            if h.connection:
                head += f" ({h.connection})"
            t.append(plain(head + "\n", style="bold"))
            width = max(30, (width or 60) - 1)
            t.append(plain("client".ljust(width - 6) + "server\n", style="dim"))
            for m in h.messages:
                who = sender(m, h)
                line = arrow(m.type, who, width)
                style = ""
                if any(r in self.related_records for r in msg_records(m)):
                    style = f"on {rel_bg}"
                if k == self.cursor and self.has_focus:
                    style = f"bold on {cur_bg}"
                t.append(plain(line, style=style))
                t.append("\n")
                words = facts(m)
                if words:
                    if who == "server" and len(words) < width - 4:
                        words = words.rjust(width - 2)
                    else:
                        words = "  " + words
                    t.append(plain(words + "\n", style="dim"))
                if self.details and k == self.cursor:
                    self._details(t, m)
                k += 1
            stop = h.stopped
            if h.reason:
                stop = f"{stop or ''} {h.reason}".strip()
            rc = h.rc
            if stop or rc is not None:
                bad = bool(stop) or (isinstance(rc, int) and rc != 0)
                words = f"stopped: {stop}" if stop else "completed"
                if rc is not None:
                    words += f"  (exit status {rc})"
                t.append(plain(words + "\n", style=f"bold {err if bad else ok}"))
            t.append("\n")
        return t

    def _details(self, t: Text, m) -> None:
        for k, v in m.fields.items():
            t.append(plain(f"      {k}: {field_text(k, v)}\n"))
        s = self.session
        for rid in msg_records(m):
            rec = s.record(rid) if s else None
            text = rec.text if rec is not None else ""
            for ln in (text or rid).splitlines()[:12]:
                t.append(plain(f"      | {ln}\n", style="dim"))


class TimelinePane(WatchesSelection, Vertical):
    HELP = "timeline.md"

    def compose(self) -> ComposeResult:
        yield Static(plain("Handshakes"), classes="pane-title", id="timeline-title")
        yield TimelineView(id="timeline-view")

    @property
    def view(self) -> TimelineView:
        return self.query_one(TimelineView)

    def set_session(self, session) -> None:
        v = self.view
        v.session = session
        v.handshakes = session.handshakes[:20]
        v.cursor = 0
        v.redraw()
        n = len(session.handshakes)
        self.query_one("#timeline-title", Static).update(plain(f"Handshakes  {n}"), layout=False)

    def show_selection(self, rel, source: str) -> None:
        v = self.view
        s = v.session
        if s is None:
            return
        hs = [h for h in s.handshakes if h.id in rel.handshakes]
        if hs:
            v.handshakes = hs
            v.cursor = 0
        v.related_records = set(rel.records)
        v.redraw()
