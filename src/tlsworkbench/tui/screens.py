"""Modal screens: help, the quit question, and a one-line prompt."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from .keymap import key_list, key_table
from .text import plain

HELP_DIR = Path(__file__).parent / "help"


def help_text(name: str) -> str:
    try:
        return (HELP_DIR / name).read_text(encoding="utf-8")
    except OSError:
        return f"# Help\n\nNo help file {name}."


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q", "dismiss", "Close", id="help.close")]

    def __init__(self, name: str) -> None:
        super().__init__()
        self.help_name = name

    def compose(self) -> ComposeResult:
        from textual.widgets import Markdown  # markdown-it and pygments: only on F1

        with VerticalScroll(id="help-box"):
            keys = (key_table if self.app.size.width >= 120 else key_list)(self.app.config.keys)
            self.keys_text = keys
            yield Markdown(help_text(self.help_name) + "\n\n" + help_text("app.md") + "\n\n"
                           + "## Every key\n\n" + keys)
            yield Static(plain("escape closes"), classes="hint")

    def action_dismiss(self) -> None:
        self.dismiss(None)


class QuitScreen(ModalScreen[str]):
    """Returns "save", "quit" or "cancel"."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="quit.cancel"),
                Binding("y", "answer('quit')", "Quit", id="quit.yes", show=False),
                Binding("s", "answer('save')", "Save", id="quit.save", show=False)]

    def __init__(self, what: str) -> None:
        super().__init__()
        self.what = what

    def compose(self) -> ComposeResult:
        with Vertical(id="quit-box"):
            yield Static(plain(f"There are unsaved changes: {self.what}.\nQuit anyway?"))
            with Horizontal():
                yield Button("Save and quit (s)", id="save", variant="primary")
                yield Button("Quit (y)", id="quit", variant="error")
                yield Button("Cancel (esc)", id="cancel")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or "cancel")

    def action_answer(self, what: str) -> None:
        self.dismiss(what)

    def action_cancel(self) -> None:
        self.dismiss("cancel")


class PromptScreen(ModalScreen[str | None]):
    """Asks for one line of text; None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt.cancel")]

    def __init__(self, question: str, value: str = "", hint: str = "") -> None:
        super().__init__()
        self.question, self.value, self.hint = question, value, hint

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt-box"):
            yield Static(plain(self.question))
            yield Input(value=self.value, id="prompt-input")
            if self.hint:
                yield Static(plain(self.hint), classes="hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
