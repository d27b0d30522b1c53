"""Findings pane: every finding (severity, cause, title), the selected one's
explanation and its fix commands, ready to copy with ``y``."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..evidence import listed as evidence_list
from ..messages import FindingSelected, RecordSelected
from ..text import plain
from ..themes import color
from .base import WatchesSelection
from .textbox import ListBox, TextBox

SEV = {"error": "E", "warning": "W", "info": "I"}


def fix_text(finding) -> str:
    """The fix of a finding as one text, in the order to run them, each step
    under a label saying where it goes (what ``t`` saves)."""
    from tlsworkbench.diagnose import fixjob

    return fixjob.full_text(finding.commands)


class FindingsPane(WatchesSelection, Vertical):
    HELP = "findings.md"

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.session = None
        self.related: set[str] = set()
        self.current: str | None = None
        self._pos: dict[str, int] = {}
        self._shown_related: set[str] = set()

    def compose(self) -> ComposeResult:
        yield Static(plain("Findings"), classes="pane-title", id="findings-title")
        yield ListBox(id="findings-list")
        yield TextBox(id="findings-detail")

    def set_session(self, session) -> None:
        self.session = session
        self.current = None
        self._choose(session.selected_finding or (session.findings[0].id if session.findings
                                                  else None))
        self._fill()
        self.query_one("#findings-title", Static).update(
            plain(f"Findings  {len(session.findings)}"), layout=False)

    def _prompt(self, f) -> Text:
        err = color(self.app, "rc-error")
        warn = color(self.app, "rc-warning")
        sev = SEV.get(f.severity, "?")
        rel = f.id in self.related
        t = Text()
        t.append("\u25b6 " if rel else "  ")
        t.append(f"{sev} ", style=f"bold {err}" if f.severity == "error" else
                 (warn if f.severity == "warning" else ""))
        t.append(f"{f.id:<4}")
        t.append(plain(f.title, style="bold" if rel else ""))
        # not "dim" nor a theme colour: the list's highlight sets the readable one (QA2 12)
        t.append(plain(f"  [{f.cause}]", style="italic"))
        return t

    def _fill(self) -> None:
        """Build the list once per session; selections only restyle rows."""
        ol = self.query_one(OptionList)
        ol.clear_options()
        self._shown_related: set[str] = set()
        if self.session is None:
            return
        self._pos = {f.id: i for i, f in enumerate(self.session.findings)}
        options = [Option(self._prompt(f), id=f.id) for f in self.session.findings]
        if not options:
            options.append(Option(plain("no findings: nothing failed, or the evidence does not "
                                        "say why"), id="-none-", disabled=True))
        ol.add_options(options)
        self._shown_related = set(self.related)
        self._highlight()
        self._detail()

    def _restyle(self) -> None:
        ol = self.query_one(OptionList)
        changed = self._shown_related ^ self.related
        for fid in changed:
            i = self._pos.get(fid)
            f = self.session.finding(fid) if i is not None else None
            if f is not None:
                ol.replace_option_prompt_at_index(i, self._prompt(f))
        self._shown_related = set(self.related)

    def _highlight(self) -> None:
        ol = self.query_one(OptionList)
        i = self._pos.get(self.current) if self.current else None
        if i is not None and ol.highlighted != i:
            ol.highlighted = i
            ol.scroll_to_highlight()

    def _choose(self, fid: str | None) -> None:
        """Make ``fid`` the current finding and tell the app (which owns the
        selected finding: what ``y`` copies is what the session saves)."""
        if fid != self.current:
            self.current = fid
            if fid:
                self.post_message(FindingSelected(fid))

    def finding(self):
        if self.session is None or not self.current:
            return None
        return self.session.finding(self.current)

    def _detail(self) -> None:
        f = self.finding()
        box = self.query_one("#findings-detail", TextBox)
        if f is None:
            box.show(plain(""))
            return
        t = Text()
        t.append(plain(f.title, style="bold"))
        t.append(plain(f"\n{f.severity}, cause {f.cause}, confidence {f.confidence:.0%}"
                       + (f", RC {', '.join(map(str, f.rcs))}" if f.rcs else ""), style="dim"))
        t.append("\n\n")
        t.append(plain(f.explanation))
        if f.commands:
            from tlsworkbench.diagnose import fixjob

            t.append("\n\nFix, in this order (y copies the TSO commands, Y the other steps; "
                     "t saves it all as text, j as a job):\n", style="bold")
            cmd = color(self.app, "command-fg")
            for c in f.commands:
                if c.kind not in fixjob.TSO_KINDS:
                    t.append(plain(f"  [{fixjob.WHERE.get(c.kind, c.kind)}]\n", style="bold"))
                if c.purpose:
                    t.append(plain(f"  /* {c.purpose} */\n", style="dim"))
                t.append(plain(fixjob.step_text(c) + "\n", style=cmd))
        if f.verify:
            t.append("\nCheck:\n", style="bold")
            for c in f.verify:
                t.append(plain(c.text + "\n"))
        if f.next_steps:
            t.append("\nNext steps:\n", style="bold")
            for s in f.next_steps:
                t.append(plain(f"  - {s}\n"))
        if f.evidence:
            t.append(plain("\nEvidence: " + evidence_list(self.session, f.evidence), style="dim"))
        box.show(t)

    def restyle(self) -> None:
        """Draw the list and the detail again in the current theme's colours."""
        if self.session is not None:
            self._fill()

    def show_selection(self, rel, source: str) -> None:
        self.related = set(rel.findings)
        if self.session is None:
            return
        if self.related and self.current not in self.related:
            order = [f.id for f in self.session.findings if f.id in self.related]
            errs = [fid for fid in order if self.session.finding(fid).severity == "error"]
            self._choose((errs or order)[0])
            self._highlight()
            self._detail()
        self._restyle()

    @on(OptionList.OptionHighlighted, "#findings-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        fid = event.option.id
        if fid and fid != "-none-" and fid != self.current:
            self._choose(fid)
            self._detail()

    @on(OptionList.OptionSelected, "#findings-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        f = self.session.finding(event.option.id) if self.session else None
        if f is not None and f.evidence:
            self.post_message(RecordSelected(f.evidence[0], "findings"))
