"""Pilot tests of the workbench: keys in, what each pane shows out."""

from __future__ import annotations

import pytest

from test_tui_helpers import (  # noqa: F401
    app_on, hand_session, isolated, run_async, scenario_session, settle,
)

from tlsworkbench import engine
from tlsworkbench.tui.panes.console import ConsolePane
from tlsworkbench.tui.panes.findings import FindingsPane
from tlsworkbench.tui.panes.reference import ReferencePane
from tlsworkbench.tui.panes.ringtree import RingTreePane
from tlsworkbench.tui.panes.timeline import TimelinePane
from tlsworkbench.tui.screens import HelpScreen, PromptScreen, QuitScreen


def ezd1287(session, rc):
    return next(r for r in session.records if r.msgid == "EZD1287I" and r.fields.get("rc") == rc)


async def select_error(pilot, rid, limit=40):
    """Press ``e`` until the console selects ``rid``."""
    errors = pilot.app.query_one(ConsolePane).view.index.error_rows
    row = pilot.app.query_one(ConsolePane).view.index.row_of[rid]
    assert row in errors, f"{rid} is not an error line"
    for _ in range(limit):
        await pilot.press("e")
        if pilot.app.selection.record == rid:
            await pilot.pause()
            return
    raise AssertionError(f"e never reached {rid}; at {pilot.app.selection.record}")


@pytest.mark.parametrize("make", [hand_session, scenario_session], ids=["hand", "scenario"])
@run_async
async def test_error3_selection_relates_every_pane(isolated, make):
    session = make()
    server, client = ezd1287(session, 6), ezd1287(session, 438)
    app = app_on(session)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await select_error(pilot, server.id)
        await pilot.pause()
        rel = app.selection.related
        # console: the server's and the client's EZD1287I lines, all their lines
        view = app.query_one(ConsolePane).view
        rows = view.index.rows_of_records([server.id, client.id])
        assert len(rows) == (server.last_line - server.line + 1) + (client.last_line - client.line + 1)
        assert set(rows) <= view.related_rows | view.selected_rows
        assert view.row_at(view.cursor) == view.index.row_of[server.id]
        # lines of other connections or none are not highlighted
        assert len(view.related_rows | view.selected_rows) < len(view.index)
        # key rings: the ring, and what is missing from it
        rings = app.query_one(RingTreePane)
        missing = str(rings.query_one("#ring-missing").render())
        assert "no PERSONAL certificate on FTPD/Server_RING" in missing
        assert "FTP Server on MVS1-MVS7" in missing and "not connected" in missing
        assert "FTPD/Server_RING" in rel.rings
        # return codes: the selected line's own (QA2 3), not the peer's 438 too
        assert app.query_one(ReferencePane).codes == [6]
        # the finding and its fix
        f = app.current_finding()
        assert f.id in rel.findings
        assert any("RACDCERT" in c.text and "CONNECT" in c.text for c in f.commands)
        detail = str(app.query_one("#findings-detail").render())
        assert "RING(Server_RING) USAGE(PERSONAL)" in detail
        # trace records of the handshake
        if session.handshakes:
            tl = app.query_one(TimelinePane).view
            assert {h.id for h in tl.handshakes} <= set(rel.handshakes)
            assert tl.related_records & rel.records
        status = str(app.query_one("#status").render())
        assert f"| {server.id} " in status and "RC 6,438" in status


@run_async
async def test_copy_fix_and_messages(isolated):
    app = app_on(hand_session())
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await select_error(pilot, "a1:4")
        await pilot.press("y")
        await pilot.pause()
        assert app.clipboard.startswith("RACDCERT ID(FTPD) CONNECT(ID(FTPD) -")
        assert app.clipboard.endswith("SETROPTS RACLIST(DIGTCERT) REFRESH")
        texts = [str(n.message) for n in app._notifications]
        assert any(t.startswith("sent 4 lines to the terminal's clipboard (OSC 52): the TSO "
                                "commands of finding f1") and "t saves" in t for t in texts), texts
        assert not any(t.startswith("copied") for t in texts)  # OSC 52 is never confirmed


@run_async
async def test_copy_too_big_is_refused_with_a_message(isolated):
    s = hand_session()
    s.findings[0].commands[0].text = "X" * 200_000
    app = app_on(s)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("y")
        await pilot.pause()
        assert app.clipboard == ""
        texts = [str(n.message) for n in app._notifications]
        assert any("more than the 100,000 byte limit" in t for t in texts), texts


@run_async
async def test_next_and_previous_error(isolated):
    app = app_on(hand_session())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        first = app.selection.record
        await pilot.press("e")
        await pilot.pause()
        assert app.selection.record != first
        await pilot.press("E")
        await pilot.pause()
        assert app.selection.record == first
        rec = app.session.record(first)
        assert rec.severity == "error"


@run_async
async def test_filter_by_system_and_rc(isolated):
    app = app_on(hand_session())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await pilot.press(*"sys:MVS1 rc:438")
        await pilot.press("enter")
        await settle(pilot)
        view = app.query_one(ConsolePane).view
        assert view.count == 5  # the client's EZD1287I and its four continuation lines
        assert {view.index.record_id_at(view.row_at(i)) for i in range(view.count)} == {"a2:6"}
        await pilot.press("escape")
        await pilot.pause()
        assert view.count == len(view.index)


@run_async
async def test_search_moves_to_the_matching_line(isolated):
    app = app_on(hand_session())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await pilot.press(*"EDC8121I", "enter")
        await pilot.pause()
        assert app.selection.record == "a2:11"


@run_async
async def test_bookmark_note_save_and_reopen(isolated):
    path = isolated / "error3.tlswb"
    app = app_on(hand_session())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await select_error(pilot, "a1:4")
        await pilot.press("b", "n")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        await pilot.press(*"ring lacks the server cert", "enter")
        await pilot.pause()
        assert app.changes == {"bookmarks", "notes"}
        await pilot.press("ctrl+s")
        await pilot.pause()
        app.screen.query_one("#prompt-input").value = str(path)
        await pilot.press("enter")
        await pilot.pause()
        assert not app.changes
    from tlsworkbench import sessionfile

    again = engine.load_session(path)
    assert list(again.notes.values()) == ["ring lacks the server cert"]
    assert len(again.bookmarks) == 1
    # reopening the file in the workbench brings them back
    app2 = app_on(str(path))
    async with app2.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert list(app2.session.notes.values()) == ["ring lacks the server cert"]
        assert app2.query_one(ConsolePane).view.bookmarks == set(again.bookmarks)
        assert app2.session_path == str(path)
    from tlsworkbench.tui.config import recent_sessions

    assert recent_sessions() == [str(path.resolve())]


@run_async
async def test_quit_asks_only_with_unsaved_changes(isolated):
    app = app_on(hand_session())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await select_error(pilot, "a1:4")
        await pilot.press("b", "q")
        await pilot.pause()
        assert isinstance(app.screen, QuitScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, QuitScreen) and app.is_running
        await pilot.press("q")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert app.return_value == 0
    app = app_on(hand_session())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert app.return_value == 0 and not isinstance(app.screen, QuitScreen)


@run_async
async def test_narrow_screen_switches_panes_with_jump_keys(isolated):
    app = app_on(hand_session())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.screen.has_class("-narrow")
        console, findings = app.query_one("#console"), app.query_one("#findings")
        assert console.display and not findings.display
        await pilot.press("2")
        await pilot.pause()
        assert findings.display and not console.display
        assert app.focused.id == "findings-list"
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen) and app.screen.help_name == "findings.md"


@run_async
async def test_palette_offers_context_commands(isolated):
    app = app_on(hand_session())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await select_error(pilot, "a1:4")
        from tlsworkbench.tui.commands import WorkbenchCommands

        provider = WorkbenchCommands(app.screen)
        names = [c[0] for c in provider.commands()]
        assert names[0] == "fix: copy TSO commands for finding f1"
        assert "go: next error" in names and "rc: 6" in names and "rc: 438" in names
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"rc: 428")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.query_one(ReferencePane).codes == [428]
        assert app.active_pane == "reference"


@run_async
async def test_keys_remapped_from_config(isolated):
    from tlsworkbench.tui.config import Config

    app = app_on(hand_session(), config=Config(keys={"app.copy_fix": "c"}))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("y")
        await pilot.pause()
        assert app.clipboard == ""
        await pilot.press("c")
        await pilot.pause()
        assert "RACDCERT" in app.clipboard


@run_async
async def test_untrusted_text_is_not_markup(isolated):
    s = hand_session()
    s.findings[0].title = "[bold red]not markup[/] \x1b[31mesc"
    app = app_on(s)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        detail = app.query_one(FindingsPane).query_one("#findings-detail").render()
        text = str(detail)
        assert "[bold red]not markup[/]" in text
        assert "\x1b" not in text


@run_async
async def test_export_redacted_from_the_workbench(isolated):
    """ctrl+x writes a redacted copy and its map apart; the original names are gone."""
    out = isolated / "shared.tlswb"
    app = app_on(scenario_session())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+x")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        app.screen.query_one("#prompt-input").value = str(out)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = [n.message for n in app._notifications]
    assert out.is_file() and (isolated / "shared.tlswb.map.json").is_file()
    assert any("leak check passed" in m for m in shown), shown
    from tlsworkbench import sessionfile

    again = engine.load_session(out)
    text = "\n".join(a.raw().decode("latin-1") for a in again.artifacts)
    assert "FTPD" not in text and "Server_RING" not in text and "192.168.20.93" not in text
    assert "EZD1287I" in text  # message ids stay
