"""The workbench's actions on the session and its files: copy or save a fix,
bookmarks and notes, open files, save the session, quit with a question when
something is unsaved. A mixin of ``WorkbenchApp``."""

from __future__ import annotations

from pathlib import Path

from tlsworkbench.diagnose import fixjob

from . import clipboard, config as configmod
from .panes.console import ConsolePane
from .panes.findings import fix_text
from .screens import PromptScreen, QuitScreen


class SessionActions:
    """Needs the app's ``session``, ``selection``, ``changes``, ``paths``,
    ``session_path``, ``env``, ``config`` and ``_status()``."""

    def copy_finding(self, fid: str | None = None) -> bool:
        f = self.session.finding(fid) if (fid and self.session) else self.current_finding()
        if f is None or not f.commands:
            self.notify("the selected finding has no fix commands", severity="warning")
            return False
        ok, msg = clipboard.copy(self, fix_text(f), self.env, self.config.max_bytes,
                                 self.config.tmux_passthrough)
        if ok:
            self.notify(f"{msg} of finding {f.id}; j saves them as a job")
        else:
            self.notify(msg, severity="error", timeout=12)
        return ok

    def action_copy_fix(self) -> None:
        self.copy_finding()

    def action_save_fix(self, how: str = "jcl", fid: str | None = None) -> None:
        f = self.session.finding(fid) if (fid and self.session) else self.current_finding()
        if f is None or not f.commands:
            self.notify("the selected finding has no fix commands", severity="warning")
            return
        ext = ".jcl" if how == "jcl" else ".txt"
        text = fixjob.job_text(f.commands, f.title) if how == "jcl" else fix_text(f)

        def done(path: str | None) -> None:
            if path:
                try:
                    p = clipboard.save_text(path, text)
                except OSError as exc:
                    self.notify(f"not saved: {exc}", severity="error")
                    return
                self.notify(f"saved {p}")

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
            self.changes.add("notes")
            self._status()

        self.push_screen(PromptScreen(f"Note on {rid}", self.session.notes.get(rid, "")), done)

    def action_open(self) -> None:
        def done(text: str | None) -> None:
            new = [p for p in (text or "").split() if p]
            if not new:
                return
            missing = [p for p in new if not Path(p).expanduser().exists()]
            if missing:
                self.notify(f"not found: {', '.join(missing)}", severity="error")
                return
            new = [str(Path(p).expanduser()) for p in new]
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
        self.push_screen(PromptScreen("Open (space-separated paths)", "", hint), done)

    def save_session(self, path: str) -> bool:
        from tlsworkbench import sessionfile

        try:
            sessionfile.save(self.session, path)
        except (sessionfile.SessionFileError, OSError) as exc:
            self.notify(f"not saved: {exc}", severity="error", timeout=15)
            return False
        self.session_path = path
        self.changes.clear()
        configmod.remember(path)
        self.notify(f"saved {path}")
        self._status()
        return True

    def action_save(self, then_quit: bool = False) -> None:
        if self.session is None:
            return

        def done(path: str | None) -> None:
            if path and self.save_session(str(Path(path).expanduser())) and then_quit:
                self.exit(0)

        default = self.session_path or str(Path.cwd() / "session.tlswb")
        self.push_screen(PromptScreen("Save the session as", default), done)

    def action_export_redacted(self) -> None:
        """Write a redacted copy of the session to share (issue 6); the map of
        stand-ins goes next to it, never inside it."""
        if self.session is None:
            return

        def done(path: str | None) -> None:
            if path:
                self.notify("exporting a redacted copy ...")
                self._export_worker(str(Path(path).expanduser()))

        base = Path(self.session_path).stem if self.session_path else "session"
        self.push_screen(PromptScreen("Export a redacted copy as", str(Path.cwd() / f"{base}-redacted.tlswb"),
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

