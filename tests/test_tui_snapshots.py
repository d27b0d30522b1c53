"""Snapshots of the workbench on the Error #3 session: the whole screen at
80x24 and 160x50 in each bundled theme, and each pane on its own at 80x24 in
each theme; the whole screen at 80x24 in each theme as a 16-colour and an
8-colour terminal and under NO_COLOR show the related, error and selected lines.

The session is the hand-built copy of the error3-cert-not-on-ring scenario
(test_tui_helpers.hand_session), so that the pictures change only when the
workbench changes, not when a reader or rule does.
Regenerate with: python -m pytest tests/test_tui_snapshots.py --snapshot-update
"""

from __future__ import annotations

import pytest

from test_tui_helpers import app_on, hand_session, isolated, settle  # noqa: F401
from tui_colours import with_colours

THEMES = ["dark", "zos-green", "high-contrast-light"]
PANES = {"console": "1", "findings": "2", "rings": "3", "inspector": "4", "timeline": "5",
         "reference": "6"}


async def select_error3(pilot) -> None:
    await settle(pilot)
    for _ in range(10):
        if pilot.app.selection.record == "a1:4":
            break
        await pilot.press("e")
    await settle(pilot)


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("size", [(80, 24), (160, 50)], ids=["80x24", "160x50"])
def test_screen(snap_compare, isolated, theme, size):
    assert snap_compare(app_on(hand_session(), theme=theme), terminal_size=size,
                        run_before=select_error3)


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("pane", list(PANES))
def test_pane(snap_compare, isolated, pane, theme):
    async def run_before(pilot):
        await select_error3(pilot)
        await pilot.press(PANES[pane])
        await settle(pilot)

    assert snap_compare(app_on(hand_session(), theme=theme), terminal_size=(80, 24),
                        run_before=run_before)


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("colours", ["16", "8", "nocolor"])
def test_screen_with_few_colours(snap_compare, isolated, monkeypatch, theme, colours):
    if colours == "nocolor":
        monkeypatch.setenv("NO_COLOR", "1")
    app = with_colours(app_on(hand_session(), theme=theme),
                       None if colours == "nocolor" else int(colours))
    assert snap_compare(app, terminal_size=(80, 24), run_before=select_error3)
