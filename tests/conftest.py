"""Every test runs isolated from the machine it runs on (autouse):

* the user's config, state, data and cache directories are empty temporary ones;
* the terminal is a plain xterm (no tmux, screen, NO_COLOR or colour settings
  leak in from the shell that runs pytest);
* the workbench's clock is fixed (``tui.panes.inspector.now``);
* in snapshot tests the diagnosis's day is pinned too (``TLSWORKBENCH_TODAY``,
  tlsworkbench/clock.py): renewal dates in a findings pane are the same on any day;
* Textual does not animate and input cursors do not blink, so that snapshots
  and Pilot tests see the same screen every time. The production code has no
  switches for this.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

NOW = datetime(2026, 1, 15, 12, 0, 0, tzinfo=timezone.utc)
"""The fixed 'now' of the workbench in tests."""

TERMINAL_VARS = ("TMUX", "TMUX_PANE", "STY", "NO_COLOR", "COLORTERM", "FORCE_COLOR",
                 "TEXTUAL", "TEXTUAL_COLOR_SYSTEM", "TEXTUAL_ANIMATIONS", "TLSWORKBENCH_TODAY")


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    for name in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, str(tmp_path / name.split("_")[1].lower()))  # tmp/config ...
    for name in TERMINAL_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")

    import textual.constants
    from textual.widgets import Input

    from tlsworkbench.tui.panes import inspector

    monkeypatch.setattr(textual.constants, "TEXTUAL_ANIMATIONS", "none")
    monkeypatch.setattr(inspector, "now", lambda: NOW)
    real_init = Input.__init__

    def quiet_init(self, *args, **kwargs):
        real_init(self, *args, **kwargs)
        self.cursor_blink = False

    monkeypatch.setattr(Input, "__init__", quiet_init)
    yield


SNAPSHOT_DAY = "2026-12-06"
"""The day the diagnosis dates renewals from in snapshot tests."""


@pytest.fixture
def snap_compare(snap_compare, monkeypatch):
    """pytest-textual-snapshot's ``snap_compare`` with the diagnosis's day pinned."""
    monkeypatch.setenv("TLSWORKBENCH_TODAY", SNAPSHOT_DAY)
    return snap_compare
