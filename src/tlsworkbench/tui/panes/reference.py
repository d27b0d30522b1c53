"""Return-code reference: search AT-TLS, System SSL and CMS codes; when a line
is selected, shows the entries for its return codes (and its connections')."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ..text import plain, set_line
from .base import WatchesSelection
from .textbox import ListBox, TextBox


def _f(entry, *names, default=""):
    for n in names:
        v = entry.get(n) if isinstance(entry, dict) else getattr(entry, n, None)
        if v not in (None, ""):
            return v
    return default


def _as_list(found) -> list:
    if found is None:
        return []
    if isinstance(found, (list, tuple)):
        return list(found)
    return [found]


def entries_for(code: int) -> list:
    try:
        from tlsworkbench import reference as ref

        found = [e for e in _as_list(ref.lookup(str(code))) if _f(e, "code") == code]
        return found or _as_list(ref.get(code))
    except Exception:
        return []


def search(query: str) -> list:
    try:
        from tlsworkbench import reference as ref

        if not query:
            return list(ref.all_entries())[:200]
        return _as_list(ref.lookup(query))[:200]
    except Exception:
        return []


def describe(entry) -> Text:
    t = Text()
    code = _f(entry, "code_text", "code")
    fam = _f(entry, "family_label", "family")
    t.append(plain(f"{fam} {code}".strip(), style="bold"))
    name = _f(entry, "name")
    if name and name != str(code):
        t.append(plain(f"  {name}", style="bold"))
    meaning = _f(entry, "meaning", "short", "title", "text")
    if meaning:
        t.append("\n")
        t.append(plain(str(meaning)))
    for label, names in (("Check", ("action", "check", "user_response")),
                         ("Where", ("where",)),
                         ("See", ("see",)),
                         ("Source", ("source", "doc"))):
        v = _f(entry, *names)
        if v:
            if isinstance(v, (list, tuple)):
                v = "; ".join(map(str, v))
            t.append(f"\n{label}: ", style="bold")
            t.append(plain(str(v)))
    if _f(entry, "confirmed", default=True) is False:
        t.append("\n(not confirmed against an IBM source)", style="italic dim")
    if _f(entry, "generic", default=False):
        t.append("\n(meaning of the range, not of this code)", style="italic dim")
    return t


class ReferencePane(WatchesSelection, Vertical):
    HELP = "reference.md"

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.shown: list = []
        self.codes: list[int] = []
        self._showing_codes = False

    def compose(self) -> ComposeResult:
        yield Static(plain("Return codes"), classes="pane-title", id="ref-title")
        yield Input(placeholder="search: 428, GSK_ERROR, key label ...", id="ref-search")
        yield ListBox(id="ref-list")
        yield TextBox(id="ref-detail")

    def on_mount(self) -> None:
        # the reference tables load after the first screen is painted
        self.call_after_refresh(self._fill)

    def _fill(self) -> None:
        if not self.shown and not self.codes:
            self._show(search(""), "all")

    def _show(self, entries: list, why: str, missing: list[int] | None = None) -> None:
        self._showing_codes = why.startswith("for RC ")
        self.shown = entries
        ol = self.query_one(ListBox)
        options = []
        for i, e in enumerate(entries):
            t = Text()
            t.append(plain(f"{_f(e, 'family_label', 'family', 'kind')} ", style="dim"))
            t.append(plain(str(_f(e, "code_text", "code", "rc")), style="bold"))
            meaning = str(_f(e, "meaning", "short", "title", "text"))
            t.append(plain(f"  {meaning[:70]}{'...' if len(meaning) > 70 else ''}"))
            options.append(Option(t, id=f"e{i}"))
        for code in missing or []:
            options.append(Option(plain(f"RC {code}: not in the reference data"),
                                  id=f"m{code}"))
        ol.show_options(options, grow_only=self._showing_codes)
        if options:
            ol.highlighted = 0
            ol.scroll_to_highlight()
        set_line(self.query_one("#ref-title", Static), plain(f"Return codes  {why}"))
        self._detail(0)

    def _detail(self, i: int) -> None:
        box = self.query_one("#ref-detail", TextBox)
        box.show(describe(self.shown[i]) if 0 <= i < len(self.shown) else plain(""))

    def show_codes(self, codes) -> None:
        codes = sorted({int(c) for c in codes})
        if codes == self.codes and self._showing_codes:
            return  # the same entries are listed already
        self.codes = codes
        found, missing = [], []
        for c in codes:
            got = entries_for(c)
            if got:
                found.extend(got)
            else:
                missing.append(c)
        self._show(found, "for RC " + ", ".join(map(str, codes)), missing)

    def show_selection(self, rel, source: str) -> None:
        if rel.rcs:
            self.show_codes(rel.rcs)

    @on(Input.Changed, "#ref-search")
    def _search(self, event: Input.Changed) -> None:
        q = event.value.strip()
        self._show(search(q), f"matching {q!r}" if q else "all")

    @on(OptionList.OptionHighlighted, "#ref-list")
    def _hl(self, event: OptionList.OptionHighlighted) -> None:
        oid = event.option.id or ""
        if oid.startswith("e"):
            self._detail(int(oid[1:]))
