"""The workbench's actions on the session and its files: copy or save a fix,
bookmarks and notes, open files, save the session, quit with a question when
something is unsaved. A mixin of ``WorkbenchApp``."""

from __future__ import annotations

import os
import shlex
from pathlib import Path

from tlsworkbench.diagnose import fixjob

from . import clipboard, config as configmod
from .panes.console import ConsolePane
from .screens import PromptScreen, QuitScreen


def split_paths(text: str) -> list[str]:
    """The paths typed in the Open prompt: the whole text when it names one
    existing file or folder (a path with blanks needs no quotes), else split
    as a shell would (quotes and backslashes keep blanks in a name)."""
    text = (text or "").strip()
    if not text:
        return []
    if Path(text).expanduser().exists():
        return [text]
    try:
        return [p for p in shlex.split(text) if p]
    except ValueError:  # an unclosed quote: take the blanks as separators
        return text.split()


class SessionActions:
    """Needs the app's ``session``, ``selection``, ``changes``, ``paths``,
    ``session_path``, ``env``, ``config`` and ``_status()``."""

    def _nothing_loaded(self) -> bool:
        if self.session is None:
            self.notify("nothing is loaded: o opens files, folders or a session",
                        severity="warning")
            return True
        return False

    def copy_finding(self, fid: str | None = None, what: str = "tso") -> bool:
        """``y`` (``what="tso"``): only the TSO (RACF) commands, ready for READY;
        ``Y`` (``"other"``): the other steps, fenced and labelled with where
        each goes (operator console, policy file, shell ...)."""
        if self._nothing_loaded():
            return False
        f = self.session.finding(fid) if (fid and self.session) else self.current_finding()
        if f is None or not f.commands:
            self.notify("the selected finding has no fix commands", severity="warning")
            return False
        text = fixjob.tso_text(f.commands) if what == "tso" else fixjob.other_text(f.commands)
        if not text:
            self.notify(f"the fix of {f.id} has no TSO commands: Y copies its other steps "
                        "(operator, policy ...), t saves them all as text" if what == "tso" else
                        f"the fix of {f.id} has only TSO commands: y copies them",
                        severity="warning", timeout=10)
            return False
        ok, msg = clipboard.copy(self, text, self.env, self.config.max_bytes,
                                 self.config.tmux_passthrough)
        if ok:
            whose = "TSO commands" if what == "tso" else "other steps (not TSO)"
            tmux = " (tmux passes it on only with set -g set-clipboard on)" \
                if clipboard.multiplexer(self.env) == "tmux" else ""
            self.notify(f"{msg}: the {whose} of finding {f.id}. A terminal does not confirm a "
                        f"copy{tmux}; if nothing arrives, t saves the fix to a file, j as a job",
                        timeout=10)
        else:
            self.notify(msg, severity="error", timeout=12)
        return ok

    def action_copy_fix(self, what: str = "tso") -> None:
        self.copy_finding(what=what)

    def action_save_fix(self, how: str = "jcl", fid: str | None = None) -> None:
        if self._nothing_loaded():
            return
        f = self.session.finding(fid) if (fid and self.session) else self.current_finding()
        if f is None or not f.commands:
            self.notify("the selected finding has no fix commands", severity="warning")
            return
        if how == "jcl" and not fixjob.tso_commands(f.commands):
            # a job with an empty SYSTSIN does nothing (QA2 9)
            self.notify(f"the fix of {f.id} has no RACF or TSO command, so there is no job to "
                        "run: t saves its steps as text", severity="warning", timeout=10)
            return
        ext = ".jcl" if how == "jcl" else ".txt"
        text = fixjob.job_text(f.commands, f.title) if how == "jcl" else \
            fixjob.full_text(f.commands)

        def write(real: Path) -> None:
            try:
                p = clipboard.save_text(real, text)
            except OSError as exc:
                self.notify(f"not saved: {exc}", severity="error")
                return
            self.notify(f"saved {p}")

        def done(path: str | None) -> None:
            real = self.checked_output(path, "the fix") if path else None
            if real is not None:
                self.confirm_overwrite(real, lambda: write(real))

        self.push_screen(PromptScreen(f"Save the fix of {f.id} as", f"fix-{f.id}{ext}"), done)

    def action_bookmark(self) -> None:
        rid = self.selection.record
        if not rid or self.session is None:
            self.notify("select a line first", severity="warning")
            return
        marks = self.session.bookmarks
        if rid in marks:
            marks.remove(rid)
        else:
            marks.append(rid)
        self.query_one(ConsolePane).view.bookmarks = set(marks)
        self.query_one(ConsolePane).view.refresh()
        self.changes.add("bookmarks")
        self._status()

    def action_note(self) -> None:
        rid = self.selection.record
        if not rid or self.session is None:
            self.notify("select a line first", severity="warning")
            return

        def done(text: str | None) -> None:
            if text is None:
                return
            if text.strip():
                self.session.notes[rid] = text.strip()
            else:
                self.session.notes.pop(rid, None)
            view = self.query_one(ConsolePane).view
            view.notes = set(self.session.notes)  # the console marks noted lines (QA2 10)
            view.refresh()
            self.changes.add("notes")
            self._status()

        self.push_screen(PromptScreen(f"Note on {rid}", self.session.notes.get(rid, "")), done)

    def tell_note(self, rid: str | None) -> None:
        """Show the note of the selected line, when it has one (literal text)."""
        note = self.session.notes.get(rid) if (rid and self.session is not None) else None
        if note:
            self.notify(str(note), title=f"note on {rid}", timeout=8)

    def action_open(self) -> None:
        def done(text: str | None) -> None:
            new = split_paths(text or "")
            if not new:
                return
            missing = [p for p in new if not Path(p).expanduser().exists()]
            if missing:
                self.notify(f"not found: {', '.join(missing)}", severity="error")
                return
            new = [str(Path(p).expanduser()) for p in new]
            self._before_load = (list(self.paths), self.session_path, set(self.changes))
            if len(new) == 1 and new[0].lower().endswith(".tlswb"):
                self.paths, self.session_path = new, new[0]
                self.changes.clear()
                keep = None
            else:
                self.paths = self.paths + new
                self.changes.add("added files")
                keep = self.session
            self._begin_loading("loading")
            self._load_worker(list(self.paths), keep)

        recent = configmod.recent_sessions()
        hint = "files, folders, or one .tlswb session" + (
            f"; recent: {', '.join(recent[:3])}" if recent else "")
        self.push_screen(PromptScreen("Open (paths; quote a name with blanks)", "", hint), done)

    def forget_failed_load(self) -> None:
        """A load failed (a damaged session file, an unreadable input): the
        workbench stays usable. With nothing loaded it is empty and says so; the
        bad paths are dropped (a later Open starts afresh, Save never targets
        the damaged file) and nothing counts as unsaved. A failed Open on a loaded
        session puts back what was there."""
        before = getattr(self, "_before_load", None)
        self._before_load = None
        if self.session is None:
            self.paths, self.session_path = [], None
            self.changes.clear()
            from .text import plain, set_line

            try:
                set_line(self.query_one("#console-title"),
                         plain("Console  (nothing loaded: o opens files, folders or a session)"))
            except Exception:  # no console pane (a test app): nothing to retitle
                pass
        elif before is not None:
            self.paths, self.session_path = before[0], before[1]
            self.changes = before[2]
        self._status()

    # -- where outputs may go (tlsworkbench.outputs) ---------------------------
    def _inputs(self, keep: str | None = None) -> list[str]:
        """The files and folders this session was read from: no output replaces
        them. ``keep``: the session file the user opened, which Save may replace."""
        kept = os.path.realpath(keep) if keep else None
        out = [p for p in self.paths if kept is None or os.path.realpath(p) != kept]
        if self.session is not None:
            out += [a.path for a in self.session.artifacts if a.data is None]
        return out

    def checked_output(self, path: str, what: str, keep: str | None = None) -> Path | None:
        """The path to write, or None (and a message) when it is an input, a
        device, inside the installed package or in a missing folder."""
        from tlsworkbench.outputs import OutputError, check

        try:
            return check(path, self._inputs(keep), what)
        except OutputError as exc:
            self.notify(f"not saved: {exc}", severity="error", timeout=15)
            return None

    def free_path(self, name: str) -> Path:
        """``name`` in the current folder, or, when that folder is (inside) an
        input folder, next to the outermost such folder: a suggestion the
        output check accepts."""
        where = Path.cwd().resolve()
        for p in self.paths:  # the folders given; artifacts inside them need no look
            folder = Path(p).expanduser().resolve()
            if folder.is_dir() and (where == folder or folder in where.parents):
                where = folder.parent
        return where / name

    def _opened(self, path: Path) -> bool:
        return bool(self.session_path) and os.path.realpath(self.session_path) == str(path)

    def confirm_overwrite(self, path: Path, go) -> None:
        """Run ``go`` at once for a new file or the session the user opened;
        ask first before replacing any other file."""
        if not path.exists() or self._opened(path):
            go()
            return

        def answered(text: str | None) -> None:
            if (text or "").strip().lower() in ("y", "yes"):
                go()
            else:
                self.notify(f"not saved: {path} was left as it is", severity="warning")

        self.push_screen(PromptScreen(f"{path} exists and was not opened here. Overwrite it? (y/n)",
                                      "n", "type y and enter to replace it"), answered)

    # -- saving the session ------------------------------------------------------
    def save_session(self, path: str) -> bool:
        """Save now, in the caller's thread (tests, scripts); the keys use
        :meth:`start_save`, which saves in a worker with progress."""
        from tlsworkbench import sessionfile

        real = self.checked_output(path, "the session file", keep=self.session_path)
        if real is None:
            return False
        try:
            sessionfile.save(self.session, real)
        except (sessionfile.SessionFileError, OSError) as exc:
            self._save_done(real, str(exc))
            return False
        self._save_done(real, None)
        return True

    def start_save(self, real: Path, force: bool = False, then_quit: bool = False) -> None:
        """Write the session in a worker thread; the progress bar shows how far."""
        from tlsworkbench import sessionfile

        session = self.session
        self._begin_loading("saving")

        def work() -> None:
            try:
                sessionfile.save(session, real, force=force, progress=self._progress)
            except (sessionfile.SessionFileError, OSError) as exc:
                self.call_from_thread(self._save_done, real, str(exc) or type(exc).__name__)
                return
            self.call_from_thread(self._save_done, real, None, then_quit)

        self.run_worker(work, thread=True, exclusive=True, group="save", name="save")

    def _save_done(self, real: Path, error: str | None, then_quit: bool = False) -> None:
        from textual.widgets import ProgressBar

        if self.loading.startswith("saving") or self.loading == str(real):
            self.loading = ""
            self.query_one(ProgressBar).display = False
        if error:
            self.notify(f"not saved: {error}", severity="error", timeout=15)
            self._status()
            return
        self.session_path = str(real)
        self.changes.clear()
        configmod.remember(str(real))
        self.notify(f"saved {real}")
        self._status()
        if then_quit:
            self.exit(0)

    def action_save(self, then_quit: bool = False) -> None:
        if self.session is None:
            # never silently nothing: there is no session to save
            self.notify("nothing is loaded, so there is nothing to save" +
                        ("; quitting" if then_quit else ""), severity="warning")
            if then_quit:
                self.exit(0)
            return
        from tlsworkbench.outputs import is_protected

        def done(path: str | None) -> None:
            if not path:
                return
            real = self.checked_output(path, "the session file", keep=self.session_path)
            if real is not None:
                self.confirm_overwrite(real, lambda: self.start_save(
                    real, force=not self._opened(real), then_quit=then_quit))

        # the bundled sample (inside the installed package) is never the default target
        opened = self.session_path if self.session_path and not is_protected(self.session_path) else None
        default = opened or str(self.free_path("session.tlswb"))
        question = "Save the session as" if opened or not self.session_path else \
            "The sample session cannot be replaced; save the session as"
        self.push_screen(PromptScreen(question, default), done)

    def action_export_redacted(self) -> None:
        """Write a redacted copy of the session to share (issue 6); the map of
        stand-ins goes next to it, never inside it."""
        if self.session is None:
            return

        def go(real: Path) -> None:
            self.notify("exporting a redacted copy ...")
            self._export_worker(str(real))

        def done(path: str | None) -> None:
            real = self.checked_output(path, "the export") if path else None
            if real is not None:
                self.confirm_overwrite(real, lambda: go(real))

        base = Path(self.session_path).stem if self.session_path else "session"
        self.push_screen(PromptScreen("Export a redacted copy as",
                                      str(self.free_path(f"{base}-redacted.tlswb")),
                                      "the map of stand-ins is written to FILE.map.json: keep it, "
                                      "do not send it"), done)

    def export_done(self, result, error: str | None) -> None:
        if error:
            self.notify(f"not exported: {error}", severity="error", timeout=15)
            return
        same = "same causes as the original" if result.same_causes else "causes differ: check"
        self.notify(f"exported {result.out_path}: {result.values} values replaced, leak check "
                    f"passed, {same}; map in {result.map_path}", timeout=12)

    def action_quit_checked(self) -> None:
        if not self.changes:
            self.exit(0)
            return

        def answered(what: str | None) -> None:
            if what == "quit":
                self.exit(0)
            elif what == "save":
                self.action_save(then_quit=True)

        self.push_screen(QuitScreen(", ".join(sorted(self.changes))), answered)

