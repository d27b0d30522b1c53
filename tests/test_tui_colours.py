"""Highlights survive 16 and 8 colours and NO_COLOR: related and selected lines
stay apart from the background and from each other, errors are not dimmer than
normal lines (bold, never black or dark grey; under NO_COLOR bold in the
normal colour)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from rich.color import Color

from test_tui_helpers import app_on, hand_session, isolated, run_async, settle  # noqa: F401
from tui_colours import ansi_number, with_colours

from tlsworkbench.tui.panes.console import ConsolePane

THEMES = sorted((Path(__file__).resolve().parent.parent / "themes").glob("*.toml"))


@pytest.mark.parametrize("colours", [16, 8])
@pytest.mark.parametrize("path", THEMES, ids=[p.stem for p in THEMES])
def test_theme_highlights_stay_apart_with_few_colours(path, colours):
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    v = {**data, **data["variables"]}

    def n(name):
        return ansi_number(Color.parse(v[name]), colours)

    bg, related, selected, error = n("background"), n("related-bg"), n("selected-bg"), n("rc-error")
    assert related != bg, "related lines look like the others"
    assert selected != bg and selected != related, "the selected line is lost"
    assert error != bg and error not in (0, 8) or not data.get("dark", True), "errors too dark"
    assert n("foreground") not in (related, selected), "text on a highlight would vanish"


async def _styles(pilot):
    await settle(pilot)
    await pilot.press("e")
    await settle(pilot)
    return pilot.app.query_one(ConsolePane).view._styles()


@run_async
async def test_no_color_keeps_errors_bold_and_related_lines_marked(isolated, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_on(hand_session())
    async with app.run_test(size=(80, 24)) as pilot:
        st = await _styles(pilot)
        assert app.no_color
        assert st["error"].bold and st["error"].color is None, "not dimmer than a normal line"
        assert st["related"].underline and st["selected"].reverse


@run_async
async def test_zos_green_related_line_at_16_colours(isolated):
    app = with_colours(app_on(hand_session(), theme="zos-green"), 16)
    async with app.run_test(size=(80, 24)) as pilot:
        await _styles(pilot)
        view = app.query_one(ConsolePane).view
        assert view.related_rows
        row = min(view.related_rows - view.selected_rows)
        y = view.position_of(row) - int(view.scroll_y)
        strip = view.render_line(y).apply_filter(app.get_line_filters()[-1], None)
        bgs = {seg.style.bgcolor for seg in strip if seg.style and seg.style.bgcolor}
        assert bgs and all(ansi_number(c, 16) == 4 for c in bgs), "blue behind related lines"
