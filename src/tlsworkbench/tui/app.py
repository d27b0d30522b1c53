"""The workbench app: wires the panes, the one selection, the keys and the
loading worker. Panes live in ``panes/``; loading in ``loading.py``."""

from __future__ import annotations

import gc
import os
import sys
import threading
import time
from pathlib import Path

from textual import on, work
from textual.app import App, ComposeResult
from textual.containers import Container
from textual.reactive import reactive
from textual.widgets import Footer, Input, ProgressBar, Tab, Tabs

from tlsworkbench.errors import UsageError

from . import config as configmod, themes
from . import notices  # file toasts, the screenshot folder
from .actions import SessionActions
from .commands import WorkbenchCommands
from .heap import GC_IDLE, release_heap, settle_heap
from .keymap import APP_BINDINGS, PANE_TITLES, PANES, SHORT_TITLES, binding_ids
from .loading import open_paths, prepare
from .messages import CertSelected, FindingSelected, LoadProgress, RecordSelected
from .panes.console import ConsolePane
from .panes.findings import FindingsPane
from .panes.inspector import InspectorPane
from .panes.reference import ReferencePane
from .panes.ringtree import RingTreePane
from .panes.statusline import StatusLine
from .panes.timeline import TimelinePane
from .screens import HelpScreen
from .selection import NOTHING, Selection
from .text import literal_lines

DEFAULT_THEME = "dark"


class WorkbenchApp(SessionActions, themes.OwnThemes, App[int]):
    CSS_PATH = "styles/app.tcss"
    TITLE = "tlsworkbench"
    BINDINGS = APP_BINDINGS
    COMMANDS = App.COMMANDS | {WorkbenchCommands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]

    selection: reactive[Selection] = reactive(NOTHING, init=False, repaint=False)
    """The one selection (record, source pane, what belongs with it); every pane
    watches it and reads only its value. Changing it repaints nothing by itself
    (a repaint of the app is one of the whole screen): the panes refresh what
    they change."""
    finding: reactive[str | None] = reactive(None, init=False, repaint=False)
    """Id of the selected finding: what ``y`` copies and the session saves."""
    active_pane: reactive[str] = reactive("console", init=False)
    """The pane shown when the screen is narrow (and the one jump keys go to)."""

    def __init__(self, session=None, paths=(), theme: str | None = None,
                 config: configmod.Config | None = None, env: dict | None = None) -> None:
        self.config = config or configmod.Config()
        super().__init__()
        self.session = session
        self.paths = [str(p) for p in paths]
        self.session_path: str | None = next(
            (p for p in self.paths if p.lower().endswith(".tlswb")), None) \
            if len(self.paths) == 1 else None
        self.theme_name = theme or self.config.theme or DEFAULT_THEME
        self.env = dict(os.environ) if env is None else env
        self.selector = None
        self.changes: set[str] = set()
        self.loading = ""
        # themes before the first paint, so the stylesheet is built once
        found, self._theme_errors = themes.load_all()
        for th in found:
            self.register_theme(th)
        self._own_themes = {th.name for th in found}
        if self.theme_name not in self.available_themes:
            self._theme_errors.append(f"no theme named {self.theme_name!r}; using "
                                      f"{DEFAULT_THEME}")
            self.theme_name = DEFAULT_THEME
        self.theme = self.theme_name
        self._last_progress = 0.0
        self._selected_at = 0.0
        self._collected_at = 0.0
        self._told_small = False
        self._cancel = threading.Event()
        """Set when the app ends: a load in its worker thread stops."""

    def notify(self, message: str, *, title: str = "", severity="information",
               timeout: float | None = None, markup: bool = False) -> None:
        """Every toast is literal: messages carry file names, manifest fields and
        log text, which must never run as markup (``[@click=...]``) or crash it
        (``[/bogus]``); ``markup`` is accepted and ignored."""
        super().notify(literal_lines(message), title=literal_lines(title), severity=severity,
                       timeout=timeout, markup=False)

    def deliver_screenshot(self, filename: str | None = None, path: str | None = None,
                           time_format: str | None = None) -> str | None:
        """Save an SVG of the screen where it can be written (``notices.screenshot_dir``)
        and say where, literally; a failure is said too."""
        from textual.app import generate_datetime_filename

        name = filename or generate_datetime_filename(self.title, ".svg", time_format)
        target = notices.screenshot_dir(path) / name
        try:
            target.write_text(self.export_screenshot(), encoding="utf-8")
        except OSError as exc:
            self.notify(f"could not save the screenshot to {target}: {exc.strerror or exc}",
                        title="Screenshot", severity="error")
            return None
        self.notify(f"saved the screenshot to {target}", title="Screenshot")
        return str(target)

    # -- building ------------------------------------------------------------
    def get_theme_variable_defaults(self) -> dict[str, str]:
        return {**super().get_theme_variable_defaults(), **themes.DEFAULTS}

    def compose(self) -> ComposeResult:
        yield Tabs(*[Tab(f"{i + 1} {PANE_TITLES[p]}", id=f"tab-{p}") for i, p in enumerate(PANES)],
                   id="switcher")
        with Container(id="panes"):
            yield ConsolePane(id="console", classes="pane -active")
            yield FindingsPane(id="findings", classes="pane")
            yield ReferencePane(id="reference", classes="pane")
            yield RingTreePane(id="rings", classes="pane")
            yield InspectorPane(id="inspector", classes="pane")
            yield TimelinePane(id="timeline", classes="pane")
        yield ProgressBar(id="progress", show_eta=False)
        yield StatusLine(id="status")
        yield Footer(show_command_palette=False)  # F10 is in it, as "Palette"

    def on_mount(self) -> None:
        self.set_interval(GC_IDLE / 2, self._collect_when_idle)
        for err in self._theme_errors:
            self.notify(err, title="theme not used", severity="error", timeout=15)
        if self.config.keys:
            self.set_keymap(self.config.keys)
        self.query_one("#console-view").focus()
        # the first screen is painted before any loading starts
        if self.session is not None:
            self._begin_loading("indexing")
            self.call_after_refresh(self._prepare_worker, self.session)
        elif self.paths:
            self._begin_loading("loading")
            self.call_after_refresh(self._load_worker, self.paths)
        else:
            self.query_one(ProgressBar).display = False
            self._status()

    def on_resize(self, event) -> None:
        width, height = event.size
        short = width < 100
        for i, p in enumerate(PANES):
            title = (SHORT_TITLES if short else PANE_TITLES)[p]
            tab = self.query_one(f"#tab-{p}", Tab)
            if tab.label_text != f"{i + 1} {title}":
                tab.label = f"{i + 1} {title}"
        small = width < SMALLEST[0] or height < SMALLEST[1]
        if small and not self._told_small:
            self.notify(f"The window is {width}x{height}; the workbench needs {SMALLEST[0]}x"
                        f"{SMALLEST[1]} to show every pane's tab and the keys. Keys 1-6 switch "
                        "panes, F1 lists every key.", title="small window", severity="warning",
                        timeout=10)
        self._told_small = small

    # -- loading -------------------------------------------------------------
    def _begin_loading(self, what: str) -> None:
        self.loading = what + "..."
        bar = self.query_one(ProgressBar)
        bar.display = True
        bar.update(total=None, progress=0)
        self._status()

    def _progress(self, what: str, done: int, total: int) -> None:
        """Called from the worker thread; at most ten messages a second. Once
        the user has quit, the next call ends the load (``LoadCancelled``)."""
        if self._cancel.is_set():
            raise LoadCancelled
        now = time.monotonic()
        if now - self._last_progress < 0.1 and done < total:
            return
        self._last_progress = now
        self.post_message(LoadProgress(done, total, what))

    def on_load_progress(self, msg: LoadProgress) -> None:
        if not self.loading:
            return  # a late message of a load that has finished
        bar = self.query_one(ProgressBar)
        if msg.total:
            bar.update(total=msg.total, progress=msg.done)
        self.loading = msg.what or self.loading
        self._status()

    @work(thread=True, exclusive=True, group="export")
    def _export_worker(self, out: str) -> None:
        from tlsworkbench.redact import export_redacted

        try:
            result = export_redacted(self.session, out, inputs=self._inputs(), force=True)
        except Exception as exc:  # RedactError, LeakError, OSError: said in one line
            self.call_from_thread(self.export_done, None, str(exc).splitlines()[0] if str(exc) else
                                  type(exc).__name__)
            return
        self.call_from_thread(self.export_done, result, None)

    @work(thread=True, exclusive=True, group="load")
    def _load_worker(self, paths: list[str], keep=None) -> None:
        try:
            session = open_paths(paths, progress=self._progress)
        except LoadCancelled:
            return
        except Exception as exc:  # unreadable input: say so, keep what is shown
            self.call_from_thread(self._load_failed, f"{type(exc).__name__}: {exc}")
            return
        if keep is not None:
            session.notes.update(keep.notes)
            session.bookmarks.extend(b for b in keep.bookmarks if b not in session.bookmarks)
        self._prepare(session)

    @work(thread=True, exclusive=True, group="load")
    def _prepare_worker(self, session) -> None:
        self._prepare(session)

    def _prepare(self, session) -> None:
        """In the worker thread: index the session, then show it."""
        try:
            log, sel = prepare(session, self._progress)
        except LoadCancelled:
            return
        self.call_from_thread(self._loaded, session, log, sel)

    def _load_failed(self, why: str) -> None:
        self.loading = ""
        self.query_one(ProgressBar).display = False
        self.notify(why, title="could not load", severity="error", timeout=20)
        self.forget_failed_load()  # QA2 6: an empty, usable workbench (tui/actions.py)

    def on_unmount(self) -> None:
        self._cancel.set()  # a load still running stops at its next step
        release_heap()

    def action_interrupt(self) -> None:
        """ctrl+c: while loading, stop and quit at once; otherwise copy the text
        selected with the mouse, as Textual does."""
        if self.loading:
            self._cancel.set()
            self.exit(130, return_code=130)  # interrupted, as a shell says it
        else:
            self.screen.action_copy_text()

    def _collect_when_idle(self) -> None:
        """The full garbage collection the selections left for later, once the
        user has not selected anything for ``GC_IDLE`` seconds."""
        now = time.monotonic()
        if self._selected_at > self._collected_at and now - self._selected_at > GC_IDLE:
            self._collected_at = now
            gc.collect()

    def _loaded(self, session, log, selector) -> None:
        self.session, self.selector = session, selector
        settle_heap()
        self.loading = ""
        self.query_one(ProgressBar).display = False
        console = self.query_one(ConsolePane)
        console.set_index(log)
        console.view.bookmarks = set(session.bookmarks)
        console.view.notes = set(session.notes)
        for pane in (FindingsPane, RingTreePane, InspectorPane, TimelinePane):
            self.query_one(pane).set_session(session)
        self.set_reactive(WorkbenchApp.selection, NOTHING)
        self.set_reactive(WorkbenchApp.finding, session.selected_finding)
        self._status()
        problems = [notices.problem(a) for a in session.artifacts
                    if a.kind in ("unknown", "unreadable") or a.unparsed]
        keys = [a.path for a in session.artifacts if "Private key removed" in a.note]
        if keys:
            self.notify("private key removed from " + ", ".join(keys[:5]) +
                        (f" and {len(keys) - 5} more" if len(keys) > 5 else "") +
                        "; keys are never kept in a session, export or report",
                        title="private keys removed", severity="warning", timeout=12)
        if problems:
            more = f"\n... and {len(problems) - 5} more" if len(problems) > 5 else ""
            self.notify("\n".join(problems[:5]) + more, title="some input was not read fully",
                        severity="warning", timeout=10)

    # -- the selection -------------------------------------------------------
    def watch_selection(self, selection: Selection) -> None:
        self._status()
        self.tell_note(selection.record)  # QA2 10: a noted line shows its note

    def select(self, rid: str | None, source: str = "") -> None:
        self._selected_at = time.monotonic()
        self.selection = self.selector.select(rid, source) if self.selector else NOTHING

    def on_record_selected(self, msg: RecordSelected) -> None:
        self.select(msg.record_id, msg.source)

    def on_finding_selected(self, msg: FindingSelected) -> None:
        self.finding = msg.finding_id

    def watch_finding(self, fid: str | None) -> None:
        if self.session is not None:
            self.session.selected_finding = fid

    def on_cert_selected(self, msg: CertSelected) -> None:
        self.query_one(InspectorPane).show_cert(msg.cert_id)

    def current_finding(self):
        """The selected finding (the one ``y`` copies and the session saves)."""
        return self.session.finding(self.finding) if (self.session and self.finding) else None

    def _status(self) -> None:
        self.query_one(StatusLine).show(self.session, self.selection.related, self.loading,
                                        bool(self.changes))

    # -- actions -------------------------------------------------------------
    def watch_active_pane(self, pane: str) -> None:
        for p in PANES:
            self.query_one(f"#{p}").set_class(p == pane, "-active")
        tabs = self.query_one(Tabs)
        if tabs.active != f"tab-{pane}":
            tabs.active = f"tab-{pane}"

    @on(Tabs.TabActivated, "#switcher")
    def _tab(self, event: Tabs.TabActivated) -> None:
        pane = (event.tab.id or "").removeprefix("tab-")
        if pane in PANES and pane != self.active_pane:
            self.action_jump(pane)

    def action_jump(self, pane: str) -> None:
        self.active_pane = pane
        self.call_after_refresh(self.query_one(FOCUS[pane]).focus)

    def action_leave_input(self) -> None:
        """Escape in a search box (the return codes'): back to its list, so that
        letters and digits are keys again."""
        if isinstance(self.focused, Input):
            self.query_one(FOCUS[self.active_pane]).focus()

    def action_next_error(self) -> None:
        if not self.query_one(ConsolePane).view.next_error(True):
            self.notify("no error lines", severity="warning")

    def action_previous_error(self) -> None:
        if not self.query_one(ConsolePane).view.next_error(False):
            self.notify("no error lines", severity="warning")

    def action_search(self) -> None:
        if self.active_pane == "reference":
            self.query_one("#ref-search").focus()
            return
        self.active_pane = "console"
        self.query_one(ConsolePane).focus_filter("search")

    def action_filter(self) -> None:
        self.active_pane = "console"
        self.query_one(ConsolePane).focus_filter("filter")

    def show_rc(self, code: int) -> None:
        self.action_jump("reference")
        self.query_one(ReferencePane).show_codes([code])

    def action_help(self) -> None:
        focused = self.focused
        pane = None
        node = focused
        while node is not None and pane is None:
            pane = node if getattr(node, "HELP", None) else None
            node = node.parent
        if pane is None:
            pane = self.query_one(f"#{self.active_pane}")
        self.push_screen(HelpScreen(pane.HELP))


FOCUS = {"console": "#console-view", "findings": "#findings-list", "rings": "#ring-tree",
         "inspector": "#inspector-body", "timeline": "#timeline-view", "reference": "#ref-list"}
"""What a pane's jump key focuses: never a search box, so digits keep jumping."""
SMALL = (80, 24)
"""Below this size the tabs take short titles; below SMALLEST a notice says what is cut."""
SMALLEST = (60, 20)


class LoadCancelled(BaseException):
    """The user quit while a load was running (a BaseException, so that no
    "never crash on input" handler of a reader takes it for bad input)."""


def make_app(session_or_paths=None, theme: str | None = None,
             config: configmod.Config | None = None, env: dict | None = None) -> WorkbenchApp:
    """The app on a Session, or on paths (files, folders, a .tlswb)."""
    if session_or_paths is None or isinstance(session_or_paths, (list, tuple)):
        return WorkbenchApp(paths=session_or_paths or (), theme=theme, config=config, env=env)
    if isinstance(session_or_paths, (str, Path)):
        return WorkbenchApp(paths=[session_or_paths], theme=theme, config=config, env=env)
    return WorkbenchApp(session=session_or_paths, theme=theme, config=config, env=env)


def run_app(paths, theme: str | None = None) -> int:
    """``tlsworkbench [FILES|SESSION]``: no paths opens the bundled sample."""
    try:
        cfg = configmod.load_config(known_bindings=binding_ids())
    except configmod.ConfigError as exc:
        raise UsageError(str(exc)) from None
    paths = list(paths)
    if not paths:
        from tlsworkbench import paths as where

        sample = where.default_session()
        if not sample.is_file():
            raise UsageError(f"the sample session {sample} is missing; give files to open")
        paths = [str(sample)]
    if any(not str(p).strip() for p in paths):
        raise UsageError("an empty path was given; name a file or folder (. for the current one)")
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    app = make_app(paths, theme=theme, config=cfg)
    rc = int(app.run() or 0)
    if app.loading:
        # quit while loading: the reading thread is not waited for; nothing is
        # being written
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(rc)
    return rc
