"""QA2 defects 16, 17, 18 in the workbench: evidence ids shown as the file and
line they name (findings pane, status line), the name of a damaged file said
once in its toast, and the screenshot saved where it can be written with its
path said literally. File names are hostile text: shown as they are."""

from __future__ import annotations

import os
from pathlib import Path

from test_tui_app import select_error
from test_tui_helpers import app_on, hand_session, isolated, run_async, settle  # noqa: F401

from tlsworkbench.engine import load
from tlsworkbench.tui import notices
from tlsworkbench.tui.panes.findings import FindingsPane

HOSTILE = "/tmp/qa2/hostile/[bold red]EVIL[link=file:x]L\x1b[31m]0;T[@click=app.quit]X.syslog.txt"
SHOWN = "[bold red]EVIL[link=file:x]L\\x1b[31m]0;T[@click=app.quit]X.syslog.txt"
"""The name as the screen shows it: the markup as text, ESC made visible."""


def _status(app) -> str:
    return str(app.query_one("#status").render())


@run_async
async def test_evidence_ids_show_the_file_and_line(isolated):
    app = app_on(hand_session())
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await select_error(pilot, "a1:4")
        assert "| a1:4 mvs3.syslog.txt:4 " in _status(app)
        app.query_one(FindingsPane)
        detail = str(app.query_one("#findings-detail").render())
        f = app.current_finding()
        assert f is not None and f.evidence
        for rid in f.evidence[:3]:
            art = app.session.artifact(rid.rpartition(":")[0])
            assert f"{Path(art.path).name}:{rid.rpartition(':')[2]} ({rid})" in detail


@run_async
async def test_a_hostile_file_name_is_shown_literally_in_the_status_line(isolated):
    s = hand_session()
    s.artifacts[0].path = HOSTILE
    app = app_on(s)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await select_error(pilot, "a1:4")
        assert f"a1:4 {SHOWN}:4 " in _status(app)
        assert app.is_running  # the [@click=app.quit] did nothing


@run_async
async def test_the_status_line_stays_within_80_columns(isolated):
    s = hand_session()
    s.artifacts[0].path = "/very/long/folder/name/" + "MVS3.SYSLOG.D261205.T1358" * 3 + ".txt"
    app = app_on(s)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await select_error(pilot, "a1:4")
        status = _status(app)
        assert len(status) <= 78 and "RC 6,438" in status and ".txt:4" in status, status


@run_async
async def test_damaged_files_are_named_once_in_their_toast(isolated):
    junk = isolated / "junk.bin"
    junk.write_bytes(bytes(range(256)) * 40)
    empty = isolated / "[on red]EMPTY[\x1b[7m.log"
    empty.write_bytes(b"")
    app = app_on(load([junk, empty]))
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        said = "\n".join(str(n.message) for n in app._notifications)
        assert said.count("junk.bin") == 1, said
        assert "junk.bin: binary content" in said
        assert said.count("EMPTY") == 1, said
        assert "[on red]EMPTY[\\x1b[7m.log: the file is empty" in said  # literally


@run_async
async def test_screenshot_goes_to_the_current_folder_and_says_where(isolated, monkeypatch):
    monkeypatch.setenv("HOME", str(isolated / "home"))  # no ~/Downloads
    here = isolated / "work"
    here.mkdir()
    monkeypatch.chdir(here)
    app = app_on(hand_session())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.action_screenshot()
        await pilot.pause()
        shots = list(here.glob("*.svg"))
        assert len(shots) == 1 and shots[0].read_text().startswith("<svg")
        said = [str(n.message) for n in app._notifications if n.title == "Screenshot"]
        assert said == [f"saved the screenshot to {shots[0]}"]


@run_async
async def test_screenshot_falls_back_to_the_data_folder(isolated, monkeypatch):
    blocked = isolated / "a-file"
    blocked.write_text("x")
    monkeypatch.setattr(notices.Path, "cwd", classmethod(lambda cls: blocked / "sub"))
    monkeypatch.setenv("XDG_DATA_HOME", str(isolated / "xdg"))
    app = app_on(hand_session())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.action_screenshot()
        await pilot.pause()
        shots = list((isolated / "xdg").rglob("*.svg"))
        assert len(shots) == 1, shots
        said = [str(n.message) for n in app._notifications if n.title == "Screenshot"]
        assert said == [f"saved the screenshot to {shots[0]}"]
        assert "[$" not in said[0] and os.access(shots[0], os.R_OK)
