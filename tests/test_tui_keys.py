"""Pilot tests of the keys and the terminals our users have: every action
without ctrl or alt, F1 lists every binding id, the return-code search does
not trap focus, 80x24 and 60x20, screen inside tmux, long lines, cancelling a
load, and the one selected finding."""

from __future__ import annotations

import threading

import pytest

from test_tui_helpers import app_on, hand_session, isolated, run_async, settle  # noqa: F401

from tlsworkbench.tui import app as appmod, textual_private
from tlsworkbench.tui.keymap import all_bindings, key_table
from tlsworkbench.tui.panes.console import ConsolePane
from tlsworkbench.tui.screens import HelpScreen, PromptScreen


def test_every_binding_has_a_key_without_ctrl_or_alt():
    for where, b in all_bindings():
        keys = [k.strip() for k in b.key.split(",")]
        assert any(not k.startswith(("ctrl+", "alt+")) for k in keys) or b.id == "app.interrupt", \
            f"{b.id} ({where}) needs ctrl or alt: {b.key}"


def test_key_table_names_every_binding_id_and_the_users_keys():
    table = key_table({"app.copy_fix": "C"})
    for _, b in all_bindings():
        assert f"`{b.id}`" in table
    assert "| `C` | Copy the TSO (RACF) commands" in table


async def _key_opens(pilot, key: str, screen_type):
    await pilot.press(key)
    await pilot.pause()
    got = pilot.app.screen
    assert isinstance(got, screen_type), f"{key} opened {type(got).__name__}"
    return got


@run_async
async def test_f_keys_and_letters_reach_every_action(isolated):
    app = app_on(hand_session())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        prompts = {"f2": "Save the session as", "f3": "Open", "o": "Open",
                   "j": "Save the fix of f1 as", "t": "Save the fix of f1 as",
                   "x": "Export a redacted copy as"}
        for key, question in prompts.items():
            got = await _key_opens(pilot, key, PromptScreen)
            assert got.question.startswith(question), (key, got.question)
            if key in "jt":
                assert got.value.endswith(".jcl" if key == "j" else ".txt")
            await pilot.press("escape")
            await pilot.pause()
        help_screen = await _key_opens(pilot, "f1", HelpScreen)
        text = help_screen.query_one("Markdown").source
        assert "`app.save`" in text and "`console.rc_field`" in text and "`f10`" in text
        await pilot.press("escape")
        await pilot.pause()
        from textual.command import CommandPalette

        await pilot.press("f10")
        await pilot.pause()
        assert CommandPalette.is_open(app)


@run_async
async def test_return_code_search_does_not_trap_focus(isolated):
    app = app_on(hand_session())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("6")
        await pilot.pause()
        assert app.active_pane == "reference" and app.focused.id == "ref-list"
        await pilot.press("slash")
        await pilot.pause()
        assert app.focused.id == "ref-search"
        await pilot.press("4", "2", "8")
        await pilot.pause()
        assert app.focused.value == "428" and app.active_pane == "reference", "digits are text here"
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused.id == "ref-list", "escape leaves the search box"
        await pilot.press("1")
        await pilot.pause()
        assert app.active_pane == "console", "digits jump panes again"


def _footer_keys(app) -> dict[str, object]:
    from textual.widgets._footer import FooterKey  # noqa: PLC2701  (the widget class, to query it)

    return {fk.key: fk for fk in app.query(FooterKey)}


@run_async
async def test_80x24_footer_and_status_show_the_essentials_uncut(isolated):
    app = app_on(hand_session())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        keys = _footer_keys(app)
        for key in ("f1", "f2", "y", "q"):
            assert key in keys, f"{key} not in the footer"
            assert keys[key].region.right <= 80 and keys[key].region.width > 0
        status = app.query_one("#status")
        text = status.render().plain if hasattr(status.render(), "plain") else str(status.render())
        assert len(text) <= 78, text
        assert "RC 6,438" in text


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
@run_async
async def test_all_six_tabs_fit(isolated, size):
    app = app_on(hand_session())
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        tabs = [app.query_one(f"#tab-{p}") for p in appmod.PANES]
        assert all(0 < t.region.width and t.region.right <= size[0] for t in tabs)
        assert not any(n.title == "small window" for n in app._notifications)


@run_async
async def test_smaller_than_60x20_says_so(isolated):
    app = app_on(hand_session())
    async with app.run_test(size=(50, 16)) as pilot:
        await settle(pilot)
        assert any(n.title == "small window" for n in app._notifications)


@run_async
async def test_screen_inside_tmux_gets_no_tmux_wrapping(isolated, monkeypatch):
    written: list[str] = []
    monkeypatch.setattr(textual_private, "write_raw", lambda app, *seqs: written.extend(seqs))
    monkeypatch.setattr("tlsworkbench.tui.clipboard.write_raw",
                        lambda app, *seqs: written.extend(seqs))
    env = {"TERM": "screen", "TMUX": "/tmp/tmux-0/default,1,0", "STY": "1234.pts-1.host"}
    app = app_on(hand_session(), env=env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("y")
        await pilot.pause()
        assert app.clipboard.startswith("RACDCERT")
        assert written and all("tmux;" not in s for s in written)
        assert any(s.startswith("\x1bP\x1b]52;c;") for s in written), "screen's DCS wrapping"
        assert any("(OSC 52, through screen)" in str(n.message) for n in app._notifications)


@run_async
async def test_long_lines_jump_half_a_screen_and_to_the_rc_field(isolated):
    app = app_on(hand_session())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.select("a3:4", "test")  # EZD1286I: its RC field is far to the right
        await pilot.pause()
        view = app.query_one(ConsolePane).view
        view.focus()
        await pilot.pause()
        start, text = view.line_text(view.cursor)
        col = start + text.index("RC:")
        assert col > view.size.width, "the RC field starts off screen"
        await pilot.press("R")
        await pilot.pause()
        assert view.scroll_x <= col < view.scroll_x + view.size.width
        x = view.scroll_x
        await pilot.press("less_than_sign")
        await pilot.pause()
        assert view.scroll_x == max(0, x - view.size.width // 2)
        await pilot.press("greater_than_sign")
        await pilot.pause()
        assert view.scroll_x == max(0, x - view.size.width // 2) + view.size.width // 2


@pytest.mark.parametrize("key", ["q", "ctrl+c"])
@run_async
async def test_quitting_while_loading_stops_the_load(isolated, monkeypatch, key):
    steps: list[int] = []
    stopped = threading.Event()

    def slow_open(paths, progress=None):
        try:
            for i in range(10_000_000):
                steps.append(i)
                progress("reading", i, 10_000_000)
                threading.Event().wait(0.001)
        finally:
            stopped.set()
        raise AssertionError("the load was never stopped")

    monkeypatch.setattr(appmod, "open_paths", slow_open)
    app = appmod.make_app(["big.syslogd.log"], env={})
    async with app.run_test(size=(80, 24)) as pilot:
        while len(steps) < 3:
            await pilot.pause(0.01)
        assert app.loading
        await pilot.press(key)
        await pilot.pause()
    assert stopped.wait(30), "the reading thread still runs"
    assert len(steps) < 10_000_000
    # ctrl+c is an interruption: the shell sees 130 (QA2 19); q is a normal quit
    assert app.return_value == (130 if key == "ctrl+c" else 0)
    assert app.return_code == (130 if key == "ctrl+c" else 0)


@run_async
async def test_y_copies_the_finding_the_session_saves(isolated):
    from tlsworkbench.model import Command, Finding

    s = hand_session()
    s.findings.append(Finding(id="f3", cause="x", severity="warning", title="stack message",
                              explanation="e", evidence=["a1:1"],
                              commands=[Command("D TCPIP,TCPIPT,NETSTAT,CONN")]))
    app = app_on(s)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("2", "down")
        await pilot.pause()
        assert app.finding == "f2" == app.session.selected_finding
        app.select("a1:1", "test")  # a line only f3 names: the findings pane moves to it
        await pilot.pause()
        await pilot.pause()
        assert app.query_one("#findings").current == "f3"
        assert app.finding == "f3" == app.session.selected_finding
        await pilot.press("y")
        await pilot.pause()
        assert app.clipboard == "D TCPIP,TCPIPT,NETSTAT,CONN"


@run_async
async def test_timeline_shows_the_real_trace_with_versions_by_name(isolated):
    """The handshake pane on model.trace objects read from the seed's GSKSRVR
    trace: the ladder, and ``d`` shows decoded fields with versions by name."""
    app = app_on(hand_session())
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await pilot.pause()
        view = app.query_one("#timeline-view")
        assert app.focused is view
        ladder = view.text.plain
        for name in ("ClientHello", "ServerHello", "Certificate", "ServerHelloDone",
                     "ClientKeyExchange"):
            assert name in ladder
        assert "version TLSv1.1" in ladder and "Handshake h1 on MVS3 (c1)" in ladder
        await pilot.press("d")
        await pilot.pause()
        details = view.text.plain
        assert "version: TLSv1.1 (0x0302)" in details and "version: 770" not in details
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.selection.source == "timeline"
        assert app.selection.record == app.session.handshakes[0].messages[1].line
