"""Issue 14, item 1: text from files (artifact names, manifest fields, finding
titles built from log text, notes, paths) reaches the workbench's toasts,
command palette, prompts and panes literally. A name like
``[@click=app.quit]x[/]`` must not become a clickable action, ``[/bogus]`` must
not crash the app with a MarkupError, and an ESC sequence is shown as ``\\x1b``.
"""

from __future__ import annotations

import hashlib
import json
import zipfile

from test_tui_helpers import app_on, hand_session, isolated, run_async, settle  # noqa: F401

from tlsworkbench.model import CertInfo

CLICK = "[@click=app.quit]x[/]"
BOGUS = "[/bogus]"
BOLD = "[b]"
ESC = "\x1b[2J\x1b]0;pwned\x07"
HOSTILE = f"{CLICK} {BOGUS} {BOLD} {ESC}"
SHOWN = f"{CLICK} {BOGUS} {BOLD} \\x1b[2J\\x1b]0;pwned\\x07"


def _session_file(path, entries):
    """A .tlswb built by hand: ``entries`` are (name, data, sha256 or None)."""
    arts = []
    with zipfile.ZipFile(path, "w") as zf:
        for i, (name, data, sha) in enumerate(entries, 1):
            zf.writestr(f"artifacts/{i}", data)
            arts.append({"id": f"a{i}", "name": name, "member": f"artifacts/{i}",
                         "note": HOSTILE, "size": len(data),
                         "sha256": sha or hashlib.sha256(data).hexdigest()})
        zf.writestr("manifest.json", json.dumps({
            "format": "tlsworkbench-session", "version": 1, "artifacts": arts,
            "notes": {"a1:1": HOSTILE}, "bookmarks": [], "selected_finding": None}))
    return path


def _toast_texts(app) -> list[str]:
    from textual.widgets._toast import Toast

    return [t.render().plain for t in app.screen.query(Toast)]


def _click_toasts(pilot):
    from textual.widgets._toast import Toast

    return [t for t in pilot.app.screen.query(Toast)]


async def _wait_toasts(pilot, n=1):
    for _ in range(50):
        await pilot.pause()
        if len(_toast_texts(pilot.app)) >= n:
            return
    raise AssertionError("no toast appeared")


def _assert_literal(texts):
    joined = "\n".join(texts)
    assert CLICK in joined and BOGUS in joined and BOLD in joined, joined
    assert "\x1b" not in joined and "\\x1b[2J" in joined, joined


@run_async
async def test_load_failure_toast_is_literal(isolated, tmp_path):
    bad = _session_file(tmp_path / "bad.tlswb", [(HOSTILE, b"hello\n", "0" * 64)])
    app = app_on([str(bad)])
    async with app.run_test(size=(160, 50), notifications=True, tooltips=True) as pilot:
        await settle(pilot)
        await _wait_toasts(pilot)
        _assert_literal(_toast_texts(app))
        for toast in _click_toasts(pilot):  # a click on a toast runs no action
            await pilot.click(toast)
        await pilot.pause()
        assert app.is_running and app.return_code is None


@run_async
async def test_problem_toast_names_and_notes_are_literal(isolated, tmp_path):
    good = _session_file(tmp_path / "names.tlswb", [(HOSTILE, b"nothing a reader knows\n", None)])
    app = app_on([str(good)])
    async with app.run_test(size=(160, 50), notifications=True, tooltips=True) as pilot:
        await settle(pilot)
        await _wait_toasts(pilot)
        _assert_literal(_toast_texts(app))
        assert app.session.artifacts[0].path == HOSTILE
        await pilot.click("Toast")
        await pilot.pause()
        assert app.is_running and app.return_code is None


def _hostile_session():
    s = hand_session()
    s.findings[0].title = HOSTILE
    s.findings[0].explanation = HOSTILE
    s.rings[0].entries[0].label = HOSTILE
    s.certs.append(CertInfo(record="a5:3", source="racdcert", owner="FTPD", label=HOSTILE,
                            subject="CN=" + HOSTILE))
    s.notes["a1:4"] = HOSTILE
    return s


@run_async
async def test_save_open_and_search_messages_are_literal(isolated, tmp_path):
    app = app_on(_hostile_session())
    async with app.run_test(size=(160, 50), notifications=True, tooltips=True) as pilot:
        await settle(pilot)
        folder = tmp_path / f"{BOLD}{ESC}"
        folder.mkdir()
        assert app.save_session(str(folder / "s.tlswb"))
        await _wait_toasts(pilot)
        texts = _toast_texts(app)
        assert any(f"{BOLD}\\x1b[2J" in t for t in texts), texts
        app.notify(HOSTILE, title=HOSTILE)  # every other toast goes the same way
        await _wait_toasts(pilot, len(texts) + 1)
        _assert_literal(_toast_texts(app))
        app.action_open()
        await pilot.pause()
        await pilot.press(*"nothing-here-[b]", "enter")
        await pilot.pause()
        assert any("nothing-here-[b]" in t for t in _toast_texts(app))
        assert app.is_running and app.return_code is None


@run_async
async def test_palette_help_of_hostile_finding_title(isolated):
    app = app_on(_hostile_session())
    async with app.run_test(size=(160, 50), notifications=True, tooltips=True) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"fix")
        for _ in range(30):
            await pilot.pause()
        from textual.command import CommandList

        shown = app.screen.query_one(CommandList)
        prompts = [str(o.prompt) for o in shown.options]
        assert any(CLICK in p and BOGUS in p for p in prompts), prompts
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running and app.return_code is None


@run_async
async def test_panes_show_hostile_labels_literally(isolated):
    from tlsworkbench.tui.panes.findings import FindingsPane

    app = app_on(_hostile_session())
    async with app.run_test(size=(160, 50), notifications=True, tooltips=True) as pilot:
        await settle(pilot)
        for pane in ("findings", "rings", "inspector", "timeline", "console"):
            app.action_jump(pane)
            await pilot.pause()
        fp = app.query_one(FindingsPane)
        text = app.export_screenshot()
        assert app.is_running and fp is not None
        # the SVG escapes < > &; the brackets of the title are there as typed
        assert "[@click=app.quit]x[/]" in text.replace("&#160;", " ")
