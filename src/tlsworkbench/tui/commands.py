"""Command palette: commands built from the current selection
("fix: copy TSO commands for finding f1", "go: next error", "rc: 428")."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from .keymap import PANE_TITLES
from .text import literal


class WorkbenchCommands(Provider):
    def commands(self) -> list[tuple[str, object, str]]:
        app = self.app
        out: list[tuple[str, object, str]] = []
        session = app.session
        rel = app.selection.related
        current = app.current_finding()
        order = []
        if current is not None:
            order.append(current)
        for f in session.findings if session is not None else []:
            if f is not current:
                order.append(f)
        for f in order:
            if f.commands:
                out.append((f"fix: copy TSO commands for finding {f.id}",
                            partial(app.copy_finding, f.id), literal(f.title)))
                out.append((f"fix: copy the other steps (operator, policy) of finding {f.id}",
                            partial(app.copy_finding, f.id, "other"), literal(f.title)))
                out.append((f"fix: save commands of finding {f.id} as a job",
                            partial(app.action_save_fix, "jcl", f.id), literal(f.title)))
        out.append(("go: next error", app.action_next_error, "select the next error line"))
        out.append(("go: previous error", app.action_previous_error,
                    "select the previous error line"))
        console = app.screen_stack[0].query_one("#console")  # the main screen
        if console.view.raw:
            out.append(("console: compact lines", console.action_toggle_raw,
                        "the message text and the job, without the log's prefix (r)"))
        else:
            out.append(("console: raw lines", console.action_toggle_raw,
                        "the lines as they are in the files, with their prefix (r)"))
        for pane, title in PANE_TITLES.items():
            out.append((f"go: {title.lower()} pane", partial(app.action_jump, pane), ""))
        for rc in sorted(rel.rcs):
            out.append((f"rc: {rc}", partial(app.show_rc, rc), "return code of the selection"))
        out.append(("session: save", app.action_save, "write the session as .tlswb"))
        out.append(("session: open or add files", app.action_open, ""))
        out.append(("session: export a redacted copy to share", app.action_export_redacted,
                    "addresses, hosts, users, jobs, rings, labels, DNs and serials replaced (ctrl+x)"))
        return out

    async def discover(self) -> Hits:
        for text, cb, help_text in self.commands():
            yield DiscoveryHit(text, cb, help=help_text)

    async def search(self, query: str) -> Hits:
        q = query.strip()
        code = q.removeprefix("rc:").strip()
        if code.isdigit():
            yield Hit(1.0, f"rc: {int(code)}", partial(self.app.show_rc, int(code)),
                      help="look up this return code")
        matcher = self.matcher(query)
        for text, cb, help_text in self.commands():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), cb, help=help_text)
