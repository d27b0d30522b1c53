"""Return-code reference: search AT-TLS, System SSL, CMS, TN3270, R_datalib,
HWTH and FTP codes and message ids by code, hex code, symbolic name or words
of the meaning; when a line is selected, shows the entries for its return
codes in the family of the program that wrote the line (a CICS line's 8 is
System SSL's 8, a Zowe line's 8/8/44 is R_datalib's)."""

from __future__ import annotations

import re

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


def entries_for(code, family: str | None = None) -> list:
    """Entries for one code of a selected line: in ``family`` (the record's
    ``fields["family"]``, e.g. ``"cics"``) when it has some, else every family's."""
    try:
        from tlsworkbench import reference as ref

        text = str(code)
        found = []
        if family and family != "attls":
            found = [e for e in _as_list(ref.lookup(text, family=family))
                     if _f(e, "code") == code or isinstance(code, str)]
        if not found:
            found = [e for e in _as_list(ref.lookup(text))
                     if _f(e, "code") == code or isinstance(code, str)]
        return found or (_as_list(ref.get(code)) if isinstance(code, int) else [])
    except Exception:
        return []


_SPLIT = re.compile(r"[\s,;]+")


def search(query: str) -> list:
    """Entries for what is typed in the search box: one code, hex code,
    symbolic name or message id; several of them separated by blanks or
    commas (``6002 03353024``); or words of the meaning."""
    try:
        from tlsworkbench import reference as ref

        if not query:
            return list(ref.all_entries())[:200]
        found = _as_list(ref.lookup(query))
        tokens = [t for t in _SPLIT.split(query.strip()) if t]
        if len(tokens) > 1 and ("/" not in query):
            each = [_as_list(ref.lookup(t)) for t in tokens]
            if all(each) and all(_looks_like_code(t) for t in tokens):
                found = []
                for lst in each:
                    found.extend(e for e in lst if e not in found)
        return found[:200]
    except Exception:
        return []


def _looks_like_code(token: str) -> bool:
    return bool(re.fullmatch(r"[-+]?[0-9A-Fa-fXx']+(-\d+)?|[A-Z]{3,5}\d{3,5}[A-Z]?|"
                             r"[A-Z][A-Z0-9]*_[A-Z0-9_]+", token.upper()))


def selected_codes(rec) -> tuple[str | None, list]:
    """(family, codes) the selected record carries beyond its ``rc``: the
    TN3270 RCODE, an R_datalib SAF/RACF triple, an HWTH return code."""
    fields = getattr(rec, "fields", None) or {}
    fam = fields.get("family") if isinstance(fields.get("family"), str) else None
    extra: list = []
    rcode = fields.get("rcode")
    if rcode not in (None, ""):
        num = str(rcode).split("-")[0]
        if num.isdigit():
            extra.append(("tn3270", int(num)))
        elif re.fullmatch(r"[0-9A-Fa-f]{4}", num):
            extra.append(("tn3270", num.upper()))  # 600E: a TN3270 code with hex letters
    saf = [fields.get(k) for k in ("saf_rc", "racf_rc", "racf_rsn")]
    if all(str(v).isdigit() for v in saf):
        extra.append(("rdatalib", "/".join(str(int(v)) for v in saf)))
    hw = fields.get("hwth_rc")
    if isinstance(hw, int):
        extra.append(("hwth", hw))
    e2 = fields.get("errno2")
    if isinstance(e2, str) and re.fullmatch(r"[0-9A-Fa-f]{8}", e2):
        extra.append(("errno2", e2.upper()))  # a socket reason code: the line's own
    return fam, extra


def own_rc(rec) -> int | None:
    """The return code the record itself carries (``fields["rc"]``), or None."""
    rc = (getattr(rec, "fields", None) or {}).get("rc")
    return rc if isinstance(rc, int) and not isinstance(rc, bool) and rc else None


def describe(entry) -> Text:
    t = Text()
    code = _f(entry, "code_text", "code")
    fam = _f(entry, "family_label", "family")
    t.append(plain(f"{fam} {code}".strip(), style="bold"))
    hexcode = _f(entry, "hex")
    if hexcode and hexcode != str(code) and _f(entry, "family") in ("gsk", "hwth"):
        t.append(" ", style="dim")
        t.append(plain(f"(X'{hexcode}')"))
    name = _f(entry, "name")
    if name and name != str(code):
        t.append("  ", style="dim")
        t.append(plain(name, style="bold"))
    meaning = _f(entry, "meaning", "short", "title", "text")
    if meaning:
        t.append("\n")
        t.append(plain(str(meaning)))
    for label, names in (("Check", ("action", "check", "user_response")),
                         ("Where", ("where",)),
                         ("Fields", ("fields",)),
                         ("See", ("see",)),
                         ("Source", ("source", "doc")),
                         ("Section", ("section",))):
        v = _f(entry, *names)
        if v:
            if isinstance(v, (list, tuple)):
                v = "; ".join(map(str, v))
            t.append(f"\n{label}: ", style="bold")
            t.append(plain(str(v)))
    if _f(entry, "not_found", default=False):
        t.append("\n(meaning not found in the sources read)", style="italic dim")
    elif _f(entry, "confirmed", default=True) is False:
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
        self._shown_key: tuple = ()
        self._showing_codes = False

    def compose(self) -> ComposeResult:
        yield Static(plain("Return codes"), classes="pane-title", id="ref-title")
        yield Input(placeholder="search: 428, 1AC, GSK_ERR_..., 8/8/44, words ...",
                    id="ref-search")
        yield ListBox(id="ref-list")
        yield TextBox(id="ref-detail")

    def on_mount(self) -> None:
        # the reference tables load after the first screen is painted
        self.call_after_refresh(self._fill)

    def _fill(self) -> None:
        if not self.shown and not self.codes:
            self._show(search(""), "all")

    def _show(self, entries: list, why: str, missing: list[int] | None = None) -> None:
        self._showing_codes = why.startswith("for ")
        self.shown = entries
        ol = self.query_one(ListBox)
        options = []
        for i, e in enumerate(entries):
            t = Text()
            t.append(plain(f"{_f(e, 'family_label', 'family', 'kind')} ", style="dim"))
            t.append(plain(str(_f(e, "code_text", "code", "rc")), style="bold"))
            t.append("  ", style="dim")  # its own span: blanks that open a span vanish in SVG
            meaning = str(_f(e, "meaning", "short", "title", "text"))
            t.append(plain(f"{meaning[:70]}{'...' if len(meaning) > 70 else ''}"))
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

    def show_codes(self, codes, family: str | None = None, extra=(), whose: str = "") -> None:
        codes = sorted({int(c) for c in codes})
        key = (codes, family, tuple(extra), whose)
        if key == self._shown_key and self._showing_codes:
            return  # the same entries are listed already
        self.codes = codes
        self._shown_key = key
        found, missing = [], []
        for c in codes:
            got = entries_for(c, family)
            if got:
                found.extend(e for e in got if e not in found)
            else:
                missing.append(c)
        for fam, c in extra:
            found.extend(e for e in entries_for(c, fam) if e not in found)
        shown = [*map(str, codes), *(str(c) for f2, c in extra
                                      if str(c) not in map(str, codes) and f2 != "errno2")]
        errno2 = [f"errno2 {c}" for f2, c in extra if f2 == "errno2"]
        why = "for " + ", ".join((["RC " + ", ".join(shown)] if shown else []) + errno2)
        if family and family != "attls":
            why += f" ({family} line)"
        if whose:
            why += f" ({whose})"
        self._show(found, why, missing)

    def show_selection(self, rel, source: str) -> None:
        """The codes the selected line carries, in its family; the codes of its
        connection only when the line carries none (QA2 3: an EZD1287I with RC
        5006 is explained as 5006, not as its connection's first code)."""
        family, extra, own = None, [], None
        try:
            rec = self.app.session.record(rel.record) if rel.record else None
            family, extra = selected_codes(rec)
            own = own_rc(rec)
        except Exception:
            pass
        if own is not None or extra:
            self.show_codes([own] if own is not None else [], family, extra)
        elif rel.rcs:
            self.show_codes(rel.rcs, family, whose="of the connection; the line has none")

    @on(Input.Changed, "#ref-search")
    def _search(self, event: Input.Changed) -> None:
        q = event.value.strip()
        self._show(search(q), f"matching {q!r}" if q else "all")

    @on(OptionList.OptionHighlighted, "#ref-list")
    def _hl(self, event: OptionList.OptionHighlighted) -> None:
        oid = event.option.id or ""
        if oid.startswith("e"):
            self._detail(int(oid[1:]))
