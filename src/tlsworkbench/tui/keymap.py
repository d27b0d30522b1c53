"""The app's key bindings. Every binding has an id (the name used in the
``[keys]`` table of config.toml) and a tooltip."""

from __future__ import annotations

from textual.binding import Binding

PANES = ["console", "findings", "rings", "inspector", "timeline", "reference"]
PANE_TITLES = {"console": "Console", "findings": "Findings", "rings": "Key rings",
               "inspector": "Certificate", "timeline": "Handshakes", "reference": "Return codes"}
SHORT_TITLES = {"console": "Console", "findings": "Findings", "rings": "Rings",
                "inspector": "Cert", "timeline": "Trace", "reference": "RCs"}
"""Tab titles on a narrow screen: all six tabs fit in 60 columns."""

APP_BINDINGS = [
    Binding("q", "quit_checked", "Quit", id="app.quit", tooltip="Quit; asks when there are "
            "unsaved notes, bookmarks or added files"),
    Binding("f1", "help", "Help", id="app.help", tooltip="Help for the pane you are in"),
    Binding("f2,ctrl+s", "save", "Save", id="app.save", tooltip="Save the session as .tlswb"),
    Binding("y", "copy_fix", "Copy fix", id="app.copy_fix",
            tooltip="Copy the TSO (RACF) commands of the selected finding's fix (OSC 52)"),
    Binding("Y", "copy_fix('other')", "Copy other steps", id="app.copy_fix_other", show=False,
            tooltip="Copy the fix's other steps (operator, policy, shell), labelled (OSC 52)"),
    Binding("e", "next_error", "Next error", id="app.next_error",
            tooltip="Select the next error line of the console"),
    Binding("E", "previous_error", "Prev error", id="app.previous_error", show=False,
            tooltip="Select the previous error line of the console"),
    Binding("j,ctrl+j", "save_fix('jcl')", "Fix as job", id="app.save_fix_jcl", show=False,
            tooltip="Save the fix commands as a batch job (JCL member)"),
    Binding("t,ctrl+t", "save_fix('text')", "Fix as text", id="app.save_fix_text", show=False,
            tooltip="Save the fix commands as a text file"),
    Binding("slash", "search", "Search", id="app.search", show=False,
            tooltip="Search the console text (in the return-code pane: its search box)"),
    Binding("f", "filter", "Filter", id="app.filter", show=False,
            tooltip="Filter the console by system, job, rule, RC, CONNID, severity, text"),
    Binding("b", "bookmark", "Bookmark", id="app.bookmark", show=False,
            tooltip="Bookmark the selected line (saved with the session)"),
    Binding("n", "note", "Note", id="app.note", show=False,
            tooltip="Write a note on the selected line (saved with the session)"),
    Binding("f3,o,ctrl+o", "open", "Open", id="app.open", show=False,
            tooltip="Add files or folders to the session, or open a .tlswb session"),
    Binding("x,ctrl+x", "export_redacted", "Export redacted", id="app.export_redacted", show=False,
            tooltip="Write a redacted copy of the session to share (map of stand-ins kept apart)"),
    Binding("f10,ctrl+p", "command_palette", "Palette", id="app.palette", priority=True,
            tooltip="The command palette: fixes, errors, return codes, panes (also ctrl+p)"),
    Binding("ctrl+c", "interrupt", "Stop", id="app.interrupt", show=False, priority=True,
            tooltip="While loading: stop and quit at once (q too); else copy the mouse selection"),
    Binding("escape", "leave_input", "Leave the box", id="app.leave_input", show=False,
            tooltip="Leave a search box (the return codes' search): keys work again"),
] + [
    Binding(str(i + 1), f"jump('{pane}')", PANE_TITLES[pane], id=f"app.jump.{pane}", show=False,
            tooltip=f"Go to the {PANE_TITLES[pane]} pane")
    for i, pane in enumerate(PANES)
]
"""Every action has a key without ctrl or alt (letters, digits, F-keys); the
ctrl keys of earlier versions still work."""


def all_bindings() -> list[tuple[str, Binding]]:
    """(where, binding) of every binding a user can remap (it has an id)."""
    from .panes.console import ConsolePane, ConsoleView
    from .panes.timeline import TimelineView
    from .screens import HelpScreen, PromptScreen, QuitScreen

    out = [("everywhere", b) for b in APP_BINDINGS]
    for where, cls in (("console", ConsolePane), ("console", ConsoleView),
                       ("handshakes", TimelineView), ("help", HelpScreen),
                       ("quit question", QuitScreen), ("prompt", PromptScreen)):
        out += [(where, b) for b in cls.BINDINGS if isinstance(b, Binding)]
    return [(w, b) for w, b in out if b.id]


def binding_ids() -> set[str]:
    return {b.id for _, b in all_bindings()}


KEY_NAMES = {"slash": "/", "greater_than_sign": ">", "less_than_sign": "<", "escape": "esc"}


def key_list(remapped: dict[str, str] | None = None) -> str:
    """The keys as a Markdown list, for a narrow screen: a four-column table
    there wraps one word a line (QA2 19)."""
    remapped = remapped or {}
    rows = []
    for where, b in all_bindings():
        keys = remapped.get(b.id, b.key)
        shown = ", ".join(f"`{KEY_NAMES.get(k.strip(), k.strip())}`" for k in keys.split(","))
        rows.append(f"- {shown}: {b.tooltip or b.description} ({where}; id `{b.id}`)")
    return "\n".join(rows)


def key_table(remapped: dict[str, str] | None = None) -> str:
    """The keys as a Markdown table: key(s), what they do, where, and the
    binding id to use in the ``[keys]`` table of config.toml."""
    remapped = remapped or {}
    rows = ["| key | does | where | id |", "|---|---|---|---|"]
    for where, b in all_bindings():
        keys = remapped.get(b.id, b.key)
        shown = ", ".join(f"`{KEY_NAMES.get(k.strip(), k.strip())}`" for k in keys.split(","))
        what = b.tooltip or b.description
        rows.append(f"| {shown} | {what} | {where} | `{b.id}` |")
    return "\n".join(rows)
