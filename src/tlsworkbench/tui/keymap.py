"""The app's key bindings. Every binding has an id (the name used in the
``[keys]`` table of config.toml) and a tooltip."""

from __future__ import annotations

from textual.binding import Binding

PANES = ["console", "findings", "rings", "inspector", "timeline", "reference"]
PANE_TITLES = {"console": "Console", "findings": "Findings", "rings": "Key rings",
               "inspector": "Certificate", "timeline": "Handshakes", "reference": "Return codes"}

APP_BINDINGS = [
    Binding("q", "quit_checked", "Quit", id="app.quit", tooltip="Quit; asks when there are "
            "unsaved notes, bookmarks or added files"),
    Binding("f1", "help", "Help", id="app.help", tooltip="Help for the pane you are in"),
    Binding("e", "next_error", "Next error", id="app.next_error",
            tooltip="Select the next error line of the console"),
    Binding("E", "previous_error", "Prev error", id="app.previous_error", show=False,
            tooltip="Select the previous error line of the console"),
    Binding("y", "copy_fix", "Copy fix", id="app.copy_fix",
            tooltip="Copy the fix commands of the selected finding (OSC 52)"),
    Binding("ctrl+j", "save_fix('jcl')", "Fix as job", id="app.save_fix_jcl", show=False,
            tooltip="Save the fix commands as a batch job (JCL member)"),
    Binding("ctrl+t", "save_fix('text')", "Fix as text", id="app.save_fix_text", show=False,
            tooltip="Save the fix commands as a text file"),
    Binding("slash", "search", "Search", id="app.search", tooltip="Search the console text"),
    Binding("f", "filter", "Filter", id="app.filter",
            tooltip="Filter the console by system, job, rule, RC, CONNID, severity, text"),
    Binding("b", "bookmark", "Bookmark", id="app.bookmark", show=False,
            tooltip="Bookmark the selected line (saved with the session)"),
    Binding("n", "note", "Note", id="app.note", show=False,
            tooltip="Write a note on the selected line (saved with the session)"),
    Binding("ctrl+o", "open", "Open", id="app.open",
            tooltip="Add files or folders to the session, or open a .tlswb session"),
    Binding("ctrl+s", "save", "Save", id="app.save", tooltip="Save the session as .tlswb"),
    Binding("ctrl+x", "export_redacted", "Export redacted", id="app.export_redacted", show=False,
            tooltip="Write a redacted copy of the session to share (map of stand-ins kept apart)"),
] + [
    Binding(str(i + 1), f"jump('{pane}')", PANE_TITLES[pane], id=f"app.jump.{pane}", show=False,
            tooltip=f"Go to the {PANE_TITLES[pane]} pane")
    for i, pane in enumerate(PANES)
]


def binding_ids() -> set[str]:
    from .panes.console import ConsolePane, ConsoleView
    from .panes.timeline import TimelineView

    ids = {b.id for b in APP_BINDINGS if b.id}
    for cls in (ConsolePane, ConsoleView, TimelineView):
        ids.update(b.id for b in cls.BINDINGS if isinstance(b, Binding) and b.id)
    return ids
